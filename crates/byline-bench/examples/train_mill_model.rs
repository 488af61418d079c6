//! Trains the `MIL001` model and writes `data/mill_model.json` with its measured figures.
//!
//! ```text
//! cargo run --release -p byline-bench --example train_mill_model -- [SHARED_DATA_DIR] [OUT_MODEL_JSON]
//! ```
//! Data and split: [`byline_bench::detect::mill::mill_data`] (the held-out quarter is never trained or tuned
//! on; it is scored once at the end and by `byline-bench papermill`). Steps, all deterministic:
//! 1. the title model: L2 logistic regression over hashed masked-title n-grams, Retraction Watch paper-mill
//!    titles against PubMed and exemplar-control titles (training part);
//! 2. the text model: L2 logistic regression over hashed masked title + abstract n-grams, title n-grams, six
//!    hand-made measures and the title model's log-odds; the L2 strength chosen by grouped 5-fold
//!    cross-validation on the training part (true-positive rate at the false-positive budget);
//! 3. Platt scaling on the out-of-fold log-odds, shifted to 2% prevalence; the threshold is the lowest
//!    calibrated probability at which at most `FPR_BUDGET` of the out-of-fold controls reach it;
//! 4. the model written is trained on the whole training part.
//!
//! `MILL_DRY_RUN=1` prints the cross-validated figures only (nothing written, held-out part not scored).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use byline_bench::detect::mill::{self, Evaluation, FOLDS, evaluate, threshold_for_budget};
use byline_detect::classifier::{
    ASSUMED_PREVALENCE, Calibration, DENSE_FEATURES, FPR_BUDGET, HASH_BITS, MODEL_FORMAT, Model, ModelFeature,
    SparseWeights, TEXT_NAMESPACE, TITLE_NAMESPACE, TextFeatures, TitleModel, hashed, title_grams,
};
use byline_detect::template::SlotMasker;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST};
use byline_model::Work;
use byline_parse::{Event, read_path};
use rayon::prelude::*;

const SEED: u64 = 20_261_204;
/// L2 strengths tried for the text model (per row-normalized loss), chosen by cross-validation.
const TEXT_LAMBDAS: [f64; 3] = [1e-4, 1e-3, 1e-2];
/// L2 strength of the title model (chosen by its own cross-validation among `TEXT_LAMBDAS`).
const OPTIMIZER_STEPS: usize = 400;
/// Weights smaller than this are dropped from the written model (they move a score by under 1% each; the
/// unpruned model was 5.6 MB of JSON, mostly such weights). The held-out figures are the pruned model's.
const PRUNE_BELOW: f64 = 0.01;
const LEARNING_RATE: f64 = 0.05;

