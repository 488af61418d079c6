//! The fairness gate on the shipped MIL001 model, from the real shared data (skipped with a printed reason when
//! it is absent): it decides whether `MIL001` may flag by default (`byline_detect::classifier::FLAGS_BY_DEFAULT`).

use byline_bench::detect::mill::{self, fairness_gate};
use byline_detect::classifier::{FLAGS_BY_DEFAULT, Model};
use byline_detect::template::SlotMasker;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST};
use byline_model::Work;

use crate::support::{read_works, shared_data};

/// Issue 18's fairness rule on the shipped model, from real data: `MIL001` may flag by default only if no
/// country's ordinary papers are flagged far more than the others' (`detect::mill::fairness_gate`) on the
/// held-out PubMed records, both the subject-matched controls and the records of any field.
#[test]
fn the_default_flags_only_if_the_shipped_model_passes_the_fairness_gate() {
    let Some(data) = shared_data() else { return };
    // Every PubMed file, as `byline-bench papermill` and the trainer read them.
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(data.join("pubmed"))
        .expect("pubmed dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".xml"))
        .collect();
    files.sort();
    let pubmed: Vec<Work> = files.iter().flat_map(|f| read_works(f)).collect();
    let country_of = |s: &str| {
        byline_entities::country::country_code(s)
            .or_else(|| byline_entities::country::country_in_text(s).map(|(c, _)| c))
            .map(str::to_owned)
    };
    let country = |w: &Work| mill::corresponding_country(w, &country_of);
    let split = mill::mill_data(&data, pubmed, &country).expect("labelled data");
    let lex = Lexicon::from_shared_dir(&data.join("lexicons"), SHIPPED_ALLOWLIST).expect("lexicons");
    let model = Model::shipped().expect("shipped model");
    let masker = SlotMasker::default();
    let flagged = |w: &Work| model.score_work(w, Some(&lex), &masker).probability >= model.threshold;
    let controls: Vec<&mill::LabelledText> = split.texts.iter().filter(|t| t.held_out && !t.mill).collect();
    let broad_countries: Vec<Option<String>> = split.broad_held_out.iter().map(country).collect();
    let sets = [
        (
            "subject-matched controls",
            controls.iter().map(|t| t.country.clone()).collect::<Vec<_>>(),
            controls.iter().map(|t| flagged(&t.work)).collect::<Vec<_>>(),
        ),
        ("any field", broad_countries, split.broad_held_out.iter().map(flagged).collect()),
    ];
    assert!(sets.iter().all(|(_, c, _)| c.len() > 500), "held-out sets unexpectedly small");
    let mut failing = Vec::new();
    for (name, countries, flags) in &sets {
        for d in fairness_gate(countries, flags) {
            eprintln!(
                "{name}: {} {}/{} [{:.4}, {:.4}] vs rest {}/{} [{:.4}, {:.4}]{}",
                d.country.group,
                d.country.flagged,
                d.country.n,
                d.country.ci.0,
                d.country.ci.1,
                d.rest.flagged,
                d.rest.n,
                d.rest.ci.0,
                d.rest.ci.1,
                if d.fails { "  FAILS" } else { "" }
            );
            if d.fails {
                failing.push(format!("{name}: {}", d.country.group));
            }
        }
    }
    // The out-of-fold half of the rule, as the trainer recorded it.
    let cv = model.provenance.get("cv_fairness").and_then(|v| v.as_str()).unwrap_or("FAILS (not recorded)");
    eprintln!("out of fold (provenance): {cv}");
    if cv.contains("FAILS") {
        failing.push("out-of-fold training controls".to_owned());
    }
    assert!(
        !FLAGS_BY_DEFAULT || failing.is_empty(),
        "MIL001 flags by default but the shipped model fails the fairness gate: {failing:?}"
    );
    if !FLAGS_BY_DEFAULT && failing.is_empty() {
        eprintln!("note: the shipped model now passes the fairness gate; FLAGS_BY_DEFAULT may be reconsidered");
    }
}
