//! Japanese institutions by KAKEN's institution master: a Japanese or English affiliation string → the
//! institution (NII, MEXT and JSPS codes, Japanese and English names), or none.
//!
//! The master is NII's KAKEN institution master as a CSV (`#nii_code,mext_code,jsps_code,name_ja,name_en,
//! name_yomi`, see `datasets/README.md`); [`KakenInstitutions::load`] reads it only when the header says so,
//! and accounts for every data row (rows read = institutions kept + rows skipped, each with its reason).
//!
//! [`KakenMatcher::match_affiliation`] looks for an institution name at the *start* of the string (the name
//! comes first in Japanese and in the KAKEN/e-Rad English forms), the longest name found winning, so that what
//! follows (a unit, a job title) does not matter:
//!
//! - Japanese: `大阪大学 大学院医学系研究科`, `大阪大学大学院医学系研究科`, `大阪大学・基礎工学研究科`; the
//!   legal-form prefix (`国立研究開発法人`, `公益財団法人`, `(独)`…) on either side is dropped when the name as
//!   written is not found;
//! - English: `Osaka Univ., Grad. Sch. Med.`, `Osaka University, Graduate School of Engineering Science,
//!   Professor`: the usual abbreviations are written out ([`ABBREVIATIONS`]) and a leading "The" is ignored; the
//!   comma parts are tried in order, so `Department of Medicine, Kyoto University` is found too;
//! - full-width and half-width forms and the Japanese/traditional Han variants meet through
//!   `byline_norm::fold_affiliation` (NFKD and the Han fold); no other fold is added here;
//! - a short list of well-known short forms ([`SHORT_FORMS`]: `阪大`, `東大`…), tried last.
//!
//! A string that names a country other than Japan (`byline_norm::country_in_text`) gets no answer. A name
//! that belongs to two institutions (the master has 22 English names and two Japanese names twice) is
//! refused as [`KakenMatch::Ambiguous`], never guessed.
//!
//! [`KakenMatcher::ror_links`] joins the master to ROR: a Japanese ROR record whose name or Japanese label is
//! exactly one KAKEN institution's name links the two, one to one.

use std::collections::HashMap;
use std::path::Path;

use byline_norm::fold_affiliation;
use byline_norm::segments;

use crate::EntitiesError;
use crate::lists::SkippedRow;

/// One institution of the KAKEN master. Codes are strings as written (leading zeros kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KakenInstitution {
    /// NII institution code: 7 digits with leading zeros (`0014401`), or 6 digits starting `38` for
    /// institutions coded later (`382765`).
    pub nii_code: String,
    /// MEXT institution code, 5 digits (`14401`). e-Rad's 10-digit institution code of a university is
    /// `21` + this + `000` (`2114401000`, seen in KAKEN researcher records).
    pub mext_code: String,
    /// JSPS code; empty in the master for about 970 institutions.
    pub jsps_code: Option<String>,
    pub name_ja: String,
    /// As written: sometimes the Japanese name again, or not ASCII.
    pub name_en: Option<String>,
    /// Katakana reading; missing altogether in a few rows.
    pub name_yomi: Option<String>,
}

/// The master as read: institutions kept, rows skipped with their reasons.
#[derive(Debug, Clone, Default)]
pub struct KakenInstitutions {
    pub institutions: Vec<KakenInstitution>,
    pub skipped: Vec<SkippedRow>,
}

/// The header the master must start with (a `#` comment marker before the first column name).
const HEADER: [&str; 6] = ["#nii_code", "mext_code", "jsps_code", "name_ja", "name_en", "name_yomi"];

impl KakenInstitutions {
    /// Data rows read: institutions kept plus rows skipped.
    pub fn rows_read(&self) -> usize {
        self.institutions.len() + self.skipped.len()
    }

    /// Reads the master from a file.
    ///
    /// # Errors
    /// The file cannot be read, is not this master (header), or holds no institution.
    pub fn load(path: &Path) -> Result<Self, EntitiesError> {
        let bytes =
            std::fs::read(path).map_err(|source| EntitiesError::Io { path: path.display().to_string(), source })?;
        Self::parse(&bytes, &path.display().to_string())
    }

