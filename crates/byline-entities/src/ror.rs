//! Institution matching: the ROR registry (schema v2) as a dictionary, and a matcher from raw affiliation
//! strings to ROR ids that abstains rather than guesses.
//!
//! How a string is matched ([`InstitutionMatcher::match_affiliation`]):
//! 1. The string is cut into segments at commas and semicolons and normalized ([`crate::text`]: diacritics,
//!    `Univ.` → `university`, plurals, CJK bigrams).
//! 2. Candidates come from an inverted index: every registry name (display name, labels in other languages,
//!    aliases) is filed under its rarest token (two rarest for names of three tokens or more), so a string
//!    meets only the names that share a distinctive word with it — never a scan of the registry.
//! 3. Each candidate name is scored on the smallest window of one to three consecutive segments holding its
//!    tokens: IDF-weighted coverage of the name's tokens (Jaro–Winkler for typos in long names), whether the
//!    window *is* the name (same token set in any order: "Tokyo Univ." ≈ "The University of Tokyo"), and how
//!    much of the window the name leaves unexplained. A school, college or faculty may stand for a name's
//!    missing "University" ("Harvard Medical School").
//! 4. A country written in the string (or its e-mail domain) is a constraint: candidates elsewhere are dropped.
//! 5. Two different organisations with the same name and no country to tell them apart lower the score and
//!    are marked ambiguous: the matcher abstains.
//! 6. A trained ranker ([`Ranker`], gradient-boosted trees of [`crate::gbdt`]) reorders the best
//!    [`RANKED`] candidates and gives each a confidence, the probability that it is the organisation the
//!    string is asserted for. Its features ([`RANK_FEATURES`]) are facts of the string and the registry:
//!    the score, where in the string the name stands, what else the string names, the organisation's type,
//!    size (child records) and parents. It was trained on the tuning half of the ROR gold pairs in shared
//!    data (`--example train_ror_ranker`; the file is `ror_ranker.json`, deterministic), and its threshold
//!    ([`InstitutionMatcher::threshold`]) was read off out-of-fold predictions at precision 0.95. On the
//!    held-out half it never saw it cuts wrong matches by a third against the score order (test
//!    `ror_gold_curve` measures both in one run). An ambiguous candidate keeps confidence 0. Each ranked
//!    candidate's why ends with its confidence and what weighed most for and against it, in words
//!    ([`Ranker::assess`]): "confidence 0.82 (for it: how well the name reads, its units in the registry;
//!    against it: its name read without the place), 1 of 3 candidates".
//!
//! Acronyms ("MIT") match a whole segment or the first word of one ("NYU Grossman School of Medicine"),
//! only when at most [`MAX_ACRONYM_ORGS`] organisations in the string's country have them.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::EntitiesError;
use crate::affiliation::parse_affiliation;
use crate::text;

/// Name score at which a name reads well: [`InstitutionMatcher::match_all`] takes every such name, and a
/// matcher without a ranker accepts its best candidate at it. Read off the precision/recall curve of the
/// score order over the ROR gold pairs in shared data (test `ror_gold_curve`, release build): on the 13,588
/// pairs whose gold id is in the 35,990-record registry subset, 0.80 gives precision 0.927 at recall 0.861.
/// The ranked matcher accepts by confidence instead ([`InstitutionMatcher::threshold`]).
pub const DEFAULT_MATCH_THRESHOLD: f64 = 0.80;

/// Minimum IDF-weighted share of a name's tokens the string must contain for the name to be scored.
const MIN_COVERAGE: f64 = 0.85;

/// Jaro–Winkler similarity above which two tokens of six letters or more count as the same (typos such as
/// "Univeristy"); below 0.92 unrelated place names start to meet.
const TYPO_SIMILARITY: f64 = 0.92;

/// Names whose tokens weigh less than this (in summed IDF) are generic ("Medical Center", "Hospital") and
/// match only when they are a whole segment.
const WEAK_NAME_WEIGHT: f64 = 6.0;

/// The most segments a name may span ("Institute of Physics, Chinese Academy of Sciences" spans two).
const MAX_WINDOW: usize = 3;

/// What kind of name a registry name is (ROR v2 `names[].types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Display,
    Label,
    Alias,
    Acronym,
}

/// One name of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgName {
    pub value: String,
    pub kind: NameKind,
    pub lang: Option<String>,
}

/// One ROR organisation, the fields matching and reporting need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Short ROR id (`05dxps055`).
    pub id: String,
    pub display_name: String,
    pub names: Vec<OrgName>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    pub city: Option<String>,
    /// `active`, `inactive` or `withdrawn`.
    pub status: String,
    pub types: Vec<String>,
    pub domains: Vec<String>,
    /// Short ROR ids of parent organisations.
    pub parents: Vec<String>,
    /// Child organisations the record lists (units, hospitals, campuses): a proxy for size.
    #[serde(default)]
    pub children: u32,
    /// Crossref Funder ids (`501100001809`) the record links.
    pub fundref: Vec<String>,
}

/// The ROR registry in memory.
#[derive(Debug, Clone, Default)]
pub struct RorRegistry {
    orgs: Vec<Organization>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
    by_fundref: HashMap<String, usize>,
}

impl Organization {
    /// An active organisation with one display name and nothing else (tests, user-built registries).
    pub fn named(id: &str, display_name: &str, country_code: &str) -> Organization {
        Organization {
            id: id.into(),
            display_name: display_name.into(),
            names: vec![OrgName { value: display_name.into(), kind: NameKind::Display, lang: None }],
            country_code: Some(country_code.into()),
            country_name: None,
            city: None,
            status: "active".into(),
            types: vec![],
            domains: vec![],
            parents: vec![],
            children: 0,
            fundref: vec![],
        }
    }
}

impl RorRegistry {
    /// Loads a ROR v2 data dump: a JSON array of records, gzip-compressed when the path ends in `.gz`.
    pub fn load(path: &Path) -> Result<RorRegistry, EntitiesError> {
        let display = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| EntitiesError::Io { path: display.clone(), source })?;
        let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
        } else {
            Box::new(std::io::BufReader::new(file))
        };
        RorRegistry::from_reader(reader, &display)
    }

    /// Reads a ROR v2 JSON array from any reader; `path` names it in errors.
    pub fn from_reader(reader: impl Read, path: &str) -> Result<RorRegistry, EntitiesError> {
        let records: Vec<RorRecord> =
            serde_json::from_reader(reader).map_err(|source| EntitiesError::Json { path: path.to_owned(), source })?;
        Ok(RorRegistry::from_organizations(records.into_iter().filter_map(RorRecord::into_organization).collect()))
    }

    /// A registry from organisations already built (tests, other sources).
    pub fn from_organizations(mut orgs: Vec<Organization>) -> RorRegistry {
        orgs.sort_by(|a, b| a.id.cmp(&b.id));
        let mut reg = RorRegistry { orgs, ..RorRegistry::default() };
        for (i, org) in reg.orgs.iter().enumerate() {
            reg.by_id.insert(org.id.clone(), i);
            for d in &org.domains {
                reg.by_domain.entry(d.to_ascii_lowercase()).or_insert(i);
            }
            for f in &org.fundref {
                reg.by_fundref.entry(f.clone()).or_insert(i);
            }
        }
        reg
    }

    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }

    pub fn organizations(&self) -> &[Organization] {
        &self.orgs
    }

    /// The organisation with this ROR id (short or URL form).
    pub fn get(&self, ror_id: &str) -> Option<&Organization> {
        let id = byline_model::normalize_ror(ror_id)?;
        self.by_id.get(&id).map(|i| &self.orgs[*i])
    }

    /// The organisation that runs an e-mail or web domain (`med.harvard.edu` → the record listing
    /// `harvard.edu`), trying the domain and then each parent domain.
    pub fn org_for_domain(&self, domain: &str) -> Option<&Organization> {
        let domain = domain.trim().to_ascii_lowercase();
        let mut rest = domain.as_str();
        loop {
            if let Some(i) = self.by_domain.get(rest) {
                return Some(&self.orgs[*i]);
            }
            let (_, tail) = rest.split_once('.')?;
            if !tail.contains('.') {
                return None;
            }
            rest = tail;
        }
    }

    /// The organisation a Crossref Funder id (`10.13039/501100001809` or `501100001809`) is linked to.
    pub fn org_for_fundref(&self, funder_id: &str) -> Option<&Organization> {
        let id = funder_id.trim().rsplit('/').next().unwrap_or(funder_id);
        self.by_fundref.get(id).map(|i| &self.orgs[*i])
    }
}

/// A match of an affiliation string to an organisation, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionMatch {
    /// Short ROR id.
    pub ror_id: String,
    pub display_name: String,
    pub country_code: Option<String>,
    /// In `[0, 1]`; compare with [`DEFAULT_MATCH_THRESHOLD`].
    pub score: f64,
    /// The registry name that matched.
    pub matched_name: String,
    pub matched_kind: NameKind,
    /// The part of the string it matched.
    pub matched_text: String,
    /// A sentence saying why.
    pub why: String,
    /// The parts of the string it matched: first part's index and how many ([`text::segments`], e-mail
    /// parts left out). Two matches whose spans overlap read the same words.
    #[serde(skip)]
    pub span: (u32, u32),
    /// Another organisation has the same name and nothing tells them apart (the score was lowered).
    #[serde(skip)]
    pub ambiguous: bool,
    /// How likely this is the organisation the string is asserted for, in `[0, 1]`: the trained
    /// candidate ranker's probability ([`crate::ror`] module docs), or the score when the matcher has no
    /// ranker. [`InstitutionMatcher::match_affiliation`] compares it with [`InstitutionMatcher::threshold`].
    #[serde(default)]
    pub confidence: f64,
    /// How the name was read, for the ranker.
    #[serde(skip)]
    pub traits: MatchTraits,
}

