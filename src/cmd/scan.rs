//! `byline scan`: every paper-mill detector over a corpus; findings to JSON and Parquet, template families to
//! JSON, optionally an HTML report. The engine (stages, resuming, files) is `byline_app::scan`.

use std::path::PathBuf;
use std::process::ExitCode;

use byline_app::corpus_stage::PassLimits;
use byline_app::scan::{DetectorFiles, FamilySummary, ScanRequest, ScanSummary, run_scan};
use byline_report::subject_id;

use crate::cmd::lists::ListArgs;
use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Inputs of the detectors, shared by `scan` and `index`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DetectorInputs {
    /// A tortured-phrase lexicon (repeatable): a Problematic Paper Screener CSV export, the `torturedcheck`
    /// JSON (`{phrases: [{tortured, correct}]}`), or your own TSV (`tortured<TAB>expected`). byline ships no
    /// lexicon, only a reviewed allow-list of ordinary phrases the published lists contain: without
    /// --lexicon, TOR001 (tortured phrases) does not run.
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
    /// The MIL001 model (JSON written by `cargo run -p byline-detect --features train --example train_mill_model`); default
    /// the model shipped with byline (crates/byline-detect/data/mill_model.json).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

impl DetectorInputs {
    /// The input files as the application layer takes them.
    pub fn files(&self) -> DetectorFiles {
        DetectorFiles { lexicons: self.lexicons.clone(), model: self.model.clone() }
    }
}

/// Run every paper-mill detector over a corpus (made with `byline ingest`): template families (TPL001),
/// tortured phrases (TOR001), retraction links (RET001–RET004), byline signals (BYL001–BYL004) and the
/// classifier (MIL001). Writes findings.json, findings.parquet and families.json to --out; resumable.
///
/// Per-work detectors run part by part and record finished parts in <out>/progress.json, so a re-run after an
/// interruption skips them; the corpus-wide detectors (families, classifier, venue statistics, retraction
/// links) run once all parts are read, and their result is cached too. Every finding carries its reasons.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  byline scan --corpus corpus/\n  \
    byline scan --corpus corpus/ --lexicon pps_tortured_phrases.csv --retractions retraction_watch.csv\n  \
    byline scan --corpus corpus/ --select TPL,TOR --format json > scan.json\n  \
    byline scan --corpus corpus/ --ignore BYL004 --report scan.html\n  \
    byline scan --corpus corpus/ --list consolidated.csv --list 20250929_4.xlsx --select LST\n\n\
    Codes (--select/--ignore take codes or prefixes, like a linter): TPL001 template family, TOR001 tortured \
    phrases, RET001 retracted, RET002 cites a retracted work, RET003 cites a paper-mill retraction, RET004 \
    author with an earlier paper-mill retraction, BYL001 author-count anomaly, BYL002 webmail on an \
    institutional byline, BYL003 many countries, BYL004 venue burst, MIL001 classifier score, LST001 an \
    affiliation names an organisation on a --list screening list.")]
pub struct Args {
    /// The corpus directory (from `byline ingest`).
    #[arg(long)]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub inputs: DetectorInputs,
    /// Screening lists: every affiliation of every work is matched against them (LST001).
    #[command(flatten)]
    pub lists: ListArgs,
    /// Retraction Watch data, recognised by header: Crossref's CSV, a `doi,retractionwatch` list or the
    /// retractiondatabase.org scrape (datasets/README.md). Without it, RET* use only the corpus's own
    /// retraction marks (publication types, update-to relations).
    #[arg(long, value_name = "CSV")]
    pub retractions: Option<PathBuf>,
    /// Run only these codes or prefixes (comma-separated; default all).
    #[arg(long, value_delimiter = ',', value_name = "CODE,…")]
    pub select: Vec<String>,
    /// Skip these codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODE,…")]
    pub ignore: Vec<String>,
    /// Where to write findings.json, findings.parquet, families.json and the progress file (default
    /// <corpus>/scan).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Ignore the progress of an earlier run and start over.
    #[arg(long)]
    pub restart: bool,
    /// Paper-mill probability at or above which MIL001 is reported (0–1, stated at 2% prevalence). Default:
    /// none, MIL001 flags nothing: no model passed byline's fairness gate (every ordinary held-out PubMed
    /// paper the model flags at its own operating point has a corresponding author in China; BENCHMARKS.md).
    /// Every work's probability is written to <out>/mill_scores.csv whatever the threshold.
    #[arg(long, value_parser = crate::cmd::screen::parse_probability)]
    pub mill_threshold: Option<f64>,
    /// Flags shown in the text output (most severe first).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Run the corpus-wide detectors over every work held in memory, the engine before the bounded-memory
    /// passes (same output; for tests and measurements).
    #[arg(long, hide = true)]
    pub in_memory_corpus_stage: bool,
    /// The template-family passes with tiny scratch limits (many runs, merges in levels; same output; for tests).
    #[arg(long, hide = true)]
    pub small_pass_limits: bool,
}

impl Args {
    /// The scan these arguments ask for.
    pub fn request(&self) -> ScanRequest {
        ScanRequest {
            corpus: self.corpus.clone(),
            inputs: self.inputs.files(),
            lists: self.lists.options(),
            retractions: self.retractions.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            out: self.out.clone(),
            report: self.report.clone(),
            restart: self.restart,
            mill_threshold: self.mill_threshold,
            command: std::env::args().collect::<Vec<_>>().join(" "),
            in_memory_corpus_stage: self.in_memory_corpus_stage,
            pass_limits: if self.small_pass_limits { PassLimits::SMALL } else { PassLimits::DEFAULT },
            top: self.top,
        }
    }
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let r = run_scan(&args.request(), ctx)?;
    let summary = r.summary(&args.corpus, args.top);
    match args.format {
        OutputFormat::Json => print_json(&summary)?,
        OutputFormat::Text => print_summary(&summary),
    }
    Ok(ExitCode::SUCCESS)
}

/// The families shown in the text summary; the rest are in families.json.
const TEXT_FAMILIES_SHOWN: usize = 20;

fn print_summary(s: &ScanSummary) {
    outln!(
        "{} works in {} parts scanned in {:.2} s ({} parts resumed from an earlier run); {} findings",
        s.works,
        s.parts,
        s.elapsed_s,
        s.parts_resumed,
        s.findings
    );
    if !s.by_code.is_empty() {
        outln!();
        outln!("{:<8} {:>8} {:>8} {:>8} {:>8} {:>8}", "code", "high", "medium", "low", "info", "total");
        for c in &s.by_code {
            outln!("{:<8} {:>8} {:>8} {:>8} {:>8} {:>8}", c.code, c.high, c.medium, c.low, c.info, c.total);
        }
    }
    if !s.families.is_empty() {
        outln!();
        outln!(
            "{} template families, {} with the strong paper-mill pattern (members share no author and no \
             institution: the same text sold to unrelated teams)",
            s.families.len(),
            s.strong_pattern_families
        );
        outln!(
            "{:<22} {:>5} {:>7} {:>10} {:>8} {:>8}  pattern",
            "family",
            "works",
            "venues",
            "years",
            "authors",
            "insts"
        );
        let mut shown: Vec<&FamilySummary> = s.families.iter().collect();
        shown.sort_by(|a, b| b.size.cmp(&a.size).then(a.family_id.cmp(b.family_id)));
        for f in shown.iter().take(TEXT_FAMILIES_SHOWN) {
            let years = f.years.map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") });
            outln!(
                "{:<22} {:>5} {:>7} {:>10} {:>8} {:>8}  {}",
                f.family_id,
                f.size,
                f.venues,
                years.unwrap_or_else(|| "–".to_owned()),
                f.distinct_authors,
                f.distinct_institutions,
                if f.strong_papermill_pattern { "STRONG: no shared author or institution" } else { "" }
            );
        }
        if s.families.len() > TEXT_FAMILIES_SHOWN {
            outln!("… and {} more (families.json)", s.families.len() - TEXT_FAMILIES_SHOWN);
        }
    }
    if !s.top.is_empty() {
        outln!();
        outln!("top {} flags:", s.top.len());
        for f in &s.top {
            let title = f.evidence.first().and_then(|e| e.text.as_deref()).map(|t| format!(" ({t})"));
            outln!(
                "{} [{}] {:.2} {}{}",
                f.code,
                f.severity.as_str(),
                f.score,
                subject_id(&f.subject),
                title.unwrap_or_default()
            );
            for r in &f.reasons {
                outln!("    {r}");
            }
        }
    }
    for n in s.notes {
        outln!();
        outln!("note: {n}");
    }
    outln!();
    for (what, path) in &s.files {
        outln!("{what}: {path}");
    }
}
