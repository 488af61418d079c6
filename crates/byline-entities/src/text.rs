//! Text normalization shared by every matcher: one function turns any name or affiliation into tokens, so that
//! a registry name and an affiliation string are compared in the same form.
//!
//! Steps ([`fold_affiliation`], from byline-norm): Unicode NFKD, combining marks dropped (São → sao), lower case, apostrophes removed (Xi'an → xian),
//! every other non-alphanumeric character a separator, abbreviations expanded (`Univ.` → `university`, see
//! [`ABBREVIATIONS`]), a light plural fold (`sciences` → `science`). Han characters are folded to one script
//! ([`fold_cjk_variant`]: traditional and Japanese shinjitai forms to simplified, `哈爾浜` and `哈爾濱` to `哈尔滨`).
//! CJK runs become overlapping character bigrams so that Chinese and Japanese names are indexed without a word
//! segmenter; [`tokens_with_joins`] says which bigram continues the run of the one before it, so that a matcher
//! can tell a name from the tail of a longer one.

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

// The folds, segments and e-mail helpers live in byline-norm (one implementation for every crate).
pub use byline_norm::text::{
    email_domain, emails_in, fold_affiliation, fold_cjk_variant, is_cjk, segments, without_email_clause,
};

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
    let folded = fold_affiliation(raw);
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
        assert_eq!(fold_affiliation("とうきょう"), "とうきょう");
        // Different characters stay different.
        assert_ne!(name_key("哈尔滨工业大学"), simplified);
    }

    #[test]
    fn emails_are_found() {
        assert_eq!(emails_in("Dept. X, Foo Univ. (e-mail: a.b@foo.ac.jp)."), vec!["a.b@foo.ac.jp"]);
        assert_eq!(email_domain("A@Mail.Example.ORG").as_deref(), Some("mail.example.org"));
    }
}
