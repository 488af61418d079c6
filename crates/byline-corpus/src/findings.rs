//! Findings as a Parquet table, one row per finding, for analysts who load scan results into polars, pandas
//! or DuckDB. The JSON file next to it keeps the full shape (evidence kinds and texts); this table keeps what
//! is queried: code, subject, severity, score, reasons and the evidence's work ids and DOIs.

use std::fs::File;
use std::path::{Path, PathBuf};

use byline_model::{Finding, Subject};
use polars::io::parquet::write::BatchedWriter;
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

/// Rows a row group of the findings table holds: the rows buffered in memory at a time (~0.4 KB a finding).
/// polars' default (512 × 512) held ~100 MB of findings at once in the 5M-work scan, more than all its passes.
const ROW_GROUP: usize = 1 << 16;

/// Writes `findings` (in the order given) to a Parquet file at `path` (zstd, like the corpus tables).
pub fn write_findings_parquet(findings: &[Finding], path: &Path) -> Result<(), CorpusError> {
    let mut w = FindingsParquetWriter::create(path)?;
    for f in findings {
        w.push(f)?;
    }
    w.finish()
}

/// The findings table written a finding at a time, in the order pushed, holding at most one row group
/// ([`ROW_GROUP`] rows) in memory: a scan's merge streams every finding of the corpus through it.
pub struct FindingsParquetWriter {
    path: PathBuf,
    buf: TableBuf,
    writer: BatchedWriter<File>,
    rows_written: u64,
}

impl FindingsParquetWriter {
    /// Creates (truncates) the file at `path`.
    pub fn create(path: &Path) -> Result<FindingsParquetWriter, CorpusError> {
        let mut buf = TableBuf::new(FINDINGS);
        let empty = buf.take_frame().map_err(|e| pq_err(path, e))?;
        let file = File::create(path).map_err(|e| io_err(path, e))?;
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .batched(empty.schema())
            .map_err(|e| pq_err(path, e))?;
        Ok(FindingsParquetWriter { path: path.to_path_buf(), buf, writer, rows_written: 0 })
    }

    /// Appends one finding; a full row group is encoded and written.
    pub fn push(&mut self, f: &Finding) -> Result<(), CorpusError> {
        let (kind, id) = subject_kind_and_id(&f.subject);
        let work_ids: Vec<String> = f.evidence.iter().filter_map(|e| e.work_id.clone()).collect();
        let dois: Vec<String> = f.evidence.iter().filter_map(|e| e.doi.clone()).collect();
        Row::start(&mut self.buf)
            .s(Some(&f.code))
            .s(Some(kind))
            .s(Some(&id))
            .s(Some(f.severity.as_str()))
            .f64(Some(f.score))
            .list(strs(&f.reasons))
            .list(strs(&work_ids))
            .list(strs(&dois))
            .end();
        if self.buf.rows() >= ROW_GROUP { self.flush() } else { Ok(()) }
    }

    fn flush(&mut self) -> Result<(), CorpusError> {
        let df = self.buf.take_frame().map_err(|e| pq_err(&self.path, e))?;
        self.rows_written += df.height() as u64;
        self.writer.write_batch(&df).map_err(|e| pq_err(&self.path, e))
    }

    /// Writes the last rows and the footer. A table with no finding is still a table (its columns, no row).
    pub fn finish(mut self) -> Result<(), CorpusError> {
        if self.buf.rows() > 0 || self.rows_written == 0 {
            self.flush()?;
        }
        self.writer.finish().map_err(|e| pq_err(&self.path, e))?;
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use byline_model::{Evidence, Severity};

    #[test]
    fn a_table_of_several_row_groups_reads_back_whole_and_in_order() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let n = 2 * ROW_GROUP + 17;
        let findings: Vec<Finding> = (0..n)
            .map(|i| Finding {
                code: if i % 3 == 0 { "BYL003" } else { "TPL001" }.to_owned(),
                subject: Subject::Work { work_id: format!("w{i}") },
                severity: Severity::Low,
                score: i as f64 / n as f64,
                reasons: vec![format!("reason {i}")],
                evidence: (0..i % 3)
                    .map(|j| Evidence {
                        kind: "work".to_owned(),
                        work_id: Some(format!("e{i}-{j}")),
                        doi: None,
                        pmid: None,
                        text: None,
                    })
                    .collect(),
            })
            .collect();
        let path = dir.path().join("findings.parquet");
        write_findings_parquet(&findings, &path)?;
        let df = ParquetReader::new(File::open(&path)?).finish()?;
        assert_eq!(df.height(), n);
        let ids = df.column("subject_id")?.str()?;
        let scores = df.column("score")?.f64()?;
        let evidence = df.column("evidence_work_ids")?.list()?;
        for i in [0, 1, ROW_GROUP - 1, ROW_GROUP, ROW_GROUP + 1, 2 * ROW_GROUP, n - 1] {
            assert_eq!(ids.get(i), Some(format!("w{i}").as_str()), "row {i}");
            assert_eq!(scores.get(i), Some(findings[i].score), "row {i}");
            assert_eq!(evidence.get_as_series(i).map(|s| s.len()), Some(i % 3), "row {i}");
        }
        Ok(())
    }
}
