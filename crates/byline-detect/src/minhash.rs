//! MinHash signatures and LSH banding, built for speed and bounded memory.
//!
//! ## How a signature is made
//! Each token is hashed once (64-bit, [`crate::text::hash_bytes`]); a shingle of `w` consecutive tokens
//! is the mix of their hashes. Instead of `k` independent permutations (`k` multiply-mods per shingle),
//! the signature uses **one-permutation hashing** (Li, Owen & Zhang 2012): the shingle hash's high bits pick
//! one of `k` bins, its low 32 bits are the value, and each bin keeps its minimum — one hash per shingle in
//! all. Bins left empty by short texts are filled by **optimal densification** (Shrivastava 2017): an empty bin
//! borrows the value of the first non-empty bin along a fixed pseudo-random probe sequence of its own, which
//! keeps the estimator unbiased for Jaccard similarity. Finally only the low 16 bits of each bin are kept
//! (**b-bit MinHash**, Li & König 2010, b = 16): a signature is `k` × 2 bytes, and two unequal values
//! collide with probability 2⁻¹⁶, a bias below 0.0001 on the Jaccard estimate.
//!
//! ## LSH
//! `bands` × `rows` = `k`; a band's key is a hash of its rows. Works sharing a key in any band are candidates;
//! candidates are verified on the signature estimate (≥ `threshold`) before they are joined, so the banding
//! only decides which pairs are looked at — never a quadratic comparison. The default 32 × 4 over k = 128
//! puts the S-curve's midpoint at (1/32)^(1/4) ≈ 0.42, below the 0.5 verification threshold, favouring recall.
//! Buckets larger than [`MAX_BUCKET_PAIRS_MEMBERS`] are linked as a star (first member with each) rather than
//! all pairs, bounding work on boilerplate texts.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::text::{fmix64, hash_bytes};

/// Buckets with more members than this are linked as a star (see the module docs).
pub const MAX_BUCKET_PAIRS_MEMBERS: usize = 64;

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
    pub fn len(&self) -> usize {
        self.non_empty.len()
    }
    pub fn is_empty(&self) -> bool {
        self.non_empty.is_empty()
    }
    pub fn get(&self, i: usize) -> &[u16] {
        &self.data[i * self.num_perm..(i + 1) * self.num_perm]
    }
}

/// Token hashes of a text's tokens (already normalized/masked by the caller).
pub fn token_hashes<'a>(tokens: impl Iterator<Item = &'a str>, seed: u64) -> Vec<u64> {
    tokens.map(|t| hash_bytes(t.as_bytes(), seed)).collect()
}

/// The signature of one text given its token hashes; `None` when there is no token.
pub fn signature(token_hashes: &[u64], params: &MinHashParams) -> Option<Vec<u16>> {
    let k = params.num_perm.max(1);
    if token_hashes.is_empty() {
        return None;
    }
    let mut bins = vec![u32::MAX; k];
    let mut filled = vec![false; k];
    let w = params.shingle_words.max(1).min(token_hashes.len());
    for win in token_hashes.windows(w) {
        let mut h = 0u64;
        for (i, t) in win.iter().enumerate() {
            h ^= t.rotate_left((i as u32 * 23) % 64);
        }
        let h = fmix64(h ^ (w as u64));
        let bin = (((h >> 32) * k as u64) >> 32) as usize;
        let value = h as u32;
        if value < bins[bin] {
            bins[bin] = value;
        }
        filled[bin] = true;
    }
    densify(&mut bins, &filled);
    Some(bins.iter().map(|v| *v as u16).collect())
}

/// Optimal densification: each empty bin copies the first filled bin on its own probe sequence.
fn densify(bins: &mut [u32], filled: &[bool]) {
    let k = bins.len();
    if filled.iter().all(|f| *f) {
        return;
    }
    for i in 0..k {
        if filled[i] {
            continue;
        }
        let mut attempt = 1u64;
        loop {
            let j = (fmix64(((i as u64) << 32) ^ attempt ^ 0x5bd1_e995) % k as u64) as usize;
            if filled[j] {
                bins[i] = bins[j];
                break;
            }
            attempt += 1;
            if attempt > 64 * k as u64 {
                break;
            }
        }
    }
}

