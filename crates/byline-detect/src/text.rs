//! Text helpers shared by the detectors: which text of a work is read, word counts, tokens and a fast hash.

use byline_model::Work;

/// Title, abstract and acknowledgements joined by blank lines: the text the text detectors read.
pub fn work_text(work: &Work) -> String {
    let mut out = String::new();
    for part in
        [work.title.as_deref(), work.abstract_text.as_deref(), work.acknowledgements.as_deref()].into_iter().flatten()
    {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(part);
    }
    out
}

/// Title and abstract only (template skeletons ignore acknowledgements, which are boilerplate of their own).
pub fn title_abstract(work: &Work) -> String {
    let mut out = String::new();
    if let Some(t) = &work.title {
        out.push_str(t);
    }
    if let Some(a) = &work.abstract_text {
        if !out.is_empty() {
            out.push_str(". ");
        }
        out.push_str(a);
    }
    out
}

/// Number of words (maximal runs of alphanumeric characters).
pub fn word_count(text: &str) -> usize {
    tokens(text).count()
}

/// Tokens: maximal runs of alphanumeric characters, keeping `-`, `_` and `.` when they join two alphanumerics
/// (`miR-21-5p`, `MCF-7`, `circ_0001`, `RAW264.7`), so that symbols survive as one token.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip separators (any char that is not alphanumeric; multi-byte letters count as alphanumeric).
        while i < text.len() {
            let c = char_at(text, i);
            if c.is_alphanumeric() {
                break;
            }
            i += c.len_utf8();
        }
        if i >= text.len() {
            return None;
        }
        let start = i;
        while i < text.len() {
            let c = char_at(text, i);
            if c.is_alphanumeric() {
                i += c.len_utf8();
            } else if matches!(c, '-' | '_' | '.')
                && i > start
                && i + 1 < bytes.len()
                && char_at(text, i + 1).is_alphanumeric()
            {
                i += 1;
            } else {
                break;
            }
        }
        Some(&text[start..i])
    })
}

fn char_at(text: &str, i: usize) -> char {
    // ASCII fast path (most of any abstract): the byte is the char, no UTF-8 decoding.
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or(' '),
    }
}

/// A fast, stable 64-bit hash of bytes (wyhash-style multiply-fold over 8-byte words, then a MurmurHash3
/// `fmix64` finalizer). Stable across runs and platforms; not for adversarial input.
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold_mul(h ^ u64::from_le_bytes(w), K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = fold_mul(h ^ u64::from_le_bytes(w), K ^ 0xA076_1D64_78BD_642F);
    }
    fmix64(h)
}

/// 64×64→128-bit multiply, folded by xor of the halves (the wyhash mixing step).
#[inline]
pub fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// MurmurHash3's 64-bit finalizer: a bijective avalanche mix.
#[inline]
pub fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Collapses every run of whitespace to one space (so that phrases broken across lines still match).
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_symbols_whole() {
        let t: Vec<&str> = tokens("miR-21-5p targets TP53 in MCF-7 (RAW264.7) cells; circ_0001, end.").collect();
        assert_eq!(t, ["miR-21-5p", "targets", "TP53", "in", "MCF-7", "RAW264.7", "cells", "circ_0001", "end"]);
    }

    #[test]
    fn collapse_whitespace_joins_lines() {
        assert_eq!(collapse_whitespace("  a \n\t b  "), "a b");
    }
}
