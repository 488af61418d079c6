//! Trains the institution matcher's candidate ranker on the *tuning* half of the ROR gold pairs in shared
//! data (the held-out half is never read) and writes `src/ror_ranker.json`.
//!
//! `BYLINE_SHARED_DATA=../shared/data cargo run --release -p byline-entities --example train_ror_ranker`
//!
//! Each gold string's best [`RANKED`] candidates (matched without a ranker) are rows; a row is positive
//! when its organisation is the gold one. The acceptance threshold is read off out-of-fold predictions:
//! five folds of the tuning half, each predicted by trees trained on the other four; the threshold is the
//! lowest confidence at which out-of-fold precision reaches [`TARGET_PRECISION`]. The model written is then
//! trained on the whole tuning half. Training is deterministic: the same data give the same file.
//!
//! `GBDT_TREES`, `GBDT_DEPTH`, `GBDT_LEARNING_RATE` and `GBDT_MIN_CHILD_HESSIAN` override the parameters;
//! with `GBDT_DRY_RUN=1` only the out-of-fold figures are printed (to compare settings; nothing is written).

use std::path::PathBuf;

use byline_entities::gbdt::{Model, Params, train};
use byline_entities::ror::{InstitutionMatcher, RANK_FEATURES, RANKED, Ranker, RorRegistry};
use rayon::prelude::*;

/// Precision the threshold is chosen for (the target).
const TARGET_PRECISION: f64 = 0.95;
const FOLDS: u64 = 5;
const GOLD_FILES: [&str; 3] =
    ["ror_gold_crossref_publisher_assertions.tsv", "ror_gold_springer_nature.tsv", "ror_gold_matching_logs.tsv"];

fn key(affiliation: &str) -> String {
    affiliation.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One gold string: its candidates' feature rows and labels, and whether it has a gold id at all.
struct Item {
    fold: u64,
    rows: Vec<Vec<f64>>,
    labels: Vec<bool>,
    has_gold: bool,
}

fn main() {
    let shared = PathBuf::from(std::env::var("BYLINE_SHARED_DATA").unwrap_or("../shared/data".into()));
    let dir = shared.join("entities");
    let registry = RorRegistry::load(&dir.join("ror_records_v2.json.gz")).expect("ROR records load");
    let m = InstitutionMatcher::new(registry).with_ranker(None);
    let mut pairs = Vec::new();
    for file in GOLD_FILES {
        let text = std::fs::read_to_string(dir.join(file)).expect("gold file reads");
        for (a, r) in text.lines().skip(1).filter_map(|l| l.split_once('\t')) {
            let k = key(a);
            // The tuning half only (tests/it/support.rs `half_of`).
            if !byline_model::stable_hash64(k.as_bytes()).is_multiple_of(2) {
                continue;
            }
            let gold = byline_model::normalize_ror(r);
            // Gold ids outside the registry subset cannot be matched: left out, as in the measurements.
            if gold.as_deref().is_some_and(|g| m.registry().get(g).is_none()) {
                continue;
            }
            let fold = byline_model::stable_hash64(format!("fold:{k}").as_bytes()) % FOLDS;
            pairs.push((a.to_owned(), gold, fold));
        }
    }
    let items: Vec<Item> = pairs
        .par_iter()
        .map(|(a, gold, fold)| {
            let cands = m.candidates(a, None);
            let top = &cands[..cands.len().min(RANKED)];
            Item {
                fold: *fold,
                rows: m.ranking_features(top),
                labels: top.iter().map(|c| gold.as_deref() == Some(c.ror_id.as_str())).collect(),
                has_gold: gold.is_some(),
            }
        })
        .collect();
    // Parameters may be overridden to compare settings by their out-of-fold figures (never the held-out half).
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
    let d = Params::default();
    let params = Params {
        trees: env("GBDT_TREES").map_or(d.trees, |v| v as usize),
        depth: env("GBDT_DEPTH").map_or(d.depth, |v| v as usize),
        learning_rate: env("GBDT_LEARNING_RATE").unwrap_or(d.learning_rate),
        min_child_hessian: env("GBDT_MIN_CHILD_HESSIAN").unwrap_or(d.min_child_hessian),
        ..d
    };
    let dry_run = std::env::var("GBDT_DRY_RUN").is_ok_and(|v| v == "1");
    let names: Vec<String> = RANK_FEATURES.iter().map(|s| s.to_string()).collect();
    let fit = |keep: &dyn Fn(&Item) -> bool| -> Model {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for it in items.iter().filter(|it| keep(it)) {
            x.extend(it.rows.iter().cloned());
            y.extend(it.labels.iter().copied());
        }
        train(&x, &y, names.clone(), &params)
    };
    // Out-of-fold: each string's best candidate by a model that never saw it, and whether it is right.
    let models: Vec<Model> = (0..FOLDS).into_par_iter().map(|f| fit(&|it: &Item| it.fold != f)).collect();
    // An ambiguous candidate is never chosen (the matcher gives it confidence 0).
    let ambiguous = RANK_FEATURES.iter().position(|f| *f == "ambiguous").expect("the ambiguity feature");
    let mut oof: Vec<(f64, bool)> = Vec::new();
    for it in &items {
        let model = &models[it.fold as usize];
        let best = it
            .rows
            .iter()
            .zip(&it.labels)
            .map(|(r, l)| (if r[ambiguous] > 0.5 { 0.0 } else { model.predict(r) }, *l))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(b) = best {
            oof.push(b);
        }
    }
    let gold_positive = items.iter().filter(|it| it.has_gold).count();
    oof.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Walk down the confidences: the lowest threshold whose precision is still at the target.
    let (mut correct, mut threshold, mut at) = (0usize, 1.0, (1.0, 0.0));
    for (i, (p, right)) in oof.iter().enumerate() {
        correct += usize::from(*right);
        let precision = correct as f64 / (i + 1) as f64;
        let next_differs = oof.get(i + 1).is_none_or(|n| n.0 < *p);
        if next_differs && precision >= TARGET_PRECISION {
            threshold = *p;
            at = (precision, correct as f64 / gold_positive as f64);
        }
    }
    if dry_run {
        eprintln!("{params:?}: threshold {threshold:.4}, out-of-fold precision {:.4} at recall {:.4}", at.0, at.1);
        return;
    }
    let rows: usize = items.iter().map(|it| it.rows.len()).sum();
    let model = fit(&|_: &Item| true);
    let trained_on = format!(
        "tuning half of the ROR gold pairs in shared data ({} strings, {rows} candidate rows); {} trees of depth {}, \
         learning rate {}; threshold {threshold:.4} gives out-of-fold precision {:.4} at recall {:.4} ({FOLDS} folds)",
        items.len(),
        params.trees,
        params.depth,
        params.learning_rate,
        at.0,
        at.1
    );
    eprintln!("{trained_on}");
    let ranker = Ranker { trained_on, threshold, model };
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/ror_ranker.json");
    std::fs::write(&out, serde_json::to_string(&ranker).expect("serializes")).expect("writes the ranker");
    eprintln!("wrote {}", out.display());
}
