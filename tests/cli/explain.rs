//! `byline explain`: every finding code byline emits is registered once, and explained.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{byline, byline_json, root};

/// Every `"ABC123"` string literal in the Rust sources of the binary and the crates, except the registry's
/// own table: the codes byline can emit (and tests mention).
fn codes_in_sources() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![root().join("src"), root().join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir reads") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("byline-model/src/codes.rs") {
                scan(&path, &mut found);
            }
        }
    }
    found
}

fn scan(path: &Path, found: &mut BTreeSet<String>) {
    let text = std::fs::read_to_string(path).expect("source reads");
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(7) {
        let w = &b[i..i + 8];
        if w[0] == b'"'
            && w[7] == b'"'
            && w[1..4].iter().all(u8::is_ascii_uppercase)
            && w[4..7].iter().all(u8::is_ascii_digit)
        {
            found.insert(String::from_utf8_lossy(&w[1..7]).into_owned());
        }
    }
}

#[test]
fn every_emitted_code_is_registered_and_every_registered_code_is_emitted() {
    let (code, list) = byline_json(&["explain", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    let registered: Vec<String> =
        list.as_array().expect("array").iter().filter_map(|c| c["code"].as_str().map(str::to_owned)).collect();
    let unique: BTreeSet<String> = registered.iter().cloned().collect();
    assert_eq!(unique.len(), registered.len(), "a code is registered twice: {registered:?}");
    let in_sources = codes_in_sources();
    let unregistered: Vec<&String> = in_sources.difference(&unique).collect();
    assert!(unregistered.is_empty(), "codes in the sources with no registry entry: {unregistered:?}");
    let stale: Vec<&String> = unique.difference(&in_sources).collect();
    assert!(stale.is_empty(), "registered codes no source emits: {stale:?}");
    for c in list.as_array().expect("array") {
        for field in ["name", "subject", "emitted_by", "meaning", "false_positives"] {
            assert!(c[field].as_str().is_some_and(|s| s.len() > 3), "{c}");
        }
    }
}

#[test]
fn explain_prints_one_code_and_refuses_an_unknown_one() {
    let out = byline(&["explain", "lst002"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("LST002: ") && text.contains("False positives:"), "{text}");
    assert!(text.contains("not an affiliation of the researcher"), "{text}");
    let out = byline(&["explain", "COA999"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("COA999") && err.contains("COA001") && err.contains("--list"), "{err}");
    let out = byline(&["explain"]);
    assert_eq!(out.status.code(), Some(2), "a code or --list is required");
}

/// Every `.snap` file under the tree (insta snapshots of the crates' and the binary's tests).
fn snapshot_texts() -> String {
    let mut out = String::new();
    let mut stack = vec![root().join("src"), root().join("crates"), root().join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir reads") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "snap") {
                out.push_str(&std::fs::read_to_string(&path).expect("snapshot reads"));
            }
        }
    }
    out
}

#[test]
fn every_registered_code_has_an_example_in_a_snapshot() {
    let (code, list) = byline_json(&["explain", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    let snapshots = snapshot_texts();
    let missing: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .filter(|c| !snapshots.contains(&format!("\"{c}\"")))
        .collect();
    assert!(missing.is_empty(), "registered codes with no example in any snapshot: {missing:?}");
}
