//! Author identity resolution: one stable person id per authorship (work, byline position), with evidence.
//!
//! ORCID first: authorships carrying the same ORCID are one person, and two different ORCIDs are never merged.
//! Everything else is blocked on [`NormalizedName::blocking_key`] (folded family + first initial), so work is
//! linear in the corpus and quadratic only inside a block's candidate pairs. Inside a block, candidate pairs
//! come from an inverted index over shared co-authors, e-mails and affiliation tokens; a pair is linked when
//! the given names are compatible, at least one strong piece of evidence (a shared co-author, the same e-mail,
//! a similar affiliation) is present and the weighted evidence reaches [`IdentityOptions::link_threshold`].
//! Links are applied strongest first (single linkage over a union-find); blocks run in parallel with rayon.
//!
//! Person ids are `orcid:<ORCID>` when a linked authorship carries one, else `p` + a stable hash of the
//! blocking key and the smallest (work id, position) in the cluster: same input, same ids.
//!
//! Declared people ([`resolve_identities_declared`]): a registry record (KAKEN) gives a person's names in
//! kanji, kana and romaji. An authorship whose name is one of exactly one declared person's names
//! (`byline_norm::japanese::NameVariants`: any order and romanization; kanji only through the record's own
//! kanji) is blocked with that person's other spellings (`declared:<id>`), so 山田 太郎, Yamada Taro and
//! YAMADA Tarō can be linked; they are still linked only on evidence, and a declared co-author counts as one
//! co-author in whatever script each byline writes them. A kanji name and a romaji name with no record
//! holding both never share a block.

use std::collections::BTreeMap;

use byline_model::{Work, stable_hash64};
use rayon::prelude::*;
use serde::Serialize;

use byline_model::Author;
use byline_norm::japanese::{NameVariants, name_keys};

use crate::names::{NormalizedName, fold, normalize_author};

/// Thresholds for linking authorships inside a block.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityOptions {
    /// Use ORCIDs to link (and to forbid merging two different ORCIDs). [`evaluate_against_orcid`] turns it off.
    pub use_orcid: bool,
    /// Weighted evidence needed to link two authorships. 2.0 = one shared co-author, or a similar affiliation
    /// plus venue or topic overlap (weights below; chosen on the synthetic bench, checked on PubMed 21n1298).
    pub link_threshold: f64,
    /// Blocks with more authorships than this need `large_block_extra_threshold` more evidence: common
    /// romanized names ("Wang W", "Kim J") are shared by many people, so weak evidence links strangers.
    pub large_block: usize,
    /// Extra evidence required in large blocks.
    pub large_block_extra_threshold: f64,
    /// Feature values (co-author key, affiliation token) shared by more authorships than this inside a block
    /// are not used to generate candidate pairs: they are uninformative and would make the block quadratic.
    pub max_posting: usize,
}

impl Default for IdentityOptions {
    fn default() -> IdentityOptions {
        IdentityOptions {
            use_orcid: true,
            link_threshold: 2.0,
            large_block: 200,
            large_block_extra_threshold: 0.5,
            max_posting: 300,
        }
    }
}

/// Evidence weights. A shared co-author is the strongest signal short of an identifier (Torvik & Smalheiser
/// 2009, "Author name disambiguation in MEDLINE", rank co-author names first among features).
const WEIGHT_SHARED_COAUTHOR: f64 = 2.0;
/// Reported for ORCID links (an identifier, not evidence to weigh).
const WEIGHT_SAME_ORCID: f64 = 10.0;
const WEIGHT_EXTRA_COAUTHOR: f64 = 0.5;
const WEIGHT_SAME_EMAIL: f64 = 3.0;
const WEIGHT_AFFILIATION_STRONG: f64 = 1.5;
const WEIGHT_AFFILIATION_WEAK: f64 = 0.75;
const WEIGHT_SAME_VENUE: f64 = 0.5;
const WEIGHT_TOPIC_OVERLAP: f64 = 0.75;
const WEIGHT_SAME_FULL_GIVEN: f64 = 0.5;
/// Jaro-Winkler similarity of folded affiliation strings above which they count as the same place.
const AFFILIATION_STRONG_SIMILARITY: f64 = 0.92;
/// Token Jaccard of affiliations above which they count as the same place / a related place.
const AFFILIATION_STRONG_JACCARD: f64 = 0.5;
const AFFILIATION_WEAK_JACCARD: f64 = 0.25;
/// Jaccard of topic terms (MeSH, keywords, title words) that counts as topic overlap.
const TOPIC_OVERLAP_JACCARD: f64 = 0.15;