/// A sparse row in the model's whole index space: text buckets, then title buckets, then dense features.
type Row = Vec<(u32, f64)>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let shared = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let out = args
        .get(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../byline-detect/data/mill_model.json"));
    let dry_run = std::env::var("MILL_DRY_RUN").is_ok_and(|v| v == "1");
    let pubmed = read_pubmed(&shared.join("pubmed"));
    eprintln!("pubmed records read: {}", pubmed.len());
    let country = |w: &Work| {
        mill::corresponding_country(w, &|s| {
            byline_entities::country::country_code(s)
                .or_else(|| byline_entities::country::country_in_text(s).map(|(c, _)| c))
                .map(str::to_owned)
        })
    };
    let data = mill::mill_data(&shared, pubmed, &country).expect("labelled data");
    for (k, v) in &data.counts {
        eprintln!("  {k}: {v}");
    }
    let lexicon = Lexicon::from_shared_dir(&shared.join("lexicons"), SHIPPED_ALLOWLIST).expect("lexicons");
    let masker = SlotMasker::default();
    let bits = HASH_BITS;

    // 1. Title model.
    let title_rows: Vec<Row> =
        data.titles.par_iter().map(|t| hashed(TITLE_NAMESPACE, &title_grams(&t.title, &masker), bits)).collect();
    let title_train: Vec<usize> = (0..data.titles.len()).filter(|i| !data.titles[*i].held_out).collect();
    let title_labels: Vec<bool> = data.titles.iter().map(|t| t.mill).collect();
    let title_folds: Vec<u64> = data.titles.iter().map(|t| t.fold).collect();
    let ones = vec![1.0; data.titles.len()];
    let mut best_title = (f64::NEG_INFINITY, TEXT_LAMBDAS[0]);
    for lambda in TEXT_LAMBDAS {
        let oof = out_of_fold(&title_rows, &title_labels, &ones, &title_folds, &title_train, 1 << bits, lambda);
        let labels: Vec<bool> = title_train.iter().map(|i| title_labels[*i]).collect();
        let t = threshold_for_budget(&oof, &labels, FPR_BUDGET);
        let e = evaluate(&oof, &labels, t, SEED);
        eprintln!("title model CV lambda {lambda}: AUC {:.3}, TPR {:.3} at FPR {:.4}", e.auc, e.tpr, e.fpr);
        if e.tpr > best_title.0 {
            best_title = (e.tpr, lambda);
        }
    }
    let title_lambda = best_title.1;
    let (tw, tb) = fit(
        &pick(&title_rows, &title_train),
        &pick(&title_labels, &title_train),
        &pick(&ones, &title_train),
        1 << bits,
        title_lambda,
    );
    let title_model = TitleModel { intercept: tb, weights: sparse(&tw, 0, 1 << bits) };

    // 2. Text model features.
    let feats: Vec<TextFeatures> =
        data.texts.par_iter().map(|t| TextFeatures::from_work(&t.work, Some(&lexicon), &masker)).collect();
    let dense_raw: Vec<Vec<f64>> = feats
        .iter()
        .map(|f| {
            let mut d = f.dense.clone();
            d.push(title_model.log_odds(&f.title_grams, bits));
            d
        })
        .collect();
    let weighting = Weighting::from_env();
    let train_rows: Vec<usize> = (0..data.texts.len())
        .filter(|i| !data.texts[*i].held_out && (weighting.hard_negatives || !data.texts[*i].hard_negative))
        .collect();
    let labels: Vec<bool> = data.texts.iter().map(|t| t.mill).collect();
    let folds: Vec<u64> = data.texts.iter().map(|t| t.fold).collect();
    let train_labels = pick(&labels, &train_rows);
    let prior = weighting.prior(&data, &train_rows);
    // The budget, the calibration and the CV figures are on the natural controls (hard negatives left out).
    let natural: Vec<usize> = (0..train_rows.len()).filter(|k| !data.texts[train_rows[*k]].hard_negative).collect();
    let nat_labels = pick(&train_labels, &natural);
    let (mean, std) = standardization(&pick(&dense_raw, &train_rows));
    let dim = 2 * (1usize << bits) + DENSE_FEATURES.len();
    let rows_with = |families: Families| -> Vec<Row> {
        feats.iter().zip(&dense_raw).map(|(f, d)| row(f, d, &mean, &std, bits, families)).collect()
    };
    let all = rows_with(Families::ALL);
    eprintln!("weighting {weighting:?}: {} training rows ({} natural)", train_rows.len(), natural.len());
    // Ablations (cross-validated at each one's own budget threshold): what each feature family adds.
    let mut cv_by_variant: BTreeMap<&str, Evaluation> = BTreeMap::new();
    let mut chosen = (f64::NEG_INFINITY, TEXT_LAMBDAS[0], Vec::new());
    for lambda in TEXT_LAMBDAS {
        let oof = out_of_fold(&all, &labels, &prior, &folds, &train_rows, dim, lambda);
        let t = threshold_for_budget(&pick(&oof, &natural), &nat_labels, FPR_BUDGET);
        let e = evaluate(&pick(&oof, &natural), &nat_labels, t, SEED);
        eprintln!("text model CV lambda {lambda}: AUC {:.3}, TPR {:.3} at FPR {:.4}", e.auc, e.tpr, e.fpr);
        if e.tpr > chosen.0 {
            chosen = (e.tpr, lambda, oof);
        }
    }
    let (_, lambda, oof) = chosen;
    if !dry_run {
        for (name, families) in [
            ("hand-made measures only", Families { text: false, title: false, dense: true, title_model: false }),
            ("without the title model (labels/ only)", Families { title_model: false, ..Families::ALL }),
            ("n-grams only (text + title)", Families { text: true, title: true, dense: false, title_model: false }),
            ("without title n-grams", Families { title: false, ..Families::ALL }),
            ("title model only", Families { text: false, title: false, dense: false, title_model: true }),
        ] {
            let rows = rows_with(families);
            let o = out_of_fold(&rows, &labels, &prior, &folds, &train_rows, dim, lambda);
            let t = threshold_for_budget(&pick(&o, &natural), &nat_labels, FPR_BUDGET);
            cv_by_variant.insert(name, evaluate(&pick(&o, &natural), &nat_labels, t, SEED));
        }
    }

    // 3. Calibration and threshold from out-of-fold log-odds of the natural rows.
    let calibration = platt(&pick(&oof, &natural), &nat_labels);
    let oof_p: Vec<f64> = oof.iter().map(|z| calibration.probability(*z)).collect();
    let threshold = threshold_for_budget(&pick(&oof_p, &natural), &nat_labels, FPR_BUDGET);
    let cv = evaluate(&pick(&oof_p, &natural), &nat_labels, threshold, SEED);
    cv_by_variant.insert("all features (shipped)", cv.clone());
    let reliability = reliability(&pick(&oof_p, &natural), &nat_labels, &calibration);
    let fairness_cv = cv_fairness(&data, &train_rows, &oof_p, threshold);
    println!("CV fairness (out-of-fold training controls, hard negatives included): {fairness_cv}");
    // The first model in the same run, same folds and budget.
    let (hand, hand_oof) = mill::hand_baseline(&data, Some(&lexicon), FPR_BUDGET).expect("hand model");
    let hand_rows: Vec<usize> = (0..data.texts.len()).filter(|i| !data.texts[*i].held_out).collect();
    let hand_natural: Vec<usize> = (0..hand_rows.len()).filter(|k| !data.texts[hand_rows[*k]].hard_negative).collect();
    let hand_labels: Vec<bool> = hand_natural.iter().map(|k| data.texts[hand_rows[*k]].mill).collect();
    let hand_cv = evaluate(&pick(&hand_oof, &hand_natural), &hand_labels, hand.threshold, SEED);
    println!("CV fairness, first model: {}", cv_fairness(&data, &hand_rows, &hand_oof, hand.threshold));
    cv_by_variant.insert("first model (seven hand-made features)", hand_cv.clone());
    println!("lambda {lambda} (title model {title_lambda}); threshold {threshold:.4} (probability at 2% prevalence)");
    for (k, e) in &cv_by_variant {
        println!("CV {k:<42} {}", line(e));
    }
    println!("reliability (out of fold, prevalence-adjusted): {reliability:?}");
    if dry_run {
        return;
    }

    // 4. The model on the whole training part.
    let (w, b) = fit(&pick(&all, &train_rows), &train_labels, &pick(&prior, &train_rows), dim, lambda);
    let n = 1usize << bits;
    let model = Model {
        format: MODEL_FORMAT,
        hash_bits: bits,
        dense: (0..DENSE_FEATURES.len())
            .map(|j| ModelFeature {
                name: DENSE_FEATURES[j].0.to_owned(),
                mean: mean[j],
                std: std[j],
                coefficient: round(w[2 * n + j]),
            })
            .collect(),
        text_weights: sparse(&w, 0, n),
        title_weights: sparse(&w, n, n),
        intercept: round(b),
        title_model,
        calibration,
        threshold,
        provenance: serde_json::Value::Null,
    };
    // Held-out part, scored once.
    let held: Vec<usize> = (0..data.texts.len()).filter(|i| data.texts[*i].held_out).collect();
    let held_scores: Vec<f64> = held.iter().map(|i| model.score(&feats[*i]).probability).collect();
    let held_labels = pick(&labels, &held);
    let held_eval = evaluate(&held_scores, &held_labels, threshold, SEED);
    println!("held-out {}", line(&held_eval));
    let title_held: Vec<usize> = (0..data.titles.len()).filter(|i| data.titles[*i].held_out).collect();
    let title_scores: Vec<f64> =
        title_held.iter().map(|i| title_model_log_odds(&model, &data.titles[*i].title, &masker)).collect();
    let title_oof_threshold = {
        let oof = out_of_fold(&title_rows, &title_labels, &ones, &title_folds, &title_train, 1 << bits, title_lambda);
        threshold_for_budget(&oof, &pick(&title_labels, &title_train), FPR_BUDGET)
    };
    let title_eval = evaluate(&title_scores, &pick(&title_labels, &title_held), title_oof_threshold, SEED);
    println!("title model held-out {}", line(&title_eval));
    let mut model = model;
    model.provenance = serde_json::json!({
        "trained_by": "crates/byline-detect/examples/train_mill_model.rs",
        "data": data.counts,
        "split": "held-out quarter by group (template family for labelled texts, masked title skeleton for titles, PMID for PubMed), never trained or tuned on; 5 grouped folds within the rest",
        "weighting": format!("{weighting:?}"),
        "cv_fairness": fairness_cv,
        "controls": format!("real PubMed records, not retracted (own record or Retraction Watch), abstract >= {} words, published {}-{}, subject-matched (MeSH oncology descriptor, else cancer terms)", mill::MIN_ABSTRACT_WORDS, mill::CONTROL_YEARS.0, mill::CONTROL_YEARS.1),
        "lambda": lambda,
        "title_model_lambda": title_lambda,
        "optimizer": format!("full-batch Adam, {OPTIMIZER_STEPS} steps, learning rate {LEARNING_RATE}, classes weighted to equal total"),
        "calibration": format!("Platt scaling on out-of-fold log-odds, shifted to prevalence {ASSUMED_PREVALENCE}"),
        "threshold_rule": format!("lowest calibrated probability with out-of-fold false-positive rate <= {FPR_BUDGET}"),
        "cross_validation": cv_by_variant,
        "title_model_held_out": title_eval,
        "reliability_out_of_fold": reliability,
    });
    std::fs::write(&out, model.to_json() + "\n").expect("write model");
    println!(
        "model written to {} ({} text and {} title weights)",
        out.display(),
        model.text_weights.0.len(),
        model.title_weights.0.len()
    );
    for f in &model.dense {
        println!("  {:<24} coef {:+.3} (mean {:.3}, sd {:.3})", f.name, f.coefficient, f.mean, f.std);
    }
    let mut top: Vec<(f64, String)> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for (i, f) in feats.iter().enumerate() {
        if data.texts[i].held_out {
            continue;
        }
        for g in &f.text_grams {
            names.entry(byline_detect::classifier::bucket(TEXT_NAMESPACE, g, bits)).or_insert_with(|| g.clone());
        }
    }
    for (b, w) in &model.text_weights.0 {
        top.push((*w, names.get(b).cloned().unwrap_or_default()));
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "top text n-grams for: {:?}",
        top.iter().take(25).map(|(w, g)| format!("{g} {w:+.2}")).collect::<Vec<_>>()
    );
    println!(
        "top text n-grams against: {:?}",
        top.iter().rev().take(25).map(|(w, g)| format!("{g} {w:+.2}")).collect::<Vec<_>>()
    );
}