/// How a candidate's name was read: the facts the ranker weighs besides the score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchTraits {
    /// A registry name with its place qualifier removed.
    pub derived: bool,
    /// The rest of the window names a school, college or faculty of it.
    pub unit: bool,
    /// A generic unit name ("Institute of Virology").
    pub generic: bool,
    /// A country read from the string agrees with the organisation's.
    pub country_agrees: bool,
    /// A softer country hint (a US state) points elsewhere.
    pub hint_differs: bool,
    /// How many parts the string was cut into.
    pub parts: u32,
    /// The name's "University" was missing; a school, college or faculty named with its other words stood
    /// in for it.
    pub headless: bool,
    /// An acronym read as the first word of a longer part ("NYU Grossman School of Medicine").
    pub acronym_prefix: bool,
    /// For an acronym: how many organisations have it (in the string's country, when one is read).
    pub acronym_orgs: u32,
    /// Others share the name, and this one won the tie by its many units in the registry.
    pub prominent: bool,
}

#[derive(Debug, Clone)]
struct IndexedName {
    org: u32,
    name: u32,
    /// Distinct informative token ids, sorted.
    tokens: Vec<u32>,
    /// Informative token ids in the name's order.
    ordered: Vec<u32>,
    weight: f64,
    /// A generic unit name ("Department of Plant Biology", "Institute of Virology"): many organisations
    /// could carry it, so it needs the country to agree and still scores lower.
    generic: bool,
    /// For a short form derived from a registry name (its place qualifier removed, see
    /// [`without_place_qualifier`]): the short form's text.
    derived: Option<String>,
}

/// First words that make a short name generic (see [`IndexedName::generic`]).
const GENERIC_FIRST_WORDS: &[&str] = &[
    "department",
    "division",
    "faculty",
    "school",
    "laboratory",
    "section",
    "unit",
    "program",
    "institute",
    "center",
    "college",
    "clinic",
    "graduate",
    "research",
];

/// Longest name (in informative tokens) that can be generic.
const GENERIC_MAX_TOKENS: usize = 3;

/// Factor for a generic name ([`GENERIC_FIRST_WORDS`]); with the country unknown it is applied twice.
const GENERIC_FACTOR: f64 = 0.8;

/// Factor for a window holding the name's tokens in another order ("University of Washington" is not
/// "Washington University").
const REORDERED_FACTOR: f64 = 0.94;

/// The matcher: the registry plus its token index. Build once (about a second for 36k records), share
/// across threads.
#[derive(Debug)]
pub struct InstitutionMatcher {
    registry: RorRegistry,
    names: Vec<IndexedName>,
    token_ids: HashMap<String, u32>,
    token_text: Vec<String>,
    idf: Vec<f64>,
    /// The largest IDF, the weight an unknown word carries.
    max_idf: f64,
    /// Per token: its letter profile, for the typo bound.
    token_profiles: Vec<LetterProfile>,
    anchors: HashMap<u32, Vec<u32>>,
    /// Upper-case acronym → organisation indexes.
    acronyms: HashMap<String, Vec<u32>>,
    /// Per organisation: the normalized tokens of its city and country name, which a window may hold
    /// without them counting against the name ("Yale University New Haven").
    place_words: Vec<Vec<String>>,
    /// Orders candidates and gives their confidence; `None` ranks by score.
    ranker: Option<Ranker>,
}

/// A trained candidate ranker ([`crate::gbdt`]) and the confidence at which a best candidate is a match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranker {
    /// Where its training data came from and what it measured (free text).
    pub trained_on: String,
    pub threshold: f64,
    pub model: crate::gbdt::Model,
}

impl Ranker {
    /// The ranker shipped with byline (`ror_ranker.json`, made by the `train_ror_ranker` example).
    pub fn bundled() -> Ranker {
        serde_json::from_str(include_str!("ror_ranker.json")).expect("the bundled ranker is valid JSON")
    }

    /// A candidate's confidence, and what weighed most for and against it in words, from one walk of the
    /// trees: the model's log-odds split by feature ([`crate::gbdt::Model::contributions`]), features of one
    /// kind summed under one phrase ([`feature_phrase`]; a yes/no fact only when it is so); at most two for
    /// and one against, each moving the odds by at least [`REASON_MIN_LOG_ODDS`]. The words are empty when
    /// none does.
    pub fn assess(&self, row: &[f64]) -> (f64, String) {
        let (bias, by_feature) = self.model.contributions(row);
        let confidence = 1.0 / (1.0 + (-(bias + by_feature.iter().sum::<f64>())).exp());
        let mut by_phrase: Vec<(&'static str, f64)> = Vec::new();
        for ((name, c), x) in self.model.features.iter().zip(by_feature).zip(row) {
            let Some(phrase) = feature_phrase(name, *x) else { continue };
            match by_phrase.iter_mut().find(|(p, _)| *p == phrase) {
                Some(e) => e.1 += c,
                None => by_phrase.push((phrase, c)),
            }
        }
        by_phrase.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
        let pick = |positive: bool, n: usize| -> Vec<&str> {
            by_phrase
                .iter()
                .filter(|(_, c)| c.abs() >= REASON_MIN_LOG_ODDS && (*c > 0.0) == positive)
                .take(n)
                .map(|(p, _)| *p)
                .collect()
        };
        let (pro, con) = (pick(true, 2), pick(false, 1));
        let mut parts = Vec::new();
        if !pro.is_empty() {
            parts.push(format!("for it: {}", pro.join(", ")));
        }
        if !con.is_empty() {
            parts.push(format!("against it: {}", con.join(", ")));
        }
        (confidence, if parts.is_empty() { String::new() } else { format!(" ({})", parts.join("; ")) })
    }
}

/// Smallest change in log-odds a reason must make to be named (0.5: the odds move by a factor of 1.6), so that
/// a match's why names only what moved it noticeably.
pub const REASON_MIN_LOG_ODDS: f64 = 0.5;

/// The words for a ranker feature ([`RANK_FEATURES`]) at a value; features of one kind share them. A yes/no
/// feature has words only when it holds (a name *not* read without its place is no reason to name).
pub fn feature_phrase(feature: &str, value: f64) -> Option<&'static str> {
    let holds = value != 0.0;
    let flag = |p: &'static str| holds.then_some(p);
    Some(match feature {
        "score" | "gap_to_top" | "rank" => "how well the name reads",
        "start_fraction" | "end_fraction" | "at_end" | "first_named" | "last_named" | "named_before" => {
            "where the string names it"
        }
        "parts_read" | "parts" => "how the string is cut",
        "matched_in_string" | "overlapping_candidates" => "other readings of the string",
        "log_children" => "its units in the registry",
        "acronym_orgs" => "organisations sharing the acronym",
        "other_institutions_education" | "other_institutions_larger" | "other_institutions" => {
            "the other institutions named"
        }
        "ambiguous" => return flag("another organisation has the name"),
        "derived" => return flag("its name read without the place"),
        "unit" => return flag("a school or faculty of it is named"),
        "generic" => return flag("a generic unit name"),
        "country_agrees" => return flag("the country agrees"),
        "hint_differs" => return flag("the string points to another country"),
        "has_parent" => return flag("it has a parent organisation"),
        "parent_of_candidate" => return flag("a unit of it is named too"),
        "child_of_candidate" => return flag("its parent is named too"),
        "active" => return if holds { Some("its status in the registry") } else { Some("it is no longer active") },
        "headless" => return flag("a school standing for the university"),
        "acronym_prefix" => return flag("an acronym opening a part"),
        "type_education" => return flag("a university or college"),
        "type_healthcare" => return flag("a hospital or health service"),
        "type_facility" => return flag("a research facility"),
        "type_government" => return flag("a government body"),
        "type_nonprofit" => return flag("a non-profit"),
        "type_company" => return flag("a company"),
        "type_funder" => return flag("a funder"),
        "type_archive" => return flag("an archive"),
        "kind_display" => return flag("its registry name matched"),
        "kind_label" => return flag("a label in another language matched"),
        "kind_alias" => return flag("an alias matched"),
        "kind_acronym" => return flag("an acronym matched"),
        _ => "other facts",
    })
}

/// How many of the best-scoring candidates the ranker reorders: on the tuning half of the ROR gold the gold
/// organisation is ranked lower by score for 45 of 6,772 strings (0.7 %).
pub const RANKED: usize = 6;

/// A candidate at or above this score is one of the string's "strong" readings for the ranker's features
/// (what else the string names); lower readings are mostly stray words.
const RANK_STRONG: f64 = 0.6;

/// Registry types the ranker sees as features.
const RANK_TYPES: [&str; 8] =
    ["education", "healthcare", "facility", "government", "nonprofit", "company", "funder", "archive"];

