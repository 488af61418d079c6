//! Test support: the shared real-data folder, and the ROR matcher loaded once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use byline_entities::ror::{InstitutionMatcher, RorRegistry};

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

/// `entities/` inside the shared data, when present.
pub fn entities_dir() -> Option<PathBuf> {
    shared_data().map(|d| d.join("entities"))
}

/// The ROR matcher over `entities/ror_records_v2.json.gz`, built once per test binary.
pub fn matcher() -> Option<&'static InstitutionMatcher> {
    static MATCHER: OnceLock<Option<InstitutionMatcher>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            let path = entities_dir()?.join("ror_records_v2.json.gz");
            let registry = RorRegistry::load(&path).expect("ROR records load");
            Some(InstitutionMatcher::new(registry))
        })
        .as_ref()
}

/// Reads a two-column gold TSV (`affiliation`, `ror_id`; `NP` = no match) into (string, short ROR id).
pub fn read_gold(path: &Path) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(path).expect("gold file reads");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, r)| (a.to_owned(), byline_model::normalize_ror(r)))
        .step_by(sample_step())
        .collect()
}

/// Every how-many-th gold pair the measuring tests use: all of them in release builds (the figures in the
/// report) or with `BYLINE_GOLD_ALL=1`, every 5th in debug builds so that `cargo test` stays quick.
pub fn sample_step() -> usize {
    if cfg!(debug_assertions) && !std::env::var("BYLINE_GOLD_ALL").is_ok_and(|v| v == "1") { 5 } else { 1 }
}

/// The half of the gold pairs a pair belongs to, by a stable hash of its case- and space-normalized string
/// (so repeated strings fall in the same half): `Tuning` pairs may be studied while improving the matcher;
/// `HeldOut` pairs are only ever measured, never looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    Tuning,
    HeldOut,
}

pub fn half_of(affiliation: &str) -> Half {
    let key = affiliation.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if byline_model::stable_hash64(key.as_bytes()).is_multiple_of(2) { Half::Tuning } else { Half::HeldOut }
}
