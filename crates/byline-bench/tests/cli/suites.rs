//! The detector bench suites at small sizes, as correctness tests: each must print its table and meet the
//! quality bars its issue sets (the command exits 3 when a bar is missed).

use crate::support::{bench_json, quality, s};

#[test]
fn bench_audit_meets_the_issue_bars_on_planted_truth() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 120 researchers (~7,000 works) is the smallest size where recall is stable across seeds.
    let (code, r) = bench_json(&["audit", "--size", "120", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "a quality bar was missed: {r}");
    assert!(quality(&r, "recall")["value"].as_f64().unwrap_or(0.0) >= 0.9);
    assert!(quality(&r, "false_flag_rate")["value"].as_f64().unwrap_or(1.0) <= 0.02);
    assert!(quality(&r, "clean_researchers_with_high")["value"].as_f64().unwrap_or(1.0) <= 0.01);
    assert!(!r["rows"].as_array().is_none_or(Vec::is_empty));
}

#[test]
fn bench_papermill_finds_the_planted_families() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, r) = bench_json(&["papermill", "--size", "2000", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "{r}");
    assert!(quality(&r, "family_recall")["value"].as_f64().unwrap_or(0.0) >= 0.9);
    assert!(quality(&r, "family_precision")["value"].as_f64().unwrap_or(0.0) >= 0.9);
    // Detected families match planted ones one to one, give or take the misses and fragments the 0.9 bars
    // allow: an exact count is no stronger a check (a missed family plus a spurious fragment also add up).
    let count = |name: &str| quality(&r, name)["value"].as_f64().unwrap_or(-1.0);
    let (planted, detected) = (count("planted_families"), count("detected_families"));
    assert!(planted >= 5.0 && (planted - detected).abs() <= planted / 10.0, "{planted} planted, {detected} detected");
}

#[test]
fn bench_scan_runs_every_detector_and_resumes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, r) = bench_json(&["scan", "--size", "2000", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "{r}");
    let rows = r["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "{r}");
    assert!(quality(&r, "template_families")["value"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(r["peak_rss_bytes"].as_u64().unwrap_or(0) > 0);
}
