//! `byline lists` on the real screening lists in shared data and on the published-format fixtures, and
//! `byline bench affiliations` producing its quality figures.

use std::path::PathBuf;

use crate::support::{byline, byline_json, root, s, shared_data};

fn fixture(name: &str) -> PathBuf {
    root().join("crates/byline-entities/tests/fixtures").join(name)
}

/// (id, entries, aliases, skipped, date) of each list shown.
fn shown(value: &serde_json::Value) -> Vec<(String, u64, u64, u64, Option<String>)> {
    value
        .as_array()
        .expect("an array of lists")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap_or_default().to_owned(),
                l["entries"].as_u64().unwrap_or(u64::MAX),
                l["aliases"].as_u64().unwrap_or(u64::MAX),
                l["skipped"].as_u64().unwrap_or(u64::MAX),
                l["date"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn real_lists_load_with_exact_counts() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("entities");
    let aspi_json = dir.join("aspi_china_defence_universities_misp.json");
    let aspi_tsv = dir.join("aspi_china_defence_universities_misp.tsv");
    let meti = dir.join("jp_meti_russia_list_opensanctions.csv");
    let (code, value) = byline_json(&[
        "lists",
        "--list",
        s(&aspi_json),
        "--list",
        s(&aspi_tsv),
        "--list",
        s(&meti),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{value}");
    // Counts from the files: 159 tracker values with 601 aliases (meta.aliases plus the Chinese name of the
    // `value` when not among them); 620 `LegalEntity` rows with 2,984 distinct `;`-separated aliases, the
    // latest `last_change` 2025-03-14; the MISP cluster is version 1.
    let lists = shown(&value);
    assert_eq!(lists[0], ("aspi_cdut".into(), 159, 601, 0, Some("MISP cluster version 1".into())));
    assert_eq!((lists[1].0.as_str(), lists[1].1, lists[1].3), ("aspi_cdut", 159, 0));
    assert_eq!(lists[2], ("jp_meti_russia".into(), 620, 2984, 0, Some("2025-03-14".into())));
    assert_eq!(value[2]["name"], "Japan METI Russian List");
    assert_eq!(value[0]["name"], "ASPI China Defence Universities Tracker");

    // The text table names each list with its date; a given date wins where the file has none.
    let out = byline(&["lists", "--list", s(&meti), "--list-date", "2026-01-31"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("jp_meti_russia") && text.contains("620") && text.contains("2026-01-31"), "{text}");
}

#[test]
fn published_formats_are_recognized_from_fixtures() {
    let files = ["csl.csv", "csl.json", "meti_end_user_list.csv", "named_research_organizations.txt", "user_list.csv"]
        .map(fixture);
    let mut args = vec!["lists"];
    for f in &files {
        args.extend(["--list", s(f)]);
    }
    args.extend(["--list-date", "2024-05-01", "--format", "json"]);
    let (code, value) = byline_json(&args);
    assert_eq!(code, 0, "{value}");
    let d = Some("2024-05-01".to_owned());
    assert_eq!(
        shown(&value),
        vec![
            ("us_csl".into(), 2, 2, 1, d.clone()),
            ("us_csl".into(), 1, 2, 1, d.clone()),
            ("jp_meti_eul".into(), 3, 4, 0, d.clone()),
            ("ca_nro".into(), 4, 3, 0, d.clone()),
            ("user".into(), 2, 2, 0, d),
        ]
    );
    assert_eq!(value[4]["name"], "user_list");
}

#[test]
fn no_list_is_a_usage_error_and_a_missing_file_an_error() {
    let out = byline(&["lists"]);
    assert_ne!(out.status.code(), Some(0));
    let out = byline(&["lists", "--list", "/nonexistent/list.csv"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/list.csv"));
}

#[test]
fn bench_affiliations_reports_list_precision_and_recall() {
    if shared_data().is_none() {
        return;
    }
    let (code, report) = byline_json(&["bench", "affiliations", "--size", "700", "--format", "json"]);
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
    let (_, again) = byline_json(&["bench", "affiliations", "--size", "700", "--format", "json"]);
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
    let (code, report) =
        byline_json(&["bench", "affiliations", "--size", "140", "--strings", "200", "--format", "json"]);
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
    let out = byline(&["bench", "minhash", "--size", "100", "--strings", "10"]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--strings"), "{stderr}");
}
