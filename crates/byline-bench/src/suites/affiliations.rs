//! `byline-bench affiliations`: researchers with planted undisclosed affiliations and funders, co-authors at
//! screening-list organisations and at similarly named unlisted ones (byline-synth), scored by
//! `crate::entities`; plus matching speed against all lists and against ROR.
//!
//! The lists are the files given with `--input` (any format `byline lists` reads), else every real list file
//! of the shared data folder ([`REAL_LISTS`] in `BYLINE_SHARED_DATA`, default `../shared/data`): the ASPI
//! tracker, the METI Russia and End User lists, Canada's Named Research Organizations, the BIS Entity List,
//! DoD's Section 1286 list and the CSL sample. ROR is `entities/ror_records_v2.json.gz` there; without it the
//! ROR row is left out (and said so in the notes).
//!
//! With `--strings N` the speed rows are instead N affiliation strings from a seeded stream
//! ([`AffiliationStream`]: the ROR gold strings of the shared data and the planted corpus's strings, drawn and
//! perturbed), matched chunk by chunk against all lists and against ROR, first on one thread (the baseline)
//! and then on all threads. Only the matching is timed; a chunk of strings is made, matched and dropped, so
//! memory stays that of the matchers whatever N is. The peak RSS of each of the four phases is in the notes
//! (the high-water mark is reset between phases, Linux `clear_refs`).

use std::path::PathBuf;
use std::time::Instant;

use crate::entities::{AffiliationStream, bench_affiliations, listed_organisations, ror_gold_strings};
use anyhow::Context as _;
use byline_entities::lists::ScreeningList;
use byline_entities::ror::{DEFAULT_MATCH_THRESHOLD, InstitutionMatcher, RorRegistry};
use byline_entities::screening::ScreeningMatcher;
use byline_synth::affiliations::{AffiliationsConfig, AffiliationsCorpus, generate_affiliations};
use rayon::prelude::*;

use super::{Args, Quality, Report, Row, peak_rss_bytes, reset_peak_rss};
use byline_app::lists::load_list;

/// Bars from the issue: list matches precision ≥ 0.98 at recall ≥ 0.9.
const LIST_PRECISION_BAR: f64 = 0.98;
const LIST_RECALL_BAR: f64 = 0.9;
/// Works per researcher on average (the generator draws 4–10).
const WORKS_PER_RESEARCHER: usize = 7;
/// Strings made and matched at a time with `--strings`: enough to keep every thread busy between chunks,
/// few enough (a few MB with their matches) that memory does not depend on N.
const STREAM_CHUNK: usize = 16_384;

fn entities_dir() -> Option<PathBuf> {
    let base = std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let dir = base.join("entities");
    dir.is_dir().then_some(dir)
}

/// Every real screening-list file of the shared data's `entities/` folder, in the publishers' formats
/// (`entities/SOURCE.md`): what the bench loads when no `--input` is given.
pub const REAL_LISTS: [&str; 7] = [
    "aspi_china_defence_universities_misp.json",
    "jp_meti_russia_list_opensanctions.csv",
    "jp_meti_end_user_list_2025-09-29.xlsx",
    "ca_nro_2024-09-09.html",
    "us_bis_entity_list_nsfreg_2026-07-09.json",
    "us_dod_1286_nsfreg_2026-07-09.json",
    "us_csl_consolidated_sample.csv",
];