/// Affiliation words too common to identify a place.
const AFFILIATION_STOPWORDS: &[&str] = &[
    "department",
    "dept",
    "university",
    "universidad",
    "universite",
    "universita",
    "universitat",
    "school",
    "college",
    "institute",
    "institut",
    "instituto",
    "faculty",
    "center",
    "centre",
    "hospital",
    "medical",
    "medicine",
    "sciences",
    "science",
    "research",
    "laboratory",
    "division",
    "unit",
    "national",
    "clinical",
    "health",
    "and",
    "the",
    "for",
    "of",
    "de",
    "di",
    "der",
    "und",
    "electronic",
    "address",
];

/// How an authorship got its person id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkEvidence {
    /// `orcid` (same ORCID as another authorship), `linked` (evidence below), or `alone` (nothing linked it).
    pub via: &'static str,
    /// The authorship it was linked to, when `via` is `linked` or `orcid`.
    pub linked_work_id: Option<String>,
    pub linked_position: Option<u32>,
    /// The weighted evidence of that link.
    pub score: f64,
    /// The evidence in words: "2 shared co-authors", "same e-mail", "affiliation similarity 0.95".
    pub reasons: Vec<String>,
}

/// The person id of one authorship.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonAssignment {
    pub work_id: String,
    /// 0-based position on the byline.
    pub position: u32,
    pub person_id: String,
    pub display_name: String,
    pub blocking_key: String,
    pub evidence: LinkEvidence,
}

/// The outcome of [`resolve_identities`]: assignments sorted by (work id, position).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resolution {
    pub assignments: Vec<PersonAssignment>,
    pub persons: usize,
    pub blocks: usize,
    /// Authorships without a person name (group authors, empty names): not assigned.
    pub skipped_authorships: usize,
}

impl Resolution {
    /// The person id of an authorship, if it was assigned.
    pub fn person_of(&self, work_id: &str, position: u32) -> Option<&str> {
        self.assignments
            .binary_search_by(|a| (a.work_id.as_str(), a.position).cmp(&(work_id, position)))
            .ok()
            .and_then(|i| self.assignments.get(i))
            .map(|a| a.person_id.as_str())
    }
}

/// Pairwise precision and recall of a resolution against ORCID links (ORCIDs hidden from the resolver).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairwiseEvaluation {
    /// Authorships that carry an ORCID (the labeled set).
    pub labeled_authorships: usize,
    pub distinct_orcids: usize,
    /// Pairs of labeled authorships with the same ORCID.
    pub true_pairs: u64,
    /// Pairs of labeled authorships the resolver put in one person.
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Same-ORCID pairs whose names fall in different blocks: no blocking resolver can find them.
    pub true_pairs_across_blocks: u64,
    /// The naive baseline "same blocking key = same person", on the same pairs.
    pub baseline_block_precision: f64,
    pub baseline_block_recall: f64,
}

/// Groups a labeled authorship (ORCID, person id, blocking key) for pair counting.
type LabelKey = dyn Fn(&(&str, &str, &str)) -> (String, String);

/// A person a registry record declares, with every name it gives them (KAKEN: kanji, kana, romaji, maiden
/// names). `id` is the record's identifier (`erad:50283734`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredPerson {
    pub id: String,
    pub names: NameVariants,
}

