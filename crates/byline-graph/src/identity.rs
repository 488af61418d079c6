//! Author identity resolution: one stable person id per authorship (work, byline position), with evidence.
//!
//! ORCID first: authorships carrying the same ORCID are one person, and two different ORCIDs are never merged.
//! Everything else is blocked on [`NormalizedName::blocking_key`] (folded family + first initial). Inside a
//! block, candidate pairs come from an inverted index over shared co-authors, e-mails and affiliation tokens
//! (one sorted integer list of (kind, value hash, member), read as postings): each authorship scores at most
//! [`IdentityOptions::max_candidates`] others, from its rarest postings first, so a block of a common name
//! costs linear time, not quadratic (the issue 20 profile in BENCHMARKS.md). A pair is linked when
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

use std::collections::{BTreeMap, HashMap};

use byline_model::{Work, stable_hash64};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// Distinct candidates scored per authorship, taken from its rarest shared values first (a co-author or
    /// affiliation word few authorships of the block share says more than a common one): bounds the work per
    /// authorship, so that a block of a common name costs linear time, not quadratic. 24 keeps the identity
    /// precision and recall of scoring every candidate on the synthetic bench (20k works: 0.8477 / 0.9992 against
    /// 0.8470 / 0.9992) and raises precision on PubMed 21n1298 (0.923 against 0.886; recall 0.917 against
    /// 0.919, one true pair of 642); measured in BENCHMARKS.md (issue 20).
    pub max_candidates: usize,
}

impl Default for IdentityOptions {
    fn default() -> IdentityOptions {
        IdentityOptions {
            use_orcid: true,
            link_threshold: 2.0,
            large_block: 200,
            large_block_extra_threshold: 0.5,
            max_posting: 300,
            max_candidates: 24,
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
    let per_work: Vec<(WorkFeatures, Vec<Features>)> = works
        .par_iter()
        .enumerate()
        .map(|(work_index, work)| work_features(work_index, work, options.use_orcid, &declared))
        .collect();
    let mut work_features = Vec::with_capacity(per_work.len());
    let mut features = Vec::new();
    for (w, f) in per_work {
        work_features.push(w);
        features.extend(f);
    }
    let ids: Vec<u32> = {
        let mut map: HashMap<&str, u32> = HashMap::new();
        features
            .iter()
            .map(|f| {
                let next = u32::try_from(map.len()).unwrap_or(u32::MAX);
                *map.entry(f.affiliation_text.as_str()).or_insert(next)
            })
            .collect()
    };
    for (f, id) in features.iter_mut().zip(ids) {
        f.affiliation_id = id;
    }
    let total_authorships: usize = works.iter().map(|w| w.authors.len()).sum();
    let skipped_authorships = total_authorships.saturating_sub(features.len());

    // Within a block, members are ordered by (work id, position) so that results do not depend on input order;
    // blocks are grouped by the key's hash first (an integer compare), then by the key itself.
    let mut order: Vec<usize> = (0..features.len()).collect();
    let key = |i: usize| {
        let f = &features[i];
        (
            f.block_hash,
            f.block.as_str(),
            works.get(f.work_index).map_or("", |w| w.work_id.as_str()),
            f.position,
            f.work_index,
        )
    };
    order.par_sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
    let mut blocks: Vec<&[usize]> = order.chunk_by(|a, b| features[*a].block == features[*b].block).collect();
    // Blocks in key order, so that the output is the same whatever the hash order.
    blocks.par_sort_unstable_by(|a, b| features[a[0]].block.cmp(&features[b[0]].block));

    let context = BlockContext { features: &features, work_features: &work_features, labels: works, options };
    // Largest blocks first, so that one big block does not start last and run alone.
    let mut by_size: Vec<usize> = (0..blocks.len()).collect();
    by_size.sort_by_key(|i| std::cmp::Reverse(blocks[*i].len()));
    let mut resolved: Vec<(usize, Vec<PersonAssignment>)> =
        by_size.par_iter().map(|i| (*i, context.resolve_block(blocks[*i]))).collect();
    resolved.sort_unstable_by_key(|(i, _)| *i);
    let mut assignments: Vec<PersonAssignment> = Vec::with_capacity(features.len());
    for (_, list) in resolved {
        assignments.extend(list);
    }
    assignments.par_sort_by(|a, b| (a.work_id.as_str(), a.position).cmp(&(b.work_id.as_str(), b.position)));
    let mut person_ids: Vec<&str> = assignments.iter().map(|a| a.person_id.as_str()).collect();
    person_ids.par_sort_unstable();
    person_ids.dedup();
    Resolution { persons: person_ids.len(), blocks: blocks.len(), skipped_authorships, assignments }
}

/// One authorship as its block's resolution reads it: what [`resolve_identities`] derives from the authorship
/// and from its work, serializable, so that blocks can be resolved apart from the corpus (the Spark job's
/// shuffle by blocking key). Nothing a block reads depends on another block: [`resolve_block`] of each block's
/// members gives the assignments [`resolve_identities`] gives (declared people aside: the members are made
/// without any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockMember {
    work_id: String,
    /// Any number increasing in corpus order (the Spark job's `part rank << 32 | row`): orders two records
    /// with one work id as the corpus order does.
    corpus_position: u64,
    display_name: String,
    features: Features,
    work: WorkFeatures,
}

impl BlockMember {
    /// The blocking key: the members of one block are resolved together.
    pub fn block(&self) -> &str {
        &self.features.block
    }

