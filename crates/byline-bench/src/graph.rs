//! The audit benchmark on planted truth: recall of planted works, false flags on genuine works, and the share
//! of clean researchers who get a high-severity flag.

use std::collections::BTreeSet;
use std::time::Instant;

use byline_model::Severity;
use byline_synth::audit::{AuditCorpus, OrcidList, OrcidListState, ResearcherTruth};
use rayon::prelude::*;
use serde::Serialize;

use byline_model::Work;

use byline_graph::audit::{
    AuditIndex, AuditOptions, AuditReport, AuditTarget, ClaimedWorks, MIN_CLAIM_COVERAGE, MIN_CLAIMABLE_WORKS,
    WorkAssessment, audit_researcher,
};
use byline_graph::identity::{IdentityOptions, PairwiseEvaluation, evaluate_against_orcid, resolve_identities};

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
    /// Genuine works and planted works (both kinds) with `ORC001` (not in a kept ORCID list) / those works: 0
    /// without claims.
    pub genuine_orc001_rate: f64,
    pub planted_orc001_rate: f64,
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
    /// Works with `ORC001`: (genuine, planted).
    orc001: [usize; 2],
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
            count(r, &audit_researcher(index, &target, options), k)
        })
        .collect();
    AuditBenchFigures { audits_ms: started.elapsed().as_millis(), ..figures(&rows, k) }
}

/// One researcher's counts against the truth.
fn count(r: &ResearcherTruth, report: &AuditReport, k: usize) -> Counts {
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
        let orc001 = usize::from(w.findings.iter().any(|f| f.code == "ORC001"));
        if stranger.contains(id) || broker.contains(id) {
            c.orc001[1] += orc001;
        } else if own.contains(id) {
            c.orc001[0] += orc001;
        }
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
}

/// The figures over researchers' counts (`index_ms`, `audits_ms` left at 0).
fn figures(rows: &[Counts], k: usize) -> AuditBenchFigures {
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
        genuine_orc001_rate: ratio(sum(&|c| c.orc001[0]), sum(&|c| c.genuine[0])),
        planted_orc001_rate: ratio(sum(&|c| c.orc001[1]), stranger_works + broker_works),
        index_ms: 0,
        audits_ms: 0,
    }
}

/// The claims input `byline audit --fetch` builds from a fetched ORCID record (`claimed_works` in
/// `src/cmd/audit.rs`): every listed work's `doi:…` (normalized) and `pmid:…` keys, with whether the researcher
/// added it and who did ("the researcher" or the organisations, sorted, as `ClaimedWork::added_by` says);
/// `None` when there is no ORCID record.
pub fn claims_of(list: &OrcidList) -> Option<ClaimedWorks> {
    if list.state == OrcidListState::NoRecord {
        return None;
    }
    let mut works = std::collections::BTreeMap::new();
    for w in &list.works {
        let by_self = w.sources.iter().any(|(_, own)| *own);
        let mut names: Vec<String> =
            w.sources.iter().map(|(name, own)| if *own { "the researcher".to_owned() } else { name.clone() }).collect();
        names.sort();
        names.dedup();
        let claim = (by_self, names.join(", "));
        let doi = w.doi.as_deref().and_then(byline_model::normalize_doi).map(|d| format!("doi:{d}"));
        for key in doi.into_iter().chain(w.pmid.iter().map(|p| format!("pmid:{p}"))) {
            works.insert(key, claim.clone());
        }
    }
    Some(ClaimedWorks { works, last_modified_year: list.last_modified_year, ..ClaimedWorks::default() })
}