/// The ranker's feature names, in [`InstitutionMatcher::ranking_features`] order.
pub const RANK_FEATURES: [&str; 42] = [
    "score",
    "rank",
    "gap_to_top",
    "start_fraction",
    "end_fraction",
    "at_end",
    "parts_read",
    "parts",
    "first_named",
    "last_named",
    "ambiguous",
    "derived",
    "unit",
    "generic",
    "country_agrees",
    "hint_differs",
    "matched_in_string",
    "log_children",
    "has_parent",
    "parent_of_candidate",
    "child_of_candidate",
    "type_education",
    "type_healthcare",
    "type_facility",
    "type_government",
    "type_nonprofit",
    "type_company",
    "type_funder",
    "type_archive",
    "active",
    "kind_display",
    "kind_label",
    "kind_alias",
    "kind_acronym",
    "overlapping_candidates",
    "named_before",
    "headless",
    "acronym_prefix",
    "acronym_orgs",
    "other_institutions_education",
    "other_institutions_larger",
    "other_institutions",
];

impl InstitutionMatcher {
    /// Indexes every name of every organisation that is not withdrawn.
    pub fn new(registry: RorRegistry) -> InstitutionMatcher {
        let mut token_ids: HashMap<String, u32> = HashMap::new();
        let mut token_text: Vec<String> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        let mut names = Vec::new();
        let mut acronyms: HashMap<String, Vec<u32>> = HashMap::new();
        let place_words: Vec<Vec<String>> = registry
            .orgs
            .iter()
            .map(|o| {
                let mut words: Vec<String> = [o.city.as_deref(), o.country_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .flat_map(text::tokens)
                    .collect();
                words.sort_unstable();
                words.dedup();
                words
            })
            .collect();
        for (oi, org) in registry.orgs.iter().enumerate() {
            if org.status == "withdrawn" {
                continue;
            }
            let mut seen_keys = HashSet::new();
            for (ni, name) in org.names.iter().enumerate() {
                if name.kind == NameKind::Acronym {
                    let key = name.value.trim().to_uppercase();
                    if key.chars().count() >= 2 {
                        let list = acronyms.entry(key).or_default();
                        if !list.contains(&(oi as u32)) {
                            list.push(oi as u32);
                        }
                    }
                    continue;
                }
                let short = without_place_qualifier(&name.value, org);
                for (value, derived) in std::iter::once((name.value.as_str(), None))
                    .chain(short.as_deref().map(|s| (s, Some(s.to_owned()))))
                {
                    let toks = text::tokens(value);
                    if toks.is_empty() || (derived.is_some() && toks.len() < 2) || !seen_keys.insert(toks.join(" ")) {
                        continue;
                    }
                    // A name made only of the organisation's own city or country words ("A-State" of a US
                    // university is "state") would match its address.
                    if toks.iter().all(|t| place_words[oi].binary_search(t).is_ok()) {
                        continue;
                    }
                    // One word of three letters or fewer ("Neo") is an acronym in all but name: it matches
                    // only as one (upper case, a whole part of the string, one organisation).
                    if let [only] = &toks[..]
                        && only.chars().count() <= 3
                    {
                        let list = acronyms.entry(only.to_uppercase()).or_default();
                        if !list.contains(&(oi as u32)) {
                            list.push(oi as u32);
                        }
                        continue;
                    }
                    let generic = toks.len() <= GENERIC_MAX_TOKENS
                        && toks.first().is_some_and(|t| GENERIC_FIRST_WORDS.contains(&t.as_str()));
                    let ordered: Vec<u32> = toks
                        .iter()
                        .map(|t| {
                            *token_ids.entry(t.clone()).or_insert_with(|| {
                                token_text.push(t.clone());
                                df.push(0);
                                (token_text.len() - 1) as u32
                            })
                        })
                        .collect();
                    let mut ids = ordered.clone();
                    ids.sort_unstable();
                    ids.dedup();
                    for id in &ids {
                        df[*id as usize] += 1;
                    }
                    names.push(IndexedName {
                        org: oi as u32,
                        name: ni as u32,
                        tokens: ids,
                        ordered,
                        weight: 0.0,
                        generic,
                        derived,
                    });
                }
            }
        }
        let n = names.len() as f64;
        let idf: Vec<f64> = df.iter().map(|d| ((n + 1.0) / (f64::from(*d) + 1.0)).ln() + 1.0).collect();
        let mut anchors: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, name) in names.iter_mut().enumerate() {
            name.weight = name.tokens.iter().map(|t| idf[*t as usize]).sum();
            let mut by_rarity = name.tokens.clone();
            by_rarity.sort_by(|a, b| idf[*b as usize].total_cmp(&idf[*a as usize]).then(a.cmp(b)));
            let take = if by_rarity.len() >= 3 { 2 } else { 1 };
            for t in by_rarity.into_iter().take(take) {
                anchors.entry(t).or_default().push(i as u32);
            }
        }
        let max_idf = idf.iter().copied().fold(1.0, f64::max);
        let token_profiles = token_text.iter().map(|t| LetterProfile::new(t)).collect();
        InstitutionMatcher {
            registry,
            names,
            token_ids,
            token_text,
            idf,
            max_idf,
            token_profiles,
            anchors,
            acronyms,
            place_words,
            ranker: Some(Ranker::bundled()),
        }
    }

    /// The same matcher with another ranker, or none (candidates by score, confidence = score).
    pub fn with_ranker(mut self, ranker: Option<Ranker>) -> InstitutionMatcher {
        self.ranker = ranker;
        self
    }

    /// The confidence at which [`InstitutionMatcher::match_affiliation`] accepts its best candidate: the
    /// ranker's threshold, or [`DEFAULT_MATCH_THRESHOLD`] without one.
    pub fn threshold(&self) -> f64 {
        self.ranker.as_ref().map_or(DEFAULT_MATCH_THRESHOLD, |r| r.threshold)
    }

    pub fn registry(&self) -> &RorRegistry {
        &self.registry
    }

    /// The best organisation for an affiliation string, when its confidence reaches
    /// [`InstitutionMatcher::threshold`]; otherwise `None`.
    pub fn match_affiliation(&self, raw: &str) -> Option<InstitutionMatch> {
        self.best_match(raw, None).filter(|m| m.confidence >= self.threshold())
    }

    /// The best candidate whatever its score (for curves and explanations); `country` overrides the
    /// country read from the string.
    pub fn best_match(&self, raw: &str, country: Option<&str>) -> Option<InstitutionMatch> {
        self.candidates(raw, country).into_iter().next()
    }

    /// Every organisation the string names, each at or above [`DEFAULT_MATCH_THRESHOLD`]: the best match,
    /// then each next best whose words do not overlap one already taken ("Institut Pasteur, Université
    /// Paris Cité" names two; "University of Michigan Medical School" names one, whichever of University
    /// of Michigan and Michigan Medicine reads it best). An ambiguous name is none of them, and its words
    /// are not read again as a weaker name.
    pub fn match_all(&self, raw: &str) -> Vec<InstitutionMatch> {
        let mut taken: Vec<InstitutionMatch> = Vec::new();
        // Words read as an ambiguous name are read: a weaker reading of them is not taken instead.
        let mut read: Vec<(u32, u32)> = Vec::new();
        let overlaps = |a: (u32, u32), b: (u32, u32)| a.0 < b.0 + b.1 && b.0 < a.0 + a.1;
        for c in self.candidates(raw, None) {
            if read.iter().any(|r| overlaps(*r, c.span)) {
                continue;
            }
            // A name that reads well, or the ranker's confident choice (an acronym, a school named for its
            // university).
            let accepted = c.score >= DEFAULT_MATCH_THRESHOLD || c.confidence >= self.threshold();
            if c.ambiguous {
                read.push(c.span);
            } else if accepted {
                read.push(c.span);
                taken.push(c);
            }
        }
        taken
    }

    /// Matches many strings in parallel (rayon), keeping order.
    pub fn match_many(&self, raws: &[&str]) -> Vec<Option<InstitutionMatch>> {
        raws.par_iter().map(|r| self.match_affiliation(r)).collect()
    }

    /// Candidates for an affiliation string, best first, one per organisation: by confidence (the ranker's
    /// order) among the first [`RANKED`] by score, then by score.
    pub fn candidates(&self, raw: &str, country: Option<&str>) -> Vec<InstitutionMatch> {
        let mut out = self.scored_candidates(raw, country);
        self.rank(&mut out);
        out
    }