    /// Reads the master from its bytes; `path` is only for messages.
    ///
    /// # Errors
    /// Not this master (its header is checked first: positive evidence, never a fallback), not CSV, or no
    /// institution kept.
    pub fn parse(bytes: &[u8], path: &str) -> Result<Self, EntitiesError> {
        let format = |reason: String| EntitiesError::Format { path: path.to_string(), reason };
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(source)) => return Err(EntitiesError::Csv { path: path.to_string(), source }),
            None => return Err(format("empty file, not the KAKEN institution master".into())),
        };
        let fields: Vec<&str> = header.iter().map(str::trim).collect();
        if fields != HEADER {
            return Err(format(format!(
                "not the KAKEN institution master: header is `{}`, expected `{}`",
                fields.join(","),
                HEADER.join(",")
            )));
        }
        let mut out = KakenInstitutions::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, record) in records.enumerate() {
            let position = format!("row {}", i + 1);
            let mut skip = |reason: String| out.skipped.push(SkippedRow { position: position.clone(), reason });
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    skip(format!("unreadable CSV row: {e}"));
                    continue;
                }
            };
            if !(5..=6).contains(&record.len()) {
                skip(format!("{} fields, expected 6 (or 5 without the reading)", record.len()));
                continue;
            }
            let field = |k: usize| record.get(k).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            let Some(nii_code) = field(0).filter(|c| c.bytes().all(|b| b.is_ascii_digit())) else {
                skip("nii_code missing or not digits".into());
                continue;
            };
            let Some(name_ja) = field(3) else {
                skip(format!("{nii_code}: no Japanese name"));
                continue;
            };
            if let Some(first) = seen.get(&nii_code) {
                skip(format!("{nii_code}: code already on row {first}"));
                continue;
            }
            seen.insert(nii_code.clone(), i + 1);
            out.institutions.push(KakenInstitution {
                nii_code,
                mext_code: field(1).unwrap_or_default(),
                jsps_code: field(2),
                name_ja,
                name_en: field(4),
                name_yomi: field(5),
            });
        }
        if out.institutions.is_empty() {
            return Err(format(format!("no institution kept ({} rows skipped)", out.skipped.len())));
        }
        Ok(out)
    }
}

/// Japanese legal-form prefixes that institution names carry in the master and affiliation strings usually
/// drop (or abbreviate, `(独)`). Longest first where one is a prefix of another. From the master itself: the
/// prefixes counted on `name_ja` (公益財団法人 127, 独立行政法人 114, 一般財団法人 51, …) plus the
/// parenthesised abbreviations common in affiliations.
pub const LEGAL_FORMS: &[&str] = &[
    "地方独立行政法人",
    "国立研究開発法人",
    "大学共同利用機関法人",
    "独立行政法人",
    "公益財団法人",
    "一般財団法人",
    "公益社団法人",
    "一般社団法人",
    "特定非営利活動法人",
    "認定NPO法人",
    "社会医療法人",
    "社会福祉法人",
    "国立大学法人",
    "公立大学法人",
    "学校法人",
    "医療法人",
    "財団法人",
    "社団法人",
    // Companies (株式会社 76 times at the start of a name, 有限会社 4).
    "株式会社",
    "有限会社",
    "(独)",
    "(国研)",
    "(公財)",
    "(一財)",
    "(財)",
    "(社)",
    // The ministry an institute sat under, written before its name (`文部科学省統計数理研究所` in KAKEN).
    "文部科学省",
];

/// English abbreviations in affiliations, written out before matching (folded forms: lower case, no dots).
/// The usual ones of Japanese English affiliations (`Osaka Univ., Grad. Sch. Med.`, `Natl. Inst.`).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("univ", "university"),
    ("uni", "university"),
    ("inst", "institute"),
    ("natl", "national"),
    ("nat", "national"),
    ("grad", "graduate"),
    ("sch", "school"),
    ("coll", "college"),
    ("med", "medicine"),
    ("sci", "science"),
    ("technol", "technology"),
    ("tech", "technology"),
    ("res", "research"),
    ("ctr", "center"),
    ("cent", "center"),
    ("hosp", "hospital"),
    ("pref", "prefectural"),
    ("int", "international"),
    ("intl", "international"),
    ("lab", "laboratory"),
    ("dept", "department"),
    ("fac", "faculty"),
    ("eng", "engineering"),
    ("agric", "agriculture"),
];

