//! Findings for machines: JSON (the model's own serde shape) and CSV (one row per finding).
//!
//! Both list findings in report order ([`ranked_findings`]): most severe, then highest score first.

use std::fmt::Write as _;

use byline_model::Finding;

use crate::escape::escape_csv;
use crate::{ReportError, ReportInput, ranked_findings, subject_id, subject_kind};

/// The findings as a pretty-printed JSON array, in report order.
pub fn findings_json(findings: &[Finding]) -> Result<String, ReportError> {
    let mut json = serde_json::to_string_pretty(&ranked_findings(findings))?;
    json.push('\n');
    Ok(json)
}

/// The whole report input as JSON, the file `byline report` reads back.
pub fn report_json(input: &ReportInput) -> Result<String, ReportError> {
    let mut json = serde_json::to_string_pretty(input)?;
    json.push('\n');
    Ok(json)
}

/// The CSV header [`findings_csv`] writes.
pub const FINDINGS_CSV_HEADER: &str =
    "rank,code,severity,score,subject_kind,subject_id,reasons,evidence_work_ids,evidence_dois,evidence_pmids";

/// One row per finding; lists inside a cell are joined with ` | ` (reasons) or `;` (ids).
pub fn findings_csv(findings: &[Finding]) -> String {
    let mut out = String::from(FINDINGS_CSV_HEADER);
    out.push('\n');
    for (i, finding) in ranked_findings(findings).into_iter().enumerate() {
        let collect = |field: fn(&byline_model::Evidence) -> Option<&String>| {
            finding.evidence.iter().filter_map(field).map(String::as_str).collect::<Vec<_>>().join(";")
        };
        let _ = writeln!(
            out,
            "{},{},{},{:.4},{},{},{},{},{},{}",
            i + 1,
            escape_csv(&finding.code),
            finding.severity.as_str(),
            finding.score,
            subject_kind(&finding.subject),
            escape_csv(&subject_id(&finding.subject)),
            escape_csv(&finding.reasons.join(" | ")),
            escape_csv(&collect(|e| e.work_id.as_ref())),
            escape_csv(&collect(|e| e.doi.as_ref())),
            escape_csv(&collect(|e| e.pmid.as_ref())),
        );
    }
    out
}
