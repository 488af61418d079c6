//! Identity resolution on the S2AND "qian" gold set (`../shared/data/identity/`, see its SOURCE.md): every
//! signature (one author slot on one paper) becomes a one-author work, the resolver links them, and the
//! clusters are scored with B³ precision/recall/F1 over all signatures, as S2AND's evaluation does. The set has
//! no paper records (no co-authors, titles or venues): only names and affiliations are evidence here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use byline_graph::{IdentityOptions, resolve_identities};
use byline_model::{Affiliation, Author, Work};
use serde_json::Value;

fn identity_dir() -> Option<PathBuf> {
    let root =
        std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../../../shared/data"), PathBuf::from);
    let dir = root.join("identity");
    if dir.join("s2and_qian_signatures.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("BYLINE_REQUIRE_SHARED_DATA").is_none_or(|v| v != "1"),
        "{} is required (BYLINE_REQUIRE_SHARED_DATA=1)",
        dir.display()
    );
    eprintln!("skipped: {} not found", dir.display());
    None
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// B³ precision, recall and F1: for each item, the share of its predicted cluster that is in its true cluster
/// (precision) and of its true cluster that is in its predicted cluster (recall), averaged over items.
fn b_cubed(predicted: &BTreeMap<String, String>, truth: &BTreeMap<String, String>) -> (f64, f64, f64) {
    let group = |m: &BTreeMap<String, String>| {
        let mut g: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (item, cluster) in m {
            g.entry(cluster.clone()).or_default().push(item.clone());
        }
        g
    };
    let (pred_groups, true_groups) = (group(predicted), group(truth));
    let (mut precision, mut recall) = (0.0, 0.0);
    for (item, true_cluster) in truth {
        let true_members = &true_groups[true_cluster];
        let pred_members = &pred_groups[&predicted[item]];
        let both = pred_members.iter().filter(|m| truth.get(*m) == Some(true_cluster)).count() as f64;
        precision += both / pred_members.len() as f64;
        recall += both / true_members.len() as f64;
    }
    let n = truth.len() as f64;
    let (p, r) = (precision / n, recall / n);
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

#[test]
fn s2and_qian_b_cubed() {
    let Some(dir) = identity_dir() else { return };
    let read = |name: &str| -> Value {
        let raw = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let signatures = read("s2and_qian_signatures.json");
    let clusters = read("s2and_qian_clusters.json");
    let signatures = signatures.as_object().expect("signatures: a JSON object");
    let clusters = clusters.as_object().expect("clusters: a JSON object");
    assert_eq!(signatures.len(), 4_207, "signatures per SOURCE.md");
    assert_eq!(clusters.len(), 827, "clusters per SOURCE.md");

    let mut truth: BTreeMap<String, String> = BTreeMap::new();
    for (id, c) in clusters {
        for s in c["signature_ids"].as_array().expect("signature_ids") {
            truth.insert(s.as_str().expect("signature id").to_owned(), id.clone());
        }
    }
    assert_eq!(truth.len(), signatures.len(), "every signature in exactly one cluster");

    let mut works = Vec::new();
    for (id, s) in signatures {
        let info = &s["author_info"];
        let given: Vec<String> = [&info["first"], &info["middle"]].into_iter().filter_map(text).collect();
        let family = text(&info["last"]);
        let raw_name = given.iter().cloned().chain(family.clone()).collect::<Vec<_>>().join(" ");
        let affiliations = info["affiliations"]
            .as_array()
            .map(|list| list.iter().filter_map(text).map(|raw| Affiliation { raw, ..Affiliation::default() }).collect())
            .unwrap_or_default();
        let author = Author {
            raw_name,
            family,
            given: (!given.is_empty()).then(|| given.join(" ")),
            affiliations,
            ..Author::default()
        };
        works.push(Work { work_id: format!("s2and-{id}"), authors: vec![author], ..Work::default() });
    }
    let resolution = resolve_identities(&works, &IdentityOptions::default());
    let predicted: BTreeMap<String, String> = resolution
        .assignments
        .iter()
        .map(|a| (a.work_id.trim_start_matches("s2and-").to_owned(), a.person_id.clone()))
        .collect();
    // A signature the resolver could not name (no family name) is its own cluster.
    let mut predicted_all = predicted.clone();
    for id in truth.keys() {
        predicted_all.entry(id.clone()).or_insert_with(|| format!("unassigned:{id}"));
    }
    let (p, r, f1) = b_cubed(&predicted_all, &truth);
    // The naive baseline: one person per S2AND block (first initial + last name).
    let blocks: BTreeMap<String, String> = signatures
        .iter()
        .map(|(id, s)| (id.clone(), s["author_info"]["block"].as_str().unwrap_or_default().to_owned()))
        .collect();
    let (bp, br, bf1) = b_cubed(&blocks, &truth);
    // Every signature alone.
    let alone: BTreeMap<String, String> = truth.keys().map(|id| (id.clone(), id.clone())).collect();
    let (_, ar, af1) = b_cubed(&alone, &truth);
    eprintln!(
        "S2AND qian: {} signatures, {} assigned, {} persons; B3 precision {p:.4} recall {r:.4} F1 {f1:.4}; \
         one person per block: P {bp:.4} R {br:.4} F1 {bf1:.4}; every signature alone: R {ar:.4} F1 {af1:.4}",
        truth.len(),
        predicted.len(),
        resolution.persons
    );
    assert!(predicted.len() >= 4_190, "signatures with a family name get a person: {}", predicted.len());
    // Names and affiliations only: linking must beat both trivial answers.
    assert!(f1 > bf1 && f1 > af1, "F1 {f1} vs block {bf1}, alone {af1}");
    // Measured: precision 0.9858, recall 0.5668, F1 0.7197, the same before and after issue 20's speed work.
    assert!(p >= 0.97, "precision {p}");
    assert!(r >= 0.55, "recall {r}");
}

#[test]
fn b_cubed_of_known_partitions() {
    let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    };
    let truth = m(&[("a", "1"), ("b", "1"), ("c", "2")]);
    assert_eq!(b_cubed(&truth, &truth), (1.0, 1.0, 1.0));
    // All in one cluster: precision (2/3 + 2/3 + 1/3) / 3 = 5/9, recall 1.
    let (p, r, _) = b_cubed(&m(&[("a", "x"), ("b", "x"), ("c", "x")]), &truth);
    assert!((p - 5.0 / 9.0).abs() < 1e-12 && (r - 1.0).abs() < 1e-12);
    // Each alone: precision 1, recall (1/2 + 1/2 + 1) / 3 = 2/3.
    let (p, r, _) = b_cubed(&m(&[("a", "a"), ("b", "b"), ("c", "c")]), &truth);
    assert!((p - 1.0).abs() < 1e-12 && (r - 2.0 / 3.0).abs() < 1e-12);
}
