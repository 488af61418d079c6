//! `byline index`: a corpus → the screening index `byline screen` compares submissions against.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use byline_corpus::CorpusReader;
use byline_detect::IndexParams;
use byline_detect::screen::IndexBuilder;
use byline_model::Work;
use indicatif::ProgressStyle;

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
    let reader = CorpusReader::open(&args.corpus).context("opening the corpus")?;
    let lexicon = args.inputs.load_lexicon()?;
    let model = args.inputs.load_model()?;
    let parts = &reader.manifest().parts;
    let bar = ctx.bytes_bar(parts.len() as u64, "index");
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>10} [{elapsed_precise}] {wide_bar} {pos}/{len} parts (eta {eta})")
    {
        bar.set_style(style);
    }
    // One part at a time: the builder keeps signatures, metadata and band entries in scratch files next to
    // the target and sorts each band at the end, so memory stays at one part plus one band table.
    let tmp = args.out.with_extension("bylidx.tmp");
    let scratch = args.out.with_extension("bylidx.scratch");
    let mut builder = IndexBuilder::new(&IndexParams::default(), lexicon.as_ref(), Some(&model), &scratch)
        .context("starting the index")?;
    for part in parts {
        let in_part = reader
            .works_in_part(part, &byline_corpus::WorkFilter::All)
            .with_context(|| format!("reading part {part}"))?;
        let in_part: Vec<Work> = in_part.into_iter().map(for_index).collect();
        builder.add(&in_part).with_context(|| format!("indexing part {part}"))?;
        bar.inc(1);
    }
    let indexed_works = builder.works();
    bar.set_message("bands");
    // Written next to the target and renamed, so a failed build never leaves a truncated index in place.
    builder.finish(&tmp).context("writing the index")?;
    std::fs::rename(&tmp, &args.out).with_context(|| format!("writing {}", args.out.display()))?;
    bar.finish_and_clear();
    let bytes = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    let elapsed_s = started.elapsed().as_secs_f64();
    let lexicon_phrases = lexicon.as_ref().map_or(0, |l| l.entries().len());
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

/// What the index reads of a work: ids, title, abstract, date, venue and byline.
fn for_index(mut w: Work) -> Work {
    w.references = Vec::new();
    w.funding = Vec::new();
    w.relations = Vec::new();
    w.keywords = Vec::new();
    w.mesh = Vec::new();
    w.funding_statement = None;
    w.acknowledgements = None;
    w
}
