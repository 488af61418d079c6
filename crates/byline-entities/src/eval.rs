//! Precision/recall measurement: one labeled item is a string with the id it should match (or `None` when
//! nothing should), one prediction the best candidate with its score. Curves over the threshold show where a
//! matcher stands; nothing here is tuned to a data set.

use serde::{Deserialize, Serialize};

/// Precision and recall at one score threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PrPoint {
    pub threshold: f64,
    /// Correct predictions / predictions made (1.0 when none were made).
    pub precision: f64,
    /// Correct predictions / items that have a gold id.
    pub recall: f64,
    pub predicted: usize,
    pub correct: usize,
    pub gold_positive: usize,
}

/// One labeled item's outcome: the gold id, and the best prediction with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub gold: Option<String>,
    pub predicted: Option<(String, f64)>,
}

/// Precision/recall at a threshold: a prediction counts when its score is ≥ `threshold`; it is correct when
/// it equals the gold id. A prediction on an item without gold id is a false positive.
pub fn pr_at(outcomes: &[Outcome], threshold: f64) -> PrPoint {
    let gold_positive = outcomes.iter().filter(|o| o.gold.is_some()).count();
    let mut predicted = 0;
    let mut correct = 0;
    for o in outcomes {
        if let Some((id, score)) = &o.predicted
            && *score >= threshold
        {
            predicted += 1;
            if o.gold.as_deref() == Some(id.as_str()) {
                correct += 1;
            }
        }
    }
    PrPoint {
        threshold,
        precision: if predicted == 0 { 1.0 } else { correct as f64 / predicted as f64 },
        recall: if gold_positive == 0 { 1.0 } else { correct as f64 / gold_positive as f64 },
        predicted,
        correct,
        gold_positive,
    }
}

/// The curve at the given thresholds.
pub fn pr_curve(outcomes: &[Outcome], thresholds: &[f64]) -> Vec<PrPoint> {
    thresholds.iter().map(|t| pr_at(outcomes, *t)).collect()
}

/// A plain-text table of a curve, one threshold a line.
pub fn format_curve(curve: &[PrPoint]) -> String {
    let mut out = String::from("threshold  precision  recall  predicted  correct  gold\n");
    for p in curve {
        out.push_str(&format!(
            "{:>9.2}  {:>9.4}  {:>6.4}  {:>9}  {:>7}  {:>4}\n",
            p.threshold, p.precision, p.recall, p.predicted, p.correct, p.gold_positive
        ));
    }
    out
}
