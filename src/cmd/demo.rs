//! `byline demo`: the main job on the bundled sample, for a new user on a fresh machine.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_corpus::{CorpusReader, IngestOptions, corpus_stats, ingest};

use crate::progress::Context;

/// Run byline end to end on the bundled sample (`datasets/sample`): ingest it into a Parquet corpus and
/// print what is in it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cargo run -- demo            (from the repository root)")]
pub struct Args {
    /// The sample to run on.
    #[arg(long, default_value = "datasets/sample")]
    pub sample: PathBuf,
    /// Where to write the corpus and reports.
    #[arg(long, default_value = "out/demo")]
    pub out: PathBuf,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.sample.is_dir(),
        "sample not found at {} (run from the repository root, or pass --sample)",
        args.sample.display()
    );
    let corpus = args.out.join("corpus");
    let manifest = ingest(std::slice::from_ref(&args.sample), &corpus, &IngestOptions::default(), &())?;
    let t = &manifest.totals;
    if !ctx.quiet {
        println!("1. ingest {} → {}", args.sample.display(), corpus.display());
    }
    println!("   records read {} = works {} + rejected {}", t.records_seen, t.works, t.rejected);
    let stats = corpus_stats(&CorpusReader::open(&corpus)?)?;
    if let Some(all) = stats.coverage.get("all") {
        println!(
            "   {} authorships, {} affiliations, {} with ORCID; formats: {}",
            all.authorships,
            all.affiliations,
            all.authorships_with_orcid,
            stats.coverage.keys().filter(|k| k.as_str() != "all").cloned().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
