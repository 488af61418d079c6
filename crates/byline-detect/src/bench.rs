//! `byline bench papermill`: plants template families with the byline-synth generator and measures how well
//! [`find_families`](crate::template::find_families) recovers them.

use std::collections::HashSet;

use byline_synth::papermill::{PapermillConfig, generate};
use serde::{Deserialize, Serialize};

use crate::template::{FamilyParams, find_families};

/// A family counts as recovered when one detected family holds at least this share of its members and at
/// least this share of that detected family is from it (the usual 80/80 cluster-match rule).
pub const RECOVERED_SHARE: f64 = 0.8;

/// What the benchmark measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub works: usize,
    pub planted_families: usize,
    pub detected_families: usize,
    /// Same-family pairs: detected ∩ planted / planted.
    pub pair_recall: f64,
    /// Same-family pairs: detected ∩ planted / detected.
    pub pair_precision: f64,
    /// Planted families recovered under the 80/80 rule / planted.
    pub family_recall: f64,
    /// Detected families that match a planted one under the 80/80 rule / detected.
    pub family_precision: f64,
    /// Detected families flagged as the strong paper-mill pattern.
    pub strong_pattern_families: usize,
    pub elapsed_ms: u128,
}

/// Generates a corpus with `config` and scores family detection with `params`.
pub fn bench_papermill(config: &PapermillConfig, params: &FamilyParams) -> BenchReport {
    let corpus = generate(config);
    let start = std::time::Instant::now();
    let families = find_families(&corpus.works, params);
    let elapsed_ms = start.elapsed().as_millis();
    let planted: Vec<Vec<&str>> =
        corpus.truth.families.iter().map(|f| f.work_ids.iter().map(String::as_str).collect()).collect();
    let detected: Vec<Vec<&str>> =
        families.iter().map(|f| f.members.iter().map(|m| m.work_id.as_str()).collect()).collect();
    let pairs = |groups: &[Vec<&str>]| -> HashSet<(String, String)> {
        let mut out = HashSet::new();
        for g in groups {
            let mut g = g.clone();
            g.sort_unstable();
            for i in 0..g.len() {
                for j in i + 1..g.len() {
                    out.insert((g[i].to_owned(), g[j].to_owned()));
                }
            }
        }
        out
    };
    let (pp, dp) = (pairs(&planted), pairs(&detected));
    let both = pp.intersection(&dp).count() as f64;
    let ratio = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
    let matches = |p: &[&str], d: &[&str]| -> bool {
        let ps: HashSet<&str> = p.iter().copied().collect();
        let inter = d.iter().filter(|x| ps.contains(*x)).count() as f64;
        inter / p.len() as f64 >= RECOVERED_SHARE && inter / d.len() as f64 >= RECOVERED_SHARE
    };
    let recovered = planted.iter().filter(|p| detected.iter().any(|d| matches(p, d))).count();
    let true_detected = detected.iter().filter(|d| planted.iter().any(|p| matches(p, d))).count();
    BenchReport {
        works: corpus.works.len(),
        planted_families: planted.len(),
        detected_families: detected.len(),
        pair_recall: ratio(both, pp.len()),
        pair_precision: ratio(both, dp.len()),
        family_recall: ratio(recovered as f64, planted.len()),
        family_precision: ratio(true_detected as f64, detected.len()),
        strong_pattern_families: families.iter().filter(|f| f.strong_papermill_pattern).count(),
        elapsed_ms,
    }
}
