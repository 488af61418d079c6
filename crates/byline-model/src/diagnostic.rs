//! Diagnostics: bad data is data. Readers yield records *and* diagnostics naming file, position, reason.

use serde::{Deserialize, Serialize};

/// Where in an input a problem was found. Every field is optional because not every reader knows every one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Position {
    /// 0-based index of the record within its file, when the problem belongs to one record.
    pub record_index: Option<u64>,
    /// 1-based line number.
    pub line: Option<u64>,
    /// Byte offset in the decompressed stream.
    pub byte_offset: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(r) = self.record_index {
            parts.push(format!("record {r}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(b) = self.byte_offset {
            parts.push(format!("byte {b}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// What kind of problem a diagnostic reports; decides how it is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// One record could not be used; it is counted as rejected and the file goes on.
    RecordRejected,
    /// The file as a whole failed (not this format, truncated gzip, malformed beyond recovery). Records read
    /// before the failure are kept; the rest of the file is lost and the run says so.
    FileError,
    /// The record was kept but something in it was dropped or repaired (an ORCID with a bad checksum, a
    /// date that could not be read). Counted, never silent.
    Warning,
}

/// A problem found in an input, with enough context to find it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub path: String,
    pub position: Position,
    pub reason: String,
}

impl Diagnostic {
    pub fn new(kind: DiagnosticKind, path: &str, position: Position, reason: impl Into<String>) -> Diagnostic {
        Diagnostic { kind, path: path.to_owned(), position, reason: reason.into() }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            DiagnosticKind::RecordRejected => "rejected",
            DiagnosticKind::FileError => "file error",
            DiagnosticKind::Warning => "warning",
        };
        let pos = self.position.to_string();
        if pos.is_empty() {
            write!(f, "{}: {kind}: {}", self.path, self.reason)
        } else {
            write!(f, "{}: {pos}: {kind}: {}", self.path, self.reason)
        }
    }
}