/// Well-known short forms of Japanese university names, each to the institution's full Japanese name in the
/// master. They are the universities' own abbreviations as used by the universities and the press
/// (Japanese Wikipedia's list of university abbreviations, 日本の大学の略称一覧, gives each of these).
/// Tried only when no name of the master is found, so `東大阪大学` stays Higashiosaka College.
pub const SHORT_FORMS: &[(&str, &str)] = &[
    ("阪大", "大阪大学"),
    ("東大", "東京大学"),
    ("京大", "京都大学"),
    ("東北大", "東北大学"),
    ("名大", "名古屋大学"),
    ("九大", "九州大学"),
    ("北大", "北海道大学"),
    ("東工大", "東京工業大学"),
    ("筑波大", "筑波大学"),
    ("広大", "広島大学"),
    ("神大", "神戸大学"),
    ("一橋大", "一橋大学"),
    ("早大", "早稲田大学"),
    ("慶大", "慶應義塾大学"),
];

/// How a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchVia {
    /// A name of the master as written (Japanese, or English after the abbreviations).
    Name,
    /// After dropping a legal-form prefix.
    WithoutLegalForm,
    /// A well-known short form ([`SHORT_FORMS`]).
    ShortForm,
}

/// The answer for one affiliation string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KakenMatch<'a> {
    Institution {
        institution: &'a KakenInstitution,
        via: MatchVia,
    },
    /// The name found belongs to several institutions (distinct codes): refused rather than guessed.
    Ambiguous(Vec<&'a KakenInstitution>),
    NoMatch,
}

impl<'a> KakenMatch<'a> {
    /// The institution, when exactly one was found.
    pub fn institution(&self) -> Option<&'a KakenInstitution> {
        match self {
            KakenMatch::Institution { institution, .. } => Some(institution),
            _ => None,
        }
    }
}

/// A table of keys (folded names) to institutions, looked up by the longest key at the start of a string.
#[derive(Debug, Default)]
struct KeyTable {
    keys: HashMap<String, Vec<usize>>,
    /// Key lengths present (in chars for Japanese keys, words for English ones), longest first.
    lengths: Vec<usize>,
}

impl KeyTable {
    fn insert(&mut self, key: String, len: usize, index: usize) {
        if key.is_empty() {
            return;
        }
        let slot = self.keys.entry(key).or_default();
        if !slot.contains(&index) {
            slot.push(index);
        }
        if !self.lengths.contains(&len) {
            self.lengths.push(len);
            self.lengths.sort_unstable_by(|a, b| b.cmp(a));
        }
    }
}

/// Matches affiliation strings to the institutions of a KAKEN master.
#[derive(Debug)]
pub struct KakenMatcher {
    institutions: Vec<KakenInstitution>,
    /// Japanese keys (CJK names, spaces removed), as written.
    ja: KeyTable,
    /// Japanese keys without their legal-form prefix.
    ja_bare: KeyTable,
    /// English keys: folded words, abbreviations written out, a leading "the" dropped, joined by one space.
    en: KeyTable,
    /// English names that hold a comma themselves (`Toyota Central R&D Lab., Inc.`,
    /// `National Museum of Nature and Science,Tokyo`): matched against the whole string, not a comma part.
    en_whole: KeyTable,
    /// Short forms to the institutions they stand for.
    short: KeyTable,
}

