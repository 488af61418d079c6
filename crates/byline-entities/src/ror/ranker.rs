//! The trained candidate ranker: its features, its confidence and the words for what weighed most.

use serde::{Deserialize, Serialize};

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
        serde_json::from_str(include_str!("../ror_ranker.json")).expect("the bundled ranker is valid JSON")
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
pub(super) const RANK_STRONG: f64 = 0.6;

/// Registry types the ranker sees as features.
pub(super) const RANK_TYPES: [&str; 8] =
    ["education", "healthcare", "facility", "government", "nonprofit", "company", "funder", "archive"];

/// The ranker's feature names, in
/// [`InstitutionMatcher::ranking_features`](super::InstitutionMatcher::ranking_features) order.
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
