//! The audit benchmark on planted truth: recall of planted works, false flags on genuine works, and the share
//! of clean researchers who get a high-severity flag.

use std::collections::BTreeSet;
use std::time::Instant;

use byline_model::Severity;
use byline_synth::audit::AuditCorpus;
use rayon::prelude::*;
use serde::Serialize;

use crate::audit::{AuditIndex, AuditOptions, AuditTarget, audit_researcher};

/// What [`bench_audit`] measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuditBenchFigures {
    pub researchers: usize,
    pub clean_researchers: usize,
    pub planted_works: usize,
    pub genuine_works: usize,
    pub hard_negative_works: usize,
    /// The k of recall@k.
    pub k: usize,
    /// Planted works ranked in a researcher's top k *and* flagged (severity ≥ medium), over all planted works.
    pub recall_at_k: f64,
    /// Planted works ranked in the top k, whatever their severity.
    pub recall_at_k_ranked: f64,
    /// Planted works flagged (≥ medium) / planted works.
    pub recall_flagged: f64,
    /// Planted works at high severity / planted works.
    pub recall_high: f64,
    /// Genuine works flagged (≥ medium) / genuine works.
    pub genuine_flag_rate: f64,
    /// Genuine works at high severity / genuine works.
    pub genuine_high_rate: f64,
    /// Hard-negative genuine works (one-off, abroad, topic change) flagged (≥ medium) / hard negatives.
    pub hard_negative_flag_rate: f64,
    /// Clean researchers (no planted work) with any high-severity work / clean researchers.
    pub clean_researchers_with_high: f64,
    /// Planted works the name search did not find (should be 0).
    pub planted_not_found: usize,
    /// Works the name search found that belong to a *homonym* (another synthetic person with the same name):
    /// not the researcher's, so flagging them is right; counted apart from genuine works.
    pub homonym_works: usize,
    pub homonym_works_flagged: usize,
    pub index_ms: u128,
    pub audits_ms: u128,
}

/// Audits every researcher of a planted-truth corpus by name and measures the audit against the truth.
pub fn bench_audit(corpus: &AuditCorpus, options: &AuditOptions, k: usize) -> AuditBenchFigures {
    let started = Instant::now();
    let index = AuditIndex::build(&corpus.works);
    let index_ms = started.elapsed().as_millis();
    let started = Instant::now();
    // Per researcher: (planted, planted in top k & flagged, in top k, flagged, high, genuine, genuine flagged,
    // genuine high, hard, hard flagged, any high on the researcher's own works, planted not found, homonym works,
    // homonym works flagged).
    let rows: Vec<[usize; 14]> = corpus
        .researchers
        .par_iter()
        .map(|r| {
            let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
            let report = audit_researcher(&index, &target, options);
            let planted: BTreeSet<&str> = r.planted.iter().map(String::as_str).collect();
            let hard: BTreeSet<&str> = r.hard_negatives.iter().map(String::as_str).collect();
            let own: BTreeSet<&str> = r.works.iter().map(String::as_str).collect();
            let mut row = [0usize; 14];
            row[0] = planted.len();
            let mut found = 0;
            for w in &report.works {
                let flagged = w.severity >= Severity::Medium;
                let high = w.severity >= Severity::High;
                if planted.contains(w.work_id.as_str()) {
                    found += 1;
                    row[1] += usize::from(w.rank <= k && flagged);
                    row[2] += usize::from(w.rank <= k);
                    row[3] += usize::from(flagged);
                    row[4] += usize::from(high);
                } else if !own.contains(w.work_id.as_str()) {
                    row[12] += 1;
                    row[13] += usize::from(flagged);
                    continue;
                } else {
                    row[5] += 1;
                    row[6] += usize::from(flagged);
                    row[7] += usize::from(high);
                    if hard.contains(w.work_id.as_str()) {
                        row[8] += 1;
                        row[9] += usize::from(flagged);
                    }
                }
                row[10] |= usize::from(high);
            }
            row[11] = planted.len().saturating_sub(found);
            row
        })
        .collect();
    let audits_ms = started.elapsed().as_millis();
    let sum = |i: usize| rows.iter().map(|r| r[i]).sum::<usize>();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let clean: Vec<&[usize; 14]> = rows.iter().filter(|r| r[0] == 0).collect();
    AuditBenchFigures {
        researchers: rows.len(),
        clean_researchers: clean.len(),
        planted_works: sum(0),
        genuine_works: sum(5),
        hard_negative_works: sum(8),
        k,
        recall_at_k: ratio(sum(1), sum(0)),
        recall_at_k_ranked: ratio(sum(2), sum(0)),
        recall_flagged: ratio(sum(3), sum(0)),
        recall_high: ratio(sum(4), sum(0)),
        genuine_flag_rate: ratio(sum(6), sum(5)),
        genuine_high_rate: ratio(sum(7), sum(5)),
        hard_negative_flag_rate: ratio(sum(9), sum(8)),
        clean_researchers_with_high: ratio(clean.iter().filter(|r| r[10] > 0).count(), clean.len()),
        planted_not_found: sum(11),
        homonym_works: sum(12),
        homonym_works_flagged: sum(13),
        index_ms,
        audits_ms,
    }
}
