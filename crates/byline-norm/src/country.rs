//! Countries: ISO 3166-1 alpha-2 codes with the names and variants affiliation strings use ("USA",
//! "P.R. China", "Korea", "UK"), US states (an address ending "Boston, MA 02115" is in the US) and the
//! country-code top-level domains of e-mail addresses.
//!
//! A country is read from an affiliation only where it stands on its own: a whole trailing segment, or the
//! end of the last segment ("Beijing 100871 China"). Names that are also US states or common words
//! ("Georgia", "Jersey") are resolved by the rest of the string or left unknown: a wrong country is worse
//! than none (the target is precision ≥ 0.99, measured in the integration tests on the ROR gold pairs).

use std::collections::HashMap;
use std::sync::OnceLock;

use byline_model::Affiliation;

use crate::text;
use crate::words;

/// `CODE|name|variant|…`, one country a line. Variants are compared after [`text::fold_affiliation`].
const COUNTRY_TABLE: &str = "\
AD|Andorra
AE|United Arab Emirates|UAE|U.A.E.|Abu Dhabi|Dubai
AF|Afghanistan|Islamic Republic of Afghanistan
AG|Antigua and Barbuda
AL|Albania
AM|Armenia
AO|Angola
AR|Argentina|Argentine Republic
AT|Austria|Österreich
AU|Australia|New South Wales|NSW|Queensland|Tasmania|Western Australia|South Australia
AZ|Azerbaijan
BA|Bosnia and Herzegovina|Bosnia & Herzegovina|Bosnia
BB|Barbados
BD|Bangladesh
BE|Belgium|Belgique|België
BF|Burkina Faso
BG|Bulgaria
BH|Bahrain
BI|Burundi
BJ|Benin
BN|Brunei|Brunei Darussalam
BO|Bolivia
BR|Brazil|Brasil
BS|Bahamas
BT|Bhutan
BW|Botswana
BY|Belarus|Republic of Belarus
BZ|Belize
CA|Canada
CD|Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa
CF|Central African Republic
CG|Republic of the Congo|Congo-Brazzaville|Congo
CH|Switzerland|Suisse|Schweiz|Svizzera
CI|Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
CL|Chile
CM|Cameroon|Cameroun
CN|China|P.R. China|PR China|P. R. China|PRC|P.R.C.|People's Republic of China|Peoples Republic of China|People's Republic of  China|Mainland China|中国
CO|Colombia
CR|Costa Rica
CU|Cuba
CV|Cape Verde|Cabo Verde
CY|Cyprus
CZ|Czech Republic|Czechia
DE|Germany|Deutschland|Federal Republic of Germany
DJ|Djibouti
DK|Denmark|Danmark
DM|Dominica
DO|Dominican Republic
DZ|Algeria
EC|Ecuador
EE|Estonia
EG|Egypt|Arab Republic of Egypt
ER|Eritrea
ES|Spain|España|Espana
ET|Ethiopia
FI|Finland|Suomi
FJ|Fiji
FR|France
GA|Gabon
GB|United Kingdom|UK|U.K.|Great Britain|England|Scotland|Wales|Northern Ireland|United Kingdom of Great Britain and Northern Ireland
GD|Grenada
GH|Ghana
GM|Gambia|The Gambia
GN|Guinea
GQ|Equatorial Guinea
GR|Greece|Hellas
GT|Guatemala
GW|Guinea-Bissau
GY|Guyana
HK|Hong Kong|Hong Kong SAR|Hong Kong SAR China|Hong Kong China|HKSAR
HN|Honduras
HR|Croatia|Hrvatska
HT|Haiti
HU|Hungary|Magyarország
ID|Indonesia
IE|Ireland|Republic of Ireland|Éire
IL|Israel|State of Israel
IN|India
IQ|Iraq
IR|Iran|Islamic Republic of Iran|I.R. Iran|IR Iran
IS|Iceland
IT|Italy|Italia
JM|Jamaica
JO|Jordan
JP|Japan|日本
KE|Kenya
KG|Kyrgyzstan|Kyrgyz Republic
KH|Cambodia
KP|North Korea|Democratic People's Republic of Korea|DPRK|D.P.R. Korea
KR|South Korea|Korea|Republic of Korea|Korea Republic|Rep. of Korea|Korea, Republic of|Korea (South)|한국|대한민국
KW|Kuwait
KZ|Kazakhstan
LA|Laos|Lao PDR|Lao People's Democratic Republic
LB|Lebanon|Republic of Lebanon|Lebanese Republic
LI|Liechtenstein
LK|Sri Lanka
LR|Liberia
LS|Lesotho
LT|Lithuania
LU|Luxembourg
LV|Latvia
LY|Libya
MA|Morocco|Maroc
MC|Monaco
MD|Moldova|Republic of Moldova
ME|Montenegro
MG|Madagascar
MK|North Macedonia|Macedonia
ML|Mali
MM|Myanmar|Burma
MN|Mongolia
MO|Macau|Macao|Macau SAR|Macao SAR
MR|Mauritania
MT|Malta
MU|Mauritius
MV|Maldives
MW|Malawi
MX|Mexico|México
MY|Malaysia
MZ|Mozambique
NA|Namibia
NE|Niger
NG|Nigeria
NI|Nicaragua
NL|Netherlands|The Netherlands|Nederland|Holland
NO|Norway|Norge
NP|Nepal
NZ|New Zealand|Aotearoa
OM|Oman|Sultanate of Oman
PA|Panama
PE|Peru|Perú
PG|Papua New Guinea
PH|Philippines|The Philippines
PK|Pakistan|Islamic Republic of Pakistan
PL|Poland|Polska
PR|Puerto Rico
PS|Palestine|State of Palestine|Palestinian Territories
PT|Portugal
PY|Paraguay
QA|Qatar
RO|Romania
RS|Serbia|Republic of Serbia
RU|Russia|Russian Federation|Россия|Российская Федерация
RW|Rwanda
SA|Saudi Arabia|Kingdom of Saudi Arabia|KSA
SC|Seychelles
SD|Sudan
SE|Sweden|Sverige
SG|Singapore
SI|Slovenia
SK|Slovakia|Slovak Republic
SL|Sierra Leone
SN|Senegal
SO|Somalia
SR|Suriname
SS|South Sudan
SV|El Salvador
SY|Syria|Syrian Arab Republic
SZ|Eswatini|Swaziland
TD|Chad
TG|Togo
TH|Thailand
TJ|Tajikistan
TN|Tunisia
TR|Turkey|Türkiye|Turkiye
TT|Trinidad and Tobago
TW|Taiwan|Taiwan ROC|Taiwan R.O.C.|Republic of China (Taiwan)|Taiwan, Republic of China|台灣|台湾
TZ|Tanzania|United Republic of Tanzania
UA|Ukraine
UG|Uganda
US|United States|USA|U.S.A.|U.S.|US|United States of America
UY|Uruguay
UZ|Uzbekistan
VE|Venezuela
VN|Vietnam|Viet Nam
YE|Yemen|Republic of Yemen
ZA|South Africa|Republic of South Africa
ZM|Zambia
ZW|Zimbabwe
";

