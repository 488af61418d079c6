//! Tortured phrases (`TOR001`): a lexicon of published tortured phrases matched with Aho-Corasick, an
//! allow-list of ordinary phrases the noisy lists contain, and a grade by density rather than by one hit.
//!
//! Lexicon files (see `shared/data/lexicons/SOURCE.md`): the Problematic Paper Screener (PPS) exports as CSV
//! (`"Fingerprint - Tortured Phrase","Expected Text",…`, the fingerprint a query whose first quoted phrase
//! is the tortured phrase), their normalised TSVs, the `torturedcheck` JSON (`{phrases: [{tortured,
//! correct}]}`), and users' own TSV (`tortured<TAB>expected`, header optional, `#` comments).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use byline_model::{Evidence, Finding, Severity, Subject, Work};
use serde::{Deserialize, Serialize};

use crate::detector::{Detector, Scope};
use crate::text::{collapse_whitespace, word_count, work_text};
use crate::{Error, Result};

/// The reviewed allow-list shipped with the crate (`data/allowlist.txt`).
pub const SHIPPED_ALLOWLIST: &str = include_str!("../data/allowlist.txt");

/// Density thresholds for grading. The numbers are the ones proposed in the project's issue 6 (paper-mill
/// detection), which follows the Problematic Paper Screener practice of never flagging on one hit: PPS
/// itself lists papers for human review only from several distinct tortured phrases.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TorturedThresholds {
    /// At or above this many hits per 1,000 words and [`Self::suspicious_min_distinct`] distinct phrases,
    /// a work is "suspicious" (issue 6: 0.6 and 3).
    pub suspicious_per_1k_words: f64,
    pub suspicious_min_distinct: usize,
    /// At or above this density and [`Self::high_min_distinct`] distinct phrases, "high" (issue 6: 1.2 and 6).
    pub high_per_1k_words: f64,
    pub high_min_distinct: usize,
    /// Below this density a work is at most "low" whatever its distinct count (issue 6: 0.3).
    pub low_below_per_1k_words: f64,
}

impl Default for TorturedThresholds {
    fn default() -> Self {
        TorturedThresholds {
            suspicious_per_1k_words: 0.6,
            suspicious_min_distinct: 3,
            high_per_1k_words: 1.2,
            high_min_distinct: 6,
            low_below_per_1k_words: 0.3,
        }
    }
}

/// The grade of one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TorturedGrade {
    None,
    Low,
    Suspicious,
    High,
}

impl TorturedGrade {
    pub fn severity(self) -> Severity {
        match self {
            TorturedGrade::None => Severity::Info,
            TorturedGrade::Low => Severity::Low,
            TorturedGrade::Suspicious => Severity::Medium,
            TorturedGrade::High => Severity::High,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TorturedGrade::None => "none",
            TorturedGrade::Low => "low",
            TorturedGrade::Suspicious => "suspicious",
            TorturedGrade::High => "high",
        }
    }
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LexiconEntry {
    /// Lower case, whitespace collapsed.
    pub tortured: String,
    /// The established phrase it replaces, as the list writes it.
    pub expected: String,
    /// File names that list it.
    pub sources: Vec<String>,
}

/// Why a listed phrase is not matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedPhrase {
    pub tortured: String,
    pub expected: String,
    /// `allowlist` (reviewed, see `data/allowlist.txt`) or `self_referential` (the phrase is part of its own
    /// "expected" text, e.g. `machine learning` → `discriminative learning (machine learning)`).
    pub reason: String,
}

/// A set of tortured phrases ready to match.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Active entries, sorted by phrase; the automaton's pattern ids index this.
    entries: Vec<LexiconEntry>,
    excluded: Vec<ExcludedPhrase>,
    automaton: AhoCorasick,
}

/// One occurrence of a phrase in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseHit {
    /// Index into [`Lexicon::entries`].
    pub entry: usize,
    /// Byte range in the whitespace-collapsed text.
    pub start: usize,
    pub end: usize,
}

/// What a text's tortured phrases add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TorturedAssessment {
    pub words: usize,
    pub total_hits: usize,
    pub distinct: usize,
    pub per_1k_words: f64,
    pub grade: TorturedGrade,
    /// (tortured, expected, count), sorted by phrase.
    pub phrases: Vec<(String, String, usize)>,
}

