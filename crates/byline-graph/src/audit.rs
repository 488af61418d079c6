//! The researcher audit: which works carrying a researcher's name do not belong to their record, and why.
//!
//! Entry points: [`AuditIndex::build`] once per corpus (an index by name key and ORCID, so that an audit reads
//! only the researcher's works and their co-authors' neighbourhood), then [`audit_researcher`] per researcher.
//! [`audit_works`] does both for a small corpus (one researcher's Scopus or ORCID export).
//!
//! Every work in the record gets per-signal [`Finding`]s and a combined score; works are ranked by it. The
//! signals, each its own code:
//! - `COA001` no co-author of the work appears in any other work of the record, nor has published with the
//!   researcher's collaborators elsewhere in the corpus (2-hop). Bought author slots show up exactly once
//!   (Porter & McIntosh 2024).
//! - `COA002` co-authors from many countries, none of which recurs in the record (Abalkina 2023: mill papers
//!   with co-authors from 39 countries).
//! - `COA003` no co-author is at an institution of any other work of the record, nor in a country where the
//!   researcher worked: colleagues met once are usually local (a genuine one-off work), bought slots are not.
//! - `AFF001` the researcher's institution or country on this work appears nowhere else in the record.
//! - `TOP001` the work's topic (TF-IDF over title, abstract, MeSH, keywords) is far from the rest of the record.
//! - `BYL005` the author count is far above the researcher's own norm (the venue's norm is byline-detect's `BYL001`).
//! - `VEN001` a burst of works in one venue within one year, in a venue otherwise unused.
//! - `PRO001` (about the person) a year with at least 73 works (Ioannidis et al. 2018).
//! - `ORC001` (with [`AuditOptions::claims`], the researcher's ORCID works list or researchmap's published
//!   papers) the work is not in the list, though the list holds most of the record's works published before
//!   it last changed. Known false
//!   positives: a researcher who adds works in batches, a work ORCID could not group with its DOI.
//! - `ORC002` the work is in the list: added by the researcher (their own claim: the work's severity is capped at
//!   `Low` and its score damped) or by an organisation they authorised (said, score damped less).
//!
//! The broker pattern, a forgery that hides behind one real co-author (each code: what it does / why it
//! matters / known false positives / example):
//! - `COA004` *bridge without ties*. The work shares exactly one recurring co-author (the bridge) with the
//!   record, its other authors (two or more) appear in no other work of it, and in the corpus slice the bridge
//!   has no other work with any of them, nor have they published with anyone of the researcher's network. Why:
//!   a broker (a former student, a visitor, a slot seller) puts the researcher's name on another group's paper
//!   next to their own; the bridge is then as much a stranger to the group as the researcher. A bridge who has
//!   published with the group is said with score 0 (an introduction). Known false positives: a first visit
//!   abroad with a colleague (the visit's second paper makes the hosts recurring co-authors, and the visit's
//!   address and topic are the researcher's); groups whose other works are outside the corpus. Example:
//!   "Erik Berg is this work's only co-author who appears in Lindqvist, Anna's other works (8 of them); its 3
//!   other authors (…) appear in none".
//! - `COA005` *the byline's own history*. With a bridge, the other authors publish together (two or more on a
//!   work) elsewhere in the corpus with neither the researcher, the bridge nor the network: the byline is their
//!   group's, with two names added. Ranks, never flags alone (a real group abroad has a history too). Known
//!   false positives: a genuine collaboration with an established group, introduced by someone outside the
//!   corpus.
//! - `AFF006` *the affiliation as written*. The researcher's institution here was last used on their works at
//!   least `stale_affiliation_years` earlier, and their other works within a year give other institutions: a
//!   string copied from an older paper after they moved ("identical" is said when the whole string matches).
//!   Known false positives: an honorary or second appointment the researcher lists only sometimes; a paper
//!   held in review for years.
//! - `ROL001` *position and role*. A middle author (neither first nor last), not the corresponding author, on
//!   a work whose topic is below `role_topic_fraction` of the record's median cosine. Why: bought and gifted
//!   slots sit in the middle of someone else's paper. Known false positives: large consortium papers, a
//!   statistician's or imaging specialist's contributions to other fields (supporting only, never alone).
//! - `VEN002` *paper-mill signals feed the score*. Findings of byline-detect (`TPL001` template family, `TOR001`
//!   tortured phrases, `RET00x` retractions, `MIL001`), given in [`AuditOptions::mill_findings`], on the work
//!   or on its group's own works (`COA005`, at `GROUP_MILL_FACTOR`). Known false positives: those of the
//!   detectors; a group with one retracted paper.
//! - `COA006` *a new collaboration* (evidence against). No co-author is on an earlier work of the record, and
//!   the team publishes again with the researcher, or half of it is at the researcher's institution or city of
//!   the time, or the topic continues theirs: the score is lowered and the severity capped (`Low` when it
//!   recurs or is local, else `Medium`). Known false negatives: a mill slot sold in the researcher's own field
//!   gets the topic trait (the weakest).
//!
//! Co-authors are people, not name keys: they are compared by folded family + full given name ("Wang Wei" and
//! "Wang Wen" are two people), and a co-author written with initials only ("Kim JS") is read as the record's
//! one full name that fits, as weaker evidence (said in the reasons). [`AuditIndex::build_with_identities`]
//! uses the person ids of [`resolve_identities`](crate::resolve_identities) instead.
//!
//! Severity is conservative (a false accusation harms a person): a single signal is at most `Low`; `Medium`
//! needs co-author isolation (`COA001`) plus another signal, or a bridge without ties (`COA004`) plus a fact
//! about the researcher's own part (`AFF006`, `ROL001`, `TOP001`, `VEN002`, `ORC001`…); `High` needs complete
//! isolation (no 2-hop link), no tie of place (`COA003`) and one more independent signal, or a bridge without
//! ties, the group's own history and two such facts. A new collaboration (`COA006`) is never `High`. Thresholds were calibrated on the synthetic
//! bench with seed 7 and are reported on other seeds. A genuine new collaboration abroad (it keeps a recurring co-author) or
//! a genuine change of topic (a series of works with recurring co-authors) therefore stays at `Low` or below.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use byline_model::{Evidence, Finding, Severity, Subject, Work, normalize_orcid, stable_hash64};
use rayon::prelude::*;
use serde::Serialize;

use crate::identity::{DeclaredIndex, DeclaredPerson, Resolution, author_name_forms};
use crate::names::{NormalizedName, fold, normalize_author, normalize_name_text};
use crate::topics::{TfIdf, TopicVector, cosine, work_terms};
use byline_norm::japanese::{NameVariants, name_keys};
use byline_norm::{affiliation_country_code, institution_key_in};

/// Whom to audit: an ORCID, or a name ("Family, Given") with an optional affiliation text, and the names a
/// registry record gives the researcher (KAKEN's kanji, kana and romaji variants).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditTarget {
    pub orcid: Option<String>,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    /// The researcher's names as a record declares them (any script): a work carrying any of them, in any
    /// order or romanization, is in the record (`byline_norm::japanese::NameVariants`; kanji meets romaji only
    /// through these variants, never a guessed reading).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub name_variants: Vec<String>,
}

/// Thresholds of the audit. Each default names where its number comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditOptions {
    /// Records with fewer works have no established network: co-author and topic signals are reported as
    /// `Info` only. 5 = the smallest record where a leave-one-out network has more than a couple of works.
    pub min_record_works: usize,
    /// A year with at least this many works is "hyper-prolific" (Ioannidis, Klavans & Boyack 2018, Nature 561:
    /// 167, "Thousands of scientists publish a paper every five days": 72 papers a year = one every 5 days).
    pub hyper_prolific_works_per_year: usize,
    /// `COA002` fires when the co-authors come from at least this many countries that never recur in the
    /// record. Abalkina 2023 (JASIST 74: 1084) documents mill papers with authors from many countries; 3 is
    /// the smallest count that is not an ordinary bilateral collaboration.
    pub one_off_countries: usize,
    /// ... and at least this share of the work's co-authors never recur (Porter & McIntosh 2024: bought slots
    /// appear once). 0.8 leaves room for one recurring name on a five-author byline.
    pub one_off_coauthor_share: f64,
    /// `TOP001` fires when the cosine between the work and the rest of the record is below this fraction of
    /// the record's median cosine. 0.35 measured on the synthetic bench: genuine works rarely fall below half.
    pub topic_outlier_fraction: f64,
    /// `BYL005` fires when the author count is at least this multiple of the researcher's median …
    pub byline_ratio: f64,
    /// … and at least this many authors above it (a 2-author paper from a sole author is not an outlier).
    pub byline_excess: usize,
    /// `VEN001` fires for at least this many works in one venue within one year, in a venue the record uses
    /// in no other year (special-issue bursts: Hanson et al. 2023, "The strain on scientific publishing").
    pub venue_burst_works: usize,
    /// Works read per co-author for the 2-hop check (bounds the neighbourhood read in a large corpus).
    pub max_two_hop_works: usize,
    /// The researcher's own claim: their ORCID works list, or their researchmap record's published papers.
    /// `None` = unknown (no ORC signal).
    pub claims: Option<ClaimedWorks>,
    /// `COA004`/`COA005` consider works linked to the record by at most this many recurring co-authors (the
    /// bridge). 1 = the pattern research-security offices describe: one real collaborator on another group's
    /// paper; two recurring co-authors on a work are a collaboration of the network.
    pub max_bridges: usize,
    /// `AFF006` needs at least this many other works of the researcher within a year of the work (what their
    /// affiliation was then). 2 = one other work could itself be the odd one.
    pub stale_period_works: usize,
    /// … and the institution's last other use at least this many years before the work. 3: papers submitted
    /// before a move often appear a year or two after it with the old address; three years is past that.
    pub stale_affiliation_years: i32,
    /// `ROL001` fires for a middle author when the work's topic cosine is below this fraction of the record's
    /// median (a looser cut than `TOP001`'s: it needs the byline position too). 0.6 calibrated on the synthetic
    /// bench, seed 7: topic-adjacent works fall near half of the median, same-field works rarely below 0.6.
    pub role_topic_fraction: f64,
    /// `COA006`'s "continues the topic" trait: cosine at least this fraction of the record's median. 0.8
    /// calibrated on the synthetic bench, seed 7 (same-field works sit near the median).
    pub topic_continues_fraction: f64,
    /// Paper-mill findings (byline-detect: `TPL001`, `TOR001`, `RET001`–`RET004`, `MIL001`…) by work id, on the
    /// record's works and on other works of the corpus slice (a group's own works): `VEN002` feeds them into the
    /// work's score. Empty = not computed.
    #[serde(skip)]
    pub mill_findings: BTreeMap<String, Vec<Finding>>,
    /// People a registry record declares (the researcher's collaborators, KAKEN project members, with their
    /// names in every script): a co-author who is one of them is one co-author whatever script each byline
    /// writes them in ([`AuditIndex::build_declared`]). Empty = none.
    #[serde(skip)]
    pub declared: Vec<DeclaredPerson>,
    /// Institutions a registry named (the KAKEN institution master, linked to ROR): raw affiliation string →
    /// the registry's key (`kaken:0014401`, `ror:…`), so one institution written in Japanese, in English or
    /// abbreviated is one institution in every comparison (`byline_norm::institution_key_in`). Empty = none.
    #[serde(skip)]
    pub institution_keys: BTreeMap<String, String>,
}

/// The works a researcher lists in their own record (ORCID works, or researchmap's published papers), by key
/// (`doi:…` lower-case, `pmid:…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimedWorks {
    /// Key → who added it: `true` when the researcher did, with the source names as the record shows them.
    pub works: BTreeMap<String, (bool, String)>,
    /// The year the list last changed: works published later cannot be expected in it.
    pub last_modified_year: Option<i32>,
    /// Which record the list is (named in `ORC001`/`ORC002` reasons).
    #[serde(default)]
    pub list: ClaimList,
}

/// The record a researcher's works list comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimList {
    /// The ORCID record's works.
    #[default]
    Orcid,
    /// The researchmap record's published papers.
    Researchmap,
}

impl ClaimList {
    /// The record's name in a reason (`… in their ORCID record`).
    pub fn record(self) -> &'static str {
        match self {
            ClaimList::Orcid => "ORCID",
            ClaimList::Researchmap => "researchmap",
        }
    }

    /// The list's name in a reason (`not in X's ORCID works list`).
    pub fn list_name(self) -> &'static str {
        match self {
            ClaimList::Orcid => "ORCID works list",
            ClaimList::Researchmap => "researchmap list of published papers",
        }
    }
}

