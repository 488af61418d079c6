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
    /// Planted works of both kinds: strangers' works and broker forgeries.
    pub planted_works: usize,
    pub planted_stranger_works: usize,
    pub planted_broker_works: usize,
    pub genuine_works: usize,
    pub hard_negative_works: usize,
    /// The k of recall@k.
    pub k: usize,
    /// Strangers' planted works (the original kind) ranked in a researcher's top k *and* flagged (severity ≥
    /// medium), over those works.
    pub recall_at_k: f64,
    /// Strangers' planted works ranked in the top k, whatever their severity.
    pub recall_at_k_ranked: f64,
    /// Strangers' planted works flagged (≥ medium) / those works.
    pub recall_flagged: f64,
    /// Strangers' planted works at high severity / those works.
    pub recall_high: f64,
    /// Broker forgeries in the top 5 (top 10) and flagged (≥ medium), over broker forgeries.
    pub broker_recall_at_5: f64,
    pub broker_recall_at_10: f64,
    /// Broker forgeries in the top 5, whatever their severity.
    pub broker_recall_at_5_ranked: f64,
    pub broker_recall_high: f64,
    /// Genuine works flagged (≥ medium) / genuine works.
    pub genuine_flag_rate: f64,
    /// Genuine works at high severity / genuine works.
    pub genuine_high_rate: f64,
    /// Hard-negative genuine works (one-off, abroad, topic change, new team) flagged (≥ medium) / hard negatives.
    pub hard_negative_flag_rate: f64,
    /// The hard negatives by kind: genuine one-off works (co-authors never recur), works of a genuine
    /// collaboration abroad, works after a genuine topic change, works of a genuine new team; each count, share
    /// flagged (≥ medium) and share ranked in the researcher's top 5.
    pub hard_one_off_works: usize,
    pub hard_one_off_flag_rate: f64,
    pub hard_one_off_top5_rate: f64,
    pub hard_abroad_works: usize,
    pub hard_abroad_flag_rate: f64,
    pub hard_abroad_top5_rate: f64,
    pub hard_topic_change_works: usize,
    pub hard_topic_change_flag_rate: f64,
    pub hard_topic_change_top5_rate: f64,
    pub hard_new_team_works: usize,
    pub hard_new_team_flag_rate: f64,
    pub hard_new_team_top5_rate: f64,
    /// Researchers with both a genuine new team and broker forgeries …
    pub new_team_with_broker_researchers: usize,
    /// … the share of them whose every new-team work ranks below every broker forgery.
    pub new_team_below_broker: f64,
    /// The same over researchers with a new team and any planted work.
    pub new_team_with_planted_researchers: usize,
    pub new_team_below_planted: f64,
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

/// One researcher's counts (see [`bench_audit_on`]).
#[derive(Default, Clone, Copy)]
struct Counts {
    /// (works, in top k & flagged, in top k, flagged, high) for strangers' works; (works, top 5 & flagged,
    /// top 10 & flagged, top 5, high) for broker forgeries.
    stranger: [usize; 5],
    broker: [usize; 5],
    /// (works, flagged, high) genuine; (works, flagged) hard negatives.
    genuine: [usize; 3],
    hard: [usize; 2],
    /// Per hard kind (one-off, abroad, topic change, new team): (works, flagged, top 5).
    kinds: [[usize; 3]; 4],
    any_high: bool,
    planted_not_found: usize,
    homonym: [usize; 2],
    /// Has a new team / broker forgeries / any planted work; every new-team work below every broker
    /// forgery / every planted work.
    has_new_team: bool,
    has_broker: bool,
    has_planted: bool,
    new_team_below_broker: bool,
    new_team_below_planted: bool,
}