/// A Japanese key: the folded text with every space removed (Japanese writes no spaces between words, and
/// `・`, `　` and other punctuation fold to spaces).
fn ja_key(raw: &str) -> String {
    fold_affiliation(raw).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The English words of a string: folded, abbreviations written out, a leading "the" dropped.
fn en_words(raw: &str) -> Vec<String> {
    let folded = fold_affiliation(raw);
    let mut words: Vec<String> = folded
        .split_whitespace()
        .map(|w| ABBREVIATIONS.iter().find(|(a, _)| *a == w).map_or(w, |(_, full)| full).to_string())
        .collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words
}

/// True when the string is written mostly in Japanese script (more CJK characters than ASCII letters).
fn is_japanese(raw: &str) -> bool {
    let cjk = raw.chars().filter(|c| byline_norm::text::is_cjk(*c)).count();
    let latin = raw.chars().filter(char::is_ascii_alphabetic).count();
    cjk > 0 && cjk >= latin
}

/// The key with its legal-form prefixes removed (repeatedly: `(独)国立…`), or `None` when it had none.
fn without_legal_form(key: &str) -> Option<String> {
    let forms: Vec<String> = LEGAL_FORMS.iter().map(|f| ja_key(f)).collect();
    let mut rest = key;
    let mut changed = true;
    let mut any = false;
    while changed {
        changed = false;
        for f in &forms {
            if let Some(r) = rest.strip_prefix(f.as_str())
                && !r.is_empty()
            {
                rest = r;
                changed = true;
                any = true;
            }
        }
    }
    any.then(|| rest.to_string())
}

impl KakenMatcher {
    pub fn new(master: KakenInstitutions) -> Self {
        let mut m = KakenMatcher {
            institutions: master.institutions,
            ja: KeyTable::default(),
            ja_bare: KeyTable::default(),
            en: KeyTable::default(),
            en_whole: KeyTable::default(),
            short: KeyTable::default(),
        };
        let by_name: HashMap<String, Vec<usize>> = {
            let mut t: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, inst) in m.institutions.iter().enumerate() {
                t.entry(inst.name_ja.clone()).or_default().push(i);
            }
            t
        };
        for i in 0..m.institutions.len() {
            let inst = &m.institutions[i];
            let names: Vec<String> = std::iter::once(inst.name_ja.clone()).chain(inst.name_en.clone()).collect();
            for name in names {
                if is_japanese(&name) {
                    let key = ja_key(&name);
                    if let Some(bare) = without_legal_form(&key) {
                        let n = bare.chars().count();
                        m.ja_bare.insert(bare, n, i);
                    }
                    let n = key.chars().count();
                    m.ja.insert(key, n, i);
                } else {
                    let words = en_words(&name);
                    let n = words.len();
                    let table = if segments(&name).len() > 1 { &mut m.en_whole } else { &mut m.en };
                    table.insert(words.join(" "), n, i);
                }
            }
        }
        for (short, full) in SHORT_FORMS {
            for &i in by_name.get(*full).into_iter().flatten() {
                let key = ja_key(short);
                let n = key.chars().count();
                m.short.insert(key, n, i);
            }
        }
        m
    }

    /// Reads the master and builds the matcher.
    ///
    /// # Errors
    /// As [`KakenInstitutions::load`].
    pub fn load(path: &Path) -> Result<Self, EntitiesError> {
        KakenInstitutions::load(path).map(Self::new)
    }

    pub fn institutions(&self) -> &[KakenInstitution] {
        &self.institutions
    }

    /// The institution with this NII code.
    pub fn by_nii_code(&self, code: &str) -> Option<&KakenInstitution> {
        self.institutions.iter().find(|i| i.nii_code == code)
    }

    /// The institutions with this MEXT code (usually one).
    pub fn by_mext_code(&self, code: &str) -> Vec<&KakenInstitution> {
        self.institutions.iter().filter(|i| i.mext_code == code).collect()
    }

    fn answer(&self, indices: &[usize], via: MatchVia) -> KakenMatch<'_> {
        match indices {
            [] => KakenMatch::NoMatch,
            [i] => KakenMatch::Institution { institution: &self.institutions[*i], via },
            many => KakenMatch::Ambiguous(many.iter().map(|i| &self.institutions[*i]).collect()),
        }
    }

    /// The longest Japanese key of `table` at the start of `key`.
    fn ja_prefix<'t>(table: &'t KeyTable, key: &str) -> Option<&'t [usize]> {
        let chars: Vec<(usize, char)> = key.char_indices().collect();
        for &len in &table.lengths {
            if len > chars.len() {
                continue;
            }
            let end = chars.get(len).map_or(key.len(), |(b, _)| *b);
            if let Some(found) = table.keys.get(&key[..end]) {
                return Some(found);
            }
        }
        None
    }

    /// The longest English key of `table` at the start of these words.
    fn en_prefix<'t>(table: &'t KeyTable, words: &[String]) -> Option<&'t [usize]> {
        for &len in &table.lengths {
            if len > words.len() {
                continue;
            }
            if let Some(found) = table.keys.get(&words[..len].join(" ")) {
                return Some(found);
            }
        }
        None
    }

    /// The institution whose name is exactly this name (folded; a legal-form prefix on either side ignored),
    /// not a name at the start of a longer string: for linking registries, where a prefix is not enough.
    pub fn by_exact_name(&self, name: &str) -> KakenMatch<'_> {
        if is_japanese(name) {
            let key = ja_key(name);
            if let Some(found) = self.ja.keys.get(&key) {
                return self.answer(found, MatchVia::Name);
            }
            let bare = without_legal_form(&key).unwrap_or(key);
            for table in [&self.ja, &self.ja_bare] {
                if let Some(found) = table.keys.get(&bare) {
                    return self.answer(found, MatchVia::WithoutLegalForm);
                }
            }
            return KakenMatch::NoMatch;
        }
        let key = en_words(name).join(" ");
        match self.en.keys.get(&key).or_else(|| self.en_whole.keys.get(&key)) {
            Some(found) => self.answer(found, MatchVia::Name),
            None => KakenMatch::NoMatch,
        }
    }

    /// ROR ids for KAKEN institutions, by ROR's names (its Japanese labels included): a ROR record in Japan
    /// whose name (display name, label or alias; not an acronym) is exactly the name of one KAKEN institution
    /// ([`Self::by_exact_name`]) links the two. Links are one to one: a KAKEN institution that two ROR
    /// records name, or a ROR record that names two KAKEN institutions, gets none. Keyed by NII code; the ROR
    /// id in its short form (`035t8zc32`).
    pub fn ror_links(&self, registry: &crate::ror::RorRegistry) -> std::collections::BTreeMap<String, String> {
        use std::collections::{BTreeMap, BTreeSet};
        let mut kaken_to_ror: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for org in registry.organizations() {
            if org.country_code.as_deref() != Some("JP") {
                continue;
            }
            let mut found: BTreeSet<String> = BTreeSet::new();
            for name in &org.names {
                if name.kind == crate::ror::NameKind::Acronym {
                    continue;
                }
                if let Some(inst) = self.by_exact_name(&name.value).institution() {
                    found.insert(inst.nii_code.clone());
                }
            }
            if let [one] = found.into_iter().collect::<Vec<_>>().as_slice() {
                let id = byline_model::normalize_ror(&org.id).unwrap_or_else(|| org.id.clone());
                kaken_to_ror.entry(one.clone()).or_default().insert(id);
            }
        }
        kaken_to_ror
            .into_iter()
            .filter_map(|(nii, rors)| (rors.len() == 1).then(|| (nii, rors.into_iter().next().unwrap_or_default())))
            .collect()
    }

    /// The institution an affiliation string names at its start (see the module docs), refusing a name that
    /// belongs to several institutions.
    pub fn match_affiliation(&self, raw: &str) -> KakenMatch<'_> {
        let raw = raw.trim();
        if raw.is_empty() {
            return KakenMatch::NoMatch;
        }
        // A string that names another country is not about a Japanese institution, whatever its first words
        // (`National Institute of Technology, Durgapur, West Bengal, India` is not Japan's KOSEN).
        if byline_norm::country_in_text(raw).is_some_and(|(code, _)| code != "JP") {
            return KakenMatch::NoMatch;
        }
        if is_japanese(raw) {
            // The whole string first (units follow the name with or without a separator), then each part.
            let mut candidates = vec![raw];
            candidates.extend(segments(raw).into_iter().filter(|s| *s != raw));
            for part in &candidates {
                let key = ja_key(part);
                if let Some(found) = Self::ja_prefix(&self.ja, &key) {
                    return self.answer(found, MatchVia::Name);
                }
                let bare = without_legal_form(&key).unwrap_or(key);
                if let Some(found) = Self::ja_prefix(&self.ja, &bare) {
                    return self.answer(found, MatchVia::WithoutLegalForm);
                }
                if let Some(found) = Self::ja_prefix(&self.ja_bare, &bare) {
                    return self.answer(found, MatchVia::WithoutLegalForm);
                }
            }
            for part in &candidates {
                if let Some(found) = Self::ja_prefix(&self.short, &ja_key(part)) {
                    return self.answer(found, MatchVia::ShortForm);
                }
            }
            return KakenMatch::NoMatch;
        }
        // A name with a comma of its own is looked for in the whole string; other names in each comma part,
        // in order, so that a unit after a comma never becomes part of a longer name.
        if let Some(found) = Self::en_prefix(&self.en_whole, &en_words(raw)) {
            return self.answer(found, MatchVia::Name);
        }
        for part in segments(raw) {
            if let Some(found) = Self::en_prefix(&self.en, &en_words(part)) {
                return self.answer(found, MatchVia::Name);
            }
        }
        KakenMatch::NoMatch
    }
}

