//! `byline-bench generate`, and `byline-bench ingest` on a generated corpus.

use crate::support::{bench, bench_json, root, s};

#[test]
fn the_bundled_sample_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sample");
    let r = bench(&[
        "generate",
        "--out",
        s(&out),
        "--works",
        "400",
        "--formats",
        "pubmed,openalex,crossref",
        "--records-per-file",
        "150",
        "--seed",
        "7",
        "--plant-audit",
        "4",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    for name in [
        "pubmed-0000.xml.gz",
        "openalex-0001.jsonl.gz",
        "crossref-0002.jsonl.gz",
        "planted-audit.xml.gz",
        ".truth.json",
    ] {
        let fresh = std::fs::read(out.join(name)).expect("generated");
        let bundled = std::fs::read(root().join("datasets/sample").join(name)).expect("bundled");
        assert!(fresh == bundled, "{name}: datasets/sample is stale; regenerate it (see datasets/README.md)");
    }
}

#[test]
fn bench_ingest_reports_rows_against_the_raw_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) = bench_json(&["ingest", "--size", "500", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["records"], 500);
    assert_eq!(rows[2]["records"], 500);
    for r in rows {
        assert!(r["mb_per_s"].as_f64().unwrap_or(0.0) > 0.0, "{r}");
    }
    assert!((rows[0]["ratio_to_baseline"].as_f64().unwrap_or(0.0) - 1.0).abs() < 1e-9);
    assert!(report["peak_rss_bytes"].as_u64().unwrap_or(0) > 0);
}
