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
//!
//! The module is in three parts: `registry` (the records and their lookups), `matcher` (candidates, their
//! scores and the ranking features) and `ranker` (the trained ranker and its words); everything public is
//! re-exported here.

mod matcher;
mod ranker;
mod registry;

pub use matcher::{DEFAULT_MATCH_THRESHOLD, InstitutionMatch, InstitutionMatcher, MAX_ACRONYM_ORGS, MatchTraits};
pub use ranker::{RANK_FEATURES, RANKED, REASON_MIN_LOG_ODDS, Ranker, feature_phrase};
pub use registry::{NameKind, OrgName, Organization, RorRegistry};

#[cfg(test)]
mod tests;
