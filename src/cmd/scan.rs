//! `byline scan`: every paper-mill detector over a corpus; findings to JSON and Parquet, template families to
//! JSON, optionally an HTML report.
//!
//! ## Two stages, and what resuming means
//! 1. **Per part** (resumable): the detectors that look at one work at a time (`TOR001`, `BYL002`, `BYL003`)
//!    run on each corpus part as it is read. A finished part's findings go to `<out>/parts/<part>.json` and
//!    its name to `<out>/progress.json`; a re-run with the same corpus and options skips its detectors.
//! 2. **Corpus-wide**: template families (`TPL001`), the classifier (`MIL001`, which uses family sizes), the
//!    venue distributions (`BYL001`, `BYL004`) and retraction links (`RET*`, which follow citations to
//!    retracted works anywhere in the corpus) need every work at once. They run after stage 1 on the works of
//!    all parts, held in memory without funding, keywords, MeSH, acknowledgements and raw reference strings;
//!    the result is cached in `<out>/corpus-stage.json` once complete, so an interrupted run only redoes what
//!    was not finished. Stage 2 needs every part read again when it has not completed (that is the price of
//!    exact families; a run interrupted during stage 2 re-reads the corpus but does not redo stage 1).
//!
//! The progress file records the corpus (parts, work count) and every option that changes results (input
//! files with size and modification time, `--select`, `--ignore`, the byline version): when any differs, the
//! scan starts over.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFilter, write_findings_parquet};
use byline_detect::classifier::score_all;
use byline_detect::registry::{Registry, is_enabled, sort_findings};
use byline_detect::tortured::{SHIPPED_ALLOWLIST, VenueTortured, venue_counts};
use byline_detect::{DetectContext, Family, Lexicon, Model, RetractionDb, ScanOutput, scan};
use byline_entities::screening::{ScreeningMatcher, screen_works};
use byline_model::{Finding, Severity, Subject, Work};
use byline_report::{
    ChartData, EvidenceWork, FamilyTimeline, GeneratedBy, KeyValue, LabeledCount, ReportInput, ReportKind,
    YearCategoryCount, ranked_findings, render_html, subject_id,
};
use indicatif::ProgressStyle;
use serde::{Deserialize, Serialize};

use crate::cmd::lists::{ListArgs, list_paths, load_lists, warn_stale};
use crate::output::{OutputFormat, outln, print_json};
use crate::progress::Context;

/// Detectors that look at one work at a time (stage 1, resumable part by part).
pub const PER_WORK_CODES: [&str; 3] = ["TOR001", "BYL002", "BYL003"];
/// The screening-list code a scan emits when given `--list` (an affiliation of the work's author names a listed
/// organisation).
pub const LIST_CODE: &str = "LST001";
/// Detectors that need every work of the corpus at once (stage 2). `RET001` stands for its family
/// `RET001`–`RET004` (one detector).
pub const CORPUS_WIDE_CODES: [&str; 5] = ["BYL001", "BYL004", "MIL001", "RET001", "TPL001"];

/// Inputs of the detectors, shared by `scan` and `index`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DetectorInputs {
    /// A tortured-phrase lexicon (repeatable): a Problematic Paper Screener CSV export, the `torturedcheck`
    /// JSON (`{phrases: [{tortured, correct}]}`), or your own TSV (`tortured<TAB>expected`). byline ships no
    /// lexicon, only a reviewed allow-list of ordinary phrases the published lists contain: without
    /// --lexicon, TOR001 (tortured phrases) does not run.
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
    /// The MIL001 model (JSON written by `cargo run -p byline-detect --example train_mill_model`); default
    /// the model shipped with byline (crates/byline-detect/data/mill_model.json).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

