//! Test support: finding the shared real-data folder and reading a file into memory for assertions.

use std::path::{Path, PathBuf};

use byline_model::{Diagnostic, Work};
use byline_parse::{Event, FileSummary, read_path};

/// The shared real-data folder (`BYLINE_SHARED_DATA`, default `../shared/data` from the workspace root).
/// Returns `None` (after printing why) only when it is truly absent; with `BYLINE_REQUIRE_SHARED_DATA=1`
/// (set by `.ci/run`) its absence fails the test instead.
pub fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var_os("BYLINE_SHARED_DATA") {
        Some(d) => {
            let p = PathBuf::from(d);
            if p.is_absolute() { p } else { root.join(p) }
        }
        None => root.join("../shared/data"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("BYLINE_REQUIRE_SHARED_DATA").is_ok_and(|v| v == "1") {
        panic!("BYLINE_REQUIRE_SHARED_DATA=1 but shared data not found at {}", dir.display());
    }
    eprintln!("skipping: shared data not found at {} (set BYLINE_SHARED_DATA)", dir.display());
    None
}

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
