//! The scan engine (`byline scan`): every paper-mill detector over a corpus; findings to JSON and Parquet, template families to
//! JSON, optionally an HTML report.
//!
//! ## Two stages, and what resuming means
//! 1. **Per part** (resumable): the detectors that look at one work at a time (`TOR001`, `BYL002`, `BYL003`)
//!    run on each corpus part as it is read. A finished part's findings go, sorted, to
//!    `<out>/parts/<part>.findings.jsonl` (its counts to `<out>/parts/<part>.json`) and its name to
//!    `<out>/progress.json`; a re-run with the same corpus and options skips its detectors.
//! 2. **Corpus-wide**: template families (`TPL001`), the classifier (`MIL001`, whose every probability goes to
//!    `mill_scores.csv` in corpus order), the venue distributions (`BYL001`, `BYL004`) and retraction links
//!    (`RET*`, which follow citations to works retracted anywhere in the corpus) depend on the whole corpus.
//!    They run in passes ([`crate::corpus_stage`]): while stage 1 reads a part it also writes what they need of
//!    its works (signatures and ids, per-venue counts, the works they may flag, scores; the retracted works'
//!    keys come from a pre-pass over a few columns), beside the part's result; after stage 1 those files are
//!    aggregated and only the template families' members are rebuilt from their parts, so that memory does
//!    not grow with the corpus. The result is cached in `<out>/corpus-stage.json` once complete; a run
//!    interrupted during stage 2 redoes it from the parts' files without reading the corpus again (except the
//!    families' members). `ScanRequest::in_memory_corpus_stage` runs it the old way, over every work held in
//!    memory (the reference the passes are tested against: same bytes).
//!
//! 3. **Merge**: the corpus stage's findings and every part's file are merged (each is sorted) into
//!    `findings.json` and `findings.parquet` a finding at a time ([`crate::findings_out`]); the run keeps their
//!    counts and the most severe few ([`ScanRequest::top`]), and every finding only for `--report`.
//!
//! The progress file records the corpus (parts, work count) and every option that changes results (input
//! files with size and modification time, `--select`, `--ignore`, the byline version): when any differs, the
//! scan starts over.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFields, WorkFilter};
use byline_detect::classifier::PaperMillScore;
use byline_detect::registry::{Registry, Scope, is_enabled, sort_findings};
use byline_detect::retraction::RetractionLinks;
use byline_detect::template::SlotMasker;
use byline_detect::tortured::{SHIPPED_ALLOWLIST, TorturedPhrases, VenueTortured, venue_counts};
use byline_detect::{DetectContext, Family, Lexicon, Model, RetractionDb, ScanOutput, scan};
use byline_entities::screening::{ScreeningMatcher, screen_works};
use byline_model::{Finding, Subject, Work};
use byline_report::{
    ChartData, EvidenceWork, FamilyTimeline, GeneratedBy, KeyValue, LabeledCount, ReportInput, ReportKind,
    YearCategoryCount, render_html,
};
use serde::{Deserialize, Serialize};

use crate::corpus_stage::{self, CorpusPlan, PassLimits};
use crate::files::{read_json, write_atomic, write_atomic_with, write_json_atomic};
pub use crate::findings_out::CodeCount;
use crate::findings_out::{merge_and_write, write_run};
use crate::lists::{ListOptions, stale_warnings};
use crate::report::evidence_work;
use crate::ui::{Ui, Unit};

/// The screening-list code a scan emits when given lists (an affiliation of the work's author names a listed
/// organisation): the entities crate's, not a detector of the registry.
pub const LIST_CODE: &str = "LST001";

/// The detectors' input files, shared by `scan` and `index`.
#[derive(Debug, Clone, Default)]
pub struct DetectorFiles {
    /// Tortured-phrase lexicons (PPS CSV, torturedcheck JSON, TSV); none: TOR001 does not run.
    pub lexicons: Vec<PathBuf>,
    /// The MIL001 model; `None`: the shipped one.
    pub model: Option<PathBuf>,
}