/// `ORC001` needs the list to hold at least this share of the record's works it could hold (published by
/// its last change): below it the list is stale or partial and an absence says nothing. Measured on the tuning
/// seed (`byline-bench audit --size 300 --seed 7`, BENCHMARKS.md "ORCID claims"): maintained lists cover 0.67
/// (p10) / 0.79 (median) / 0.93 (p90) of what they could hold; from 0.2 to 0.6 recall and flags do not move,
/// from 0.7 they fall (strangers' recall 0.962 → 0.958, broker recall@5 0.901 → 0.881); ORC001 on genuine
/// works of stale lists falls 0.19 (0.2) → 0.06 (0.4) → 0.05 (0.5) while ORC001 on planted works holds
/// (0.388) up to 0.5; with none (0.0) an empty list puts ORC001 on 94% of its genuine works.
pub const MIN_CLAIM_COVERAGE: f64 = 0.5;
/// … and at least this many such works (a list of one or two says little). Not binding on the bench (its
/// careers are 6–20 years: 1, 3 or 10 change at most 8 of 221 lists and no figure, seed 7); a guard for
/// short records.
pub const MIN_CLAIMABLE_WORKS: usize = 3;
/// Score kept by a work the researcher added to their ORCID list themselves, and by one an organisation added.
const CLAIMED_BY_SELF_SCORE_FACTOR: f64 = 0.3;
const CLAIMED_BY_ORGANISATION_SCORE_FACTOR: f64 = 0.7;
const WEIGHT_ORC001: f64 = 0.35;

impl Default for AuditOptions {
    fn default() -> AuditOptions {
        AuditOptions {
            min_record_works: 5,
            hyper_prolific_works_per_year: 73,
            one_off_countries: 3,
            one_off_coauthor_share: 0.8,
            topic_outlier_fraction: 0.35,
            byline_ratio: 3.0,
            byline_excess: 5,
            venue_burst_works: 3,
            max_two_hop_works: 200,
            claims: None,
            max_bridges: 1,
            stale_period_works: 2,
            stale_affiliation_years: 3,
            role_topic_fraction: 0.6,
            topic_continues_fraction: 0.8,
            mill_findings: BTreeMap::new(),
            declared: Vec::new(),
            institution_keys: BTreeMap::new(),
        }
    }
}

/// Weights of each signal in the combined score `1 - Π(1 - weight·score)`. Co-author isolation dominates; the
/// others only rank works that are already isolated.
const WEIGHT_COA001: f64 = 0.6;
const WEIGHT_COA002: f64 = 0.35;
const WEIGHT_COA003: f64 = 0.35;
const WEIGHT_AFF001: f64 = 0.3;
const WEIGHT_TOP001: f64 = 0.35;
const WEIGHT_BYL005: f64 = 0.15;
const WEIGHT_VEN001: f64 = 0.15;
/// The broker pattern: a bridge with no tie to the group is the anchor, the group's own history and the copied
/// affiliation converge on it, the role and the mill signals support (calibrated on the synthetic bench, seed 7).
const WEIGHT_COA004: f64 = 0.5;
const WEIGHT_COA005: f64 = 0.35;
const WEIGHT_AFF006: f64 = 0.35;
const WEIGHT_ROL001: f64 = 0.25;
const WEIGHT_VEN002: f64 = 0.35;
/// `COA006` lowers the score of a new collaboration by these shares, combined like the signals: its team
/// publishes again with the researcher (strongest: a bought slot never recurs), shares their institution or city
/// (colleagues met once are usually local), continues their topic (weakest: mills sell slots in the
/// researcher's field too).
const NEW_TEAM_DAMPING_AGAIN: f64 = 0.6;
const NEW_TEAM_DAMPING_PLACE: f64 = 0.4;
const NEW_TEAM_DAMPING_TOPIC: f64 = 0.2;
/// A new collaboration with `COA006` at or above this (it recurs or is local) is at most `Low`.
const NEW_COLLABORATION_CAP_LOW: f64 = 0.4;
/// A mill signal on a group's other work counts this fraction of its score for the work audited.
const GROUP_MILL_FACTOR: f64 = 0.7;
/// A supporting signal counts towards `Medium`/`High` only at this score or above.
const SUPPORTING_SIGNAL_MIN: f64 = 0.5;

/// One work of the record, assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkAssessment {
    /// 1 = the work that least belongs.
    pub rank: usize,
    pub work_id: String,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    /// The researcher's 0-based byline position and author count.
    pub position: u32,
    pub authors: usize,
    /// Combined score in [0, 1].
    pub score: f64,
    pub severity: Severity,
    pub findings: Vec<Finding>,
}

/// A researcher's institution over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstitutionSpan {
    pub institution: String,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub works: usize,
}

/// A summary of the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordSummary {
    pub works: usize,
    pub works_by_year: BTreeMap<i32, usize>,
    /// Distinct co-authors (by name key) and how many appear on two works or more.
    pub distinct_coauthors: usize,
    pub recurring_coauthors: usize,
    /// Year → country → distinct co-authors with an affiliation there that year.
    pub collaborators_by_country_year: BTreeMap<i32, BTreeMap<String, usize>>,
    /// The researcher's own institutions, earliest first.
    pub institutions: Vec<InstitutionSpan>,
}

/// The audit of one researcher.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub target: AuditTarget,
    /// The name used in reasons.
    pub display_name: String,
    pub summary: RecordSummary,
    /// Works ranked by combined score, highest first (ties by DOI, PMID, title: never by file path).
    pub works: Vec<WorkAssessment>,
    /// Findings about the person rather than one work (`PRO001`).
    pub record_findings: Vec<Finding>,
    pub options: AuditOptions,
}

impl AuditReport {
    /// Works at or above a severity.
    pub fn flagged(&self, at_least: Severity) -> impl Iterator<Item = &WorkAssessment> {
        self.works.iter().filter(move |w| w.severity >= at_least)
    }
}

/// One work's index entries: person keys, (position, lookup keys), (position, ORCID), (position, Japanese name
/// keys).
type IndexedWork = (Vec<u64>, Vec<(usize, Vec<u64>)>, Vec<(usize, String)>, Vec<(usize, Vec<u64>)>);

/// An index over a corpus: authorships by name key and by ORCID, and each work's co-author identities.
pub struct AuditIndex<'a> {
    works: &'a [Work],
    /// Name-key hash → (work index, position). Each authorship is indexed under its blocking key and, when
    /// different, its particle-free and first-surname variants.
    by_name: HashMap<u64, Vec<(u32, u32)>>,
    by_orcid: HashMap<String, Vec<(u32, u32)>>,
    /// `byline_norm::japanese::name_keys` hash → (work index, position): a researcher's kanji, kana and romaji
    /// names in any order and romanization ([`AuditTarget::name_variants`]).
    by_japanese: HashMap<u64, Vec<(u32, u32)>>,
    /// Per work, the person key of each author (0 for group/empty names): see [`person_key`].
    person_keys: Vec<Vec<u64>>,
    /// Person key → works (sorted, de-duplicated), for the 2-hop neighbourhood.
    by_person: HashMap<u64, Vec<u32>>,
    /// True when person keys come from [`resolve_identities`](crate::resolve_identities) person ids.
    resolved: bool,
}

/// The low bit of a person key marks a key built from initials only ("Kim JS"): weaker evidence of identity.
const INITIALS_ONLY_BIT: u64 = 1;

/// The identity key of a name: folded family + full folded given name ("kim|jaesung"), or, when the source
/// gives initials only, folded family + initials ("kim|#js") with [`INITIALS_ONLY_BIT`] set. Full given names
/// separate the many people who share a family name and an initial ("Wang W" is thousands of people).
fn person_key(n: &NormalizedName) -> u64 {
    if n.family_key.is_empty() {
        return 0;
    }
    if n.given_key.is_empty() {
        initials_key(n)
    } else {
        hash_key(&format!("{}|{}", n.family_key, n.given_key)) & !INITIALS_ONLY_BIT
    }
}

/// The initials-only key the same name would have in a source that abbreviates given names.
fn initials_key(n: &NormalizedName) -> u64 {
    hash_key(&format!("{}|#{}", n.family_key, n.initials)) | INITIALS_ONLY_BIT
}

fn is_initials_only(key: u64) -> bool {
    key & INITIALS_ONLY_BIT != 0
}

impl<'a> AuditIndex<'a> {
    /// Indexes the corpus (parallel over works). Co-authors are identified by full name (initials only when
    /// that is all the source gives).
    pub fn build(works: &'a [Work]) -> AuditIndex<'a> {
        Self::build_inner(works, None, &[])
    }

    /// Indexes the corpus with the people a registry record declares: a co-author whose name is one of a
    /// declared person's names (any script, any order) has that person's identity.
    pub fn build_declared(works: &'a [Work], declared: &[DeclaredPerson]) -> AuditIndex<'a> {
        Self::build_inner(works, None, declared)
    }

    /// Indexes the corpus with co-authors identified by the person ids of a [`Resolution`] of the same works
    /// (ORCID, then name + co-author/affiliation evidence): homonyms are told apart and name variants of one
    /// person joined. An ORCID target's record is then the authorships resolved to that ORCID.
    pub fn build_with_identities(works: &'a [Work], resolution: &Resolution) -> AuditIndex<'a> {
        Self::build_inner(works, Some(resolution), &[])
    }

    fn build_inner(works: &'a [Work], resolution: Option<&Resolution>, declared: &[DeclaredPerson]) -> AuditIndex<'a> {
        let declared = DeclaredIndex::new(declared);
        let per_work: Vec<IndexedWork> = works
            .par_iter()
            .map(|w| {
                let mut keys = Vec::with_capacity(w.authors.len());
                let mut variants = Vec::new();
                let mut orcids = Vec::new();
                let mut japanese = Vec::new();
                for (pos, a) in w.authors.iter().enumerate() {
                    let name = normalize_author(a);
                    let resolved = resolution.and_then(|r| {
                        u32::try_from(pos).ok().and_then(|p| r.person_of(&w.work_id, p)).map(resolved_person_key)
                    });
                    let declared_key =
                        || declared.person_of(a).map(|d| hash_key(&format!("declared:{}", d.id)) & !INITIALS_ONLY_BIT);
                    keys.push(resolved.or_else(declared_key).unwrap_or_else(|| name.as_ref().map_or(0, person_key)));
                    if a.collective.is_none() {
                        let mut jp: Vec<u64> =
                            author_name_forms(a).iter().flat_map(|f| name_keys(f)).map(|k| hash_key(&k)).collect();
                        jp.sort_unstable();
                        jp.dedup();
                        if !jp.is_empty() {
                            japanese.push((pos, jp));
                        }
                    }
                    if let Some(n) = &name {
                        variants.push((pos, name_lookup_keys(n)));
                    }
                    if let Some(o) = &a.orcid {
                        orcids.push((pos, o.clone()));
                    }
                }
                (keys, variants, orcids, japanese)
            })
            .collect();
        let mut by_name: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        let mut by_japanese: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        let mut by_orcid: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut by_person: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut person_keys = Vec::with_capacity(works.len());
        for (wi, (keys, variants, orcids, japanese)) in per_work.into_iter().enumerate() {
            let Ok(wi) = u32::try_from(wi) else { continue };
            for (pos, lookups) in japanese {
                let Ok(pos) = u32::try_from(pos) else { continue };
                for k in lookups {
                    by_japanese.entry(k).or_default().push((wi, pos));
                }
            }
            for (pos, lookups) in variants {
                let Ok(pos) = u32::try_from(pos) else { continue };
                for k in lookups {
                    by_name.entry(k).or_default().push((wi, pos));
                }
            }
            for (pos, orcid) in orcids {
                let Ok(pos) = u32::try_from(pos) else { continue };
                by_orcid.entry(orcid).or_default().push((wi, pos));
            }
            for k in &keys {
                if *k != 0 {
                    let list = by_person.entry(*k).or_default();
                    if list.last() != Some(&wi) {
                        list.push(wi);
                    }
                }
            }
            person_keys.push(keys);
        }
        AuditIndex { works, by_name, by_orcid, by_japanese, person_keys, by_person, resolved: resolution.is_some() }
    }

    pub fn works(&self) -> &'a [Work] {
        self.works
    }
}

/// Paper-mill findings (byline-detect's, on works, authorships or template families) by the work ids they
/// concern, for [`AuditOptions::mill_findings`]: a family's finding counts for each work its evidence names.
pub fn mill_findings_by_work(findings: &[Finding]) -> BTreeMap<String, Vec<Finding>> {
    let mut by_work: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        let ids: BTreeSet<&str> = match &f.subject {
            Subject::Work { work_id } | Subject::Authorship { work_id, .. } => BTreeSet::from([work_id.as_str()]),
            _ => f.evidence.iter().filter_map(|e| e.work_id.as_deref()).collect(),
        };
        for id in ids {
            by_work.entry(id.to_owned()).or_default().push(f.clone());
        }
    }
    by_work
}

/// Audits one researcher in a small corpus (builds the index first).
pub fn audit_works(works: &[Work], target: &AuditTarget, options: &AuditOptions) -> AuditReport {
    audit_researcher(&AuditIndex::build_declared(works, &options.declared), target, options)
}

/// Audits one researcher: finds their works (ORCID, and the same name without a conflicting ORCID), scores
/// each, ranks them, and summarizes the record.
pub fn audit_researcher(index: &AuditIndex<'_>, target: &AuditTarget, options: &AuditOptions) -> AuditReport {
    let (display_name, record, other_orcids) = find_record(index, target);
    let record = Record::new(index, record, &options.institution_keys);
    let orcid_hints = other_orcid_findings(index, &record, &other_orcids, &display_name);
    let mut works = assess_works(index, &record, target, &display_name, options);
    // Ties (many works score 0) by keys of the work itself, never by the work id, which hashes the path a file
    // was ingested from: the same record ingested from another directory ranks the same.
    works.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| stable_key(a).cmp(&stable_key(b))));
    for (i, w) in works.iter_mut().enumerate() {
        w.rank = i + 1;
    }
    AuditReport {
        target: target.clone(),
        summary: summarize(&record),
        record_findings: prolific_findings(index, &record, &display_name, options)
            .into_iter()
            .chain(orcid_hints)
            .collect(),
        display_name,
        works,
        options: options.clone(),
    }
}

