//! Times masked MinHash + LSH on N abstracts and reports recall on planted near-duplicates.
//!
//! ```text
//! cargo run --release -p byline-detect --example minhash_bench -- \
//!     --input abstracts.jsonl [--n 20000] [--planted 0.1] [--write used.jsonl] [--no-mask]
//! ```
//! `--input` is JSON Lines with `id` and `text` (extra keys ignored). The first `n·(1-planted)` records are
//! kept; for `n·planted` of them a near-duplicate is planted (slot words swapped, 5% of words replaced), and
//! the set actually used is written to `--write` (`{id, text, duplicate_of}`) so that Python peers
//! (datasketch MinHashLSH, rensa) run on identical input. Parameters: k = 128, word 3-shingles, 32 bands × 4
//! rows, verified at Jaccard estimate ≥ 0.5 (datasketch's defaults are k = 128, threshold 0.5).

use std::io::{BufRead, Write};
use std::time::Instant;

use byline_detect::minhash::{self, MinHashParams};
use byline_detect::template::SlotMasker;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let n: usize = get("--n").and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let planted: f64 = get("--planted").and_then(|v| v.parse().ok()).unwrap_or(0.1);
    let mask = !args.iter().any(|a| a == "--no-mask");
    let Some(input) = get("--input") else {
        eprintln!(
            "usage: minhash_bench --input abstracts.jsonl [--n N] [--planted 0.1] [--write used.jsonl] [--no-mask]"
        );
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&input) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(2);
        }
    };
    let n_base = ((n as f64) * (1.0 - planted)).round() as usize;
    let mut docs: Vec<(String, String, Option<usize>)> = Vec::with_capacity(n);
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        if docs.len() >= n_base {
            break;
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let id =
            v.get("id").map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string())).unwrap_or_default();
        let text = v.get("text").and_then(|x| x.as_str()).unwrap_or("");
        if text.split_whitespace().count() >= 40 {
            docs.push((id, text.to_owned(), None));
        }
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let base = docs.len();
    let swaps = ["TP53", "miR-21", "HeLa", "glioma", "A549", "miR-155", "KRAS", "breast cancer"];
    for p in 0..(n - base.min(n)) {
        if base == 0 {
            break;
        }
        let src = rng.random_range(0..base);
        let words: Vec<String> = docs[src]
            .1
            .split_whitespace()
            .map(|w| {
                let r: f64 = rng.random();
                if r < 0.05 {
                    "edited".to_owned()
                } else if r < 0.08 {
                    (*swaps.choose(&mut rng).unwrap_or(&"TP53")).to_owned()
                } else {
                    w.to_owned()
                }
            })
            .collect();
        docs.push((format!("planted-{p}"), words.join(" "), Some(src)));
    }
    if let Some(out) = get("--write")
        && let Ok(f) = std::fs::File::create(&out)
    {
        let mut f = std::io::BufWriter::new(f);
        for (id, text, dup) in &docs {
            let dup = dup.map(|d| docs[d].0.clone());
            let _ = writeln!(f, "{}", serde_json::json!({"id": id, "text": text, "duplicate_of": dup}));
        }
    }
    let params = MinHashParams::default();
    let masker = SlotMasker::default();
    let t0 = Instant::now();
    use rayon::prelude::*;
    let sigs: Vec<Vec<u64>> = docs
        .par_iter()
        .map(|(_, t, _)| {
            if mask {
                let m = masker.mask(t);
                minhash::token_hashes(m.iter().map(String::as_str), params.seed)
            } else {
                let lower = t.to_lowercase();
                minhash::token_hashes(byline_detect::text::tokens(&lower), params.seed)
            }
        })
        .collect();
    let t_tok = t0.elapsed();
    let signatures = minhash::signatures(&sigs, &params);
    let t_sig = t0.elapsed();
    let pairs = minhash::verified_pairs(&signatures, &params);
    let t_all = t0.elapsed();
    let found: std::collections::HashSet<(u32, u32)> = pairs.iter().map(|(a, b, _)| (*a, *b)).collect();
    let planted_pairs: Vec<(u32, u32)> =
        docs.iter().enumerate().filter_map(|(i, d)| d.2.map(|s| (s.min(i) as u32, s.max(i) as u32))).collect();
    let hit = planted_pairs.iter().filter(|p| found.contains(p)).count();
    println!(
        "docs {} (planted {}), mask {mask}, threads {}: tokenize+mask {:.3}s, signatures {:.3}s, LSH+verify {:.3}s, total {:.3}s",
        docs.len(),
        planted_pairs.len(),
        rayon::current_num_threads(),
        t_tok.as_secs_f64(),
        (t_sig - t_tok).as_secs_f64(),
        (t_all - t_sig).as_secs_f64(),
        t_all.as_secs_f64()
    );
    println!(
        "verified pairs {}, planted recall {:.4} ({hit}/{})",
        pairs.len(),
        if planted_pairs.is_empty() { 0.0 } else { hit as f64 / planted_pairs.len() as f64 },
        planted_pairs.len()
    );
}
