//! Test support: finding the shared real-data folder and reading a file into memory for assertions.

use std::path::Path;

use byline_model::{Diagnostic, Work};
use byline_parse::{Event, FileSummary, read_path};

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

/// Everything one file produced.
#[allow(dead_code)]
pub struct Read {
    pub summary: FileSummary,
    pub works: Vec<Work>,
    pub rejected: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub deleted: Vec<String>,
}

/// Reads a whole file into memory (tests only: the readers themselves stream).
#[allow(dead_code)]
pub fn read_all(path: &Path) -> Read {
    let mut out =
        Read { summary: FileSummary::default(), works: vec![], rejected: vec![], warnings: vec![], deleted: vec![] };
    let summary = read_path(path, None, &mut |e| match e {
        Event::Work(w) => out.works.push(*w),
        Event::Rejected(d) => out.rejected.push(d),
        Event::Warning(d) => out.warnings.push(d),
        Event::Deleted { pmid } => out.deleted.push(pmid),
    });
    assert_eq!(summary.records_seen, summary.works + summary.rejected, "counts must reconcile for {}", path.display());
    out.summary = summary;
    out
}

/// Finds a work by DOI (lower-case).
#[allow(dead_code)]
pub fn by_doi<'a>(works: &'a [Work], doi: &str) -> &'a Work {
    works.iter().find(|w| w.ids.doi.as_deref() == Some(doi)).unwrap_or_else(|| panic!("no work with DOI {doi}"))
}
