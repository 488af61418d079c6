//! MinHash signatures and LSH banding, built for speed and bounded memory.
//!
//! ## How a signature is made
//! Each token is hashed once (64-bit, [`crate::text::hash_bytes`]); a shingle of `w` consecutive tokens is
//! the mix of their hashes. The `k` values of the signature come from **fast similarity sketching**
//! (Dahlgaard, Knudsen & Thorup, "Fast Similarity Sketching", FOCS 2017), which costs a few hashes per
//! shingle instead of `k`:
//!
//! - In round `r = 0, 1, …` every shingle draws one bin (uniform among the `k`) and one 32-bit value from its
//!   own round-`r` hash; the value's rank is `r + value/2³²`, so a draw of an earlier round always beats one of
//!   a later round. Each bin keeps its minimum. Round 0 uses the shingle hash itself, so texts with many more
//!   shingles than bins cost one hash per shingle, as plain one-permutation hashing (Li, Owen & Zhang 2012).
//! - Since a later round can never beat a filled bin, the rounds stop as soon as every bin is filled: about
//!   `k ln k / n` rounds for `n` shingles (3–5 rounds for an abstract's ~200 shingles and k = 128).
//! - Rounds `k … 2k − 1` (reached only by texts of a few shingles) draw bins from a per-shingle cyclic order
//!   of all `k` bins instead, so that every bin is filled after at most `2k` rounds.
//!
//! Every bin's value is the minimum over draws that are i.i.d. per shingle, so for two sets the bin's minimum
//! over their union belongs to a uniformly random element of the union: bin `i` of the two signatures agree
//! with probability exactly `J = |A ∩ B| / |A ∪ B|`, and the fraction of equal bins is an **unbiased**
//! estimate of the Jaccard similarity. Unlike one-permutation hashing with densification (what this module
//! did before: empty bins copied a filled bin's value, correlating them), no bin copies another; and like
//! one-permutation hashing (sampling without replacement), the estimator's variance is *below* that of `k`
//! independent permutations (datasketch) when texts have more shingles than bins. Measured over 4,000
//! pairs of 200-shingle sets at J ≈ 0.5 (the test `estimator_error_is_below_independent_permutations` keeps a
//! bound on it): standard deviation 0.035, against 0.040 for densified one-permutation hashing and 0.044 for
//! `k` independent hashes (the binomial `√(J(1−J)/k)`). On `byline-bench minhash` (BENCHMARKS.md) the change
//! raised the planted-pair recall averaged over 10 hash seeds from 0.956 to 0.960 (rensa 0.960, datasketch
//! 0.946). Signatures stored by [`crate::screen`](mod@crate::screen) indexes changed with it (index format 2).
//!
//! Only the low 16 bits of each bin's value are kept (**b-bit MinHash**, Li & König 2010, b = 16): a
//! signature is `k` × 2 bytes, and two unequal values collide with probability 2⁻¹⁶, a bias below 0.0001 on
//! the Jaccard estimate.
//!
//! ## LSH
//! `bands` × `rows` = `k`; a band's key is a hash of its rows. Texts sharing a key in any band are candidates;
//! candidates are verified on the signature estimate (≥ `threshold`) before they are joined, so the banding
//! only decides which pairs are looked at — never a quadratic comparison. The default 32 × 4 over k = 128
//! puts the S-curve's midpoint at (1/32)^(1/4) ≈ 0.42, below the 0.5 verification threshold, favouring recall.
//! Buckets larger than [`MAX_BUCKET_PAIRS_MEMBERS`] are linked as a star (first member with each) rather than
//! all pairs, bounding work on boilerplate texts.
//!
//! ## Memory
//! A corpus is held as [`Signatures`]: `k` × 2 bytes a text (256 bytes at k = 128) and nothing else.
//! [`signatures_from_stream`] (or [`SignatureBuilder`] for callers that drive the chunks themselves) reads
//! texts from an iterator [`STREAM_CHUNK`] at a time, sketches each chunk in parallel while the next is read,
//! and drops texts and token hashes with their chunk. [`verified_pairs`] builds the LSH tables one band group
//! (as many bands as threads) at a time, verifies each band's candidates at once and keeps only verified
//! pairs, so that its peak is the signatures plus one `(key, text)` table of 16 bytes a text per thread plus
//! the verified pairs; the candidate pairs of all bands are never held together. The result is the same as
//! [`candidate_pairs`] (which does hold every candidate: for tests and small inputs) followed by verification.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::text::{fmix64, hash_bytes, tokens};

