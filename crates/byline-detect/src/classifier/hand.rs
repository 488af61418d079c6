//! The first `MIL001` model, kept for comparison: logistic regression (linfa-logistic) on seven hand-made
//! features from the detectors and the text, saved as JSON (`data/model.json`). `byline-bench papermill`
//! retrains it on the same split as the current model ([`super::Model`]) and reports both in one run.
//!
//! Training data (see `examples/train_classifier.rs`): the positives in `shared/data/labels` that hold text
//! (stock-photo paper-mill papers, sample paper-mill-like retractions, tortured-phrase retractions) against
//! controls drawn from the real PubMed records in `shared/data/pubmed`, matched on publication year and on
//! subject (MeSH oncology descriptors where the record has MeSH, else cancer terms in title/abstract, because
//! most 2021 in-process records have no MeSH yet). Byline and retraction features are not used: the labelled
//! texts have no bylines, and the positives are retracted by construction.

use std::path::Path;

use byline_model::Work;
use serde::{Deserialize, Serialize};

use crate::template::SlotMasker;
use crate::text::{title_abstract, tokens};
use crate::tortured::{Lexicon, TorturedThresholds};
use crate::{Error, Result};

/// Training, cross-validation and its report: only with the `train` feature (linfa, ndarray).
#[cfg(feature = "train")]
mod training;
#[cfg(feature = "train")]
pub use training::{CvReport, DEFAULT_ALPHA, cross_validate, cv_report, out_of_fold_scores, stratified_folds, train};

/// The first shipped model (`data/model.json`), trained by `examples/train_classifier.rs` before the text model.
pub const SHIPPED_MODEL: &str = include_str!("../../data/model.json");

/// Feature names, in vector order, with what each measures.
/// Text length is deliberately not a feature: it measures a venue's abstract limit and whether a record has an
/// abstract at all, not a mill (an earlier model with `ln(1 + words)` scored a PLOS Biology essay 0.87).
pub const FEATURES: [(&str, &str); 7] = [
    ("tortured_per_1k_words", "tortured-phrase hits per 1,000 words (allow-listed lexicon)"),
    ("tortured_distinct", "distinct tortured phrases"),
    ("template_family_log2", "log2(1 + other works sharing the masked skeleton)"),
    ("slot_density", "share of tokens that are slot words (gene/miRNA/ncRNA symbols, diseases, cell lines, materials)"),
    ("ncrna_mention", "1 if the text names microRNAs, lncRNAs or circRNAs"),
    ("stock_assays", "stock assays named (CCK-8, transwell, qRT-PCR, western blot…), capped at 10"),
    ("title_mechanism", "1 if the title reads \"X … via/through/by targeting … Y\" around a slot word"),
];

/// One work's features, in [`FEATURES`] order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureVector(pub Vec<f64>);

impl FeatureVector {
    /// Features of a work; `family_others` = other works in its template family (0 when none or unknown).
    pub fn from_work(
        work: &Work,
        lexicon: Option<&Lexicon>,
        masker: &SlotMasker,
        family_others: usize,
    ) -> FeatureVector {
        let text = title_abstract(work);
        let (per_1k, distinct) = match lexicon {
            Some(l) => {
                let a = l.assess(&text, &TorturedThresholds::default());
                (a.per_1k_words, a.distinct as f64)
            }
            None => (0.0, 0.0),
        };
        let masked = masker.mask(&text);
        let slots = masked.iter().filter(|t| t.starts_with('<') && t.as_str() != "<num>").count();
        let slot_density = if masked.is_empty() { 0.0 } else { slots as f64 / masked.len() as f64 };
        let lower = text.to_lowercase();
        let ncrna = ["microrna", "mirna", "mir-", "lncrna", "long non-coding", "circrna", "circular rna"]
            .iter()
            .any(|k| lower.contains(k));
        let title = work.title.as_deref().unwrap_or("");
        let title_lower = title.to_lowercase();
        let mech = ["via", "through", "targeting", "regulating", "axis", "pathway", "sponging"]
            .iter()
            .any(|k| tokens(&title_lower).any(|t| t == *k))
            && masker.mask(title).iter().any(|t| t.starts_with('<') && t.as_str() != "<num>");
        FeatureVector(vec![
            per_1k,
            distinct,
            (1.0 + family_others as f64).log2(),
            slot_density,
            f64::from(u8::from(ncrna)),
            masker.count_methods(&text).min(10) as f64,
            f64::from(u8::from(mech)),
        ])
    }
}

/// The first model: standardization and coefficients per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandModel {
    pub features: Vec<ModelFeature>,
    pub intercept: f64,
    /// Probability at or above which `MIL001` is emitted.
    pub threshold: f64,
    /// How it was trained (data, matching, regularization) and its measured metrics.
    pub provenance: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFeature {
    pub name: String,
    pub mean: f64,
    pub std: f64,
    pub coefficient: f64,
}

