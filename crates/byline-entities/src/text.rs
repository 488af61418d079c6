//! Text normalization shared by every matcher: one function turns any name or affiliation into tokens, so that
//! a registry name and an affiliation string are compared in the same form.
//!
//! Steps: Unicode NFKD, combining marks dropped (São → sao), lower case, apostrophes removed (Xi'an → xian),
//! every other non-alphanumeric character a separator, abbreviations expanded (`Univ.` → `university`, see
//! [`ABBREVIATIONS`]), a light plural fold (`sciences` → `science`). Han characters are folded to one script
//! ([`fold_cjk_variant`]: traditional and Japanese shinjitai forms to simplified, `哈爾浜` and `哈爾濱` to `哈尔滨`).
//! CJK runs become overlapping character bigrams so that Chinese and Japanese names are indexed without a word
//! segmenter; [`tokens_with_joins`] says which bigram continues the run of the one before it, so that a matcher
//! can tell a name from the tail of a longer one.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Abbreviations expanded on both sides of every comparison. Chosen from the forms seen in the ROR gold
/// affiliation strings (`Univ.`, `Inst.`, `Dept.`, `Natl.`, `Hosp.`); `centre`/`center` and
/// `medicine`/`medical` are folded so that "School of Medicine" and "Medical School" share their tokens.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("univ", "university"),
    ("universty", "university"),
    ("inst", "institute"),
    ("instit", "institute"),
    ("dept", "department"),
    ("dep", "department"),
    ("natl", "national"),
    ("nat", "national"),
    ("hosp", "hospital"),
    ("coll", "college"),
    ("acad", "academy"),
    ("lab", "laboratory"),
    ("labs", "laboratory"),
    ("ctr", "center"),
    ("cntr", "center"),
    ("centre", "center"),
    ("med", "medical"),
    ("medicine", "medical"),
    ("sci", "science"),
    ("tech", "technology"),
    ("technol", "technology"),
    ("res", "research"),
    ("eng", "engineering"),
    ("engn", "engineering"),
    ("engg", "engineering"),
    ("polytech", "polytechnic"),
    ("intl", "international"),
    ("int", "international"),
    ("assoc", "association"),
    ("fac", "faculty"),
    ("corp", "corporation"),
    ("co", "company"),
    ("ltd", "limited"),
];

/// Words that carry no identity in an organisation name, in the languages most frequent in ROR labels.
pub const STOPWORDS: &[&str] = &[
    "the", "of", "and", "for", "at", "in", "on", "a", "an", "de", "del", "della", "delle", "dei", "di", "du", "des",
    "la", "le", "les", "el", "los", "las", "da", "do", "dos", "das", "y", "e", "et", "und", "der", "die", "fur", "zu",
    "im", "am", "van", "het", "en",
];

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

/// Folds a string to lower-case ASCII-ish text: NFKD, combining marks dropped, apostrophes removed, every
/// other non-alphanumeric character replaced by a space. CJK characters are kept, Han characters in their
/// simplified form ([`fold_cjk_variant`]).
pub fn fold(raw: &str) -> String {
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
        if is_combining_mark(c) || matches!(c, '\'' | '’' | '`' | '´' | 'ʼ') {
            continue;
        }
        if c.is_uppercase() && lower_run >= 3 {
            out.push(' ');
        }
        lower_run = if c.is_lowercase() { lower_run + 1 } else { 0 };
        if is_cjk(c) {
            out.push(fold_cjk_variant(c));
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
        } else if c == '&' {
            out.push_str(" and ");
        } else {
            out.push(' ');
        }
    }
    out
}

/// "University" in the languages of ROR labels (after diacritics are dropped). They stay words of their own:
/// read as `university`, a system's label ("Universidad de California") would be the exact name of every
/// campus string ("University of California, San Diego").
pub const UNIVERSITY_WORDS: &[&str] = &[
    "universitat",
    "universitaet",
    "universite",
    "universita",
    "universidad",
    "universidade",
    "universiteit",
    "universitet",
    "uniwersytet",
    "univerzita",
    "univerzitet",
    "universitas",
    "universiti",
    "universitatea",
    "universitetet",
];