fn lists(args: &Args) -> anyhow::Result<Vec<ScreeningList>> {
    if !args.input.is_empty() {
        return args.input.iter().map(|p| load_list(p, None, None)).collect();
    }
    let dir = entities_dir().context(format!(
        "bench affiliations needs screening lists: pass --input LIST_FILE, or set BYLINE_SHARED_DATA to the shared \
         data folder (entities/{})",
        REAL_LISTS.join(", entities/")
    ))?;
    REAL_LISTS.iter().map(|f| load_list(&dir.join(f), None, None)).collect()
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let lists = lists(args)?;
    let inputs: Vec<String> = lists.iter().map(|l| l.source.clone()).collect();
    let loaded: Vec<String> = lists
        .iter()
        .map(|l| {
            let orgs = l.entries.iter().filter(|e| e.matches_affiliations()).count();
            format!("{} {} entries ({orgs} organisations matched)", l.id, l.entries.len())
        })
        .collect();
    let config = AffiliationsConfig {
        seed: args.seed,
        researchers: (args.size / WORKS_PER_RESEARCHER).max(20),
        ..AffiliationsConfig::default()
    };
    let corpus = generate_affiliations(&config, &listed_organisations(&lists));
    let registry = match entities_dir().map(|d| d.join("ror_records_v2.json.gz")).filter(|p| p.is_file()) {
        Some(p) => Some(RorRegistry::load(&p)?),
        None => None,
    };
    let mut screening = ScreeningMatcher::new(lists);
    if let Some(r) = &registry {
        screening = screening.with_registry(r);
    }
    let b = bench_affiliations(&corpus, &screening, None);
    let mut notes = vec![
        format!("lists: {}", loaded.join(", ")),
        format!(
            "{} researchers, {} works; {} distinct affiliation strings: {} naming a list organisation, {} a similarly \
             named unlisted one, {} ordinary",
            b.researchers,
            b.works,
            b.listed_strings + b.similar_unlisted_strings + b.ordinary_strings,
            b.listed_strings,
            b.similar_unlisted_strings,
            b.ordinary_strings
        ),
        format!(
            "list matches: {} reported, {} correct ({} of them another list's entry for the same organisation); {} of \
             {} listed strings found",
            b.list_matches.predicted,
            b.list_matches.correct,
            b.list_same_organisation,
            b.list_matches.found,
            b.list_matches.gold
        ),
    ];
    let mut peak = peak_rss_bytes();
    let (rows, baseline) = match args.strings {
        None => (corpus_rows(&corpus, &screening, registry, &mut notes), CORPUS_BASELINE.to_owned()),
        Some(n) => {
            let mut pool: Vec<String> = entities_dir().map(|d| ror_gold_strings(&d)).unwrap_or_default();
            let gold = pool.len();
            pool.extend(corpus.truth.strings.iter().map(|s| s.raw.clone()));
            notes.push(format!(
                "stream pool: {} strings ({gold} ROR gold strings of the shared data, {} of the planted corpus), seed {}",
                pool.len(),
                pool.len() - gold,
                args.seed
            ));
            drop(corpus);
            let n = usize::try_from(n).context("--strings is too large for this machine")?;
            let rows = stream_rows(n, &pool, args.seed, &screening, registry, &mut notes, &mut peak)?;
            (rows, format!("{n} streamed affiliation strings against all lists (Aho–Corasick), one thread"))
        }
    };
    notes.extend(b.list_false_positives.iter().map(|f| format!("wrong list match: {f}")));
    notes.extend(b.list_missed.iter().map(|f| format!("missed list match: {f}")));
    Ok(Report {
        suite: "affiliations".to_owned(),
        inputs,
        baseline,
        rows,
        quality: vec![
            Quality::at_least("precision", b.list_matches.precision, LIST_PRECISION_BAR),
            Quality::at_least("recall", b.list_matches.recall, LIST_RECALL_BAR),
            Quality::info("undisclosed_affiliation_precision", b.undisclosed_affiliations.precision),
            Quality::info("undisclosed_affiliation_recall", b.undisclosed_affiliations.recall),
            Quality::info("undisclosed_funder_precision", b.undisclosed_funders.precision),
            Quality::info("undisclosed_funder_recall", b.undisclosed_funders.recall),
        ],
        peak_rss_bytes: max_rss(peak, peak_rss_bytes()),
        notes,
    })
}

const CORPUS_BASELINE: &str = "screening every affiliation string against all lists (Aho–Corasick), all threads";