impl DetectorFiles {
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

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    pub corpus: PathBuf,
    pub inputs: DetectorFiles,
    /// Screening lists: every affiliation of every work is matched against them (LST001).
    pub lists: ListOptions,
    pub retractions: Option<PathBuf>,
    /// Codes or prefixes to run (empty: all) and to skip, as a linter takes them.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Where the findings and the progress files go (default `<corpus>/scan`).
    pub out: Option<PathBuf>,
    /// A self-contained HTML report to write.
    pub report: Option<PathBuf>,
    /// Ignore an earlier run's progress.
    pub restart: bool,
    /// MIL001's threshold (`None`: the model's own, which today flags nothing).
    pub mill_threshold: Option<f64>,
    /// The command line, for the report's method section.
    pub command: String,
    /// Run the corpus-wide stage over every work held in memory (the engine before the passes of
    /// [`crate::corpus_stage`]; memory grows by ~9 KB a work). Kept as the reference the passes are tested
    /// against: both write the same bytes.
    pub in_memory_corpus_stage: bool,
    /// The sizes of the template-family passes' scratch work ([`PassLimits::SMALL`] in tests, to take every
    /// path of the passes on a small corpus; the output is the same).
    pub pass_limits: PassLimits,
    /// How many of the most severe findings the run keeps for its summary ([`ScanRun::top`]); every finding
    /// is in the files, and in memory only when a report is asked for.
    pub top: usize,
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
    /// How the corpus-wide stage runs (`passes`, `in-memory`): the parts keep different files for each.
    corpus_stage: String,
    /// The layout of the parts' files ([`PART_LAYOUT`]): a progress file of another layout starts over.
    part_layout: u32,
}

/// 2: a part's findings in their own sorted JSON-lines file (1: inside the part's JSON).
const PART_LAYOUT: u32 = 2;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    config: Option<ScanConfig>,
    parts_done: Vec<String>,
    corpus_stage_done: bool,
}

/// What stage 1 keeps of one part beside its findings' file.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PartResult {
    works: u64,
    findings: u64,
    tortured_per_venue: Vec<VenueTortured>,
}

/// What a scan produced (its files are written already).
pub struct ScanRun {
    pub out: PathBuf,
    pub works: u64,
    pub parts: usize,
    pub parts_resumed: usize,
    pub corpus_stage_resumed: bool,
    pub elapsed_s: f64,
    /// How many findings the files hold.
    pub findings: usize,
    pub by_code: Vec<CodeCount>,
    /// The most severe findings in report order, at most [`ScanRequest::top`].
    pub top: Vec<Finding>,
    pub families: Vec<Family>,
    pub notes: Vec<String>,
    pub files: BTreeMap<&'static str, String>,
}

/// A family in the summary (the full record is in families.json).
#[derive(Debug, Serialize)]
pub struct FamilySummary<'a> {
    pub family_id: &'a str,
    pub size: usize,
    pub venues: usize,
    pub years: Option<(i32, i32)>,
    pub distinct_authors: usize,
    pub distinct_institutions: usize,
    pub strong_papermill_pattern: bool,
    pub mean_similarity: f64,
    pub skeleton: &'a str,
}

/// What `byline scan` prints: counts by code, the families, the top flags, notes and the files written.
#[derive(Debug, Serialize)]
pub struct ScanSummary<'a> {
    pub corpus: String,
    pub out: String,
    pub works: u64,
    pub parts: usize,
    /// Parts whose per-work detectors were skipped because an earlier run finished them.
    pub parts_resumed: usize,
    pub corpus_stage_resumed: bool,
    pub elapsed_s: f64,
    pub findings: usize,
    pub by_code: Vec<CodeCount>,
    pub families: Vec<FamilySummary<'a>>,
    pub strong_pattern_families: usize,
    pub top: Vec<&'a Finding>,
    pub notes: &'a [String],
    pub files: BTreeMap<&'static str, String>,
}

impl ScanRun {
    /// The summary `byline scan` prints of this run, with the `top` most severe flags.
    pub fn summary(&self, corpus: &Path, top: usize) -> ScanSummary<'_> {
        ScanSummary {
            corpus: corpus.display().to_string(),
            out: self.out.display().to_string(),
            works: self.works,
            parts: self.parts,
            parts_resumed: self.parts_resumed,
            corpus_stage_resumed: self.corpus_stage_resumed,
            elapsed_s: self.elapsed_s,
            findings: self.findings,
            by_code: self.by_code.clone(),
            families: self.families.iter().map(family_summary).collect(),
            strong_pattern_families: self.families.iter().filter(|f| f.strong_papermill_pattern).count(),
            top: self.top.iter().take(top).collect(),
            notes: &self.notes,
            files: self.files.clone(),
        }
    }
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