/// Normalizes one alphabetic token: abbreviation expansion, "university" misspelt, then the plural fold.
pub fn normalize_token(token: &str) -> String {
    if let Some((_, full)) = ABBREVIATIONS.iter().find(|(short, _)| *short == token) {
        return (*full).to_owned();
    }
    if is_university_word(token) {
        return "university".to_owned();
    }
    fold_plural(token)
}

/// "University" misspelt: a word of 9 to 12 letters that starts like it, is at most two edits from it
/// ("univeristy", "univesity") and is not the word in another language ([`UNIVERSITY_WORDS`]); "universal"
/// and "universe" are three or more edits away.
fn is_university_word(token: &str) -> bool {
    (9..=12).contains(&token.len())
        && token.starts_with("uni")
        && !UNIVERSITY_WORDS.contains(&token)
        && strsim::damerau_levenshtein(token, "university") <= 2
}

fn fold_plural(token: &str) -> String {
    let n = token.len();
    if n > 4 && token.is_ascii() {
        if let Some(stem) = token.strip_suffix("ies") {
            return format!("{stem}y");
        }
        if token.ends_with('s') && !(token.ends_with("ss") || token.ends_with("us") || token.ends_with("is")) {
            return token[..n - 1].to_owned();
        }
    }
    token.to_owned()
}

/// Every token of a string in order, stopwords included (phrase matching needs them to keep positions).
/// CJK runs give character bigrams (a run of one character gives that character).
pub fn tokens_with_stopwords(raw: &str) -> Vec<String> {
    tokens_with_joins(raw).0
}

/// [`tokens_with_stopwords`] and, for each token, whether it continues the CJK run of the token before it (a
/// bigram of the same run of CJK characters, with no space or punctuation between): `杭州电子科技大学` gives
/// `杭州 州电 电子 …` with `false, true, true, …`. Every other token is `false`.
pub fn tokens_with_joins(raw: &str) -> (Vec<String>, Vec<bool>) {
    let folded = fold(raw);
    let mut out = Vec::new();
    let mut joins = Vec::new();
    for word in folded.split_whitespace() {
        let mut latin = String::new();
        let mut cjk: Vec<char> = Vec::new();
        for c in word.chars() {
            if is_cjk(c) {
                if !latin.is_empty() {
                    out.push(normalize_token(&latin));
                    joins.push(false);
                    latin.clear();
                }
                cjk.push(c);
            } else {
                if !cjk.is_empty() {
                    push_cjk(&cjk, &mut out, &mut joins);
                    cjk.clear();
                }
                latin.push(c);
            }
        }
        if !latin.is_empty() {
            out.push(normalize_token(&latin));
            joins.push(false);
        }
        if !cjk.is_empty() {
            push_cjk(&cjk, &mut out, &mut joins);
        }
    }
    (out, joins)
}

fn push_cjk(run: &[char], out: &mut Vec<String>, joins: &mut Vec<bool>) {
    if run.len() == 1 {
        out.push(run[0].to_string());
        joins.push(false);
        return;
    }
    for (i, pair) in run.windows(2).enumerate() {
        out.push(pair.iter().collect());
        joins.push(i > 0);
    }
}

/// Informative tokens: [`tokens_with_stopwords`] without stopwords.
pub fn tokens(raw: &str) -> Vec<String> {
    tokens_with_stopwords(raw).into_iter().filter(|t| !is_stopword(t)).collect()
}

/// True for a stopword.
pub fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(&token)
}

