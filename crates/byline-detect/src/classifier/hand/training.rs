//! Training the first model ([`super::HandModel`]) and cross-validating it: the only code that needs linfa,
//! linfa-logistic and ndarray, built with the `train` feature.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{FEATURES, FeatureVector, HandModel, Metrics, ModelFeature, metrics};
use crate::{Error, Result};

/// Regularization strength (L2 `alpha`): moderate, because ~120 positives cannot support sharp weights.
pub const DEFAULT_ALPHA: f64 = 1.0;

/// Trains a model on feature vectors and labels (true = paper mill).
#[allow(clippy::needless_range_loop)] // column loops over a small matrix read clearer with indices
pub fn train(x: &[FeatureVector], y: &[bool], alpha: f64) -> Result<HandModel> {
    let d = FEATURES.len();
    if x.is_empty() || x.len() != y.len() || !y.iter().any(|v| *v) || y.iter().all(|v| *v) {
        return Err(Error::Training("need both classes and one label per vector".into()));
    }
    let n = x.len();
    let mut mean = vec![0.0; d];
    let mut std = vec![0.0; d];
    for v in x {
        for j in 0..d {
            mean[j] += v.0[j] / n as f64;
        }
    }
    for v in x {
        for j in 0..d {
            std[j] += (v.0[j] - mean[j]).powi(2) / n as f64;
        }
    }
    let std: Vec<f64> = std.into_iter().map(|s| if s.sqrt() < 1e-9 { 1.0 } else { s.sqrt() }).collect();
    let mut m = Array2::<f64>::zeros((n, d));
    for (i, v) in x.iter().enumerate() {
        for j in 0..d {
            m[[i, j]] = (v.0[j] - mean[j]) / std[j];
        }
    }
    let targets: Array1<bool> = y.iter().copied().collect();
    let dataset = Dataset::new(m, targets);
    let fitted = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(500)
        .fit(&dataset)
        .map_err(|e| Error::Training(e.to_string()))?;
    // linfa's positive class is the larger one; flip signs when that is `false`.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let features = (0..d)
        .map(|j| ModelFeature {
            name: FEATURES[j].0.to_owned(),
            mean: mean[j],
            std: std[j],
            coefficient: sign * fitted.params()[j],
        })
        .collect();
    Ok(HandModel {
        features,
        intercept: sign * fitted.intercept(),
        threshold: 0.5,
        provenance: serde_json::Value::Null,
    })
}

/// Cross-validation result: pooled out-of-fold metrics and 95% bootstrap percentile intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvReport {
    pub folds: usize,
    /// The probability threshold the metrics are taken at.
    #[serde(default)]
    pub threshold: f64,
    pub n_positive: usize,
    pub n_negative: usize,
    pub pooled: Metrics,
    /// (low, high) 95% intervals for precision, recall, F1, ROC AUC, precision at 2%.
    pub ci_precision: (f64, f64),
    pub ci_recall: (f64, f64),
    pub ci_f1: (f64, f64),
    pub ci_roc_auc: (f64, f64),
    pub ci_precision_at_2pct: (f64, f64),
}

/// Stratified `k`-fold indices (seeded shuffle within each class).
pub fn stratified_folds(labels: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold = vec![0; labels.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..labels.len()).filter(|i| labels[*i] == class).collect();
        idx.shuffle(&mut rng);
        for (n, i) in idx.into_iter().enumerate() {
            fold[i] = n % k.max(1);
        }
    }
    fold
}

/// Out-of-fold probabilities of stratified `k`-fold cross-validation: each work scored by the model trained
/// without its fold.
pub fn out_of_fold_scores(x: &[FeatureVector], y: &[bool], k: usize, alpha: f64, seed: u64) -> Result<Vec<f64>> {
    let folds = stratified_folds(y, k, seed);
    let mut oof = vec![0.0; y.len()];
    for f in 0..k {
        let (tx, ty): (Vec<FeatureVector>, Vec<bool>) =
            (0..y.len()).filter(|i| folds[*i] != f).map(|i| (x[i].clone(), y[i])).unzip();
        let model = train(&tx, &ty, alpha)?;
        for i in (0..y.len()).filter(|i| folds[*i] == f) {
            oof[i] = model.score(&x[i]).probability;
        }
    }
    Ok(oof)
}