    /// Candidates best first by score alone, before any ranker (confidence not yet set): the baseline the
    /// ranker is measured against, and its input ([`InstitutionMatcher::ranking_features`]).
    pub fn scored_candidates(&self, raw: &str, country: Option<&str>) -> Vec<InstitutionMatch> {
        let parsed;
        let country = match country {
            Some(c) => Some(c.to_ascii_uppercase()),
            None => {
                parsed = parse_affiliation(raw);
                parsed.country_code
            }
        };
        // A softer reading (a US state named inside the string) only ranks candidates, never excludes them.
        let hint = if country.is_none() { crate::country::country_hint(raw) } else { None };
        let segments: Vec<&str> = text::segments(raw).into_iter().filter(|s| !s.contains('@')).collect();
        let segments = &segments[..segments.len().min(64)];
        // Token id → bit mask of segments holding it; unknown tokens kept per segment for typo matching.
        let mut present: HashMap<u32, u64> = HashMap::new();
        let mut seg_tokens: Vec<Vec<Option<u32>>> = Vec::with_capacity(segments.len());
        let mut seg_words: Vec<Vec<String>> = Vec::with_capacity(segments.len());
        let mut seg_profiles: Vec<Vec<LetterProfile>> = Vec::with_capacity(segments.len());
        for (si, seg) in segments.iter().enumerate() {
            let toks = text::tokens(seg);
            seg_profiles.push(toks.iter().map(|t| LetterProfile::new(t)).collect());
            let ids: Vec<Option<u32>> = toks.iter().map(|t| self.token_ids.get(t).copied()).collect();
            for id in ids.iter().flatten() {
                *present.entry(*id).or_default() |= 1 << si;
            }
            seg_tokens.push(ids);
            seg_words.push(toks);
        }
        let mut cands: Vec<u32> = present.keys().filter_map(|t| self.anchors.get(t)).flatten().copied().collect();
        cands.sort_unstable();
        cands.dedup();
        let mut best_by_org: HashMap<u32, (f64, f64, InstitutionMatch)> = HashMap::new();
        for ci in cands {
            let name = &self.names[ci as usize];
            let org = &self.registry.orgs[name.org as usize];
            if let (Some(c), Some(oc)) = (&country, &org.country_code)
                && c != oc
            {
                continue;
            }
            if let Some(ScoredName { mut score, window, start, len, unit, headless }) =
                self.score_name(name, &present, &seg_tokens, &seg_words, &seg_profiles)
            {
                if name.generic {
                    score *= if country.is_some() { GENERIC_FACTOR } else { GENERIC_FACTOR * GENERIC_FACTOR };
                }
                if name.derived.is_some() {
                    score *= DERIVED_FACTOR;
                }
                let hint_differs = hint.is_some_and(|h| org.country_code.as_deref().is_some_and(|oc| oc != h));
                if hint_differs {
                    score *= HINT_FACTOR;
                }
                let on = &org.names[name.name as usize];
                let matched_name = name.derived.clone().unwrap_or_else(|| on.value.clone());
                let why = format!(
                    "the {} name \"{}\" of {} ({}) matches \"{}\"{}{}{}{}",
                    kind_word(on.kind),
                    on.value,
                    org.display_name,
                    org.id,
                    window,
                    if name.derived.is_some() { " without its place qualifier" } else { "" },
                    if unit { " (the rest names a school, college or faculty of it)" } else { "" },
                    if headless { " (a school, college or faculty of it stands for \"University\")" } else { "" },
                    if country.is_some() {
                        " and the country agrees"
                    } else if hint_differs {
                        "; the string points to another country"
                    } else {
                        ""
                    }
                );
                let m = InstitutionMatch {
                    ror_id: org.id.clone(),
                    display_name: org.display_name.clone(),
                    country_code: org.country_code.clone(),
                    score,
                    matched_name,
                    matched_kind: on.kind,
                    matched_text: window,
                    why,
                    span: (start as u32, len as u32),
                    ambiguous: false,
                    confidence: 0.0,
                    traits: MatchTraits {
                        derived: name.derived.is_some(),
                        unit,
                        generic: name.generic,
                        country_agrees: country.is_some(),
                        hint_differs,
                        parts: segments.len() as u32,
                        headless,
                        ..MatchTraits::default()
                    },
                };
                let entry = best_by_org.entry(name.org);
                match entry {
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        if score > o.get().0 {
                            o.insert((score, start as f64, m));
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert((score, start as f64, m));
                    }
                }
            }
        }
        self.add_acronym_candidates(segments, country.as_deref(), &mut best_by_org);
        // Ties go to the organisation named later in the string: publishers and the ROR gold sets assert the
        // main institution, which affiliation strings name after its units ("Lab X, Institute Y, University Z").
        let mut out: Vec<(f64, f64, InstitutionMatch)> = best_by_org.into_values().collect();
        out.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(active_rank(&self.registry, &a.2).cmp(&active_rank(&self.registry, &b.2)))
                .then(a.2.ror_id.cmp(&b.2.ror_id))
        });
        // Same name, same best score, different organisations: the one with many units of its own in the
        // registry (a research university and its institutes, hospitals, campuses) against one with none is
        // the likelier author affiliation; otherwise nothing tells them apart and the match is ambiguous.
        if out.len() >= 2 {
            let tied = out
                .iter()
                .take_while(|o| {
                    (o.0 - out[0].0).abs() < 1e-9
                        && text::name_key(&o.2.matched_name) == text::name_key(&out[0].2.matched_name)
                })
                .count();
            if tied >= 2 {
                let children =
                    |o: &(f64, f64, InstitutionMatch)| self.registry.get(&o.2.ror_id).map_or(0, |g| g.children);
                let (best, most) = (0..tied)
                    .map(|i| (i, children(&out[i])))
                    .max_by_key(|(i, c)| (*c, usize::MAX - i))
                    .unwrap_or((0, 0));
                let runner_up = (0..tied).filter(|i| *i != best).map(|i| children(&out[i])).max().unwrap_or(0);
                if most >= PROMINENT_MIN_CHILDREN && most >= PROMINENT_RATIO * (runner_up + 1) {
                    let mut chosen = out.remove(best);
                    chosen.2.traits.prominent = true;
                    chosen.2.why.push_str(&format!(
                        "; {} other organisation(s) share the name, this one has {most} units of its own in the registry",
                        tied - 1
                    ));
                    out.insert(0, chosen);
                }
            }
        }
        if out.len() >= 2 {
            let (first, second) = (&out[0], &out[1]);
            let same_text = text::name_key(&first.2.matched_name) == text::name_key(&second.2.matched_name);
            let related = self.related(&first.2.ror_id, &second.2.ror_id);
            let prominent = first.2.traits.prominent;
            if same_text && (first.0 - second.0).abs() < 1e-9 && !related && !prominent {
                // Every organisation of the tie is as ambiguous as the first; the first stays first.
                let (top_score, top_key) = (first.0, text::name_key(&first.2.matched_name));
                let tied = out
                    .iter()
                    .take_while(|o| (o.0 - top_score).abs() < 1e-9 && text::name_key(&o.2.matched_name) == top_key)
                    .count();
                for i in 0..tied {
                    let other = out[if i == 0 { 1 } else { 0 }].2.display_name.clone();
                    let o = &mut out[i];
                    o.0 *= AMBIGUITY_FACTOR;
                    o.2.score = o.0;
                    o.2.ambiguous = true;
                    o.2.why.push_str(&format!("; ambiguous: \"{other}\" has the same name"));
                }
            }
        }
        out.into_iter().map(|(_, _, m)| m).collect()
    }

    /// Sets every candidate's confidence and, with a ranker, orders the first [`RANKED`] by it; `out` is
    /// [`InstitutionMatcher::scored_candidates`]' list.
    pub fn rank(&self, out: &mut [InstitutionMatch]) {
        let Some(ranker) = &self.ranker else {
            for m in out.iter_mut() {
                m.confidence = m.score;
            }
            return;
        };
        let k = out.len().min(RANKED);
        let features = self.ranking_features(&out[..k]);
        for (m, f) in out[..k].iter_mut().zip(&features) {
            let (confidence, reasons) = ranker.assess(f);
            // An unresolved tie stays unresolved: the matcher abstains rather than guesses.
            m.confidence = if m.ambiguous { 0.0 } else { confidence };
            m.why.push_str(&format!("; confidence {:.2}{reasons}", m.confidence));
        }
        for m in out[k..].iter_mut() {
            m.confidence = 0.0;
        }
        out[..k].sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        for (i, m) in out[..k].iter_mut().enumerate() {
            m.why.push_str(&format!(", {} of {k} candidates", i + 1));
        }
    }

    /// The ranker's features ([`RANK_FEATURES`]) of each candidate, given best-first by score as the
    /// matcher scores them (before ranking). Every feature is about the string and the registry records:
    /// how well and where a name was read, what else the string names, what kind of organisation it is.
    pub fn ranking_features(&self, cands: &[InstitutionMatch]) -> Vec<Vec<f64>> {
        let top = cands.first().map_or(0.0, |c| c.score);
        let strong: Vec<&InstitutionMatch> = cands.iter().filter(|c| c.score >= RANK_STRONG).collect();
        let min_start = strong.iter().map(|c| c.span.0).min().unwrap_or(0);
        let max_start = strong.iter().map(|c| c.span.0).max().unwrap_or(0);
        let mut starts: Vec<u32> = strong.iter().map(|c| c.span.0).collect();
        starts.sort_unstable();
        starts.dedup();
        let matched = cands.iter().filter(|c| c.score >= DEFAULT_MATCH_THRESHOLD).count() as f64;
        let overlaps = |a: (u32, u32), b: (u32, u32)| a.0 < b.0 + b.1 && b.0 < a.0 + a.1;
        cands
            .iter()
            .enumerate()
            .map(|(rank, c)| {
                let org = self.registry.get(&c.ror_id);
                let parts = f64::from(c.traits.parts.max(1));
                let (start, end) = (f64::from(c.span.0), f64::from(c.span.0 + c.span.1));
                let parent_of = strong.iter().any(|o| {
                    o.ror_id != c.ror_id && self.registry.get(&o.ror_id).is_some_and(|x| x.parents.contains(&c.ror_id))
                });
                let child_of =
                    org.is_some_and(|g| strong.iter().any(|o| o.ror_id != c.ror_id && g.parents.contains(&o.ror_id)));
                let has_type = |t: &str| f64::from(u8::from(org.is_some_and(|g| g.types.iter().any(|x| x == t))));
                let flag = |b: bool| f64::from(u8::from(b));
                let mut f = vec![
                    c.score,
                    rank as f64,
                    top - c.score,
                    start / parts,
                    end / parts,
                    flag(end >= parts),
                    f64::from(c.span.1),
                    parts,
                    flag(c.span.0 == min_start),
                    flag(c.span.0 == max_start),
                    flag(c.ambiguous),
                    flag(c.traits.derived),
                    flag(c.traits.unit),
                    flag(c.traits.generic),
                    flag(c.traits.country_agrees),
                    flag(c.traits.hint_differs),
                    matched,
                    f64::from(org.map_or(0, |g| g.children)).ln_1p(),
                    flag(org.is_some_and(|g| !g.parents.is_empty())),
                    flag(parent_of),
                    flag(child_of),
                ];
                f.extend(RANK_TYPES.iter().map(|t| has_type(t)));
                f.push(flag(org.is_some_and(|g| g.status == "active")));
                f.extend(
                    [NameKind::Display, NameKind::Label, NameKind::Alias, NameKind::Acronym]
                        .iter()
                        .map(|k| flag(c.matched_kind == *k)),
                );
                f.push(strong.iter().filter(|o| o.ror_id != c.ror_id && overlaps(o.span, c.span)).count() as f64);
                f.push(starts.iter().filter(|s| **s < c.span.0).count() as f64);
                f.push(flag(c.traits.headless));
                f.push(flag(c.traits.acronym_prefix));
                f.push(f64::from(c.traits.acronym_orgs));
                let others = || strong.iter().filter(|o| o.ror_id != c.ror_id && !overlaps(o.span, c.span));
                let children = |id: &str| self.registry.get(id).map_or(0, |g| g.children);
                let own_children = children(&c.ror_id);
                f.push(
                    others()
                        .filter(|o| {
                            self.registry.get(&o.ror_id).is_some_and(|g| g.types.iter().any(|t| t == "education"))
                        })
                        .count() as f64,
                );
                f.push(others().filter(|o| children(&o.ror_id) > own_children).count() as f64);
                f.push(others().count() as f64);
                debug_assert_eq!(f.len(), RANK_FEATURES.len());
                f
            })
            .collect()
    }

    /// Whether one of two organisations (ROR ids, short or URL) is the other's parent in the registry: a
    /// university and its medical school's record.
    pub fn related(&self, a: &str, b: &str) -> bool {
        let (Some(oa), Some(ob)) = (self.registry.get(a), self.registry.get(b)) else { return false };
        oa.parents.contains(&ob.id) || ob.parents.contains(&oa.id)
    }

    fn score_name(
        &self,
        name: &IndexedName,
        present: &HashMap<u32, u64>,
        seg_tokens: &[Vec<Option<u32>>],
        seg_words: &[Vec<String>],
        seg_profiles: &[Vec<LetterProfile>],
    ) -> Option<ScoredName> {
        let nseg = seg_tokens.len();
        // Per name token: the segments holding it and how well (1 exact, JW for a typo).
        let mut token_hits: Vec<(f64, u64, f64)> = Vec::with_capacity(name.tokens.len());
        let mut missing_weight = 0.0;
        let mut headless = false;
        for t in &name.tokens {
            let w = self.idf[*t as usize];
            if let Some(mask) = present.get(t) {
                token_hits.push((w, *mask, 1.0));
                continue;
            }
            let word = &self.token_text[*t as usize];
            let profile = &self.token_profiles[*t as usize];
            let mut best = (0.0, 0u64);
            if name.tokens.len() >= 3 && profile.len >= 6 {
                for (si, (words, profiles)) in seg_words.iter().zip(seg_profiles).enumerate() {
                    for (cand, cand_profile) in words.iter().zip(profiles) {
                        if cand_profile.len >= 6 && profile.jaro_winkler_bound(cand_profile) >= TYPO_SIMILARITY {
                            let sim = strsim::jaro_winkler(word, cand);
                            if sim >= TYPO_SIMILARITY && sim > best.0 {
                                best = (sim, 1 << si);
                            }
                        }
                    }
                }
            }
            if best.0 > 0.0 {
                token_hits.push((w, best.1, best.0));
            } else if let Some(mask) = (name.tokens.len() >= 2 && word == "university")
                .then(|| unit_head_segments(seg_words))
                .filter(|m| *m != 0)
            {
                // "Harvard Medical School", "Yale School of Public Health": a school of the university named
                // by the university's own word.
                token_hits.push((w, mask, HEADLESS_SIMILARITY));
                headless = true;
            } else {
                missing_weight += w;
            }
            if missing_weight / name.weight > 1.0 - MIN_COVERAGE {
                return None;
            }
        }
        // The smallest windows (1..=MAX_WINDOW consecutive segments) with the best coverage; of those, the
        // one that scores best (a name written twice: "Koç University Surface Science Center, Koç University").
        let mut best_coverage = 0.0;
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for len in 1..=MAX_WINDOW.min(nseg) {
            for start in 0..=nseg - len {
                let mask: u64 = ((1u64 << len) - 1) << start;
                let covered: f64 = token_hits.iter().filter(|(_, m, _)| m & mask != 0).map(|(w, _, s)| w * s).sum();
                let coverage = covered / name.weight;
                if coverage > best_coverage + 1e-12 {
                    best_coverage = coverage;
                    windows.clear();
                }
                if (coverage - best_coverage).abs() <= 1e-12 && coverage > 0.0 {
                    windows.push((start, len));
                }
            }
            if best_coverage >= 1.0 - 1e-9 {
                break;
            }
        }
        let coverage = best_coverage;
        if coverage < MIN_COVERAGE {
            return None;
        }
        let mut best: Option<(f64, usize, usize, bool)> = None;
        for (start, len) in windows {
            let (score, unit) = self.score_window(name, seg_tokens, seg_words, start, len, coverage);
            if best.is_none_or(|(s, ..)| score > s + 1e-12) {
                best = Some((score, start, len, unit));
            }
        }
        let (score, start, len, unit) = best?;
        let window = seg_words[start..start + len].iter().map(|w| w.join(" ")).collect::<Vec<_>>().join(", ");
        Some(ScoredName { score, window, start, len, unit, headless })
    }

    /// The score of `name` in the window of `len` segments from `start`, and whether the window names a
    /// school, college or faculty of it.
    fn score_window(
        &self,
        name: &IndexedName,
        seg_tokens: &[Vec<Option<u32>>],
        seg_words: &[Vec<String>],
        start: usize,
        len: usize,
        coverage: f64,
    ) -> (f64, bool) {
        let max_idf = self.max_idf;
        let mut window_weight = 0.0;
        let mut residual = 0.0;
        let mut window_set: Vec<u32> = Vec::new();
        let mut window_order: Vec<u32> = Vec::new();
        let mut unknown_informative = false;
        let mut names_a_unit = false;
        let places = &self.place_words[name.org as usize];
        for (ids, words) in seg_tokens[start..start + len].iter().zip(&seg_words[start..start + len]) {
            // A segment naming a school, college or faculty ("University of Pennsylvania Perelman School of
            // Medicine") describes a unit of the organisation: its other words weigh less against the name.
            let is_head = |i: usize| {
                UNIT_HEAD_WORDS.contains(&words[i].as_str())
                    && ids[i].is_none_or(|id| name.tokens.binary_search(&id).is_err())
                    && (words.get(i + 1).is_some_and(|w| UNIT_FIELD_WORDS.contains(&w.as_str()))
                        || i.checked_sub(1).is_some_and(|j| UNIT_FIELD_WORDS.contains(&words[j].as_str())))
            };
            let unit_factor = if (0..words.len()).any(is_head) {
                names_a_unit = true;
                UNIT_DESCRIPTOR_WEIGHT
            } else {
                1.0
            };
            for (id, word) in ids.iter().zip(words) {
                if word.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                // The organisation's own city or country is its address, not another name.
                if id.is_none_or(|id| name.tokens.binary_search(&id).is_err()) && places.binary_search(word).is_ok() {
                    continue;
                }
                match id {
                    Some(id) => {
                        if name.tokens.binary_search(id).is_err() {
                            let w = self.idf[*id as usize] * unit_factor;
                            window_weight += w;
                            residual += w;
                        } else {
                            window_weight += self.idf[*id as usize];
                        }
                        window_set.push(*id);
                        window_order.push(*id);
                    }
                    None => {
                        window_weight += max_idf * unit_factor;
                        residual += max_idf * unit_factor;
                        unknown_informative = true;
                    }
                }
            }
        }
        window_set.sort_unstable();
        window_set.dedup();
        let exact = !unknown_informative && window_set == name.tokens && coverage >= 1.0 - 1e-9;
        let residual_ratio = if window_weight > 0.0 { residual / window_weight } else { 0.0 };
        let mut score = if exact { EXACT_SCORE } else { CONTAINED_SCORE - RESIDUAL_PENALTY * residual_ratio };
        if !in_order(&name.ordered, &window_order) {
            score *= REORDERED_FACTOR;
        }
        score *= coverage * coverage;
        if !exact && name.weight < WEAK_NAME_WEIGHT {
            score *= WEAK_NAME_FACTOR;
        }
        (score.clamp(0.0, 1.0), names_a_unit && !exact)
    }

    fn add_acronym_candidates(
        &self,
        segments: &[&str],
        country: Option<&str>,
        best: &mut HashMap<u32, (f64, f64, InstitutionMatch)>,
    ) {
        for (si, seg) in segments.iter().enumerate() {
            let whole = seg.trim().trim_matches('.');
            // The whole part ("MIT"), or the first word of a longer one ("NYU Grossman School of Medicine",
            // "CNRS UMR 5251", "CSIR-Central Drug Research Institute").
            let first = whole.split([' ', '-', '/', '(']).next().unwrap_or("").trim_matches(['.', ',']);
            let readings = [(whole, false), (first, true)];
            for (key, prefix) in readings {
                if prefix && (key.len() == whole.len() || key.chars().any(|c| c.is_ascii_digit())) {
                    continue;
                }
                // Two letters are a state, a country or a hundred organisations' initials ("MI", "CA"): too
                // few.
                if key.chars().count() < 3
                    || key.chars().count() > 10
                    || !key.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&')
                {
                    continue;
                }
                let Some(orgs) = self.acronyms.get(key) else { continue };
                let in_country: Vec<u32> = orgs
                    .iter()
                    .copied()
                    .filter(|o| match country {
                        Some(c) => self.registry.orgs[*o as usize].country_code.as_deref() == Some(c),
                        None => true,
                    })
                    .collect();
                // A few organisations share it: each is a candidate for the ranker to weigh (their size, the
                // rest of the string); more are no reading at all.
                if in_country.is_empty() || in_country.len() > MAX_ACRONYM_ORGS {
                    continue;
                }
                let mut score = if country.is_some() { ACRONYM_SCORE_WITH_COUNTRY } else { ACRONYM_SCORE };
                if prefix {
                    score *= ACRONYM_PREFIX_FACTOR;
                }
                if in_country.len() > 1 {
                    score *= SHARED_ACRONYM_FACTOR;
                }
                for &oi in &in_country {
                    let org = &self.registry.orgs[oi as usize];
                    if best.get(&oi).is_some_and(|b| b.0 >= score) {
                        continue;
                    }
                    let shared = match in_country.len() {
                        1 => format!("only {} ({}) has it", org.display_name, org.id),
                        n => format!("{} ({}) is one of {n} organisations with it", org.display_name, org.id),
                    };
                    best.insert(
                        oi,
                        (
                            score,
                            -1.0,
                            InstitutionMatch {
                                ror_id: org.id.clone(),
                                display_name: org.display_name.clone(),
                                country_code: org.country_code.clone(),
                                score,
                                matched_name: key.to_owned(),
                                matched_kind: NameKind::Acronym,
                                matched_text: (*seg).to_owned(),
                                why: format!(
                                    "the acronym \"{key}\" is {} of the string and {shared}{}",
                                    if prefix { "the first word of a part" } else { "a whole part" },
                                    if country.is_some() { " in that country" } else { "" }
                                ),
                                span: (si as u32, 1),
                                ambiguous: false,
                                confidence: 0.0,
                                traits: MatchTraits {
                                    country_agrees: country.is_some(),
                                    parts: segments.len() as u32,
                                    acronym_prefix: prefix,
                                    acronym_orgs: in_country.len() as u32,
                                    ..MatchTraits::default()
                                },
                            },
                        ),
                    );
                }
            }
        }
    }
}