/// A score and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandScore {
    pub probability: f64,
    /// Log-odds = intercept + Σ contributions.
    pub intercept: f64,
    /// Sorted by |contribution|, largest first.
    pub contributions: Vec<Contribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub feature: String,
    pub value: f64,
    /// Coefficient × standardized value, in log-odds.
    pub log_odds: f64,
}

impl HandModel {
    /// The model shipped in the crate.
    pub fn shipped() -> Result<HandModel> {
        HandModel::from_json(SHIPPED_MODEL, "data/model.json")
    }
    pub fn load(path: &Path) -> Result<HandModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        HandModel::from_json(&text, &path.display().to_string())
    }
    pub fn from_json(text: &str, origin: &str) -> Result<HandModel> {
        let m: HandModel = serde_json::from_str(text).map_err(|e| Error::format(origin, e.to_string()))?;
        if m.features.len() != FEATURES.len() || m.features.iter().zip(FEATURES).any(|(f, (n, _))| f.name != n) {
            return Err(Error::format(origin, "model features do not match this version's FEATURES"));
        }
        Ok(m)
    }
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn score(&self, x: &FeatureVector) -> HandScore {
        let mut contributions: Vec<Contribution> = self
            .features
            .iter()
            .zip(&x.0)
            .map(|(f, v)| Contribution {
                feature: f.name.clone(),
                value: *v,
                log_odds: f.coefficient * (v - f.mean) / f.std,
            })
            .collect();
        let z = self.intercept + contributions.iter().map(|c| c.log_odds).sum::<f64>();
        contributions
            .sort_by(|a, b| b.log_odds.abs().total_cmp(&a.log_odds.abs()).then_with(|| a.feature.cmp(&b.feature)));
        HandScore { probability: sigmoid(z), intercept: self.intercept, contributions }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Metrics of scores against labels at a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub roc_auc: f64,
    pub false_positive_rate: f64,
    /// Precision if positives were 2% of works (same recall and false-positive rate).
    pub precision_at_2pct: f64,
}

/// Precision at a prevalence from recall (TPR) and false-positive rate.
pub fn precision_at_prevalence(tpr: f64, fpr: f64, prevalence: f64) -> f64 {
    let tp = tpr * prevalence;
    let fp = fpr * (1.0 - prevalence);
    if tp + fp == 0.0 { 0.0 } else { tp / (tp + fp) }
}

pub fn metrics(scores: &[f64], labels: &[bool], threshold: f64) -> Metrics {
    let (mut tp, mut fp, mut fnn, mut tn) = (0.0, 0.0, 0.0, 0.0);
    for (s, l) in scores.iter().zip(labels) {
        match (*s >= threshold, *l) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fnn += 1.0,
            (false, false) => tn += 1.0,
        }
    }
    let precision = if tp + fp == 0.0 { 0.0 } else { tp / (tp + fp) };
    let recall = if tp + fnn == 0.0 { 0.0 } else { tp / (tp + fnn) };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    let fpr = if fp + tn == 0.0 { 0.0 } else { fp / (fp + tn) };
    Metrics {
        precision,
        recall,
        f1,
        roc_auc: roc_auc(scores, labels),
        false_positive_rate: fpr,
        precision_at_2pct: precision_at_prevalence(recall, fpr, 0.02),
    }
}

/// ROC AUC as the Mann-Whitney probability that a positive outscores a negative (ties count half), from
/// ranks: O(n log n).
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n_pos = order.iter().filter(|(_, l)| *l).count() as f64;
    let n_neg = order.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return f64::NAN;
    }
    // Sum of positive ranks, ties given their average rank.
    let (mut rank_sum, mut i) = (0.0, 0usize);
    while i < order.len() {
        let mut j = i;
        while j < order.len() && order[j].0 == order[i].0 {
            j += 1;
        }
        let avg_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += avg_rank * order[i..j].iter().filter(|(_, l)| *l).count() as f64;
        i = j;
    }
    (rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)
}

/// The lowest probability threshold at which at most `max_fpr` of the negatives score at or above it (at
/// least 0.5). Flagging is for review at a low prevalence, so the false-positive budget sets the bar.
pub fn threshold_for_fpr(scores: &[f64], labels: &[bool], max_fpr: f64) -> f64 {
    let mut neg: Vec<f64> = scores.iter().zip(labels).filter(|(_, l)| !**l).map(|(s, _)| *s).collect();
    if neg.is_empty() {
        return 0.5;
    }
    neg.sort_by(|a, b| b.total_cmp(a));
    let allowed = (max_fpr * neg.len() as f64).floor() as usize;
    // Strictly above the (allowed+1)-th highest negative.
    let bar = neg.get(allowed).map_or(0.5, |v| next_up(*v));
    bar.max(0.5)
}

fn next_up(v: f64) -> f64 {
    if v >= 1.0 { 1.0 } else { f64::from_bits(v.to_bits() + 1) }
}