/// Buckets with more members than this are linked as a star (see the module docs).
pub const MAX_BUCKET_PAIRS_MEMBERS: usize = 64;

/// Texts read and sketched together by [`signatures_from_stream`]: large enough to keep every thread busy,
/// small enough that the chunk's texts and token hashes (a few MB) are noise next to the signatures.
pub const STREAM_CHUNK: usize = 4096;

/// Signature and banding parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MinHashParams {
    /// Signature length `k` (bins).
    pub num_perm: usize,
    /// Words per shingle.
    pub shingle_words: usize,
    pub bands: usize,
    pub rows: usize,
    /// Verified Jaccard estimate at or above which two texts are near-duplicates.
    pub threshold: f64,
    /// Seed of the token hash (changing it changes every signature).
    pub seed: u64,
}

impl Default for MinHashParams {
    fn default() -> Self {
        // k = 128 and threshold 0.5 are datasketch's MinHashLSH defaults, so comparisons use the same numbers.
        MinHashParams { num_perm: 128, shingle_words: 3, bands: 32, rows: 4, threshold: 0.5, seed: 0x6279_6c69_6e65 }
    }
}

/// Signatures of many texts in one flat buffer: `num_perm` 16-bit values per text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signatures {
    pub num_perm: usize,
    pub data: Vec<u16>,
    /// False for texts with no token (they never match anything).
    pub non_empty: Vec<bool>,
}

impl Signatures {
    /// No signature yet, room for `texts` of them.
    pub fn with_capacity(num_perm: usize, texts: usize) -> Signatures {
        Signatures { num_perm, data: Vec::with_capacity(texts * num_perm), non_empty: Vec::with_capacity(texts) }
    }
    pub fn len(&self) -> usize {
        self.non_empty.len()
    }
    pub fn is_empty(&self) -> bool {
        self.non_empty.is_empty()
    }
    pub fn get(&self, i: usize) -> &[u16] {
        &self.data[i * self.num_perm..(i + 1) * self.num_perm]
    }
    /// Appends one text's signature (`None`: a text with no token, stored as zeros and never matched).
    pub fn push(&mut self, signature: Option<&[u16]>) {
        match signature {
            Some(s) => {
                debug_assert_eq!(s.len(), self.num_perm);
                self.data.extend_from_slice(s);
                self.non_empty.push(true);
            }
            None => {
                self.data.extend(std::iter::repeat_n(0u16, self.num_perm));
                self.non_empty.push(false);
            }
        }
    }
    /// Bytes held (what a corpus of signatures costs in memory).
    pub fn heap_bytes(&self) -> usize {
        self.data.capacity() * 2 + self.non_empty.capacity()
    }
}

/// Token hashes of a text's tokens (already normalized/masked by the caller).
pub fn token_hashes<'a>(tokens: impl Iterator<Item = &'a str>, seed: u64) -> Vec<u64> {
    tokens.map(|t| hash_bytes(t.as_bytes(), seed)).collect()
}

