//! `byline index`: a corpus → the screening index `byline screen` compares submissions against.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use byline_app::index::build_index;

use crate::cmd::scan::DetectorInputs;
use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Build the screening index of a corpus: MinHash signatures and LSH tables of every work's masked title and
/// abstract (the template-family parameters of `byline scan`), each work's ids, venue, authors and
/// institutions, the tortured-phrase lexicon and the classifier model, in one file that `byline screen`
/// reads with positioned reads (opening it costs its header, not its size).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline index --corpus corpus/ --out corpus.bylidx\n  \
    byline index --corpus corpus/ --out corpus.bylidx --lexicon pps_tortured_phrases.csv\n  \
    byline screen submission.json --index corpus.bylidx")]
pub struct Args {
    /// The corpus directory (from `byline ingest`).
    #[arg(long)]
    pub corpus: PathBuf,
    /// The index file to write (replaced if it exists).
    #[arg(long, short)]
    pub out: PathBuf,
    #[command(flatten)]
    pub inputs: DetectorInputs,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let run = build_index(&args.corpus, &args.out, &args.inputs.files(), ctx)?;
    let elapsed_s = started.elapsed().as_secs_f64();
    let (indexed_works, bytes, lexicon_phrases) = (run.works, run.bytes, run.lexicon_phrases);
    match args.format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "index": args.out.display().to_string(),
            "works": indexed_works,
            "bytes": bytes,
            "lexicon_phrases": lexicon_phrases,
            "elapsed_s": elapsed_s,
        }))?,
        OutputFormat::Text => {
            outln!(
                "indexed {} works in {:.2} s: {} ({:.1} MB)",
                indexed_works,
                elapsed_s,
                args.out.display(),
                bytes as f64 / 1e6
            );
            if lexicon_phrases == 0 {
                outln!(
                    "note: no --lexicon given: screens against this index do not check tortured phrases (byline \
                     ships no lexicon)"
                );
            } else {
                outln!("tortured-phrase lexicon: {lexicon_phrases} phrases");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