/// Audits every researcher on a prepared index (see [`bench_audit`]); `index_ms` is left at 0.
pub fn bench_audit_on(
    corpus: &AuditCorpus,
    index: &AuditIndex<'_>,
    options: &AuditOptions,
    k: usize,
) -> AuditBenchFigures {
    let started = Instant::now();
    let rows: Vec<Counts> = corpus
        .researchers
        .par_iter()
        .map(|r| {
            let target = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
            let report = audit_researcher(index, &target, options);
            let set = |list: &[String]| -> BTreeSet<String> { list.iter().cloned().collect() };
            let (stranger, broker, own) = (set(&r.planted_stranger), set(&r.planted_broker), set(&r.works));
            let hard = set(&r.hard_negatives);
            let kinds = [set(&r.hard_one_off), set(&r.hard_abroad), set(&r.hard_topic_change), set(&r.hard_new_team)];
            let mut c = Counts::default();
            let mut found = 0;
            // The highest place of a new-team work (usize::MAX when there is none).
            let mut new_team_top = usize::MAX;
            for w in &report.works {
                let id = w.work_id.as_str();
                let flagged = w.severity >= Severity::Medium;
                let high = w.severity >= Severity::High;
                let top5 = w.rank <= 5;
                if stranger.contains(id) {
                    found += 1;
                    let s = &mut c.stranger;
                    s[0] += 1;
                    s[1] += usize::from(w.rank <= k && flagged);
                    s[2] += usize::from(w.rank <= k);
                    s[3] += usize::from(flagged);
                    s[4] += usize::from(high);
                } else if broker.contains(id) {
                    found += 1;
                    let b = &mut c.broker;
                    b[0] += 1;
                    b[1] += usize::from(top5 && flagged);
                    b[2] += usize::from(w.rank <= 10 && flagged);
                    b[3] += usize::from(top5);
                    b[4] += usize::from(high);
                } else if !own.contains(id) {
                    c.homonym[0] += 1;
                    c.homonym[1] += usize::from(flagged);
                    continue;
                } else {
                    c.genuine[0] += 1;
                    c.genuine[1] += usize::from(flagged);
                    c.genuine[2] += usize::from(high);
                    if hard.contains(id) {
                        c.hard[0] += 1;
                        c.hard[1] += usize::from(flagged);
                    }
                    for (i, kind) in kinds.iter().enumerate() {
                        if kind.contains(id) {
                            c.kinds[i][0] += 1;
                            c.kinds[i][1] += usize::from(flagged);
                            c.kinds[i][2] += usize::from(top5);
                        }
                    }
                    if kinds[3].contains(id) {
                        new_team_top = new_team_top.min(w.rank);
                    }
                }
                c.any_high |= high;
            }
            c.has_new_team = !kinds[3].is_empty();
            c.has_broker = !broker.is_empty();
            c.has_planted = !broker.is_empty() || !stranger.is_empty();
            c.new_team_below_broker =
                report.works.iter().filter(|w| broker.contains(&w.work_id)).all(|w| w.rank < new_team_top);
            c.new_team_below_planted = report
                .works
                .iter()
                .filter(|w| broker.contains(&w.work_id) || stranger.contains(&w.work_id))
                .all(|w| w.rank < new_team_top);
            c.planted_not_found = (stranger.len() + broker.len()).saturating_sub(found);
            c
        })
        .collect();
    let audits_ms = started.elapsed().as_millis();
    let sum = |f: &dyn Fn(&Counts) -> usize| rows.iter().map(f).sum::<usize>();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let clean: Vec<&Counts> = rows.iter().filter(|r| !r.has_planted).collect();
    let kind = |i: usize| {
        let works = sum(&|c| c.kinds[i][0]);
        (works, ratio(sum(&|c| c.kinds[i][1]), works), ratio(sum(&|c| c.kinds[i][2]), works))
    };
    let (one_off, abroad, topic, new_team) = (kind(0), kind(1), kind(2), kind(3));
    let with_broker: Vec<&Counts> = rows.iter().filter(|r| r.has_new_team && r.has_broker).collect();
    let with_planted: Vec<&Counts> = rows.iter().filter(|r| r.has_new_team && r.has_planted).collect();
    let stranger_works = sum(&|c| c.stranger[0]);
    let broker_works = sum(&|c| c.broker[0]);
    AuditBenchFigures {
        researchers: rows.len(),
        clean_researchers: clean.len(),
        planted_works: stranger_works + broker_works,
        planted_stranger_works: stranger_works,
        planted_broker_works: broker_works,
        genuine_works: sum(&|c| c.genuine[0]),
        hard_negative_works: sum(&|c| c.hard[0]),
        k,
        recall_at_k: ratio(sum(&|c| c.stranger[1]), stranger_works),
        recall_at_k_ranked: ratio(sum(&|c| c.stranger[2]), stranger_works),
        recall_flagged: ratio(sum(&|c| c.stranger[3]), stranger_works),
        recall_high: ratio(sum(&|c| c.stranger[4]), stranger_works),
        broker_recall_at_5: ratio(sum(&|c| c.broker[1]), broker_works),
        broker_recall_at_10: ratio(sum(&|c| c.broker[2]), broker_works),
        broker_recall_at_5_ranked: ratio(sum(&|c| c.broker[3]), broker_works),
        broker_recall_high: ratio(sum(&|c| c.broker[4]), broker_works),
        genuine_flag_rate: ratio(sum(&|c| c.genuine[1]), sum(&|c| c.genuine[0])),
        genuine_high_rate: ratio(sum(&|c| c.genuine[2]), sum(&|c| c.genuine[0])),
        hard_negative_flag_rate: ratio(sum(&|c| c.hard[1]), sum(&|c| c.hard[0])),
        hard_one_off_works: one_off.0,
        hard_one_off_flag_rate: one_off.1,
        hard_one_off_top5_rate: one_off.2,
        hard_abroad_works: abroad.0,
        hard_abroad_flag_rate: abroad.1,
        hard_abroad_top5_rate: abroad.2,
        hard_topic_change_works: topic.0,
        hard_topic_change_flag_rate: topic.1,
        hard_topic_change_top5_rate: topic.2,
        hard_new_team_works: new_team.0,
        hard_new_team_flag_rate: new_team.1,
        hard_new_team_top5_rate: new_team.2,
        new_team_with_broker_researchers: with_broker.len(),
        new_team_below_broker: ratio(with_broker.iter().filter(|c| c.new_team_below_broker).count(), with_broker.len()),
        new_team_with_planted_researchers: with_planted.len(),
        new_team_below_planted: ratio(
            with_planted.iter().filter(|c| c.new_team_below_planted).count(),
            with_planted.len(),
        ),
        clean_researchers_with_high: ratio(clean.iter().filter(|r| r.any_high).count(), clean.len()),
        planted_not_found: sum(&|c| c.planted_not_found),
        homonym_works: sum(&|c| c.homonym[0]),
        homonym_works_flagged: sum(&|c| c.homonym[1]),
        index_ms: 0,
        audits_ms,
    }
}