impl DeclaredPerson {
    pub fn new<S: AsRef<str>>(id: &str, names: &[S]) -> DeclaredPerson {
        DeclaredPerson { id: id.to_owned(), names: NameVariants::new(names) }
    }
}

/// The declared people, indexed by the name keys their authorships can carry.
#[derive(Debug, Default)]
pub struct DeclaredIndex<'d> {
    people: &'d [DeclaredPerson],
    by_key: BTreeMap<String, Vec<usize>>,
}

impl<'d> DeclaredIndex<'d> {
    pub fn new(people: &'d [DeclaredPerson]) -> DeclaredIndex<'d> {
        let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in people.iter().enumerate() {
            for k in p.names.lookup_keys() {
                let list = by_key.entry(k.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        DeclaredIndex { people, by_key }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The declared person an author is, when their name is one of exactly one declared person's names.
    pub fn person_of(&self, author: &Author) -> Option<&'d DeclaredPerson> {
        if self.people.is_empty() || author.collective.is_some() {
            return None;
        }
        let forms = author_name_forms(author);
        let mut found: Vec<usize> = forms
            .iter()
            .flat_map(|f| name_keys(f))
            .filter_map(|k| self.by_key.get(&k))
            .flatten()
            .copied()
            .filter(|i| forms.iter().any(|f| self.people[*i].names.matches(f)))
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => self.people.get(*one),
            _ => None,
        }
    }
}

/// The name strings of an author for the Japanese comparison: the name as written, and "family given" when
/// the source split it.
pub fn author_name_forms(author: &Author) -> Vec<String> {
    let mut forms = Vec::with_capacity(2);
    if !author.raw_name.trim().is_empty() {
        forms.push(author.raw_name.clone());
    }
    if let (Some(f), Some(g)) = (author.family.as_deref(), author.given.as_deref()) {
        let joined = format!("{} {}", f.trim(), g.trim());
        if !joined.trim().is_empty() && !forms.contains(&joined) {
            forms.push(joined);
        }
    }
    forms
}

/// Resolves every person authorship in `works` to a person id.
pub fn resolve_identities(works: &[Work], options: &IdentityOptions) -> Resolution {
    resolve_identities_declared(works, options, &[])
}

/// [`resolve_identities`] with the people a registry record declares (see the module doc).
pub fn resolve_identities_declared(
    works: &[Work],
    options: &IdentityOptions,
    declared: &[DeclaredPerson],
) -> Resolution {
    let declared = DeclaredIndex::new(declared);
    let features: Vec<Features> = works
        .par_iter()
        .enumerate()
        .flat_map_iter(|(work_index, work)| authorship_features(work_index, work, options.use_orcid, &declared))
        .collect();
    let total_authorships: usize = works.iter().map(|w| w.authors.len()).sum();
    let skipped_authorships = total_authorships.saturating_sub(features.len());

    let mut order: Vec<usize> = (0..features.len()).collect();
    // Within a block, members are ordered by (work id, position) so that results do not depend on input order.
    let key = |i: usize| {
        let f = &features[i];
        (f.block.as_str(), works.get(f.work_index).map_or("", |w| w.work_id.as_str()), f.position)
    };
    order.sort_by(|a, b| key(*a).cmp(&key(*b)));
    let blocks: Vec<&[usize]> = order.chunk_by(|a, b| features[*a].block == features[*b].block).collect();

    let mut assignments: Vec<PersonAssignment> =
        blocks.par_iter().flat_map_iter(|block| resolve_block(block, &features, works, options)).collect();
    assignments.sort_by(|a, b| (a.work_id.as_str(), a.position).cmp(&(b.work_id.as_str(), b.position)));
    let mut person_ids: Vec<&str> = assignments.iter().map(|a| a.person_id.as_str()).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    Resolution { persons: person_ids.len(), blocks: blocks.len(), skipped_authorships, assignments }
}

/// Hides ORCIDs, resolves, and compares the pairs of ORCID-bearing authorships with the ORCID truth.
pub fn evaluate_against_orcid(works: &[Work], options: &IdentityOptions) -> PairwiseEvaluation {
    let hidden = IdentityOptions { use_orcid: false, ..options.clone() };
    let resolution = resolve_identities(works, &hidden);
    // (orcid, person id, blocking key) for every labeled authorship.
    let mut labeled: Vec<(&str, &str, &str)> = Vec::new();
    for work in works {
        for (position, author) in work.authors.iter().enumerate() {
            let Some(orcid) = author.orcid.as_deref() else { continue };
            let Ok(position) = u32::try_from(position) else { continue };
            let index = resolution
                .assignments
                .binary_search_by(|a| (a.work_id.as_str(), a.position).cmp(&(work.work_id.as_str(), position)));
            if let Ok(i) = index
                && let Some(a) = resolution.assignments.get(i)
            {
                labeled.push((orcid, a.person_id.as_str(), a.blocking_key.as_str()));
            }
        }
    }
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let count_by = |key: &LabelKey| -> u64 {
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        for l in &labeled {
            *counts.entry(key(l)).or_default() += 1;
        }
        counts.values().map(|n| pairs(*n)).sum()
    };
    let true_pairs = count_by(&|l| (l.0.to_owned(), String::new()));
    let predicted_pairs = count_by(&|l| (l.1.to_owned(), String::new()));
    let correct_pairs = count_by(&|l| (l.0.to_owned(), l.1.to_owned()));
    let block_pairs = count_by(&|l| (l.2.to_owned(), String::new()));
    let block_correct = count_by(&|l| (l.0.to_owned(), l.2.to_owned()));
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(correct_pairs, predicted_pairs);
    let recall = ratio(correct_pairs, true_pairs);
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    let mut orcids: Vec<&str> = labeled.iter().map(|l| l.0).collect();
    orcids.sort_unstable();
    orcids.dedup();
    PairwiseEvaluation {
        labeled_authorships: labeled.len(),
        distinct_orcids: orcids.len(),
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1,
        true_pairs_across_blocks: true_pairs - block_correct,
        baseline_block_precision: ratio(block_correct, block_pairs),
        baseline_block_recall: ratio(block_correct, true_pairs),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Details.

/// What the resolver knows about one authorship.
struct Features {
    work_index: usize,
    position: u32,
    block: String,
    name: NormalizedName,
    orcid: Option<String>,
    email: Option<String>,
    /// Hashes of the co-authors' blocking keys, sorted, de-duplicated.
    coauthors: Vec<u64>,
    /// Hashes of informative affiliation tokens, sorted, de-duplicated.
    affiliation_tokens: Vec<u64>,
    /// Folded first affiliation, truncated (for Jaro-Winkler).
    affiliation_text: String,
    venue: Option<u64>,
    /// Hashes of MeSH terms, keywords and title words, sorted, de-duplicated.
    topics: Vec<u64>,
    /// The authorship is a declared person's (its block is then `declared:<id>`).
    declared: bool,
}

/// Longest affiliation prefix compared with Jaro-Winkler (characters).
const AFFILIATION_TEXT_MAX: usize = 160;

fn authorship_features(work_index: usize, work: &Work, use_orcid: bool, declared: &DeclaredIndex<'_>) -> Vec<Features> {
    let names: Vec<Option<NormalizedName>> = work.authors.iter().map(normalize_author).collect();
    let declared_ids: Vec<Option<&DeclaredPerson>> = work.authors.iter().map(|a| declared.person_of(a)).collect();
    // A declared person's block (and co-author key) is their record's, whatever script the byline uses.
    let keys: Vec<Option<String>> = names
        .iter()
        .zip(&declared_ids)
        .map(|(n, d)| match (n, d) {
            (Some(_), Some(d)) => Some(format!("declared:{}", d.id)),
            (n, _) => n.as_ref().and_then(NormalizedName::blocking_key),
        })
        .collect();
    let venue = work
        .venue
        .issns
        .first()
        .cloned()
        .or_else(|| work.venue.abbreviation.clone())
        .or_else(|| work.venue.title.clone())
        .map(|v| stable_hash64(fold(&v).as_bytes()));
    let mut topics: Vec<u64> = work
        .mesh
        .iter()
        .chain(work.keywords.iter())
        .map(|t| stable_hash64(fold(t).as_bytes()))
        .chain(
            work.title
                .as_deref()
                .map(fold)
                .unwrap_or_default()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() >= 5)
                .map(|t| stable_hash64(t.as_bytes())),
        )
        .collect();
    topics.sort_unstable();
    topics.dedup();
    let mut out = Vec::new();
    for (position, author) in work.authors.iter().enumerate() {
        let (Some(name), Some(block)) = (names[position].clone(), keys[position].clone()) else { continue };
        let Ok(position_u32) = u32::try_from(position) else { continue };
        let mut coauthors: Vec<u64> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != position)
            .filter_map(|(_, k)| k.as_deref().map(|k| stable_hash64(k.as_bytes())))
            .collect();
        coauthors.sort_unstable();
        coauthors.dedup();
        let affiliation_folded = author.affiliations.first().map(|a| fold(&a.raw)).unwrap_or_default();
        let mut affiliation_tokens: Vec<u64> = author
            .affiliations
            .iter()
            .flat_map(|a| {
                fold(&a.raw)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|t| t.len() >= 3 && !AFFILIATION_STOPWORDS.contains(t) && !t.contains('@'))
                    .map(|t| stable_hash64(t.as_bytes()))
                    .collect::<Vec<_>>()
            })
            .collect();
        affiliation_tokens.sort_unstable();
        affiliation_tokens.dedup();
        out.push(Features {
            work_index,
            position: position_u32,
            block,
            name,
            orcid: if use_orcid { author.orcid.clone() } else { None },
            email: author.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| e.contains('@')),
            coauthors,
            affiliation_tokens,
            affiliation_text: affiliation_folded.chars().take(AFFILIATION_TEXT_MAX).collect(),
            venue,
            topics: topics.clone(),
            declared: declared_ids[position].is_some(),
        });
    }
    out
}

/// Links the authorships of one block and names the resulting persons.
fn resolve_block(
    block: &[usize],
    features: &[Features],
    works: &[Work],
    options: &IdentityOptions,
) -> Vec<PersonAssignment> {
    let members: Vec<&Features> = block.iter().map(|i| &features[*i]).collect();
    let n = members.len();
    let mut clusters = UnionFind::new(members.iter().map(|m| m.orcid.clone()).collect());
    let mut evidence: Vec<Option<LinkEvidence>> = vec![None; n];
    let work_id = |m: &Features| works.get(m.work_index).map(|w| w.work_id.clone()).unwrap_or_default();

    // 1. ORCID: the first authorship with an ORCID anchors the others with the same one.
    let mut first_with_orcid: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        if let Some(orcid) = m.orcid.as_deref() {
            match first_with_orcid.get(orcid) {
                Some(&anchor) => {
                    clusters.union(anchor, i);
                    evidence[i] = Some(LinkEvidence {
                        via: "orcid",
                        linked_work_id: Some(work_id(members[anchor])),
                        linked_position: Some(members[anchor].position),
                        score: WEIGHT_SAME_ORCID,
                        reasons: vec![format!("same ORCID {orcid}")],
                    });
                }
                None => {
                    first_with_orcid.insert(orcid, i);
                }
            }
        }
    }

