//! Affiliation parsing: a raw affiliation string into institution, department, city and country.
//!
//! The country comes, in order of trust, from the source's structured fields, the ROR id the source gives,
//! the string itself ([`crate::country::country_in_text`]), and last from the e-mail domains written in the
//! string (the country of the institution that runs the domain). The institution is the part that names an
//! organisation ("University", "Institute", "Hospital"…), the department the part that names a unit of one.

use byline_norm::{INSTITUTION_WORDS, UNIT_WORDS, matches_word_list};
use serde::{Deserialize, Serialize};

use crate::country::{self, CountrySource};
use crate::text;

/// An affiliation string taken apart. Every field is `None` when the string does not say.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParsedAffiliation {
    pub raw: String,
    pub institution: Option<String>,
    pub department: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    pub country_source: Option<CountrySource>,
    /// E-mail addresses written in the string.
    pub emails: Vec<String>,
}

/// Organisation words ranked: a segment with a higher-ranked word is the institution rather than a unit.
/// Company forms (JSC, OOO, LLC…), plants and design bureaus are whole organisations: the lists name many.
const TOP_LEVEL_WORDS: &[&str] = &[
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "llc",
    "plant",
    "bureau",
    "concern",
    "enterprise",
    "factory",
    "university",
    "universidad",
    "universidade",
    "universita",
    "universitat",
    "universite",
    "universiteit",
    "uniwersytet",
    "univerzita",
    "hospital",
    "academy",
    "polytechnic",
    "politecnico",
    "corporation",
    "company",
    "大学",
    "医院",
    "公司",
];

/// Parses a raw affiliation string.
pub fn parse_affiliation(raw: &str) -> ParsedAffiliation {
    let segs = text::segments(raw);
    let emails = text::emails_in(raw);
    let mut parsed = ParsedAffiliation { raw: raw.to_owned(), emails, ..ParsedAffiliation::default() };
    // Segments that are an e-mail or the country are not names.
    let mut names: Vec<(usize, &str)> =
        segs.iter().enumerate().filter(|(_, s)| !s.contains('@')).map(|(i, s)| (i, *s)).collect();
    if let Some((code, source)) = country::country_in_affiliation(raw) {
        parsed.country_code = Some(code.to_owned());
        parsed.country_source = Some(source);
        if source != CountrySource::EmailDomain
            && let Some((_, last)) = names.last()
            && (country::country_code(last).is_some() || source == CountrySource::UsState)
        {
            names.pop();
        }
    }
    let kinds: Vec<SegmentKind> = names.iter().map(|(_, s)| segment_kind(s)).collect();
    // The institution: the last top-level organisation segment, else the last organisation segment.
    let institution_at = kinds
        .iter()
        .rposition(|k| *k == SegmentKind::TopLevel)
        .or_else(|| kinds.iter().rposition(|k| *k == SegmentKind::Organisation));
    if let Some(i) = institution_at {
        parsed.institution = Some(strip_emails(names[i].1));
    }
    parsed.department = kinds
        .iter()
        .position(|k| *k == SegmentKind::Department)
        .or_else(|| institution_at.and_then(|inst| kinds[..inst].iter().position(|k| *k == SegmentKind::Organisation)))
        .map(|i| names[i].1.to_owned());
    // The city: the last plain segment after the institution (postal codes stripped).
    if let Some(i) = institution_at {
        parsed.city = names[i + 1..]
            .iter()
            .zip(&kinds[i + 1..])
            .rev()
            .find(|(_, k)| **k == SegmentKind::Plain)
            .map(|((_, s), _)| strip_postal(s))
            .filter(|s| !s.is_empty());
    }
    parsed
}

/// The country of an affiliation with its source: byline-norm's [`byline_norm::affiliation_country`], the one
/// answer every crate (the flags, the network, the report's charts) gives.
pub use byline_norm::affiliation_country;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SegmentKind {
    TopLevel,
    Organisation,
    Department,
    Plain,
}

fn segment_kind(segment: &str) -> SegmentKind {
    let folded = text::fold_affiliation(segment);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let has = |list: &[&str]| matches_word_list(&folded, list);
    let starts_as_unit = words.first().is_some_and(|w| {
        matches!(*w, "department" | "dept" | "division" | "faculty" | "section" | "school" | "laboratory" | "lab")
    });
    if has(TOP_LEVEL_WORDS) && !starts_as_unit {
        SegmentKind::TopLevel
    } else if has(UNIT_WORDS) || starts_as_unit {
        SegmentKind::Department
    } else if has(INSTITUTION_WORDS) {
        SegmentKind::Organisation
    } else {
        SegmentKind::Plain
    }
}

fn strip_emails(segment: &str) -> String {
    segment.split_whitespace().filter(|w| !w.contains('@')).collect::<Vec<_>>().join(" ")
}

fn strip_postal(segment: &str) -> String {
    segment
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == '.' || c == '-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_shape() {
        let p = parse_affiliation("Department of Physics, Peking University, Beijing 100871, P.R. China");
        assert_eq!(p.institution.as_deref(), Some("Peking University"));
        assert_eq!(p.department.as_deref(), Some("Department of Physics"));
        assert_eq!(p.city.as_deref(), Some("Beijing"));
        assert_eq!(p.country_code.as_deref(), Some("CN"));
    }

    #[test]
    fn email_domain_gives_country_when_text_does_not() {
        let p = parse_affiliation("Graduate School of Science, Tokyo Univ. taro@s.u-tokyo.ac.jp");
        assert_eq!(p.country_code.as_deref(), Some("JP"));
        assert_eq!(p.country_source, Some(CountrySource::EmailDomain));
        assert_eq!(p.emails, vec!["taro@s.u-tokyo.ac.jp"]);
    }
}
