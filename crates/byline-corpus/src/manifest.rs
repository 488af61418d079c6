//! `manifest.json`: what a corpus holds and how every input file was accounted for.

use serde::{Deserialize, Serialize};

/// One input file's accounting: `records_seen = works + rejected` always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub format: Option<String>,
    pub bytes: u64,
    pub records_seen: u64,
    pub works: u64,
    pub rejected: u64,
    pub warnings: u64,
    pub deleted: u64,
    /// Why the file failed as a whole, if it did (records read before the failure are kept).
    pub file_error: Option<String>,
    /// Why the file was skipped (format not recognized), if it was.
    pub skipped: Option<String>,
}

/// Sums over all files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub files: u64,
    pub files_failed: u64,
    pub files_skipped: u64,
    pub bytes: u64,
    pub records_seen: u64,
    pub works: u64,
    pub rejected: u64,
    pub warnings: u64,
    pub deleted: u64,
}

impl Totals {
    pub fn from_files(files: &[FileRecord]) -> Totals {
        let mut t = Totals { files: files.len() as u64, ..Totals::default() };
        for f in files {
            t.files_failed += u64::from(f.file_error.is_some());
            t.files_skipped += u64::from(f.skipped.is_some());
            t.bytes += f.bytes;
            t.records_seen += f.records_seen;
            t.works += f.works;
            t.rejected += f.rejected;
            t.warnings += f.warnings;
            t.deleted += f.deleted;
        }
        t
    }
}

/// The corpus manifest. Deterministic: no timestamps, files in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub byline_version: String,
    pub schema_version: u32,
    pub totals: Totals,
    pub files: Vec<FileRecord>,
    /// Part file stems (`part-00000-0000`), the same in every table.
    pub parts: Vec<String>,
}