/// Runs the scan and writes its files; printing is left to the caller.
pub fn run_scan(args: &ScanRequest, ui: &dyn Ui) -> anyhow::Result<ScanRun> {
    let started = Instant::now();
    let reader = CorpusReader::open(&args.corpus).context("opening the corpus")?;
    let out = args.out.clone().unwrap_or_else(|| args.corpus.join("scan"));
    // Inputs first: a file byline cannot read stops the scan before any part is read.
    let lists = args.lists.load()?;
    for w in stale_warnings(&lists) {
        ui.note(&w);
    }
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
    // Detectors that look at one work at a time (stage 1, resumable part by part) and those that need every work
    // of the corpus at once (stage 2); each declares its scope.
    let per_work = registry.codes_in(Scope::PerWork);
    let corpus_wide = registry.codes_in(Scope::Corpus);
    let mill_enabled = registry.classifier_enabled(&select, &ignore);
    let stage2_enabled = enabled.iter().any(|c| corpus_wide.contains(c));

    let lexicon = args.inputs.load_lexicon()?;
    let model = args.inputs.load_model()?;
    let retractions = match &args.retractions {
        Some(p) => Some(RetractionDb::from_csv_path(p).context("loading --retractions")?),
        None => None,
    };
    let mut notes: Vec<String> = retractions.iter().map(RetractionDb::load_summary).collect();
    if lexicon.is_none() && enabled.contains(&TorturedPhrases::CODE) {
        notes.push(
            "TOR001 (tortured phrases) did not run: byline ships no tortured-phrase lexicon. Pass --lexicon FILE \
             (a Problematic Paper Screener export, the torturedcheck JSON or your own TSV); the other detectors ran."
                .to_owned(),
        );
    }
    if retractions.is_none() && enabled.contains(&RetractionLinks::CODE) {
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
    let retracted_path = out.join("retracted.json");
    let mut progress = if args.restart { Progress::default() } else { read_json(&progress_path).unwrap_or_default() };
    if progress.config.as_ref() != Some(&config) {
        progress = Progress { config: Some(config), ..Progress::default() };
        let _ = std::fs::remove_file(out.join("corpus-stage.json"));
        let _ = std::fs::remove_file(&retracted_path);
        let _ = std::fs::remove_dir_all(out.join("parts"));
        std::fs::create_dir_all(out.join("parts"))?;
        write_json_atomic(&progress_path, &progress)?;
    }
    let parts = reader.manifest().parts.clone();
    let resumed_parts: HashSet<String> = progress.parts_done.iter().cloned().collect();
    let corpus_stage_resumed = progress.corpus_stage_done;
    let run_stage2 = stage2_enabled && !progress.corpus_stage_done;
    let in_memory = args.in_memory_corpus_stage;
    let plan = CorpusPlan { limits: args.pass_limits, ..CorpusPlan::new(&select, &ignore, mill_enabled) };
    // The passes: each part keeps what the corpus-wide detectors need of it while stage 1 reads it.
    let spill = stage2_enabled && !in_memory;
    let masker = SlotMasker::default();
    let corpus_retracted: BTreeSet<String> =
        if spill && plan.retractions && parts.iter().any(|p| !resumed_parts.contains(p)) {
            match read_json(&retracted_path) {
                Ok(keys) => keys,
                Err(_) => {
                    let keys = corpus_stage::corpus_retracted(&reader, &parts)?;
                    write_json_atomic(&retracted_path, &keys)?;
                    keys
                }
            }
        } else {
            BTreeSet::new()
        };

    // Stage 1: per part, resumable; the corpus stage's data spilled on the way (or, in memory, the works
    // collected).
    let ignore_stage1 = with_codes(&ignore, &corpus_wide);
    let bar = ui.bar(parts.len() as u64, "scan", Unit::Parts);
    let mut all_works: Vec<Work> = Vec::new();
    let collect = run_stage2 && in_memory;
    for part in &parts {
        let done = resumed_parts.contains(part);
        if done && !collect {
            bar.inc(1);
            continue;
        }
        let mut works = reader
            .works_in_part_with(part, &WorkFilter::All, &SCAN_FIELDS)
            .with_context(|| format!("reading part {part}"))?;
        if !done {
            let mut found = scan(&works, &detect, &select, &ignore_stage1)?;
            if let Some(matcher) = &screening {
                found.findings.extend(screen_works(matcher, &works));
            }
            let tortured_per_venue = match &detect.lexicon {
                Some(l) => venue_counts(&works, l, &detect.tortured_thresholds),
                None => Vec::new(),
            };
            let mut part_findings = found.findings;
            write_run(&part_findings_file(&out, part), &mut part_findings)?;
            let result =
                PartResult { works: works.len() as u64, findings: part_findings.len() as u64, tortured_per_venue };
            if spill {
                // The corpus-wide detectors see the works as the in-memory stage holds them (slimmed).
                let slimmed: Vec<Work> = works.into_iter().map(slim).collect();
                corpus_stage::spill_part(
                    &out,
                    part,
                    &slimmed,
                    &plan,
                    &detect,
                    &select,
                    &ignore,
                    &corpus_retracted,
                    &masker,
                )?;
                works = slimmed;
            }
            write_json_atomic(&part_file(&out, part), &result)?;
            progress.parts_done.push(part.clone());
            write_json_atomic(&progress_path, &progress)?;
        }
        if collect {
            all_works.extend(works.into_iter().map(slim));
        }
        bar.inc(1);
    }
    drop(corpus_retracted);

    // Stage 2: corpus-wide detectors, in passes over the spilled data or over every work in memory.
    // Results are always taken from the files (fresh or resumed), so that both give the same bytes.
    let stage2: ScanOutput = if stage2_enabled {
        if run_stage2 {
            bar.set_message("families");
            let result = if in_memory {
                // MIL001 is scored here, once per work: its findings join the others and every work's
                // probability goes to mill_scores.csv.
                let ignore_stage2 = with_codes(&with_codes(&ignore, &per_work), &[PaperMillScore::CODE]);
                let mut result = scan(&all_works, &detect, &select, &ignore_stage2)?;
                if mill_enabled {
                    let (probabilities, mill_findings) = detect.classifier().score_all(&all_works);
                    write_mill_scores(&out.join(MILL_SCORES_FILE), &all_works, &probabilities)?;
                    result.findings.extend(mill_findings);
                    sort_findings(&mut result.findings);
                }
                drop(all_works);
                result
            } else {
                corpus_stage::run(&out, &reader, &parts, &plan, &detect, &out.join(MILL_SCORES_FILE))?
            };
            write_json_atomic(&out.join("corpus-stage.json"), &result)?;
            progress.corpus_stage_done = true;
            write_json_atomic(&progress_path, &progress)?;
        }
        read_json(&out.join("corpus-stage.json")).context("reading the cached corpus stage (re-run with --restart)")?
    } else {
        ScanOutput { findings: Vec::new(), families: Vec::new() }
    };

    // Merge, in corpus part order, and write the outputs.
    let mut runs = Vec::with_capacity(parts.len());
    let mut venues: BTreeMap<String, VenueTortured> = BTreeMap::new();
    let mut works_total = 0u64;
    for part in &parts {
        let r: PartResult = read_json(&part_file(&out, part))
            .with_context(|| format!("reading the result of part {part} (re-run with --restart)"))?;
        works_total += r.works;
        runs.push(part_findings_file(&out, part));
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
    let families = stage2.families;
    let mut files = BTreeMap::new();
    let findings_json = out.join("findings.json");
    let findings_parquet = out.join("findings.parquet");
    bar.set_message("findings");
    let merged = merge_and_write(
        stage2.findings,
        &runs,
        &out.join("merge-scratch"),
        &findings_json,
        &findings_parquet,
        args.top,
        args.report.is_some(),
    )?;
    bar.finish();
    files.insert("findings_json", findings_json.display().to_string());
    files.insert("findings_parquet", findings_parquet.display().to_string());
    let families_json = out.join("families.json");
    write_json_atomic(&families_json, &families)?;
    files.insert("families_json", families_json.display().to_string());
    let mill_scores = out.join(MILL_SCORES_FILE);
    if mill_enabled && mill_scores.is_file() {
        files.insert("mill_scores_csv", mill_scores.display().to_string());
    }
    let tortured_json = out.join("tortured_per_venue.json");
    let venues: Vec<VenueTortured> = venues.into_values().collect();
    write_json_atomic(&tortured_json, &venues)?;
    files.insert("tortured_per_venue_json", tortured_json.display().to_string());

    if let Some(path) = &args.report {
        let findings = merged.all.as_deref().unwrap_or_default();
        let input = report_input(args, &reader, findings, &families, &venues, works_total, &notes, &detect)?;
        let html = render_html(&input).context("rendering the report")?;
        write_atomic(path, html.as_bytes())?;
        files.insert("report_html", path.display().to_string());
    }

    Ok(ScanRun {
        out,
        works: works_total,
        parts: parts.len(),
        parts_resumed: resumed_parts.len(),
        corpus_stage_resumed: corpus_stage_resumed && stage2_enabled,
        elapsed_s: started.elapsed().as_secs_f64(),
        findings: merged.total,
        by_code: merged.by_code,
        top: merged.top,
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

/// What the scan reads of a work: everything its detectors look at (text with acknowledgements for TOR001, the
/// byline with affiliations, venue, retraction marks, relations, references by DOI/PMID for RET*), not funding,
/// keywords, MeSH or references' raw strings.
pub const SCAN_FIELDS: WorkFields =
    WorkFields { funding: false, subject_terms: false, reference_text: false, ..WorkFields::ALL };

/// What stage 2 keeps of a work: everything but the statements, which only the per-work TOR001 reads.
fn slim(mut w: Work) -> Work {
    w.funding_statement = None;
    w.acknowledgements = None;
    w
}

/// Every work's `MIL001` probability, one row a work in corpus order: `work_id,doi,pmid,probability`. A file
/// beside the findings rather than a finding per work: a scan over millions of works would otherwise carry
/// millions of findings that flag nothing (about 40 bytes a work here).
pub const MILL_SCORES_FILE: &str = "mill_scores.csv";

fn write_mill_scores(path: &Path, works: &[Work], probabilities: &[f64]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| {
        w.write_all(corpus_stage::MILL_HEADER.as_bytes())?;
        for (work, p) in works.iter().zip(probabilities) {
            w.write_all(corpus_stage::mill_row(work, *p).as_bytes())?;
        }
        Ok(())
    })
}

fn part_file(out: &Path, part: &str) -> PathBuf {
    out.join("parts").join(format!("{part}.json"))
}

/// A part's findings, sorted, one JSON object a line.
fn part_findings_file(out: &Path, part: &str) -> PathBuf {
    out.join("parts").join(format!("{part}.findings.jsonl"))
}

fn scan_config(args: &ScanRequest, reader: &CorpusReader) -> anyhow::Result<ScanConfig> {
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
        lists: args.lists.paths().into_iter().map(stamp).collect::<anyhow::Result<_>>()?,
        list_format: args.lists.format.map(|f| f.id().to_owned()),
        list_date: args.lists.date.clone(),
        model: args.inputs.model.as_deref().map(stamp).transpose()?,
        mill_threshold: args.mill_threshold.map(|t| t.to_string()),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        corpus_stage: if args.in_memory_corpus_stage { "in-memory" } else { "passes" }.to_owned(),
        part_layout: PART_LAYOUT,
    })
}

/// What a report's evidence table shows of a work: its record and byline with affiliations.
const EVIDENCE_FIELDS: WorkFields = WorkFields { authors: true, affiliations: true, ..WorkFields::RECORD };

/// Families drawn in the report's size chart.
const REPORT_FAMILIES_CHARTED: usize = 30;
/// Venues drawn in the report's tortured-phrase chart.
const REPORT_VENUES_CHARTED: usize = 20;

#[allow(clippy::too_many_arguments)]
fn report_input(
    args: &ScanRequest,
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
        {
            let mut found = Vec::new();
            reader.for_each_work_with(&WorkFilter::Ids(ids), &EVIDENCE_FIELDS, |w| found.push(evidence_work(&w)))?;
            found
        }
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
    Ok(ReportInput {
        kind: ReportKind::Scan,
        title: format!("Paper-mill scan of {} ({works_total} works)", args.corpus.display()),
        subject: Some(format!("{} · {works_total} works", args.corpus.display())),
        generated_by: GeneratedBy {
            version: format!("byline {}", env!("CARGO_PKG_VERSION")),
            command: args.command.clone(),
            method,
        },
        summary,
        findings: findings.to_vec(),
        works,
        charts: ChartData { template_families, family_timeline, tortured_phrases_per_venue, ..ChartData::default() },
    })
}
