//! Findings as a Parquet table, one row per finding, for analysts who load scan results into polars, pandas
//! or DuckDB. The JSON file next to it keeps the full shape (evidence kinds and texts); this table keeps what
//! is queried: code, subject, severity, score, reasons and the evidence's work ids and DOIs.

use std::fs::File;
use std::path::Path;

use byline_model::{Finding, Subject};
use polars::prelude::*;

use crate::schema::{Kind, Row, TableBuf, strs};
use crate::{CorpusError, io_err, pq_err};

/// The columns of the findings table, in order.
pub(crate) const FINDINGS: &[(&str, Kind)] = &[
    ("code", Kind::Str),
    ("subject_kind", Kind::Str),
    ("subject_id", Kind::Str),
    ("severity", Kind::Str),
    ("score", Kind::F64),
    ("reasons", Kind::ListStr),
    ("evidence_work_ids", Kind::ListStr),
    ("evidence_dois", Kind::ListStr),
];

/// Writes `findings` (in the order given) to a Parquet file at `path` (zstd, like the corpus tables).
pub fn write_findings_parquet(findings: &[Finding], path: &Path) -> Result<(), CorpusError> {
    let mut buf = TableBuf::new(FINDINGS);
    for f in findings {
        let (kind, id) = subject_kind_and_id(&f.subject);
        let work_ids: Vec<String> = f.evidence.iter().filter_map(|e| e.work_id.clone()).collect();
        let dois: Vec<String> = f.evidence.iter().filter_map(|e| e.doi.clone()).collect();
        Row::start(&mut buf)
            .s(Some(&f.code))
            .s(Some(kind))
            .s(Some(&id))
            .s(Some(f.severity.as_str()))
            .f64(Some(f.score))
            .list(strs(&f.reasons))
            .list(strs(&work_ids))
            .list(strs(&dois))
            .end();
    }
    let mut df = buf.take_frame().map_err(|e| pq_err(path, e))?;
    let file = File::create(path).map_err(|e| io_err(path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)
        .map_err(|e| pq_err(path, e))?;
    Ok(())
}

/// The subject's kind (`work`, `family`…, as in the JSON) and its identifier (an authorship is
/// `work_id#position`).
fn subject_kind_and_id(subject: &Subject) -> (&'static str, String) {
    match subject {
        Subject::Work { work_id } => ("work", work_id.clone()),
        Subject::Authorship { work_id, position } => ("authorship", format!("{work_id}#{position}")),
        Subject::Person { person_id } => ("person", person_id.clone()),
        Subject::Affiliation { raw } => ("affiliation", raw.clone()),
        Subject::Family { family_id } => ("family", family_id.clone()),
        Subject::Submission { name } => ("submission", name.clone()),
    }
}
