//! Matching throughput: affiliation strings against every loaded screening list and against ROR, in
//! strings (elements) per second.
//!
//! The strings are real: every k-th affiliation of the ROR gold files in the shared data folder
//! (`BYLINE_SHARED_DATA`, default `../shared/data` from the workspace root), [`STRINGS`] in all, the same
//! every run. The lists are the ASPI tracker and the METI Russia list there, marked against ROR for aliases
//! that another country's organisation also carries, as `byline screen` does. Without the shared data the
//! lists are the format fixtures of `tests/fixtures`, the strings come from the seeded affiliations
//! generator (`byline-synth`) over them, and the ROR group is skipped with a note.
//!
//! Each group times one thread (`match_affiliation` in a loop) and all threads (`match_many`, rayon). ROR
//! matching costs far more per string than screening, so its group uses the first [`ROR_STRINGS`] strings
//! only. `byline-bench affiliations --strings N` measures the same at scale (a million strings).
//!
//! Run: `cargo bench -p byline-entities --bench matching -- --quick` (about a minute once built).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use byline_bench::entities::{listed_organisations, ror_gold_strings};
use byline_entities::lists::{
    ScreeningList, load_aspi_misp_json, load_csl_csv, load_csl_json, load_meti_end_user_csv,
    load_named_research_organizations, load_opensanctions_csv, load_user_csv,
};
use byline_entities::ror::{InstitutionMatcher, RorRegistry};
use byline_entities::screening::ScreeningMatcher;
use byline_synth::affiliations::{AffiliationsConfig, generate_affiliations};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

/// Affiliation strings screened per iteration: enough to mix short and long, listed and unlisted strings.
const STRINGS: usize = 2_000;
/// Strings matched against ROR per iteration (the first of [`STRINGS`]): ROR matching scores every
/// registry name that shares a rare word with the string, so a sample of 200 strings takes about a second.
const ROR_STRINGS: usize = 200;
/// Criterion's minimum; the inputs are fixed, so more samples buy little.
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(2);
/// Seed of the generated strings used without shared data.
const SYNTH_SEED: u64 = 7;

fn matching(c: &mut Criterion) {
    let entities = shared_entities();
    let lists = match &entities {
        Some(dir) => real_lists(dir),
        None => fixture_lists(),
    };
    let strings = match &entities {
        Some(dir) => every_kth(ror_gold_strings(dir), STRINGS),
        None => generated_strings(&lists),
    };
    let registry = entities
        .as_ref()
        .map(|d| d.join("ror_records_v2.json.gz"))
        .filter(|p| p.is_file())
        .map(|p| RorRegistry::load(&p).unwrap_or_else(|e| panic!("ROR records in shared data load: {e}")));
    let entries: usize = lists.iter().map(|l| l.entries.len()).sum();
    let mut screening = ScreeningMatcher::new(lists);
    if let Some(r) = &registry {
        screening = screening.with_registry(r);
    }
    let refs: Vec<&str> = strings.iter().map(String::as_str).collect();

    let hits = refs.iter().filter(|s| !screening.match_affiliation(s).is_empty()).count();
    eprintln!(
        "screening: {} strings against {} lists ({entries} entries), {hits} with a list match",
        refs.len(),
        screening.lists().len()
    );
    let mut group = configured_group(c, "screening", refs.len());
    group.bench_function("all_lists_1_thread", |b| {
        b.iter(|| refs.iter().map(|s| screening.match_affiliation(s).len()).sum::<usize>())
    });
    group.bench_function("all_lists_all_threads", |b| b.iter(|| black_box(screening.match_many(&refs))));
    group.finish();

    let Some(registry) = registry else {
        eprintln!("skipping ror: no entities/ror_records_v2.json.gz in the shared data (set BYLINE_SHARED_DATA)");
        return;
    };
    let matcher = InstitutionMatcher::new(registry);
    let sample = &refs[..refs.len().min(ROR_STRINGS)];
    let matched = sample.iter().filter(|s| matcher.match_affiliation(s).is_some()).count();
    eprintln!("ror: {} strings against {} records, {matched} matched", sample.len(), matcher.registry().len());
    let mut group = configured_group(c, "ror", sample.len());
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("match_1_thread", |b| {
        b.iter(|| sample.iter().filter(|s| matcher.match_affiliation(s).is_some()).count())
    });
    group.bench_function("match_all_threads", |b| b.iter(|| black_box(matcher.match_many(sample))));
    group.finish();
}

/// A group with the small sample settings and a throughput of `strings` elements per iteration.
fn configured_group<'c>(c: &'c mut Criterion, name: &str, strings: usize) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP).measurement_time(MEASUREMENT);
    group.throughput(Throughput::Elements(strings as u64));
    group
}

/// `entities/` of the shared real-data folder, or `None` (with a note) when it is absent.
fn shared_entities() -> Option<PathBuf> {
    let dir = byline_testdata::shared_data()?.join("entities");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("no entities/ in the shared data: using the fixtures");
        None
    }
}

/// The ASPI tracker and the METI Russia list of the shared data.
fn real_lists(dir: &Path) -> Vec<ScreeningList> {
    let open = |name: &str| {
        let path = dir.join(name);
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        (file, path.display().to_string())
    };
    let (aspi, aspi_path) = open("aspi_china_defence_universities_misp.json");
    let (meti, meti_path) = open("jp_meti_russia_list_opensanctions.csv");
    vec![
        load_aspi_misp_json(aspi, &aspi_path, None).expect("ASPI tracker parses"),
        load_opensanctions_csv(meti, &meti_path, None).expect("METI Russia list parses"),
    ]
}

/// Every list format's fixture.
fn fixture_lists() -> Vec<ScreeningList> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let text = |name: &str| String::from_utf8(read(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    vec![
        load_csl_csv(&read("csl.csv")[..], "csl.csv", None).expect("csl.csv parses"),
        load_csl_json(&read("csl.json")[..], "csl.json", None).expect("csl.json parses"),
        load_meti_end_user_csv(&read("meti_end_user_list.csv")[..], "meti_end_user_list.csv", None)
            .expect("meti_end_user_list.csv parses"),
        load_named_research_organizations(
            &text("named_research_organizations.txt"),
            "named_research_organizations.txt",
            None,
        ),
        load_user_csv(&read("user_list.csv")[..], "user_list.csv", "user", None).expect("user_list.csv parses"),
    ]
}

/// Distinct affiliation strings of a small generated corpus over `lists` (listed organisations, similarly
/// named unlisted ones, ordinary institutions), at most [`STRINGS`].
fn generated_strings(lists: &[ScreeningList]) -> Vec<String> {
    let config = AffiliationsConfig { seed: SYNTH_SEED, researchers: 400, ..AffiliationsConfig::default() };
    let corpus = generate_affiliations(&config, &listed_organisations(lists));
    every_kth(corpus.truth.strings.into_iter().map(|s| s.raw).collect(), STRINGS)
}

/// At most `n` items spread evenly over `all` (every k-th), in order.
fn every_kth(all: Vec<String>, n: usize) -> Vec<String> {
    let step = (all.len() / n.max(1)).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

criterion_group!(benches, matching);
criterion_main!(benches);
