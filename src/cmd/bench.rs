//! `byline bench`: measured side by side in one run, reported as ratios against a baseline.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use byline_corpus::{IngestOptions, ingest};
use byline_model::Format;
use byline_parse::{Event, bench_support::raw_xml_tokenize, open_input, read_path, sniff_format};
use byline_synth::generate::{CorpusSpec, write_base_corpus};
use serde::Serialize;

use crate::output::{OutputFormat, print_json};
use crate::progress::Context;

/// Run a benchmark suite on a generated corpus (or on given files) and print one table: wall time,
/// records/s, MB/s, peak memory, and quality figures where the suite has ground truth.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline bench ingest --size 30000\n  \
    byline bench ingest --input pubmed20n0014.xml.gz --format json")]
pub struct Args {
    /// The suite to run.
    #[arg(value_enum)]
    pub suite: Suite,
    /// Records to generate when no --input is given.
    #[arg(long, default_value_t = 30_000)]
    pub size: usize,
    /// Use these files instead of a generated corpus.
    #[arg(long)]
    pub input: Vec<PathBuf>,
    /// Where generated corpora are cached (reused when the same size and seed were generated before).
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Seed for generated corpora.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// Benchmark suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// Reader throughput against the raw limit (gzip decode + XML tokenize), and full parallel ingest.
    Ingest,
}

/// One measured row.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub threads: usize,
    pub wall_s: f64,
    pub bytes: u64,
    pub records: u64,
    pub mb_per_s: f64,
    pub records_per_s: f64,
    /// This row's throughput divided by the baseline's (the raw limit).
    pub ratio_to_baseline: f64,
}

/// The suite's result.
#[derive(Debug, Serialize)]
pub struct Report {
    pub suite: String,
    pub inputs: Vec<String>,
    pub baseline: String,
    pub rows: Vec<Row>,
    pub peak_rss_bytes: Option<u64>,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let report = match args.suite {
        Suite::Ingest => bench_ingest(&args)?,
    };
    match args.format {
        OutputFormat::Json => print_json(&report)?,
        OutputFormat::Text => print_report(&report),
    }
    Ok(ExitCode::SUCCESS)
}

fn cache_dir(args: &Args) -> PathBuf {
    args.cache.clone().unwrap_or_else(|| std::env::temp_dir().join("byline-bench"))
}

/// The inputs of a suite: the given files, or a cached generated PubMed corpus of `size` records.
fn inputs(args: &Args) -> anyhow::Result<Vec<PathBuf>> {
    if !args.input.is_empty() {
        return Ok(args.input.clone());
    }
    let dir = cache_dir(args).join(format!("pubmed-seed{}-n{}", args.seed, args.size));
    let done = dir.join(".complete");
    if !done.is_file() {
        let spec =
            CorpusSpec { seed: args.seed, works: args.size, formats: vec![Format::Pubmed], ..CorpusSpec::default() };
        write_base_corpus(&spec, &dir).with_context(|| format!("generating {}", dir.display()))?;
        std::fs::write(&done, b"")?;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    files.sort();
    Ok(files)
}

fn bench_ingest(args: &Args) -> anyhow::Result<Report> {
    let files = inputs(args)?;
    let pubmed: Vec<&PathBuf> = files.iter().filter(|f| is_pubmed(f)).collect();
    anyhow::ensure!(!pubmed.is_empty(), "bench ingest needs PubMed XML inputs");

    // Baseline: gzip decode + quick-xml tokenize of the same bytes, one thread, no model building.
    let started = Instant::now();
    let mut bytes = 0;
    let mut events = 0;
    for f in &pubmed {
        let mut input = open_input(f)?;
        events += raw_xml_tokenize(&mut input).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        bytes += input.bytes_read();
    }
    let raw_s = started.elapsed().as_secs_f64();

    // The PubMed reader, one thread, building every Work and dropping it.
    let started = Instant::now();
    let mut records = 0u64;
    let mut reader_bytes = 0u64;
    for f in &pubmed {
        let summary = read_path(f, Some(Format::Pubmed), &mut |e| {
            if let Event::Work(w) = e {
                std::hint::black_box(&w);
            }
        });
        records += summary.records_seen;
        reader_bytes += summary.bytes;
    }
    let reader_s = started.elapsed().as_secs_f64();

    // Full ingest to Parquet, all cores.
    let out = tempfile::tempdir()?;
    let corpus = out.path().join("corpus");
    let paths: Vec<PathBuf> = pubmed.iter().map(|p| (*p).clone()).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let started = Instant::now();
    let manifest = ingest(&paths, &corpus, &IngestOptions::default(), &())?;
    let ingest_s = started.elapsed().as_secs_f64();

    let baseline_mbs = mb_per_s(bytes, raw_s);
    let row = |name: &str, threads: usize, wall: f64, bytes: u64, records: u64| Row {
        name: name.to_owned(),
        threads,
        wall_s: wall,
        bytes,
        records,
        mb_per_s: mb_per_s(bytes, wall),
        records_per_s: records as f64 / wall.max(1e-9),
        ratio_to_baseline: mb_per_s(bytes, wall) / baseline_mbs.max(1e-9),
    };
    let _ = events;
    Ok(Report {
        suite: "ingest".to_owned(),
        inputs: pubmed.iter().map(|p| p.display().to_string()).collect(),
        baseline: "raw limit: gzip decode + quick-xml tokenize, 1 thread".to_owned(),
        rows: vec![
            row("raw limit (gunzip + tokenize)", 1, raw_s, bytes, records),
            row("pubmed reader → Work", 1, reader_s, reader_bytes, records),
            row("ingest → Parquet", threads, ingest_s, manifest.totals.bytes, manifest.totals.works),
        ],
        peak_rss_bytes: peak_rss_bytes(),
    })
}

fn is_pubmed(path: &Path) -> bool {
    open_input(path).ok().and_then(|mut i| i.peek().ok().and_then(|h| sniff_format(h, ""))) == Some(Format::Pubmed)
}

fn mb_per_s(bytes: u64, seconds: f64) -> f64 {
    bytes as f64 / 1e6 / seconds.max(1e-9)
}

/// Peak resident memory of this process (Linux `VmHWM`), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn print_report(r: &Report) {
    println!("suite: {}   baseline: {}", r.suite, r.baseline);
    println!("{:<32} {:>7} {:>9} {:>10} {:>12} {:>10}", "", "threads", "wall s", "MB/s", "records/s", "× baseline");
    for row in &r.rows {
        println!(
            "{:<32} {:>7} {:>9.3} {:>10.1} {:>12.0} {:>10.2}",
            row.name, row.threads, row.wall_s, row.mb_per_s, row.records_per_s, row.ratio_to_baseline
        );
    }
    if let Some(rss) = r.peak_rss_bytes {
        println!("peak RSS: {:.0} MB", rss as f64 / 1e6);
    }
}