/// Signatures for many token-hash lists, in parallel.
pub fn signatures(all_token_hashes: &[Vec<u64>], params: &MinHashParams) -> Signatures {
    let k = params.num_perm;
    let sigs: Vec<Option<Vec<u16>>> = all_token_hashes.par_iter().map(|t| signature(t, params)).collect();
    let mut data = Vec::with_capacity(sigs.len() * k);
    let mut non_empty = Vec::with_capacity(sigs.len());
    for s in sigs {
        match s {
            Some(s) => {
                data.extend_from_slice(&s);
                non_empty.push(true);
            }
            None => {
                data.extend(std::iter::repeat_n(0u16, k));
                non_empty.push(false);
            }
        }
    }
    Signatures { num_perm: k, data, non_empty }
}

/// Estimated Jaccard similarity: the fraction of equal bins.
pub fn jaccard_estimate(a: &[u16], b: &[u16]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let eq = a.iter().zip(b).filter(|(x, y)| x == y).count();
    eq as f64 / a.len() as f64
}

/// The key of band `band` of a signature.
pub fn band_key(sig: &[u16], band: usize, rows: usize) -> u64 {
    let mut h = (band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for v in &sig[band * rows..(band + 1) * rows] {
        h = fmix64(h ^ u64::from(*v)).wrapping_add(0x2545_F491_4F6C_DD1D);
    }
    h
}

/// Candidate pairs `(i, j)` with `i < j`, sorted and de-duplicated, from LSH banding.
pub fn candidate_pairs(sigs: &Signatures, params: &MinHashParams) -> Vec<(u32, u32)> {
    let rows = params.rows.max(1);
    let bands = params.bands.min(sigs.num_perm / rows);
    let mut pairs: Vec<(u32, u32)> = (0..bands)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut keys: Vec<(u64, u32)> = (0..sigs.len())
                .filter(|i| sigs.non_empty[*i])
                .map(|i| (band_key(sigs.get(i), band, rows), i as u32))
                .collect();
            keys.sort_unstable();
            let mut out = Vec::new();
            let mut start = 0;
            while start < keys.len() {
                let mut end = start + 1;
                while end < keys.len() && keys[end].0 == keys[start].0 {
                    end += 1;
                }
                let members = &keys[start..end];
                if members.len() <= MAX_BUCKET_PAIRS_MEMBERS {
                    for a in 0..members.len() {
                        for b in a + 1..members.len() {
                            out.push(ordered(members[a].1, members[b].1));
                        }
                    }
                } else {
                    for m in &members[1..] {
                        out.push(ordered(members[0].1, m.1));
                    }
                }
                start = end;
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// Candidate pairs kept when their estimate reaches `params.threshold`, with the estimate.
pub fn verified_pairs(sigs: &Signatures, params: &MinHashParams) -> Vec<(u32, u32, f64)> {
    candidate_pairs(sigs, params)
        .into_par_iter()
        .filter_map(|(a, b)| {
            let j = jaccard_estimate(sigs.get(a as usize), sigs.get(b as usize));
            (j >= params.threshold).then_some((a, b, j))
        })
        .collect()
}

/// Union-find with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
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
    /// Components with at least `min_size` members, each sorted, ordered by their smallest member.
    pub fn components(&mut self, min_size: usize) -> Vec<Vec<u32>> {
        let n = self.parent.len();
        let mut groups: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        for i in 0..n as u32 {
            let r = self.find(i);
            groups.entry(r).or_default().push(i);
        }
        let mut out: Vec<Vec<u32>> = groups.into_values().filter(|g| g.len() >= min_size.max(1)).collect();
        out.sort_by_key(|g| g[0]);
        out
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
}