/// The speed rows on the planted corpus: every affiliation occurrence, all threads.
fn corpus_rows(
    corpus: &AffiliationsCorpus,
    screening: &ScreeningMatcher,
    registry: Option<RorRegistry>,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let strings: Vec<&str> =
        corpus.works.iter().flat_map(|w| &w.authors).flat_map(|a| &a.affiliations).map(|a| a.raw.as_str()).collect();
    let bytes: u64 = strings.iter().map(|s| s.len() as u64).sum();
    let threads = rayon::current_num_threads();
    let started = Instant::now();
    let hits: usize = strings.par_iter().map(|s| screening.match_affiliation(s).len()).sum();
    let lists_s = started.elapsed().as_secs_f64();
    std::hint::black_box(hits);
    let baseline = Row::new("affiliation strings → all lists", threads, lists_s, bytes, strings.len() as u64, None);
    let mut rows = Vec::new();
    if let Some(registry) = registry {
        let matcher = InstitutionMatcher::new(registry);
        let started = Instant::now();
        let matched: usize = strings.par_iter().filter(|s| matcher.match_affiliation(s).is_some()).count();
        let ror_s = started.elapsed().as_secs_f64();
        std::hint::black_box(matched);
        rows.push(Row::new("affiliation strings → ROR", threads, ror_s, bytes, strings.len() as u64, Some(&baseline)));
    } else {
        notes.push("ROR records not found in shared data: no ROR row".to_owned());
    }
    rows.insert(0, baseline);
    rows
}

/// One pass of the stream through a matcher.
struct Pass {
    matching_s: f64,
    making_s: f64,
    bytes: u64,
    /// Strings the matcher said something about (a list match, a ROR match).
    hits: u64,
    /// Resident memory when the pass started, and its peak during the pass (when it could be reset).
    start_rss: Option<u64>,
    peak_rss: Option<u64>,
}

/// Makes `n` strings of the stream chunk by chunk and matches each chunk with `hit` (true when the string
/// matched), on all threads or on this one; only the matching is timed.
fn pass(
    n: usize,
    pool: &[String],
    seed: u64,
    parallel: bool,
    hit: &(dyn Fn(&str) -> bool + Sync),
    peak: &mut Option<u64>,
) -> Pass {
    *peak = max_rss(*peak, peak_rss_bytes());
    let reset = reset_peak_rss();
    let start_rss = rss_bytes();
    let mut stream = AffiliationStream::new(pool.to_vec(), seed);
    let mut chunk = Vec::with_capacity(STREAM_CHUNK);
    let (mut matching_s, mut making_s, mut bytes, mut hits) = (0.0, 0.0, 0u64, 0u64);
    let mut left = n;
    while left > 0 {
        let started = Instant::now();
        stream.fill(left.min(STREAM_CHUNK), &mut chunk);
        left -= chunk.len();
        bytes += chunk.iter().map(|s| s.len() as u64).sum::<u64>();
        making_s += started.elapsed().as_secs_f64();
        let started = Instant::now();
        hits += if parallel {
            chunk.par_iter().filter(|s| hit(s)).count() as u64
        } else {
            chunk.iter().filter(|s| hit(s)).count() as u64
        };
        matching_s += started.elapsed().as_secs_f64();
    }
    let peak_rss = peak_rss_bytes().filter(|_| reset);
    *peak = max_rss(*peak, peak_rss_bytes());
    Pass { matching_s, making_s, bytes, hits, start_rss, peak_rss }
}