impl Lexicon {
    /// Builds a lexicon from files (format chosen by extension: `.json`, `.csv`, anything else TSV) minus an
    /// allow-list (text in the `data/allowlist.txt` format; pass [`SHIPPED_ALLOWLIST`] for the reviewed one).
    pub fn from_files<P: AsRef<Path>>(paths: &[P], allowlist: &str) -> Result<Lexicon> {
        let mut pairs = Vec::new();
        for p in paths {
            let p = p.as_ref();
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let parsed = match ext.as_str() {
                "json" => parse_json(&text).map_err(|r| Error::format(p.display(), r))?,
                "csv" => parse_csv(&text).map_err(|r| Error::format(p.display(), r))?,
                _ => parse_tsv(&text),
            };
            pairs.extend(parsed.into_iter().map(|(t, e)| (t, e, name.clone())));
        }
        Lexicon::from_pairs(pairs, allowlist)
    }

    /// The three PPS-derived lists in a `lexicons/` folder (torturedcheck JSON and both PPS CSV exports).
    pub fn from_shared_dir(dir: &Path, allowlist: &str) -> Result<Lexicon> {
        let files = [
            "torturedcheck_tortured_phrases.json",
            "pps_tortured_phrases_2025-11_hahuyhoang411.csv",
            "pps_tortured_phrases_2025-07_karchus.csv",
        ];
        let paths: Vec<_> = files.iter().map(|f| dir.join(f)).collect();
        Lexicon::from_files(&paths, allowlist)
    }

    /// Builds a lexicon from (tortured, expected, source) triples.
    pub fn from_pairs(pairs: Vec<(String, String, String)>, allowlist: &str) -> Result<Lexicon> {
        let allowed = parse_allowlist(allowlist);
        let mut merged: BTreeMap<String, LexiconEntry> = BTreeMap::new();
        for (t, e, src) in pairs {
            let tortured = collapse_whitespace(&t.to_lowercase());
            let tortured = tortured.trim_matches(|c: char| c == '"' || c.is_whitespace()).to_owned();
            if tortured.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
                continue;
            }
            let entry = merged.entry(tortured.clone()).or_insert_with(|| LexiconEntry {
                tortured,
                expected: e.trim().to_owned(),
                sources: Vec::new(),
            });
            if !entry.sources.contains(&src) {
                entry.sources.push(src);
            }
        }
        let mut entries = Vec::new();
        let mut excluded = Vec::new();
        for (_, entry) in merged {
            let reason = if allowed.contains(&entry.tortured) {
                Some("allowlist")
            } else if is_self_referential(&entry.tortured, &entry.expected) {
                Some("self_referential")
            } else {
                None
            };
            match reason {
                Some(r) => excluded.push(ExcludedPhrase {
                    tortured: entry.tortured,
                    expected: entry.expected,
                    reason: r.to_owned(),
                }),
                None => entries.push(entry),
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(entries.iter().map(|e| e.tortured.as_str()))
            .map_err(|e| Error::format("lexicon", e.to_string()))?;
        Ok(Lexicon { entries, excluded, automaton })
    }

    pub fn entries(&self) -> &[LexiconEntry] {
        &self.entries
    }

    /// Listed phrases that are not matched, and why.
    pub fn excluded(&self) -> &[ExcludedPhrase] {
        &self.excluded
    }

    /// Every hit in `text` (whitespace collapsed first), leftmost-longest, ASCII case-insensitive, and only where
    /// the phrase starts and ends on a word boundary. Offsets refer to the collapsed text.
    ///
    /// Limitation: leftmost-longest matching does not report a shorter phrase overlapping a longer candidate
    /// that failed the boundary check; such overlaps are rare in these lists.
    pub fn find(&self, text: &str) -> Vec<PhraseHit> {
        let text = collapse_whitespace(text);
        self.find_collapsed(&text)
    }

    fn find_collapsed(&self, text: &str) -> Vec<PhraseHit> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for m in self.automaton.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let boundary_before = s == 0 || !is_word_byte(bytes, s - 1) || !is_word_byte(bytes, s);
            let boundary_after = e >= bytes.len() || !is_word_byte(bytes, e) || !is_word_byte(bytes, e - 1);
            if boundary_before && boundary_after {
                out.push(PhraseHit { entry: m.pattern().as_usize(), start: s, end: e });
            }
        }
        out
    }

    /// Counts, density and grade of one text.
    pub fn assess(&self, text: &str, thresholds: &TorturedThresholds) -> TorturedAssessment {
        let collapsed = collapse_whitespace(text);
        let hits = self.find_collapsed(&collapsed);
        let words = word_count(&collapsed);
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for h in &hits {
            *counts.entry(h.entry).or_default() += 1;
        }
        let per_1k_words = if words == 0 { 0.0 } else { hits.len() as f64 * 1000.0 / words as f64 };
        let distinct = counts.len();
        let grade = grade(hits.len(), distinct, per_1k_words, thresholds);
        let mut phrases: Vec<(String, String, usize)> = counts
            .into_iter()
            .map(|(i, c)| (self.entries[i].tortured.clone(), self.entries[i].expected.clone(), c))
            .collect();
        phrases.sort();
        TorturedAssessment { words, total_hits: hits.len(), distinct, per_1k_words, grade, phrases }
    }
}

