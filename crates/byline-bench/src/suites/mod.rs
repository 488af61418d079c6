//! `byline-bench`: measured side by side in one run, reported as ratios against a baseline, with quality
//! figures (precision, recall…) where a suite has planted ground truth. Each suite is a module.

mod affiliations;
mod audit;
mod graph;
mod ingest;
mod minhash;
mod papermill;
mod peers;
mod scaling;
mod scan;
pub mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use byline_term::exit;
use byline_term::output::{OutputFormat, outln, print_json};
use byline_term::progress::Context;

/// Run a benchmark suite on a generated corpus (or on given files) and print one table: wall time,
/// records/s, MB/s, peak memory, and quality figures where the suite has ground truth. Exits 3 when a quality
/// figure misses its bar, so CI can run the suites at a small size as correctness tests.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline-bench ingest --size 30000\n  \
    byline-bench ingest --input pubmed20n0014.xml.gz --format json")]
pub struct Args {
    /// The suite to run (`byline-bench`'s subcommand).
    #[arg(skip = Suite::Ingest)]
    pub suite: Suite,
    /// Records to generate when no --input is given.
    #[arg(long, default_value_t = 30_000)]
    pub size: usize,
    /// Use these files instead of a generated corpus (suites that read files).
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
    /// Also run the Python peers of `benches/peers/` (pubmed_parser, datasketch, rensa, networkx, igraph) on
    /// the same inputs, in the same run, as extra rows of the table (needs `benches/peers/setup.sh` once).
    #[arg(long)]
    pub peers: bool,
    /// Scaling curve: run the suite at each size, each in its own process (so peak memory is per size), and
    /// write `scaling-<suite>.csv` and `.svg` (e.g. `--sizes 10000,100000,1000000`).
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<usize>,
    /// Where `--sizes` writes its CSV and SVG (default: the cache dir).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// `affiliations` only: time matching this many affiliation strings (e.g. 1000000) against all lists and
    /// against ROR, on one thread (the baseline row) and on all threads. The strings are the ROR gold strings
    /// of the shared data and the planted corpus's, drawn and perturbed (units, abbreviations, postal codes,
    /// typos) in a seeded stream and matched chunk by chunk, so memory does not grow with the count. These
    /// rows replace the planted corpus's speed rows; its quality figures (at --size) are still reported.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub strings: Option<u64>,
    /// `serve` only: the index to serve (default: one built, once, from a generated corpus of --size works).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// `serve` only: concurrent clients, one load phase per count.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 64, 256])]
    pub clients: Vec<usize>,
    /// `serve` only: requests per load phase.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..))]
    pub requests: u64,
    /// `serve` only: the most a phase may last, in seconds (the abuse phase lasts min(this, 12)).
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub phase_seconds: u64,
}

/// Benchmark suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// Reader throughput against the raw limit (gzip decode + XML tokenize), and full parallel ingest.
    Ingest,
    /// Template families planted by the generator: family recall and precision of `find_families`.
    Papermill,
    /// The full `byline scan` over a generated corpus of --size works: records/s, peak RSS.
    Scan,
    /// byline-detect MinHash/LSH near-duplicates with planted truth (recall); peers: datasketch, rensa.
    Minhash,
    /// Identity resolution + co-author graph + components + Leiden; peers: networkx, python-igraph.
    Graph,
    /// Planted undisclosed affiliations/funders and list-organisation co-authorships: list-match precision and
    /// recall, disclosure findings, matching speed against all lists and against ROR (with --strings N: N
    /// streamed strings, one thread and all threads).
    Affiliations,
    /// The researcher audit on planted truth: recall of planted works in the top 10, genuine works flagged,
    /// clean researchers with a high flag, identity precision/recall. Here `--size` is the number of
    /// researchers (≈ 60 works each): use e.g. `--size 1000`.
    Audit,
    /// `byline serve` under load on loopback: --clients concurrent clients posting real and generated
    /// submissions against --index (throughput, p50/p99/p99.9, errors, the server's peak memory), the same
    /// during reloads and under abuse (oversized, slow, over-limit, random requests), against `byline screen`
    /// run once per submission.
    Serve,
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
    /// This row's throughput divided by the baseline's (the suite's first row).
    pub ratio_to_baseline: f64,
}

impl Row {
    /// A row measured against a baseline throughput in MB/s (or records/s when `bytes` is 0).
    pub fn new(name: &str, threads: usize, wall_s: f64, bytes: u64, records: u64, baseline: Option<&Row>) -> Row {
        let mb_per_s = bytes as f64 / 1e6 / wall_s.max(1e-9);
        let records_per_s = records as f64 / wall_s.max(1e-9);
        let ratio_to_baseline = match baseline {
            None => 1.0,
            Some(b) if b.bytes > 0 && bytes > 0 => mb_per_s / b.mb_per_s.max(1e-12),
            Some(b) => records_per_s / b.records_per_s.max(1e-12),
        };
        Row { name: name.to_owned(), threads, wall_s, bytes, records, mb_per_s, records_per_s, ratio_to_baseline }
    }
}

