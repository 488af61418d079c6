//! The comparable key of an affiliation's institution, used to compare and count institutions (the
//! co-authorship network, the researcher audit).

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
