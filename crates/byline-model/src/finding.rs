//! The one shape every finding takes, whatever detector produced it (see `ARCHITECTURE.md`).

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Work { work_id: String },
    Authorship { work_id: String, position: u32 },
    Person { person_id: String },
    Affiliation { raw: String },
    Family { family_id: String },
    Submission { name: String },
}

/// A piece of evidence behind a finding: a work, a string, a list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `work`, `string`, `list_entry`, `phrase`…
    pub kind: String,
    pub work_id: Option<String>,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub text: Option<String>,
}

/// One finding: a stable code, what it is about, how serious, why (in sentences), and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id like a lint code: `COA001`, `AFF002`, `LST001`, `TPL001`, `TOR001`, `RET001`.
    pub code: String,
    pub subject: Subject,
    pub severity: Severity,
    /// A score in `[0, 1]` where the detector has one.
    pub score: f64,
    /// Sentences a committee can read.
    pub reasons: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// The key findings are sorted by ([`sort_findings`]): code, then the subject (as its JSON), then reasons.
pub type FindingSortKey = (String, String, Vec<String>);

/// `f`'s sort key (see [`sort_findings`]); an external merge of sorted runs compares these.
pub fn finding_sort_key(f: &Finding) -> FindingSortKey {
    (f.code.clone(), serde_json::to_string(&f.subject).unwrap_or_default(), f.reasons.clone())
}

/// Sorts findings deterministically: by code, then subject, then reasons, so the same input gives the same
/// bytes out whatever order detectors ran in. Each key is computed once (the subject's JSON is not cheap).
/// The sort is stable: equal keys keep their order.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_cached_key(finding_sort_key);
}