/// US states and territories (names and USPS codes). A trailing segment "MA 02115" or "Massachusetts" puts
/// an affiliation in the US. "Georgia" is left out on purpose: it is also a country.
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("DC", "District of Columbia"),
];

/// Generic top-level domains that say nothing about a country. `.edu` is different: since 2001 it is
/// restricted to US-accredited post-secondary institutions, so it names the institution's country (US).
const GENERIC_TLDS: &[&str] = &["com", "org", "net", "info", "int", "gov", "mil", "io", "ai", "eu", "biz", "me"];

/// Where a country was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountrySource {
    /// Named in the affiliation string.
    Text,
    /// A US state or ZIP code in the affiliation string.
    UsState,
    /// The country-code TLD of an e-mail domain (`.jp`, `.ac.uk`, `.edu`).
    EmailDomain,
    /// The country of the ROR record the source links.
    Ror,
    /// The source's own structured country field.
    Source,
}

struct Tables {
    /// folded variant → ISO code
    by_name: HashMap<String, &'static str>,
    /// ISO code → display name
    display: HashMap<&'static str, &'static str>,
    us_state_names: HashMap<String, &'static str>,
    us_state_codes: HashMap<&'static str, &'static str>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut by_name = HashMap::new();
        let mut display = HashMap::new();
        for line in COUNTRY_TABLE.lines() {
            let mut parts = line.split('|');
            let Some(code) = parts.next() else { continue };
            for (i, name) in parts.enumerate() {
                if i == 0 {
                    display.insert(code, name);
                }
                by_name.insert(fold_key(name), code);
            }
        }
        let us_state_names = US_STATES.iter().map(|(c, n)| (fold_key(n), *c)).collect();
        let us_state_codes = US_STATES.iter().map(|(c, _)| (*c, *c)).collect();
        Tables { by_name, display, us_state_names, us_state_codes }
    })
}

