//! Institution matching and country parsing measured on the ROR gold pairs (affiliation string → ROR id).

use byline_entities::affiliation::parse_affiliation;
use byline_entities::eval::{Outcome, format_curve, pr_at, pr_curve};

use crate::support::{Half, entities_dir, half_of, matcher, read_gold};

const GOLD_FILES: [&str; 3] =
    ["ror_gold_crossref_publisher_assertions.tsv", "ror_gold_springer_nature.tsv", "ror_gold_matching_logs.tsv"];

const THRESHOLDS: [f64; 9] = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];

#[test]
fn ror_registry_loads_every_record() {
    let Some(m) = matcher() else { return };
    // SOURCE.md: 35,990 records (active 35,075 / inactive 725 / withdrawn 190).
    assert_eq!(m.registry().len(), 35_990);
    let statuses = |s: &str| m.registry().organizations().iter().filter(|o| o.status == s).count();
    assert_eq!((statuses("active"), statuses("inactive"), statuses("withdrawn")), (35_075, 725, 190));
    let aiia = m.registry().get("https://ror.org/00003ef66").expect("AIIA is in the file");
    assert_eq!(aiia.display_name, "All India Institute of Ayurveda, New Delhi");
    assert_eq!(aiia.country_code.as_deref(), Some("IN"));
    assert_eq!(m.registry().org_for_domain("mail.aiia.gov.in").map(|o| o.id.as_str()), Some("00003ef66"));
}

#[test]
fn ror_gold_curve() {
    let (Some(dir), Some(m)) = (entities_dir(), matcher()) else { return };
    let mut all_in_registry = Vec::new();
    let mut all_open = Vec::new();
    let mut halves: [Vec<Outcome>; 2] = [Vec::new(), Vec::new()];
    for file in GOLD_FILES {
        let pairs = read_gold(&dir.join(file));
        let started = std::time::Instant::now();
        let strings: Vec<&str> = pairs.iter().map(|(a, _)| a.as_str()).collect();
        let best: Vec<_> = {
            use rayon::prelude::*;
            strings.par_iter().map(|s| m.best_match(s, None)).collect()
        };
        let elapsed_ms = started.elapsed().as_millis();
        let outcomes: Vec<Outcome> = pairs
            .iter()
            .zip(&best)
            .map(|((_, gold), b)| Outcome {
                gold: gold.clone(),
                predicted: b.as_ref().map(|b| (b.ror_id.clone(), b.score)),
            })
            .collect();
        // In-registry: only pairs whose gold id is in the (partial) registry, plus the "no match" pairs.
        let in_registry: Vec<Outcome> = outcomes
            .iter()
            .filter(|o| o.gold.as_deref().is_none_or(|g| m.registry().get(g).is_some()))
            .cloned()
            .collect();
        for ((aff, _), o) in pairs.iter().zip(&outcomes) {
            if o.gold.as_deref().is_none_or(|g| m.registry().get(g).is_some()) {
                halves[usize::from(half_of(aff) == Half::HeldOut)].push(o.clone());
            }
        }
        println!("{file}: {} pairs, {} in registry or NP, {elapsed_ms} ms", outcomes.len(), in_registry.len());
        println!("in-registry:\n{}", format_curve(&pr_curve(&in_registry, &THRESHOLDS)));
        println!("open-world (gold outside the registry counts):\n{}", format_curve(&pr_curve(&outcomes, &THRESHOLDS)));
        all_in_registry.extend(in_registry);
        all_open.extend(outcomes);
    }
    println!("ALL in-registry:\n{}", format_curve(&pr_curve(&all_in_registry, &THRESHOLDS)));
    println!("TUNING half, in-registry:\n{}", format_curve(&pr_curve(&halves[0], &THRESHOLDS)));
    println!("HELD-OUT half, in-registry (never studied):\n{}", format_curve(&pr_curve(&halves[1], &THRESHOLDS)));
    println!("ALL open-world:\n{}", format_curve(&pr_curve(&all_open, &THRESHOLDS)));
    let at_default = pr_at(&all_in_registry, byline_entities::ror::DEFAULT_MATCH_THRESHOLD);
    assert!(at_default.precision >= 0.90, "precision fell: {at_default:?}");
    assert!(at_default.recall >= 0.70, "recall fell: {at_default:?}");
}

