//! The audit pipeline end to end on the bundled sample (`datasets/sample`, the demo's planted researcher):
//! ingest, `run_audit`, the report input; and the one code the application layer emits itself (`AUD001`, a
//! work's combined verdict), snapshotted.

use std::path::Path;

use byline_app::audit::{AuditRequest, run_audit};
use byline_app::report::audit_report_input;
use byline_app::ui::Silent;
use byline_corpus::{IngestOptions, ingest};
use byline_model::Severity;

#[test]
fn the_sample_audit_flags_the_planted_works_and_its_report_leads_with_aud001() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/sample");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample.join(".truth.json")).expect("the sample's truth"))
            .expect("truth JSON");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let corpus = dir.path().join("corpus");
    ingest(&[sample], &corpus, &IngestOptions::default(), &()).expect("the sample ingests");

    let orcid = truth["orcid"].as_str().map(str::to_owned);
    let name = truth["name"].as_str().map(str::to_owned);
    let run = run_audit(&AuditRequest::new(corpus, orcid, name), &Silent).expect("the audit runs");
    let planted: Vec<&str> =
        truth["planted_dois"].as_array().expect("planted DOIs").iter().filter_map(|d| d.as_str()).collect();
    assert!(!planted.is_empty());
    let flagged: Vec<&str> = run
        .output
        .audit
        .works
        .iter()
        .filter(|w| w.severity >= Severity::Medium)
        .filter_map(|w| w.doi.as_deref())
        .collect();
    for doi in &planted {
        assert!(flagged.contains(doi), "planted {doi} not flagged: {flagged:?}");
    }

    let input = audit_report_input(&run.output, &run.works, "byline audit (test)");
    let first = input.findings.first().expect("a finding");
    assert_eq!(first.code, "AUD001");
    insta::assert_json_snapshot!("aud001", first);
}
