//! Error analysis of ROR matching on the *tuning* half of the ROR gold pairs (the held-out half is never
//! printed): false positives and misses at the matcher's confidence threshold, with the gold organisation's
//! rank; each candidate line shows confidence, then score.
//!
//! `BYLINE_SHARED_DATA=../shared/data cargo run --release -p byline-entities --example ror_errors > errors.txt`

use byline_entities::ror::{DEFAULT_MATCH_THRESHOLD, InstitutionMatcher, RorRegistry};
use rayon::prelude::*;

fn tuning(affiliation: &str) -> bool {
    let key = affiliation.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    byline_model::stable_hash64(key.as_bytes()).is_multiple_of(2)
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::var("BYLINE_SHARED_DATA").unwrap_or("../shared/data".into()))
        .join("entities");
    let registry = RorRegistry::load(&dir.join("ror_records_v2.json.gz")).expect("ROR records load");
    let m = InstitutionMatcher::new(registry);
    let mut pairs = Vec::new();
    for file in
        ["ror_gold_crossref_publisher_assertions.tsv", "ror_gold_springer_nature.tsv", "ror_gold_matching_logs.tsv"]
    {
        let text = std::fs::read_to_string(dir.join(file)).expect("gold reads");
        for (a, r) in text.lines().skip(1).filter_map(|l| l.split_once('\t')) {
            let gold = byline_model::normalize_ror(r);
            if tuning(a) && gold.as_deref().is_none_or(|g| m.registry().get(g).is_some()) {
                pairs.push((file, a.to_owned(), gold));
            }
        }
    }
    let t = DEFAULT_MATCH_THRESHOLD;
    let lines: Vec<(String, String)> = pairs
        .par_iter()
        .map(|(file, a, gold)| {
            let cands = m.candidates(a, None);
            let top = cands.first().filter(|c| c.confidence >= m.threshold());
            let gold_rank = gold.as_ref().and_then(|g| cands.iter().position(|c| &c.ror_id == g));
            let gold_name = gold.as_ref().and_then(|g| m.registry().get(g)).map(|o| o.display_name.clone());
            let kind = match (top, gold) {
                (Some(c), Some(g)) if &c.ror_id == g => "OK",
                (Some(_), _) => match gold_rank {
                    Some(r) if cands[r].score >= t => "FP-GOLD-ALSO-MATCHED",
                    Some(_) => "FP-GOLD-BELOW",
                    None if gold.is_none() => "FP-NP",
                    None => "FP-GOLD-NO-CANDIDATE",
                },
                (None, Some(_)) => match gold_rank {
                    Some(_) => "MISS-GOLD-BELOW",
                    None => "MISS-NO-CANDIDATE",
                },
                (None, None) => "OK-NP",
            };
            let mut s = format!("{kind}\t{file}\t{a}\n  gold: {gold:?} {gold_name:?} rank {gold_rank:?}\n");
            for c in cands.iter().take(3) {
                s.push_str(&format!(
                    "  {:.3} {:.3} {} {} | {}\n",
                    c.confidence, c.score, c.ror_id, c.display_name, c.why
                ));
            }
            (kind.to_owned(), s)
        })
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for (k, _) in &lines {
        *counts.entry(k.clone()).or_insert(0usize) += 1;
    }
    eprintln!("{counts:#?}");
    for (k, s) in &lines {
        if !k.starts_with("OK") {
            println!("{s}");
        }
    }
}