    pub fn work_id(&self) -> &str {
        &self.work_id
    }

    pub fn position(&self) -> u32 {
        self.features.position
    }
}

/// The block members of one work's person authorships (authorships without a person name have none), with
/// the work's place in the corpus (see [`BlockMember`]).
pub fn block_members(work: &Work, corpus_position: u64, options: &IdentityOptions) -> Vec<BlockMember> {
    let (work_features, features) = work_features(0, work, options.use_orcid, &DeclaredIndex::default());
    features
        .into_iter()
        .map(|f| BlockMember {
            work_id: work.work_id.clone(),
            corpus_position,
            display_name: work.authors.get(f.position as usize).map_or("", |a| a.display_name()).to_owned(),
            features: f,
            work: work_features.clone(),
        })
        .collect()
}

/// A set of block members that is not one block.
#[derive(Debug, thiserror::Error)]
#[error("block members of two blocks resolved together: '{0}' and '{1}'")]
pub struct MixedBlocks(pub String, pub String);

/// Resolves one block's members (every member of the block, in any order) as [`resolve_identities`] resolves
/// that block: the same person ids, display names and evidence.
pub fn resolve_block(
    members: Vec<BlockMember>,
    options: &IdentityOptions,
) -> Result<Vec<PersonAssignment>, MixedBlocks> {
    let mut members = members;
    if let Some(first) = members.first()
        && let Some(other) = members.iter().find(|m| m.features.block != first.features.block)
    {
        return Err(MixedBlocks(first.features.block.clone(), other.features.block.clone()));
    }
    // The block's order in `resolve_identities`: (work id, position, corpus order).
    members.sort_by(|a, b| {
        (a.work_id.as_str(), a.features.position, a.corpus_position).cmp(&(
            b.work_id.as_str(),
            b.features.position,
            b.corpus_position,
        ))
    });
    let mut texts: HashMap<String, u32> = HashMap::new();
    let mut features = Vec::with_capacity(members.len());
    let mut work_features = Vec::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        let mut f = m.features.clone();
        f.work_index = i;
        let next = u32::try_from(texts.len()).unwrap_or(u32::MAX);
        f.affiliation_id = *texts.entry(f.affiliation_text.clone()).or_insert(next);
        features.push(f);
        work_features.push(m.work.clone());
    }
    let context =
        BlockContext { features: &features, work_features: &work_features, labels: members.as_slice(), options };
    let order: Vec<usize> = (0..features.len()).collect();
    Ok(context.resolve_block(&order))
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

/// What the resolver knows about one work, shared by its authorships.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WorkFeatures {
    venue: Option<u64>,
    /// Hashes of MeSH terms, keywords and title words, sorted, de-duplicated.
    topics: Vec<u64>,
    /// Hashes of the blocking keys of every named author, sorted, de-duplicated. An authorship's co-authors
    /// are these minus its own key (unless another author of the work has the same key).
    keys: Vec<u64>,
}