fn fold_key(s: &str) -> String {
    text::fold_affiliation(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ISO alpha-2 code of a country name or variant ("P.R. China" → `CN`), or of an ISO code itself.
pub fn country_code(name: &str) -> Option<&'static str> {
    let key = fold_key(name);
    if key.is_empty() {
        return None;
    }
    let t = tables();
    if let Some(code) = t.by_name.get(&key) {
        return Some(code);
    }
    if key.len() == 2 {
        let upper = key.to_ascii_uppercase();
        return t.display.keys().find(|c| **c == upper).copied();
    }
    None
}

/// The English display name of an ISO alpha-2 code.
pub fn country_name(code: &str) -> Option<&'static str> {
    tables().display.get(code.to_ascii_uppercase().as_str()).copied()
}

/// The country written at the end of an affiliation string, with where it was read from.
pub fn country_in_text(raw: &str) -> Option<(&'static str, CountrySource)> {
    let cleaned = text::without_email_clause(raw);
    let segs = text::segments(&cleaned);
    let t = tables();
    // The last two segments: "…, Beijing 100871, China" and "…, China, and Peking University" both occur.
    for seg in segs.iter().rev().take(2) {
        let words: Vec<String> = text::fold_affiliation(seg)
            .split_whitespace()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            continue;
        }
        // Longest suffix of the segment that names a US state, then a country.
        for take in (1..=words.len().min(6)).rev() {
            let suffix = words[words.len() - take..].join(" ");
            if let Some(code) = t.by_name.get(&suffix) {
                // Inside a name ("University of New England", "Institute … Israel-Canada"): not a location.
                if take < words.len() && (words[words.len() - take - 1] == "new" || names_an_organisation(&words)) {
                    continue;
                }
                // "Hong Kong, China", "Macau, China", "Taiwan, China": ROR and ISO give these their own codes.
                if *code == "CN"
                    && take == words.len()
                    && let Some(prev) = prev_segment_code(&segs, seg, t)
                {
                    return Some((prev, CountrySource::Text));
                }
                // "New Mexico" and "New Jersey" end in a country name; a state wins when it is longer.
                if take < words.len() {
                    let longer = words[words.len() - take - 1..].join(" ");
                    if t.us_state_names.contains_key(&longer) {
                        return Some(("US", CountrySource::UsState));
                    }
                }
                // Only whole segments or segment endings preceded by a place, never a word inside a name
                // ("University of Chile Hospital" ends in "hospital", so it does not get here).
                return Some((code, CountrySource::Text));
            }
            if t.us_state_names.contains_key(&suffix) && take == words.len() {
                return Some(("US", CountrySource::UsState));
            }
        }
        // "MA 02115" / "CA 94305-5101": a USPS state code followed by a ZIP code.
        if us_state_zip(seg, t) {
            return Some(("US", CountrySource::UsState));
        }
    }
    None
}

/// A weaker reading than [`country_in_text`], for ranking only (never for a report): the country written at
/// the end of the string, else the US when a US state's full name stands anywhere in it ("University of
/// North Carolina", "University of Texas Medical Branch"). "Georgia" is left out: it is also a country.
pub fn country_hint(raw: &str) -> Option<&'static str> {
    if let Some((code, _)) = country_in_text(raw) {
        return Some(code);
    }
    let t = tables();
    for seg in text::segments(raw) {
        let words: Vec<String> = text::fold_affiliation(seg).split_whitespace().map(str::to_owned).collect();
        for take in (1..=3).rev() {
            for w in words.windows(take) {
                let key = w.join(" ");
                if key != "georgia" && t.us_state_names.contains_key(&key) {
                    return Some("US");
                }
            }
        }
    }
    None
}

/// A word before a country name that makes it part of an organisation's name: the shared institution words
/// ([`words::INSTITUTION_WORDS`]) and the words of a unit ([`words::UNIT_WORDS`]: "Department", "Faculty").
fn names_an_organisation(tokens: &[String]) -> bool {
    tokens.iter().any(|w| words::is_institution_word(w) || words::is_unit_word(w))
}

/// The code of the segment before `seg` when it is Hong Kong, Macau or Taiwan.
fn prev_segment_code(segs: &[&str], seg: &str, t: &Tables) -> Option<&'static str> {
    let pos = segs.iter().position(|s| std::ptr::eq(*s, seg))?;
    let prev = segs.get(pos.checked_sub(1)?)?;
    let key = fold_key(prev);
    let key = key.split_whitespace().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ");
    t.by_name.get(&key).copied().filter(|c| matches!(*c, "HK" | "MO" | "TW"))
}

