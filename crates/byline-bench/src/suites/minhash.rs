//! `byline-bench minhash`: byline-detect's MinHash/LSH near-duplicate search on generated abstracts with
//! planted near-duplicates, against Python `datasketch` MinHashLSH and `rensa` on the same JSONL (`--peers`).
//!
//! The input is `minhash-seed{seed}-n{size}.jsonl` in the cache dir: `{id, text, duplicate_of}` per line;
//! 90% are title + abstract of base-corpus works, 10% planted near-duplicates of them (5% of words replaced,
//! 3% swapped for a domain word, the edit scheme of `byline-detect/examples/minhash_bench.rs`; Jaccard of a
//! planted pair ≈ 0.6). `--input FILE.jsonl` uses any such file instead (real abstracts, `duplicate_of`
//! optional). Every side uses the same shingles (lowercased `byline_detect::text::tokens`, word 3-shingles),
//! k = 128, 32 bands × 4 rows, and verifies candidates at estimated Jaccard ≥ 0.5.
//!
//! byline streams, as a corpus-sized run must: a first, untimed pass reads the record count and the planted
//! pairs; each timed run then reads the JSONL again, decodes only the texts, sketches them
//! [`minhash::STREAM_CHUNK`] at a time ([`minhash::signatures_from_stream`]: texts and token hashes are dropped
//! with their chunk) and runs LSH band group by band group ([`minhash::verified_pairs`]), so its memory is the
//! signatures (256 bytes a text) plus one band table per thread, and its timings include reading and decoding
//! the file. The peers' timings start with the texts in memory and end with the verified pairs.

use std::collections::HashSet;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use byline_detect::minhash::{self, MinHashParams};
use byline_detect::text::{hash_bytes, title_abstract};
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

/// What the timed runs do not need: record and byte counts and the planted pairs (from `duplicate_of`),
/// read in a pass of their own. Ids are kept as 64-bit hashes (16 bytes a record), not as strings.
struct Truth {
    records: u64,
    bytes: u64,
    planted: Vec<(u32, u32)>,
}

/// The JSONL's non-blank lines, in order (the truth pass and the timed runs number records the same way).
fn lines(path: &Path) -> anyhow::Result<impl Iterator<Item = anyhow::Result<(usize, String)>> + Send + use<>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let shown = path.display().to_string();
    Ok(std::io::BufReader::with_capacity(1 << 20, file).lines().enumerate().filter_map(move |(n, line)| match line {
        Ok(l) if l.trim().is_empty() => None,
        Ok(l) => Some(Ok((n, l))),
        Err(e) => Some(Err(anyhow::Error::new(e).context(format!("{shown}:{}", n + 1)))),
    }))
}

fn read_truth(path: &Path) -> anyhow::Result<Truth> {
    let as_string = |x: &serde_json::Value| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string());
    let key = |id: &str| hash_bytes(id.as_bytes(), 0);
    let (mut records, mut bytes) = (0u64, 0u64);
    let mut ids: Vec<(u64, u32)> = Vec::new();
    let mut duplicates: Vec<(u32, u64)> = Vec::new();
    for line in lines(path)? {
        let (n, line) = line?;
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let i = records as u32;
        let id = v.get("id").map(as_string).unwrap_or_else(|| n.to_string());
        ids.push((key(&id), i));
        bytes += v.get("text").and_then(|x| x.as_str()).map_or(0, |t| t.len() as u64);
        if let Some(d) = v.get("duplicate_of").filter(|x| !x.is_null()) {
            duplicates.push((i, key(&as_string(d))));
        }
        records += 1;
    }
    // The last record of an id wins, as in a map filled in file order.
    ids.sort_unstable();
    let planted = duplicates
        .into_iter()
        .filter_map(|(i, d)| {
            let end = ids.partition_point(|(k, _)| *k <= d);
            let (k, j) = *ids.get(end.checked_sub(1)?)?;
            (k == d).then_some((i.min(j), i.max(j)))
        })
        .collect();
    Ok(Truth { records, bytes, planted })
}

/// One line's text (other fields are skipped unparsed).
#[derive(serde::Deserialize)]
struct TextLine<'a> {
    #[serde(borrow, default)]
    text: Option<std::borrow::Cow<'a, str>>,
}

/// The texts of the JSONL, streamed: only the text of each line is decoded and kept until it is sketched.
fn texts(path: &Path) -> anyhow::Result<impl Iterator<Item = anyhow::Result<String>> + Send + use<>> {
    let shown = path.display().to_string();
    Ok(lines(path)?.map(move |line| {
        let (n, line) = line?;
        match serde_json::from_str::<TextLine>(&line) {
            Ok(l) => Ok(l.text.map(|t| t.into_owned()).unwrap_or_default()),
            // Not a string (a number, an object…): no text, as the truth pass counts it.
            Err(_) => {
                let v: serde_json::Value =
                    serde_json::from_str(&line).with_context(|| format!("{shown}:{}: not JSON", n + 1))?;
                Ok(v.get("text").and_then(|x| x.as_str()).unwrap_or("").to_owned())
            }
        }
    }))
}

/// Verified pairs `(i, j, estimate)`, `i < j`, sorted.
type Pairs = Vec<(u32, u32, f64)>;

/// Streamed texts → signatures (chunk by chunk, texts dropped) → LSH band group by band group → verified
/// pairs, as byline-detect does them; returns the pairs and the bytes the signatures hold.
fn near_duplicates(path: &Path, records: u64, params: &MinHashParams) -> anyhow::Result<(Pairs, usize)> {
    let seed = params.seed;
    let mut builder = minhash::SignatureBuilder::new(params);
    builder.reserve(records as usize);
    builder.push_stream(texts(path)?, |t: &str, out: &mut Vec<u64>| minhash::lowercase_token_hashes(t, seed, out))?;
    let sigs = builder.finish();
    anyhow::ensure!(sigs.len() as u64 == records, "{}: changed while it was read", path.display());
    Ok((minhash::verified_pairs(&sigs, params), sigs.heap_bytes()))
}

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let path = input_path(args)?;
    let Truth { records, bytes, planted } = read_truth(&path)?;
    anyhow::ensure!(records > 0, "{}: no records", path.display());
    let params = MinHashParams::default();

    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let started = Instant::now();
    let (pairs_1, _) = single.install(|| near_duplicates(&path, records, &params))?;
    let one_s = started.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();
    let started = Instant::now();
    let (pairs, signature_bytes) = near_duplicates(&path, records, &params)?;
    let all_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(pairs_1 == pairs, "MinHash results differ between 1 and {threads} threads");

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
        notes: vec![
            format!(
                "{records} texts, {} planted near-duplicate pairs; {} verified pairs, {hit} of them planted",
                planted.len(),
                pairs.len()
            ),
            format!(
                "byline's timings include reading and decoding the JSONL (streamed, {} texts a chunk; the peers \
                 start with the texts in memory); signatures held: {:.1} MB ({} bytes a text)",
                minhash::STREAM_CHUNK,
                signature_bytes as f64 / 1e6,
                signature_bytes as u64 / records.max(1)
            ),
        ],
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
