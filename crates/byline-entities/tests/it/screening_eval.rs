//! Screening precision/recall on a labeled set built from the files themselves:
//! - positives: every Latin name/alias (two words or more, no comma) of the ASPI and METI Russia entries in
//!   an affiliation template ("Department of …, {alias}, {city}, {country}"), expected entry known;
//! - hard negatives: every ROR organisation (in the list's countries) sharing a word with a list alias whose
//!   own names equal no list alias and whose parents are not listed, in the same templates;
//! - real strings: the ROR gold affiliation strings whose gold organisation is (or whose parent is) a listed
//!   entry (by exact normalized name and country), positives, and all others, negatives.

use std::collections::{HashMap, HashSet};

use byline_entities::eval::{Outcome, format_curve, pr_curve};
use byline_entities::lists::ScreeningList;
use byline_entities::screening::{DEFAULT_SCREENING_THRESHOLD, ScreeningMatcher};
use byline_entities::text::name_key;

use crate::lists::{aspi, meti_russia};
use crate::support::{entities_dir, matcher, read_gold};

#[test]
fn screening_precision_recall_on_labeled_set() {
    let (Some(dir), Some(ror)) = (entities_dir(), matcher()) else { return };
    let lists = vec![aspi(&dir), meti_russia(&dir)];
    let screen = ScreeningMatcher::new(lists.clone()).with_registry(ror.registry());
    // Entry key "list/entry" by normalized alias (with country).
    let mut by_alias: HashMap<(String, String), String> = HashMap::new();
    for l in &lists {
        for e in &l.entries {
            for a in e.all_names() {
                let k = name_key(a);
                if k.split(' ').count() >= 2 {
                    by_alias.insert((k, e.country.clone().unwrap_or_default()), format!("{}/{}", l.id, e.id));
                }
            }
        }
    }
    // ROR org → listed entry, by exact normalized name and country.
    let mut ror_entry: HashMap<String, String> = HashMap::new();
    for o in ror.registry().organizations() {
        let c = o.country_code.clone().unwrap_or_default();
        if let Some(e) = o.names.iter().find_map(|n| by_alias.get(&(name_key(&n.value), c.clone()))) {
            ror_entry.insert(o.id.clone(), e.clone());
        }
    }
    let listed = |id: &str| -> Option<String> {
        ror_entry
            .get(id)
            .cloned()
            .or_else(|| ror.registry().get(id).and_then(|o| o.parents.iter().find_map(|p| ror_entry.get(p).cloned())))
    };
    let mut labeled: Vec<(String, Option<String>)> = Vec::new();
    let city = |l: &ScreeningList| if l.id == "aspi_cdut" { "Beijing 100081, China" } else { "Moscow, Russia" };
    for l in &lists {
        for e in &l.entries {
            for a in e.all_names() {
                if a.contains(',') || a.chars().any(byline_entities::text::is_cjk) || name_key(a).split(' ').count() < 2
                {
                    continue;
                }
                labeled.push((format!("Department of Physics, {a}, {}", city(l)), Some(format!("{}/{}", l.id, e.id))));
            }
        }
    }
    let positives_template = labeled.len();
    let alias_words: HashSet<String> =
        by_alias.keys().flat_map(|(k, _)| k.split(' ').map(str::to_owned).collect::<Vec<_>>()).collect();
    let generic: HashSet<&str> = [
        "university",
        "institute",
        "technology",
        "science",
        "china",
        "research",
        "academy",
        "engineering",
        "college",
        "national",
        "center",
        "company",
        "joint",
        "stock",
        "limited",
        "state",
    ]
    .into();
    for o in ror.registry().organizations() {
        let c = o.country_code.as_deref().unwrap_or("");
        if !(c == "CN" || c == "RU" || c == "BY") || listed(&o.id).is_some() {
            continue;
        }
        let shares = name_key(&o.display_name).split(' ').any(|w| !generic.contains(w) && alias_words.contains(w));
        if shares {
            let country = if c == "CN" {
                "China"
            } else if c == "RU" {
                "Russia"
            } else {
                "Belarus"
            };
            labeled.push((format!("Department of Physics, {}, {country}", o.display_name), None));
        }
    }
    let negatives_template = labeled.len() - positives_template;
    let mut real_pos = 0;
    for file in
        ["ror_gold_crossref_publisher_assertions.tsv", "ror_gold_springer_nature.tsv", "ror_gold_matching_logs.tsv"]
    {
        for (aff, gold) in read_gold(&dir.join(file)) {
            let Some(g) = gold.filter(|g| ror.registry().get(g).is_some()) else { continue };
            let label = listed(&g);
            real_pos += usize::from(label.is_some());
            labeled.push((aff, label));
        }
    }
    let started = std::time::Instant::now();
    let outcomes: Vec<Outcome> = labeled
        .iter()
        .map(|(s, gold)| {
            let hits = screen.match_affiliation_at(s, 0.0);
            // Multi-match: the expected entry counts when it is among the matches; else the best match.
            let pick = match gold {
                Some(g) => hits.iter().find(|h| &format!("{}/{}", h.list_id, h.entry_id) == g).or(hits.first()),
                None => hits.first(),
            };
            Outcome { gold: gold.clone(), predicted: pick.map(|h| (format!("{}/{}", h.list_id, h.entry_id), h.score)) }
        })
        .collect();
    println!("screened {} strings in {} ms (one thread)", labeled.len(), started.elapsed().as_millis());
    println!(
        "screening labeled set: {positives_template} template positives, {negatives_template} ROR hard negatives, {} real gold strings ({real_pos} positive)",
        labeled.len() - positives_template - negatives_template
    );
    let curve = pr_curve(&outcomes, &[0.5, 0.8, 0.85, 0.9, 1.0]);
    println!("{}", format_curve(&curve));
    for ((s, gold), o) in labeled.iter().zip(&outcomes) {
        if let Some((p, score)) = &o.predicted
            && *score >= DEFAULT_SCREENING_THRESHOLD
            && gold.as_ref() != Some(p)
        {
            println!("  FP {s} -> {p} ({score})");
        }
    }
    let at = curve.iter().find(|p| (p.threshold - DEFAULT_SCREENING_THRESHOLD).abs() < 1e-9).copied();
    let at = at.expect("threshold in curve");
    assert!(at.precision >= 0.98, "{at:?}");
}