fn us_state_zip(segment: &str, t: &Tables) -> bool {
    let parts: Vec<&str> = segment.split_whitespace().collect();
    parts.windows(2).any(|w| {
        let zip = w[1].trim_end_matches('.');
        let zip5 = zip.split('-').next().unwrap_or(zip);
        t.us_state_codes.contains_key(w[0].trim_end_matches('.'))
            && zip5.len() == 5
            && zip5.chars().all(|c| c.is_ascii_digit())
    })
}

/// The country of an e-mail domain's institution from its top-level domain (`foo.ac.jp` → `JP`,
/// `mit.edu` → `US`), `None` for generic domains (`gmail.com`, `example.org`). This is about the
/// institution that runs the domain, never about the person who uses it.
pub fn country_of_domain(domain: &str) -> Option<&'static str> {
    let tld = domain.trim().trim_end_matches('.').rsplit('.').next()?.to_ascii_lowercase();
    if tld == "edu" {
        return Some("US");
    }
    if GENERIC_TLDS.contains(&tld.as_str()) || tld.len() != 2 {
        return None;
    }
    let code = if tld == "uk" { "GB".to_owned() } else { tld.to_ascii_uppercase() };
    tables().display.keys().find(|c| **c == code).copied()
}

/// The country of an affiliation, with where it was read from. In order of trust: the source's structured
/// country code (an ISO code, or a name such as "UK"), the source's country name, the country written at the end
/// of the raw string ([`country_in_text`]), and last the country of the e-mail domains written in the string
/// ([`country_of_domain`]). Always an upper-case ISO 3166-1 alpha-2 code; `None` when nothing says (never
/// guessed from a city or a person's name).
pub fn affiliation_country(aff: &Affiliation) -> Option<(String, CountrySource)> {
    if let Some(code) = aff.country_code.as_deref().and_then(structured_code) {
        return Some((code, CountrySource::Source));
    }
    if let Some(code) = aff.country.as_deref().and_then(country_code) {
        return Some((code.to_owned(), CountrySource::Source));
    }
    country_in_affiliation(&aff.raw).map(|(code, source)| (code.to_owned(), source))
}

/// [`affiliation_country`] without its source.
pub fn affiliation_country_code(aff: &Affiliation) -> Option<String> {
    affiliation_country(aff).map(|(code, _)| code)
}

/// A source's structured country code: a known code or name ("gb", "UK"), else any two ASCII letters upper-cased
/// (a code this table does not name, such as `XK`).
fn structured_code(code: &str) -> Option<String> {
    let code = code.trim();
    if let Some(known) = country_code(code) {
        return Some(known.to_owned());
    }
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic())).then(|| code.to_ascii_uppercase())
}

/// The country a raw affiliation string names: written at its end ([`country_in_text`]), else the country of
/// the first e-mail domain in it that has one ([`country_of_domain`], [`CountrySource::EmailDomain`]).
pub fn country_in_affiliation(raw: &str) -> Option<(&'static str, CountrySource)> {
    if let Some(found) = country_in_text(raw) {
        return Some(found);
    }
    text::emails_in(raw)
        .iter()
        .filter_map(|e| text::email_domain(e))
        .find_map(|d| country_of_domain(&d))
        .map(|code| (code, CountrySource::EmailDomain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_resolve() {
        assert_eq!(country_code("P.R. China"), Some("CN"));
        assert_eq!(country_code("USA"), Some("US"));
        assert_eq!(country_code("Korea"), Some("KR"));
        assert_eq!(country_code("UK"), Some("GB"));
        assert_eq!(country_code("Republic of Korea"), Some("KR"));
    }

    #[test]
    fn trailing_country_is_read() {
        assert_eq!(
            country_in_text("Dept. of Physics, Peking University, Beijing 100871, P.R. China").map(|c| c.0),
            Some("CN")
        );
        assert_eq!(country_in_text("Harvard Medical School, Boston, MA 02115").map(|c| c.0), Some("US"));
        assert_eq!(country_in_text("Los Alamos, New Mexico").map(|c| c.0), Some("US"));
        assert_eq!(country_in_text("University of Tokyo"), None);
    }

    #[test]
    fn domains_give_institution_country() {
        assert_eq!(country_of_domain("u-tokyo.ac.jp"), Some("JP"));
        assert_eq!(country_of_domain("ox.ac.uk"), Some("GB"));
        assert_eq!(country_of_domain("mit.edu"), Some("US"));
        assert_eq!(country_of_domain("gmail.com"), None);
    }
}