/// How the training rows are weighted (`MILL_WEIGHTING`: `plain`, `hard`, `hard+topic`, `hard+topic+cap`;
/// default [`DEFAULT_WEIGHTING`]). Each class always carries half the total weight; within a class:
#[derive(Debug, Clone, Copy)]
struct Weighting {
    /// Train on the ncRNA hard negatives too ([`mill::LabelledText::hard_negative`]).
    hard_negatives: bool,
    /// Controls re-weighted so that their topics ([`mill::topic`]) have the positives' shares (each topic at
    /// least [`TOPIC_FLOOR`] of the positives'): the model must separate mills from ordinary papers *within*
    /// the mills' genre instead of learning the genre.
    topic_matched: bool,
    /// Controls re-weighted so that the corresponding authors in China carry [`POSITIVE_CN_SHARE`] of the
    /// controls' weight, the share of China among the paper-mill retractions (the positives' bylines are not
    /// in `labels/`): country is then no signal in training, so the model cannot learn to tell a mill by
    /// how Chinese groups write.
    country_matched: bool,
    /// No positive source file carries more than [`SOURCE_CAP`] of the positives' weight (the stock-photo
    /// file is 91 of 121 texts, nearly all from one journal).
    source_cap: bool,
}

/// The weighting the shipped model is trained with (chosen on cross-validation only, see BENCHMARKS.md).
const DEFAULT_WEIGHTING: &str = "hard+topic";
/// Smallest share a topic is given among the weighted controls.
const TOPIC_FLOOR: f64 = 0.05;
/// Share of China among the countries of Retraction Watch's paper-mill records: 599 of 609
/// (`retractions/SOURCE.md`, `rw_scrape_2023_notices.csv`).
const POSITIVE_CN_SHARE: f64 = 599.0 / 609.0;
/// Largest share of the positives' weight one source file may carry with `cap`.
const SOURCE_CAP: f64 = 0.5;

