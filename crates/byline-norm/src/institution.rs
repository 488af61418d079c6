//! The comparable key of an affiliation's institution, used to compare and count institutions (the
//! co-authorship network, the researcher audit).

use std::collections::BTreeMap;

use byline_model::Affiliation;

use crate::{country, text, words};

/// A comparable key for an affiliation's institution: `ror:ID`, else the structured institution name, else the
/// comma-separated part of the raw string that names an institution (the last part holding one of the
/// [`words::INSTITUTION_WORDS`] that is not a country), else the first part. Folded with [`text::fold`];
/// parts holding an e-mail address are skipped. `None` for an empty affiliation.
pub fn institution_key(affiliation: &Affiliation) -> Option<String> {
    if let Some(ror) = affiliation.ror.as_deref().filter(|r| !r.trim().is_empty()) {
        return Some(format!("ror:{}", ror.trim()));
    }
    if let Some(name) = affiliation.institution.as_deref().map(text::fold).filter(|n| !n.trim().is_empty()) {
        return Some(name.trim().to_owned());
    }
    institution_key_of_text(&affiliation.raw)
}

/// The institution key of an affiliation when an institution registry the caller holds (the KAKEN institution
/// master, ROR) named the institution of its raw string: `registry` maps raw strings (trimmed) to the
/// registry's key (`kaken:0014401`, `ror:035t8zc32`), so that `大阪大学 大学院医学系研究科`, `Osaka Univ., Grad.
/// Sch. Med.` and `阪大` are one institution. The affiliation's own ROR id still comes first, and a string the
/// registry did not name keeps [`institution_key`].
pub fn institution_key_in(affiliation: &Affiliation, registry: &BTreeMap<String, String>) -> Option<String> {
    if affiliation.ror.as_deref().is_some_and(|r| !r.trim().is_empty()) {
        return institution_key(affiliation);
    }
    registry.get(affiliation.raw.trim()).cloned().or_else(|| institution_key(affiliation))
}

/// The institution key of a raw affiliation string alone (see [`institution_key`]).
pub fn institution_key_of_text(raw: &str) -> Option<String> {
    let raw = text::fold(raw);
    let parts: Vec<&str> = raw.split([',', ';']).map(str::trim).filter(|p| !p.is_empty() && !p.contains('@')).collect();
    let chosen = parts
        .iter()
        .rev()
        .find(|p| words::has_institution_word(p) && country::country_code(p).is_none())
        .or(parts.first())?;
    Some(chosen.trim_end_matches('.').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_key_comes_before_the_text_and_after_a_ror_id() {
        let aff = |raw: &str, ror: Option<&str>| Affiliation {
            raw: raw.to_owned(),
            ror: ror.map(str::to_owned),
            ..Affiliation::default()
        };
        let registry = BTreeMap::from([
            ("大阪大学 大学院医学系研究科".to_owned(), "kaken:0014401".to_owned()),
            ("阪大".to_owned(), "kaken:0014401".to_owned()),
        ]);
        assert_eq!(institution_key_in(&aff(" 阪大 ", None), &registry).as_deref(), Some("kaken:0014401"));
        assert_eq!(
            institution_key_in(&aff("大阪大学 大学院医学系研究科", None), &registry).as_deref(),
            Some("kaken:0014401")
        );
        assert_eq!(institution_key_in(&aff("阪大", Some("035t8zc32")), &registry).as_deref(), Some("ror:035t8zc32"));
        let other = aff("Dept of Physics, Shenzhen University, China", None);
        assert_eq!(institution_key_in(&other, &registry), institution_key(&other));
    }
}