/// A work's order among equal scores: DOI (lower-case), then PMID, then folded title and year (works without
/// one sort after works with one); the work id only when all of these are equal.
fn stable_key(w: &WorkAssessment) -> (bool, String, bool, String, bool, String, Option<i32>, &str) {
    let doi = w.doi.as_deref().map(str::to_lowercase);
    let title = w.title.as_deref().map(fold);
    (
        doi.is_none(),
        doi.unwrap_or_default(),
        w.pmid.is_none(),
        w.pmid.clone().unwrap_or_default(),
        title.is_none(),
        title.unwrap_or_default(),
        w.year,
        w.work_id.as_str(),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Finding the record.

fn hash_key(key: &str) -> u64 {
    stable_hash64(key.as_bytes())
}

/// The person key of a resolved person id (never marked initials-only: the resolver weighed the evidence).
fn resolved_person_key(person_id: &str) -> u64 {
    hash_key(&format!("person:{person_id}")) & !INITIALS_ONLY_BIT
}

/// The keys an authorship is indexed (and a target looked up) under: blocking key, particle-free family +
/// initial, first surname + initial.
fn name_lookup_keys(n: &NormalizedName) -> Vec<u64> {
    let Some(block) = n.blocking_key() else { return Vec::new() };
    let initial = n.first_initial().map(String::from).unwrap_or_default();
    let mut keys = vec![hash_key(&block)];
    if !n.family_core_key.is_empty() && n.family_core_key != n.family_key {
        keys.push(hash_key(&format!("{}_{initial}", n.family_core_key)));
    }
    if n.family_tokens.len() > 1
        && let Some(first) = n.family_tokens.iter().find(|t| t.chars().count() > 3)
    {
        keys.push(hash_key(&format!("{first}_{initial}")));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Works of the name left out of a record because their authorship carries another ORCID: ORCID → work indices.
type OtherOrcids = BTreeMap<String, BTreeSet<u32>>;

/// The researcher's authorships: (display name, sorted (work index, position), one per work), and the works of
/// the same name whose authorship carries an ORCID other than the target's (by ORCID).
fn find_record(index: &AuditIndex<'_>, target: &AuditTarget) -> (String, Vec<(u32, u32)>, OtherOrcids) {
    let mut other_orcids = OtherOrcids::new();
    let orcid = target.orcid.as_deref().and_then(normalize_orcid);
    let mut names: Vec<NormalizedName> = Vec::new();
    let mut display = target.name.clone().unwrap_or_default();
    let mut found: BTreeMap<u32, u32> = BTreeMap::new();
    // With resolved identities, an ORCID target's record is the authorships resolved to that ORCID.
    let resolved_target =
        orcid.as_deref().filter(|_| index.resolved).map(|o| resolved_person_key(&format!("orcid:{o}")));
    if let Some(orcid) = &orcid {
        for &(wi, pos) in index.by_orcid.get(orcid).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(author) = index.works.get(wi as usize).and_then(|w| w.authors.get(pos as usize)) else {
                continue;
            };
            if display.is_empty() {
                display = author.display_name().to_owned();
            }
            if let Some(n) = normalize_author(author) {
                names.push(n);
            }
            found.entry(wi).or_insert(pos);
        }
    }
    if let Some(n) = target.name.as_deref().and_then(normalize_name_text) {
        names.push(n);
    }
    names.sort_by(|a, b| a.blocking_key().cmp(&b.blocking_key()).then(a.given_key.cmp(&b.given_key)));
    names.dedup();
    let mut lookups: Vec<u64> = names.iter().flat_map(name_lookup_keys).collect();
    lookups.sort_unstable();
    lookups.dedup();
    for key in lookups {
        for &(wi, pos) in index.by_name.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(author) = index.works.get(wi as usize).and_then(|w| w.authors.get(pos as usize)) else {
                continue;
            };
            let author_orcid = author.orcid.as_deref().and_then(normalize_orcid);
            if author.orcid.is_some() && author_orcid != orcid {
                // Someone else's ORCID: a homonym, not this researcher; or, in a name-only audit, possibly the
                // researcher's own (said in AUD002 when co-authors link it to the record).
                if orcid.is_none()
                    && let Some(o) = author_orcid
                    && let Some(n) = normalize_author(author)
                    && names.iter().any(|t| t.family_matches(&n) && t.given_compatible(&n))
                {
                    other_orcids.entry(o).or_default().insert(wi);
                }
                continue;
            }
            if let Some(person) = &resolved_target
                && index.person_keys.get(wi as usize).and_then(|k| k.get(pos as usize)) != Some(person)
            {
                continue; // resolved to another person: a homonym without an ORCID
            }
            let Some(n) = normalize_author(author) else { continue };
            if names.iter().any(|t| t.family_matches(&n) && t.given_compatible(&n)) {
                found.entry(wi).or_insert(pos);
            }
        }
    }
    // The names a record declares, in any script: kanji meets romaji only through these variants.
    let variants = NameVariants::new(&target.name_variants);
    let mut keys: Vec<u64> = variants.lookup_keys().iter().map(|k| hash_key(k)).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        for &(wi, pos) in index.by_japanese.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            if found.contains_key(&wi) {
                continue;
            }
            let Some(author) = index.works.get(wi as usize).and_then(|w| w.authors.get(pos as usize)) else {
                continue;
            };
            let author_orcid = author.orcid.as_deref().and_then(normalize_orcid);
            if author.orcid.is_some() && author_orcid != orcid {
                continue; // someone else's ORCID
            }
            if let Some(person) = &resolved_target
                && index.person_keys.get(wi as usize).and_then(|k| k.get(pos as usize)) != Some(person)
            {
                continue;
            }
            if author_name_forms(author).iter().any(|f| variants.matches(f)) {
                found.entry(wi).or_insert(pos);
            }
        }
    }
    if display.is_empty() {
        display = variants
            .variants()
            .iter()
            .find(|v| byline_norm::japanese::script_of(v) == byline_norm::japanese::Script::Latin)
            .or(variants.variants().first())
            .cloned()
            .unwrap_or_else(|| "the researcher".to_owned());
    }
    for works in other_orcids.values_mut() {
        works.retain(|wi| !found.contains_key(wi));
    }
    other_orcids.retain(|_, works| !works.is_empty());
    (display, found.into_iter().collect(), other_orcids)
}