impl Weighting {
    fn from_env() -> Weighting {
        let v = std::env::var("MILL_WEIGHTING").unwrap_or_else(|_| DEFAULT_WEIGHTING.to_owned());
        Weighting {
            hard_negatives: v.contains("hard"),
            topic_matched: v.contains("topic"),
            country_matched: v.contains("country"),
            source_cap: v.contains("cap"),
        }
    }

    /// Relative weight of every text row (only `rows` are read; `fit` normalizes each class to half).
    fn prior(&self, data: &mill::MillData, rows: &[usize]) -> Vec<f64> {
        let mut w = vec![1.0; data.texts.len()];
        let topics: Vec<mill::Topic> = data.texts.iter().map(|t| mill::topic(&t.work)).collect();
        if self.topic_matched {
            let share = |mill: bool, t: mill::Topic| {
                let n = rows.iter().filter(|i| data.texts[**i].mill == mill).count().max(1) as f64;
                rows.iter().filter(|i| data.texts[**i].mill == mill && topics[**i] == t).count() as f64 / n
            };
            for t in [mill::Topic::NcRna, mill::Topic::Cancer, mill::Topic::Other] {
                let (p, c) = (share(true, t).max(TOPIC_FLOOR), share(false, t));
                eprintln!("  topic {}: positives {:.3}, controls {c:.3}", t.label(), share(true, t));
                for i in rows.iter().filter(|i| !data.texts[**i].mill && topics[**i] == t) {
                    w[*i] = if c > 0.0 { p / c } else { 1.0 };
                }
            }
        }
        if self.country_matched {
            let ctrl: Vec<usize> = rows.iter().copied().filter(|i| !data.texts[*i].mill).collect();
            let total: f64 = ctrl.iter().map(|i| w[*i]).sum();
            let cn: f64 = ctrl.iter().filter(|i| data.texts[**i].country.as_deref() == Some("CN")).map(|i| w[*i]).sum();
            if cn > 0.0 && total > cn {
                for i in &ctrl {
                    w[*i] *= if data.texts[*i].country.as_deref() == Some("CN") {
                        POSITIVE_CN_SHARE * total / cn
                    } else {
                        (1.0 - POSITIVE_CN_SHARE) * total / (total - cn)
                    };
                }
            }
        }
        if self.source_cap {
            let n_pos = rows.iter().filter(|i| data.texts[**i].mill).count() as f64;
            let mut by: BTreeMap<&str, usize> = BTreeMap::new();
            for i in rows.iter().filter(|i| data.texts[**i].mill) {
                *by.entry(data.texts[*i].source.as_str()).or_default() += 1;
            }
            for i in rows.iter().filter(|i| data.texts[**i].mill) {
                let n = by[data.texts[*i].source.as_str()] as f64;
                if n / n_pos > SOURCE_CAP {
                    w[*i] = SOURCE_CAP * n_pos / n;
                }
            }
        }
        w
    }
}