/// A quality figure with the bar its issue sets.
#[derive(Debug, Serialize)]
pub struct Quality {
    /// Plain name: `recall`, `precision`, `f1`, `false_flag_rate`…
    pub name: String,
    pub value: f64,
    /// The bar, and whether higher is better.
    pub bar: Option<f64>,
    pub higher_is_better: bool,
    pub meets_bar: bool,
}

impl Quality {
    pub fn at_least(name: &str, value: f64, bar: f64) -> Quality {
        Quality { name: name.to_owned(), value, bar: Some(bar), higher_is_better: true, meets_bar: value >= bar }
    }
    pub fn at_most(name: &str, value: f64, bar: f64) -> Quality {
        Quality { name: name.to_owned(), value, bar: Some(bar), higher_is_better: false, meets_bar: value <= bar }
    }
    pub fn info(name: &str, value: f64) -> Quality {
        Quality { name: name.to_owned(), value, bar: None, higher_is_better: true, meets_bar: true }
    }
}

/// A suite's result: one table.
#[derive(Debug, Serialize)]
pub struct Report {
    pub suite: String,
    pub inputs: Vec<String>,
    pub baseline: String,
    pub rows: Vec<Row>,
    pub quality: Vec<Quality>,
    pub peak_rss_bytes: Option<u64>,
    pub notes: Vec<String>,
}

pub fn run(suite: Suite, mut args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    args.suite = suite;
    anyhow::ensure!(
        args.strings.is_none() || (args.suite == Suite::Affiliations && args.sizes.is_empty()),
        "--strings is for `byline-bench affiliations` without --sizes"
    );
    anyhow::ensure!(args.suite != Suite::Serve || args.sizes.is_empty(), "--sizes is not for `byline-bench serve`");
    if !args.sizes.is_empty() {
        return scaling::run(&args);
    }
    let report = match args.suite {
        Suite::Ingest => ingest::run(&args)?,
        Suite::Papermill => papermill::run(&args)?,
        Suite::Scan => scan::run(&args)?,
        Suite::Minhash => minhash::run(&args)?,
        Suite::Graph => graph::run(&args)?,
        Suite::Affiliations => affiliations::run(&args)?,
        Suite::Audit => audit::run(&args)?,
        Suite::Serve => return serve::run(&args),
    };
    match args.format {
        OutputFormat::Json => print_json(&report)?,
        OutputFormat::Text => print_report(&report),
    }
    let missed = report.quality.iter().any(|q| !q.meets_bar);
    Ok(if missed { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}

/// Where generated corpora are cached.
pub fn cache_dir(args: &Args) -> PathBuf {
    args.cache.clone().unwrap_or_else(|| std::env::temp_dir().join("byline-bench"))
}

/// Peak resident memory of this process (Linux `VmHWM`), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU seconds (user + system, every thread) this process has used so far, from Linux `/proc/self/stat`
/// (clock ticks of 1/100 s); `None` elsewhere. On shared cores a row's CPU seconds say what its wall time
/// cannot: how much work it did, whatever else was running.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: the fields after it start after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of the whole line (utime, stime) are the 12th and 13th after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Resets this process's peak resident memory (`VmHWM`) to its current resident memory (Linux
/// `/proc/self/clear_refs`, value 5), so that a later [`peak_rss_bytes`] is the peak of what ran in between.
/// Returns false where that is not possible; the peak then stays the process's.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn print_report(r: &Report) {
    outln!("suite: {}   baseline: {}", r.suite, r.baseline);
    if !r.rows.is_empty() {
        outln!("{:<36} {:>7} {:>9} {:>10} {:>12} {:>10}", "", "threads", "wall s", "MB/s", "records/s", "× baseline");
        for row in &r.rows {
            outln!(
                "{:<36} {:>7} {:>9.3} {:>10.1} {:>12.0} {:>10.2}",
                row.name,
                row.threads,
                row.wall_s,
                row.mb_per_s,
                row.records_per_s,
                row.ratio_to_baseline
            );
        }
    }
    for q in &r.quality {
        let bar = match q.bar {
            Some(b) => format!("(bar {} {b})", if q.higher_is_better { "≥" } else { "≤" }),
            None => String::new(),
        };
        let mark = if q.meets_bar { "" } else { "  MISSED" };
        outln!("{:<36} {:>10.4} {bar}{mark}", q.name, q.value);
    }
    if let Some(rss) = r.peak_rss_bytes {
        outln!("peak RSS: {:.0} MB", rss as f64 / 1e6);
    }
    for n in &r.notes {
        outln!("note: {n}");
    }
}
