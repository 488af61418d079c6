//! `byline ingest`: files → Parquet corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use byline_corpus::{FileRecord, IngestOptions, IngestProgress, Manifest, PartCompression, ingest};
use byline_model::Format;
use byline_term::parse_format;
use indicatif::ProgressBar;

use crate::exit;
use crate::output::{OutputFormat, errln, outln, print_json};
use crate::progress::Context;

/// Read publication metadata (PubMed/MEDLINE XML, JATS, Crossref and OpenAlex JSON/JSONL, Scopus CSV, Web of
/// Science, RIS, BibTeX, MEDLINE text; gzip or plain; directories recursively) into a Parquet corpus.
///
/// Every record is accounted for: records read = works written + records rejected, per file, in
/// `manifest.json`; rejected records and warnings are in the `diagnostics` table with file and position.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline ingest pubmed/*.xml.gz --out corpus/\n  \
    byline ingest exports/ --out corpus/ --format json > summary.json\n  \
    byline ingest works.jsonl --reader openalex --out corpus/ --strict")]
pub struct Args {
    /// Input files or directories (read recursively; hidden files skipped).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The corpus directory to write (replaced atomically if it already holds a corpus).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Use this reader for every file instead of detecting each file's format from its content.
    #[arg(long, value_parser = parse_format)]
    pub reader: Option<Format>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Fail (exit 3, write nothing) if any record is rejected or any file fails.
    #[arg(long)]
    pub strict: bool,
    /// Compression of the Parquet files: zstd (level 3), zstd:LEVEL (1-22), lz4 (faster, bigger) or none
    /// (scratch corpora). The same input gives the same bytes with each.
    #[arg(long, default_value = "zstd", value_parser = |s: &str| s.parse::<PartCompression>())]
    pub compression: PartCompression,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

struct Bar(ProgressBar);

impl IngestProgress for Bar {
    fn start(&self, _files: u64, bytes_on_disk: u64) {
        self.0.set_length(bytes_on_disk);
    }
    fn file_done(&self, _record: &FileRecord, bytes_on_disk: u64) {
        self.0.inc(bytes_on_disk);
    }
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let bar = Bar(ctx.bytes_bar(0, "ingest"));
    let options = IngestOptions {
        format: args.reader,
        threads: args.threads,
        strict: args.strict,
        compression: args.compression,
        ..IngestOptions::default()
    };
    let started = std::time::Instant::now();
    let manifest = ingest(&args.inputs, &args.out, &options, &bar).context("ingest failed")?;
    bar.0.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    let t = &manifest.totals;
    let problems = t.rejected > 0 || t.files_failed > 0;
    match args.format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "corpus": args.out.display().to_string(),
            "written": !(args.strict && problems),
            "elapsed_s": elapsed,
            "totals": t,
            "files": manifest.files,
        }))?,
        OutputFormat::Text => print_summary(&manifest, &args.out, elapsed, args.strict && problems),
    }
    // Inputs of which not one is publication metadata byline reads: an error, not an empty corpus and exit 0.
    if t.files > 0 && t.files_skipped == t.files {
        anyhow::bail!(
            "no input is in a format byline reads ({} file(s) skipped, listed above); expected one of: {}",
            t.files_skipped,
            formats_read()
        );
    }
    Ok(if problems { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}

/// The input formats, as `--format`-style names (`pubmed, jats, …`).
fn formats_read() -> String {
    Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
}

fn print_summary(m: &Manifest, out: &std::path::Path, elapsed: f64, refused: bool) {
    let t = &m.totals;
    for f in &m.files {
        if let Some(e) = &f.file_error {
            errln!("file failed: {}: {e}", f.path);
        }
    }
    let skipped: Vec<&FileRecord> = m.files.iter().filter(|f| f.skipped.is_some()).collect();
    if !skipped.is_empty() {
        errln!("{} file(s) skipped (not a recognized format; byline reads {}):", skipped.len(), formats_read());
        for f in skipped.iter().take(20) {
            errln!("  {}", f.path);
        }
        if skipped.len() > 20 {
            errln!("  … and {} more (see manifest.json)", skipped.len() - 20);
        }
    }
    let mb = t.bytes as f64 / 1e6;
    outln!(
        "{} files ({} failed, {} skipped), {:.1} MB in {:.2} s ({:.1} MB/s)",
        t.files,
        t.files_failed,
        t.files_skipped,
        mb,
        elapsed,
        mb / elapsed.max(1e-9)
    );
    outln!(
        "records read {} = works written {} + rejected {}; {} warnings; {} PubMed deletions",
        t.records_seen,
        t.works,
        t.rejected,
        t.warnings,
        t.deleted
    );
    if refused {
        outln!("--strict: problems found, nothing written (see the messages above)");
    } else {
        outln!("corpus: {}", out.display());
        if t.rejected > 0 || t.warnings > 0 {
            outln!("details of every rejected record and warning: {}/diagnostics/", out.display());
        }
    }
}