/// The fairness gate on out-of-fold scores of the training controls (tuning only), and the ncRNA stratum's
/// rates, in one line.
fn cv_fairness(data: &mill::MillData, rows: &[usize], oof_p: &[f64], threshold: f64) -> String {
    let ctrl: Vec<usize> = (0..rows.len()).filter(|k| !data.texts[rows[*k]].mill).collect();
    let countries: Vec<Option<String>> = ctrl.iter().map(|k| data.texts[rows[*k]].country.clone()).collect();
    let flagged: Vec<bool> = ctrl.iter().map(|k| oof_p[*k] >= threshold).collect();
    let gate = mill::fairness_gate(&countries, &flagged);
    let fmt = |r: &mill::RateRow| format!("{} {}/{} [{:.4}, {:.4}]", r.group, r.flagged, r.n, r.ci.0, r.ci.1);
    let mut out: Vec<String> = gate
        .iter()
        .map(|d| format!("{}{} vs rest {}", if d.fails { "FAILS " } else { "" }, fmt(&d.country), fmt(&d.rest)))
        .collect();
    let nc: Vec<usize> =
        (0..ctrl.len()).filter(|j| mill::topic(&data.texts[rows[ctrl[*j]]].work) == mill::Topic::NcRna).collect();
    let rows_nc = mill::rate_table(
        &nc.iter().map(|j| countries[*j].clone()).collect::<Vec<_>>(),
        &nc.iter().map(|j| flagged[*j]).collect::<Vec<_>>(),
        25,
    );
    out.push(format!("ncRNA stratum: {}", rows_nc.iter().map(fmt).collect::<Vec<_>>().join(", ")));
    out.join("; ")
}

