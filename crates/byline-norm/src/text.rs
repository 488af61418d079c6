//! Text folding and the pieces of an affiliation string.
//!
//! Three folds, one letter mapping ([`fold_letter`]): every fold decomposes (Unicode NFKD), drops combining
//! marks (São → sao), maps the letters that carry no mark to strip (ø → o, ł → l, đ → d, ß → ss, æ → ae,
//! œ → oe, ı → i, þ → th), drops apostrophes (Xi'an → xian, O'Brien → obrien) and lower-cases. They differ in
//! what they do with everything else, which is what their callers compare:
//!
//! - [`fold`]: punctuation kept ("müller-schlüter"): person names and keys hashed from them (byline-graph).
//! - [`fold_words`]: every other non-alphanumeric character a single space, trimmed ("buyukkidik s"): names
//!   compared word by word (byline-parse).
//! - [`fold_affiliation`]: organisation text matched against registries (byline-entities): also undoes
//!   OpenAlex's escaped layout, cuts words glued by a lost space, folds Han characters to their simplified form
//!   ([`fold_cjk_variant`]), reads `&` as "and", and turns other punctuation into spaces (not squashed).

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Apostrophes: inside names and places they vanish rather than split ("O'Brien", "D’Souza", "Xi'an").
#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ')
}

/// The letter mapping every fold shares, for one character of an NFKD-decomposed string: nothing for a
/// combining mark or an apostrophe, the ASCII form of a letter that has no mark to strip, else the character
/// lower-cased.
#[inline]
pub fn fold_letter(c: char, out: &mut String) {
    if is_combining_mark(c) || is_apostrophe(c) {
        return;
    }
    match c {
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ı' => out.push('i'),
        'þ' | 'Þ' => out.push_str("th"),
        _ => out.extend(c.to_lowercase()),
    }
}

/// Folds a string for matching names: NFKD, diacritics removed, lower case, non-decomposing letters mapped,
/// apostrophes dropped; other punctuation and spacing kept ("Müller-Schlüter" → "muller-schluter").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // NFKD leaves ASCII as it is and no ASCII character is a combining mark: the same fold, without the
        // decomposition (most metadata is ASCII).
        out.extend(text.chars().filter(|c| !is_apostrophe(*c)).map(|c| c.to_ascii_lowercase()));
        return out;
    }
    for c in text.nfkd() {
        fold_letter(c, &mut out);
    }
    out
}

/// [`fold`], then every character that is not alphanumeric a separator, separators squashed to one space and
/// trimmed: "Büyükkidik, S." → "buyukkidik s".
pub fn fold_words(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True for characters of the CJK scripts (Han, Hiragana, Katakana, Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// Han characters whose traditional or Japanese form differs from the simplified one, to the simplified one.
///
/// The table is OpenCC's own data (the `ferrous-opencc` crate, Apache-2.0): every character of the CJK
/// Unified Ideographs blocks (base, extension A, compatibility) is put through OpenCC's Japanese-shinjitai →
/// traditional conversion (`jp2t`: JPShinjitaiCharacters, JPVariantsRev) and then traditional → simplified
/// (`t2s`: TSCharacters), one character a line so that no phrase rule applies and the fold is the same
/// wherever the character stands (a name and the longer string holding it fold alike). About 4,000
/// characters change (`哈爾浜工程大学` → `哈尔滨工程大学`, `大學` → `大学`, `國` → `国`). A character OpenCC maps to a
/// simplified form that another character already has (`芸` and `藝` → `艺`) merges with it: both sides of
/// every comparison are folded the same way, so this can only join two names that differ in such a character.
/// Built once, on the first Han character seen (about 20 ms); if OpenCC cannot be loaded, no character is
/// folded (matching then needs the same script on both sides, as before).
fn cjk_variants() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use ferrous_opencc::{OpenCC, config::BuiltinConfig};
        let (Ok(jp2t), Ok(t2s)) = (OpenCC::from_config(BuiltinConfig::Jp2t), OpenCC::from_config(BuiltinConfig::T2s))
        else {
            return HashMap::new();
        };
        let chars: Vec<char> =
            (0x3400u32..=0x4DBF).chain(0x4E00..=0x9FFF).chain(0xF900..=0xFAFF).filter_map(char::from_u32).collect();
        let mut one_a_line = String::with_capacity(chars.len() * 4);
        for c in &chars {
            one_a_line.push(*c);
            one_a_line.push('\n');
        }
        let folded = t2s.convert(&jp2t.convert(&one_a_line));
        let lines: Vec<&str> = folded.split('\n').collect();
        let mut table = HashMap::new();
        if lines.len() < chars.len() {
            return table;
        }
        for (c, line) in chars.iter().zip(lines) {
            let mut it = line.chars();
            if let (Some(to), None) = (it.next(), it.next())
                && to != *c
            {
                table.insert(*c, to);
            }
        }
        table
    })
}

/// The simplified form of a Han character written in its traditional or Japanese form ([`cjk_variants`]); any
/// other character unchanged.
pub fn fold_cjk_variant(c: char) -> char {
    if is_cjk(c) { cjk_variants().get(&c).copied().unwrap_or(c) } else { c }
}

