//! Streaming readers: files in, [`Work`] records and [`Diagnostic`]s out.
//!
//! Entry points: [`read_path`] reads one file (format sniffed from content, gzip by magic bytes) and
//! reports every record and every problem to a sink; [`collect_inputs`] expands directories. Readers never
//! panic on input and never hold more than one record in memory; counting is done here, once, so that
//! `records_seen = works + rejected` holds for every file whatever the reader does.

pub mod detect;
pub mod input;
pub mod text;

mod bibtex;
mod crossref;
mod exports;
mod jats;
mod json;
mod jstage;
mod medline;
mod names;
mod openalex;
mod pubmed;
mod ris;
mod scopus;
mod wos;
mod xml;

use std::path::{Path, PathBuf};

use byline_model::{Diagnostic, DiagnosticKind, Format, Position, Work};
pub use detect::sniff_format;
pub use input::{InputError, open_input};

/// What a reader reports while it streams a file.
#[derive(Debug)]
pub enum Event {
    /// A record read successfully (it may carry warnings, reported separately).
    Work(Box<Work>),
    /// A record that could not be used. Counted as rejected.
    Rejected(Diagnostic),
    /// Something dropped or repaired inside a kept record.
    Warning(Diagnostic),
    /// A PubMed `DeleteCitation` entry: an instruction to delete an earlier record, not a record.
    Deleted { pmid: String },
}

/// The outcome of reading one file: counts that always reconcile (`records_seen = works + rejected`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileSummary {
    pub path: String,
    pub format: Option<Format>,
    /// Decompressed bytes read.
    pub bytes: u64,
    pub records_seen: u64,
    pub works: u64,
    pub rejected: u64,
    pub warnings: u64,
    pub deleted: u64,
    /// Set when the file failed as a whole (records before the failure are still counted and kept).
    pub file_error: Option<Diagnostic>,
    /// Set when the file was not read because its format was not recognized.
    pub skipped: Option<String>,
}

/// Reads one file, sending every record and diagnostic to `sink`. `format` forces a reader; otherwise the
/// format is sniffed from the first bytes. Never panics; never returns without a summary.
pub fn read_path(path: &Path, format: Option<Format>, sink: &mut dyn FnMut(Event)) -> FileSummary {
    let display = path.display().to_string();
    let mut summary = FileSummary { path: display.clone(), ..FileSummary::default() };
    let mut input = match open_input(path) {
        Ok(i) => i,
        Err(e) => {
            summary.file_error =
                Some(Diagnostic::new(DiagnosticKind::FileError, &display, Position::default(), e.to_string()));
            return summary;
        }
    };
    let format = match format {
        Some(f) => f,
        None => match input.peek().map(|head| (head.is_empty(), sniff_format(head, &display))) {
            Ok((true, _)) => {
                let reason = if input.is_gzip() { "empty file (no bytes after gzip decoding)" } else { "empty file" };
                summary.file_error =
                    Some(Diagnostic::new(DiagnosticKind::FileError, &display, Position::default(), reason));
                return summary;
            }
            Ok((false, Some(f))) => f,
            Ok((false, None)) => {
                summary.skipped = Some("not a recognized publication-metadata format".to_owned());
                return summary;
            }
            Err(e) => {
                summary.file_error =
                    Some(Diagnostic::new(DiagnosticKind::FileError, &display, Position::default(), e.to_string()));
                return summary;
            }
        },
    };
    summary.format = Some(format);
    let result = {
        let mut counting = |event: Event| {
            match &event {
                Event::Work(_) => {
                    summary.records_seen += 1;
                    summary.works += 1;
                }
                Event::Rejected(_) => {
                    summary.records_seen += 1;
                    summary.rejected += 1;
                }
                Event::Warning(_) => summary.warnings += 1,
                Event::Deleted { .. } => summary.deleted += 1,
            }
            sink(event);
        };
        read_stream(format, &mut input, &display, &mut counting)
    };
    summary.bytes = input.bytes_read();
    if let Err(diag) = result {
        summary.file_error = Some(diag);
    }
    summary
}

/// Reads an already opened stream with the given format's reader.
pub fn read_stream(
    format: Format,
    input: &mut input::Input,
    path: &str,
    sink: &mut dyn FnMut(Event),
) -> Result<(), Diagnostic> {
    match format {
        Format::Pubmed => pubmed::read(input, path, sink),
        Format::Jats => jats::read(input, path, sink),
        Format::Crossref => crossref::read(input, path, sink),
        Format::Openalex => openalex::read(input, path, sink),
        Format::ScopusCsv => scopus::read(input, path, sink),
        Format::WosPlain => wos::read(input, path, sink),
        Format::WosTab => wos::read_tab(input, path, sink),
        Format::Ris => ris::read(input, path, sink),
        Format::Bibtex => bibtex::read(input, path, sink),
        Format::Medline => medline::read(input, path, sink),
        Format::Jstage => jstage::read(input, path, sink),
        other => Err(Diagnostic::new(
            DiagnosticKind::FileError,
            path,
            Position::default(),
            format!("no reader for format {other} yet"),
        )),
    }
}

/// Expands the given paths: files as they are, directories recursively (sorted, hidden entries skipped).
/// Paths that do not exist are returned as errors so the caller can report them.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        walk(p, &mut files, &mut errors);
    }
    (files, errors)
}

fn walk(path: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
                    .collect();
                children.sort();
                for c in children {
                    walk(&c, files, errors);
                }
            }
            Err(e) => errors.push((path.to_path_buf(), e.to_string())),
        },
        Ok(_) => files.push(path.to_path_buf()),
        Err(e) => errors.push((path.to_path_buf(), e.to_string())),
    }
}