/// Score of a window that is exactly the name (same tokens, any order).
const EXACT_SCORE: f64 = 1.0;
/// Score of a name contained in a longer window, before the residual penalty.
const CONTAINED_SCORE: f64 = 0.92;
/// How much a window's unexplained share lowers the score of a contained name.
const RESIDUAL_PENALTY: f64 = 0.2;
/// Factor for generic names not standing alone.
const WEAK_NAME_FACTOR: f64 = 0.8;
/// An organisation with at least this many child records in ROR, and this many times more than any other
/// organisation of the same name (plus one), is taken over them when nothing else tells them apart.
const PROMINENT_MIN_CHILDREN: u32 = 3;
const PROMINENT_RATIO: u32 = 3;
/// Factor when another organisation has the same name and nothing tells them apart.
const AMBIGUITY_FACTOR: f64 = 0.7;
/// Words that make a segment name a unit of an organisation (its school, college or faculty).
const UNIT_HEAD_WORDS: &[&str] = &["school", "college", "faculty"];
/// How much a name's missing "University" counts as read when a school, college or faculty of it is named
/// instead ("Harvard Medical School"). Keeps such a reading below an exact one; how far to trust it is the
/// ranker's (feature `headless`), learned from the gold pairs.
const HEADLESS_SIMILARITY: f64 = 0.9;
/// The fields that, right before or after a head word, make it a unit ("School of Medicine", "Medical
/// School", "College of Engineering") rather than part of a name ("King's College London"). Tokens as
/// [`text::tokens`] folds them (plurals off, "medicine" → "medical").
const UNIT_FIELD_WORDS: &[&str] = &[
    "medical",
    "dentistry",
    "dental",
    "nursing",
    "pharmacy",
    "public",
    "health",
    "engineering",
    "law",
    "business",
    "veterinary",
    "science",
    "arts",
    "education",
    "optometry",
    "graduate",
    "osteopathic",
    "agriculture",
    "management",
];
/// How much a word of such a segment outside the matched name counts against it (1 = fully): "Perelman
/// School of Medicine" beside "University of Pennsylvania" describes the university, it is not another name.
const UNIT_DESCRIPTOR_WEIGHT: f64 = 0.25;
/// Factor for a short form derived from a registry name by removing its place qualifier.
const DERIVED_FACTOR: f64 = 0.95;
/// Factor for an organisation in another country than a US state named inside the string points to.
const HINT_FACTOR: f64 = 0.85;
/// Acronym alone, unique in the string's country.
const ACRONYM_SCORE_WITH_COUNTRY: f64 = 0.82;
/// Acronym alone, unique in the registry, no country to confirm it.
const ACRONYM_SCORE: f64 = 0.7;
/// Factor for an acronym read as the first word of a longer part (below a whole-part acronym; the ranker
/// weighs it through feature `acronym_prefix`).
const ACRONYM_PREFIX_FACTOR: f64 = 0.9;
/// Factor for an acronym several organisations share (the ranker weighs it through `acronym_orgs` and the
/// organisations' sizes).
const SHARED_ACRONYM_FACTOR: f64 = 0.8;
/// Most organisations an acronym may be shared by and still be read: "CNRS" is France's and Lebanon's; an
/// acronym of dozens ("ICM") says nothing.
pub const MAX_ACRONYM_ORGS: usize = 4;