fn title_model_log_odds(model: &Model, title: &str, masker: &SlotMasker) -> f64 {
    model.title_model.log_odds(&title_grams(title, masker), model.hash_bits)
}

fn line(e: &Evaluation) -> String {
    format!(
        "pos {} neg {} | AUC {:.3} [{:.3}, {:.3}] | threshold {:.4} TPR {:.3} [{:.3}, {:.3}] FPR {:.4} [{:.4}, {:.4}] | precision at 1% {:.3} 2% {:.3} [{:.3}, {:.3}] 5% {:.3}",
        e.positives,
        e.negatives,
        e.auc,
        e.auc_ci.0,
        e.auc_ci.1,
        e.threshold,
        e.tpr,
        e.tpr_ci.0,
        e.tpr_ci.1,
        e.fpr,
        e.fpr_ci.0,
        e.fpr_ci.1,
        e.precision_at(0.01),
        e.precision_at(0.02),
        e.at[1].precision_ci.0,
        e.at[1].precision_ci.1,
        e.precision_at(0.05)
    )
}

#[derive(Clone, Copy)]
struct Families {
    text: bool,
    title: bool,
    dense: bool,
    title_model: bool,
}

impl Families {
    const ALL: Families = Families { text: true, title: true, dense: true, title_model: true };
}