/// Stratified k-fold cross-validation at a threshold, with bootstrap intervals over the out-of-fold scores.
pub fn cross_validate(
    x: &[FeatureVector],
    y: &[bool],
    k: usize,
    alpha: f64,
    seed: u64,
    threshold: f64,
) -> Result<CvReport> {
    let oof = out_of_fold_scores(x, y, k, alpha, seed)?;
    Ok(cv_report(&oof, y, k, seed, threshold))
}

/// Pooled metrics of out-of-fold scores at a threshold, with 95% bootstrap percentile intervals.
pub fn cv_report(oof: &[f64], y: &[bool], k: usize, seed: u64, threshold: f64) -> CvReport {
    let pooled = metrics(oof, y, threshold);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb007);
    let mut samples: Vec<Metrics> = Vec::new();
    let n = y.len();
    for _ in 0..1000 {
        let idx: Vec<usize> = (0..n).map(|_| rand::Rng::random_range(&mut rng, 0..n)).collect();
        let s: Vec<f64> = idx.iter().map(|i| oof[*i]).collect();
        let l: Vec<bool> = idx.iter().map(|i| y[*i]).collect();
        samples.push(metrics(&s, &l, threshold));
    }
    let ci = |f: &dyn Fn(&Metrics) -> f64| -> (f64, f64) {
        let mut v: Vec<f64> = samples.iter().map(f).filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return (f64::NAN, f64::NAN);
        }
        (v[(v.len() as f64 * 0.025) as usize], v[((v.len() as f64 * 0.975) as usize).min(v.len() - 1)])
    };
    CvReport {
        folds: k,
        threshold,
        n_positive: y.iter().filter(|v| **v).count(),
        n_negative: y.iter().filter(|v| !**v).count(),
        pooled,
        ci_precision: ci(&|m| m.precision),
        ci_recall: ci(&|m| m.recall),
        ci_f1: ci(&|m| m.f1),
        ci_roc_auc: ci(&|m| m.roc_auc),
        ci_precision_at_2pct: ci(&|m| m.precision_at_2pct),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two features, the first separating the classes, the second noise.
    fn toy() -> (Vec<FeatureVector>, Vec<bool>) {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in 0..40 {
            let mill = i % 2 == 0;
            let mut v = vec![0.0; FEATURES.len()];
            v[0] = if mill { 3.0 } else { 0.5 } + (i % 5) as f64 * 0.1;
            v[1] = (i % 3) as f64;
            x.push(FeatureVector(v));
            y.push(mill);
        }
        (x, y)
    }

    #[test]
    fn training_learns_the_separating_feature_with_the_right_sign() {
        let (x, y) = toy();
        let m = train(&x, &y, DEFAULT_ALPHA).expect("trains");
        assert!(m.features[0].coefficient > 0.0, "{:?}", m.features[0]);
        assert!(m.score(&x[0]).probability > 0.5 && m.score(&x[1]).probability < 0.5);
        assert!(train(&x, &vec![true; x.len()], DEFAULT_ALPHA).is_err(), "one class only");
    }

    #[test]
    fn folds_are_stratified_and_cross_validation_ranks_the_classes() {
        let (x, y) = toy();
        let folds = stratified_folds(&y, 4, 7);
        for f in 0..4 {
            let pos = (0..y.len()).filter(|i| folds[*i] == f && y[*i]).count();
            assert_eq!(pos, 5, "fold {f}");
        }
        let cv = cross_validate(&x, &y, 4, DEFAULT_ALPHA, 7, 0.5).expect("cv");
        assert_eq!((cv.n_positive, cv.n_negative), (20, 20));
        assert!(cv.pooled.roc_auc > 0.99, "{cv:?}");
    }
}
