//! `byline-bench affiliations` producing its quality figures on the real screening lists in shared data.

use crate::support::{bench, bench_json, shared_data};

#[test]
fn bench_affiliations_reports_list_precision_and_recall() {
    if shared_data().is_none() {
        return;
    }
    let (code, report) = bench_json(&["affiliations", "--size", "700", "--format", "json"]);
    assert_eq!(code, 0, "a quality bar was missed: {report}");
    assert_eq!(report["suite"], "affiliations");
    let quality = report["quality"].as_array().expect("quality figures");
    let figure = |name: &str| {
        quality.iter().find(|q| q["name"] == name).unwrap_or_else(|| panic!("no {name} in {report}")).clone()
    };
    let precision = figure("precision");
    assert_eq!(precision["bar"], 0.98);
    assert!(precision["value"].as_f64().expect("number") >= 0.98, "{precision}");
    let recall = figure("recall");
    assert_eq!(recall["bar"], 0.9);
    assert!(recall["value"].as_f64().expect("number") >= 0.9, "{recall}");
    for name in ["undisclosed_affiliation_precision", "undisclosed_affiliation_recall", "undisclosed_funder_recall"] {
        assert!(figure(name)["value"].as_f64().expect("number") >= 0.9, "{name}: {report}");
    }
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows[0]["name"], "affiliation strings → all lists");
    assert_eq!(rows[1]["name"], "affiliation strings → ROR");
    assert!(rows.iter().all(|r| r["records"].as_u64().unwrap_or(0) > 500), "{report}");
    // Deterministic: the same seed plants the same truth, so the quality figures repeat exactly.
    let (_, again) = bench_json(&["affiliations", "--size", "700", "--format", "json"]);
    assert_eq!(again["quality"], report["quality"]);
}

fn notes_of(report: &serde_json::Value) -> Vec<String> {
    report["notes"].as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_owned)).collect()
}

#[test]
fn bench_affiliations_streams_strings_on_one_and_all_threads() {
    if shared_data().is_none() {
        return;
    }
    let (code, report) = bench_json(&["affiliations", "--size", "140", "--strings", "200", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    let rows = report["rows"].as_array().expect("rows");
    let named: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["name"].as_str().unwrap_or_default(), r["threads"].as_u64().unwrap_or_default()))
        .collect();
    let threads = rows[1]["threads"].as_u64().expect("threads");
    assert_eq!(
        named,
        [
            ("affiliation stream → all lists", 1),
            ("affiliation stream → all lists", threads),
            ("affiliation stream → ROR", 1),
            ("affiliation stream → ROR", threads),
            ("affiliation stream → ROR, score only", threads),
        ],
        "{report}"
    );
    assert!(
        notes_of(&report).iter().any(|n| n.contains("the ranker takes") && n.contains("by score")),
        "the ranker's cost is reported against scoring alone: {report}"
    );
    assert_eq!(rows[0]["ratio_to_baseline"], 1.0, "the one-thread list row is the baseline");
    assert!(rows.iter().all(|r| r["records"] == 200 && r["wall_s"].as_f64().unwrap_or(0.0) > 0.0), "{report}");
    let notes = report["notes"].as_array().expect("notes");
    assert!(notes.iter().any(|n| n.as_str().is_some_and(|n| n.contains("peak RSS while matching"))), "{report}");
    // --strings belongs to this suite only.
    let out = bench(&["minhash", "--size", "100", "--strings", "10"]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--strings"), "{stderr}");
}
