//! `byline bench minhash`: byline-detect's MinHash/LSH near-duplicate search on generated abstracts with
//! planted near-duplicates, against Python `datasketch` MinHashLSH and `rensa` on the same JSONL (`--peers`).
//!
//! The input is `minhash-seed{seed}-n{size}.jsonl` in the cache dir: `{id, text, duplicate_of}` per line;
//! 90% are title + abstract of base-corpus works, 10% planted near-duplicates of them (5% of words replaced,
//! 3% swapped for a domain word, the edit scheme of `byline-detect/examples/minhash_bench.rs`; Jaccard of a
//! planted pair ≈ 0.6). `--input FILE.jsonl` uses any such file instead (real abstracts, `duplicate_of`
//! optional). Every side uses the same shingles (lowercased `byline_detect::text::tokens`, word 3-shingles),
//! k = 128, 32 bands × 4 rows, and verifies candidates at estimated Jaccard ≥ 0.5. Timings start with the
//! texts in memory and end with the verified pairs.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use byline_detect::minhash::{self, MinHashParams};
use byline_detect::text::{title_abstract, tokens};
use byline_model::Format;
use byline_synth::corpus::{World, base_work};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

use super::peers::{peer_row, run_script, speed_note};
use super::{Args, Quality, Report, Row, cache_dir, peak_rss_bytes};

/// Share of the records that are planted near-duplicates.
pub const PLANTED_SHARE: f64 = 0.1;
/// Recall bar on planted near-duplicates: the reference figures are datasketch 0.89 and rensa 0.91,
/// and byline must match or beat both; 0.9 sits between them.
pub const RECALL_BAR: f64 = 0.9;
/// The row used for the scaling curve.
pub const SCALING_ROW: &str = "byline MinHash/LSH (all threads)";

/// Words a planted near-duplicate swaps in (slot fillers of templated abstracts).
const SWAPS: [&str; 8] = ["TP53", "miR-21", "HeLa", "glioma", "A549", "miR-155", "KRAS", "breast cancer"];

/// One record of the shared input.
struct Doc {
    id: String,
    text: String,
    duplicate_of: Option<String>,
}

/// The shared JSONL input: `--input` if given, else generated (once) into the cache dir.
pub fn input_path(args: &Args) -> anyhow::Result<PathBuf> {
    match args.input.first() {
        Some(first) => Ok(first.clone()),
        None => generated_input(&cache_dir(args), args.seed, args.size),
    }
}

/// `minhash-seed{seed}-n{size}.jsonl` under `cache`, generated once (written to a temp name, then renamed).
pub fn generated_input(cache: &Path, seed: u64, size: usize) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(cache)?;
    let path = cache.join(format!("minhash-seed{seed}-n{size}.jsonl"));
    if path.is_file() {
        return Ok(path);
    }
    let n_planted = ((size as f64) * PLANTED_SHARE).round() as usize;
    let n_base = size.saturating_sub(n_planted).max(1);
    let world = World::new(seed, n_base);
    let mut docs: Vec<Doc> = (0..n_base as u64)
        .into_par_iter()
        .map(|i| {
            let w = base_work(&world, seed, i, Format::Pubmed, "");
            Doc { id: format!("W{i}"), text: title_abstract(&w), duplicate_of: None }
        })
        .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x006d_696e_6861_7368);
    for p in 0..n_planted {
        let src = rng.random_range(0..n_base);
        let words: Vec<&str> = docs[src]
            .text
            .split_whitespace()
            .map(|w| {
                let r: f64 = rng.random();
                if r < 0.05 {
                    "edited"
                } else if r < 0.08 {
                    SWAPS[rng.random_range(0..SWAPS.len())]
                } else {
                    w
                }
            })
            .collect();
        let text = words.join(" ");
        docs.push(Doc { id: format!("planted-{p}"), text, duplicate_of: Some(format!("W{src}")) });
    }
    let tmp = path.with_extension("jsonl.tmp");
    {
        let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
        for d in &docs {
            let line = serde_json::json!({"id": d.id, "text": d.text, "duplicate_of": d.duplicate_of});
            writeln!(out, "{line}")?;
        }
        out.flush()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

fn read_docs(path: &Path) -> anyhow::Result<Vec<Doc>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut docs = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let as_string = |x: &serde_json::Value| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string());
        docs.push(Doc {
            id: v.get("id").map(as_string).unwrap_or_else(|| n.to_string()),
            text: v.get("text").and_then(|x| x.as_str()).unwrap_or("").to_owned(),
            duplicate_of: v.get("duplicate_of").filter(|x| !x.is_null()).map(as_string),
        });
    }
    Ok(docs)
}

