//! MinHash/LSH near-duplicate search: signatures from streamed texts, and LSH with verification, on the
//! abstracts `byline-bench minhash` uses (base-corpus title + abstract from `byline_synth`, seeded, every
//! tenth text a lightly edited copy of an earlier one).
//!
//! Run: `cargo bench -p byline-detect --bench minhash -- --quick` (about a minute once built).

use std::hint::black_box;
use std::time::Duration;

use byline_detect::minhash::{
    self, MinHashParams, Signatures, candidate_pairs, lowercase_token_hashes, signatures_from_stream, verified_pairs,
};
use byline_detect::text::{fmix64, title_abstract};
use byline_model::Format;
use byline_synth::corpus::{World, base_work};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Seed of the generated abstracts: fixed so that every run measures the same texts.
const SEED: u64 = 7;
/// Texts: ~8 MB of abstracts, enough for LSH buckets to fill as on a corpus, small enough for quick samples.
const TEXTS: usize = 5000;
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(3);

/// `TEXTS` abstracts; every tenth is a copy of an earlier one with ~8% of its words replaced.
fn texts() -> Vec<String> {
    let base = TEXTS - TEXTS / 10;
    let world = World::new(SEED, base);
    let mut texts: Vec<String> =
        (0..base as u64).map(|i| title_abstract(&base_work(&world, SEED, i, Format::Pubmed, ""))).collect();
    for p in 0..(TEXTS - base) as u64 {
        let src = (fmix64(p ^ 0xA5A5) % base as u64) as usize;
        let edited: Vec<&str> = texts[src]
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| if fmix64((p << 32) ^ i as u64) % 100 < 8 { "edited" } else { w })
            .collect();
        texts.push(edited.join(" "));
    }
    texts
}

fn sketch(texts: &[String], params: &MinHashParams) -> Signatures {
    let seed = params.seed;
    let stream = texts.iter().map(Ok::<_, std::convert::Infallible>);
    match signatures_from_stream(stream, params, |t: &str, out: &mut Vec<u64>| lowercase_token_hashes(t, seed, out)) {
        Ok(s) => s,
        Err(never) => match never {},
    }
}

fn minhash_lsh(c: &mut Criterion) {
    let texts = texts();
    let params = MinHashParams::default();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let mut group = c.benchmark_group("minhash");
    group.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP).measurement_time(MEASUREMENT);

    group.throughput(Throughput::Bytes(bytes));
    group.bench_function(format!("signatures_from_stream/{TEXTS}_texts"), |b| {
        b.iter(|| black_box(sketch(black_box(&texts), &params)))
    });

    let sigs = sketch(&texts, &params);
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function(format!("candidate_pairs/{TEXTS}_texts"), |b| {
        b.iter(|| black_box(candidate_pairs(black_box(&sigs), &params)))
    });
    group.bench_function(format!("verified_pairs/{TEXTS}_texts"), |b| {
        b.iter(|| black_box(verified_pairs(black_box(&sigs), &params)))
    });

    // One text's sketch from its token hashes (the per-text cost inside the stream).
    let mut hashes = Vec::new();
    lowercase_token_hashes(&texts[0], params.seed, &mut hashes);
    let mut sketcher = minhash::Sketcher::default();
    let mut out = vec![0u16; params.num_perm];
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("sketch_one/{}_tokens", hashes.len()), |b| {
        b.iter(|| black_box(sketcher.sketch_into(black_box(&hashes), &params, &mut out)))
    });
    group.finish();
}

criterion_group!(benches, minhash_lsh);
criterion_main!(benches);
