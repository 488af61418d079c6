//! What a report is made from: `ReportInput`, a serde type of its own so that `byline report` can read it from a
//! JSON file and this crate depends on nothing but the model.
//!
//! Every chart's data is optional (empty or `None`): an audit fills the audit charts, a scan the scan charts, and
//! the renderers skip what is missing.

use byline_model::Finding;
use serde::{Deserialize, Serialize};

/// Which command produced the report; decides the headings and which charts are expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// `byline audit`: one researcher's works and byline.
    Audit,
    /// `byline scan`: a corpus searched for paper-mill signals.
    Scan,
    /// `byline screen`: a submission checked against lists.
    Screen,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Audit => "audit",
            ReportKind::Scan => "scan",
            ReportKind::Screen => "screen",
        }
    }

    /// The heading word a reader sees ("Audit report").
    pub fn heading(self) -> &'static str {
        match self {
            ReportKind::Audit => "Audit report",
            ReportKind::Scan => "Scan report",
            ReportKind::Screen => "Screening report",
        }
    }
}

/// Everything one report shows. Strings are untrusted metadata: every renderer escapes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportInput {
    pub kind: ReportKind,
    pub title: String,
    /// Who or what the report is about: a researcher's name and ORCID, a corpus, a submission.
    #[serde(default)]
    pub subject: Option<String>,
    pub generated_by: GeneratedBy,
    /// Sentences for the top of the report, most important first.
    #[serde(default)]
    pub summary: Vec<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The works findings point at (by `work_id`), so evidence can show titles, venues and links.
    #[serde(default)]
    pub works: Vec<EvidenceWork>,
    #[serde(default)]
    pub charts: ChartData,
}

/// How the report was made: the tool version, the command line and the method text and thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GeneratedBy {
    /// `byline 0.1.0`.
    pub version: String,
    /// The command as run, for reproducing the report.
    #[serde(default)]
    pub command: String,
    /// Method notes and thresholds, in the order they should be shown ("COA001 minimum works", "3").
    #[serde(default)]
    pub method: Vec<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

impl KeyValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), value: value.into() }
    }
}

/// A work shown as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EvidenceWork {
    pub work_id: String,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub pmid: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub venue: Option<String>,
    /// Display names in byline order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the affiliations on the work, as the source gives them.
    #[serde(default)]
    pub countries: Vec<String>,
}

/// The data behind every chart. Audit charts first, then scan charts; all optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChartData {
    /// Works per year, stacked by collaborator country (a work counts once per country on it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub works_per_year: Vec<YearCategoryCount>,
    /// Institutions over time: one lane per institution, works per year in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub institutions_over_time: Vec<InstitutionYearCount>,
    /// The co-author network around the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coauthor_network: Option<CoauthorGraph>,
    /// Ranked flag scores; when empty the report ranks `findings` by score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flag_scores: Vec<LabeledScore>,
    /// Scan: template family sizes (number of works per family).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub template_families: Vec<LabeledCount>,
    /// Scan: one family's members, per year, stacked by venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_timeline: Option<FamilyTimeline>,
    /// Scan: tortured-phrase hits per venue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tortured_phrases_per_venue: Vec<LabeledCount>,
    /// Scan: distributions of detector scores, each with the threshold that flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub score_distributions: Vec<ScoreDistribution>,
}

/// One stacked-bar segment: `count` works in `year` for `category` (a country, a venue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCategoryCount {
    pub year: i32,
    pub category: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionYearCount {
    pub institution: String,
    pub year: i32,
    pub count: u32,
}

/// The co-author graph: the subject, their co-authors, and who wrote with whom.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CoauthorGraph {
    pub nodes: Vec<CoauthorNode>,
    pub edges: Vec<CoauthorEdge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoauthorNode {
    pub id: String,
    pub label: String,
    /// Works in common with the subject (the subject's own node: their number of works).
    pub weight: f64,
    /// Named in a finding (e.g. a co-author seen on one flagged work only).
    #[serde(default)]
    pub flagged: bool,
    /// The researcher the audit is about; drawn at the centre.
    #[serde(default)]
    pub is_subject: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoauthorEdge {
    pub source: String,
    pub target: String,
    /// Works the two share.
    pub weight: f64,
    /// The shared works include a flagged one.
    #[serde(default)]
    pub flagged: bool,
}

/// A labelled score for the ranked-flags chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabeledScore {
    pub label: String,
    pub score: f64,
    pub severity: byline_model::Severity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledCount {
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyTimeline {
    pub family_id: String,
    /// Members per year, stacked by venue.
    pub members: Vec<YearCategoryCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreDistribution {
    /// What was scored, e.g. `TOR001 tortured phrases per 1k words`.
    pub name: String,
    pub scores: Vec<f64>,
    /// The score at or above which the detector flags.
    #[serde(default)]
    pub threshold: Option<f64>,
}

impl ReportInput {
    /// The evidence work with this id, if the input carries it.
    pub fn work(&self, work_id: &str) -> Option<&EvidenceWork> {
        self.works.iter().find(|w| w.work_id == work_id)
    }
}
