//! `byline-bench generate`: a synthetic corpus in real formats, seeded, with planted ground truth.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_model::Format;
use byline_synth::corpus::NamePool;
use byline_synth::generate::{CorpusSpec, write_base_corpus};

use byline_term::output::{OutputFormat, outln, print_json};
use byline_term::parse_format;
use byline_term::progress::Context;

/// Generate a synthetic corpus (PubMed XML, OpenAlex and Crossref JSONL, gzipped) from a seed. The same seed
/// and size always give the same bytes.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline-bench generate --out /tmp/synth --works 100000\n  \
    byline-bench generate --out /tmp/mixed --works 5000 --formats pubmed,openalex,crossref --records-per-file 1000\n  \
    byline-bench generate --out /tmp/scaled --works 210000 --name-pool scaled")]
pub struct Args {
    /// Output directory (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Number of works.
    #[arg(long, default_value_t = 10_000)]
    pub works: usize,
    /// Records per file (a PubMed baseline file holds about 30,000).
    #[arg(long, default_value_t = 30_000)]
    pub records_per_file: usize,
    /// Formats, used round-robin by file.
    #[arg(long, value_delimiter = ',', value_parser = parse_format, default_value = "pubmed")]
    pub formats: Vec<Format>,
    /// Write plain files instead of gzip.
    #[arg(long)]
    pub no_gzip: bool,
    /// Plant this many works on one researcher that they did not write (strangers, foreign institutions,
    /// another field); the truth goes to `.truth.json` in the output directory.
    #[arg(long, default_value_t = 0)]
    pub plant_audit: usize,
    /// Family names: `fixed`, the ~30 listed names of each origin (the same at every size, so name blocks
    /// grow with N; every benchmark's corpus), or `scaled`, a Zipf law over an open list per origin, so
    /// distinct names grow with the corpus as on real PubMed (Heaps' exponent 0.81; see datasets/README.md).
    /// Only family names change: the people, their ORCIDs (the identity truth) and the works are the same.
    #[arg(long, value_enum, default_value_t = NamePoolArg::Fixed)]
    pub name_pool: NamePoolArg,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// `--name-pool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NamePoolArg {
    Fixed,
    Scaled,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitCode> {
    let spec = CorpusSpec {
        seed: args.seed,
        works: args.works,
        records_per_file: args.records_per_file,
        formats: args.formats,
        gzip: !args.no_gzip,
        plant_audit: args.plant_audit,
        name_pool: match args.name_pool {
            NamePoolArg::Fixed => NamePool::Fixed,
            NamePoolArg::Scaled => NamePool::Scaled,
        },
    };
    let written = write_base_corpus(&spec, &args.out)?;
    match args.format {
        OutputFormat::Json => print_json(&written)?,
        OutputFormat::Text => {
            for (path, format, n) in &written.files {
                outln!("{:>8} {format:<9} {}", n, path.display());
            }
            outln!(
                "{} works, {:.1} MB uncompressed, in {}",
                written.works,
                written.bytes as f64 / 1e6,
                args.out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