fn row(f: &TextFeatures, dense: &[f64], mean: &[f64], std: &[f64], bits: u32, fam: Families) -> Row {
    let n = 1u32 << bits;
    let mut r: Row = Vec::new();
    if fam.text {
        r.extend(hashed(TEXT_NAMESPACE, &f.text_grams, bits));
    }
    if fam.title {
        r.extend(hashed(TITLE_NAMESPACE, &f.title_grams, bits).into_iter().map(|(b, v)| (b + n, v)));
    }
    for j in 0..dense.len() {
        let last = j + 1 == dense.len();
        if (last && fam.title_model) || (!last && fam.dense) {
            r.push((2 * n + j as u32, (dense[j] - mean[j]) / std[j]));
        }
    }
    r
}

fn standardization(x: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let d = x.first().map_or(0, Vec::len);
    let n = x.len().max(1) as f64;
    let mean: Vec<f64> = (0..d).map(|j| x.iter().map(|v| v[j]).sum::<f64>() / n).collect();
    let std = (0..d)
        .map(|j| {
            let s = (x.iter().map(|v| (v[j] - mean[j]).powi(2)).sum::<f64>() / n).sqrt();
            if s < 1e-9 { 1.0 } else { s }
        })
        .collect();
    (mean, std)
}

fn pick<T: Clone>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|i| v[*i].clone()).collect()
}

/// Out-of-fold log-odds of the rows `train` (in that order), FOLDS grouped folds.
fn out_of_fold(
    rows: &[Row],
    labels: &[bool],
    prior: &[f64],
    folds: &[u64],
    train: &[usize],
    dim: usize,
    lambda: f64,
) -> Vec<f64> {
    let per_fold: Vec<Vec<(usize, f64)>> = (0..FOLDS)
        .into_par_iter()
        .map(|f| {
            let fit_rows: Vec<usize> = train.iter().copied().filter(|i| folds[*i] != f).collect();
            let (w, b) = fit(&pick(rows, &fit_rows), &pick(labels, &fit_rows), &pick(prior, &fit_rows), dim, lambda);
            train
                .iter()
                .enumerate()
                .filter(|(_, i)| folds[**i] == f)
                .map(|(k, i)| (k, b + rows[*i].iter().map(|(j, v)| w[*j as usize] * v).sum::<f64>()))
                .collect()
        })
        .collect();
    let mut out = vec![0.0; train.len()];
    for (k, z) in per_fold.into_iter().flatten() {
        out[k] = z;
    }
    out
}

/// L2 logistic regression, classes weighted to equal total, full-batch Adam (deterministic).
fn fit(rows: &[Row], labels: &[bool], prior: &[f64], dim: usize, lambda: f64) -> (Vec<f64>, f64) {
    let total = |class: bool| labels.iter().zip(prior).filter(|(l, _)| **l == class).map(|(_, p)| *p).sum::<f64>();
    let (w_pos, w_neg) = (total(true).max(1e-12), total(false).max(1e-12));
    let weights: Vec<f64> =
        labels.iter().zip(prior).map(|(l, p)| if *l { 0.5 * p / w_pos } else { 0.5 * p / w_neg }).collect();
    let mut w = vec![0.0; dim];
    let mut b = 0.0;
    let (mut m, mut v) = (vec![0.0; dim + 1], vec![0.0; dim + 1]);
    let (beta1, beta2, eps) = (0.9, 0.999, 1e-8);
    let mut g = vec![0.0; dim + 1];
    for step in 1..=OPTIMIZER_STEPS {
        g.iter_mut().for_each(|x| *x = 0.0);
        for ((r, l), rw) in rows.iter().zip(labels).zip(&weights) {
            let z = b + r.iter().map(|(j, x)| w[*j as usize] * x).sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let d = rw * (p - if *l { 1.0 } else { 0.0 });
            for (j, x) in r {
                g[*j as usize] += d * x;
            }
            g[dim] += d;
        }
        let lr = LEARNING_RATE / (1.0 + step as f64 / 100.0);
        for j in 0..=dim {
            let grad = if j < dim { g[j] + lambda * w[j] } else { g[j] };
            if grad == 0.0 && m[j] == 0.0 {
                continue;
            }
            m[j] = beta1 * m[j] + (1.0 - beta1) * grad;
            v[j] = beta2 * v[j] + (1.0 - beta2) * grad * grad;
            let mh = m[j] / (1.0 - beta1.powi(step as i32));
            let vh = v[j] / (1.0 - beta2.powi(step as i32));
            let delta = lr * mh / (vh.sqrt() + eps);
            if j < dim {
                w[j] -= delta;
            } else {
                b -= delta;
            }
        }
    }
    (w, b)
}

