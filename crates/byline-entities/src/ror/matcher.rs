//! The matcher: the registry's names in a token index, candidates for an affiliation string and their scores.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::ranker::{RANK_FEATURES, RANK_STRONG, RANK_TYPES, RANKED, Ranker};
use super::registry::{NameKind, Organization, RorRegistry};
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
pub(super) const TYPO_SIMILARITY: f64 = 0.92;

/// Names whose tokens weigh less than this (in summed IDF) are generic ("Medical Center", "Hospital") and
/// match only when they are a whole segment.
const WEAK_NAME_WEIGHT: f64 = 6.0;

/// The most segments a name may span ("Institute of Physics, Chinese Academy of Sciences" spans two).
const MAX_WINDOW: usize = 3;

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
    pub(super) registry: RorRegistry,
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
    pub(super) ranker: Option<Ranker>,
}

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
pub(super) const EXACT_SCORE: f64 = 1.0;
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
pub(super) struct LetterProfile {
    len: usize,
    counts: [u8; 27],
}

impl LetterProfile {
    pub(super) fn new(word: &str) -> LetterProfile {
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
    pub(super) fn jaro_winkler_bound(&self, other: &LetterProfile) -> f64 {
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
pub(super) fn without_place_qualifier(name: &str, org: &Organization) -> Option<String> {
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
