//! `byline-bench scan`: the full `byline scan` (every detector, files written) over a generated corpus with
//! planted paper-mill families, against the cost of reading the same corpus back from Parquet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use byline_corpus::{CorpusReader, IngestOptions, WorkFilter, ingest};
use byline_model::Format;
use byline_synth::generate::write_works;
use byline_synth::papermill::{PapermillConfig, TORTURED_PAIRS, generate};

use super::{Args, Quality, Report, Row, cache_dir, peak_rss_bytes};
use byline_app::scan::{DetectorFiles, ScanRequest, run_scan};
use byline_app::ui::Silent;

/// Planted families per generated work (as in `bench papermill`).
const WORKS_PER_FAMILY: usize = 50;

/// A cached corpus of about `size` works with planted families: generated, written as Crossref JSONL (the
/// generated works carry DOIs, not PMIDs) and ingested.
pub fn papermill_corpus(args: &Args) -> anyhow::Result<PathBuf> {
    let dir = cache_dir(args).join(format!("papermill-seed{}-n{}", args.seed, args.size));
    let corpus = dir.join("corpus");
    let done = dir.join(".complete");
    if !done.is_file() {
        std::fs::create_dir_all(&dir)?;
        let families = (args.size / WORKS_PER_FAMILY).clamp(5, 400);
        let config =
            PapermillConfig { seed: args.seed, genuine_works: args.size, families, ..PapermillConfig::default() };
        let generated = generate(&config);
        let input = dir.join("works.jsonl");
        write_works(&generated.works, Format::Crossref, &input, false)
            .with_context(|| format!("writing {}", input.display()))?;
        ingest(&[input], &corpus, &IngestOptions::default(), &())?;
        std::fs::write(&done, b"")?;
    }
    Ok(corpus)
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let corpus = papermill_corpus(args)?;
    let work = tempfile::tempdir()?;
    let lexicon = write_planted_lexicon(work.path())?;

    // Baseline: reading every work back from the Parquet corpus, nothing else.
    let started = Instant::now();
    let reader = CorpusReader::open(&corpus)?;
    let mut records = 0u64;
    reader.for_each_work(&WorkFilter::All, |w| {
        std::hint::black_box(&w);
        records += 1;
    })?;
    let read_s = started.elapsed().as_secs_f64();

    let scan_args = ScanRequest {
        corpus: corpus.clone(),
        inputs: DetectorFiles { lexicons: vec![lexicon], model: None },
        out: Some(work.path().join("scan")),
        restart: true,
        ..ScanRequest::default()
    };
    let started = Instant::now();
    let result = run_scan(&scan_args, &Silent)?;
    let scan_s = started.elapsed().as_secs_f64();
    let findings_json = work.path().join("scan").join("findings.json");
    let first_findings = std::fs::read(&findings_json)?;
    // A second run with everything done: the cost of resuming (reads the cached results only).
    let resume_args = ScanRequest { restart: false, ..scan_args };
    let started = Instant::now();
    let resumed = run_scan(&resume_args, &Silent)?;
    let resume_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        resumed.findings == result.findings && std::fs::read(&findings_json)? == first_findings,
        "a resumed scan gave different findings"
    );

    let threads = rayon::current_num_threads();
    let baseline = Row::new("read corpus (Parquet → Work)", 1, read_s, 0, records, None);
    let full = Row::new("byline scan (all detectors + files)", threads, scan_s, 0, result.works, Some(&baseline));
    let again = Row::new("byline scan, resumed (nothing left)", threads, resume_s, 0, resumed.works, Some(&baseline));
    Ok(Report {
        suite: "scan".to_owned(),
        inputs: vec![corpus.display().to_string()],
        baseline: "reading the corpus back from Parquet, 1 thread".to_owned(),
        rows: vec![baseline, full, again],
        quality: vec![
            Quality::info("findings", result.findings as f64),
            Quality::info("template_families", result.families.len() as f64),
        ],
        peak_rss_bytes: peak_rss_bytes(),
        notes: vec![
            "the scan reads every part once (per-work detectors, and what the corpus-wide ones need spilled to disk), \
             then runs the corpus-wide ones in passes over those files; peak RSS is the whole process's, \
             generation and ingest of a new corpus included"
                .to_owned(),
            "TOR001 runs with a lexicon of the generator's planted tortured phrases (byline ships none)".to_owned(),
        ],
    })
}

/// The generator's tortured phrases as a user TSV lexicon.
fn write_planted_lexicon(dir: &Path) -> anyhow::Result<PathBuf> {
    let path = dir.join("planted_lexicon.tsv");
    let text: String = TORTURED_PAIRS.iter().map(|(t, e)| format!("{t}\t{e}\n")).collect();
    std::fs::write(&path, text)?;
    Ok(path)
}