/// What the resolver knows about one authorship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Features {
    /// Index into the resolver's works (and their [`WorkFeatures`]); set by whoever builds the block.
    #[serde(skip)]
    work_index: usize,
    position: u32,
    block: String,
    /// `stable_hash64` of `block`.
    block_hash: u64,
    name: NormalizedName,
    orcid: Option<String>,
    email: Option<String>,
    /// Another author of the same work has the same blocking key (so the key is one of this one's co-authors).
    key_repeated: bool,
    /// Hashes of informative affiliation tokens, sorted, de-duplicated.
    affiliation_tokens: Vec<u64>,
    /// Folded first affiliation, truncated (for Jaro-Winkler).
    affiliation_text: String,
    /// The same number for the same `affiliation_text` across the corpus, or across the block when a block is
    /// resolved alone (similarities are memoized by it, and equal numbers mean equal texts: either way the
    /// same links).
    #[serde(skip)]
    affiliation_id: u32,
    /// The authorship is a declared person's (its block is then `declared:<id>`).
    declared: bool,
}

/// Longest affiliation prefix compared with Jaro-Winkler (characters).
const AFFILIATION_TEXT_MAX: usize = 160;

fn work_features(
    work_index: usize,
    work: &Work,
    use_orcid: bool,
    declared: &DeclaredIndex<'_>,
) -> (WorkFeatures, Vec<Features>) {
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
    let key_hashes: Vec<Option<u64>> = keys.iter().map(|k| k.as_deref().map(|k| stable_hash64(k.as_bytes()))).collect();
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
    let mut sorted_keys: Vec<u64> = key_hashes.iter().flatten().copied().collect();
    sorted_keys.sort_unstable();
    let repeated = |h: u64| sorted_keys.partition_point(|k| *k < h) + 1 < sorted_keys.partition_point(|k| *k <= h);
    let repeated_keys: Vec<u64> = {
        let mut r: Vec<u64> = sorted_keys.iter().copied().filter(|h| repeated(*h)).collect();
        r.dedup();
        r
    };
    let mut unique_keys = sorted_keys.clone();
    unique_keys.dedup();

    // Affiliation strings repeat across a work's authors: fold and tokenize each distinct one once.
    let mut folded: HashMap<&str, (String, Vec<u64>)> = HashMap::new();
    for author in &work.authors {
        for a in &author.affiliations {
            folded.entry(a.raw.as_str()).or_insert_with(|| {
                let f = fold(&a.raw);
                let tokens = f
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|t| t.len() >= 3 && !AFFILIATION_STOPWORDS.contains(t) && !t.contains('@'))
                    .map(|t| stable_hash64(t.as_bytes()))
                    .collect();
                (f, tokens)
            });
        }
    }
    let mut out = Vec::new();
    for (position, author) in work.authors.iter().enumerate() {
        let (Some(name), Some(block), Some(block_hash)) =
            (names[position].clone(), keys[position].clone(), key_hashes[position])
        else {
            continue;
        };
        let Ok(position_u32) = u32::try_from(position) else { continue };
        let affiliation_text = author
            .affiliations
            .first()
            .and_then(|a| folded.get(a.raw.as_str()))
            .map(|(f, _)| f.chars().take(AFFILIATION_TEXT_MAX).collect())
            .unwrap_or_default();
        let mut affiliation_tokens: Vec<u64> = author
            .affiliations
            .iter()
            .filter_map(|a| folded.get(a.raw.as_str()))
            .flat_map(|(_, tokens)| tokens.iter().copied())
            .collect();
        affiliation_tokens.sort_unstable();
        affiliation_tokens.dedup();
        out.push(Features {
            work_index,
            position: position_u32,
            block,
            block_hash,
            name,
            orcid: if use_orcid { author.orcid.clone() } else { None },
            email: author.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| e.contains('@')),
            key_repeated: repeated_keys.binary_search(&block_hash).is_ok(),
            affiliation_tokens,
            affiliation_text,
            affiliation_id: 0,
            declared: declared_ids[position].is_some(),
        });
    }
    (WorkFeatures { venue, topics, keys: unique_keys }, out)
}