/// Fills `out` with the hashes of the text's lowercased tokens ([`crate::text::tokens`]): the shingling of
/// plain near-duplicate search (`byline-bench minhash`, the Python peers).
pub fn lowercase_token_hashes(text: &str, seed: u64, out: &mut Vec<u64>) {
    out.clear();
    if !text.is_ascii() {
        let lower = text.to_lowercase();
        out.extend(tokens(&lower).map(|t| hash_bytes(t.as_bytes(), seed)));
        return;
    }
    // ASCII fast path, the same tokens as `tokens(&text.to_lowercase())` (tested): bytes are chars, a token is
    // a run of alphanumerics that keeps `-`, `_`, `.` between two of them, lowercased into `buf` and hashed.
    let bytes = text.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        buf.clear();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                buf.push(b.to_ascii_lowercase());
            } else if matches!(b, b'-' | b'_' | b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
                buf.push(b);
            } else {
                break;
            }
            i += 1;
        }
        out.push(hash_bytes(&buf, seed));
    }
}

/// Salt of round `r`'s hash (`r ≥ 1`): the shingle hash xor `r × ROUND_KEY`, mixed.
const ROUND_KEY: u64 = 0x9E37_79B9_7F4A_7C15;
/// Salt of the hash that places a shingle's cyclic order of bins (rounds `k … 2k − 1`).
const CYCLE_KEY: u64 = 0xD6E8_FEB8_6659_FD93;

/// `x`'s 32 high bits scaled to `0..k` (Lemire's multiply-shift range reduction).
#[inline]
fn reduce(x: u64, k: usize) -> usize {
    (((x >> 32) * k as u64) >> 32) as usize
}

/// Scratch buffers of one thread's sketches, reused from text to text.
#[derive(Debug, Clone, Default)]
pub struct Sketcher {
    shingles: Vec<u64>,
    /// Each bin's best rank so far: `round << 32 | value`, `u64::MAX` while the bin is empty.
    ranks: Vec<u64>,
}

impl Sketcher {
    /// Writes the signature of a text given its token hashes into `out` (`params.num_perm` values); false
    /// (and `out` untouched) when there is no token.
    pub fn sketch_into(&mut self, token_hashes: &[u64], params: &MinHashParams, out: &mut [u16]) -> bool {
        let k = params.num_perm.max(1);
        if token_hashes.is_empty() {
            return false;
        }
        let w = params.shingle_words.max(1).min(token_hashes.len());
        self.shingles.clear();
        self.shingles.extend(token_hashes.windows(w).map(|win| {
            let mut h = 0u64;
            for (i, t) in win.iter().enumerate() {
                h ^= t.rotate_left((i as u32 * 23) % 64);
            }
            fmix64(h ^ (w as u64))
        }));
        self.ranks.clear();
        self.ranks.resize(k, u64::MAX);
        let ranks = &mut self.ranks[..k];
        for r in 0..2 * k {
            let round = (r as u64) << 32;
            if r < k {
                for &h in &self.shingles {
                    let x = if r == 0 { h } else { fmix64(h ^ (r as u64).wrapping_mul(ROUND_KEY)) };
                    let bin = &mut ranks[reduce(x, k)];
                    *bin = (*bin).min(round | (x & 0xFFFF_FFFF));
                }
            } else {
                for &h in &self.shingles {
                    let x = fmix64(h ^ (r as u64).wrapping_mul(ROUND_KEY));
                    let bin = &mut ranks[(reduce(fmix64(h ^ CYCLE_KEY), k) + (r - k)) % k];
                    *bin = (*bin).min(round | (x & 0xFFFF_FFFF));
                }
            }
            // A later round's ranks are above every filled bin's: once all bins are filled, nothing changes.
            if !ranks.contains(&u64::MAX) {
                break;
            }
        }
        for (o, v) in out.iter_mut().zip(ranks.iter()) {
            *o = *v as u16;
        }
        true
    }
}

/// The signature of one text given its token hashes; `None` when there is no token.
pub fn signature(token_hashes: &[u64], params: &MinHashParams) -> Option<Vec<u16>> {
    let mut out = vec![0u16; params.num_perm.max(1)];
    Sketcher::default().sketch_into(token_hashes, params, &mut out).then_some(out)
}

