//! The word lists more than one detector reads: free webmail domains and the words that make an affiliation
//! (or a part of one) the name of an institution.

use crate::text;

/// Free webmail domains: an institutional byline with such an address is worth recording, not judging
/// (`BYL002`, `AFF004`). A short, reviewed list: the providers most seen on paper-mill bylines in published
/// investigations, plus the global majors. Lower case, sorted.
pub const WEBMAIL_DOMAINS: &[&str] = &[
    "126.com",
    "163.com",
    "aol.com",
    "foxmail.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mail.ru",
    "naver.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "rediffmail.com",
    "sina.cn",
    "sina.com",
    "sohu.com",
    "yahoo.co.in",
    "yahoo.co.uk",
    "yahoo.com",
    "yandex.ru",
    "yeah.net",
    "ymail.com",
];

/// True when an e-mail domain is free webmail (case and a trailing dot ignored).
pub fn is_webmail(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    WEBMAIL_DOMAINS.contains(&d.as_str())
}

/// Words that make a text (or a part of an affiliation) the name of an organisation, compared with the words of
/// [`text::fold_affiliation`]. An entry ending in `*` is a stem: it matches every word starting with it
/// (`univ*`: "Univ.", "University", "Universidad", "Universität"…; `laborator*`: "Laboratory", "Laboratories").
/// Entries with a space or non-ASCII characters (CJK) match anywhere in the folded text.
pub const INSTITUTION_WORDS: &[&str] = &[
    "univ*",
    "uniwersytet",
    "institut*",
    "istituto",
    "laborator*",
    "college",
    "hospital*",
    "hopital",
    "ospedale",
    "krankenhaus",
    "klinikum",
    "clinic",
    "academy",
    "center",
    "centre",
    "centro",
    "school",
    "polytechnic",
    "politecnico",
    "foundation",
    "corporation",
    "company",
    "limited",
    "ltd",
    "inc",
    "gmbh",
    "council",
    "agency",
    "ministry",
    "museum",
    "observatory",
    "organization",
    "organisation",
    "society",
    "trust",
    "service",
    "unit",
    "group",
    "大学",
    "学院",
    "医院",
    "研究",
    "公司",
];

/// Words that make a text (or a part of an affiliation) the name of a unit inside an organisation
/// ("Department of Physics", "Faculty of Medicine", "Key Laboratory of …"), same rules as [`INSTITUTION_WORDS`].
pub const UNIT_WORDS: &[&str] =
    &["department", "division", "faculty", "section", "program", "programme", "chair", "discipline", "key laboratory"];

/// True when one folded word matches a list ([`INSTITUTION_WORDS`]' rules: exact, or a `*` stem's prefix).
fn word_matches(word: &str, entry: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == entry,
    }
}

/// True when `folded` (the output of [`text::fold_affiliation`]) holds a word of `list`: whole words for ASCII
/// entries (`*` stems by prefix), anywhere for entries with a space or non-ASCII characters.
pub fn matches_word_list(folded: &str, list: &[&str]) -> bool {
    let words: Vec<&str> = folded.split_whitespace().collect();
    list.iter().any(|entry| {
        if entry.contains(' ') || !entry.is_ascii() {
            folded.contains(entry)
        } else {
            words.iter().any(|w| word_matches(w, entry))
        }
    })
}

/// True when one folded word is an institution word ([`INSTITUTION_WORDS`]).
pub fn is_institution_word(word: &str) -> bool {
    INSTITUTION_WORDS.iter().any(|entry| entry.is_ascii() && !entry.contains(' ') && word_matches(word, entry))
}

/// True when one folded word is a unit word ([`UNIT_WORDS`]; the multi-word entries never match one word).
pub fn is_unit_word(word: &str) -> bool {
    UNIT_WORDS.iter().any(|entry| !entry.contains(' ') && word_matches(word, entry))
}

/// True when a text names a unit of an organisation: it holds one of the [`UNIT_WORDS`].
pub fn has_unit_word(text: &str) -> bool {
    matches_word_list(&text::fold_affiliation(text), UNIT_WORDS)
}

/// True when a text names an organisation: it holds one of the [`INSTITUTION_WORDS`].
pub fn has_institution_word(text: &str) -> bool {
    matches_word_list(&text::fold_affiliation(text), INSTITUTION_WORDS)
}