/// Blocks above this size find their candidate pairs on several threads.
const PARALLEL_BLOCK: usize = 512;

/// Posting kinds (candidate pairs come from shared values of each kind).
const POSTING_COAUTHOR: u8 = 0;
const POSTING_AFFILIATION: u8 = 1;
const POSTING_EMAIL: u8 = 2;

/// The work id and an author's display name, by work index: the corpus's works, or a lone block's members.
trait Labels: Sync {
    fn work_id(&self, work_index: usize) -> &str;
    fn display_name(&self, work_index: usize, position: u32) -> &str;
}

impl Labels for [Work] {
    fn work_id(&self, work_index: usize) -> &str {
        self.get(work_index).map_or("", |w| w.work_id.as_str())
    }

    fn display_name(&self, work_index: usize, position: u32) -> &str {
        self.get(work_index).and_then(|w| w.authors.get(position as usize)).map_or("", |a| a.display_name())
    }
}

/// A lone block's members, each its own work index.
impl Labels for [BlockMember] {
    fn work_id(&self, work_index: usize) -> &str {
        self.get(work_index).map_or("", |m| m.work_id.as_str())
    }

    fn display_name(&self, work_index: usize, _position: u32) -> &str {
        self.get(work_index).map_or("", |m| m.display_name.as_str())
    }
}

/// What every block reads.
struct BlockContext<'a, L: Labels + ?Sized> {
    features: &'a [Features],
    work_features: &'a [WorkFeatures],
    labels: &'a L,
    options: &'a IdentityOptions,
}