/// True when `name` appears in `window` as a contiguous run (stopwords are already gone).
/// A registry name scored against a string: its best window of segments and what it read there.
struct ScoredName {
    score: f64,
    /// The window's words, segments joined by ", ".
    window: String,
    start: usize,
    len: usize,
    /// The window names a school, college or faculty of the organisation.
    unit: bool,
    /// The name's "University" is missing and a school, college or faculty stands in for it.
    headless: bool,
}

/// Segments (bit mask) holding a school, college or faculty word.
fn unit_head_segments(seg_words: &[Vec<String>]) -> u64 {
    let mut mask = 0u64;
    for (si, words) in seg_words.iter().enumerate() {
        if words.iter().any(|w| UNIT_HEAD_WORDS.contains(&w.as_str())) {
            mask |= 1 << si;
        }
    }
    mask
}

/// A word's length in characters and its letter counts (a–z, then one bucket for everything else): enough
/// for an upper bound on its Jaro–Winkler similarity to another word, so most typo comparisons are skipped
/// without changing a result.
#[derive(Debug, Clone)]
struct LetterProfile {
    len: usize,
    counts: [u8; 27],
}

impl LetterProfile {
    fn new(word: &str) -> LetterProfile {
        let mut counts = [0u8; 27];
        let mut len = 0;
        for c in word.chars() {
            len += 1;
            let slot = if c.is_ascii_lowercase() { (c as u8 - b'a') as usize } else { 26 };
            counts[slot] = counts[slot].saturating_add(1);
        }
        LetterProfile { len, counts }
    }

    /// Jaro matches m ≤ the multiset overlap of the two words' characters (the shared bucket only
    /// overestimates it), so Jaro ≤ (m/|a| + m/|b| + 1)/3 and Jaro–Winkler ≤ Jaro + 0.4·(1 − Jaro).
    fn jaro_winkler_bound(&self, other: &LetterProfile) -> f64 {
        if self.len == 0 || other.len == 0 {
            return 0.0;
        }
        if self.len > usize::from(u8::MAX) || other.len > usize::from(u8::MAX) {
            return 1.0; // counts may have saturated: no bound
        }
        let m: u32 = self.counts.iter().zip(&other.counts).map(|(a, b)| u32::from(*a.min(b))).sum();
        if m == 0 {
            return 0.0;
        }
        let m = f64::from(m);
        let jaro = (m / self.len as f64 + m / other.len as f64 + 1.0) / 3.0;
        (jaro + 0.4 * (1.0 - jaro)).min(1.0)
    }
}

