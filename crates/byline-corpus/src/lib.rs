//! The byline corpus on disk: Parquet tables joined by `work_id`, a `manifest.json`, atomic writes.
//!
//! Layout of a corpus directory (documented for users in `docs/corpus-schema.md`):
//!
//! ```text
//! corpus/
//!   manifest.json                  byline + schema version, per-file counts (read, written, rejected)
//!   works/part-SSSSS-CCCC.parquet  one row per work
//!   authorships/…                  one row per byline position
//!   affiliations/…                 one row per (author, affiliation)
//!   funding/…  references/…  relations/…
//!   diagnostics/…                  every rejected record and warning, with file and position
//!   deleted/…                      PubMed DeleteCitation PMIDs
//! ```
//!
//! Every table is partitioned identically: part `S`-`C` of `authorships` holds exactly the authorships of
//! the works in part `S`-`C` of `works`, so works can be rebuilt part by part with bounded memory.

mod findings;
mod frames;
mod manifest;
mod read;
mod schema;
mod stats;
mod write;

pub use findings::{FindingsParquetWriter, write_findings_parquet};
pub use frames::TableFrames;
pub use manifest::{FileRecord, Manifest, Totals};
pub use read::{AuthorshipNames, CorpusReader, WorkFields, WorkFilter, read_manifest};
pub use schema::{TABLES, Table};
pub use stats::{CorpusStats, Coverage, corpus_stats};
pub use write::{CorpusWriter, IngestOptions, IngestProgress, PartCompression, ingest};

/// Errors from reading or writing a corpus.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: parquet: {message}")]
    Parquet { path: String, message: String },
    #[error("{path}: not a byline corpus ({reason})")]
    NotACorpus { path: String, reason: String },
    #[error("{path}: manifest: {source}")]
    Manifest {
        path: String,
        #[source]
        source: serde_json::Error,
    },
}

pub(crate) fn io_err(path: &std::path::Path, source: std::io::Error) -> CorpusError {
    CorpusError::Io { path: path.display().to_string(), source }
}

pub(crate) fn pq_err(path: &std::path::Path, e: impl std::fmt::Display) -> CorpusError {
    CorpusError::Parquet { path: path.display().to_string(), message: e.to_string() }
}