/// The normalized key of a name: its informative tokens joined by single spaces.
pub fn name_key(raw: &str) -> String {
    tokens(raw).join(" ")
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

    #[test]
    fn the_email_clause_is_no_part_of_the_place() {
        assert_eq!(
            without_email_clause("Université Paris Cité, Paris, France. Electronic address: a@samara.ru."),
            "Université Paris Cité, Paris, France"
        );
        assert_eq!(without_email_clause("Dept X, Univ Y, Spain; E-mail: x@y.es"), "Dept X, Univ Y, Spain");
        assert_eq!(without_email_clause("Dept X, Univ Y, Japan x@y.jp"), "Dept X, Univ Y, Japan");
        assert_eq!(without_email_clause("Institut für Physik, Berlin"), "Institut für Physik, Berlin");
    }

    #[test]
    fn footnote_marks_between_glued_affiliations_end_a_part() {
        assert_eq!(
            segments("University of Minnesota 2 Department of Biomedical Engineering, , Minneapolis, MN, USA"),
            ["University of Minnesota", "Department of Biomedical Engineering", "Minneapolis", "MN", "USA"]
        );
        // Street numbers, postal codes, unit numbers and lower-case words after a number stay.
        assert_eq!(segments("1150 University Avenue"), ["1150 University Avenue"]);
        assert_eq!(segments("Lab 1. Cancer Research Center"), ["Lab 1. Cancer Research Center"]);
        assert_eq!(segments("Unit 2 of pathology"), ["Unit 2 of pathology"]);
        assert_eq!(segments("Building 12"), ["Building 12"]);
        assert_eq!(segments("2 Department of Surgery"), ["2 Department of Surgery"]);
        assert_eq!(
            segments("Federal State Budgetary Institution 48 Central Scientific Research Institute"),
            ["Federal State Budgetary Institution 48 Central Scientific Research Institute"]
        );
    }

    #[test]
    fn glued_words_and_escaped_layout_are_cut() {
        assert_eq!(tokens("University CollegeLondon"), tokens("University College London"));
        assert_eq!(tokens("Nanyang Technological UniversitySingapore").last().map(String::as_str), Some("singapore"));
        assert_eq!(tokens("McGill University"), vec!["mcgill", "university"]);
        assert_eq!(tokens("#N##TAB#Universidade Federal#N#"), tokens("Universidade Federal"));
    }

    #[test]
    fn university_misspelt_is_read_as_university() {
        for raw in ["Univeristy of Genova", "Univesity of Genova", "University of Genova"] {
            assert_eq!(name_key(raw), "university genova", "{raw}");
        }
        assert_eq!(name_key("Università di Genova"), "universita genova");
        assert_eq!(name_key("Universidade de São Paulo"), "universidade sao paulo");
        assert_eq!(name_key("Universal Robots"), "universal robot");
        assert_eq!(name_key("Universe Sciences"), "universe science");
    }

    #[test]
    fn abbreviations_and_diacritics_fold() {
        assert_eq!(name_key("Tokyo Univ."), "tokyo university");
        assert_eq!(name_key("The University of Tokyo"), "university tokyo");
        assert_eq!(name_key("Xi'an Jiaotong Univ"), "xian jiaotong university");
        assert_eq!(name_key("Chinese Academy of Sciences"), "chinese academy science");
    }

    #[test]
    fn cjk_becomes_bigrams() {
        assert_eq!(tokens("北京大学"), vec!["北京", "京大", "大学"]);
        let (toks, joins) = tokens_with_joins("物理学院 北京大学, Beijing");
        assert_eq!(toks, ["物理", "理学", "学院", "北京", "京大", "大学", "beijing"]);
        assert_eq!(joins, [false, true, true, false, true, true, false]);
        assert_eq!(tokens_with_joins("京 北京").1, [false, false]);
    }

    #[test]
    fn traditional_and_japanese_forms_fold_to_simplified() {
        // Harbin Engineering University as the PRC, Taiwan/Hong Kong and METI (Japanese kanji) write it.
        let simplified = name_key("哈尔滨工程大学");
        assert_eq!(name_key("哈爾濱工程大學"), simplified);
        assert_eq!(name_key("哈爾浜工程大学"), simplified);
        assert_eq!(name_key("國防科技大學"), name_key("国防科技大学"));
        // Kana is not Han: unchanged.
        assert_eq!(fold("とうきょう"), "とうきょう");
        // Different characters stay different.
        assert_ne!(name_key("哈尔滨工业大学"), simplified);
    }

    #[test]
    fn emails_are_found() {
        assert_eq!(emails_in("Dept. X, Foo Univ. (e-mail: a.b@foo.ac.jp)."), vec!["a.b@foo.ac.jp"]);
        assert_eq!(email_domain("A@Mail.Example.ORG").as_deref(), Some("mail.example.org"));
    }
}