#[test]
fn country_from_text_agrees_with_ror_gold() {
    let (Some(dir), Some(m)) = (entities_dir(), matcher()) else { return };
    let (mut predicted, mut correct, mut with_gold) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for file in GOLD_FILES {
        for (aff, gold) in read_gold(&dir.join(file)) {
            let Some(gold_country) = gold.and_then(|g| m.registry().get(&g)).and_then(|o| o.country_code.clone())
            else {
                continue;
            };
            with_gold += 1;
            if let Some(c) = parse_affiliation(&aff).country_code {
                predicted += 1;
                if c == gold_country {
                    correct += 1;
                } else if wrong.len() < 40 {
                    wrong.push(format!("{aff} -> {c} (gold {gold_country})"));
                }
            }
        }
    }
    let precision = correct as f64 / predicted as f64;
    println!("country: {correct}/{predicted} correct (precision {precision:.4}), coverage {predicted}/{with_gold}");
    for w in &wrong {
        println!("  {w}");
    }
    assert!(precision >= 0.99, "country precision {precision}");
}

/// Strings from the gold files with the organisation they must match at the default threshold:
/// units of a university named as its school, a name in another order, a country that must not match as an
/// organisation's alias.
#[test]
fn exact_matches_on_real_strings() {
    let Some(m) = matcher() else { return };
    let cases = [
        ("Department of Medicine, University of Pennsylvania Perelman School of Medicine", "00b30xv10"),
        (
            "Katz Family Division of Nephrology and Hypertension, Department of Medicine, University of Miami Miller School of Medicine",
            "02dgjyy92",
        ),
        ("Departments of Neuroscience and Psychiatry, Washington University School of Medicine", "01yc7t268"),
        ("Columbia University, New York, NY, United States", "00hj8s172"),
        ("Department of Medicine Huddinge, Karolinska Institutet, Campus Flemingsberg, Neo", "056d84691"),
        ("Laboratory of Virology, Department of Diagnostics, Geneva University Hospitals", "01swzsf04"),
    ];
    for (aff, want) in cases {
        let got = m.match_affiliation(aff);
        assert_eq!(got.as_ref().map(|g| g.ror_id.as_str()), Some(want), "{aff}: {got:?}");
    }
}

/// `match_all` (every institution a string names) on the gold pairs with an id in the subset: the gold
/// institution is among its matches more often than it is the single best match, and a string yields few.
#[test]
fn every_named_institution_on_real_strings() {
    let (Some(dir), Some(m)) = (entities_dir(), matcher()) else { return };
    let (mut gold_n, mut in_best, mut in_all, mut total) = (0usize, 0usize, 0usize, 0usize);
    for file in GOLD_FILES {
        for (aff, gold) in read_gold(&dir.join(file)) {
            let Some(gold) = gold.filter(|g| m.registry().get(g).is_some()) else { continue };
            gold_n += 1;
            let all = m.match_all(&aff);
            total += all.len();
            in_all += usize::from(all.iter().any(|x| x.ror_id == gold));
            in_best += usize::from(m.match_affiliation(&aff).is_some_and(|x| x.ror_id == gold));
        }
    }
    let (r_best, r_all, mean) =
        (in_best as f64 / gold_n as f64, in_all as f64 / gold_n as f64, total as f64 / gold_n as f64);
    println!(
        "gold in best match {r_best:.4}, among all matches {r_all:.4}, {mean:.2} matches per string ({gold_n} strings)"
    );
    assert!(in_all >= in_best, "match_all starts with the best match");
    assert!(r_all >= r_best + 0.01, "several institutions per string are found: {r_all} vs {r_best}");
    assert!(mean < 2.0, "{mean} matches per string");
}
