//! The normalized publication model.
//!
//! Every reader in `byline-parse` turns its format into these types; every later stage (corpus tables,
//! identity resolution, detectors, reports) reads only these types. Missing source fields are `None` or
//! empty, never invented. Strings are kept as the source wrote them (CJK and diacritics untouched); any
//! normalized form lives in a separate field or is computed on demand.

pub mod codes;
pub mod dates;
mod diagnostic;
mod finding;
mod ids;
mod work;

pub use diagnostic::{Diagnostic, DiagnosticKind, Position};
pub use finding::{Evidence, Finding, FindingSortKey, Severity, Subject, finding_sort_key, sort_findings};
pub use ids::{normalize_doi, normalize_issn, normalize_orcid, normalize_pmcid, normalize_ror, stable_hash64};
pub use work::{Affiliation, Author, Format, Funding, PubDate, Reference, Relation, SourceRef, Venue, Work, WorkIds};

/// The version of the corpus schema written to `manifest.json`; bump it when a table's columns change.
pub const SCHEMA_VERSION: u32 = 2;
