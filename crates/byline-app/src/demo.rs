//! `byline demo`: the main job on a sample with planted truth (the bundled `datasets/sample`): ingest it, audit
//! the researcher whose name was planted on works they did not write, write the reports, and compare the flags
//! with the truth.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use byline_corpus::{IngestOptions, Manifest, ingest};
use byline_model::Severity;

use crate::audit::{AuditOutput, AuditRequest, run_audit};
use crate::report::{audit_report_input, write_report};
use crate::ui::Ui;

/// The sample's planted truth (`.truth.json`, written by `byline-bench generate --plant-audit N`): the fields the
/// demo reads. Other fields of the file are ignored.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PlantedTruth {
    /// The researcher's name as "Family, Given".
    pub name: String,
    /// Their ORCID iD, if they have one.
    pub orcid: Option<String>,
    /// DOIs of the works planted on them.
    pub planted_dois: Vec<String>,
}

impl PlantedTruth {
    /// Reads `<sample>/.truth.json`.
    pub fn read(sample: &Path) -> anyhow::Result<PlantedTruth> {
        let path = sample.join(".truth.json");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{}: not a planted-truth file", path.display()))
    }
}

/// What the demo did and found.
pub struct DemoRun {
    pub truth: PlantedTruth,
    pub corpus: PathBuf,
    pub manifest: Manifest,
    pub output: AuditOutput,
    /// The HTML report (a Markdown and a JSON copy sit beside it).
    pub report: PathBuf,
    /// Planted works flagged medium or high, and genuine works flagged so.
    pub planted_flagged: usize,
    pub genuine_flagged: usize,
}

/// Step 1, the ingest of `sample` into `out/corpus`.
pub fn ingest_sample(sample: &Path, out: &Path) -> anyhow::Result<(PathBuf, Manifest)> {
    anyhow::ensure!(
        sample.is_dir(),
        "sample not found at {} (run from the repository root, or pass --sample)",
        sample.display()
    );
    let corpus = out.join("corpus");
    let manifest = ingest(&[sample.to_path_buf()], &corpus, &IngestOptions::default(), &())?;
    Ok((corpus, manifest))
}

/// Steps 2 and 3: the audit of the planted researcher, the reports in `out`, the comparison with the truth.
pub fn audit_sample(
    truth: PlantedTruth,
    corpus: PathBuf,
    manifest: Manifest,
    out: &Path,
    ui: &dyn Ui,
) -> anyhow::Result<DemoRun> {
    let request = AuditRequest::new(corpus.clone(), truth.orcid.clone(), Some(truth.name.clone()));
    let run = run_audit(&request, ui)?;
    let command =
        format!("byline audit --corpus {} --orcid {}", corpus.display(), truth.orcid.as_deref().unwrap_or("-"));
    let input = audit_report_input(&run.output, &run.works, &command);
    let report = out.join("report.html");
    for path in [report.clone(), out.join("report.md"), out.join("report.json")] {
        write_report(&input, &path)?;
    }
    let planted = |doi: Option<&str>| doi.is_some_and(|d| truth.planted_dois.iter().any(|p| p == d));
    let flagged = run.output.audit.works.iter().filter(|w| w.severity >= Severity::Medium);
    let (planted_flagged, genuine_flagged) =
        flagged.fold((0, 0), |(p, g), w| if planted(w.doi.as_deref()) { (p + 1, g) } else { (p, g + 1) });
    Ok(DemoRun { truth, corpus, manifest, output: run.output, report, planted_flagged, genuine_flagged })
}