fn in_order(name: &[u32], window: &[u32]) -> bool {
    name.is_empty() || window.windows(name.len()).any(|w| w == name)
}

/// A registry name without the place that qualifies it, when the place is the organisation's own city or
/// country: "Purdue University West Lafayette" → "Purdue University", "University of Maryland, College
/// Park" → "University of Maryland", "The University of Texas Medical Branch at Galveston" → "The
/// University of Texas Medical Branch", "Novo Nordisk (Denmark)" → "Novo Nordisk". ROR names campuses
/// and companies this way; affiliation strings mostly drop the qualifier. Two organisations whose short
/// forms meet are then ambiguous, as any shared name is.
fn without_place_qualifier(name: &str, org: &Organization) -> Option<String> {
    let places: Vec<String> = [org.city.as_deref(), org.country_name.as_deref()]
        .into_iter()
        .flatten()
        .map(|p| text::fold_affiliation(p).trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let trimmed = name.trim();
    // "Novo Nordisk (Denmark)", "Leidos (United States)".
    if let Some(open) = trimmed.rfind(" (")
        && trimmed.ends_with(')')
    {
        let inside = text::fold_affiliation(&trimmed[open + 2..trimmed.len() - 1]);
        if places.iter().any(|p| *p == inside.trim()) {
            return Some(trimmed[..open].trim().to_owned()).filter(|h| !h.is_empty());
        }
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    for place in &places {
        let place_words: Vec<&str> = place.split_whitespace().collect();
        let n = place_words.len();
        if n == 0 || words.len() <= n {
            continue;
        }
        let tail = text::fold_affiliation(&words[words.len() - n..].join(" "));
        if tail.split_whitespace().ne(place_words.iter().copied()) {
            continue;
        }
        let mut head: Vec<&str> = words[..words.len() - n].to_vec();
        if head.last().is_some_and(|w| matches!(*w, "at" | "-" | "–")) {
            head.pop();
        }
        let head = head.join(" ");
        let head = head.trim_end_matches([',', '-', '–', ' ']);
        if !head.is_empty() {
            return Some(head.to_owned());
        }
    }
    None
}

fn active_rank(reg: &RorRegistry, m: &InstitutionMatch) -> u8 {
    match reg.get(&m.ror_id).map(|o| o.status.as_str()) {
        Some("active") => 0,
        _ => 1,
    }
}

fn kind_word(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Display => "registry",
        NameKind::Label => "label",
        NameKind::Alias => "alias",
        NameKind::Acronym => "acronym",
    }
}

// ---- ROR v2 record shape (the fields we read) ----

#[derive(Deserialize)]
struct RorRecord {
    id: String,
    #[serde(default)]
    names: Vec<RorName>,
    #[serde(default)]
    locations: Vec<RorLocation>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    links: Vec<RorLink>,
    #[serde(default)]
    relationships: Vec<RorRelationship>,
    #[serde(default)]
    external_ids: Vec<RorExternalId>,
}

#[derive(Deserialize)]
struct RorName {
    value: String,
    #[serde(default)]
    types: Vec<String>,
    lang: Option<String>,
}

#[derive(Deserialize)]
struct RorLocation {
    geonames_details: Option<RorGeonames>,
}

#[derive(Deserialize)]
struct RorGeonames {
    country_code: Option<String>,
    country_name: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct RorLink {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Deserialize)]
struct RorRelationship {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Deserialize)]
struct RorExternalId {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    all: Vec<String>,
}

impl RorRecord {
    fn into_organization(self) -> Option<Organization> {
        let id = byline_model::normalize_ror(&self.id)?;
        let mut names: Vec<OrgName> = self
            .names
            .into_iter()
            .map(|n| {
                let kind = if n.types.iter().any(|t| t == "ror_display") {
                    NameKind::Display
                } else if n.types.iter().any(|t| t == "label") {
                    NameKind::Label
                } else if n.types.iter().any(|t| t == "acronym") {
                    NameKind::Acronym
                } else {
                    NameKind::Alias
                };
                OrgName { value: n.value, kind, lang: n.lang }
            })
            .collect();
        names.sort_by_key(|n| n.kind);
        let display_name = names.first().map(|n| n.value.clone()).unwrap_or_default();
        let geo = self.locations.into_iter().find_map(|l| l.geonames_details);
        let mut domains = self.domains;
        for link in &self.links {
            if link.kind == "website"
                && let Some(host) = website_host(&link.value)
                && !domains.contains(&host)
            {
                domains.push(host);
            }
        }
        Some(Organization {
            id,
            display_name,
            names,
            country_code: geo.as_ref().and_then(|g| g.country_code.clone()),
            country_name: geo.as_ref().and_then(|g| g.country_name.clone()),
            city: geo.and_then(|g| g.name),
            status: self.status,
            types: self.types,
            domains,
            parents: self
                .relationships
                .iter()
                .filter(|r| r.kind == "parent")
                .filter_map(|r| byline_model::normalize_ror(&r.id))
                .collect(),
            children: self.relationships.iter().filter(|r| r.kind == "child").count() as u32,
            fundref: self.external_ids.into_iter().filter(|e| e.kind == "fundref").flat_map(|e| e.all).collect(),
        })
    }
}