/// The audit without and with the researchers' ORCID lists, on one index, in one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimsBenchFigures {
    /// Every figure without claims (the issue-16 bench) and with them.
    pub without: AuditBenchFigures,
    pub with: AuditBenchFigures,
    /// "all", then one row per list state (maintained, stale, empty, none).
    pub by_state: Vec<ClaimsStateRow>,
    /// How much of what each list could hold it holds, as `ORC001` computes it (planted works count in the
    /// record), per list state with at least one work it could hold.
    pub coverage: Vec<CoverageRow>,
    /// `ORC001`'s two thresholds varied (see [`claims_sweep`]).
    pub sweep: Vec<SweepRow>,
    /// Milliseconds of the audits without claims (comparable with [`AuditBenchFigures::audits_ms`]).
    pub audits_ms_without: u128,
}

/// One list state's figures, without and with the ORCID signal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimsStateRow {
    pub state: String,
    pub without: AuditBenchFigures,
    pub with: AuditBenchFigures,
}

/// Coverage of the lists of one state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CoverageRow {
    pub state: String,
    /// Lists with at least one work they could hold; … with at least [`MIN_CLAIMABLE_WORKS`].
    pub lists: usize,
    pub lists_min_works: usize,
    /// Coverage quantiles (10th, 50th, 90th percentile).
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
    /// Lists at or above [`MIN_CLAIM_COVERAGE`] with at least [`MIN_CLAIMABLE_WORKS`]: `ORC001` can fire.
    pub active: usize,
}

/// The figures with claims had `ORC001` used `min_coverage` and `min_works` instead of the audit's constants.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SweepRow {
    pub min_coverage: f64,
    pub min_works: usize,
    /// Lists on which `ORC001` can fire.
    pub active_lists: usize,
    /// Works with an `ORC001` finding (whatever the severity): planted; genuine on all lists, on stale lists,
    /// on empty lists. Exact at every threshold (the unlisted works a list could hold).
    pub planted_orc001_rate: f64,
    pub genuine_orc001_rate: f64,
    pub stale_genuine_orc001_rate: f64,
    pub empty_genuine_orc001_rate: f64,
    /// The audit's figures: measured only at thresholds at or above the audit's constants (a record `ORC001`
    /// can fire on is then one it fired on in this run); `None` below them (lower the constants to measure).
    pub flags: Option<SweepFlags>,
    /// True for the audit's own thresholds.
    pub current: bool,
}

/// Recall and false flags at one threshold pair of the sweep.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SweepFlags {
    pub recall_at_k: f64,
    pub broker_recall_at_5: f64,
    pub genuine_flag_rate: f64,
    pub clean_researchers_with_high: f64,
    /// Genuine works flagged on stale and empty lists (what must not flag everything).
    pub stale_genuine_flag_rate: f64,
    pub empty_genuine_flag_rate: f64,
}

