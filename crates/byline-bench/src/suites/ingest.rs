//! `byline-bench ingest`: the PubMed reader against the raw limit, and parallel ingest to Parquet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::parse_support::raw_xml_tokenize;
use anyhow::Context as _;
use byline_corpus::{IngestOptions, ingest};
use byline_model::Format;
use byline_parse::{Event, open_input, read_path, sniff_format};
use byline_synth::generate::{CorpusSpec, write_base_corpus};

use super::peers::{peer_row, run_script, speed_note};
use super::{Args, Report, Row, cache_dir, cpu_seconds, peak_rss_bytes};

/// The row used for the scaling curve.
pub const SCALING_ROW: &str = "ingest → Parquet";

/// The inputs: the given files, or a cached generated PubMed corpus of `size` records.
pub fn pubmed_inputs(args: &Args) -> anyhow::Result<Vec<PathBuf>> {
    if !args.input.is_empty() {
        return Ok(args.input.clone());
    }
    generated_pubmed(&cache_dir(args), args.seed, args.size)
}

/// The generated PubMed corpus `pubmed-seed{seed}-n{size}/` under `cache` (files of 30,000 records, like the
/// baseline), written once and reused.
pub fn generated_pubmed(cache: &Path, seed: u64, size: usize) -> anyhow::Result<Vec<PathBuf>> {
    let dir = cache.join(format!("pubmed-seed{seed}-n{size}"));
    let done = dir.join(".complete");
    if !done.is_file() {
        let spec = CorpusSpec { seed, works: size, formats: vec![Format::Pubmed], ..CorpusSpec::default() };
        write_base_corpus(&spec, &dir).with_context(|| format!("generating {}", dir.display()))?;
        std::fs::write(&done, b"")?;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    files.sort();
    Ok(files)
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let files = pubmed_inputs(args)?;
    let pubmed: Vec<PathBuf> = files.into_iter().filter(|f| is_pubmed(f)).collect();
    anyhow::ensure!(!pubmed.is_empty(), "bench ingest needs PubMed XML inputs");

    // Baseline: gzip decode + quick-xml tokenize of the same bytes, one thread, no model building.
    let cpu_start = cpu_seconds();
    let started = Instant::now();
    let mut bytes = 0;
    for f in &pubmed {
        let mut input = open_input(f)?;
        raw_xml_tokenize(&mut input).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        bytes += input.bytes_read();
    }
    let raw_s = started.elapsed().as_secs_f64();
    let cpu_raw = cpu_seconds();

    // The PubMed reader, one thread, building every Work and dropping it.
    let started = Instant::now();
    let mut records = 0u64;
    let mut reader_bytes = 0u64;
    for f in &pubmed {
        let summary = read_path(f, Some(Format::Pubmed), &mut |e| {
            if let Event::Work(w) = e {
                std::hint::black_box(&w);
            }
        });
        records += summary.records_seen;
        reader_bytes += summary.bytes;
    }
    let reader_s = started.elapsed().as_secs_f64();
    let cpu_reader = cpu_seconds();

    // Full ingest to Parquet, all cores.
    let out = tempfile::tempdir()?;
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let started = Instant::now();
    let manifest = ingest(&pubmed, &out.path().join("corpus"), &IngestOptions::default(), &())?;
    let ingest_s = started.elapsed().as_secs_f64();
    let cpu_ingest = cpu_seconds();

    let baseline = Row::new("raw limit (gunzip + tokenize)", 1, raw_s, bytes, records, None);
    let reader = Row::new("pubmed reader → Work", 1, reader_s, reader_bytes, records, Some(&baseline));
    let full = Row::new(SCALING_ROW, threads, ingest_s, manifest.totals.bytes, manifest.totals.works, Some(&baseline));
    let mut report = Report {
        suite: "ingest".to_owned(),
        inputs: pubmed.iter().map(|p| p.display().to_string()).collect(),
        baseline: "raw limit: gzip decode + quick-xml tokenize, 1 thread".to_owned(),
        rows: vec![baseline, reader, full],
        quality: Vec::new(),
        peak_rss_bytes: None,
        notes: vec!["target: the reader at ≥ 0.5 × the raw limit on one thread".to_owned()],
    };
    if let (Some(a), Some(b), Some(c), Some(d)) = (cpu_start, cpu_raw, cpu_reader, cpu_ingest) {
        report.notes.push(format!(
            "CPU s (user + system, all threads): raw limit {:.2}, reader {:.2}, ingest {:.2} (ingest on {threads} \
             threads: {:.2} CPU s per thread, {:.2}× the raw limit's CPU s)",
            b - a,
            c - b,
            d - c,
            (d - c) / threads as f64,
            (d - c) / (b - a).max(1e-9),
        ));
    }
    if args.peers {
        // pubmed_parser on the same files; MB/s counts the same uncompressed bytes, so ratios compare throughput.
        let argv: Vec<&std::ffi::OsStr> = pubmed.iter().map(|p| p.as_os_str()).collect();
        if let Some(out) = run_script("pubmed_peer.py", &argv, &mut report)? {
            for peer in &out.peers {
                if peer.records != records {
                    report.notes.push(format!("{}: {} records, byline {records}", peer.name, peer.records));
                }
                let row = peer_row(peer, bytes, records, &report.rows[0]);
                report.notes.push(speed_note(&report.rows[1], &row));
                report.notes.push(speed_note(&report.rows[2], &row));
                report.rows.push(row);
            }
        }
    }
    report.peak_rss_bytes = peak_rss_bytes();
    Ok(report)
}

fn is_pubmed(path: &Path) -> bool {
    open_input(path).ok().and_then(|mut i| i.peek().ok().and_then(|h| sniff_format(h, ""))) == Some(Format::Pubmed)
}