/// The grade for counts and a density (see [`TorturedThresholds`]).
pub fn grade(total_hits: usize, distinct: usize, per_1k_words: f64, t: &TorturedThresholds) -> TorturedGrade {
    if total_hits == 0 {
        TorturedGrade::None
    } else if per_1k_words < t.low_below_per_1k_words {
        TorturedGrade::Low
    } else if per_1k_words >= t.high_per_1k_words && distinct >= t.high_min_distinct {
        TorturedGrade::High
    } else if per_1k_words >= t.suspicious_per_1k_words && distinct >= t.suspicious_min_distinct {
        TorturedGrade::Suspicious
    } else {
        TorturedGrade::Low
    }
}

fn is_word_byte(bytes: &[u8], i: usize) -> bool {
    // Non-ASCII bytes belong to letters in practice (accented words), so they count as word characters.
    bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
}

fn is_self_referential(tortured: &str, expected: &str) -> bool {
    let norm = |s: &str| -> String {
        s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let (t, e) = (norm(tortured), norm(expected));
    !t.is_empty() && format!(" {e} ").contains(&format!(" {t} "))
}

/// Parses an allow-list: one phrase a line, `#` starts a comment, case-insensitive.
pub fn parse_allowlist(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| collapse_whitespace(&l.to_lowercase()))
        .collect()
}

fn parse_tsv(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let t = cols.next().unwrap_or("").trim();
        let e = cols.next().unwrap_or("").trim();
        if i == 0 && is_header(t) {
            continue;
        }
        out.push((t.to_owned(), e.to_owned()));
    }
    out
}

fn is_header(first: &str) -> bool {
    let f = first.to_ascii_lowercase();
    f == "tortured" || f == "tortured_phrase" || f.starts_with("fingerprint")
}

fn parse_csv(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        let t = rec.get(0).unwrap_or("").trim();
        if i == 0 && is_header(t) {
            continue;
        }
        out.push((first_quoted_phrase(t), rec.get(1).unwrap_or("").trim().to_owned()));
    }
    Ok(out)
}

/// A PPS fingerprint is a query (`"surface region" AND "surface area"`): its first quoted phrase is the
/// tortured phrase. A plain cell is returned as is.
fn first_quoted_phrase(cell: &str) -> String {
    if let Some(rest) = cell.strip_prefix('"')
        && let Some(end) = rest.find('"')
    {
        return rest[..end].to_owned();
    }
    cell.to_owned()
}

fn parse_json(text: &str) -> Result<Vec<(String, String)>, String> {
    #[derive(Deserialize)]
    struct Pair {
        #[serde(alias = "tortured_phrase")]
        tortured: String,
        #[serde(alias = "expected", alias = "expected_text", alias = "expected_phrase", default)]
        correct: String,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Doc {
        Wrapped { phrases: Vec<Pair> },
        Bare(Vec<Pair>),
    }
    let doc: Doc = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let pairs = match doc {
        Doc::Wrapped { phrases } => phrases,
        Doc::Bare(p) => p,
    };
    Ok(pairs.into_iter().map(|p| (p.tortured, p.correct)).collect())
}

/// Tortured phrases per venue: how many works each venue has, how many are graded suspicious or high, and
/// the total of hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VenueTortured {
    pub venue: String,
    pub works: usize,
    pub works_flagged: usize,
    pub total_hits: usize,
}

