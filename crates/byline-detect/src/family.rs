//! Template families as data: what [`TPL001`](crate::template) reports and a scan returns. Kept apart from the
//! detector so that the [`Detector`](crate::detector::Detector) trait can name them without importing it.

use serde::{Deserialize, Serialize};

/// One member of a family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMember {
    pub work_id: String,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub title: Option<String>,
    pub venue: String,
    pub year: Option<i32>,
}

/// A template family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    /// `tpl-` + a hash of the sorted member ids (stable while membership is).
    pub family_id: String,
    pub members: Vec<FamilyMember>,
    /// The masked text the members share (`…` where they differ), from the first member's tokens.
    pub skeleton: String,
    /// Mean verified similarity of the pairs that joined the family.
    pub mean_similarity: f64,
    /// (venue, members) sorted by venue.
    pub venues: Vec<(String, usize)>,
    /// (year, members) sorted.
    pub years: Vec<(i32, usize)>,
    pub distinct_authors: usize,
    pub distinct_institutions: usize,
    /// Author / institution keys that appear on two or more members.
    pub shared_authors: Vec<String>,
    pub shared_institutions: Vec<String>,
    /// Members with a byline (authors listed).
    pub members_with_byline: usize,
    /// No shared author and no shared institution across at least two members with bylines: the strong
    /// paper-mill pattern (the same text sold to unrelated teams).
    pub strong_papermill_pattern: bool,
}