/// Shingle hashes → signatures → LSH candidates → verified pairs, as byline-detect does them.
fn near_duplicates(texts: &[&str], params: &MinHashParams) -> Vec<(u32, u32, f64)> {
    let hashes: Vec<Vec<u64>> = texts
        .par_iter()
        .map(|t| {
            let lower = t.to_lowercase();
            minhash::token_hashes(tokens(&lower), params.seed)
        })
        .collect();
    let sigs = minhash::signatures(&hashes, params);
    minhash::verified_pairs(&sigs, params)
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let path = input_path(args)?;
    let docs = read_docs(&path)?;
    anyhow::ensure!(!docs.is_empty(), "{}: no records", path.display());
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let records = docs.len() as u64;
    let index: BTreeMap<&str, u32> = docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u32)).collect();
    let planted: Vec<(u32, u32)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let j = *index.get(d.duplicate_of.as_deref()?)?;
            let i = i as u32;
            Some((i.min(j), i.max(j)))
        })
        .collect();
    let params = MinHashParams::default();

    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let started = Instant::now();
    let pairs_1 = single.install(|| near_duplicates(&texts, &params));
    let one_s = started.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();
    let started = Instant::now();
    let pairs = near_duplicates(&texts, &params);
    let all_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(pairs_1.len() == pairs.len(), "MinHash results differ between 1 and {threads} threads");

    let found: HashSet<(u32, u32)> = pairs.iter().map(|(a, b, _)| (*a, *b)).collect();
    let hit = planted.iter().filter(|p| found.contains(p)).count();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let recall = ratio(hit, planted.len());
    let precision = ratio(hit, pairs.len());

    let baseline = Row::new("byline MinHash/LSH (1 thread)", 1, one_s, bytes, records, None);
    let all = Row::new(SCALING_ROW, threads, all_s, bytes, records, Some(&baseline));
    let mut report = Report {
        suite: "minhash".to_owned(),
        inputs: vec![path.display().to_string()],
        baseline: "byline-detect MinHash/LSH on 1 thread (k = 128, word 3-shingles, 32 × 4 bands, Jaccard ≥ 0.5)"
            .to_owned(),
        rows: vec![baseline, all],
        quality: Vec::new(),
        peak_rss_bytes: None,
        notes: vec![format!(
            "{records} texts, {} planted near-duplicate pairs; {} verified pairs, {hit} of them planted",
            planted.len(),
            pairs.len()
        )],
    };
    if planted.is_empty() {
        report.notes.push("the input carries no planted truth (duplicate_of): recall not measured".to_owned());
    } else {
        report.quality.push(Quality::at_least("recall", recall, RECALL_BAR));
        report.quality.push(Quality::info("precision", precision));
        report.notes.push(
            "precision counts only planted pairs as true: generated abstracts share a small vocabulary, so \
             some verified unplanted pairs are genuine near-duplicates"
                .to_owned(),
        );
    }

    if args.peers {
        let only = std::ffi::OsString::from("datasketch,rensa");
        let argv: Vec<std::ffi::OsString> = vec![
            "--input".into(),
            path.clone().into_os_string(),
            "--num-perm".into(),
            params.num_perm.to_string().into(),
            "--bands".into(),
            params.bands.to_string().into(),
            "--rows".into(),
            params.rows.to_string().into(),
            "--threshold".into(),
            params.threshold.to_string().into(),
            "--shingle-words".into(),
            params.shingle_words.to_string().into(),
            "--only".into(),
            only,
        ];
        let argv: Vec<&std::ffi::OsStr> = argv.iter().map(|a| a.as_os_str()).collect();
        if let Some(out) = run_script("minhash_peer.py", &argv, &mut report)? {
            for peer in &out.peers {
                let row = peer_row(peer, bytes, records, &report.rows[0]);
                report.notes.push(speed_note(&report.rows[0], &row));
                report.notes.push(speed_note(&report.rows[1], &row));
                let short = peer.extra.get("package").and_then(|p| p.as_str()).unwrap_or(&peer.name).to_owned();
                if let Some(r) = peer.number("recall") {
                    report.quality.push(Quality::info(&format!("{short}_recall"), r));
                    if !planted.is_empty() {
                        report.notes.push(format!("recall: byline {recall:.4} vs {short} {r:.4}"));
                    }
                }
                if let Some(p) = peer.number("precision_vs_planted") {
                    report.quality.push(Quality::info(&format!("{short}_precision"), p));
                }
                report.rows.push(row);
            }
        }
    }
    report.peak_rss_bytes = peak_rss_bytes();
    Ok(report)
}
