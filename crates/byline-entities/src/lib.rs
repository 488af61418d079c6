//! Who is behind a byline: affiliation parsing, institution matching against ROR, screening lists,
//! funders and disclosures.
//!
//! Everything here works on strings and `&[Work]` in memory and emits [`byline_model::Finding`]s. Flags are
//! about organisations and facts (an affiliation, a funder, a list entry), never about a person's name or
//! nationality: no function in this crate reads an author's name to decide anything.

pub mod affiliation;
pub mod country;
pub mod disclosure;
pub mod eval;
pub mod funders;
pub mod gbdt;
pub mod kaken_institutions;
pub mod lists;
pub mod ror;
pub mod screening;
pub mod text;

/// Errors of this crate: loading registries, lists and disclosure files.
#[derive(Debug, thiserror::Error)]
pub enum EntitiesError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not valid JSON: {source}")]
    Json { path: String, source: serde_json::Error },
    #[error("{path}: not valid YAML: {source}")]
    Yaml { path: String, source: serde_norway::Error },
    #[error("{path}: not valid CSV: {source}")]
    Csv { path: String, source: csv::Error },
    #[error("{path}: {reason}")]
    Format { path: String, reason: String },
}