impl DetectorInputs {
    /// The lexicon from `--lexicon` files minus the shipped allow-list, or `None` when none is given.
    pub fn load_lexicon(&self) -> anyhow::Result<Option<Lexicon>> {
        if self.lexicons.is_empty() {
            return Ok(None);
        }
        let lexicon = Lexicon::from_files(&self.lexicons, SHIPPED_ALLOWLIST).context("loading --lexicon")?;
        anyhow::ensure!(!lexicon.entries().is_empty(), "--lexicon: no tortured phrase found in the given files");
        Ok(Some(lexicon))
    }

    /// The `--model` file, or the shipped model.
    pub fn load_model(&self) -> anyhow::Result<Model> {
        Ok(match &self.model {
            Some(p) => Model::load(p).context("loading --model")?,
            None => Model::shipped().context("loading the shipped model")?,
        })
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
}

/// A file given as input, as the progress file remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileStamp {
    path: String,
    bytes: u64,
    modified_s: Option<u64>,
}

/// Everything that changes a scan's results; a progress file is reused only when it matches exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ScanConfig {
    byline_version: String,
    corpus: String,
    parts: Vec<String>,
    works: u64,
    lexicons: Vec<FileStamp>,
    retractions: Option<FileStamp>,
    lists: Vec<FileStamp>,
    list_format: Option<String>,
    list_date: Option<String>,
    model: Option<FileStamp>,
    /// `--mill-threshold`, as given (a float is not `Eq`).
    mill_threshold: Option<String>,
    select: Vec<String>,
    ignore: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    config: Option<ScanConfig>,
    parts_done: Vec<String>,
    corpus_stage_done: bool,
}

/// What stage 1 keeps of one part.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PartResult {
    works: u64,
    findings: Vec<Finding>,
    tortured_per_venue: Vec<VenueTortured>,
}

/// Counts of one code by severity.
#[derive(Debug, Default, Serialize)]
struct CodeCount {
    code: String,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
    total: usize,
}

/// A family in the summary (the full record is in families.json).
#[derive(Debug, Serialize)]
struct FamilySummary<'a> {
    family_id: &'a str,
    size: usize,
    venues: usize,
    years: Option<(i32, i32)>,
    distinct_authors: usize,
    distinct_institutions: usize,
    strong_papermill_pattern: bool,
    mean_similarity: f64,
    skeleton: &'a str,
}

#[derive(Debug, Serialize)]
struct Summary<'a> {
    corpus: String,
    out: String,
    works: u64,
    parts: usize,
    /// Parts whose per-work detectors were skipped because an earlier run finished them.
    parts_resumed: usize,
    corpus_stage_resumed: bool,
    elapsed_s: f64,
    findings: usize,
    by_code: Vec<CodeCount>,
    families: Vec<FamilySummary<'a>>,
    strong_pattern_families: usize,
    top: Vec<&'a Finding>,
    notes: &'a [String],
    files: BTreeMap<&'static str, String>,
}