impl<L: Labels + ?Sized> BlockContext<'_, L> {
    fn work_id(&self, m: &Features) -> String {
        self.labels.work_id(m.work_index).to_owned()
    }

    fn work_of(&self, m: &Features) -> &WorkFeatures {
        &self.work_features[m.work_index]
    }

    /// Links the authorships of one block and names the resulting persons.
    fn resolve_block(&self, block: &[usize]) -> Vec<PersonAssignment> {
        let members: Vec<&Features> = block.iter().map(|i| &self.features[*i]).collect();
        let n = members.len();
        let mut clusters = UnionFind::new(members.iter().map(|m| m.orcid.clone()).collect());
        let mut evidence: Vec<Option<LinkEvidence>> = vec![None; n];

        // 1. ORCID: the first authorship with an ORCID anchors the others with the same one.
        let mut first_with_orcid: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            if let Some(orcid) = m.orcid.as_deref() {
                match first_with_orcid.get(orcid) {
                    Some(&anchor) => {
                        clusters.union(anchor, i);
                        evidence[i] = Some(LinkEvidence {
                            via: "orcid",
                            linked_work_id: Some(self.work_id(members[anchor])),
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

        // 2. Candidate pairs from shared co-authors, e-mails and affiliation tokens, scored as they are found;
        // 3. links above threshold, applied strongest first.
        let threshold = self.options.link_threshold
            + if n > self.options.large_block { self.options.large_block_extra_threshold } else { 0.0 };
        let mut links = if n < 2 { Vec::new() } else { self.scored_links(&members, threshold) };
        links.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        links.dedup_by(|x, y| x.1 == y.1 && x.2 == y.2);
        for (score, a, b) in links {
            let (a, b) = (a as usize, b as usize);
            if clusters.union(a, b) {
                let target = if evidence[b].is_none() { b } else { a };
                let other = if target == b { a } else { b };
                if evidence[target].is_none() {
                    let (_, _, reasons) =
                        pair_evidence(members[a], members[b], self.work_of(members[a]), self.work_of(members[b]));
                    evidence[target] = Some(LinkEvidence {
                        via: "linked",
                        linked_work_id: Some(self.work_id(members[other])),
                        linked_position: Some(members[other].position),
                        score,
                        reasons,
                    });
                }
            }
        }

        // 4. Name each cluster: ORCID when one is known, else a hash of the block key and its first authorship.
        let roots: Vec<usize> = (0..n).map(|i| clusters.find(i)).collect();
        let mut by_root: Vec<(usize, usize)> = roots.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        by_root.sort_unstable();
        let mut out = Vec::with_capacity(n);
        for group in by_root.chunk_by(|x, y| x.0 == y.0) {
            let root = group[0].0;
            let person_id = match clusters.orcid(root) {
                Some(orcid) => format!("orcid:{orcid}"),
                None => {
                    // Members are in (work id, position) order, so the first is the smallest.
                    let first = members[group[0].1];
                    let key = format!("{}#{}#{}", first.block, self.work_id(first), first.position);
                    format!("p{:016x}", stable_hash64(key.as_bytes()))
                }
            };
            for &(_, i) in group {
                let m = members[i];
                let display_name = self.labels.display_name(m.work_index, m.position).to_owned();
                out.push(PersonAssignment {
                    work_id: self.work_id(m),
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

    /// Every candidate pair (members sharing a posting of 2..=`max_posting` members) whose evidence reaches
    /// `threshold`, as (score, a, b) with a < b.
    fn scored_links(&self, members: &[&Features], threshold: f64) -> Vec<(f64, u32, u32)> {
        let n = members.len();
        // Postings as one sorted integer list: (kind, value, member).
        let mut entries: Vec<(u8, u64, u32)> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            for c in &self.work_of(m).keys {
                if *c != m.block_hash || m.key_repeated {
                    entries.push((POSTING_COAUTHOR, *c, i));
                }
            }
            for t in &m.affiliation_tokens {
                entries.push((POSTING_AFFILIATION, *t, i));
            }
            if let Some(e) = &m.email {
                entries.push((POSTING_EMAIL, stable_hash64(e.as_bytes()), i));
            }
        }
        entries.sort_unstable();
        // Kept postings as ranges of `posting_members`, and each member's postings (CSR).
        let mut posting_members: Vec<u32> = Vec::new();
        let mut posting_ranges: Vec<(u32, u32)> = Vec::new();
        for group in entries.chunk_by(|x, y| x.0 == y.0 && x.1 == y.1) {
            if group.len() < 2 || group.len() > self.options.max_posting {
                continue;
            }
            let start = posting_members.len() as u32;
            posting_members.extend(group.iter().map(|e| e.2));
            posting_ranges.push((start, posting_members.len() as u32));
        }
        drop(entries);
        let mut member_start = vec![0u32; n + 1];
        for m in &posting_members {
            member_start[*m as usize + 1] += 1;
        }
        for i in 0..n {
            member_start[i + 1] += member_start[i];
        }
        let mut member_postings = vec![0u32; posting_members.len()];
        let mut fill = member_start.clone();
        for (p, (start, end)) in posting_ranges.iter().enumerate() {
            for m in &posting_members[*start as usize..*end as usize] {
                member_postings[fill[*m as usize] as usize] = p as u32;
                fill[*m as usize] += 1;
            }
        }
        // The candidates of one member a: its postings rarest first (a value few authorships share says more),
        // every other member of each, until `max_candidates` distinct ones were scored; `seen` de-duplicates
        // them. A pair can be found from both sides; it is scored in (smaller, larger) order and kept once.
        let links_of = |a: usize, seen: &mut Vec<u32>, memo: &mut SimilarityMemo, out: &mut Vec<(f64, u32, u32)>| {
            let a32 = a as u32;
            let mut mine: Vec<(u32, u32)> = member_postings[member_start[a] as usize..member_start[a + 1] as usize]
                .iter()
                .map(|p| {
                    let (start, end) = posting_ranges[*p as usize];
                    (end - start, *p)
                })
                .collect();
            mine.sort_unstable();
            let mut budget = self.options.max_candidates;
            'postings: for (_, p) in mine {
                let (start, end) = posting_ranges[p as usize];
                for &b in &posting_members[start as usize..end as usize] {
                    if b == a32 || seen[b as usize] == a32 {
                        continue;
                    }
                    if budget == 0 {
                        break 'postings;
                    }
                    budget -= 1;
                    seen[b as usize] = a32;
                    let (x, y) = (a32.min(b), a32.max(b));
                    if let Some(score) = self.link_score(members[x as usize], members[y as usize], threshold, memo) {
                        out.push((score, x, y));
                    }
                }
            }
        };
        if n >= PARALLEL_BLOCK {
            (0..n)
                .into_par_iter()
                .fold(
                    || (vec![u32::MAX; n], SimilarityMemo::new(), Vec::new()),
                    |(mut seen, mut memo, mut out), a| {
                        links_of(a, &mut seen, &mut memo, &mut out);
                        (seen, memo, out)
                    },
                )
                .map(|(_, _, out)| out)
                .reduce(Vec::new, |mut x, mut y| {
                    x.append(&mut y);
                    x
                })
        } else {
            let mut seen = vec![u32::MAX; n];
            let mut memo = SimilarityMemo::new();
            let mut out = Vec::new();
            for a in 0..n {
                links_of(a, &mut seen, &mut memo, &mut out);
            }
            out
        }
    }

    /// The score of [`pair_evidence`] when it links (strong evidence, score ≥ `threshold`), else `None`; the
    /// same arithmetic in the same order, without the reasons, and with the affiliation string similarity
    /// computed only when it can decide the link.
    fn link_score(&self, a: &Features, b: &Features, threshold: f64, memo: &mut SimilarityMemo) -> Option<f64> {
        // Two names of one declared person are compatible by the record, whatever their scripts.
        let one_record = a.declared && b.declared;
        if !one_record && !a.name.given_compatible(&b.name) {
            return None;
        }
        let (wa, wb) = (self.work_of(a), self.work_of(b));
        let shared = shared_coauthors(a, b, wa, wb);
        let coauthor_score =
            if shared > 0 { WEIGHT_SHARED_COAUTHOR + WEIGHT_EXTRA_COAUTHOR * (shared.min(3) - 1) as f64 } else { 0.0 };
        let same_email = a.email.is_some() && a.email == b.email;
        let venue = wa.venue.is_some() && wa.venue == wb.venue;
        let topic = jaccard(&wa.topics, &wb.topics) >= TOPIC_OVERLAP_JACCARD;
        let given = !a.name.given_key.is_empty() && a.name.given_key == b.name.given_key;
        let total = |affiliation: f64| {
            let mut score = 0.0;
            if shared > 0 {
                score += coauthor_score;
            }
            if same_email {
                score += WEIGHT_SAME_EMAIL;
            }
            score += affiliation;
            if venue {
                score += WEIGHT_SAME_VENUE;
            }
            if topic {
                score += WEIGHT_TOPIC_OVERLAP;
            }
            if given {
                score += WEIGHT_SAME_FULL_GIVEN;
            }
            score
        };
        let strong_elsewhere = shared > 0 || same_email;
        if a.affiliation_text.is_empty() || b.affiliation_text.is_empty() {
            let score = total(0.0);
            return (strong_elsewhere && score >= threshold).then_some(score);
        }
        let jaccard = jaccard(&a.affiliation_tokens, &b.affiliation_tokens);
        if jaccard >= AFFILIATION_STRONG_JACCARD {
            let score = total(WEIGHT_AFFILIATION_STRONG);
            return (score >= threshold).then_some(score);
        }
        // Adding less can only lower the sum: when even a strong affiliation falls short, nothing links.
        let if_strong = total(WEIGHT_AFFILIATION_STRONG);
        if if_strong < threshold {
            return None;
        }
        let similar = a.affiliation_id == b.affiliation_id
            || *memo
                .entry((a.affiliation_id.min(b.affiliation_id), a.affiliation_id.max(b.affiliation_id)))
                .or_insert_with(|| affiliation_similar(&a.affiliation_text, &b.affiliation_text));
        if similar {
            return Some(if_strong);
        }
        let score = total(if jaccard >= AFFILIATION_WEAK_JACCARD { WEIGHT_AFFILIATION_WEAK } else { 0.0 });
        (strong_elsewhere && score >= threshold).then_some(score)
    }
}

/// Whether two affiliation texts (by `affiliation_id`, smaller first) are similar, as computed once.
type SimilarityMemo = HashMap<(u32, u32), bool>;

/// Shared co-authors of two authorships of one block (the same key): the works' keys in common, minus their
/// own key unless both works have a second author with that key.
fn shared_coauthors(a: &Features, b: &Features, wa: &WorkFeatures, wb: &WorkFeatures) -> usize {
    let common = count_shared(&wa.keys, &wb.keys);
    // Both works hold the block's key (their own author's); it is a co-author of both only when repeated.
    if a.block_hash == b.block_hash && !(a.key_repeated && b.key_repeated) { common.saturating_sub(1) } else { common }
}

/// Jaro-Winkler similarity of two folded affiliations reaches [`AFFILIATION_STRONG_SIMILARITY`]; equal
/// strings and lengths too different to get there are decided without comparing characters.
fn affiliation_similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = (la.min(lb) as f64, la.max(lb) as f64);
    // Jaro ≤ (1 + short/long + 1) / 3 (every character of the shorter matched, no transposition), and
    // Winkler adds at most 0.4 × (1 − Jaro).
    let jaro_bound = (2.0 + short / long) / 3.0;
    if jaro_bound + 0.4 * (1.0 - jaro_bound) + 1e-9 < AFFILIATION_STRONG_SIMILARITY {
        return false;
    }
    jaro_winkler(a, b) >= AFFILIATION_STRONG_SIMILARITY
}

/// Jaro-Winkler similarity, the same figure as `strsim::jaro_winkler` (same matching window, transpositions
/// and prefix bonus), on bytes when both strings are ASCII and on chars otherwise, scanning only the window.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler_slices(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        jaro_winkler_slices(&a, &b)
    }
}

fn jaro_winkler_slices<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let sim = jaro_slices(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

fn jaro_slices<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 && lb == 0 {
        return 1.0;
    } else if la == 0 || lb == 0 {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    let mut flags = vec![false; la + lb];
    let (a_flags, b_flags) = flags.split_at_mut(la);
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let low = i.saturating_sub(range);
        let high = lb.min(i + range + 1);
        for j in low..high {
            if !b_flags[j] && *x == b[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut matched_b = b.iter().zip(b_flags.iter()).filter(|(_, f)| **f).map(|(y, _)| y);
    for (x, _) in a.iter().zip(a_flags.iter()).filter(|(_, f)| **f) {
        if let Some(y) = matched_b.next()
            && x != y
        {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / la as f64) + (matches as f64 / lb as f64) + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// The weighted evidence that two authorships in one block are one person: (score, has strong evidence,
/// reasons). The reference for [`BlockContext::link_score`], and the reasons of the links applied.
fn pair_evidence(a: &Features, b: &Features, wa: &WorkFeatures, wb: &WorkFeatures) -> (f64, bool, Vec<String>) {
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
    let shared = shared_coauthors(a, b, wa, wb);
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
        let similarity = jaro_winkler(&a.affiliation_text, &b.affiliation_text);
        if similarity >= AFFILIATION_STRONG_SIMILARITY || jaccard >= AFFILIATION_STRONG_JACCARD {
            score += WEIGHT_AFFILIATION_STRONG;
            strong = true;
            reasons.push(format!("affiliation similarity {similarity:.2}, shared words {jaccard:.2}"));
        } else if jaccard >= AFFILIATION_WEAK_JACCARD {
            score += WEIGHT_AFFILIATION_WEAK;
            reasons.push(format!("related affiliation, shared words {jaccard:.2}"));
        }
    }
    if wa.venue.is_some() && wa.venue == wb.venue {
        score += WEIGHT_SAME_VENUE;
        reasons.push("same venue".to_owned());
    }
    let topic = jaccard(&wa.topics, &wb.topics);
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

    /// The window-only Jaro-Winkler gives strsim's figure, on ASCII and on other scripts.
    #[test]
    fn jaro_winkler_is_strsims() {
        let texts = [
            "",
            "a",
            "dept of physics, seoul national university, seoul, korea",
            "department of physics, seoul national univ., korea",
            "mit, cambridge, usa",
            "massachusetts institute of technology, cambridge",
            "universite de montreal, quebec",
            "université de montréal, québec",
            "東京大学医学部",
            "東京大学 大学院医学系研究科",
            "crate",
            "trace",
            "dixon",
            "dicksonx",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(jaro_winkler(a, b).to_bits(), strsim::jaro_winkler(a, b).to_bits(), "{a:?} / {b:?}");
            }
        }
    }

    /// The fast score (similarity only when it decides, no reasons) links exactly the pairs the full evidence
    /// links, with the same score, over every pair of a block built to hit each branch.
    #[test]
    fn link_score_agrees_with_pair_evidence() {
        let affiliations = [
            "Seoul National University, Seoul, Korea",
            "Dept of Physics, Seoul National University, Korea",
            "Seoul National Univ, Seoul",
            "MIT, Cambridge, USA",
            "",
            "Kyoto University Hospital, Kyoto, Japan",
        ];
        let givens = ["Jae-Sung", "J S", "J", "Jae", "Jin"];
        let coauthors = [("Park", "Min"), ("Lee", "Sun"), ("Choi", "Yu")];
        let mut works = Vec::new();
        for (i, aff) in affiliations.iter().enumerate() {
            for (j, given) in givens.iter().enumerate() {
                let mut authors = vec![author("Kim", given, aff)];
                let (f, g) = coauthors[(i + j) % coauthors.len()];
                authors.push(author(f, g, ""));
                if (i + j) % 4 == 0 {
                    authors.push(author("Kim", "Jae-Sung", ""));
                }
                let mut w = work(&format!("w{i}-{j}"), authors);
                w.title = Some(
                    if j % 2 == 0 { "Graphene transport anomalies" } else { "Kidney transplant outcomes" }.to_owned(),
                );
                w.venue.issns = vec![if i % 2 == 0 { "1234-5678" } else { "2345-6789" }.to_owned()];
                works.push(w);
            }
        }
        let options = IdentityOptions::default();
        let (work_features, features): (Vec<WorkFeatures>, Vec<Vec<Features>>) =
            works.iter().enumerate().map(|(i, w)| work_features(i, w, false, &DeclaredIndex::default())).unzip();
        let mut features: Vec<Features> = features.into_iter().flatten().collect();
        for (id, f) in features.iter_mut().enumerate() {
            f.affiliation_id = id as u32;
        }
        let context = BlockContext {
            features: &features,
            work_features: &work_features,
            labels: works.as_slice(),
            options: &options,
        };
        let mut memo = SimilarityMemo::new();
        let mut linked = 0;
        for threshold in [2.0, 2.5] {
            for a in &features {
                for b in &features {
                    if a.block != b.block || std::ptr::eq(a, b) {
                        continue;
                    }
                    let (score, strong, _) =
                        pair_evidence(a, b, &work_features[a.work_index], &work_features[b.work_index]);
                    let expected = (strong && score >= threshold).then_some(score);
                    let got = context.link_score(a, b, threshold, &mut memo);
                    assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits), "{} / {}", a.position, b.position);
                    linked += usize::from(got.is_some());
                }
            }
        }
        assert!(linked > 0);
    }
}