fn website_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.contains('.') { Some(host) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, display: &str, aliases: &[&str], country: &str) -> Organization {
        let mut o = Organization::named(id, display, country);
        o.names.extend(aliases.iter().map(|a| OrgName { value: (*a).into(), kind: NameKind::Alias, lang: None }));
        o
    }

    /// The bundled ranker reads the features the matcher computes, in the same order: a feature added,
    /// removed or moved without retraining (`--example train_ror_ranker`) fails here.
    #[test]
    fn the_bundled_ranker_reads_the_features_the_matcher_computes() {
        let r = Ranker::bundled();
        assert_eq!(r.model.features, RANK_FEATURES.map(String::from).to_vec());
        assert!(!r.model.trees.is_empty(), "the bundled ranker is trained");
        assert!(r.threshold > 0.0 && r.threshold < 1.0, "{}", r.threshold);
        let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![Organization::named(
            "05dxps055",
            "California Institute of Technology",
            "US",
        )]));
        let cands = m.candidates("Division of Biology, California Institute of Technology, Pasadena, USA", None);
        assert_eq!(m.ranking_features(&cands[..1])[0].len(), RANK_FEATURES.len());
        assert!(cands[0].confidence > 0.0 && cands[0].confidence <= 1.0, "{cands:?}");
        assert!(cands[0].why.contains("confidence") && cands[0].why.contains("1 of 1 candidates"), "{}", cands[0].why);
    }

    /// Every feature has words when it holds; a yes/no feature has none when it does not; the reasons of a
    /// row name what moved its odds most.
    #[test]
    fn the_ranker_says_what_weighed_for_and_against_in_words() {
        for f in RANK_FEATURES {
            assert_ne!(feature_phrase(f, 1.0), Some("other facts"), "{f}");
            assert!(feature_phrase(f, 1.0).is_some(), "{f}");
        }
        assert_eq!(feature_phrase("derived", 0.0), None);
        assert_eq!(feature_phrase("score", 0.0), Some("how well the name reads"));
        // A model that only knows the score: a high score is a reason for, a low one against.
        let names: Vec<String> = RANK_FEATURES.map(String::from).to_vec();
        let (x, y): (Vec<Vec<f64>>, Vec<bool>) = (0..200)
            .map(|i| {
                let mut row = vec![0.0; names.len()];
                row[0] = f64::from(i) / 200.0;
                (row, i >= 100)
            })
            .unzip();
        let model = crate::gbdt::train(&x, &y, names, &crate::gbdt::Params { trees: 30, ..Default::default() });
        let ranker = Ranker { trained_on: "test".into(), threshold: 0.5, model };
        let (high, low) = (ranker.assess(&x[190]), ranker.assess(&x[10]));
        assert_eq!(high.1, " (for it: how well the name reads)");
        assert_eq!(low.1, " (against it: how well the name reads)");
        // The confidence is the model's own prediction.
        assert!((high.0 - ranker.model.predict(&x[190])).abs() < 1e-12 && high.0 > 0.5 && low.0 < 0.5);
    }

    #[test]
    fn the_typo_bound_never_falls_below_the_similarity() {
        let words = [
            "university",
            "univeristy",
            "universidad",
            "universite",
            "institute",
            "instituto",
            "hospital",
            "hopital",
            "technology",
            "technologie",
            "tsinghua",
            "zhejiang",
            "chinese",
            "sciences",
            "sciencies",
            "medicine",
            "medecine",
            "münchen",
            "munchen",
            "karolinska",
            "karolinksa",
            "aaaaaaaa",
            "zzzzzz",
        ];
        let mut skipped = 0;
        for a in words {
            for b in words {
                let bound = LetterProfile::new(a).jaro_winkler_bound(&LetterProfile::new(b));
                let sim = strsim::jaro_winkler(a, b);
                assert!(bound + 1e-12 >= sim, "{a} / {b}: bound {bound} < similarity {sim}");
                if bound < TYPO_SIMILARITY {
                    skipped += 1;
                }
            }
        }
        assert!(skipped > words.len() * words.len() / 3, "the bound skips too little: {skipped}");
    }

    #[test]
    fn a_school_of_the_university_weighs_less_than_another_name() {
        let reg = RorRegistry::from_organizations(vec![
            org("00b30xv10", "University of Pennsylvania", &[], "US"),
            org("04p491231", "Pennsylvania State University", &[], "US"),
            org("0220mzb33", "King's College London", &[], "GB"),
            org("00j161312", "University of London", &[], "GB"),
            org("01hcx6992", "Humboldt University of Berlin", &[], "DE"),
        ]);
        let m = InstitutionMatcher::new(reg);
        let school =
            m.best_match("Department of Medicine, University of Pennsylvania Perelman School of Medicine", None);
        let other = m.best_match("Department of Medicine, University of Pennsylvania Perelman Cancer Foundation", None);
        let (school, other) = (school.expect("a match"), other.expect("a match"));
        assert_eq!(school.ror_id, "00b30xv10");
        assert!(school.why.contains("school, college or faculty"), "{}", school.why);
        assert!(school.score > other.score + 0.03, "{} vs {}", school.score, other.score);
        // "College" inside a name is not a unit: King's College London is not "University of London" + a college.
        let kings = m.best_match("King's College London", None).expect("a match");
        assert_eq!(kings.ror_id, "0220mzb33");
        assert!(!kings.why.contains("school, college or faculty"));
    }

    #[test]
    fn a_name_made_of_its_own_address_or_three_letters_needs_more() {
        let mut astate = org("006pyvd89", "Arkansas State University", &["A-State"], "US");
        astate.country_name = Some("United States".into());
        let neo = org("04vj14y69", "NeoGenomics", &["Neo"], "US");
        let reg = RorRegistry::from_organizations(vec![
            astate,
            neo,
            org("00hj8s172", "Columbia University", &[], "US"),
            org("056d84691", "Karolinska Institutet", &[], "SE"),
        ]);
        let m = InstitutionMatcher::new(reg);
        let ids = |s: &str| m.candidates(s, None).into_iter().map(|c| c.ror_id).collect::<Vec<_>>();
        assert!(!ids("Columbia University, New York, NY, United States").contains(&"006pyvd89".to_owned()));
        assert!(!ids("Department of Medicine Huddinge, Karolinska Institutet, Neo").contains(&"04vj14y69".to_owned()));
        // As an acronym (upper case, a whole part of the string, one organisation) it still matches.
        assert!(ids("Clinical Genomics, NEO, Fort Myers").contains(&"04vj14y69".to_owned()));
    }

    #[test]
    fn a_name_written_twice_is_scored_where_it_stands_alone() {
        let reg = RorRegistry::from_organizations(vec![
            org("00jzwgz36", "Koç University", &[], "TR"),
            org("03a5qrr21", "Bilkent University", &[], "TR"),
        ]);
        let m = InstitutionMatcher::new(reg);
        let hit = m.best_match("Koç University Surface Science and Technology Center, Koç University", None);
        let hit = hit.expect("a match");
        assert_eq!((hit.ror_id.as_str(), hit.score), ("00jzwgz36", EXACT_SCORE));
        assert_eq!(hit.matched_text, "koc university");
    }

    #[test]
    fn every_organisation_of_an_unresolved_tie_is_ambiguous() {
        let reg = RorRegistry::from_organizations(vec![
            org("01rrz9s51", "Victoria University", &[], "AU"),
            org("04j757h98", "Victoria University", &[], "NZ"),
        ]);
        let m = InstitutionMatcher::new(reg);
        let cands = m.candidates("Victoria University", None);
        assert_eq!(cands.len(), 2);
        for c in &cands {
            assert!(c.score < DEFAULT_MATCH_THRESHOLD, "{c:?}");
            assert!(c.why.contains("ambiguous"), "{}", c.why);
        }
        assert_eq!(m.match_affiliation("Victoria University").map(|c| c.ror_id), None);
    }

    #[test]
    fn match_all_finds_each_institution_once() {
        let mut medicine = org("01zcpa714", "Michigan Medicine", &[], "US");
        medicine.parents = vec!["00jmfr291".into()];
        // Other organisations so that the words of these names are rare, as in the registry.
        let mut orgs: Vec<Organization> = (0..120)
            .map(|i| org(&format!("0filler{i:03}"), &format!("Institute of Research Filler{i}"), &[], "DE"))
            .collect();
        orgs.extend([
            org("0495fxg12", "Institut Pasteur", &[], "FR"),
            org("05f82e368", "Université Paris Cité", &[], "FR"),
            org("02en5vm52", "Université Paris", &[], "FR"),
            org("00jmfr291", "University of Michigan", &[], "US"),
            medicine,
            org("01rrz9s51", "Victoria University", &[], "AU"),
            org("04j757h98", "Victoria University", &[], "NZ"),
        ]);
        let m = InstitutionMatcher::new(RorRegistry::from_organizations(orgs));
        let ids = |s: &str| m.match_all(s).into_iter().map(|c| c.ror_id).collect::<Vec<_>>();
        let mut two = ids("Viral Genomics Unit, Institut Pasteur, Université Paris Cité, Paris, France");
        two.sort();
        assert_eq!(two, ["0495fxg12", "05f82e368"]);
        // One reading of the same words, not two organisations: "Université Paris Cité" also holds the whole
        // name of "Université Paris".
        let same_words = "Université Paris Cité";
        let cands = m.candidates(same_words, None);
        assert!(cands.iter().filter(|c| c.score >= DEFAULT_MATCH_THRESHOLD).count() >= 2, "{cands:#?}");
        assert_eq!(ids(same_words), ["05f82e368"]);
        // Two parts, two records, even when one is the other's parent (the disclosure audit relates them).
        assert_eq!(ids("Michigan Medicine, University of Michigan").len(), 2);
        // An ambiguous name is no match, and its words are not read again as another.
        assert!(ids("Victoria University").is_empty());
    }

    #[test]
    fn tokyo_univ_matches_the_university_of_tokyo() {
        let reg = RorRegistry::from_organizations(vec![
            org("057zh3y96", "The University of Tokyo", &[], "JP"),
            org("01hjzeq58", "Tokyo University of Science", &[], "JP"),
            org("0112mx960", "Tokyo Institute of Technology", &[], "JP"),
        ]);
        let m = InstitutionMatcher::new(reg);
        let hit = m.match_affiliation("Dept. of Chemistry, Tokyo Univ., Tokyo, Japan");
        assert_eq!(hit.map(|h| h.ror_id).as_deref(), Some("057zh3y96"));
        let hit = m.match_affiliation("Faculty of Science, Tokyo Univ. of Science, Japan");
        assert_eq!(hit.map(|h| h.ror_id).as_deref(), Some("01hjzeq58"));
    }

    #[test]
    fn country_is_a_constraint() {
        let reg = RorRegistry::from_organizations(vec![org("00aaaaaa1", "Northwestern University", &[], "US")]);
        let m = InstitutionMatcher::new(reg);
        assert!(m.match_affiliation("Northwestern University, Evanston, IL 60208, USA").is_some());
        assert!(m.match_affiliation("Northwestern University, Xi'an, China").is_none());
    }

    #[test]
    fn a_shared_name_goes_to_the_organisation_with_units_else_abstains() {
        let mut big = org("000000001", "Northwestern University", &[], "US");
        big.children = 12;
        let small = org("000000002", "Northwestern University", &[], "PH");
        let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![big, small.clone()]));
        let hit = m.match_affiliation("Department of Neuroscience, Northwestern University").expect("a match");
        assert_eq!(hit.ror_id, "000000001");
        assert!(hit.why.contains("12 units"), "{}", hit.why);
        let mut also_big = small;
        also_big.children = 10;
        let mut big = org("000000001", "Northwestern University", &[], "US");
        big.children = 12;
        let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![big, also_big]));
        assert!(m.match_affiliation("Department of Neuroscience, Northwestern University").is_none());
    }

    #[test]
    fn place_qualifiers_come_off_registry_names() {
        let mut purdue = org("000000003", "Purdue University West Lafayette", &[], "US");
        purdue.city = Some("West Lafayette".into());
        assert_eq!(
            without_place_qualifier("Purdue University West Lafayette", &purdue).as_deref(),
            Some("Purdue University")
        );
        let mut novo = org("000000004", "Novo Nordisk (Denmark)", &[], "DK");
        novo.country_name = Some("Denmark".into());
        assert_eq!(without_place_qualifier("Novo Nordisk (Denmark)", &novo).as_deref(), Some("Novo Nordisk"));
        let mut utmb = org("000000005", "The University of Texas Medical Branch at Galveston", &[], "US");
        utmb.city = Some("Galveston".into());
        assert_eq!(
            without_place_qualifier(&utmb.display_name.clone(), &utmb).as_deref(),
            Some("The University of Texas Medical Branch")
        );
        let m = InstitutionMatcher::new(RorRegistry::from_organizations(vec![purdue]));
        assert_eq!(
            m.match_affiliation("Department of Chemistry, Purdue University").map(|h| h.ror_id).as_deref(),
            Some("000000003")
        );
    }
}