/// Signatures for many token-hash lists, in parallel.
pub fn signatures(all_token_hashes: &[Vec<u64>], params: &MinHashParams) -> Signatures {
    let k = params.num_perm.max(1);
    let mut sigs = Signatures { num_perm: k, data: vec![0; all_token_hashes.len() * k], non_empty: vec![] };
    all_token_hashes
        .par_iter()
        .zip(sigs.data.par_chunks_mut(k))
        .map_init(Sketcher::default, |s, (t, out)| s.sketch_into(t, params, out))
        .collect_into_vec(&mut sigs.non_empty);
    sigs
}

/// Builds [`Signatures`] chunk by chunk: only the signatures are kept, texts and token hashes are the
/// caller's and the chunk's.
#[derive(Debug, Clone)]
pub struct SignatureBuilder {
    params: MinHashParams,
    sigs: Signatures,
}

impl SignatureBuilder {
    pub fn new(params: &MinHashParams) -> SignatureBuilder {
        SignatureBuilder { params: *params, sigs: Signatures::with_capacity(params.num_perm.max(1), 0) }
    }

    /// Reserves room for `texts` more signatures (avoids the doubling copies of a growing buffer when the
    /// count is known).
    pub fn reserve(&mut self, texts: usize) {
        self.sigs.data.reserve_exact(texts * self.sigs.num_perm);
        self.sigs.non_empty.reserve_exact(texts);
    }

    /// Appends the signatures of `texts`, sketched in parallel. `token_hashes(text, out)` fills `out`
    /// (cleared) with the hashes of the text's tokens, e.g. [`lowercase_token_hashes`].
    pub fn push_chunk<T, F>(&mut self, texts: &[T], token_hashes: &F)
    where
        T: AsRef<str> + Sync,
        F: Fn(&str, &mut Vec<u64>) + Sync,
    {
        let k = self.sigs.num_perm;
        let start = self.sigs.len();
        self.sigs.data.resize((start + texts.len()) * k, 0);
        let params = &self.params;
        let flags: Vec<bool> = texts
            .par_iter()
            .zip(self.sigs.data[start * k..].par_chunks_mut(k))
            .map_init(
                || (Sketcher::default(), Vec::new()),
                |(sketcher, hashes), (text, out)| {
                    hashes.clear();
                    token_hashes(text.as_ref(), hashes);
                    sketcher.sketch_into(hashes, params, out)
                },
            )
            .collect();
        self.sigs.non_empty.extend(flags);
    }

    /// Appends the signatures of a stream of texts, [`STREAM_CHUNK`] at a time: the next chunk is pulled
    /// from `texts` while the current one is sketched (in parallel), and each chunk's texts and token hashes
    /// are dropped once sketched, so memory is the signatures plus two chunks. Stops at the stream's first
    /// error and returns it (the texts before it keep their signatures).
    pub fn push_stream<I, T, E, F>(&mut self, texts: I, token_hashes: F) -> Result<(), E>
    where
        I: Iterator<Item = Result<T, E>> + Send,
        T: AsRef<str> + Send + Sync,
        E: Send,
        F: Fn(&str, &mut Vec<u64>) + Sync,
    {
        let mut texts = texts;
        let next_chunk = |texts: &mut I| -> (Vec<T>, Option<E>) {
            let mut chunk = Vec::with_capacity(STREAM_CHUNK);
            for t in texts.by_ref().take(STREAM_CHUNK) {
                match t {
                    Ok(t) => chunk.push(t),
                    Err(e) => return (chunk, Some(e)),
                }
            }
            (chunk, None)
        };
        let (mut chunk, mut error) = next_chunk(&mut texts);
        while error.is_none() && chunk.len() == STREAM_CHUNK {
            let (next, ()) = rayon::join(|| next_chunk(&mut texts), || self.push_chunk(&chunk, &token_hashes));
            (chunk, error) = next;
        }
        self.push_chunk(&chunk, &token_hashes);
        error.map_or(Ok(()), Err)
    }

    /// Signatures so far.
    pub fn len(&self) -> usize {
        self.sigs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }

    pub fn finish(self) -> Signatures {
        self.sigs
    }
}

