//! The audit benchmark on planted truth: recall of planted works, false flags on genuine works, and the share
//! of clean researchers who get a high-severity flag.

use std::collections::BTreeSet;
use std::time::Instant;

use byline_model::Severity;
use byline_synth::audit::AuditCorpus;
use rayon::prelude::*;
use serde::Serialize;

use byline_model::Work;

use crate::audit::{AuditIndex, AuditOptions, AuditTarget, audit_researcher};
use crate::identity::{IdentityOptions, PairwiseEvaluation, evaluate_against_orcid, resolve_identities};

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
    /// The hard negatives by kind: genuine one-off works (co-authors never recur), works of a genuine
    /// collaboration abroad, works after a genuine topic change; each count and share flagged (≥ medium).
    pub hard_one_off_works: usize,
    pub hard_one_off_flag_rate: f64,
    pub hard_abroad_works: usize,
    pub hard_abroad_flag_rate: f64,
    pub hard_topic_change_works: usize,
    pub hard_topic_change_flag_rate: f64,
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
    AuditBenchFigures { index_ms, ..bench_audit_on(corpus, &index, options, k) }
}

/// As [`bench_audit`], with co-authors identified by [`resolve_identities`] person ids
/// ([`AuditIndex::build_with_identities`]); `index_ms` includes the resolution.
pub fn bench_audit_resolved(corpus: &AuditCorpus, options: &AuditOptions, k: usize) -> AuditBenchFigures {
    let started = Instant::now();
    let resolution = resolve_identities(&corpus.works, &IdentityOptions::default());
    let index = AuditIndex::build_with_identities(&corpus.works, &resolution);
    let index_ms = started.elapsed().as_millis();
    AuditBenchFigures { index_ms, ..bench_audit_on(corpus, &index, options, k) }
}

/// Identity resolution against the generator's identity truth, read as ORCIDs: every authorship gets a
/// pseudo-ORCID naming its true person, [`evaluate_against_orcid`] hides them, resolves and counts pairs.
pub fn bench_identities(corpus: &AuditCorpus, options: &IdentityOptions) -> PairwiseEvaluation {
    let labeled: Vec<Work> = corpus
        .works
        .iter()
        .zip(&corpus.persons)
        .map(|(w, persons)| {
            let mut w = w.clone();
            for (a, p) in w.authors.iter_mut().zip(persons) {
                a.orcid = Some(format!("synthetic-person-{p}"));
            }
            w
        })
        .collect();
    evaluate_against_orcid(&labeled, options)
}

/// Audits every researcher on a prepared index (see [`bench_audit`]); `index_ms` is left at 0.
pub fn bench_audit_on(
    corpus: &AuditCorpus,
    index: &AuditIndex<'_>,
    options: &AuditOptions,
    k: usize,
) -> AuditBenchFigures {
    let started = Instant::now();
    // Per researcher: (planted, planted in top k & flagged, in top k, flagged, high, genuine, genuine flagged,
    // genuine high, hard, hard flagged, any high on the researcher's own works, planted not found, homonym works,
    // homonym works flagged, then (works, flagged) for one-off, abroad, topic-change hard negatives).
    let rows: Vec<[usize; 20]> = corpus
        .researchers
        .par_iter()
        .map(|r| {
            let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
            let report = audit_researcher(index, &target, options);
            let planted: BTreeSet<&str> = r.planted.iter().map(String::as_str).collect();
            let hard: BTreeSet<&str> = r.hard_negatives.iter().map(String::as_str).collect();
            let own: BTreeSet<&str> = r.works.iter().map(String::as_str).collect();
            let kinds: [BTreeSet<&str>; 3] = [&r.hard_one_off, &r.hard_abroad, &r.hard_topic_change]
                .map(|list| list.iter().map(String::as_str).collect());
            let mut row = [0usize; 20];
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
                    for (i, kind) in kinds.iter().enumerate() {
                        if kind.contains(w.work_id.as_str()) {
                            row[14 + 2 * i] += 1;
                            row[15 + 2 * i] += usize::from(flagged);
                        }
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
    let clean: Vec<&[usize; 20]> = rows.iter().filter(|r| r[0] == 0).collect();
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
        hard_one_off_works: sum(14),
        hard_one_off_flag_rate: ratio(sum(15), sum(14)),
        hard_abroad_works: sum(16),
        hard_abroad_flag_rate: ratio(sum(17), sum(16)),
        hard_topic_change_works: sum(18),
        hard_topic_change_flag_rate: ratio(sum(19), sum(18)),
        clean_researchers_with_high: ratio(clean.iter().filter(|r| r[10] > 0).count(), clean.len()),
        planted_not_found: sum(11),
        homonym_works: sum(12),
        homonym_works_flagged: sum(13),
        index_ms: 0,
        audits_ms,
    }
}