/// What institution registries made of affiliation strings: raw string (trimmed) → key (`ror:ID` when ROR
/// links the KAKEN institution, else `kaken:NII`), and key → the institution's name to show. Built by
/// [`KakenMatcher::registry_keys`]; the audit compares institutions by these keys
/// (`byline_norm::institution_key_in`, the disclosure's organisation keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryKeys {
    pub keys: std::collections::BTreeMap<String, String>,
    pub names: std::collections::BTreeMap<String, String>,
}

impl RegistryKeys {
    /// The key and display name of the institution a raw string names, if the registry named one.
    pub fn key_of<'s>(&'s self, raw: &'s str) -> Option<(&'s str, &'s str)> {
        let key = self.keys.get(raw.trim())?;
        Some((key.as_str(), self.names.get(key).map_or(raw.trim(), String::as_str)))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl KakenMatcher {
    /// The comparable key and display name of the institution an affiliation string names
    /// ([`Self::match_affiliation`]): `ror:ID` when `ror_links` ([`Self::ror_links`]) links it, else
    /// `kaken:NII`; shown by its English name when the master gives one in Latin letters, else its Japanese one.
    /// `None` when no single institution is named.
    pub fn key_of(
        &self,
        raw: &str,
        ror_links: &std::collections::BTreeMap<String, String>,
    ) -> Option<(String, String)> {
        let inst = self.match_affiliation(raw).institution()?;
        let key = match ror_links.get(&inst.nii_code) {
            Some(ror) => format!("ror:{ror}"),
            None => format!("kaken:{}", inst.nii_code),
        };
        let display = inst
            .name_en
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii() || !byline_norm::text::is_cjk(c)))
            .unwrap_or(inst.name_ja.as_str());
        Some((key, display.to_owned()))
    }

    /// Adds the keys of these affiliation strings to `keys` (strings no institution is found for are left out).
    pub fn add_registry_keys<'s>(
        &self,
        keys: &mut RegistryKeys,
        strings: impl IntoIterator<Item = &'s str>,
        ror_links: &std::collections::BTreeMap<String, String>,
    ) {
        for raw in strings {
            let raw = raw.trim();
            if raw.is_empty() || keys.keys.contains_key(raw) {
                continue;
            }
            if let Some((key, display)) = self.key_of(raw, ror_links) {
                keys.names.entry(key.clone()).or_insert(display);
                keys.keys.insert(raw.to_owned(), key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MASTER: &str = "#nii_code,mext_code,jsps_code,name_ja,name_en,name_yomi\r\n\
        0014401,14401,14401,大阪大学,Osaka University,オオサカダイガク\r\n\
        0034440,34440,34440,東大阪大学,Higashiosaka College,ヒガシオオサカダイガク\r\n\
        0012601,12601,12601,東京大学,The University of Tokyo,トウキョウダイガク\r\n\
        0014301,14301,14301,京都大学,Kyoto University,キョウトダイガク\r\n\
        0034435,34435,34435,大阪人間科学大学,Osaka University of Human Sciences,オオサカニンゲンカガクダイガク\r\n\
        382765,82636,,国立研究開発法人情報通信研究機構,National Institute of Information and Communications Technology,コクリツ\r\n\
        0032653,32653,32653,東京女子医科大学,Tokyo Women's Medical University,トウキョウジョシイカダイガク\r\n\
        0036253,36253,,東京女子医科大学看護短期大学,Tokyo Women's Medical University,トウキョウ\r\n\
        382698,32728,,湘南医療大学,湘南医療大学\r\n\
        0093901,93901,,株式会社豊田中央研究所,\"Toyota Central R&D Lab., Inc.\",トヨタ\r\n\
        ,1,,名無し,Nameless,ナナシ\r\n\
        0014401,14401,14401,大阪大学,Osaka University,オオサカダイガク\r\n";

    fn matcher() -> KakenMatcher {
        KakenMatcher::new(KakenInstitutions::parse(MASTER.as_bytes(), "test").expect("test master parses"))
    }

    fn code(m: &KakenMatcher, s: &str) -> Option<String> {
        m.match_affiliation(s).institution().map(|i| i.nii_code.clone())
    }

    #[test]
    fn one_key_for_an_institution_written_three_ways_and_none_abroad() {
        let m = matcher();
        let mut keys = RegistryKeys::default();
        let strings =
            ["大阪大学 大学院医学系研究科", "Osaka Univ., Grad. Sch. Med.", "阪大", "Shenzhen University, China"];
        m.add_registry_keys(&mut keys, strings, &std::collections::BTreeMap::new());
        assert_eq!(keys.key_of("大阪大学 大学院医学系研究科"), Some(("kaken:0014401", "Osaka University")));
        assert_eq!(keys.key_of(" 阪大 "), Some(("kaken:0014401", "Osaka University")));
        assert_eq!(keys.key_of("Osaka Univ., Grad. Sch. Med.").map(|k| k.0), Some("kaken:0014401"));
        assert_eq!(keys.key_of("Shenzhen University, China"), None);
        // With a ROR link, the ROR id is the key.
        let links = std::collections::BTreeMap::from([("0014401".to_owned(), "035t8zc32".to_owned())]);
        assert_eq!(m.key_of("阪大", &links).map(|k| k.0), Some("ror:035t8zc32".to_owned()));
        // A Japanese-only name is shown in Japanese.
        assert_eq!(m.key_of("湘南医療大学 看護学部", &links).map(|k| k.1), Some("湘南医療大学".to_owned()));
    }

    #[test]
    fn loader_accounts_for_every_row() {
        let t = KakenInstitutions::parse(MASTER.as_bytes(), "test").expect("test master parses");
        assert_eq!(t.rows_read(), 12);
        assert_eq!(t.institutions.len(), 10);
        assert_eq!(t.skipped.len(), 2, "{:?}", t.skipped);
        let shonan = t.institutions.iter().find(|i| i.nii_code == "382698").expect("Shonan kept");
        assert_eq!(shonan.name_yomi, None);
        assert_eq!(shonan.jsps_code, None);
        assert!(t.skipped.iter().any(|s| s.reason.contains("already")));
    }

    #[test]
    fn loader_refuses_another_file() {
        let err = KakenInstitutions::parse(b"nii_code,mext_code\n1,2\n", "x.csv").expect_err("not the master");
        assert!(err.to_string().contains("not the KAKEN institution master"), "{err}");
        assert!(KakenInstitutions::parse(b"#nii_code,mext_code,jsps_code,name_ja,name_en,name_yomi\n", "x").is_err());
    }

    #[test]
    fn japanese_name_then_unit() {
        let m = matcher();
        for s in [
            "大阪大学",
            "大阪大学 大学院医学系研究科",
            "大阪大学大学院医学系研究科",
            "大阪大学・基礎工学研究科",
            "大阪大学、医学部",
        ] {
            assert_eq!(code(&m, s).as_deref(), Some("0014401"), "{s}");
        }
        // The longest name at the start wins.
        assert_eq!(code(&m, "大阪人間科学大学 人間科学部").as_deref(), Some("0034435"));
        assert_eq!(code(&m, "東大阪大学").as_deref(), Some("0034440"));
    }

    #[test]
    fn full_width_and_half_width() {
        let m = matcher();
        assert_eq!(code(&m, "大阪大学　大学院医学系研究科").as_deref(), Some("0014401"));
        assert_eq!(code(&m, "Ｏｓａｋａ　Ｕｎｉｖ．").as_deref(), Some("0014401"));
        // Traditional/Japanese Han variants meet through the shared fold.
        assert_eq!(code(&m, "大阪大學").as_deref(), Some("0014401"));
    }

    #[test]
    fn legal_form_prefixes() {
        let m = matcher();
        for s in [
            "国立研究開発法人情報通信研究機構",
            "情報通信研究機構",
            "(独)情報通信研究機構",
            "独立行政法人情報通信研究機構 ネットワーク研究所",
        ] {
            let r = m.match_affiliation(s);
            assert_eq!(r.institution().map(|i| i.nii_code.as_str()), Some("382765"), "{s}: {r:?}");
        }
        assert_eq!(
            m.match_affiliation("国立研究開発法人情報通信研究機構").institution().expect("NICT").mext_code,
            "82636"
        );
    }

    #[test]
    fn english_with_abbreviations_and_parts() {
        let m = matcher();
        for s in [
            "Osaka Univ., Grad. Sch. Med.",
            "Osaka University, Graduate School of Engineering Science, Professor",
            "Osaka Uni., Grad. Sch. Eng. Science, Associate Professor",
            "Osaka Univ.Faculty of Engineering Science, Lecturer",
            "OSAKA UNIVERSITY",
            "Department of Medicine, Osaka University",
        ] {
            assert_eq!(code(&m, s).as_deref(), Some("0014401"), "{s}");
        }
        assert_eq!(code(&m, "University of Tokyo, Faculty of Medicine").as_deref(), Some("0012601"));
        assert_eq!(code(&m, "The Univ. of Tokyo").as_deref(), Some("0012601"));
        // A comma ends the name: "Osaka University, Human Sciences" is not Osaka University of Human Sciences.
        assert_eq!(code(&m, "Osaka University, Human Sciences, Research Associate").as_deref(), Some("0014401"));
        assert_eq!(code(&m, "Osaka University of Human Sciences").as_deref(), Some("0034435"));
        assert_eq!(code(&m, "Natl. Inst. of Information and Communications Technol.").as_deref(), Some("382765"));
    }

    #[test]
    fn english_name_with_its_own_comma() {
        let m = matcher();
        assert_eq!(code(&m, "Toyota Central R&D Labs., Inc., Nagakute").as_deref(), None);
        assert_eq!(code(&m, "Toyota Central R&D Lab., Inc., Nagakute, Aichi").as_deref(), Some("0093901"));
        assert_eq!(code(&m, "豊田中央研究所").as_deref(), Some("0093901"));
    }

    #[test]
    fn short_forms_only_when_no_name_is_found() {
        let m = matcher();
        let r = m.match_affiliation("阪大 医学部");
        assert_eq!(
            r,
            KakenMatch::Institution { institution: m.by_nii_code("0014401").expect("Osaka"), via: MatchVia::ShortForm }
        );
        assert_eq!(code(&m, "東大医科研").as_deref(), Some("0012601"));
        assert_eq!(code(&m, "京大").as_deref(), Some("0014301"));
        // 東大阪大学 is a name of its own, not 東大 + 阪大学.
        assert_eq!(code(&m, "東大阪大学 短期大学部").as_deref(), Some("0034440"));
    }

    #[test]
    fn exact_names_and_ror_links() {
        use crate::ror::{NameKind, OrgName, Organization, RorRegistry};
        let m = matcher();
        assert_eq!(m.by_exact_name("大阪大学").institution().map(|i| i.nii_code.as_str()), Some("0014401"));
        assert_eq!(m.by_exact_name("大阪大学大学院医学系研究科"), KakenMatch::NoMatch);
        assert_eq!(m.by_exact_name("情報通信研究機構").institution().map(|i| i.nii_code.as_str()), Some("382765"));
        let labelled = |id: &str, en: &str, ja: &str| {
            let mut o = Organization::named(id, en, "JP");
            o.names.push(OrgName { value: ja.into(), kind: NameKind::Label, lang: Some("ja".into()) });
            o
        };
        let registry = RorRegistry::from_organizations(vec![
            // Linked by its Japanese label although ROR's English name differs from KAKEN's.
            labelled("https://ror.org/035t8zc32", "Osaka Univ (ROR)", "大阪大学"),
            // Two ROR records name 京都大学: no link.
            labelled("https://ror.org/02kpeqv85", "Kyoto University", "京都大学"),
            labelled("https://ror.org/0000000k1", "Kyoto Univ. duplicate", "京都大学"),
            // Not in Japan: never linked.
            Organization::named("https://ror.org/0000000u1", "The University of Tokyo", "US"),
            // An acronym alone does not link.
            {
                let mut o = Organization::named("https://ror.org/0000000n1", "NICT Japan", "JP");
                o.names.push(OrgName { value: "情報通信研究機構".into(), kind: NameKind::Acronym, lang: None });
                o
            },
        ]);
        let links = m.ror_links(&registry);
        assert_eq!(links.get("0014401").map(String::as_str), Some("035t8zc32"), "{links:?}");
        assert_eq!(links.len(), 1, "{links:?}");
    }

    #[test]
    fn refusals() {
        let m = matcher();
        assert_eq!(m.match_affiliation("Harvard Medical School, Boston"), KakenMatch::NoMatch);
        assert_eq!(m.match_affiliation("名古屋工業大学"), KakenMatch::NoMatch);
        assert_eq!(m.match_affiliation(""), KakenMatch::NoMatch);
        // Another country named: not a Japanese institution, even when the first words are a Japanese name.
        assert_eq!(
            m.match_affiliation("Kyoto University, Department of Physics, Tiruchirappalli, India"),
            KakenMatch::NoMatch
        );
        assert_eq!(code(&m, "Kyoto University, Kyoto 606-8501, Japan").as_deref(), Some("0014301"));
        // Osaka alone is not Osaka University.
        assert_eq!(m.match_affiliation("Osaka, Japan"), KakenMatch::NoMatch);
        // One English name, two codes: refused.
        match m.match_affiliation("Tokyo Women's Medical University, School of Nursing") {
            KakenMatch::Ambiguous(found) => assert_eq!(found.len(), 2),
            other => panic!("expected ambiguous, got {other:?}"),
        }
    }

    #[test]
    fn english_name_written_in_japanese_is_a_japanese_key() {
        let m = matcher();
        assert_eq!(code(&m, "湘南医療大学 保健医療学部").as_deref(), Some("382698"));
    }
}