/// Counts per venue (venue = journal title, else abbreviation, else ISSN, else `(unknown)`), sorted by venue.
pub fn venue_counts(works: &[Work], lexicon: &Lexicon, thresholds: &TorturedThresholds) -> Vec<VenueTortured> {
    use rayon::prelude::*;
    let per_work: Vec<(String, TorturedAssessment)> =
        works.par_iter().map(|w| (venue_name(w), lexicon.assess(&work_text(w), thresholds))).collect();
    let mut map: BTreeMap<String, VenueTortured> = BTreeMap::new();
    for (venue, a) in per_work {
        let v = map.entry(venue.clone()).or_insert(VenueTortured { venue, works: 0, works_flagged: 0, total_hits: 0 });
        v.works += 1;
        v.total_hits += a.total_hits;
        if a.grade >= TorturedGrade::Suspicious {
            v.works_flagged += 1;
        }
    }
    map.into_values().collect()
}

/// The name a venue is counted under.
pub fn venue_name(work: &Work) -> String {
    work.venue
        .title
        .clone()
        .or_else(|| work.venue.abbreviation.clone())
        .or_else(|| work.venue.issns.first().cloned())
        .unwrap_or_else(|| "(unknown)".to_owned())
}

/// ## What it does
/// Finds tortured phrases from the loaded lexicons (Problematic Paper Screener lists and users' own) in a
/// work's title, abstract and acknowledgements, and grades the work by density: hits per 1,000 words and
/// distinct phrases ([`TorturedThresholds`]).
///
/// ## Why it matters
/// Paper mills disguise plagiarism with synonym-spinning software that turns "artificial intelligence" into
/// "counterfeit consciousness"; such phrases are the fingerprint behind hundreds of retractions (Cabanac,
/// Labbé & Magazinov 2021).
///
/// ## Known false positives
/// The published lists contain ordinary phrases ("neural network", "machine learning"); the reviewed
/// allow-list (`data/allowlist.txt`) and the self-referential rule remove those measured on real PubMed
/// abstracts, but field jargon can still look tortured. Non-native writing produces isolated odd phrases:
/// hence no grade above "low" for one hit.
///
/// ## Example
/// "We used a counterfeit consciousness approach with a profound learning model and irregular woodland
/// classifier" → three distinct phrases in 15 words: `high` only if six distinct, so `suspicious`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TorturedPhrases<'a> {
    /// The loaded lexicon; without one the detector emits nothing.
    pub lexicon: Option<&'a Lexicon>,
    pub thresholds: TorturedThresholds,
}

impl TorturedPhrases<'_> {
    pub const CODE: &'static str = "TOR001";
}

impl Detector for TorturedPhrases<'_> {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    fn name(&self) -> &'static str {
        "tortured-phrases"
    }
    fn scope(&self) -> Scope {
        Scope::PerWork
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        use rayon::prelude::*;
        let Some(lexicon) = self.lexicon else { return Vec::new() };
        works.par_iter().filter_map(|w| tortured_finding(w, lexicon, &self.thresholds)).collect()
    }
}

/// The `TOR001` finding for one work, if it has any hit.
pub fn tortured_finding(work: &Work, lexicon: &Lexicon, thresholds: &TorturedThresholds) -> Option<Finding> {
    let a = lexicon.assess(&work_text(work), thresholds);
    if a.total_hits == 0 {
        return None;
    }
    let list: Vec<String> = a.phrases.iter().map(|(t, e, c)| format!("\"{t}\" (expected \"{e}\") ×{c}")).collect();
    let reasons = vec![
        format!(
            "{} tortured-phrase hit(s), {} distinct, in {} words: {:.2} per 1,000 words, graded {}.",
            a.total_hits,
            a.distinct,
            a.words,
            a.per_1k_words,
            a.grade.as_str()
        ),
        format!("Phrases: {}.", list.join("; ")),
    ];
    let evidence = a
        .phrases
        .iter()
        .map(|(t, e, _)| Evidence {
            kind: "phrase".to_owned(),
            work_id: Some(work.work_id.clone()),
            doi: work.ids.doi.clone(),
            pmid: work.ids.pmid.clone(),
            text: Some(format!("{t} → {e}")),
        })
        .collect();
    let score = (a.per_1k_words / (2.0 * thresholds.high_per_1k_words)).min(1.0)
        * (a.distinct as f64 / thresholds.high_min_distinct as f64).min(1.0);
    Some(Finding {
        code: TorturedPhrases::CODE.to_owned(),
        subject: Subject::Work { work_id: work.work_id.clone() },
        severity: a.grade.severity(),
        score,
        reasons,
        evidence,
    })
}
