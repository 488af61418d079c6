//! Reader throughput: one criterion group per reader, in bytes per second of decompressed input.
//!
//! PubMed, OpenAlex and Crossref inputs are generated in memory by `byline-synth` (seeded, so every run
//! measures the same bytes). JATS and the exports (WoS, Scopus CSV, RIS, BibTeX, MEDLINE) have no writer:
//! their inputs are small real files from the shared data folder (`BYLINE_SHARED_DATA`, default
//! `../shared/data` from the workspace root), and their groups are skipped with a note when it is absent.
//!
//! The PubMed group also measures `raw_xml_tokenize` on the same bytes: the cost of decompressing and
//! tokenizing without building anything, i.e. the limit the reader is measured against.
//!
//! Run: `cargo bench --bench readers -- --quick` (about a minute once built).

use std::hint::black_box;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use byline_bench::parse_support::raw_xml_tokenize;
use byline_model::Format;
use byline_parse::input::Input;
use byline_parse::{Event, read_stream};
use byline_synth::corpus::{World, base_work};
use byline_synth::writers::{write_crossref_jsonl, write_openalex_jsonl, write_pubmed};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime};

/// Seed of the generated corpora: fixed so that every run reads the same bytes.
const SYNTH_SEED: u64 = 7;
/// Works per generated input: about 1–2 MB of PubMed XML, large enough that per-file setup (buffers, the
/// sniffing head) is noise, small enough that a sample takes milliseconds.
const SYNTH_WORKS: usize = 500;
/// Criterion's minimum; the inputs are deterministic and the timings stable, so more samples buy little.
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(2);

/// Real files used for the formats the generator does not write, relative to the shared data folder. The
/// first one present is used; all are uncompressed so that the figure is the reader's, not gzip's.
const JATS_FILES: &[&str] = &[
    "jats/allofplos__journal.pbio.0020188.xml",
    "jats/allofplos__journal.pbio.1000359.xml",
    "jats/allofplos__journal.pbio.1001044.xml",
    "jats/allofplos__journal.pbio.1001289.xml",
    "jats/allofplos__journal.pbio.2001413.xml",
    "jats/allofplos__journal.pmed.0020007.xml",
];
const WOS_PLAIN_FILE: &str = "bib/metaknowledge-savedrecs.txt";
const WOS_TAB_FILE: &str = "bib/scientopy-wos_2026_04_02_4071.txt";
const SCOPUS_CSV_FILE: &str = "bib/bibliometrix-scopus_sample.csv";
const RIS_FILE: &str = "bib/litstudy-example.ris";
const BIBTEX_FILE: &str = "bib/pybibx-wos_m.bib";
/// MEDLINE text records are separated by blank lines, so the three small files concatenate into one valid
/// input.
const MEDLINE_FILES: &[&str] = &[
    "pubmed/biopython__pubmed_result1.txt",
    "pubmed/biopython__pubmed_result2.txt",
    "pubmed/biopython__pubmed_result3.txt",
];

fn readers(c: &mut Criterion) {
    let pubmed = synth_input(Format::Pubmed);
    let mut group = configured_group(c, "pubmed", &[&pubmed]);
    bench_reader(&mut group, "reader", Format::Pubmed, &pubmed);
    group.bench_function("raw_xml_tokenize", |b| {
        b.iter(|| {
            let mut input = in_memory(&pubmed);
            black_box(raw_xml_tokenize(&mut input).expect("generated PubMed XML tokenizes"))
        })
    });
    group.finish();

    for format in [Format::Crossref, Format::Openalex] {
        let bytes = synth_input(format);
        let mut group = configured_group(c, format.as_str(), &[&bytes]);
        bench_reader(&mut group, "reader", format, &bytes);
        group.finish();
    }

    let Some(data) = shared_data() else { return };
    // One JATS file is one article: the benchmark reads a handful, each through its own `Input`, as
    // `byline` does for a directory of PMC files.
    let jats: Vec<Arc<[u8]>> = JATS_FILES.iter().filter_map(|rel| load(&data, &[rel])).collect();
    if jats.is_empty() {
        eprintln!("skipping jats: none of its files found under {}", data.display());
    } else {
        let inputs: Vec<&Arc<[u8]>> = jats.iter().collect();
        let mut group = configured_group(c, "jats", &inputs);
        report_counts("jats", Format::Jats, &inputs);
        group.bench_function("reader", |b| {
            b.iter(|| inputs.iter().map(|bytes| read_counting(Format::Jats, bytes)).sum::<u64>())
        });
        group.finish();
    }

    let exports: [(&str, Format, &[&str]); 6] = [
        ("wos_plain", Format::WosPlain, &[WOS_PLAIN_FILE]),
        ("wos_tab", Format::WosTab, &[WOS_TAB_FILE]),
        ("scopus_csv", Format::ScopusCsv, &[SCOPUS_CSV_FILE]),
        ("ris", Format::Ris, &[RIS_FILE]),
        ("bibtex", Format::Bibtex, &[BIBTEX_FILE]),
        ("medline", Format::Medline, MEDLINE_FILES),
    ];
    for (name, format, files) in exports {
        let Some(bytes) = load(&data, files) else {
            eprintln!("skipping {name}: {} not found under {}", files.join(", "), data.display());
            continue;
        };
        let mut group = configured_group(c, name, &[&bytes]);
        bench_reader(&mut group, "reader", format, &bytes);
        group.finish();
    }
}