/// The thresholds [`bench_audit_claims`] sweeps: `MIN_CLAIM_COVERAGE` × `MIN_CLAIMABLE_WORKS`.
pub const SWEEP_COVERAGES: &[f64] = &[0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
pub const SWEEP_MIN_WORKS: &[usize] = &[1, 3, 5, 10];

/// One researcher: list state, counts without claims, with, and with `ORC001` unable to fire (the list's date
/// before every work: `ORC002` only); (held, could hold) as `ORC001` computes it, and the works the list could
/// hold but does not (genuine, planted): those `ORC001` is on when it can fire.
struct ClaimsRow {
    state: OrcidListState,
    without: Counts,
    with: Counts,
    orc002_only: Counts,
    coverage: Option<(usize, usize)>,
    unlisted: [usize; 2],
}

/// The audit of every researcher without and with their ORCID list ([`claims_of`]); `options.claims` is
/// replaced per researcher. The sweep of `ORC001`'s thresholds is computed, not re-run: whether `ORC001` can
/// fire is decided per record (coverage and size), so at thresholds at or above the audit's constants each
/// researcher takes either the audit with claims or the one with `ORC001` unable to fire (a test checks the
/// current pair against the audit with claims); below them only the `ORC001` counts are exact.
pub fn bench_audit_claims(
    corpus: &AuditCorpus,
    index: &AuditIndex<'_>,
    options: &AuditOptions,
    k: usize,
) -> ClaimsBenchFigures {
    let target = |r: &ResearcherTruth| AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
    let started = Instant::now();
    let bare = AuditOptions { claims: None, ..options.clone() };
    let without: Vec<Counts> =
        corpus.researchers.par_iter().map(|r| count(r, &audit_researcher(index, &target(r), &bare), k)).collect();
    let audits_ms_without = started.elapsed().as_millis();
    let rows: Vec<ClaimsRow> = corpus
        .researchers
        .par_iter()
        .zip(without)
        .map(|(r, without)| {
            let claims = claims_of(&r.orcid);
            let with_options = AuditOptions { claims: claims.clone(), ..options.clone() };
            let report = audit_researcher(index, &target(r), &with_options);
            let coverage = claims.as_ref().map(|c| record_coverage(&report, c));
            let unlisted = claims.as_ref().map_or([0, 0], |c| unlisted_works(r, &report, c));
            let silenced = claims.map(|c| ClaimedWorks { last_modified_year: Some(i32::MIN), ..c });
            let orc002_only = match &silenced {
                Some(_) => {
                    let o = AuditOptions { claims: silenced, ..options.clone() };
                    count(r, &audit_researcher(index, &target(r), &o), k)
                }
                None => without,
            };
            ClaimsRow { state: r.orcid.state, without, with: count(r, &report, k), orc002_only, coverage, unlisted }
        })
        .collect();

    let of = |pick: &dyn Fn(&ClaimsRow) -> Counts, keep: &dyn Fn(&ClaimsRow) -> bool| {
        let counts: Vec<Counts> = rows.iter().filter(|r| keep(r)).map(pick).collect();
        figures(&counts, k)
    };
    let mut by_state = vec![ClaimsStateRow {
        state: "all".to_owned(),
        without: of(&|r| r.without, &|_| true),
        with: of(&|r| r.with, &|_| true),
    }];
    let mut coverage = Vec::new();
    for state in OrcidListState::ALL {
        let mine = |r: &ClaimsRow| r.state == state;
        by_state.push(ClaimsStateRow {
            state: state.label().to_owned(),
            without: of(&|r| r.without, &mine),
            with: of(&|r| r.with, &mine),
        });
        if state == OrcidListState::NoRecord {
            continue;
        }
        let mut shares: Vec<f64> = rows
            .iter()
            .filter(|r| mine(r))
            .filter_map(|r| r.coverage)
            .filter(|(_, could)| *could > 0)
            .map(|(held, could)| held as f64 / could as f64)
            .collect();
        shares.sort_by(f64::total_cmp);
        let q = |p: f64| shares.get(((shares.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
        let at = |r: &ClaimsRow, min_works: usize| r.coverage.is_some_and(|(_, could)| could >= min_works) && mine(r);
        coverage.push(CoverageRow {
            state: state.label().to_owned(),
            lists: shares.len(),
            lists_min_works: rows.iter().filter(|r| at(r, MIN_CLAIMABLE_WORKS)).count(),
            p10: q(0.1),
            median: q(0.5),
            p90: q(0.9),
            active: rows
                .iter()
                .filter(|r| mine(r) && active(r.coverage, MIN_CLAIM_COVERAGE, MIN_CLAIMABLE_WORKS))
                .count(),
        });
    }
    let mut sweep = Vec::new();
    let total = |keep: &dyn Fn(&ClaimsRow) -> bool, i: usize| -> usize {
        rows.iter()
            .filter(|r| keep(r))
            .map(|r| if i == 0 { r.with.genuine[0] } else { r.with.stranger[0] + r.with.broker[0] })
            .sum()
    };
    for &min_works in SWEEP_MIN_WORKS {
        for &min_coverage in SWEEP_COVERAGES {
            let on = |r: &ClaimsRow| active(r.coverage, min_coverage, min_works);
            let orc001 = |keep: &dyn Fn(&ClaimsRow) -> bool, i: usize| {
                let fired: usize = rows.iter().filter(|r| keep(r) && on(r)).map(|r| r.unlisted[i]).sum();
                let works = total(keep, i);
                if works == 0 { 0.0 } else { fired as f64 / works as f64 }
            };
            let is = |state: OrcidListState| move |r: &ClaimsRow| r.state == state;
            let measured = min_coverage >= MIN_CLAIM_COVERAGE - 1e-9 && min_works >= MIN_CLAIMABLE_WORKS;
            let flags = measured.then(|| {
                let pick = |r: &ClaimsRow| if on(r) { r.with } else { r.orc002_only };
                let all = of(&pick, &|_| true);
                SweepFlags {
                    recall_at_k: all.recall_at_k,
                    broker_recall_at_5: all.broker_recall_at_5,
                    genuine_flag_rate: all.genuine_flag_rate,
                    clean_researchers_with_high: all.clean_researchers_with_high,
                    stale_genuine_flag_rate: of(&pick, &is(OrcidListState::Stale)).genuine_flag_rate,
                    empty_genuine_flag_rate: of(&pick, &is(OrcidListState::Empty)).genuine_flag_rate,
                }
            });
            sweep.push(SweepRow {
                min_coverage,
                min_works,
                active_lists: rows.iter().filter(|r| on(r)).count(),
                planted_orc001_rate: orc001(&|_| true, 1),
                genuine_orc001_rate: orc001(&|_| true, 0),
                stale_genuine_orc001_rate: orc001(&is(OrcidListState::Stale), 0),
                empty_genuine_orc001_rate: orc001(&is(OrcidListState::Empty), 0),
                flags,
                current: min_works == MIN_CLAIMABLE_WORKS && (min_coverage - MIN_CLAIM_COVERAGE).abs() < 1e-9,
            });
        }
    }
    let (without, with) = (by_state[0].without.clone(), by_state[0].with.clone());
    ClaimsBenchFigures { without, with, by_state, coverage, sweep, audits_ms_without }
}

/// Whether `ORC001` can fire on a record with this coverage under these thresholds (the audit's rule).
fn active(coverage: Option<(usize, usize)>, min_coverage: f64, min_works: usize) -> bool {
    coverage.is_some_and(|(held, could)| could >= min_works && held as f64 >= min_coverage * could as f64)
}

/// The record's works the list could hold (an identifier, published by its last change) but does not:
/// (genuine, planted), by the truth; homonyms' works are neither.
fn unlisted_works(r: &ResearcherTruth, report: &AuditReport, claims: &ClaimedWorks) -> [usize; 2] {
    let mut n = [0, 0];
    for w in &report.works {
        let keys = work_keys(w);
        if keys.is_empty() || !could_hold(claims, w) || keys.iter().any(|k| claims.works.contains_key(k)) {
            continue;
        }
        if r.planted.contains(&w.work_id) {
            n[1] += 1;
        } else if r.works.contains(&w.work_id) {
            n[0] += 1;
        }
    }
    n
}

/// Published by the list's last change (or the list has no date), as the audit decides it.
fn could_hold(claims: &ClaimedWorks, w: &WorkAssessment) -> bool {
    claims.last_modified_year.is_none_or(|y| w.year.is_some_and(|wy| wy <= y))
}

/// A work's claim keys, as the audit computes them (`doi:` lower-case, `pmid:`).
fn work_keys(w: &WorkAssessment) -> Vec<String> {
    let doi = w.doi.as_ref().map(|d| format!("doi:{}", d.to_lowercase()));
    doi.into_iter().chain(w.pmid.as_ref().map(|p| format!("pmid:{p}"))).collect()
}

/// (held, could hold): the record's works with an identifier published by the list's last change, and those of
/// them the list holds: what `ORC001` computes, from the report's works.
fn record_coverage(report: &AuditReport, claims: &ClaimedWorks) -> (usize, usize) {
    let mut held = 0;
    let mut could = 0;
    for w in &report.works {
        if !could_hold(claims, w) {
            continue;
        }
        let keys = work_keys(w);
        if keys.is_empty() {
            continue;
        }
        could += 1;
        held += usize::from(keys.iter().any(|k| claims.works.contains_key(k)));
    }
    (held, could)
}

/// What the Japanese planted case measured ([`bench_japanese`], issue 21).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JapaneseFigures {
    pub researchers: usize,
    pub forged_works: usize,
    pub genuine_kanji_works: usize,
    pub genuine_romaji_works: usize,
    /// Forged works (romaji name only) found and flagged (≥ medium) in the researcher's top k / forged works.
    pub forged_recall: f64,
    /// Genuine works (both scripts) flagged (≥ medium) / genuine works.
    pub false_flag_rate: f64,
    /// Genuine works found by the audit's record search / genuine works, in each script.
    pub found_kanji: f64,
    pub found_romaji: f64,
    /// The same audit by the romaji name alone, without the record (no variants, no declared co-authors, no
    /// institution master): what the record adds.
    pub name_only_found_kanji: f64,
    pub name_only_forged_recall: f64,
    pub name_only_false_flag_rate: f64,
    /// Identity resolution over the case's works against the generator's identities (pairs of labelled
    /// authorships): with every record's people declared (`resolve_identities_declared`: researchers and labs,
    /// names in kanji, kana and romaji), and without (`resolve_identities`).
    pub identity_precision: f64,
    pub identity_recall: f64,
    pub identity_precision_undeclared: f64,
    pub identity_recall_undeclared: f64,
}

/// The Japanese planted case: each researcher audited as `byline audit --name "Family, Given" --disclosure
/// kaken:… --kaken-institutions …` does it (the record's kanji, kana and romaji names as
/// `AuditTarget::name_variants`, the lab members as declared people, institutions keyed by a KAKEN-style
/// master through `KakenMatcher`), and by name alone for comparison.
pub fn bench_japanese(case: &byline_synth::japanese::JapaneseCase, k: usize) -> anyhow::Result<JapaneseFigures> {
    use byline_entities::kaken_institutions::{KakenInstitutions, KakenMatcher, RegistryKeys};
    use byline_graph::DeclaredPerson;
    let master = KakenInstitutions::parse(case.master_csv.as_bytes(), "generated master")?;
    let matcher = KakenMatcher::new(master);
    let mut keys = RegistryKeys::default();
    let strings = case.works.iter().flat_map(|w| &w.authors).flat_map(|a| &a.affiliations).map(|a| a.raw.as_str());
    matcher.add_registry_keys(&mut keys, strings, &std::collections::BTreeMap::new());
    // [found kanji, found romaji, forged flagged in top k, genuine flagged] with the record, then by name only.
    let rows: Vec<JapaneseRow> = case
        .researchers
        .par_iter()
        .map(|r| {
            let declared: Vec<DeclaredPerson> = r
                .collaborators
                .iter()
                .enumerate()
                .map(|(i, names)| DeclaredPerson::new(&format!("m{i}"), names))
                .collect();
            let options = AuditOptions { declared, institution_keys: keys.keys.clone(), ..AuditOptions::default() };
            let target =
                AuditTarget { name: Some(r.name.clone()), name_variants: r.variants.clone(), ..AuditTarget::default() };
            let index = AuditIndex::build_declared(&case.works, &options.declared);
            let with = japanese_counts(r, &audit_researcher(&index, &target, &options), k);
            let plain_index = AuditIndex::build(&case.works);
            let name_only = AuditTarget { name: Some(r.name.clone()), ..AuditTarget::default() };
            let without = japanese_counts(r, &audit_researcher(&plain_index, &name_only, &AuditOptions::default()), k);
            (with, without)
        })
        .collect();
    let sum = |f: &dyn Fn(&JapaneseRow) -> usize| rows.iter().map(f).sum::<usize>();
    // Identity resolution across scripts: every record's people declared, and none.
    let everyone: Vec<DeclaredPerson> = case
        .researchers
        .iter()
        .flat_map(|r| std::iter::once(&r.variants).chain(&r.collaborators))
        .enumerate()
        .map(|(i, names)| DeclaredPerson::new(&format!("d{i}"), names))
        .collect();
    let options = byline_graph::IdentityOptions::default();
    let declared = byline_graph::resolve_identities_declared(&case.works, &options, &everyone);
    let undeclared = byline_graph::resolve_identities(&case.works, &options);
    let (identity_precision, identity_recall) = pairwise(&case.identities, &declared);
    let (identity_precision_undeclared, identity_recall_undeclared) = pairwise(&case.identities, &undeclared);
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let kanji: usize = case.researchers.iter().map(|r| r.genuine_kanji.len()).sum();
    let romaji: usize = case.researchers.iter().map(|r| r.genuine_romaji.len()).sum();
    let forged: usize = case.researchers.iter().map(|r| r.forged.len()).sum();
    Ok(JapaneseFigures {
        researchers: case.researchers.len(),
        forged_works: forged,
        genuine_kanji_works: kanji,
        genuine_romaji_works: romaji,
        forged_recall: ratio(sum(&|r| r.0[2]), forged),
        false_flag_rate: ratio(sum(&|r| r.0[3]), kanji + romaji),
        found_kanji: ratio(sum(&|r| r.0[0]), kanji),
        found_romaji: ratio(sum(&|r| r.0[1]), romaji),
        name_only_found_kanji: ratio(sum(&|r| r.1[0]), kanji),
        name_only_forged_recall: ratio(sum(&|r| r.1[2]), forged),
        name_only_false_flag_rate: ratio(sum(&|r| r.1[3]), kanji + romaji),
        identity_precision,
        identity_recall,
        identity_precision_undeclared,
        identity_recall_undeclared,
    })
}

/// Pairwise precision and recall of a resolution on labelled authorships (work id, position, true person).
fn pairwise(truth: &[(String, u32, String)], resolution: &byline_graph::Resolution) -> (f64, f64) {
    use std::collections::BTreeMap;
    let labelled: Vec<(&str, &str)> =
        truth.iter().filter_map(|(w, p, t)| resolution.person_of(w, *p).map(|r| (t.as_str(), r))).collect();
    let pairs = |key: &dyn Fn(&(&str, &str)) -> String| -> u64 {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for l in &labelled {
            *counts.entry(key(l)).or_default() += 1;
        }
        counts.values().map(|n| n * n.saturating_sub(1) / 2).sum()
    };
    let true_pairs = pairs(&|l| l.0.to_owned());
    let predicted = pairs(&|l| l.1.to_owned());
    let correct = pairs(&|l| format!("{}\u{1f}{}", l.0, l.1));
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (ratio(correct, predicted), ratio(correct, true_pairs))
}

/// One researcher's [`japanese_counts`] with the record, and by name alone.
type JapaneseRow = ([usize; 4], [usize; 4]);

/// [genuine kanji works found, genuine romaji works found, forged works flagged (≥ medium) in the top k,
/// genuine works flagged (≥ medium)] of one audit.
fn japanese_counts(r: &byline_synth::japanese::JapaneseResearcherTruth, report: &AuditReport, k: usize) -> [usize; 4] {
    let mut c = [0; 4];
    for w in &report.works {
        let id = &w.work_id;
        let flagged = w.severity >= Severity::Medium;
        if r.genuine_kanji.contains(id) {
            c[0] += 1;
            c[3] += usize::from(flagged);
        } else if r.genuine_romaji.contains(id) {
            c[1] += 1;
            c[3] += usize::from(flagged);
        } else if r.forged.contains(id) {
            c[2] += usize::from(flagged && w.rank <= k);
        }
    }
    c
}