fn round(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// The non-zero weights of `w[from..from + len]`, as buckets 0..len, rounded to 5 decimals.
fn sparse(w: &[f64], from: usize, len: usize) -> SparseWeights {
    SparseWeights(
        (0..len)
            .filter_map(|b| {
                let x = round(w[from + b]);
                (x.abs() >= PRUNE_BELOW).then_some((b as u32, x))
            })
            .collect(),
    )
}

/// Platt scaling (Newton on a two-parameter logistic fit of labels on log-odds), then the offset shifted
/// from the training prevalence to `ASSUMED_PREVALENCE`.
fn platt(z: &[f64], y: &[bool]) -> Calibration {
    let (mut a, mut c) = (1.0, 0.0);
    for _ in 0..100 {
        let (mut ga, mut gc, mut haa, mut hac, mut hcc) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for (zi, yi) in z.iter().zip(y) {
            let p = 1.0 / (1.0 + (-(a * zi + c)).exp());
            let d = p - if *yi { 1.0 } else { 0.0 };
            let h = p * (1.0 - p);
            ga += d * zi;
            gc += d;
            haa += h * zi * zi;
            hac += h * zi;
            hcc += h;
        }
        let det = haa * hcc - hac * hac;
        if det.abs() < 1e-12 {
            break;
        }
        a -= (hcc * ga - hac * gc) / det;
        c -= (haa * gc - hac * ga) / det;
    }
    let pi = y.iter().filter(|v| **v).count() as f64 / y.len().max(1) as f64;
    let logit = |p: f64| (p / (1.0 - p)).ln();
    Calibration {
        slope: round(a),
        offset: round(c - logit(pi) + logit(ASSUMED_PREVALENCE)),
        prevalence: ASSUMED_PREVALENCE,
    }
}

/// Reliability of the calibrated probabilities: per bin of predicted probability, the mean prediction
/// against the observed share of mills re-weighted to the stated prevalence.
fn reliability(p: &[f64], y: &[bool], c: &Calibration) -> Vec<(String, usize, f64, f64)> {
    let n_pos = y.iter().filter(|v| **v).count() as f64;
    let n_neg = y.len() as f64 - n_pos;
    let (wp, wn) = (c.prevalence / n_pos, (1.0 - c.prevalence) / n_neg);
    let edges = [0.0, 0.01, 0.05, 0.2, 0.5, 0.8, 1.0001];
    edges
        .windows(2)
        .map(|e| {
            let idx: Vec<usize> = (0..p.len()).filter(|i| p[*i] >= e[0] && p[*i] < e[1]).collect();
            let pos: f64 = idx.iter().filter(|i| y[**i]).count() as f64 * wp;
            let neg: f64 = idx.iter().filter(|i| !y[**i]).count() as f64 * wn;
            let mean_p = idx.iter().map(|i| p[*i]).sum::<f64>() / idx.len().max(1) as f64;
            (
                format!("[{:.2}, {:.2})", e[0], e[1].min(1.0)),
                idx.len(),
                round(mean_p),
                round(pos / (pos + neg).max(1e-12)),
            )
        })
        .collect()
}

fn read_pubmed(dir: &Path) -> Vec<Work> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.to_string_lossy().contains(".xml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        read_path(&f, None, &mut |e| {
            if let Event::Work(w) = e {
                out.push(*w);
            }
        });
    }
    out
}
