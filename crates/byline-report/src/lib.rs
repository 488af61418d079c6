//! Reports people read: charts (SVG via plotters), one self-contained HTML file, Markdown for e-mail, JSON/CSV for
//! machines, and network exports (GraphML, GEXF, VOSviewer) for the tools analysts already use.
//!
//! The input is [`ReportInput`], a serde type of this crate's own (findings are the model's [`Finding`]), so the
//! CLI can build it from an audit, scan or screen, or read it back from JSON for `byline report`.
//!
//! Architecture invariant: every string from metadata is untrusted and leaves this crate through exactly one
//! escaper in [`escape`]; output is deterministic (same input, same bytes).
//!
//! ```no_run
//! let input = byline_report::sample_input();
//! let html = byline_report::render_html(&input).expect("charts render");
//! std::fs::write("report.html", html).expect("writable");
//! ```

pub mod charts;
pub mod escape;
mod html;
pub mod i18n;
mod input;
pub mod layout;
mod machine;
mod markdown;
pub mod network;
#[cfg(feature = "png")]
pub mod png;
mod sample;
pub mod scaling;

use byline_model::{Finding, Subject};

pub use charts::{Chart, render_charts};
pub use html::{render_html, render_html_lang};
pub use i18n::Lang;
pub use input::{
    ChartData, CoauthorEdge, CoauthorGraph, CoauthorNode, EvidenceWork, FamilyTimeline, GeneratedBy,
    InstitutionYearCount, KeyValue, LabeledCount, LabeledScore, ReportInput, ReportKind, ScoreDistribution,
    YearCategoryCount,
};
pub use machine::{findings_csv, findings_json, report_json};
pub use markdown::render_markdown;
pub use network::{AttrValue, Edge, Network, Node};
#[cfg(feature = "png")]
pub use png::svg_to_png;
pub use sample::{sample_input, sample_scan_input};

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// plotters failed to draw a chart (a backend or layout error, not bad data).
    #[error("drawing a chart failed: {0}")]
    Chart(String),
    #[error("serializing JSON failed: {0}")]
    Json(#[from] serde_json::Error),
    /// Rasterizing a chart to PNG failed (the `png` feature): a bad scale or SVG, or the image is too large.
    #[error("rendering a PNG failed: {0}")]
    Png(String),
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>> for ReportError {
    fn from(error: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ReportError::Chart(error.to_string())
    }
}

/// A short human label for a finding's subject: the work's title when the input carries it, else the id.
pub fn subject_label(input: &ReportInput, subject: &Subject) -> String {
    let work_title = |work_id: &str| {
        input.work(work_id).filter(|w| !w.title.is_empty()).map(|w| w.title.clone()).unwrap_or_else(|| work_id.into())
    };
    match subject {
        Subject::Work { work_id } => work_title(work_id),
        Subject::Authorship { work_id, position } => format!("author {position} of {}", work_title(work_id)),
        Subject::Person { person_id } => person_id.clone(),
        Subject::Affiliation { raw } => raw.clone(),
        Subject::Family { family_id } => format!("family {family_id}"),
        Subject::Submission { name } => name.clone(),
    }
}

/// The subject's kind as a word (`work`, `authorship`…), for tables and CSV.
pub fn subject_kind(subject: &Subject) -> &'static str {
    match subject {
        Subject::Work { .. } => "work",
        Subject::Authorship { .. } => "authorship",
        Subject::Person { .. } => "person",
        Subject::Affiliation { .. } => "affiliation",
        Subject::Family { .. } => "family",
        Subject::Submission { .. } => "submission",
    }
}

/// The subject's id as written in machine outputs (`W1#3` for an authorship).
pub fn subject_id(subject: &Subject) -> String {
    match subject {
        Subject::Work { work_id } => work_id.clone(),
        Subject::Authorship { work_id, position } => format!("{work_id}#{position}"),
        Subject::Person { person_id } => person_id.clone(),
        Subject::Affiliation { raw } => raw.clone(),
        Subject::Family { family_id } => family_id.clone(),
        Subject::Submission { name } => name.clone(),
    }
}

/// Findings in report order: most severe first, then highest score, then code and subject (stable ties).
pub fn ranked_findings(findings: &[Finding]) -> Vec<&Finding> {
    let mut ranked: Vec<&Finding> = findings.iter().collect();
    ranked.sort_by(|a, b| rank_order(a, b));
    ranked
}

/// The order of [`ranked_findings`]: `Less` when `a` is shown before `b`.
pub fn rank_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then(b.score.total_cmp(&a.score))
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| subject_id(&a.subject).cmp(&subject_id(&b.subject)))
}
