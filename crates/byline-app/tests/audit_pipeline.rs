//! The audit pipeline end to end on the bundled sample (`datasets/sample`, the demo's planted researcher):
//! ingest, `run_audit`, the reports; and the one code the application layer emits itself (`AUD001`, a work's
//! combined verdict), snapshotted.

use std::path::Path;

use byline_app::demo::{PlantedTruth, audit_sample, ingest_sample};
use byline_app::report::audit_report_input;
use byline_app::ui::Silent;
use byline_model::Subject;
use byline_report::ReportInput;

#[test]
fn the_sample_audit_flags_the_planted_works_and_its_report_leads_with_aud001() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/sample");
    let truth = PlantedTruth::read(&sample).expect("the sample's truth");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (corpus, manifest) = ingest_sample(&sample, dir.path()).expect("the sample ingests");
    assert_eq!(manifest.totals.records_seen, manifest.totals.works + manifest.totals.rejected);
    let planted = truth.planted_dois.len();
    assert!(planted > 0);

    let run = audit_sample(truth, corpus, manifest, dir.path(), &Silent).expect("the audit runs");
    assert_eq!(run.planted_flagged, planted, "every planted work is flagged medium or higher");
    // The three reports are written, and the JSON one is the report's own data.
    let json = std::fs::read_to_string(dir.path().join("report.json")).expect("report.json");
    let data: ReportInput = serde_json::from_str(&json).expect("report data");
    assert!(run.report.is_file() && dir.path().join("report.md").is_file());

    let input = audit_report_input(&run.output, &[], "byline audit (test)");
    assert_eq!(input.findings.first().map(|f| &f.code), data.findings.first().map(|f| &f.code));
    let mut first = data.findings.first().cloned().expect("a finding");
    assert_eq!(first.code, "AUD001");
    // Work ids hash the path the sample was read from: the snapshot holds everything else.
    let work_id = "[work id: hash of the sample's path]".to_owned();
    first.subject = Subject::Work { work_id: work_id.clone() };
    for e in &mut first.evidence {
        e.work_id = e.work_id.as_ref().map(|_| work_id.clone());
    }
    insta::assert_json_snapshot!("aud001", first);
}