/// The `--strings` rows: the stream against all lists and against ROR, one thread then all threads.
fn stream_rows(
    n: usize,
    pool: &[String],
    seed: u64,
    screening: &ScreeningMatcher,
    registry: Option<RorRegistry>,
    notes: &mut Vec<String>,
    peak: &mut Option<u64>,
) -> anyhow::Result<Vec<Row>> {
    anyhow::ensure!(!pool.is_empty(), "no affiliation strings to stream");
    let threads = rayon::current_num_threads();
    let lists_hit = |s: &str| !screening.match_affiliation(s).is_empty();
    let one = pass(n, pool, seed, false, &lists_hit, peak);
    let all = pass(n, pool, seed, true, &lists_hit, peak);
    anyhow::ensure!(one.hits == all.hits, "list matches differ between 1 and {threads} threads");
    let baseline = Row::new("affiliation stream → all lists", 1, one.matching_s, one.bytes, n as u64, None);
    let lists_all =
        Row::new("affiliation stream → all lists", threads, all.matching_s, all.bytes, n as u64, Some(&baseline));
    notes.push(format!(
        "stream: {n} strings, {:.1} MB; making them took {:.1} s per pass (not in the rows); {} ({:.2} %) have a list \
         match",
        one.bytes as f64 / 1e6,
        one.making_s,
        one.hits,
        100.0 * one.hits as f64 / n as f64
    ));
    notes.push(format!(
        "all lists: {threads} threads / 1 thread = {:.2}×",
        lists_all.records_per_s / baseline.records_per_s
    ));
    notes.push(phase_memory("all lists, 1 thread", &one));
    notes.push(phase_memory(&format!("all lists, {threads} threads"), &all));
    let mut rows = vec![baseline, lists_all];
    let Some(registry) = registry else {
        notes.push("ROR records not found in shared data: no ROR rows".to_owned());
        return Ok(rows);
    };
    let started = Instant::now();
    let matcher = InstitutionMatcher::new(registry);
    notes.push(format!("ROR index built in {:.1} s (not in the rows)", started.elapsed().as_secs_f64()));
    let ror_hit = |s: &str| matcher.match_affiliation(s).is_some();
    let one = pass(n, pool, seed, false, &ror_hit, peak);
    let all = pass(n, pool, seed, true, &ror_hit, peak);
    anyhow::ensure!(one.hits == all.hits, "ROR matches differ between 1 and {threads} threads");
    let ror_one = Row::new("affiliation stream → ROR", 1, one.matching_s, one.bytes, n as u64, Some(&rows[0]));
    let ror_all = Row::new("affiliation stream → ROR", threads, all.matching_s, all.bytes, n as u64, Some(&rows[0]));
    notes.push(format!(
        "ROR: {} ({:.2} %) of the strings matched at the default threshold; {threads} threads / 1 thread = {:.2}×",
        one.hits,
        100.0 * one.hits as f64 / n as f64,
        ror_all.records_per_s / ror_one.records_per_s
    ));
    notes.push(phase_memory("ROR, 1 thread", &one));
    notes.push(phase_memory(&format!("ROR, {threads} threads"), &all));
    // The same candidates by score alone (no ranker): what the ranker costs.
    let by_score_hit = |s: &str| {
        matcher.scored_candidates(s, None).first().is_some_and(|c| !c.ambiguous && c.score >= DEFAULT_MATCH_THRESHOLD)
    };
    let scored = pass(n, pool, seed, true, &by_score_hit, peak);
    let ror_scored = Row::new(
        "affiliation stream → ROR, score only",
        threads,
        scored.matching_s,
        scored.bytes,
        n as u64,
        Some(&rows[0]),
    );
    notes.push(format!(
        "ROR: the ranker takes {:.2}× the time of scoring alone ({threads} threads); by score {} strings match at {DEFAULT_MATCH_THRESHOLD}",
        all.matching_s / scored.matching_s,
        scored.hits
    ));
    rows.push(ror_one);
    rows.push(ror_all);
    rows.push(ror_scored);
    Ok(rows)
}

fn phase_memory(what: &str, p: &Pass) -> String {
    let mb = |b: Option<u64>| b.map_or_else(|| "?".to_owned(), |b| format!("{:.0} MB", b as f64 / 1e6));
    match p.peak_rss {
        Some(_) => {
            format!("peak RSS while matching ({what}): {} ({} when the pass started)", mb(p.peak_rss), mb(p.start_rss))
        }
        None => format!("peak RSS while matching ({what}): not measurable apart (the process's peak is reported)"),
    }
}

fn max_rss(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    a.max(b)
}

/// Current resident memory of this process (Linux `VmRSS`), if known.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