/// A group with the small sample settings and byte throughput over all of `inputs`.
fn configured_group<'c>(c: &'c mut Criterion, name: &str, inputs: &[&Arc<[u8]>]) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP).measurement_time(MEASUREMENT);
    group.throughput(Throughput::Bytes(inputs.iter().map(|b| b.len() as u64).sum()));
    group
}

/// Benchmarks one reader on one in-memory input, after printing what it reads from it (a reader that
/// rejects everything would otherwise look fast).
fn bench_reader(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, format: Format, bytes: &Arc<[u8]>) {
    report_counts(format.as_str(), format, &[bytes]);
    group.bench_function(id, |b| b.iter(|| read_counting(format, bytes)));
}

fn report_counts(name: &str, format: Format, inputs: &[&Arc<[u8]>]) {
    let bytes: usize = inputs.iter().map(|b| b.len()).sum();
    let records: u64 = inputs.iter().map(|b| read_counting(format, b)).sum();
    eprintln!("{name}: {bytes} bytes in {} input(s), {records} records (works + rejected)", inputs.len());
}

/// Reads `bytes` with `format`'s reader; returns works + rejected, which also keeps the work alive for
/// the optimizer.
fn read_counting(format: Format, bytes: &Arc<[u8]>) -> u64 {
    let mut input = in_memory(bytes);
    let mut records = 0u64;
    let result = read_stream(format, &mut input, "bench", &mut |event| {
        if matches!(event, Event::Work(_) | Event::Rejected(_)) {
            records += 1;
        }
        black_box(event);
    });
    black_box(result.is_ok());
    records
}

/// An input over shared bytes: cloning the `Arc` costs nothing, so only the reader is timed.
fn in_memory(bytes: &Arc<[u8]>) -> Input {
    Input::from_reader(Box::new(Cursor::new(Arc::clone(bytes))))
}

/// A generated corpus of [`SYNTH_WORKS`] works in `format`, written in memory.
fn synth_input(format: Format) -> Arc<[u8]> {
    let world = World::new(SYNTH_SEED, SYNTH_WORKS);
    let works: Vec<_> = (0..SYNTH_WORKS as u64).map(|i| base_work(&world, SYNTH_SEED, i, format, "bench")).collect();
    let mut out = Vec::new();
    let written = match format {
        Format::Pubmed => write_pubmed(&works, &mut out),
        Format::Openalex => write_openalex_jsonl(&works, &mut out),
        Format::Crossref => write_crossref_jsonl(&works, &mut out),
        other => unreachable!("byline-synth has no writer for {other}"),
    };
    written.expect("writing to memory cannot fail");
    out.into()
}

/// The shared real-data folder, or `None` (with a note) when it is absent.
fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = match std::env::var_os("BYLINE_SHARED_DATA") {
        Some(d) => root.join(d),
        None => root.join("../shared/data"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping jats and export groups: shared data not found at {} (set BYLINE_SHARED_DATA)",
            dir.display()
        );
        None
    }
}

/// The concatenation of the given files under `data`, or `None` if any is missing.
fn load(data: &Path, files: &[&str]) -> Option<Arc<[u8]>> {
    let mut bytes = Vec::new();
    for rel in files {
        bytes.extend(std::fs::read(data.join(rel)).ok()?);
    }
    Some(bytes.into())
}

criterion_group!(benches, readers);
criterion_main!(benches);