/// `AUD002` (about the record): in a name-only audit, works of the same name carry an ORCID and share
/// co-authors with the record, so they may be the researcher's own, left out. What it does: names the ORCID and
/// how many works carry it. Why it matters: a mixed record (some works with the researcher's ORCID, some
/// without) audited by name alone misses the ORCID works, and their co-authors, in every signal. Known false
/// positives: a namesake in the same group (a parent and child, two "Wang Wei" in one lab). Example: "3 more
/// works with this name carry ORCID 0000-0002-1825-0097 (2 share co-authors with this record); rerun with
/// --orcid 0000-0002-1825-0097".
fn other_orcid_findings(index: &AuditIndex<'_>, record: &Record, other: &OtherOrcids, name: &str) -> Vec<Finding> {
    other
        .iter()
        .filter_map(|(orcid, works)| {
            let linked: Vec<&u32> = works
                .iter()
                .filter(|wi| {
                    index
                        .person_keys
                        .get(**wi as usize)
                        .is_some_and(|keys| keys.iter().any(|k| *k != 0 && record.coauthor_works.contains_key(k)))
                })
                .collect();
            (!linked.is_empty()).then(|| Finding {
                code: "AUD002".to_owned(),
                subject: Subject::Person { person_id: name.to_owned() },
                severity: Severity::Info,
                score: 0.0,
                reasons: vec![format!(
                    "{} more works with this name carry ORCID {orcid} ({} share co-authors with this record); rerun \
                     with --orcid {orcid}",
                    works.len(),
                    linked.len()
                )],
                evidence: linked
                    .iter()
                    .filter_map(|wi| index.works.get(**wi as usize))
                    .map(|w| Evidence {
                        kind: "work".to_owned(),
                        work_id: Some(w.work_id.clone()),
                        doi: w.ids.doi.clone(),
                        pmid: w.ids.pmid.clone(),
                        text: w.title.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// The record and its statistics.

/// What the audit knows about one work of the record.
struct RecordWork {
    work_index: usize,
    position: u32,
    year: Option<i32>,
    venue: Option<String>,
    /// Co-author identities (person keys, initials-only forms mapped to the one full name of the record they
    /// fit), target excluded, de-duplicated.
    coauthors: BTreeSet<u64>,
    /// Co-authors tied to the record only through an initials match ("Kim JS" ~ "Kim Jae-Sung").
    initials_matched: BTreeSet<u64>,
    /// Co-author identity → the person key as written here (for the corpus postings).
    written_keys: BTreeMap<u64, u64>,
    /// Co-author key → countries of that co-author's affiliations on this work.
    coauthor_countries: BTreeMap<u64, BTreeSet<String>>,
    /// Institutions of the co-authors on this work.
    coauthor_institutions: BTreeSet<String>,
    /// Countries of all affiliations of the work.
    countries: BTreeSet<String>,
    /// Institutions of all affiliations of the work (the researcher's and the co-authors').
    institutions: BTreeSet<String>,
    /// The researcher's own institutions and countries on this work.
    own_institutions: BTreeSet<String>,
    own_countries: BTreeSet<String>,
    own_affiliation_text: String,
    /// Cities of the researcher's affiliations on this work (as the source gives them).
    own_cities: BTreeSet<String>,
    /// Co-author identity → (institutions, cities) of that co-author's affiliations on this work.
    coauthor_places: BTreeMap<u64, Places>,
    /// Co-author identity → the name as written here (for reasons).
    coauthor_names: BTreeMap<u64, String>,
    /// Whether the source marks a corresponding author, and whether it is the researcher.
    corresponding_marked: bool,
    own_corresponding: bool,
    authors: usize,
    group_authorship: bool,
    topic: TopicVector,
}

/// (institutions, cities) of a person's affiliations on one work.
type Places = (BTreeSet<String>, BTreeSet<String>);

struct Record {
    works: Vec<RecordWork>,
    /// Co-author key → number of record works it appears on.
    coauthor_works: BTreeMap<u64, usize>,
    /// Co-author key → the years of the record works it appears on.
    coauthor_years: BTreeMap<u64, BTreeSet<i32>>,
    /// Initials-only key of each full-name co-author → that co-author (to read "Kim JS" elsewhere in the
    /// corpus as a possible link to the network).
    network_initials: HashMap<u64, u64>,
    country_works: BTreeMap<String, usize>,
    /// Institution (anyone's on the work) → number of record works it appears on.
    institution_works: BTreeMap<String, usize>,
    own_institution_works: BTreeMap<String, usize>,
    own_country_works: BTreeMap<String, usize>,
    venue_years: BTreeMap<String, BTreeMap<i32, usize>>,
    median_authors: f64,
    /// Sum of the topic vectors (for leave-one-out centroids).
    topic_sum: TopicVector,
}

/// A co-author as written on one record work, before initials-only forms are matched to full names.
struct WrittenCoauthor {
    key: u64,
    name: Option<NormalizedName>,
    countries: BTreeSet<String>,
}

impl Record {
    fn new(index: &AuditIndex<'_>, authorships: Vec<(u32, u32)>, registry: &BTreeMap<String, String>) -> Record {
        let terms: Vec<BTreeMap<String, u32>> = authorships
            .iter()
            .map(|(wi, _)| index.works.get(*wi as usize).map(work_terms).unwrap_or_default())
            .collect();
        let tfidf = TfIdf::fit(terms.iter());
        let mut works = Vec::with_capacity(authorships.len());
        let mut written_full: Vec<Vec<WrittenCoauthor>> = Vec::with_capacity(authorships.len());
        // Per work, (key as written, (name as written, (institutions, cities))) of each co-author.
        let mut written: Vec<Vec<(u64, (String, Places))>> = Vec::with_capacity(authorships.len());
        for ((wi, pos), terms) in authorships.into_iter().zip(terms) {
            let Some(work) = index.works.get(wi as usize) else { continue };
            let keys = index.person_keys.get(wi as usize).map(Vec::as_slice).unwrap_or(&[]);
            let mut coauthors = Vec::new();
            let mut coauthor_institutions = BTreeSet::new();
            let mut countries = BTreeSet::new();
            let mut institutions = BTreeSet::new();
            let mut own_institutions = BTreeSet::new();
            let mut own_countries = BTreeSet::new();
            let mut own_affiliation_text = String::new();
            let mut own_cities = BTreeSet::new();
            let mut names = Vec::new();
            let mut own_corresponding = false;
            for (p, author) in work.authors.iter().enumerate() {
                let cities = author.affiliations.iter().filter_map(|a| a.city.as_deref().map(fold));
                let author_countries: BTreeSet<String> =
                    author.affiliations.iter().filter_map(affiliation_country_code).collect();
                let author_institutions: BTreeSet<String> =
                    author.affiliations.iter().filter_map(|a| institution_key_in(a, registry)).collect();
                countries.extend(author_countries.iter().cloned());
                institutions.extend(author_institutions.iter().cloned());
                if p == pos as usize {
                    own_cities.extend(cities);
                    own_corresponding = author.corresponding == Some(true);
                    own_institutions.extend(author_institutions);
                    own_countries = author_countries;
                    own_affiliation_text =
                        author.affiliations.iter().map(|a| a.raw.as_str()).collect::<Vec<_>>().join("; ");
                    continue;
                }
                let key = keys.get(p).copied().unwrap_or(0);
                if key != 0 {
                    let cities: BTreeSet<String> = cities.collect();
                    names.push((author.display_name().to_owned(), (author_institutions.clone(), cities)));
                    coauthor_institutions.extend(author_institutions);
                    let name = if index.resolved || !is_initials_only(key) { None } else { normalize_author(author) };
                    coauthors.push(WrittenCoauthor { key, name, countries: author_countries });
                }
            }
            written.push(coauthors.iter().map(|c| c.key).zip(names).collect::<Vec<_>>());
            written_full.push(coauthors);
            works.push(RecordWork {
                work_index: wi as usize,
                position: pos,
                year: work.date.map(|d| d.year),
                venue: venue_key(work),
                coauthors: BTreeSet::new(),
                initials_matched: BTreeSet::new(),
                written_keys: BTreeMap::new(),
                coauthor_countries: BTreeMap::new(),
                coauthor_institutions,
                countries,
                institutions,
                own_institutions,
                own_countries,
                own_affiliation_text,
                own_cities,
                coauthor_names: BTreeMap::new(),
                coauthor_places: BTreeMap::new(),
                corresponding_marked: work.authors.iter().any(|a| a.corresponding == Some(true)),
                own_corresponding,
                authors: work.authors.len(),
                group_authorship: work.authors.iter().any(|a| a.collective.is_some()),
                topic: tfidf.vector(&terms),
            });
        }

        // Full-name co-authors of the record, by family key, to read initials-only forms against.
        let mut full_names: BTreeMap<String, BTreeMap<u64, String>> = BTreeMap::new();
        let mut network_initials: HashMap<u64, u64> = HashMap::new();
        if !index.resolved {
            for w in &works {
                let work = &index.works[w.work_index];
                for (p, author) in work.authors.iter().enumerate() {
                    let key = index.person_keys.get(w.work_index).and_then(|k| k.get(p)).copied().unwrap_or(0);
                    if key == 0 || is_initials_only(key) || p == w.position as usize {
                        continue;
                    }
                    if let Some(n) = normalize_author(author) {
                        network_initials.insert(initials_key(&n), key);
                        full_names.entry(n.family_key.clone()).or_default().insert(key, n.initials.clone());
                    }
                }
            }
        }
        for ((w, list), names) in works.iter_mut().zip(written_full).zip(written) {
            let names: BTreeMap<u64, (String, Places)> = names.into_iter().collect();
            for c in list {
                // "Kim JS" is the record's "Kim Jae-Sung" when exactly one full name of the record fits.
                let mut identity = c.key;
                if let Some(n) = &c.name
                    && let Some(candidates) = full_names.get(&n.family_key)
                {
                    let fitting: Vec<u64> = candidates
                        .iter()
                        .filter(|(_, initials)| initials_fit(&n.initials, initials))
                        .map(|(k, _)| *k)
                        .collect();
                    if let [only] = fitting.as_slice() {
                        identity = *only;
                        w.initials_matched.insert(identity);
                    }
                }
                w.coauthors.insert(identity);
                if let Some((n, places)) = names.get(&c.key) {
                    w.coauthor_names.entry(identity).or_insert_with(|| n.clone());
                    let e = w.coauthor_places.entry(identity).or_default();
                    e.0.extend(places.0.iter().cloned());
                    e.1.extend(places.1.iter().cloned());
                }
                w.written_keys.insert(identity, c.key);
                w.coauthor_countries.entry(identity).or_default().extend(c.countries);
            }
        }

        let mut record = Record {
            coauthor_works: BTreeMap::new(),
            coauthor_years: BTreeMap::new(),
            network_initials,
            country_works: BTreeMap::new(),
            institution_works: BTreeMap::new(),
            own_institution_works: BTreeMap::new(),
            own_country_works: BTreeMap::new(),
            venue_years: BTreeMap::new(),
            median_authors: median(works.iter().map(|w| w.authors as f64).collect()),
            topic_sum: TopicVector::new(),
            works,
        };
        for w in &record.works {
            for c in &w.coauthors {
                *record.coauthor_works.entry(*c).or_default() += 1;
                if let Some(y) = w.year {
                    record.coauthor_years.entry(*c).or_default().insert(y);
                }
            }
            for c in &w.countries {
                *record.country_works.entry(c.clone()).or_default() += 1;
            }
            for i in &w.institutions {
                *record.institution_works.entry(i.clone()).or_default() += 1;
            }
            for i in &w.own_institutions {
                *record.own_institution_works.entry(i.clone()).or_default() += 1;
            }
            for c in &w.own_countries {
                *record.own_country_works.entry(c.clone()).or_default() += 1;
            }
            if let (Some(v), Some(y)) = (&w.venue, w.year) {
                *record.venue_years.entry(v.clone()).or_default().entry(y).or_default() += 1;
            }
            for (t, x) in &w.topic {
                *record.topic_sum.entry(t.clone()).or_default() += x;
            }
        }
        record
    }

    /// Cosine between a work and the centroid of the other works.
    fn topic_similarity(&self, w: &RecordWork) -> Option<f64> {
        if w.topic.is_empty() || self.works.len() < 2 {
            return None;
        }
        let mut rest = self.topic_sum.clone();
        for (t, x) in &w.topic {
            if let Some(v) = rest.get_mut(t) {
                *v -= x;
            }
        }
        Some(cosine(&w.topic, &rest))
    }
}

/// Initials that can be one person's: the same first initial, and one string a prefix of the other ("j" fits
/// "js", "js" does not fit "jh").
fn initials_fit(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && a.chars().next() == b.chars().next() && (a.starts_with(b) || b.starts_with(a))
}

fn venue_key(work: &Work) -> Option<String> {
    work.venue
        .issns
        .first()
        .cloned()
        .or_else(|| work.venue.title.as_deref().map(fold))
        .or_else(|| work.venue.abbreviation.as_deref().map(fold))
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

// ---------------------------------------------------------------------------------------------------------
// Scoring.

fn assess_works(
    index: &AuditIndex<'_>,
    record: &Record,
    target: &AuditTarget,
    name: &str,
    options: &AuditOptions,
) -> Vec<WorkAssessment> {
    let n = record.works.len();
    let established = n >= options.min_record_works;
    let similarities: Vec<Option<f64>> = record.works.iter().map(|w| record.topic_similarity(w)).collect();
    let median_similarity = median(similarities.iter().flatten().copied().collect());
    let record_work_set: BTreeSet<usize> = record.works.iter().map(|w| w.work_index).collect();
    let target_affiliation = target.affiliation.as_deref().map(fold);
    let claim_keys = |work: &Work| -> Vec<String> {
        let doi = work.ids.doi.as_ref().map(|d| format!("doi:{}", d.to_lowercase()));
        doi.into_iter().chain(work.ids.pmid.as_ref().map(|p| format!("pmid:{p}"))).collect()
    };
    // How much of what the list could hold it does hold: an absence means something only in a kept list.
    let claim_coverage = options.claims.as_ref().map(|c| {
        let claimable: Vec<bool> = record
            .works
            .iter()
            .filter(|w| c.last_modified_year.is_none_or(|y| w.year.is_some_and(|wy| wy <= y)))
            .map(|w| claim_keys(&index.works[w.work_index]))
            .filter(|keys| !keys.is_empty())
            .map(|keys| keys.iter().any(|k| c.works.contains_key(k)))
            .collect();
        let held = claimable.iter().filter(|h| **h).count();
        (held, claimable.len())
    });

    record
        .works
        .iter()
        .zip(&similarities)
        .map(|(w, similarity)| {
            let work = &index.works[w.work_index];
            let mut findings = Vec::new();
            let mut signals: BTreeMap<&'static str, f64> = BTreeMap::new();
            let others = n.saturating_sub(1);
            let evidence = vec![Evidence {
                kind: "work".to_owned(),
                work_id: Some(work.work_id.clone()),
                doi: work.ids.doi.clone(),
                pmid: work.ids.pmid.clone(),
                text: work.title.clone(),
            }];
            let mut push = |code: &'static str, score: f64, reasons: Vec<String>, signals: &mut BTreeMap<_, _>| {
                let score = score.clamp(0.0, 1.0);
                let severity = if !established {
                    Severity::Info
                } else if score >= SUPPORTING_SIGNAL_MIN {
                    Severity::Low
                } else {
                    Severity::Info
                };
                if established {
                    signals.insert(code, score);
                }
                findings.push(Finding {
                    code: code.to_owned(),
                    subject: Subject::Work { work_id: work.work_id.clone() },
                    severity,
                    score,
                    reasons,
                    evidence: evidence.clone(),
                });
            };

            // COA001: co-author isolation, then the 2-hop neighbourhood.
            let recurring: Vec<&u64> =
                w.coauthors.iter().filter(|c| record.coauthor_works.get(c).copied().unwrap_or(0) >= 2).collect();
            let shared = recurring.len();
            if shared > 0 && recurring.iter().all(|c| w.initials_matched.contains(c)) {
                // Not isolated, but the only tie is an initials match: said, not scored.
                push(
                    "COA001",
                    0.0,
                    vec![format!(
                        "{shared} co-author(s) of this work match {name}'s collaborators on family name and initials \
                         only"
                    )],
                    &mut signals,
                );
            }
            if !w.coauthors.is_empty() && shared == 0 && others > 0 {
                let bridges = two_hop_bridges(index, record, w, &record_work_set, options);
                let mut reasons =
                    vec![format!("no co-author of this work appears in any other of {name}'s {others} works")];
                let score = if bridges == 0 {
                    reasons.push(format!(
                        "none of its {} co-authors has published with {name}'s co-authors elsewhere in the corpus",
                        w.coauthors.len()
                    ));
                    1.0
                } else {
                    reasons.push(format!(
                        "{bridges} of its {} co-authors have published with {name}'s co-authors elsewhere (2-hop link)",
                        w.coauthors.len()
                    ));
                    0.5
                };
                push("COA001", score, reasons, &mut signals);
            }

            // COA002: one-off co-authors from many countries that never recur.
            let one_off =
                w.coauthors.iter().filter(|c| record.coauthor_works.get(c).copied().unwrap_or(0) <= 1).count();
            let novel_countries: BTreeSet<&String> = w
                .coauthor_countries
                .values()
                .flatten()
                .filter(|c| record.country_works.get(*c).copied().unwrap_or(0) <= 1)
                .collect();
            if !w.coauthors.is_empty()
                && one_off as f64 / w.coauthors.len() as f64 >= options.one_off_coauthor_share
                && novel_countries.len() >= options.one_off_countries
            {
                let list: Vec<&str> = novel_countries.iter().map(|s| s.as_str()).collect();
                push(
                    "COA002",
                    0.5 + 0.1 * (novel_countries.len() - options.one_off_countries) as f64,
                    vec![format!(
                        "{one_off} of {} co-authors appear only here, with affiliations in {} countries ({}) that \
                         appear in no other of {name}'s works",
                        w.coauthors.len(),
                        list.len(),
                        list.join(", ")
                    )],
                    &mut signals,
                );
            }

            // COA003: no co-author is at a place of the researcher's world (an institution of any other work of
            // the record, or a country the researcher worked in). Colleagues met once are usually local.
            let here = |map: &BTreeMap<String, usize>, k: &String, set: &BTreeSet<String>| {
                map.get(k).copied().unwrap_or(0).saturating_sub(usize::from(set.contains(k)))
            };
            let tied_institutions: Vec<&String> = w
                .coauthor_institutions
                .iter()
                .filter(|i| here(&record.institution_works, i, &w.institutions) > 0)
                .collect();
            let coauthor_country_set: BTreeSet<&String> = w.coauthor_countries.values().flatten().collect();
            let tied_countries: Vec<&&String> = coauthor_country_set
                .iter()
                .filter(|c| here(&record.own_country_works, c, &w.own_countries) > 0)
                .collect();
            if shared == 0
                && others > 0
                && !w.coauthors.is_empty()
                && !w.coauthor_institutions.is_empty()
                && tied_institutions.is_empty()
                && tied_countries.is_empty()
            {
                let list: Vec<&str> = coauthor_country_set.iter().map(|s| s.as_str()).collect();
                push(
                    "COA003",
                    1.0,
                    vec![format!(
                        "none of its {} co-authors is at an institution of {name}'s other works or in a country \
                         where {name} worked (co-authors in {})",
                        w.coauthors.len(),
                        if list.is_empty() { "unknown countries".to_owned() } else { list.join(", ") }
                    )],
                    &mut signals,
                );
            }

            // AFF001: the researcher's own institution or country appears nowhere else.
            let matches_stated = target_affiliation.as_deref().is_some_and(|t| {
                let own = fold(&w.own_affiliation_text);
                !own.is_empty() && (own.contains(t) || strsim::jaro_winkler(t, &own) >= 0.9)
            });
            let new_institutions: Vec<&String> = w
                .own_institutions
                .iter()
                .filter(|i| record.own_institution_works.get(*i).copied().unwrap_or(0) <= 1)
                .collect();
            let new_countries: Vec<&String> = w
                .own_countries
                .iter()
                .filter(|c| record.own_country_works.get(*c).copied().unwrap_or(0) <= 1)
                .collect();
            let knows_other_places = record.own_institution_works.len() > new_institutions.len();
            if !matches_stated && knows_other_places && !new_institutions.is_empty() && others > 0 {
                let mut reasons = vec![format!(
                    "{name}'s affiliation here ({}) appears in no other of {name}'s works",
                    new_institutions.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
                )];
                let mut score = 0.5;
                if !new_countries.is_empty() {
                    reasons.push(format!(
                        "first appearance of {} as {name}'s country",
                        new_countries.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ));
                    score += 0.3;
                }
                if shared == 0 && !w.coauthors.is_empty() {
                    reasons.push("the institution appears only with co-authors who never recur".to_owned());
                    score += 0.2;
                }
                push("AFF001", score, reasons, &mut signals);
            }

            // TOP001: topic far from the rest of the record.
            if let Some(sim) = similarity
                && median_similarity > 0.0
                && *sim < options.topic_outlier_fraction * median_similarity
            {
                let cut = options.topic_outlier_fraction * median_similarity;
                push(
                    "TOP001",
                    0.5 + 0.5 * (1.0 - sim / cut),
                    vec![format!(
                        "the topic (title, abstract, MeSH, keywords) has cosine {sim:.2} to the rest of {name}'s \
                         record, whose median is {median_similarity:.2}"
                    )],
                    &mut signals,
                );
            }

            // BYL005: byline far longer than the researcher's norm.
            let norm = record.median_authors;
            if norm > 0.0
                && w.authors as f64 >= options.byline_ratio * norm
                && w.authors as f64 - norm >= options.byline_excess as f64
            {
                let mut reasons = vec![format!("{} authors where {name}'s median is {norm:.0}", w.authors)];
                if w.group_authorship {
                    reasons.push("the byline includes a group author".to_owned());
                }
                push(
                    "BYL005",
                    0.5 + 0.1 * (w.authors as f64 / (options.byline_ratio * norm) - 1.0),
                    reasons,
                    &mut signals,
                );
            }

            // VEN001: a burst in a venue used in no other year.
            if let (Some(v), Some(y)) = (&w.venue, w.year)
                && let Some(years) = record.venue_years.get(v)
                && years.len() == 1
                && years.get(&y).copied().unwrap_or(0) >= options.venue_burst_works
            {
                let count = years.get(&y).copied().unwrap_or(0);
                let title = work.venue.title.clone().unwrap_or_else(|| v.clone());
                push(
                    "VEN001",
                    0.5,
                    vec![format!("{count} of {name}'s works appeared in {title} in {y}, and none in any other year")],
                    &mut signals,
                );
            }

            // The broker pattern: the only link to the record is one recurring co-author (the bridge).
            let strangers: Vec<u64> = w
                .coauthors
                .iter()
                .filter(|c| record.coauthor_works.get(*c).copied().unwrap_or(0) <= 1)
                .copied()
                .collect();
            let bridge_case = shared >= 1
                && shared <= options.max_bridges
                && strangers.len() >= 2
                && !recurring.iter().all(|c| w.initials_matched.contains(c));
            let mut history_works: Vec<usize> = Vec::new();
            if bridge_case && established {
                let bridges: Vec<u64> = recurring.iter().map(|c| **c).collect();
                let group = group_neighbourhood(index, record, w, &bridges, &strangers, &record_work_set, options);
                let bridge_names = names_of(w, &bridges);
                let bridge_works: usize =
                    bridges.iter().map(|b| record.coauthor_works.get(b).copied().unwrap_or(0)).sum();
                let stranger_names = names_of(w, &strangers);
                if group.tied_to_bridge.is_empty() && group.tied_to_network.is_empty() {
                    push(
                        "COA004",
                        1.0,
                        vec![
                            format!(
                                "{bridge_names} is this work's only co-author who appears in {name}'s other works \
                                 ({} of them); its {} other authors ({stranger_names}) appear in none",
                                bridge_works.saturating_sub(bridges.len()),
                                strangers.len()
                            ),
                            format!(
                                "{bridge_names} has no other work with any of them in the corpus, and none of them \
                                 has published with {name}'s co-authors: the bridge is as much a stranger to this \
                                 group as {name} is"
                            ),
                        ],
                        &mut signals,
                    );
                } else {
                    // An introduction: the bridge (or the network) knows the group. Said, not scored.
                    let mut reasons = Vec::new();
                    if !group.tied_to_bridge.is_empty() {
                        reasons.push(format!(
                            "{bridge_names} has published elsewhere with {} of this work's other authors ({}): \
                             an introduction by {bridge_names}, which points away from a forgery",
                            group.tied_to_bridge.len(),
                            names_of(w, &group.tied_to_bridge)
                        ));
                    }
                    if !group.tied_to_network.is_empty() {
                        reasons.push(format!(
                            "{} of its other authors ({}) have published with {name}'s co-authors elsewhere",
                            group.tied_to_network.len(),
                            names_of(w, &group.tied_to_network)
                        ));
                    }
                    push("COA004", 0.0, reasons, &mut signals);
                }
                if !group.history.is_empty() {
                    let h = group.history.len();
                    let members = names_of(w, &group.history_members);
                    push(
                        "COA005",
                        (0.5 + 0.25 * (h as f64 - 1.0)).min(1.0),
                        vec![format!(
                            "{members} publish together elsewhere in the corpus ({h} work{} with neither {name} nor \
                             {bridge_names}): the byline is their group's, with {name} and {bridge_names} added",
                            if h == 1 { "" } else { "s" }
                        )],
                        &mut signals,
                    );
                }
                history_works = group.history;
            }

            // AFF006: the researcher's institution here is one they had left, as the same years' works show.
            if established
                && let Some(y) = w.year
                && !w.own_institutions.is_empty()
            {
                let period: Vec<&RecordWork> = record
                    .works
                    .iter()
                    .filter(|o| o.work_index != w.work_index && o.year.is_some_and(|oy| (oy - y).abs() <= 1))
                    .filter(|o| !o.own_institutions.is_empty())
                    .collect();
                let period_institutions: BTreeSet<&String> = period.iter().flat_map(|o| &o.own_institutions).collect();
                let earlier: Vec<&RecordWork> = record
                    .works
                    .iter()
                    .filter(|o| o.work_index != w.work_index)
                    .filter(|o| o.own_institutions.iter().any(|i| w.own_institutions.contains(i)))
                    .collect();
                let last_use = earlier.iter().filter_map(|o| o.year).max();
                if period.len() >= options.stale_period_works
                    && w.own_institutions.iter().all(|i| !period_institutions.contains(i))
                    && let Some(last) = last_use
                    && y - last >= options.stale_affiliation_years
                {
                    let identical = earlier.iter().any(|o| o.own_affiliation_text == w.own_affiliation_text);
                    let now: Vec<&str> = period_institutions.iter().map(|s| s.as_str()).collect();
                    let mut reasons = vec![format!(
                        "{name}'s affiliation here ({}) was last used on {name}'s works of {last}; the {} other works \
                         of {}–{} give {}",
                        w.own_institutions.iter().map(String::as_str).collect::<Vec<_>>().join("; "),
                        period.len(),
                        y - 1,
                        y + 1,
                        now.join("; ")
                    )];
                    if identical {
                        reasons.push(format!(
                            "the string is identical to the one on {name}'s earlier works, as if copied from them"
                        ));
                    }
                    push("AFF006", if identical { 1.0 } else { 0.7 }, reasons, &mut signals);
                }
            }

            // ROL001: a middle author on a work outside the researcher's topic cluster, not corresponding.
            let middle = w.position > 0 && (w.position as usize) + 1 < w.authors;
            if established
                && middle
                && !w.own_corresponding
                && let Some(sim) = similarity
                && median_similarity > 0.0
                && *sim < options.role_topic_fraction * median_similarity
            {
                let mut reasons = vec![format!(
                    "{name} is author {} of {}, neither first nor last, on a work whose topic has cosine {sim:.2} to \
                     the rest of the record (median {median_similarity:.2})",
                    w.position + 1,
                    w.authors
                )];
                let mut score = 0.5;
                if w.corresponding_marked {
                    reasons.push(format!("the source marks another author as corresponding, not {name}"));
                    score += 0.2;
                }
                push("ROL001", score, reasons, &mut signals);
            }

            // VEN002: paper-mill signals (byline-detect) on this work or on its group's other works.
            let mill = mill_signals(work, &history_works, index, options);
            if established && !mill.is_empty() {
                let top = mill.iter().map(|m| m.2).fold(0.0, f64::max);
                let list: Vec<String> =
                    mill.iter().map(|(whose, code, score)| format!("{code} ({score:.2}) on {whose}")).collect();
                push("VEN002", top, vec![format!("paper-mill signals: {}", list.join("; "))], &mut signals);
            }

            // COA006: a genuine new collaboration reads as such (evidence against the other signals).
            let new_team = !w.coauthors.is_empty()
                && !bridge_case
                && w.year.is_some_and(|y| {
                    w.coauthors
                        .iter()
                        .all(|c| record.coauthor_years.get(c).and_then(|ys| ys.first()).is_none_or(|first| *first >= y))
                });
            let mut damping: f64 = 0.0;
            if established && new_team {
                let mut reasons = Vec::new();
                let mut traits = Vec::new();
                let again: Vec<u64> = w
                    .coauthors
                    .iter()
                    .filter(|c| record.coauthor_works.get(*c).copied().unwrap_or(0) >= 2)
                    .copied()
                    .collect();
                // The team recurs: at least half of it is on another work of the record.
                if !again.is_empty() && 2 * again.len() >= w.coauthors.len() {
                    reasons.push(format!(
                        "{} of its co-authors ({}) publish again with {name} in the record",
                        again.len(),
                        names_of(w, &again)
                    ));
                    traits.push(NEW_TEAM_DAMPING_AGAIN);
                }
                // The researcher's places at the time, from their other works (this work's own address may be
                // the forged part).
                let nearby: Vec<&RecordWork> = record
                    .works
                    .iter()
                    .filter(|o| o.work_index != w.work_index)
                    .filter(|o| matches!((o.year, w.year), (Some(a), Some(b)) if (a - b).abs() <= 2))
                    .collect();
                let institutions: BTreeSet<&String> = nearby.iter().flat_map(|o| &o.own_institutions).collect();
                let cities: BTreeSet<&String> = nearby.iter().flat_map(|o| &o.own_cities).collect();
                let (mut at_institution, mut in_city, mut placed) = (0, 0, 0);
                for places in w.coauthor_places.values() {
                    placed += usize::from(!places.0.is_empty() || !places.1.is_empty());
                    at_institution += usize::from(places.0.iter().any(|i| institutions.contains(i)));
                    in_city += usize::from(places.1.iter().any(|c| cities.contains(c)));
                }
                // The team, not one member of a many-country byline, is where the researcher works.
                let local = |n: usize| placed > 0 && 2 * n >= placed;
                if local(at_institution) || local(in_city) {
                    reasons.push(format!(
                        "{} of its {placed} co-authors are at {name}'s {} of the time",
                        at_institution.max(in_city),
                        if local(at_institution) { "institution" } else { "city" }
                    ));
                    traits.push(NEW_TEAM_DAMPING_PLACE);
                }
                if let Some(sim) = similarity
                    && median_similarity > 0.0
                    && *sim >= options.topic_continues_fraction * median_similarity
                {
                    reasons.push(format!(
                        "the topic continues {name}'s (cosine {sim:.2}, record median {median_similarity:.2})"
                    ));
                    traits.push(NEW_TEAM_DAMPING_TOPIC);
                }
                if !traits.is_empty() {
                    damping = 1.0 - traits.iter().map(|d| 1.0 - d).product::<f64>();
                    reasons.insert(0, format!("a new collaboration: no co-author appears on {name}'s earlier works"));
                    push("COA006", damping, reasons, &mut signals);
                }
            }

            // ORC001/ORC002: the researcher's own claim.
            let mut claimed_factor = 1.0;
            let mut claimed_by_self = false;
            if let (Some(claims), Some((held, claimable))) = (&options.claims, claim_coverage) {
                let keys = claim_keys(work);
                if let Some((by_self, added_by)) = keys.iter().find_map(|k| claims.works.get(k)) {
                    claimed_by_self = *by_self;
                    claimed_factor =
                        if *by_self { CLAIMED_BY_SELF_SCORE_FACTOR } else { CLAIMED_BY_ORGANISATION_SCORE_FACTOR };
                    push(
                        "ORC002",
                        0.0,
                        vec![format!(
                            "{name} lists this work in their {} record (added by {added_by})",
                            claims.list.record()
                        )],
                        &mut signals,
                    );
                } else if !keys.is_empty()
                    && claimable >= MIN_CLAIMABLE_WORKS
                    && held as f64 >= MIN_CLAIM_COVERAGE * claimable as f64
                    && claims.last_modified_year.is_none_or(|y| w.year.is_some_and(|wy| wy <= y))
                {
                    push(
                        "ORC001",
                        1.0,
                        vec![format!(
                            "not in {name}'s {}, which holds {held} of the {claimable} works of the record it could \
                             hold",
                            claims.list.list_name()
                        )],
                        &mut signals,
                    );
                }
            }

            let score = claimed_factor
                * (1.0
                    - [
                        ("COA001", WEIGHT_COA001),
                        ("COA002", WEIGHT_COA002),
                        ("COA003", WEIGHT_COA003),
                        ("AFF001", WEIGHT_AFF001),
                        ("TOP001", WEIGHT_TOP001),
                        ("BYL005", WEIGHT_BYL005),
                        ("VEN001", WEIGHT_VEN001),
                        ("ORC001", WEIGHT_ORC001),
                        ("COA004", WEIGHT_COA004),
                        ("COA005", WEIGHT_COA005),
                        ("AFF006", WEIGHT_AFF006),
                        ("ROL001", WEIGHT_ROL001),
                        ("VEN002", WEIGHT_VEN002),
                    ]
                    .iter()
                    .map(|(code, weight)| 1.0 - weight * signals.get(code).copied().unwrap_or(0.0))
                    .product::<f64>())
                * (1.0 - damping);
            let mut severity = combined_severity(&signals);
            if claimed_by_self {
                severity = severity.min(Severity::Low);
            }
            for f in &mut findings {
                if f.severity > Severity::Info {
                    f.severity = f.severity.min(severity).max(Severity::Low);
                }
            }
            WorkAssessment {
                rank: 0,
                work_id: work.work_id.clone(),
                doi: work.ids.doi.clone(),
                pmid: work.ids.pmid.clone(),
                title: work.title.clone(),
                year: w.year,
                venue: work.venue.title.clone(),
                position: w.position,
                authors: w.authors,
                score,
                severity,
                findings,
            }
        })
        .collect()
}

/// The conservative combination: converging, independent signals only.
fn combined_severity(signals: &BTreeMap<&'static str, f64>) -> Severity {
    let score = |c: &str| signals.get(c).copied().unwrap_or(0.0);
    let strong = |c: &str| score(c) >= SUPPORTING_SIGNAL_MIN;
    let isolation = score("COA001");
    let unplaced = strong("COA003");
    // Signals independent of the co-author network: each can support either anchor below.
    let independent = ["COA002", "AFF001", "TOP001", "BYL005", "VEN001", "ORC001", "AFF006", "ROL001", "VEN002"]
        .iter()
        .filter(|c| strong(c))
        .count();
    let supporting = independent + usize::from(unplaced);
    // What supports a bridge: facts about the researcher's own part in the work. A new address (AFF001) and
    // many countries (COA002) are what a genuine visit abroad looks like, so they do not.
    let broker_support =
        ["TOP001", "BYL005", "VEN001", "ORC001", "AFF006", "ROL001", "VEN002"].iter().filter(|c| strong(c)).count();
    // The broker anchor: a bridge with no tie to the group (COA004). Its own group history (COA005) is network
    // evidence too, so it ranks the work but never makes a flag alone: a collaboration abroad can look the same.
    let bridge = score("COA004") >= 1.0;
    let own_group = strong("COA005");
    // A bridge that knows the group (COA004 said, not scored) still anchors two converging facts about the
    // researcher's own part (a stale address, a middle place off their topic).
    let bridged = signals.contains_key("COA004");
    let severity = if (isolation >= 1.0 && unplaced && independent >= 1) || (bridge && own_group && broker_support >= 2)
    {
        Severity::High
    } else if (isolation >= SUPPORTING_SIGNAL_MIN && supporting >= 1)
        || (bridge && broker_support >= 1)
        || (bridged && broker_support >= 2)
    {
        Severity::Medium
    } else if signals.iter().any(|(c, s)| !COUNTER_SIGNALS.contains(c) && *s >= SUPPORTING_SIGNAL_MIN) {
        Severity::Low
    } else {
        Severity::Info
    };
    // A new collaboration (COA006) is never a high flag; one that recurs or is local is at most low.
    let new_collaboration = score("COA006");
    if new_collaboration >= NEW_COLLABORATION_CAP_LOW {
        severity.min(Severity::Low)
    } else if new_collaboration > 0.0 {
        severity.min(Severity::Medium)
    } else {
        severity
    }
}

/// Codes that are evidence *against* a work being unintended: they lower its score, never raise its severity.
const COUNTER_SIGNALS: &[&str] = &["COA006"];

/// What the corpus shows about a bridged work's other authors.
struct GroupNeighbourhood {
    /// The other authors who have published, outside the record, with a bridge …
    tied_to_bridge: Vec<u64>,
    /// … or with someone else of the researcher's network.
    tied_to_network: Vec<u64>,
    /// Works (corpus indices) with at least two of the other authors and neither the researcher, a bridge nor
    /// anyone of the network: the group's own history.
    history: Vec<usize>,
    /// The other authors on those works.
    history_members: Vec<u64>,
}

/// Reads the corpus around a bridged work: each other author's works outside the record (at most
/// `max_two_hop_works` each, the bound of the neighbourhood read), and each bridge's.
fn group_neighbourhood(
    index: &AuditIndex<'_>,
    record: &Record,
    w: &RecordWork,
    bridges: &[u64],
    strangers: &[u64],
    record_works: &BTreeSet<usize>,
    options: &AuditOptions,
) -> GroupNeighbourhood {
    let written = |c: &u64| w.written_keys.get(c).copied().unwrap_or(*c);
    let outside = |key: u64| -> Vec<usize> {
        index
            .by_person
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|wi| *wi as usize)
            .filter(|wi| *wi != w.work_index && !record_works.contains(wi))
            .take(options.max_two_hop_works)
            .collect()
    };
    let keys_of = |wi: usize| -> BTreeSet<u64> {
        index.person_keys.get(wi).map(|k| k.iter().copied().filter(|k| *k != 0).collect()).unwrap_or_default()
    };
    let stranger_keys: BTreeMap<u64, u64> = strangers.iter().map(|s| (written(s), *s)).collect();
    let bridge_keys: BTreeSet<u64> = bridges.iter().map(written).collect();
    // The network without this work's strangers (a stranger appears on this work only).
    let network: BTreeSet<u64> = record
        .coauthor_works
        .keys()
        .filter(|k| !stranger_keys.values().any(|s| s == *k))
        .flat_map(|k| [*k, w.written_keys.get(k).copied().unwrap_or(*k)])
        .collect();
    let mut tied_to_bridge = BTreeSet::new();
    let mut tied_to_network = BTreeSet::new();
    for b in &bridge_keys {
        for wi in outside(*b) {
            for k in keys_of(wi) {
                if let Some(s) = stranger_keys.get(&k) {
                    tied_to_bridge.insert(*s);
                }
            }
        }
    }
    let mut history: BTreeSet<usize> = BTreeSet::new();
    let mut history_members = BTreeSet::new();
    for (key, s) in &stranger_keys {
        for wi in outside(*key) {
            let keys = keys_of(wi);
            if keys.iter().any(|k| bridge_keys.contains(k)) {
                continue; // counted above, as a tie to the bridge
            }
            if keys.iter().any(|k| network.contains(k) && !stranger_keys.contains_key(k)) {
                tied_to_network.insert(*s);
                continue;
            }
            let members: Vec<u64> = keys.iter().filter_map(|k| stranger_keys.get(k).copied()).collect();
            if members.len() >= 2 {
                history.insert(wi);
                history_members.extend(members);
            }
        }
    }
    GroupNeighbourhood {
        tied_to_bridge: tied_to_bridge.into_iter().collect(),
        tied_to_network: tied_to_network.into_iter().collect(),
        history: history.into_iter().collect(),
        history_members: history_members.into_iter().collect(),
    }
}

/// The names of co-authors as written on a work, joined ("A, B and C"; at most five, then "and N more").
fn names_of(w: &RecordWork, keys: &[u64]) -> String {
    let names: Vec<&str> = keys.iter().filter_map(|k| w.coauthor_names.get(k)).map(String::as_str).collect();
    match names.as_slice() {
        [] => "an unnamed co-author".to_owned(),
        [one] => (*one).to_owned(),
        [head @ .., last] if names.len() <= 5 => format!("{} and {last}", head.join(", ")),
        _ => format!("{} and {} more", names[..5].join(", "), names.len() - 5),
    }
}

/// Paper-mill findings ([`AuditOptions::mill_findings`]) at or above [`SUPPORTING_SIGNAL_MIN`] on the work and on
/// its group's other works: (whose, code, score), strongest first.
fn mill_signals(
    work: &Work,
    group_works: &[usize],
    index: &AuditIndex<'_>,
    options: &AuditOptions,
) -> Vec<(String, String, f64)> {
    if options.mill_findings.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(String, String, f64)> = Vec::new();
    let mut add = |w: &Work, whose: &str| {
        for f in options.mill_findings.get(&w.work_id).map(Vec::as_slice).unwrap_or(&[]) {
            if f.score >= SUPPORTING_SIGNAL_MIN {
                // A group's signal weighs less than the work's own: the group may have published one bad paper.
                let weight = if whose == "this work" { 1.0 } else { GROUP_MILL_FACTOR };
                out.push((whose.to_owned(), f.code.clone(), f.score * weight));
            }
        }
    };
    add(work, "this work");
    for wi in group_works {
        if let Some(g) = index.works.get(*wi) {
            let label = g.title.as_deref().map_or_else(|| g.work_id.clone(), |t| format!("the group's \"{t}\""));
            add(g, &label);
        }
    }
    out.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)).then_with(|| a.0.cmp(&b.0)));
    out.dedup();
    out
}

/// How many of the work's co-authors published, outside the record, with someone in the researcher's network.
fn two_hop_bridges(
    index: &AuditIndex<'_>,
    record: &Record,
    w: &RecordWork,
    record_works: &BTreeSet<usize>,
    options: &AuditOptions,
) -> usize {
    // The network without this work: co-authors on at least one other record work.
    let in_network = |key: &u64| {
        let total = record.coauthor_works.get(key).copied().unwrap_or(0);
        let here = usize::from(w.coauthors.contains(key));
        total > here
    };
    let in_network_as_written = |key: &u64| {
        if *key == 0 {
            return false;
        }
        if is_initials_only(*key)
            && let Some(full) = record.network_initials.get(key)
        {
            return in_network(full);
        }
        in_network(key)
    };
    w.coauthors
        .iter()
        .filter(|c| {
            let written = w.written_keys.get(c).copied().unwrap_or(**c);
            let postings = index.by_person.get(&written).map(Vec::as_slice).unwrap_or(&[]);
            postings.iter().filter(|wi| !record_works.contains(&(**wi as usize))).take(options.max_two_hop_works).any(
                |wi| {
                    index
                        .person_keys
                        .get(*wi as usize)
                        .is_some_and(|keys| keys.iter().any(|k| *k != written && in_network_as_written(k)))
                },
            )
        })
        .count()
}

// ---------------------------------------------------------------------------------------------------------
// Record-level findings and summary.

fn prolific_findings(index: &AuditIndex<'_>, record: &Record, name: &str, options: &AuditOptions) -> Vec<Finding> {
    let mut per_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for w in &record.works {
        if let Some(y) = w.year {
            per_year.entry(y).or_default().push(w.work_index);
        }
    }
    per_year
        .into_iter()
        .filter(|(_, list)| list.len() >= options.hyper_prolific_works_per_year)
        .map(|(year, list)| Finding {
            code: "PRO001".to_owned(),
            subject: Subject::Person { person_id: name.to_owned() },
            severity: Severity::Low,
            score: (list.len() as f64 / (2.0 * options.hyper_prolific_works_per_year as f64)).min(1.0),
            reasons: vec![format!(
                "{name} has {} works in {year}, at or above the hyper-prolific threshold of {} a year \
                 (Ioannidis et al. 2018)",
                list.len(),
                options.hyper_prolific_works_per_year
            )],
            evidence: list
                .iter()
                .filter_map(|wi| index.works.get(*wi))
                .map(|w| Evidence {
                    kind: "work".to_owned(),
                    work_id: Some(w.work_id.clone()),
                    doi: w.ids.doi.clone(),
                    pmid: w.ids.pmid.clone(),
                    text: None,
                })
                .collect(),
        })
        .collect()
}

fn summarize(record: &Record) -> RecordSummary {
    let mut summary = RecordSummary {
        works: record.works.len(),
        distinct_coauthors: record.coauthor_works.len(),
        recurring_coauthors: record.coauthor_works.values().filter(|n| **n >= 2).count(),
        ..RecordSummary::default()
    };
    let mut by_country_year: BTreeMap<i32, BTreeMap<String, BTreeSet<u64>>> = BTreeMap::new();
    let mut spans: BTreeMap<String, (Option<i32>, Option<i32>, usize)> = BTreeMap::new();
    for w in &record.works {
        if let Some(y) = w.year {
            *summary.works_by_year.entry(y).or_default() += 1;
            for (c, countries) in &w.coauthor_countries {
                for country in countries {
                    by_country_year.entry(y).or_default().entry(country.clone()).or_default().insert(*c);
                }
            }
        }
        for i in &w.own_institutions {
            let e = spans.entry(i.clone()).or_insert((None, None, 0));
            e.0 = match (e.0, w.year) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.1 = match (e.1, w.year) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            e.2 += 1;
        }
    }
    summary.collaborators_by_country_year =
        by_country_year.into_iter().map(|(y, m)| (y, m.into_iter().map(|(c, set)| (c, set.len())).collect())).collect();
    let mut institutions: Vec<InstitutionSpan> = spans
        .into_iter()
        .map(|(institution, (first_year, last_year, works))| InstitutionSpan {
            institution,
            first_year,
            last_year,
            works,
        })
        .collect();
    institutions.sort_by(|a, b| a.first_year.cmp(&b.first_year).then_with(|| a.institution.cmp(&b.institution)));
    summary.institutions = institutions;
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_model::{Affiliation, Author, PubDate};

    fn author(name: &str, affiliation: &str) -> Author {
        let (given, family) = name.rsplit_once(' ').unwrap_or(("", name));
        Author {
            raw_name: name.to_owned(),
            given: Some(given.to_owned()),
            family: Some(family.to_owned()),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }

    fn work(id: &str, year: i32, title: &str, authors: Vec<Author>) -> Work {
        Work {
            work_id: id.to_owned(),
            title: Some(title.to_owned()),
            date: Some(PubDate::new(year, None, None)),
            authors,
            ..Work::default()
        }
    }

    fn genuine_record() -> Vec<Work> {
        let home = "Department of Cardiology, Karolinska Institutet, Stockholm, Sweden";
        (0..8)
            .map(|i| {
                work(
                    &format!("g{i}"),
                    2010 + i,
                    "Atrial fibrillation ablation outcomes in heart failure cardiology cohort",
                    vec![
                        author("Anna Lindqvist", home),
                        author("Erik Berg", home),
                        author(if i % 2 == 0 { "Sara Holm" } else { "Olof Nyberg" }, home),
                    ],
                )
            })
            .collect()
    }

    #[test]
    fn isolated_foreign_off_topic_work_ranks_first_and_is_high() {
        let mut works = genuine_record();
        works.push(work(
            "planted",
            2016,
            "Graphene oxide nanosheets for supercapacitor electrodes",
            vec![
                author("Ahmed Karimi", "Tehran University, Tehran, Iran"),
                author("Anna Lindqvist", "King Saud University, Riyadh, Saudi Arabia"),
                author("Li Wei", "Jilin University, Changchun, China"),
                author("Ivan Petrov", "Moscow State University, Moscow, Russia"),
            ],
        ));
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        assert_eq!(report.works.len(), 9);
        let top = &report.works[0];
        assert_eq!(top.work_id, "planted");
        assert_eq!(top.severity, Severity::High);
        let codes: Vec<&str> = top.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"COA001") && codes.contains(&"COA002") && codes.contains(&"AFF001"), "{codes:?}");
        assert!(top.findings[0].reasons[0].contains("any other of Lindqvist, Anna's 8 works"));
        assert!(report.works[1..].iter().all(|w| w.severity <= Severity::Low));
    }

    #[test]
    fn new_collaboration_abroad_with_a_recurring_coauthor_is_not_flagged() {
        let mut works = genuine_record();
        works.push(work(
            "abroad",
            2018,
            "Atrial fibrillation ablation registry in heart failure",
            vec![
                author("Anna Lindqvist", "Mayo Clinic, Rochester, USA"),
                author("Erik Berg", "Karolinska Institutet, Stockholm, Sweden"),
                author("John Smith", "Mayo Clinic, Rochester, USA"),
                author("Kenji Ito", "Kyoto University Hospital, Kyoto, Japan"),
            ],
        ));
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        assert!(report.works.iter().all(|w| w.severity <= Severity::Low));
    }

    #[test]
    fn same_family_and_initial_is_not_the_same_coauthor_but_initials_only_can_be() {
        let home = "Department of Cardiology, Karolinska Institutet, Stockholm, Sweden";
        let mut works = genuine_record();
        // "Erik Bergström" shares family name and initial with nobody; "Eva Berg" shares both with "Erik Berg".
        works.push(work(
            "namesake",
            2019,
            "Atrial fibrillation ablation outcomes in heart failure",
            vec![author("Anna Lindqvist", home), author("Eva Berg", "Tehran University, Tehran, Iran")],
        ));
        works.push(work(
            "initials",
            2019,
            "Atrial fibrillation ablation outcomes in heart failure",
            // "O Nyberg" fits one full name of the record (Olof Nyberg); "E Berg" would fit two (Erik, Eva).
            vec![author("Anna Lindqvist", home), author("O Nyberg", home)],
        ));
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        let by_id = |id: &str| report.works.iter().find(|w| w.work_id == id).expect("work");
        let namesake = by_id("namesake");
        assert!(namesake.findings.iter().any(|f| f.code == "COA001" && f.score >= 1.0), "{namesake:?}");
        assert!(namesake.findings.iter().any(|f| f.code == "COA003"), "{namesake:?}");
        let initials = by_id("initials");
        assert!(initials.findings.iter().all(|f| f.code != "COA001" || f.score == 0.0), "{initials:?}");
        assert!(initials.findings.iter().any(|f| f.reasons.iter().any(|r| r.contains("initials only"))));
    }

    #[test]
    fn local_one_off_colleagues_are_not_placeless() {
        let mut works = genuine_record();
        works.push(work(
            "local",
            2019,
            "Graphene oxide nanosheets for supercapacitor electrodes",
            vec![
                author("Anna Lindqvist", "Department of Cardiology, Karolinska Institutet, Stockholm, Sweden"),
                author("Nils Ek", "Uppsala University, Uppsala, Sweden"),
            ],
        ));
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        let local = report.works.iter().find(|w| w.work_id == "local").expect("work");
        assert!(local.findings.iter().all(|f| f.code != "COA003"), "{local:?}");
        assert!(local.severity < Severity::High);
    }

    #[test]
    fn empty_corpus_and_unknown_target_give_an_empty_report() {
        let report = audit_works(&[], &AuditTarget::default(), &AuditOptions::default());
        assert!(report.works.is_empty());
        let target = AuditTarget { orcid: Some("not an orcid".to_owned()), ..AuditTarget::default() };
        assert!(audit_works(&genuine_record(), &target, &AuditOptions::default()).works.is_empty());
    }

    #[test]
    fn small_records_only_get_info_findings() {
        let mut works = genuine_record();
        works.truncate(2);
        works.push(work(
            "x",
            2020,
            "Unrelated chemistry",
            vec![author("Anna Lindqvist", "Somewhere, Peru"), author("Q Z", "")],
        ));
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        assert!(report.works.iter().all(|w| w.severity == Severity::Info));
    }

    fn claims(keys: impl Iterator<Item = String>, last_modified_year: i32) -> Option<ClaimedWorks> {
        let works = keys.map(|k| (k, (true, "the researcher".to_owned()))).collect();
        Some(ClaimedWorks { works, last_modified_year: Some(last_modified_year), list: ClaimList::Orcid })
    }

    #[test]
    fn orcid_claim_flags_an_unlisted_work_only_when_the_list_is_kept_and_could_hold_it() {
        let home = "Department of Cardiology, Karolinska Institutet, Stockholm, Sweden";
        let mut works = genuine_record();
        let title = "Atrial fibrillation ablation outcomes in heart failure cardiology cohort";
        works.push(work("unlisted", 2015, title, vec![author("Anna Lindqvist", home), author("Erik Berg", home)]));
        for w in &mut works {
            w.ids.doi = Some(format!("10.1/{}", w.work_id));
        }
        let target = AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() };
        let codes = |report: &AuditReport, id: &str| -> Vec<String> {
            let w = report.works.iter().find(|w| w.work_id == id).expect("work");
            w.findings.iter().map(|f| f.code.clone()).collect()
        };
        let kept =
            AuditOptions { claims: claims((0..8).map(|i| format!("doi:10.1/g{i}")), 2020), ..AuditOptions::default() };
        let report = audit_works(&works, &target, &kept);
        assert!(codes(&report, "unlisted").contains(&"ORC001".to_owned()), "{report:?}");
        assert!(codes(&report, "g0").contains(&"ORC002".to_owned()));
        assert_eq!(report.works[0].work_id, "unlisted");
        // A stale list (one work of eight) says nothing about the others.
        let stale =
            AuditOptions { claims: claims(std::iter::once("doi:10.1/g0".to_owned()), 2020), ..AuditOptions::default() };
        assert!(audit_works(&works, &target, &stale).works.iter().all(|w| !codes_of(w).contains(&"ORC001")));
        // A list last changed before the work appeared cannot be expected to hold it.
        let old =
            AuditOptions { claims: claims((0..8).map(|i| format!("doi:10.1/g{i}")), 2014), ..AuditOptions::default() };
        assert!(!codes(&audit_works(&works, &target, &old), "unlisted").contains(&"ORC001".to_owned()));
        // An empty list flags nothing.
        let empty = AuditOptions { claims: claims(std::iter::empty(), 2020), ..AuditOptions::default() };
        assert!(audit_works(&works, &target, &empty).works.iter().all(|w| !codes_of(w).contains(&"ORC001")));
        // A researchmap list of published papers is named as such in the reasons.
        let mut listed = claims((0..8).map(|i| format!("doi:10.1/g{i}")), 2020);
        if let Some(c) = listed.as_mut() {
            c.list = ClaimList::Researchmap;
        }
        let report = audit_works(&works, &target, &AuditOptions { claims: listed, ..AuditOptions::default() });
        let reasons =
            |id: &str, code: &str| finding(&report, id, code).map(|f| f.reasons.join(" ")).unwrap_or_default();
        assert!(
            reasons("unlisted", "ORC001").contains("not in Lindqvist, Anna's researchmap list of published papers")
        );
        assert!(reasons("g0", "ORC002").contains("in their researchmap record"), "{}", reasons("g0", "ORC002"));
        assert!(!reasons("unlisted", "ORC001").contains("ORCID"));
    }

    fn finding<'a>(report: &'a AuditReport, id: &str, code: &str) -> Option<&'a Finding> {
        report.works.iter().find(|w| w.work_id == id).and_then(|w| w.findings.iter().find(|f| f.code == code))
    }

    fn assessed<'a>(report: &'a AuditReport, id: &str) -> &'a WorkAssessment {
        report.works.iter().find(|w| w.work_id == id).expect("work in the report")
    }

    const HOME: &str = "Department of Cardiology, Karolinska Institutet, Stockholm, Sweden";
    const GROUP: &str = "Faculty of Science, Jilin University, Changchun, China";

    /// The genuine record, a group's own works (none with Lindqvist or Berg), and the group's paper with Erik
    /// Berg (on every genuine work: the bridge) and Lindqvist in the middle, her address copied, on a topic
    /// half hers.
    fn broker_corpus(bridge_on_group_work: bool) -> Vec<Work> {
        let mut works = genuine_record();
        let group = ["Wei Zhang", "Min Liu", "Jun Chen"];
        for (i, title) in ["Graphene oxide nanosheets for supercapacitor electrodes", "Perovskite thin film catalyst"]
            .iter()
            .enumerate()
        {
            let mut authors: Vec<Author> = group.iter().map(|n| author(n, GROUP)).collect();
            if bridge_on_group_work && i == 0 {
                authors.push(author("Erik Berg", HOME));
            }
            works.push(work(&format!("history{i}"), 2014 + i as i32, title, authors));
        }
        works.push(work(
            "forged",
            2016,
            "Graphene oxide electrodes for atrial fibrillation ablation supercapacitor",
            vec![
                author("Wei Zhang", GROUP),
                author("Erik Berg", HOME),
                author("Anna Lindqvist", HOME),
                author("Min Liu", GROUP),
                author("Jun Chen", GROUP),
            ],
        ));
        works
    }

    fn lindqvist() -> AuditTarget {
        AuditTarget { name: Some("Lindqvist, Anna".to_owned()), ..AuditTarget::default() }
    }

    #[test]
    fn broker_forgery_names_the_bridge_and_what_the_groups_records_show() {
        let report = audit_works(&broker_corpus(false), &lindqvist(), &AuditOptions::default());
        let top = &report.works[0];
        assert_eq!(top.work_id, "forged", "{report:#?}");
        assert!(top.severity >= Severity::Medium, "{top:#?}");
        let bridge = finding(&report, "forged", "COA004").expect("COA004");
        assert_eq!(bridge.score, 1.0);
        assert!(bridge.reasons[0].starts_with("Erik Berg is this work's only co-author"), "{bridge:?}");
        assert!(bridge.reasons[1].contains("no other work with any of them"), "{bridge:?}");
        let history = finding(&report, "forged", "COA005").expect("COA005");
        for name in ["Wei Zhang", "Min Liu", "Jun Chen"] {
            assert!(history.reasons[0].contains(name), "{history:?}");
        }
        assert!(history.reasons[0].contains("publish together elsewhere in the corpus"), "{history:?}");
        assert!(history.reasons[0].contains("2 works with neither Lindqvist, Anna nor Erik Berg"), "{history:?}");
        let role = finding(&report, "forged", "ROL001").expect("ROL001");
        assert!(role.reasons[0].contains("author 3 of 5"), "{role:?}");
        // The genuine works stay unflagged.
        assert!(report.works[1..].iter().all(|w| w.severity <= Severity::Low));
    }

    #[test]
    fn a_bridge_who_has_worked_with_the_group_reads_as_an_introduction() {
        let report = audit_works(&broker_corpus(true), &lindqvist(), &AuditOptions::default());
        let bridge = finding(&report, "forged", "COA004").expect("COA004 said");
        assert_eq!(bridge.score, 0.0);
        assert!(bridge.reasons[0].contains("Erik Berg has published elsewhere with"), "{bridge:?}");
        // One history work is left without the bridge, so the group's own history is still said.
        assert!(finding(&report, "forged", "COA005").is_some());
        let untied = audit_works(&broker_corpus(false), &lindqvist(), &AuditOptions::default());
        assert!(assessed(&report, "forged").score < assessed(&untied, "forged").score);
    }

    /// Lindqvist at Karolinska 2010–2013, then at Uppsala 2014–2019.
    fn moved_record() -> Vec<Work> {
        let uppsala = "Department of Cardiology, Uppsala University, Uppsala, Sweden";
        (0..10)
            .map(|i| {
                let place = if i < 4 { HOME } else { uppsala };
                work(
                    &format!("m{i}"),
                    2010 + i,
                    "Atrial fibrillation ablation outcomes in heart failure cardiology cohort",
                    vec![author("Anna Lindqvist", place), author("Erik Berg", place), author("Sara Holm", place)],
                )
            })
            .collect()
    }

    #[test]
    fn an_address_the_researcher_had_left_is_aff006_but_a_late_paper_of_the_move_is_not() {
        let mut works = moved_record();
        let title = "Atrial fibrillation ablation outcomes in heart failure cardiology cohort";
        let old = vec![author("Anna Lindqvist", HOME), author("Erik Berg", HOME), author("Sara Holm", HOME)];
        works.push(work("stale", 2017, title, old.clone()));
        works.push(work("late", 2014, title, old));
        let report = audit_works(&works, &lindqvist(), &AuditOptions::default());
        let stale = finding(&report, "stale", "AFF006").expect("AFF006");
        assert_eq!(stale.score, 1.0);
        assert!(stale.reasons[0].contains("was last used on Lindqvist, Anna's works of 2014"), "{stale:?}");
        assert!(stale.reasons[1].contains("identical"));
        assert!(finding(&report, "late", "AFF006").is_none(), "{report:#?}");
    }

    #[test]
    fn a_new_team_at_the_researchers_institution_reads_as_a_new_collaboration() {
        let mut works = genuine_record();
        let title = "Atrial fibrillation ablation outcomes in heart failure cardiology cohort";
        works.push(work(
            "new-team",
            2018,
            title,
            vec![author("Anna Lindqvist", HOME), author("Per Ahl", HOME), author("Lena Ek", HOME)],
        ));
        works.push(work(
            "planted",
            2016,
            "Graphene oxide nanosheets for supercapacitor electrodes",
            vec![
                author("Ahmed Karimi", "Tehran University, Tehran, Iran"),
                author("Anna Lindqvist", HOME),
                author("Li Wei", "Jilin University, Changchun, China"),
                author("Ivan Petrov", "Moscow State University, Moscow, Russia"),
            ],
        ));
        let report = audit_works(&works, &lindqvist(), &AuditOptions::default());
        let new_team = finding(&report, "new-team", "COA006").expect("COA006");
        assert!(new_team.reasons[0].starts_with("a new collaboration"), "{new_team:?}");
        assert!(new_team.reasons.iter().any(|r| r.contains("2 of its 2 co-authors are at")), "{new_team:?}");
        assert!(assessed(&report, "new-team").severity <= Severity::Low);
        assert!(assessed(&report, "new-team").rank > assessed(&report, "planted").rank);
        assert!(finding(&report, "planted", "COA006").is_none());
    }

    #[test]
    fn mill_findings_on_the_work_or_its_group_feed_the_score() {
        let works = broker_corpus(false);
        let plain = audit_works(&works, &lindqvist(), &AuditOptions::default());
        let mut mill_findings = BTreeMap::new();
        mill_findings.insert(
            "history0".to_owned(),
            vec![Finding {
                code: "TPL001".to_owned(),
                subject: Subject::Work { work_id: "history0".to_owned() },
                severity: Severity::Medium,
                score: 0.9,
                reasons: vec!["template family".to_owned()],
                evidence: Vec::new(),
            }],
        );
        let options = AuditOptions { mill_findings, ..AuditOptions::default() };
        let fed = audit_works(&works, &lindqvist(), &options);
        let mill = finding(&fed, "forged", "VEN002").expect("VEN002");
        assert!(mill.reasons[0].contains("TPL001 (0.63) on the group's"), "{mill:?}");
        assert!(assessed(&fed, "forged").score > assessed(&plain, "forged").score);
        assert!(finding(&plain, "forged", "VEN002").is_none());
    }

    #[test]
    fn ties_are_ordered_by_the_works_keys_not_by_the_path_it_was_ingested_from() {
        let order = |prefix: &str| -> Vec<Option<String>> {
            let mut works = genuine_record();
            for (i, w) in works.iter_mut().enumerate() {
                // Another ingest path gives other work ids, in another order.
                w.work_id = format!("{prefix}{:02}", (i * 5) % 8);
                w.ids.doi = Some(format!("10.1/{i}"));
            }
            audit_works(&works, &lindqvist(), &AuditOptions::default()).works.into_iter().map(|w| w.doi).collect()
        };
        let a = order("a");
        assert_eq!(a, order("z"));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(a, sorted, "equal scores in DOI order");
    }

    #[test]
    fn a_name_only_audit_names_the_orcid_of_linked_works_of_the_same_name() {
        let mut works = genuine_record();
        let orcid = "0000-0002-1825-0097";
        for (i, coauthor) in ["Erik Berg", "Nils Ek"].iter().enumerate() {
            let mut me = author("Anna Lindqvist", HOME);
            me.orcid = Some(orcid.to_owned());
            works.push(work(&format!("orcid{i}"), 2019, "Atrial fibrillation", vec![me, author(coauthor, HOME)]));
        }
        let report = audit_works(&works, &lindqvist(), &AuditOptions::default());
        assert_eq!(report.works.len(), 8, "the ORCID works are not silently merged");
        let hint = report.record_findings.iter().find(|f| f.code == "AUD002").expect("AUD002");
        assert_eq!(
            hint.reasons[0],
            format!(
                "2 more works with this name carry ORCID {orcid} (1 share co-authors with this record); rerun with --orcid {orcid}"
            )
        );
        // With the ORCID, the works are the record's and nothing is hinted.
        let target = AuditTarget { orcid: Some(orcid.to_owned()), ..lindqvist() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        assert!(report.record_findings.iter().all(|f| f.code != "AUD002"));
    }

    #[test]
    fn mill_findings_are_keyed_by_the_works_they_concern() {
        let f = |subject: Subject, evidence: &[&str]| Finding {
            code: "X".to_owned(),
            subject,
            severity: Severity::Low,
            score: 1.0,
            reasons: Vec::new(),
            evidence: evidence
                .iter()
                .map(|id| Evidence {
                    kind: "work".to_owned(),
                    work_id: Some((*id).to_owned()),
                    doi: None,
                    pmid: None,
                    text: None,
                })
                .collect(),
        };
        let by_work = mill_findings_by_work(&[
            f(Subject::Work { work_id: "a".to_owned() }, &[]),
            f(Subject::Authorship { work_id: "b".to_owned(), position: 2 }, &["z"]),
            f(Subject::Family { family_id: "fam".to_owned() }, &["a", "c"]),
        ]);
        let counts: Vec<(&str, usize)> = by_work.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
        assert_eq!(counts, [("a", 2), ("b", 1), ("c", 1)]);
    }

    fn codes_of(w: &WorkAssessment) -> Vec<&str> {
        w.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

#[cfg(test)]
mod japanese_tests {
    use super::*;
    use byline_model::{Affiliation, Author, PubDate};

    fn named(raw: &str, affiliation: &str) -> Author {
        Author {
            raw_name: raw.to_owned(),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }

    fn work(id: &str, year: i32, title: &str, authors: Vec<Author>) -> Work {
        Work {
            work_id: id.to_owned(),
            title: Some(title.to_owned()),
            date: Some(PubDate::new(year, None, None)),
            authors,
            ..Work::default()
        }
    }

    /// A researcher's record in two scripts: Japanese papers (山田 太郎 with 鈴木 康之 and 佐藤 花子) and English
    /// ones in three romanizations, and one forged paper carrying only the romaji name among strangers abroad.
    fn mixed_record() -> Vec<Work> {
        let ja = "大阪大学 大学院医学系研究科";
        let en = "Graduate School of Medicine, Osaka University, Suita, Japan";
        let mut works = Vec::new();
        for i in 0..3 {
            works.push(work(
                &format!("ja{i}"),
                2015 + i,
                &format!("姿勢制御の研究 {i} postural control"),
                vec![named("山田 太郎", ja), named("鈴木 康之", ja), named("佐藤 花子", ja)],
            ));
        }
        for (i, name) in ["Taro Yamada", "YAMADA Tarō", "Yamada Tarou"].iter().enumerate() {
            works.push(work(
                &format!("en{i}"),
                2016 + i as i32,
                &format!("Postural control and balance study {i}"),
                vec![named(name, en), named("Yasuyuki Suzuki", en), named("SATO Hanako", en)],
            ));
        }
        works.push(work(
            "forged",
            2019,
            "Graphene oxide nanocomposites for supercapacitors",
            vec![
                named("Ahmed Karimov", "Tashkent State University, Uzbekistan"),
                named("Taro Yamada", "Kazan Federal University, Russia"),
                named("Li Wen", "Harbin Institute of Technology, China"),
            ],
        ));
        // Other people: a kanji namesake with another given name, a romaji one too.
        works.push(work("other1", 2018, "x", vec![named("山田 太", ja), named("鈴木 康之", ja)]));
        works.push(work("other2", 2018, "y", vec![named("Hanako Yamada", en)]));
        works
    }

    fn ids(report: &AuditReport) -> Vec<&str> {
        let mut v: Vec<&str> = report.works.iter().map(|w| w.work_id.as_str()).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn a_records_variants_find_its_works_in_every_script() {
        let works = mixed_record();
        let variants = ["山田 太郎", "ヤマダ タロウ", "Yamada Taro"].map(str::to_owned).to_vec();
        let target = AuditTarget { name_variants: variants.clone(), ..AuditTarget::default() };
        let report = audit_works(&works, &target, &AuditOptions::default());
        assert_eq!(ids(&report), ["en0", "en1", "en2", "forged", "ja0", "ja1", "ja2"]);
        assert_eq!(report.display_name, "Yamada Taro");
        // Kanji only: the romanised works are not found through a reading.
        let kanji = AuditTarget { name_variants: vec!["山田 太郎".to_owned()], ..AuditTarget::default() };
        assert_eq!(ids(&audit_works(&works, &kanji, &AuditOptions::default())), ["ja0", "ja1", "ja2"]);
        let romaji = AuditTarget { name_variants: vec!["Yamada Taro".to_owned()], ..AuditTarget::default() };
        assert_eq!(ids(&audit_works(&works, &romaji, &AuditOptions::default())), ["en0", "en1", "en2", "forged"]);
    }

    #[test]
    fn declared_collaborators_are_one_coauthor_in_both_scripts() {
        let works = mixed_record();
        let target = AuditTarget {
            name_variants: ["山田 太郎", "ヤマダ タロウ", "Yamada Taro"].map(str::to_owned).to_vec(),
            ..AuditTarget::default()
        };
        let declared = vec![
            DeclaredPerson::new("erad:1", &["鈴木 康之", "SUZUKI Yasuyuki"]),
            DeclaredPerson::new("erad:2", &["佐藤 花子", "SATO Hanako"]),
        ];
        let options = AuditOptions { declared, ..AuditOptions::default() };
        let report = audit_works(&works, &target, &options);
        // The two declared co-authors once each (on six works), plus the forged work's two strangers; without
        // the declaration, each script's spelling is another co-author.
        assert_eq!(report.summary.distinct_coauthors, 4, "{:?}", report.summary);
        let undeclared = audit_works(&works, &target, &AuditOptions::default());
        assert_eq!(undeclared.summary.distinct_coauthors, 6);
        assert_eq!(report.summary.recurring_coauthors, 2);
        let forged = report.works.iter().find(|w| w.work_id == "forged").expect("forged work");
        assert_eq!(forged.rank, 1, "{:#?}", report.works);
        assert!(forged.findings.iter().any(|f| f.code == "COA001"));
        for w in report.works.iter().filter(|w| w.work_id != "forged") {
            assert!(w.findings.iter().all(|f| f.code != "COA001"), "{}: {:?}", w.work_id, w.findings);
        }
    }
}