    // 2. Candidate pairs from shared co-authors, e-mails and affiliation tokens.
    let mut postings: BTreeMap<(u8, u64), Vec<u32>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let Ok(i) = u32::try_from(i) else { continue };
        for c in &m.coauthors {
            postings.entry((0, *c)).or_default().push(i);
        }
        for t in &m.affiliation_tokens {
            postings.entry((1, *t)).or_default().push(i);
        }
        if let Some(e) = &m.email {
            postings.entry((2, stable_hash64(e.as_bytes()))).or_default().push(i);
        }
    }
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for list in postings.values() {
        if list.len() < 2 || list.len() > options.max_posting {
            continue;
        }
        for (k, a) in list.iter().enumerate() {
            for b in &list[k + 1..] {
                candidates.push((*a, *b));
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();

    // 3. Score, keep links above threshold, apply strongest first.
    let threshold =
        options.link_threshold + if n > options.large_block { options.large_block_extra_threshold } else { 0.0 };
    let mut links: Vec<(f64, u32, u32, Vec<String>)> = candidates
        .into_iter()
        .filter_map(|(a, b)| {
            let (fa, fb) = (members[a as usize], members[b as usize]);
            let (score, strong, reasons) = pair_evidence(fa, fb);
            (strong && score >= threshold).then_some((score, a, b, reasons))
        })
        .collect();
    links.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (score, a, b, reasons) in links {
        let (a, b) = (a as usize, b as usize);
        if clusters.union(a, b) {
            let target = if evidence[b].is_none() { b } else { a };
            let other = if target == b { a } else { b };
            if evidence[target].is_none() {
                evidence[target] = Some(LinkEvidence {
                    via: "linked",
                    linked_work_id: Some(work_id(members[other])),
                    linked_position: Some(members[other].position),
                    score,
                    reasons,
                });
            }
        }
    }

    // 4. Name each cluster: ORCID when one is known, else a hash of the block key and its first authorship.
    let mut cluster_members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        cluster_members.entry(clusters.find(i)).or_default().push(i);
    }
    let mut out = Vec::with_capacity(n);
    for (root, list) in cluster_members {
        let person_id = match clusters.orcid(root) {
            Some(orcid) => format!("orcid:{orcid}"),
            None => {
                let first = list.iter().map(|i| (work_id(members[*i]), members[*i].position)).min().unwrap_or_default();
                let key = format!("{}#{}#{}", members[list[0]].block, first.0, first.1);
                format!("p{:016x}", stable_hash64(key.as_bytes()))
            }
        };
        for i in list {
            let m = members[i];
            let display_name = works
                .get(m.work_index)
                .and_then(|w| w.authors.get(m.position as usize))
                .map(|a| a.display_name().to_owned())
                .unwrap_or_default();
            out.push(PersonAssignment {
                work_id: work_id(m),
                position: m.position,
                person_id: person_id.clone(),
                display_name,
                blocking_key: m.block.clone(),
                evidence: evidence[i].take().unwrap_or(LinkEvidence {
                    via: "alone",
                    linked_work_id: None,
                    linked_position: None,
                    score: 0.0,
                    reasons: Vec::new(),
                }),
            });
        }
    }
    out
}

/// The weighted evidence that two authorships in one block are one person: (score, has strong evidence, reasons).
fn pair_evidence(a: &Features, b: &Features) -> (f64, bool, Vec<String>) {
    let mut reasons = Vec::new();
    // Two names of one declared person are compatible by the record, whatever their scripts.
    let one_record = a.declared && b.declared;
    if !one_record && !a.name.given_compatible(&b.name) {
        return (0.0, false, reasons);
    }
    if one_record {
        reasons.push("names of one declared record".to_owned());
    }
    let mut score = 0.0;
    let mut strong = false;
    let shared = count_shared(&a.coauthors, &b.coauthors);
    if shared > 0 {
        score += WEIGHT_SHARED_COAUTHOR + WEIGHT_EXTRA_COAUTHOR * (shared.min(3) - 1) as f64;
        strong = true;
        reasons.push(format!("{shared} shared co-author(s)"));
    }
    if a.email.is_some() && a.email == b.email {
        score += WEIGHT_SAME_EMAIL;
        strong = true;
        reasons.push("same e-mail".to_owned());
    }
    if !a.affiliation_text.is_empty() && !b.affiliation_text.is_empty() {
        let jaccard = jaccard(&a.affiliation_tokens, &b.affiliation_tokens);
        let similarity = strsim::jaro_winkler(&a.affiliation_text, &b.affiliation_text);
        if similarity >= AFFILIATION_STRONG_SIMILARITY || jaccard >= AFFILIATION_STRONG_JACCARD {
            score += WEIGHT_AFFILIATION_STRONG;
            strong = true;
            reasons.push(format!("affiliation similarity {similarity:.2}, shared words {jaccard:.2}"));
        } else if jaccard >= AFFILIATION_WEAK_JACCARD {
            score += WEIGHT_AFFILIATION_WEAK;
            reasons.push(format!("related affiliation, shared words {jaccard:.2}"));
        }
    }
    if a.venue.is_some() && a.venue == b.venue {
        score += WEIGHT_SAME_VENUE;
        reasons.push("same venue".to_owned());
    }
    let topic = jaccard(&a.topics, &b.topics);
    if topic >= TOPIC_OVERLAP_JACCARD {
        score += WEIGHT_TOPIC_OVERLAP;
        reasons.push(format!("topic overlap {topic:.2}"));
    }
    if !a.name.given_key.is_empty() && a.name.given_key == b.name.given_key {
        score += WEIGHT_SAME_FULL_GIVEN;
        reasons.push("same full given name".to_owned());
    }
    (score, strong, reasons)
}

/// Number of common values of two sorted, de-duplicated slices.
fn count_shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let shared = count_shared(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 { 0.0 } else { shared as f64 / union as f64 }
}

/// Union-find that refuses to merge clusters with two different ORCIDs.
struct UnionFind {
    parent: Vec<usize>,
    orcid: Vec<Option<String>>,
}

impl UnionFind {
    fn new(orcid: Vec<Option<String>>) -> UnionFind {
        UnionFind { parent: (0..orcid.len()).collect(), orcid }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn orcid(&self, root: usize) -> Option<&str> {
        self.orcid.get(root).and_then(|o| o.as_deref())
    }

    /// Merges the clusters of `a` and `b`; false when already one cluster or their ORCIDs conflict.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        match (&self.orcid[ra], &self.orcid[rb]) {
            (Some(x), Some(y)) if x != y => return false,
            _ => {}
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if self.orcid[keep].is_none() {
            self.orcid[keep] = self.orcid[gone].take();
        }
        self.parent[gone] = keep;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_model::{Affiliation, Author};

    fn author(family: &str, given: &str, affiliation: &str) -> Author {
        Author {
            raw_name: format!("{given} {family}"),
            family: Some(family.to_owned()),
            given: Some(given.to_owned()),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }

    fn work(id: &str, authors: Vec<Author>) -> Work {
        Work { work_id: id.to_owned(), authors, ..Work::default() }
    }

    #[test]
    fn shared_coauthor_links_and_stranger_stays_apart() {
        let works = vec![
            work(
                "w1",
                vec![author("Kim", "Jae-Sung", "Seoul National University, Seoul, Korea"), author("Park", "Min", "")],
            ),
            work("w2", vec![author("Kim", "J S", "Dept of Physics, Busan"), author("Park", "Min", "")]),
            work("w3", vec![author("Kim", "Jae-Sung", "MIT, Cambridge, USA"), author("Lopez", "Ana", "")]),
        ];
        let r = resolve_identities(&works, &IdentityOptions::default());
        let p1 = r.person_of("w1", 0).map(str::to_owned);
        assert!(p1.is_some());
        assert_eq!(r.person_of("w2", 0).map(str::to_owned), p1);
        assert_ne!(r.person_of("w3", 0).map(str::to_owned), p1);
        let linked = r.assignments.iter().find(|a| a.work_id == "w2" && a.position == 0).map(|a| a.evidence.via);
        assert_eq!(linked, Some("linked"));
    }

    #[test]
    fn different_orcids_never_merge_even_with_shared_coauthors() {
        let mut a = author("Wang", "Wei", "Peking University, Beijing, China");
        a.orcid = Some("0000-0002-1825-0097".to_owned());
        let mut b = author("Wang", "Wei", "Peking University, Beijing, China");
        b.orcid = Some("0000-0001-5109-3700".to_owned());
        let works = vec![work("w1", vec![a, author("Li", "Na", "")]), work("w2", vec![b, author("Li", "Na", "")])];
        let r = resolve_identities(&works, &IdentityOptions::default());
        assert_eq!(r.person_of("w1", 0), Some("orcid:0000-0002-1825-0097"));
        assert_eq!(r.person_of("w2", 0), Some("orcid:0000-0001-5109-3700"));
    }

    fn named(raw: &str, affiliation: &str) -> Author {
        Author {
            raw_name: raw.to_owned(),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }

    /// One researcher written 山田 太郎 on a Japanese paper and Taro Yamada on an English one, with the same
    /// collaborator in both scripts: linked only when a record declares both spellings of both people.
    #[test]
    fn declared_names_link_across_scripts_and_nothing_else_does() {
        let works = vec![
            work("w1", vec![named("山田 太郎", "大阪大学 大学院医学系研究科"), named("鈴木 康之", "大阪大学")]),
            work("w2", vec![named("Taro Yamada", "Osaka University"), named("Yasuyuki Suzuki", "Osaka University")]),
            work("w3", vec![named("YAMADA Tarō", "Univ. of Nowhere, Chile"), named("Ana Lopez", "Chile")]),
        ];
        let options = IdentityOptions::default();
        let plain = resolve_identities(&works, &options);
        assert_ne!(plain.person_of("w1", 0), plain.person_of("w2", 0));
        let declared = [
            DeclaredPerson::new("erad:1", &["山田 太郎", "ヤマダ タロウ", "Yamada Taro"]),
            DeclaredPerson::new("erad:2", &["鈴木 康之", "SUZUKI Yasuyuki"]),
        ];
        let r = resolve_identities_declared(&works, &options, &declared);
        assert!(r.person_of("w1", 0).is_some());
        assert_eq!(r.person_of("w1", 0), r.person_of("w2", 0), "{:#?}", r.assignments);
        assert_eq!(r.person_of("w1", 1), r.person_of("w2", 1));
        // Same name, no evidence: not linked.
        assert_ne!(r.person_of("w3", 0), r.person_of("w1", 0));
        let linked =
            r.assignments.iter().find(|a| a.work_id == "w2" && a.position == 0).map(|a| a.evidence.reasons.clone());
        assert!(linked.is_some_and(|reasons| reasons.iter().any(|x| x.contains("declared record"))));
        // A kanji-only record and a romaji-only record do not meet through a reading.
        let apart = [
            DeclaredPerson::new("erad:1", &["山田 太郎"]),
            DeclaredPerson::new("erad:9", &["Yamada Taro"]),
            DeclaredPerson::new("erad:2", &["鈴木 康之", "SUZUKI Yasuyuki"]),
        ];
        let r = resolve_identities_declared(&works, &options, &apart);
        assert_ne!(r.person_of("w1", 0), r.person_of("w2", 0));
    }

    #[test]
    fn ids_are_stable_across_input_order_and_empty_input_is_fine() {
        let works = vec![
            work("w1", vec![author("Suzuki", "Akio", "Kyoto University, Japan"), author("Ito", "K", "")]),
            work("w2", vec![author("Suzuki", "Akio", "Kyoto University, Japan"), author("Ito", "K", "")]),
        ];
        let mut reversed = works.clone();
        reversed.reverse();
        let a = resolve_identities(&works, &IdentityOptions::default());
        let b = resolve_identities(&reversed, &IdentityOptions::default());
        assert_eq!(a.assignments, b.assignments);
        assert_eq!(a.persons, 2);
        let empty = resolve_identities(&[], &IdentityOptions::default());
        assert_eq!(empty.persons, 0);
        assert_eq!(evaluate_against_orcid(&[], &IdentityOptions::default()).precision, 0.0);
    }
}