/// Folds organisation text (affiliations, registry names, list entries) for matching: the letter mapping of
/// [`fold`], every other non-alphanumeric character replaced by a space (`&` by " and "), words glued by a lost
/// space cut apart, OpenAlex's escaped layout undone. CJK characters are kept, Han characters in their
/// simplified form ([`fold_cjk_variant`]).
pub fn fold_affiliation(raw: &str) -> String {
    // OpenAlex raw strings carry escaped layout ("#N##TAB#Universidade …#N#").
    let unescaped;
    let raw = if raw.contains("#N#") || raw.contains("#TAB#") {
        unescaped = raw.replace("#N#", " ").replace("#TAB#", " ");
        unescaped.as_str()
    } else {
        raw
    };
    let mut out = String::with_capacity(raw.len());
    // Lower-case letters just before: words glued by a lost space ("University CollegeLondon",
    // "Technical University of MunichGermany") are cut where a capital follows three of them, which
    // leaves "McGill" and "MacArthur" whole.
    let mut lower_run = 0usize;
    for c in raw.nfkd() {
        if is_combining_mark(c) || is_apostrophe(c) {
            continue;
        }
        if c.is_uppercase() && lower_run >= 3 {
            out.push(' ');
        }
        lower_run = if c.is_lowercase() { lower_run + 1 } else { 0 };
        if is_cjk(c) {
            out.push(fold_cjk_variant(c));
        } else if c.is_alphanumeric() {
            fold_letter(c, &mut out);
        } else if c == '&' {
            out.push_str(" and ");
        } else {
            out.push(' ');
        }
    }
    out
}

/// Splits an affiliation string into its comma/semicolon separated parts, trimmed, empty parts dropped.
/// Parentheses are kept inside their part. A number of one or two digits standing between a word and the
/// first word of a unit ("Department", "School"…) also ends a part: it is the footnote mark of a second
/// affiliation glued to the first ("University of Minnesota 2 Department of Biomedical Engineering").
pub fn segments(raw: &str) -> Vec<&str> {
    raw.split([',', ';', '|', '，', '；', '\n', '\t'])
        .flat_map(split_at_footnote_marks)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Words that start an affiliation after a footnote mark. Only these: a number before other words is often
/// part of a name ("48 Central Scientific Research Institute", "Hospital 2 Moscow").
const FOOTNOTE_FOLLOWERS: &[&str] = &[
    "Department",
    "Departments",
    "Division",
    "School",
    "Faculty",
    "Laboratory",
    "Section",
    "Unit",
    "Program",
    "Programme",
];

/// `part` cut before each footnote mark (see [`segments`]); the mark itself is dropped.
fn split_at_footnote_marks(part: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let words: Vec<(usize, &str)> = part
        .split(' ')
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .collect();
    for i in 1..words.len().saturating_sub(1) {
        let (at, w) = words[i];
        let is_mark = (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
        let after_word = words[i - 1].1.chars().last().is_some_and(char::is_alphabetic);
        let before_name = FOOTNOTE_FOLLOWERS.contains(&words[i + 1].1);
        if is_mark && after_word && before_name && at >= start {
            out.push(&part[start..at]);
            start = words[i + 1].0;
        }
    }
    out.push(&part[start..]);
    out
}

/// The string without its e-mail clause: cut at "Electronic address", "E-mail", "Email:" (PubMed and
/// publishers append the address that way: "…, Paris, France. Electronic address: a@b.ru."), then without any
/// other word holding an `@`. The address is no part of the place: a Russian mailbox on a Paris byline does
/// not move the affiliation to Russia.
pub fn without_email_clause(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let cut = ["electronic address", "e-mail", "email:", "email address"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .filter(|i| raw.is_char_boundary(*i))
        .unwrap_or(raw.len());
    let kept: Vec<&str> = raw[..cut].split(' ').filter(|w| !w.contains('@')).collect();
    kept.join(" ").trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':')).to_owned()
}

/// Extracts the e-mail addresses written in a string (`local@domain.tld`), lower-cased.
pub fn emails_in(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in raw.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>' | '[' | ']')) {
        let word = word.trim_matches(|c: char| c == '.' || c == ':');
        let word = word.strip_prefix("mailto:").unwrap_or(word);
        if let Some((local, domain)) = word.split_once('@')
            && !local.is_empty()
            && domain.contains('.')
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            out.push(word.to_ascii_lowercase());
        }
    }
    out
}

/// The domain part of an e-mail address, lower-cased.
pub fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if domain.contains('.') { Some(domain) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII shortcut of [`fold`] gives what the decomposing path gives, for every ASCII character.
    #[test]
    fn ascii_fold_is_the_decomposing_fold() {
        let all: String = (0u8..128).map(char::from).collect();
        let mut slow = String::new();
        for c in all.nfkd() {
            fold_letter(c, &mut slow);
        }
        assert_eq!(fold(&all), slow);
        assert_eq!(fold("O'Brien-SMITH, J."), "obrien-smith, j.");
        assert_eq!(fold("Müller`s"), "mullers");
    }
}
