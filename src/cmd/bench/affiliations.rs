//! `byline bench affiliations`: researchers with planted undisclosed affiliations and funders, co-authors at
//! screening-list organisations and at similarly named unlisted ones (byline-synth), scored by
//! `byline_entities::bench`; plus matching speed against all lists and against ROR.
//!
//! The lists are the files given with `--input` (any format `byline lists` reads), else the ASPI tracker and
//! the METI Russia list in the shared data folder (`BYLINE_SHARED_DATA`, default `../shared/data`). ROR is
//! `entities/ror_records_v2.json.gz` there; without it the ROR row is left out (and said so in the notes).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use byline_entities::bench::{bench_affiliations, listed_organisations};
use byline_entities::lists::ScreeningList;
use byline_entities::ror::{InstitutionMatcher, RorRegistry};
use byline_entities::screening::ScreeningMatcher;
use byline_synth::affiliations::{AffiliationsConfig, generate_affiliations};
use rayon::prelude::*;

use super::{Args, Quality, Report, Row, peak_rss_bytes};
use crate::cmd::lists::load_list;

/// Bars from the issue: list matches precision ≥ 0.98 at recall ≥ 0.9.
const LIST_PRECISION_BAR: f64 = 0.98;
const LIST_RECALL_BAR: f64 = 0.9;
/// Works per researcher on average (the generator draws 4–10).
const WORKS_PER_RESEARCHER: usize = 7;

fn entities_dir() -> Option<PathBuf> {
    let base = std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let dir = base.join("entities");
    dir.is_dir().then_some(dir)
}

fn lists(args: &Args) -> anyhow::Result<Vec<ScreeningList>> {
    if !args.input.is_empty() {
        return args.input.iter().map(|p| load_list(p, None)).collect();
    }
    let dir = entities_dir().context(
        "bench affiliations needs screening lists: pass --input LIST_FILE, or set BYLINE_SHARED_DATA to the shared \
         data folder (entities/aspi_china_defence_universities_misp.json, entities/jp_meti_russia_list_opensanctions.csv)",
    )?;
    ["aspi_china_defence_universities_misp.json", "jp_meti_russia_list_opensanctions.csv"]
        .iter()
        .map(|f| load_list(&dir.join(f), None))
        .collect()
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let lists = lists(args)?;
    let inputs: Vec<String> = lists.iter().map(|l| l.source.clone()).collect();
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

    // Speed: every affiliation occurrence of the corpus, all threads.
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
    let mut notes = vec![
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
            "list matches: {} reported, {} correct; {} of {} listed strings found",
            b.list_matches.predicted, b.list_matches.correct, b.list_matches.found, b.list_matches.gold
        ),
    ];
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
    notes.extend(b.list_false_positives.iter().take(5).map(|f| format!("wrong list match: {f}")));
    notes.extend(b.list_missed.iter().take(5).map(|f| format!("missed list match: {f}")));
    Ok(Report {
        suite: "affiliations".to_owned(),
        inputs,
        baseline: "screening every affiliation string against all lists (Aho–Corasick), all threads".to_owned(),
        rows,
        quality: vec![
            Quality::at_least("precision", b.list_matches.precision, LIST_PRECISION_BAR),
            Quality::at_least("recall", b.list_matches.recall, LIST_RECALL_BAR),
            Quality::info("undisclosed_affiliation_precision", b.undisclosed_affiliations.precision),
            Quality::info("undisclosed_affiliation_recall", b.undisclosed_affiliations.recall),
            Quality::info("undisclosed_funder_precision", b.undisclosed_funders.precision),
            Quality::info("undisclosed_funder_recall", b.undisclosed_funders.recall),
        ],
        peak_rss_bytes: peak_rss_bytes(),
        notes,
    })
}
