//! `byline-bench minhash|graph` and `--sizes` at tiny sizes: tests of correctness (tables, quality figures,
//! the scaling CSV), not of speed. Peers are not run here (no Python needed).

use crate::support::{bench_command, bench_json, quality, s};

#[test]
fn bench_minhash_reports_rows_and_recall_on_planted_near_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) = bench_json(&["minhash", "--size", "400", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "a quality bar missed: {report}");
    assert_eq!(report["suite"], "minhash");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2, "{report}");
    for r in rows {
        assert_eq!(r["records"], 400, "{r}");
        assert!(r["records_per_s"].as_f64().unwrap_or(0.0) > 0.0, "{r}");
    }
    let recall = quality(&report, "recall");
    assert!(recall["value"].as_f64().unwrap_or(0.0) >= 0.9, "{recall}");
    assert_eq!(recall["meets_bar"], true);
    assert!(quality(&report, "precision")["value"].as_f64().is_some());
    assert!(report["peak_rss_bytes"].as_u64().unwrap_or(0) > 0);
    // The shared input the peers read is in the cache dir.
    assert!(dir.path().join("minhash-seed7-n400.jsonl").is_file());
}

#[test]
fn bench_minhash_streams_any_jsonl_with_numeric_ids_blank_lines_and_missing_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("mine.jsonl");
    let base = "Cell proliferation was measured with the CCK-8 assay and migration with the transwell assay in \
        forty paired tissues, and luciferase reporter assays confirmed the direct target of the microRNA in each \
        of the three cell lines studied here over two years";
    let copy = base.replace("forty", "fifty");
    let lines = [
        serde_json::json!({"id": 1, "text": base}).to_string(),
        String::new(),
        serde_json::json!({"id": 2, "text": null}).to_string(),
        serde_json::json!({"id": 3, "text": "An unrelated note on soil moisture and wheat yield."}).to_string(),
        "   ".to_owned(),
        serde_json::json!({"id": 4, "text": copy, "duplicate_of": 1}).to_string(),
        serde_json::json!({"id": "no-text"}).to_string(),
    ];
    std::fs::write(&input, lines.join("\n")).expect("write");
    let (code, report) = bench_json(&["minhash", "--input", s(&input), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    for r in report["rows"].as_array().expect("rows") {
        assert_eq!(r["records"], 5, "blank lines are not records: {r}");
    }
    assert_eq!(quality(&report, "recall")["value"], 1.0, "{report}");
    assert!(report["notes"].to_string().contains("1 planted near-duplicate pairs"), "{report}");
}

#[test]
fn bench_graph_reports_rows_identity_quality_and_modularity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) = bench_json(&["graph", "--size", "600", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "a quality bar missed: {report}");
    assert_eq!(report["suite"], "graph");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "{report}");
    assert!(rows.iter().all(|r| r["records"] == 600), "{report}");
    for name in ["precision", "recall", "f1"] {
        let v = quality(&report, name)["value"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&v), "{name} {v}");
    }
    let modularity = quality(&report, "modularity")["value"].as_f64().unwrap_or(0.0);
    assert!(modularity > 0.3, "labs should make a modular co-author graph: {modularity}");
}

#[test]
fn peers_without_their_venv_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bench_command(&["minhash", "--size", "200", "--peers", "--format", "json", "--cache"])
        .arg(dir.path())
        .env("BYLINE_PEERS_DIR", dir.path().join("no-peers-here"))
        .output()
        .expect("byline-bench runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(2));
    let notes = report["notes"].to_string();
    assert!(notes.contains("peers skipped") && notes.contains("setup.sh"), "{notes}");
}

#[test]
fn sizes_write_one_csv_line_per_size_and_a_chart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let (code, result) =
        bench_json(&["minhash", "--sizes", "200,400", "--cache", s(dir.path()), "--out", s(&out), "--format", "json"]);
    assert_eq!(code, 0, "{result}");
    let csv = std::fs::read_to_string(out.join("scaling-minhash.csv")).expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "size,wall_s,records_per_s,peak_rss_bytes");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("200,") && lines[2].starts_with("400,"), "{csv}");
    for line in &lines[1..] {
        let rss: u64 = line.rsplit(',').next().and_then(|v| v.parse().ok()).unwrap_or(0);
        assert!(rss > 0, "peak RSS per size: {line}");
    }
    let svg = std::fs::read_to_string(out.join("scaling-minhash.svg")).expect("svg");
    assert!(svg.starts_with("<svg"));
    assert!(result["time_exponent"].as_f64().is_some(), "{result}");
}