/// Signatures of a stream of texts: [`SignatureBuilder::push_stream`] on a new builder.
pub fn signatures_from_stream<I, T, E, F>(texts: I, params: &MinHashParams, token_hashes: F) -> Result<Signatures, E>
where
    I: Iterator<Item = Result<T, E>> + Send,
    T: AsRef<str> + Send + Sync,
    E: Send,
    F: Fn(&str, &mut Vec<u64>) + Sync,
{
    let mut builder = SignatureBuilder::new(params);
    builder.reserve(texts.size_hint().0);
    builder.push_stream(texts, token_hashes)?;
    Ok(builder.finish())
}

/// Estimated Jaccard similarity: the fraction of equal bins.
pub fn jaccard_estimate(a: &[u16], b: &[u16]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    // Summed as u32 (not `filter().count()`): this form vectorizes, about twice as fast.
    let eq: u32 = a.iter().zip(b).map(|(x, y)| u32::from(x == y)).sum();
    f64::from(eq) / a.len() as f64
}

/// The key of band `band` of a signature.
pub fn band_key(sig: &[u16], band: usize, rows: usize) -> u64 {
    let mut h = (band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for v in &sig[band * rows..(band + 1) * rows] {
        h = fmix64(h ^ u64::from(*v)).wrapping_add(0x2545_F491_4F6C_DD1D);
    }
    h
}

/// The pairs `(i, j)`, `i < j`, that share a bucket of `band` and pass `keep`, unsorted. The band's table
/// (16 bytes a text) lives only during the call.
fn band_pairs<K>(sigs: &Signatures, band: usize, rows: usize, keep: &K) -> Vec<(u32, u32)>
where
    K: Fn(u32, u32) -> bool + Sync,
{
    let mut keys: Vec<(u64, u32)> =
        (0..sigs.len()).filter(|i| sigs.non_empty[*i]).map(|i| (band_key(sigs.get(i), band, rows), i as u32)).collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    let mut push = |a: u32, b: u32| {
        let (a, b) = ordered(a, b);
        if keep(a, b) {
            out.push((a, b));
        }
    };
    for members in keys.chunk_by(|x, y| x.0 == y.0) {
        bucket_pairs(members, |m| m.1, &mut push);
    }
    out
}

/// The pairs one LSH bucket links, its members sorted by text: every pair, or, when it has more than
/// [`MAX_BUCKET_PAIRS_MEMBERS`] members, a star from the first member (see the module docs). Public so that
/// callers bucketing band keys themselves (the scan's passes over spilled signatures) link exactly the same.
pub fn bucket_pairs<T>(members: &[T], text: impl Fn(&T) -> u32, mut push: impl FnMut(u32, u32)) {
    if members.len() <= MAX_BUCKET_PAIRS_MEMBERS {
        for a in 0..members.len() {
            for b in a + 1..members.len() {
                push(text(&members[a]), text(&members[b]));
            }
        }
    } else if let Some((first, rest)) = members.split_first() {
        for m in rest {
            push(text(first), text(m));
        }
    }
}

/// LSH over all bands, one group of bands (as many as threads) at a time; each group's pairs passing `keep`
/// are merged into one sorted, de-duplicated list.
fn lsh_pairs<K>(sigs: &Signatures, params: &MinHashParams, keep: K) -> Vec<(u32, u32)>
where
    K: Fn(u32, u32) -> bool + Sync,
{
    let rows = params.rows.max(1);
    let bands = params.bands.min(sigs.num_perm / rows);
    let group = rayon::current_num_threads().max(1);
    let mut all: Vec<(u32, u32)> = Vec::new();
    let mut band = 0;
    while band < bands {
        let end = (band + group).min(bands);
        let mut found: Vec<(u32, u32)> =
            (band..end).into_par_iter().flat_map_iter(|b| band_pairs(sigs, b, rows, &keep)).collect();
        found.par_sort_unstable();
        found.dedup();
        all = merge_sorted(all, found);
        band = end;
    }
    all
}

/// Union of two sorted, de-duplicated lists.
fn merge_sorted(a: Vec<(u32, u32)>, b: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Candidate pairs `(i, j)` with `i < j`, sorted and de-duplicated, from LSH banding.
pub fn candidate_pairs(sigs: &Signatures, params: &MinHashParams) -> Vec<(u32, u32)> {
    // All candidates are returned anyway, so one sort at the end beats merging group by group.
    let rows = params.rows.max(1);
    let bands = params.bands.min(sigs.num_perm / rows);
    let mut pairs: Vec<(u32, u32)> =
        (0..bands).into_par_iter().flat_map_iter(|b| band_pairs(sigs, b, rows, &|_, _| true)).collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// Candidate pairs kept when their estimate reaches `params.threshold`, with the estimate, sorted. The same
/// pairs as [`candidate_pairs`] then verification, but each band's candidates are verified as they are
/// found, so unverified candidates are never held (see the module docs).
pub fn verified_pairs(sigs: &Signatures, params: &MinHashParams) -> Vec<(u32, u32, f64)> {
    let estimate = |a: u32, b: u32| jaccard_estimate(sigs.get(a as usize), sigs.get(b as usize));
    lsh_pairs(sigs, params, |a, b| estimate(a, b) >= params.threshold)
        .into_par_iter()
        .map(|(a, b)| (a, b, estimate(a, b)))
        .collect()
}

/// Union-find with path halving and union by size.
#[derive(Debug, Clone, Default)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }
    /// A new element, alone in its set: its index (the former `len()`).
    pub fn add(&mut self) -> u32 {
        let i = self.parent.len() as u32;
        self.parent.push(i);
        self.size.push(1);
        i
    }
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    pub fn union(&mut self, a: u32, b: u32) {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
    }
    /// Components with at least `min_size` members, each sorted, ordered by their smallest member. Only those
    /// components are gathered (a root's size is its component's), not every singleton.
    pub fn components(&mut self, min_size: usize) -> Vec<Vec<u32>> {
        let n = self.parent.len();
        let min = min_size.max(1);
        let mut groups: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        for i in 0..n as u32 {
            let r = self.find(i);
            if self.size[r as usize] as usize >= min {
                groups.entry(r).or_default().push(i);
            }
        }
        let mut out: Vec<Vec<u32>> = groups.into_values().collect();
        out.sort_by_key(|g| g[0]);
        out
    }
    /// Elements (`0..len`).
    pub fn len(&self) -> usize {
        self.parent.len()
    }
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<u64> {
        token_hashes(s.split_whitespace(), 1)
    }

    #[test]
    fn identical_texts_have_identical_signatures_and_unrelated_ones_differ() {
        let p = MinHashParams::default();
        let a = signature(&toks("the quick brown fox jumps over the lazy dog again and again"), &p).unwrap_or_default();
        let b = signature(&toks("the quick brown fox jumps over the lazy dog again and again"), &p).unwrap_or_default();
        let c = signature(&toks("completely different words appear in this other sentence here now"), &p)
            .unwrap_or_default();
        assert_eq!(jaccard_estimate(&a, &b), 1.0);
        assert!(jaccard_estimate(&a, &c) < 0.1);
        assert_eq!(signature(&[], &p), None);
    }

    #[test]
    fn estimate_tracks_true_jaccard() {
        // 100 shared shingles of 150 distinct → J = 100/150 ≈ 0.67 (shingle size 1 for a clean count).
        let p = MinHashParams { shingle_words: 1, ..MinHashParams::default() };
        let a: Vec<String> = (0..125).map(|i| format!("w{i}")).collect();
        let b: Vec<String> = (25..150).map(|i| format!("w{i}")).collect();
        let ha = token_hashes(a.iter().map(String::as_str), 9);
        let hb = token_hashes(b.iter().map(String::as_str), 9);
        let j = jaccard_estimate(&signature(&ha, &p).unwrap_or_default(), &signature(&hb, &p).unwrap_or_default());
        assert!((j - 100.0 / 150.0).abs() < 0.12, "estimate {j}");
    }

    /// Bias and root-mean-square error of the estimate over `pairs` pairs of sets of `n` single-token
    /// shingles sharing `shared`, each pair with its own tokens (so pairs are independent draws).
    fn estimator_error(pairs: usize, n: usize, shared: usize) -> (f64, f64, f64) {
        let p = MinHashParams { shingle_words: 1, ..MinHashParams::default() };
        let truth = shared as f64 / (2 * n - shared) as f64;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for pair in 0..pairs {
            let common: Vec<String> = (0..shared).map(|i| format!("p{pair}c{i}")).collect();
            let own = |side: &str| -> Vec<String> {
                common.iter().cloned().chain((shared..n).map(|i| format!("p{pair}{side}{i}"))).collect()
            };
            let (a, b) = (own("a"), own("b"));
            let sa = signature(&token_hashes(a.iter().map(String::as_str), 5), &p).unwrap_or_default();
            let sb = signature(&token_hashes(b.iter().map(String::as_str), 5), &p).unwrap_or_default();
            let err = jaccard_estimate(&sa, &sb) - truth;
            sum += err;
            sum_sq += err * err;
        }
        (truth, sum / pairs as f64, (sum_sq / pairs as f64).sqrt())
    }

    #[test]
    fn estimator_is_unbiased_from_few_shingles_to_many() {
        // 3 and 20 shingles reach the cyclic rounds and the multi-round fill; 400 is one round. With 800
        // pairs the mean error's standard error is at most 0.044/√800 ≈ 0.0016.
        for (n, shared) in [(3, 2), (20, 12), (200, 133), (400, 300)] {
            let (truth, bias, _) = estimator_error(800, n, shared);
            assert!(bias.abs() < 0.006, "n = {n}, J = {truth:.3}: mean error {bias:+.4}");
        }
    }

    #[test]
    fn estimator_error_is_below_independent_permutations() {
        // 200-shingle abstracts at J ≈ 0.5, the verification threshold: k independent permutations have
        // standard deviation √(J(1−J)/k) = 0.044; fast similarity sketching samples without replacement in
        // its first round and measures 0.035 (densified one-permutation hashing, the previous sketch: 0.040).
        // 1,000 pairs put the measured figure within ±0.001.
        let (truth, _, rmse) = estimator_error(1000, 200, 133);
        let binomial = (truth * (1.0 - truth) / 128.0).sqrt();
        assert!(rmse < 0.038, "rmse {rmse:.4} (k independent permutations: {binomial:.4})");
    }

    /// `n` texts over a small vocabulary, every fifth a light edit of an earlier one.
    fn corpus(n: usize) -> Vec<String> {
        let mut state = 0x1234_5678_u64;
        let mut next = move || {
            state = fmix64(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
            state
        };
        let mut texts: Vec<String> = Vec::with_capacity(n);
        for i in 0..n {
            if i % 5 == 4 {
                let src = (next() % i as u64) as usize;
                let edited: Vec<String> = texts[src]
                    .split(' ')
                    .map(|w| if next() % 100 < 6 { "edited".to_owned() } else { w.to_owned() })
                    .collect();
                texts.push(edited.join(" "));
            } else {
                let len = 20 + (next() % 180) as usize;
                texts.push((0..len).map(|_| format!("w{}", next() % 400)).collect::<Vec<_>>().join(" "));
            }
        }
        texts.push(String::new()); // a text with no token
        texts
    }

    #[test]
    fn streamed_signatures_and_pairs_equal_the_in_memory_ones() {
        let p = MinHashParams::default();
        let texts = corpus(3 * STREAM_CHUNK / 2);
        let hashes: Vec<Vec<u64>> = texts
            .iter()
            .map(|t| {
                let mut h = Vec::new();
                lowercase_token_hashes(t, p.seed, &mut h);
                h
            })
            .collect();
        let in_memory = signatures(&hashes, &p);
        let stream = texts.iter().map(Ok::<_, std::convert::Infallible>);
        let streamed =
            signatures_from_stream(stream, &p, |t: &str, out: &mut Vec<u64>| lowercase_token_hashes(t, p.seed, out))
                .unwrap_or_default();
        assert_eq!(streamed, in_memory);
        assert_eq!(streamed.len(), texts.len());
        assert!(!streamed.non_empty[texts.len() - 1]);
        for (i, h) in hashes.iter().enumerate().step_by(97) {
            assert_eq!(signature(h, &p).as_deref(), in_memory.non_empty[i].then(|| in_memory.get(i)));
        }

        // Band-by-band verification keeps exactly the candidates whose estimate reaches the threshold.
        let candidates = candidate_pairs(&streamed, &p);
        let expected: Vec<(u32, u32, f64)> = candidates
            .iter()
            .map(|&(a, b)| (a, b, jaccard_estimate(streamed.get(a as usize), streamed.get(b as usize))))
            .filter(|x| x.2 >= p.threshold)
            .collect();
        let verified = verified_pairs(&streamed, &p);
        assert!(verified.len() > texts.len() / 10, "{} verified pairs", verified.len());
        assert!(candidates.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(verified, expected);
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .map(|pool| pool.install(|| verified_pairs(&streamed, &p)));
        assert_eq!(one_thread.ok(), Some(verified));
    }

    #[test]
    fn ascii_fast_path_hashes_the_same_tokens_as_lowercase_then_tokens() {
        let seed = 3;
        let slow = |t: &str| token_hashes(tokens(&t.to_lowercase()), seed);
        let mut fast = Vec::new();
        let cases = [
            "miR-21-5p targets TP53 in MCF-7 (RAW264.7) cells; circ_0001, end.",
            "-a- _b_ .c. a--b a-.b a.-b x- -y ..z.. 1.5-fold IL-6/STAT3 e.g. U.S.A.",
            "",
            "   ",
            "--",
            "A",
            "end-",
            "ALL CAPS and MiXeD CaSe_Words.Here",
            "İstanbul straße ÉCOLE naïve café-au-lait",
        ];
        for t in cases {
            lowercase_token_hashes(t, seed, &mut fast);
            assert_eq!(fast, slow(t), "{t:?}");
        }
        // Every 3-byte string over a small alphabet with the joiners and separators.
        let alphabet = ['a', 'Z', '7', '-', '_', '.', ' ', '/'];
        for x in alphabet {
            for y in alphabet {
                for z in alphabet {
                    for w in alphabet {
                        let t: String = [x, y, z, w].iter().collect();
                        lowercase_token_hashes(&t, seed, &mut fast);
                        assert_eq!(fast, slow(&t), "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_stream_error_is_returned_after_the_texts_before_it() {
        let p = MinHashParams::default();
        let stream = (0..10).map(|i| if i == 7 { Err(i) } else { Ok(format!("text number {i}")) });
        let mut builder = SignatureBuilder::new(&p);
        let r = builder.push_stream(stream, |t: &str, out: &mut Vec<u64>| lowercase_token_hashes(t, p.seed, out));
        assert_eq!(r, Err(7));
        assert_eq!(builder.len(), 7);
    }

    #[test]
    fn large_buckets_are_linked_as_a_star() {
        let p = MinHashParams::default();
        let text = "the same boilerplate sentence is repeated by every one of these records word for word";
        let hashes: Vec<Vec<u64>> = (0..MAX_BUCKET_PAIRS_MEMBERS + 6).map(|_| toks(text)).collect();
        let sigs = signatures(&hashes, &p);
        let pairs = verified_pairs(&sigs, &p);
        // Every band holds one bucket of all members: a star from member 0, not all pairs.
        assert_eq!(pairs.len(), hashes.len() - 1);
        assert!(pairs.iter().all(|&(a, _, j)| a == 0 && j == 1.0));
    }
}