/// What a scan produced (its files are written already).
pub struct ScanRun {
    pub out: PathBuf,
    pub works: u64,
    pub parts: usize,
    pub parts_resumed: usize,
    pub corpus_stage_resumed: bool,
    pub elapsed_s: f64,
    pub findings: Vec<Finding>,
    pub families: Vec<Family>,
    pub notes: Vec<String>,
    pub files: BTreeMap<&'static str, String>,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let r = execute(&args, ctx)?;
    let summary = Summary {
        corpus: args.corpus.display().to_string(),
        out: r.out.display().to_string(),
        works: r.works,
        parts: r.parts,
        parts_resumed: r.parts_resumed,
        corpus_stage_resumed: r.corpus_stage_resumed,
        elapsed_s: r.elapsed_s,
        findings: r.findings.len(),
        by_code: count_by_code(&r.findings),
        families: r.families.iter().map(family_summary).collect(),
        strong_pattern_families: r.families.iter().filter(|f| f.strong_papermill_pattern).count(),
        top: ranked_findings(&r.findings).into_iter().take(args.top).collect(),
        notes: &r.notes,
        files: r.files.clone(),
    };
    match args.format {
        OutputFormat::Json => print_json(&summary)?,
        OutputFormat::Text => print_summary(&summary),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the scan and writes its files; printing is left to the caller.
pub fn execute(args: &Args, ctx: &Context) -> anyhow::Result<ScanRun> {
    let started = Instant::now();
    let reader = CorpusReader::open(&args.corpus).context("opening the corpus")?;
    let out = args.out.clone().unwrap_or_else(|| args.corpus.join("scan"));
    // Inputs first: a file byline cannot read stops the scan before any part is read.
    let lists = load_lists(&args.lists)?;
    warn_stale(&lists);
    let lists_enabled = !lists.is_empty() && is_enabled(LIST_CODE, &args.select, &args.ignore);
    let screening = lists_enabled.then(|| ScreeningMatcher::new(lists));
    // The screening-list code is the entities crate's, not a detector of the registry: take it out of
    // --select/--ignore before the registry reads them; selecting only it switches every detector off.
    let is_list_code = |c: &String| c != "ALL" && LIST_CODE.starts_with(c.as_str());
    let select: Vec<String> = args.select.iter().filter(|c| !is_list_code(c)).cloned().collect();
    let mut ignore: Vec<String> = args.ignore.iter().filter(|c| !is_list_code(c)).cloned().collect();
    if !args.select.is_empty() && select.is_empty() {
        ignore.push("ALL".to_owned());
    }
    let registry = Registry::default();
    let enabled: Vec<&str> = registry.select(&select, &ignore)?.iter().map(|d| d.code()).collect();
    let stage2_enabled = enabled.iter().any(|c| CORPUS_WIDE_CODES.contains(c));

    let lexicon = args.inputs.load_lexicon()?;
    let model = args.inputs.load_model()?;
    let retractions = match &args.retractions {
        Some(p) => Some(RetractionDb::from_csv_path(p).context("loading --retractions")?),
        None => None,
    };
    let mut notes: Vec<String> = retractions.iter().map(RetractionDb::load_summary).collect();
    if lexicon.is_none() && enabled.contains(&"TOR001") {
        notes.push(
            "TOR001 (tortured phrases) did not run: byline ships no tortured-phrase lexicon. Pass --lexicon FILE \
             (a Problematic Paper Screener export, the torturedcheck JSON or your own TSV); the other detectors ran."
                .to_owned(),
        );
    }
    if retractions.is_none() && enabled.contains(&"RET001") {
        notes.push(
            "RET001–RET004 used only the corpus's own retraction marks: pass --retractions with the Retraction \
             Watch CSV to follow citations to works retracted elsewhere and authors' earlier paper-mill retractions."
                .to_owned(),
        );
    }
    let detect = DetectContext {
        lexicon,
        retractions,
        model: Some(model),
        mill_threshold: args.mill_threshold,
        ..DetectContext::default()
    };

    let config = scan_config(args, &reader)?;
    std::fs::create_dir_all(out.join("parts")).with_context(|| format!("creating {}", out.display()))?;
    let progress_path = out.join("progress.json");
    let mut progress = if args.restart { Progress::default() } else { read_json(&progress_path).unwrap_or_default() };
    if progress.config.as_ref() != Some(&config) {
        progress = Progress { config: Some(config), ..Progress::default() };
        let _ = std::fs::remove_file(out.join("corpus-stage.json"));
        let _ = std::fs::remove_dir_all(out.join("parts"));
        std::fs::create_dir_all(out.join("parts"))?;
        write_json_atomic(&progress_path, &progress)?;
    }
    let parts = reader.manifest().parts.clone();
    let resumed_parts: HashSet<String> = progress.parts_done.iter().cloned().collect();
    let corpus_stage_resumed = progress.corpus_stage_done;
    let run_stage2 = stage2_enabled && !progress.corpus_stage_done;

    // Stage 1: per part, resumable; collect the works stage 2 needs on the way.
    let ignore_stage1 = with_codes(&ignore, &CORPUS_WIDE_CODES);
    let bar = ctx.bytes_bar(parts.len() as u64, "scan");
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>10} [{elapsed_precise}] {wide_bar} {pos}/{len} parts (eta {eta})")
    {
        bar.set_style(style);
    }
    let mut all_works: Vec<Work> = Vec::new();
    for part in &parts {
        let done = resumed_parts.contains(part);
        if done && !run_stage2 {
            bar.inc(1);
            continue;
        }
        let works = reader.works_in_part(part, &WorkFilter::All).with_context(|| format!("reading part {part}"))?;
        if !done {
            let mut found = scan(&works, &detect, &select, &ignore_stage1)?;
            if let Some(matcher) = &screening {
                found.findings.extend(screen_works(matcher, &works));
            }
            let tortured_per_venue = match &detect.lexicon {
                Some(l) => venue_counts(&works, l, &detect.tortured_thresholds),
                None => Vec::new(),
            };
            let result = PartResult { works: works.len() as u64, findings: found.findings, tortured_per_venue };
            write_json_atomic(&part_file(&out, part), &result)?;
            progress.parts_done.push(part.clone());
            write_json_atomic(&progress_path, &progress)?;
        }
        if run_stage2 {
            all_works.extend(works.into_iter().map(slim));
        }
        bar.inc(1);
    }

    // Stage 2: corpus-wide detectors over every work.
    // Results are always taken from the files (fresh or resumed), so that both give the same bytes.
    let stage2: ScanOutput = if stage2_enabled {
        if run_stage2 {
            bar.set_message("families");
            // MIL001 is scored here, once per work: its findings join the others and every work's probability
            // goes to mill_scores.csv.
            let ignore_stage2 = with_codes(&with_codes(&ignore, &PER_WORK_CODES), &["MIL001"]);
            let mut result = scan(&all_works, &detect, &select, &ignore_stage2)?;
            if enabled.contains(&"MIL001") {
                let (probabilities, mill_findings) = score_all(&all_works, &detect, detect.mill_threshold);
                write_mill_scores(&out.join(MILL_SCORES_FILE), &all_works, &probabilities)?;
                result.findings.extend(mill_findings);
                sort_findings(&mut result.findings);
            }
            drop(all_works);
            write_json_atomic(&out.join("corpus-stage.json"), &result)?;
            progress.corpus_stage_done = true;
            write_json_atomic(&progress_path, &progress)?;
        }
        read_json(&out.join("corpus-stage.json")).context("reading the cached corpus stage (re-run with --restart)")?
    } else {
        ScanOutput { findings: Vec::new(), families: Vec::new() }
    };
    bar.finish_and_clear();

    // Merge, in corpus part order, and write the outputs.
    let mut findings = stage2.findings;
    let mut venues: BTreeMap<String, VenueTortured> = BTreeMap::new();
    let mut works_total = 0u64;
    for part in &parts {
        let r: PartResult = read_json(&part_file(&out, part))
            .with_context(|| format!("reading the result of part {part} (re-run with --restart)"))?;
        works_total += r.works;
        findings.extend(r.findings);
        for v in r.tortured_per_venue {
            let e = venues.entry(v.venue.clone()).or_insert(VenueTortured {
                venue: v.venue,
                works: 0,
                works_flagged: 0,
                total_hits: 0,
            });
            e.works += v.works;
            e.works_flagged += v.works_flagged;
            e.total_hits += v.total_hits;
        }
    }
    sort_findings(&mut findings);
    let families = stage2.families;
    let mut files = BTreeMap::new();
    let findings_json = out.join("findings.json");
    write_json_atomic(&findings_json, &findings)?;
    files.insert("findings_json", findings_json.display().to_string());
    let findings_parquet = out.join("findings.parquet");
    write_findings_parquet(&findings, &findings_parquet)?;
    files.insert("findings_parquet", findings_parquet.display().to_string());
    let families_json = out.join("families.json");
    write_json_atomic(&families_json, &families)?;
    files.insert("families_json", families_json.display().to_string());
    let mill_scores = out.join(MILL_SCORES_FILE);
    if enabled.contains(&"MIL001") && mill_scores.is_file() {
        files.insert("mill_scores_csv", mill_scores.display().to_string());
    }
    let tortured_json = out.join("tortured_per_venue.json");
    let venues: Vec<VenueTortured> = venues.into_values().collect();
    write_json_atomic(&tortured_json, &venues)?;
    files.insert("tortured_per_venue_json", tortured_json.display().to_string());

    if let Some(path) = &args.report {
        let input = report_input(args, &reader, &findings, &families, &venues, works_total, &notes, &detect)?;
        let html = render_html(&input).context("rendering the report")?;
        std::fs::write(path, html).with_context(|| format!("writing {}", path.display()))?;
        files.insert("report_html", path.display().to_string());
    }

    Ok(ScanRun {
        out,
        works: works_total,
        parts: parts.len(),
        parts_resumed: resumed_parts.len(),
        corpus_stage_resumed: corpus_stage_resumed && stage2_enabled,
        elapsed_s: started.elapsed().as_secs_f64(),
        findings,
        families,
        notes,
        files,
    })
}

/// `ignore` plus `codes` (exact codes: with ties going to ignore, they switch those detectors off whatever
/// `--select` says).
fn with_codes(ignore: &[String], codes: &[&str]) -> Vec<String> {
    let mut out = ignore.to_vec();
    out.extend(codes.iter().map(|c| (*c).to_owned()));
    out
}

/// What stage 2 keeps of a work: everything but the fields no corpus-wide detector reads.
fn slim(mut w: Work) -> Work {
    w.funding = Vec::new();
    w.keywords = Vec::new();
    w.mesh = Vec::new();
    w.funding_statement = None;
    w.acknowledgements = None;
    w.references.retain(|r| r.doi.is_some() || r.pmid.is_some());
    for r in &mut w.references {
        r.raw = None;
        r.openalex = None;
    }
    w
}

/// Every work's `MIL001` probability, one row a work in corpus order: `work_id,doi,pmid,probability`. A file
/// beside the findings rather than a finding per work: a scan over millions of works would otherwise carry
/// millions of findings that flag nothing (about 40 bytes a work here).
pub const MILL_SCORES_FILE: &str = "mill_scores.csv";

fn write_mill_scores(path: &Path, works: &[Work], probabilities: &[f64]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("csv.tmp");
    let file = std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    let mut w = std::io::BufWriter::new(file);
    writeln!(w, "work_id,doi,pmid,probability")?;
    let field = |s: Option<&str>| {
        let s = s.unwrap_or("");
        if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
    };
    for (work, p) in works.iter().zip(probabilities) {
        writeln!(
            w,
            "{},{},{},{p:.4}",
            field(Some(&work.work_id)),
            field(work.ids.doi.as_deref()),
            field(work.ids.pmid.as_deref())
        )?;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

fn part_file(out: &Path, part: &str) -> PathBuf {
    out.join("parts").join(format!("{part}.json"))
}

fn scan_config(args: &Args, reader: &CorpusReader) -> anyhow::Result<ScanConfig> {
    let stamp = |p: &Path| -> anyhow::Result<FileStamp> {
        let meta = std::fs::metadata(p).with_context(|| format!("reading {}", p.display()))?;
        let modified_s =
            meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_secs());
        let path = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        Ok(FileStamp { path: path.display().to_string(), bytes: meta.len(), modified_s })
    };
    let corpus = std::fs::canonicalize(&args.corpus).unwrap_or_else(|_| args.corpus.clone());
    Ok(ScanConfig {
        byline_version: env!("CARGO_PKG_VERSION").to_owned(),
        corpus: corpus.display().to_string(),
        parts: reader.manifest().parts.clone(),
        works: reader.manifest().totals.works,
        lexicons: args.inputs.lexicons.iter().map(|p| stamp(p)).collect::<anyhow::Result<_>>()?,
        retractions: args.retractions.as_deref().map(stamp).transpose()?,
        lists: list_paths(&args.lists).into_iter().map(stamp).collect::<anyhow::Result<_>>()?,
        list_format: args.lists.list_format.map(|f| f.id().to_owned()),
        list_date: args.lists.list_date.clone(),
        model: args.inputs.model.as_deref().map(stamp).transpose()?,
        mill_threshold: args.mill_threshold.map(|t| t.to_string()),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Writes pretty JSON through a temporary file and a rename, so an interrupted run never leaves half a file.
fn write_json_atomic<T: Serialize + ?Sized>(path: &Path, value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

fn count_by_code(findings: &[Finding]) -> Vec<CodeCount> {
    let mut map: BTreeMap<&str, CodeCount> = BTreeMap::new();
    for f in findings {
        let c =
            map.entry(f.code.as_str()).or_insert_with(|| CodeCount { code: f.code.clone(), ..CodeCount::default() });
        match f.severity {
            Severity::High => c.high += 1,
            Severity::Medium => c.medium += 1,
            Severity::Low => c.low += 1,
            Severity::Info => c.info += 1,
        }
        c.total += 1;
    }
    map.into_values().collect()
}

fn family_summary(f: &Family) -> FamilySummary<'_> {
    FamilySummary {
        family_id: &f.family_id,
        size: f.members.len(),
        venues: f.venues.len(),
        years: f.years.first().zip(f.years.last()).map(|(a, b)| (a.0, b.0)),
        distinct_authors: f.distinct_authors,
        distinct_institutions: f.distinct_institutions,
        strong_papermill_pattern: f.strong_papermill_pattern,
        mean_similarity: f.mean_similarity,
        skeleton: &f.skeleton,
    }
}

/// The families shown in the text summary; the rest are in families.json.
const TEXT_FAMILIES_SHOWN: usize = 20;

fn print_summary(s: &Summary) {
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

/// Families drawn in the report's size chart.
const REPORT_FAMILIES_CHARTED: usize = 30;
/// Venues drawn in the report's tortured-phrase chart.
const REPORT_VENUES_CHARTED: usize = 20;

#[allow(clippy::too_many_arguments)]
fn report_input(
    args: &Args,
    reader: &CorpusReader,
    findings: &[Finding],
    families: &[Family],
    venues: &[VenueTortured],
    works_total: u64,
    notes: &[String],
    detect: &DetectContext,
) -> anyhow::Result<ReportInput> {
    // The works findings point at, read back by id.
    let mut ids: HashSet<String> = HashSet::new();
    for f in findings {
        if let Subject::Work { work_id } | Subject::Authorship { work_id, .. } = &f.subject {
            ids.insert(work_id.clone());
        }
        ids.extend(f.evidence.iter().filter_map(|e| e.work_id.clone()));
    }
    let mut works: Vec<EvidenceWork> = if ids.is_empty() {
        Vec::new()
    } else {
        reader.works(&WorkFilter::Ids(ids))?.iter().map(evidence_work).collect()
    };
    works.sort_by(|a, b| a.work_id.cmp(&b.work_id));

    let mut by_size: Vec<&Family> = families.iter().collect();
    by_size.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.family_id.cmp(&b.family_id)));
    let template_families = by_size
        .iter()
        .take(REPORT_FAMILIES_CHARTED)
        .map(|f| LabeledCount { label: f.family_id.clone(), count: f.members.len() as u32 })
        .collect();
    let family_timeline = by_size.first().map(|f| {
        let mut counts: BTreeMap<(i32, String), u32> = BTreeMap::new();
        for m in &f.members {
            if let Some(y) = m.year {
                *counts.entry((y, m.venue.clone())).or_default() += 1;
            }
        }
        FamilyTimeline {
            family_id: f.family_id.clone(),
            members: counts
                .into_iter()
                .map(|((year, category), count)| YearCategoryCount { year, category, count })
                .collect(),
        }
    });
    let mut by_hits: Vec<&VenueTortured> = venues.iter().filter(|v| v.total_hits > 0).collect();
    by_hits.sort_by(|a, b| b.total_hits.cmp(&a.total_hits).then(a.venue.cmp(&b.venue)));
    let tortured_phrases_per_venue = by_hits
        .iter()
        .take(REPORT_VENUES_CHARTED)
        .map(|v| LabeledCount { label: v.venue.clone(), count: v.total_hits as u32 })
        .collect();

    let t = &detect.tortured_thresholds;
    let p = &detect.family_params;
    let mut method = vec![
        KeyValue::new(
            "TPL001 template families",
            format!(
                "masked title + abstract, {}-word shingles, MinHash k = {}, LSH {} bands × {} rows, verified \
                 similarity ≥ {:.2}, ≥ {} tokens, family size ≥ {}",
                p.minhash.shingle_words,
                p.minhash.num_perm,
                p.minhash.bands,
                p.minhash.rows,
                p.minhash.threshold,
                p.min_tokens,
                p.min_family_size
            ),
        ),
        KeyValue::new(
            "TOR001 tortured phrases",
            format!(
                "suspicious ≥ {} hits per 1k words and ≥ {} distinct; high ≥ {} and ≥ {}; below {} at most low",
                t.suspicious_per_1k_words,
                t.suspicious_min_distinct,
                t.high_per_1k_words,
                t.high_min_distinct,
                t.low_below_per_1k_words
            ),
        ),
    ];
    if let Some(m) = &detect.model {
        method.push(KeyValue::new(
            "MIL001 classifier",
            match byline_detect::classifier::effective_threshold(m, detect.mill_threshold) {
                Some(t) => format!("text model, flags at probability ≥ {t:.2} (stated at 2% prevalence)"),
                None => "text model, probabilities only (mill_scores.csv): no --mill-threshold, and no model \
                         passed the fairness gate"
                    .to_owned(),
            },
        ));
    }
    method.push(KeyValue::new("select / ignore", format!("{:?} / {:?}", args.select, args.ignore)));

    let strong = families.iter().filter(|f| f.strong_papermill_pattern).count();
    let mut summary = vec![format!(
        "{} findings over {works_total} works; {} template families, {strong} with the strong paper-mill pattern \
         (no shared author or institution).",
        findings.len(),
        families.len()
    )];
    summary.extend(notes.iter().cloned());
    let command: Vec<String> = std::env::args().collect();
    Ok(ReportInput {
        kind: ReportKind::Scan,
        title: format!("Paper-mill scan of {} ({works_total} works)", args.corpus.display()),
        subject: Some(format!("{} · {works_total} works", args.corpus.display())),
        generated_by: GeneratedBy {
            version: format!("byline {}", env!("CARGO_PKG_VERSION")),
            command: command.join(" "),
            method,
        },
        summary,
        findings: findings.to_vec(),
        works,
        charts: ChartData { template_families, family_timeline, tortured_phrases_per_venue, ..ChartData::default() },
    })
}

fn evidence_work(w: &Work) -> EvidenceWork {
    let countries: BTreeSet<String> = w
        .authors
        .iter()
        .flat_map(|a| a.affiliations.iter().filter_map(byline_norm::affiliation_country_code))
        .collect();
    EvidenceWork {
        work_id: w.work_id.clone(),
        doi: w.ids.doi.clone(),
        pmid: w.ids.pmid.clone(),
        title: w.title.clone().unwrap_or_default(),
        year: w.date.map(|d| d.year),
        venue: w.venue.title.clone().or_else(|| w.venue.abbreviation.clone()),
        authors: w.authors.iter().map(|a| a.display_name().to_owned()).collect(),
        countries: countries.into_iter().collect(),
    }
}
