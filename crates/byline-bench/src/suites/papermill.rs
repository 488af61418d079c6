//! `byline-bench papermill`: template families planted by the byline-synth generator (slot swaps,
//! paraphrase, tortured phrases, sold bylines) among genuine works, and how well `find_families` recovers
//! them; and, when the shared data folder is there (`BYLINE_SHARED_DATA`, default `../shared/data`), the
//! `MIL001` classifier on the held-out quarter of real labels that neither it nor the first model was
//! trained or tuned on (`crate::detect::mill`), both models in the same run.

use crate::detect::bench_papermill;
use byline_detect::FamilyParams;
use byline_synth::papermill::PapermillConfig;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::detect::mill::{self, Evaluation, PREVALENCES, evaluate};
use byline_detect::classifier::{FPR_BUDGET, Model};
use byline_detect::template::SlotMasker;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST};
use byline_model::Work;
use byline_parse::{Event, read_path};
use rayon::prelude::*;

use super::{Args, Quality, Report, Row, peak_rss_bytes};

/// Issue 18's bar: precision at 2% prevalence at least 0.5 on data the model never saw…
pub const PRECISION_AT_2PCT_BAR: f64 = 0.5;
/// …while catching at least 60% of the mill papers.
pub const TPR_BAR: f64 = 0.6;
/// Seed of the bootstrap intervals.
const BOOTSTRAP_SEED: u64 = 18;
/// Countries with fewer held-out PubMed records than this are pooled as "other" in the fairness table.
const MIN_COUNTRY_RECORDS: usize = 100;

/// Bar on planted families recovered (80/80 rule) and on detected families that are planted ones. Issue 6
/// asks for recall at least that of the reference MinHash-LSH implementations on planted near-duplicates:
/// datasketch 0.89, rensa 0.91; 0.9 for both figures, as the detector's own test asserts.
pub const FAMILY_RECALL_BAR: f64 = 0.9;
pub const FAMILY_PRECISION_BAR: f64 = 0.9;

/// Planted families per generated work: one per 50 works, at least 5 (so small runs still measure
/// something) and at most 400 (family sizes 3–12, the generator's default).
const WORKS_PER_FAMILY: usize = 50;

pub fn run(args: &Args) -> anyhow::Result<Report> {
    let families = (args.size / WORKS_PER_FAMILY).clamp(5, 400);
    let config = PapermillConfig { seed: args.seed, genuine_works: args.size, families, ..PapermillConfig::default() };
    let params = FamilyParams::default();
    let r = bench_papermill(&config, &params);
    let wall_s = r.elapsed_ms as f64 / 1e3;
    let threads = rayon::current_num_threads();
    let row = Row::new("find_families (masked MinHash + LSH)", threads, wall_s, 0, r.works as u64, None);
    let mut report = Report {
        suite: "papermill".to_owned(),
        inputs: vec![format!(
            "generated: {} genuine works + {} planted families (seed {}), {} works in all",
            config.genuine_works, r.planted_families, config.seed, r.works
        )],
        baseline: "none (planted truth)".to_owned(),
        rows: vec![row],
        quality: vec![
            Quality::at_least("family_recall", r.family_recall, FAMILY_RECALL_BAR),
            Quality::at_least("family_precision", r.family_precision, FAMILY_PRECISION_BAR),
            Quality::info("pair_recall", r.pair_recall),
            Quality::info("pair_precision", r.pair_precision),
            Quality::info("planted_families", r.planted_families as f64),
            Quality::info("detected_families", r.detected_families as f64),
            Quality::info("strong_pattern_families", r.strong_pattern_families as f64),
        ],
        peak_rss_bytes: peak_rss_bytes(),
        notes: vec![format!(
            "a planted family counts as recovered when one detected family holds ≥ {:.0}% of its members and is \
             ≥ {:.0}% made of them (byline_bench::detect::RECOVERED_SHARE)",
            crate::detect::RECOVERED_SHARE * 100.0,
            crate::detect::RECOVERED_SHARE * 100.0
        )],
    };
    let shared = std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    if shared.join("labels").is_dir() && shared.join("retractions").is_dir() {
        classifier_on_real_labels(&shared, &mut report)?;
    } else {
        report.notes.push(format!(
            "MIL001 on real labels skipped: no labels/ and retractions/ under {} (set BYLINE_SHARED_DATA)",
            shared.display()
        ));
    }
    Ok(report)
}

/// The shipped `MIL001` model and the first model (retrained on the same training part) on the held-out
/// quarter; false positives by title; the false-positive rate by the corresponding author's country.
fn classifier_on_real_labels(shared: &Path, report: &mut Report) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let pubmed = read_all(&shared.join("pubmed"))?;
    let jats = read_all(&shared.join("jats"))?;
    let country = |w: &Work| mill::corresponding_country(w, &country_of);
    let data = mill::mill_data(shared, pubmed, &country)?;
    let lexicon = Lexicon::from_shared_dir(&shared.join("lexicons"), SHIPPED_ALLOWLIST)?;
    let model = Model::shipped()?;
    let masker = SlotMasker::default();
    let held: Vec<usize> = (0..data.texts.len()).filter(|i| data.texts[*i].held_out).collect();
    let score = |w: &Work| model.score_work(w, Some(&lexicon), &masker).probability;
    let scores: Vec<f64> = held.par_iter().map(|i| score(&data.texts[*i].work)).collect();
    let labels: Vec<bool> = held.iter().map(|i| data.texts[*i].mill).collect();
    let new = evaluate(&scores, &labels, model.threshold, BOOTSTRAP_SEED);
    let (hand, _) = mill::hand_baseline(&data, Some(&lexicon), FPR_BUDGET)?;
    let hand_x = mill::hand_features(&data, Some(&lexicon));
    let hand_scores: Vec<f64> = held.iter().map(|i| hand.score(&hand_x[*i]).probability).collect();
    let old = evaluate(&hand_scores, &labels, hand.threshold, BOOTSTRAP_SEED);
    let broad: Vec<f64> = data.broad_held_out.par_iter().map(score).collect();
    let elapsed = started.elapsed().as_secs_f64();
    report.rows.push(Row::new(
        "MIL001 held-out evaluation (read, features, score, retrain first model)",
        rayon::current_num_threads(),
        elapsed,
        0,
        (held.len() + broad.len()) as u64,
        None,
    ));
    report.inputs.push(format!(
        "real labels (held-out quarter, never trained or tuned on): {} mill papers with title + abstract, {} \
         subject-matched PubMed controls; {} held-out PubMed records of any field with an abstract; {} JATS articles",
        new.positives,
        new.negatives,
        broad.len(),
        jats.len()
    ));
    push_evaluation(report, "mil001", &new, true);
    push_evaluation(report, "mil001_first_model", &old, false);
    let broad_fp = broad.iter().filter(|p| **p >= model.threshold).count();
    report.quality.push(Quality::info("mil001_fpr_any_field_pubmed", broad_fp as f64 / broad.len().max(1) as f64));
    if let Some(cv) = model.provenance.get("cross_validation") {
        for (k, v) in cv.as_object().into_iter().flatten() {
            let get = |f: &str| v.get(f).and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN);
            let p2 = v.get("at").and_then(|a| a.get(1)).and_then(|a| a.get("precision")).and_then(|x| x.as_f64());
            report.notes.push(format!(
                "cross-validated (training part, 5 grouped folds), {k}: AUC {:.3}, TPR {:.3}, FPR {:.4}, precision at 2% {:.3}",
                get("auc"),
                get("tpr"),
                get("fpr"),
                p2.unwrap_or(f64::NAN)
            ));
        }
    }
    let mut fp: Vec<(f64, String)> = held
        .iter()
        .zip(&scores)
        .filter(|(i, p)| !data.texts[**i].mill && **p >= model.threshold)
        .map(|(i, p)| (*p, data.texts[*i].work.title.clone().unwrap_or_default()))
        .collect();
    fp.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (p, t) in &fp {
        report.notes.push(format!("false positive, held-out PubMed control ({p:.2}): {t}"));
    }
    let mut jats_flagged: Vec<(f64, String)> = jats
        .par_iter()
        .map(|w| (score(w), w.title.clone().unwrap_or_default()))
        .filter(|(p, _)| *p >= model.threshold)
        .collect();
    jats_flagged.sort_by(|a, b| b.0.total_cmp(&a.0));
    report.quality.push(Quality::info("mil001_jats_flagged", jats_flagged.len() as f64));
    for (p, t) in &jats_flagged {
        report.notes.push(format!("JATS article at or above the threshold ({p:.2}): {t}"));
    }
    // Fairness, both models at their own budget thresholds: held-out subject-matched controls and held-out
    // PubMed of any field, by the corresponding author's country, overall and within each topic.
    let broad_countries: Vec<Option<String>> =
        data.broad_held_out.iter().map(|w| mill::corresponding_country(w, &country_of)).collect();
    let broad_hand: Vec<f64> = {
        let fam = family_others(&data.broad_held_out);
        let masker = SlotMasker::default();
        data.broad_held_out
            .par_iter()
            .zip(&fam)
            .map(|(w, f)| {
                hand.score(&byline_detect::classifier::FeatureVector::from_work(w, Some(&lexicon), &masker, *f))
                    .probability
            })
            .collect()
    };
    let controls: Vec<usize> = held.iter().copied().filter(|i| !data.texts[*i].mill).collect();
    let control_pos: Vec<usize> = (0..held.len()).filter(|k| !data.texts[held[*k]].mill).collect();
    let control_works: Vec<&Work> = controls.iter().map(|i| &data.texts[*i].work).collect();
    let control_countries: Vec<Option<String>> = controls.iter().map(|i| data.texts[*i].country.clone()).collect();
    let broad_works: Vec<&Work> = data.broad_held_out.iter().collect();
    for (model_name, set, works, countries, flagged) in [
        (
            "mil001",
            "controls",
            &control_works,
            &control_countries,
            control_pos.iter().map(|k| scores[*k] >= model.threshold).collect::<Vec<bool>>(),
        ),
        (
            "mil001_first_model",
            "controls",
            &control_works,
            &control_countries,
            control_pos.iter().map(|k| hand_scores[*k] >= hand.threshold).collect(),
        ),
        ("mil001", "any_field", &broad_works, &broad_countries, broad.iter().map(|p| *p >= model.threshold).collect()),
        (
            "mil001_first_model",
            "any_field",
            &broad_works,
            &broad_countries,
            broad_hand.iter().map(|p| *p >= hand.threshold).collect(),
        ),
    ] {
        fairness(report, model_name, set, works, countries, &flagged);
    }
    Ok(())
}

/// Other works sharing each work's template family (the first model's `template_family_log2`), among `works`.
fn family_others(works: &[Work]) -> Vec<usize> {
    let families = byline_detect::template::find_families(works, &FamilyParams::default());
    let mut others: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &families {
        for m in &f.members {
            others.insert(m.work_id.as_str(), f.members.len() - 1);
        }
    }
    works.iter().map(|w| others.get(w.work_id.as_str()).copied().unwrap_or(0)).collect()
}

/// False-positive rates of one model on one set of held-out controls, by the corresponding author's country
/// (95% Wilson intervals), overall and within each topic ([`mill::topic`]), and the fairness gate
/// ([`mill::fairness_gate`]) on the whole set.
fn fairness(
    report: &mut Report,
    model: &str,
    set: &str,
    works: &[&Work],
    countries: &[Option<String>],
    flagged: &[bool],
) {
    let topics: Vec<mill::Topic> = works.iter().map(|w| mill::topic(w)).collect();
    let mut strata: Vec<(String, Vec<usize>)> = vec![("all topics".to_owned(), (0..works.len()).collect())];
    for t in [mill::Topic::NcRna, mill::Topic::Cancer, mill::Topic::Other] {
        strata.push((t.label().to_owned(), (0..works.len()).filter(|i| topics[*i] == t).collect()));
    }
    for (label, idx) in strata {
        if idx.is_empty() {
            continue;
        }
        let c: Vec<Option<String>> = idx.iter().map(|i| countries[*i].clone()).collect();
        let f: Vec<bool> = idx.iter().map(|i| flagged[*i]).collect();
        // Within a topic the pooling bar is lower, so that China, the US and the rest stay apart.
        let min_n = if label == "all topics" { MIN_COUNTRY_RECORDS } else { MIN_COUNTRY_RECORDS / 4 };
        let cells: Vec<String> = mill::rate_table(&c, &f, min_n)
            .iter()
            .map(|r| format!("{} {}/{} = {:.4} [{:.4}, {:.4}]", r.group, r.flagged, r.n, r.rate, r.ci.0, r.ci.1))
            .collect();
        report.notes.push(format!("fairness, {model}, held-out {set}, {label}: {}", cells.join("; ")));
    }
    let gate = mill::fairness_gate(countries, flagged);
    let failing: Vec<String> = gate
        .iter()
        .filter(|d| d.fails)
        .map(|d| {
            format!(
                "{} {}/{} = {:.4} [{:.4}, {:.4}] against the rest {}/{} = {:.4} [{:.4}, {:.4}]",
                d.country.group,
                d.country.flagged,
                d.country.n,
                d.country.rate,
                d.country.ci.0,
                d.country.ci.1,
                d.rest.flagged,
                d.rest.n,
                d.rest.rate,
                d.rest.ci.0,
                d.rest.ci.1
            )
        })
        .collect();
    report.quality.push(Quality::info(&format!("{model}_fairness_{set}_failing_countries"), failing.len() as f64));
    report.notes.push(format!(
        "fairness gate (no country with >= {} records above {}x the other countries' rate with the 95% intervals \
         apart), {model}, held-out {set}: {}",
        mill::FAIRNESS_MIN_RECORDS,
        mill::FAIRNESS_MAX_RATIO,
        if failing.is_empty() { "passes".to_owned() } else { format!("FAILS: {}", failing.join("; ")) }
    ));
}

fn push_evaluation(report: &mut Report, prefix: &str, e: &Evaluation, with_bars: bool) {
    let q = &mut report.quality;
    q.push(Quality::info(&format!("{prefix}_auc"), e.auc));
    q.push(Quality::info(&format!("{prefix}_auc_ci_low"), e.auc_ci.0));
    q.push(Quality::info(&format!("{prefix}_auc_ci_high"), e.auc_ci.1));
    q.push(Quality::info(&format!("{prefix}_threshold"), e.threshold));
    if with_bars {
        q.push(Quality::at_least(&format!("{prefix}_tpr"), e.tpr, TPR_BAR));
    } else {
        q.push(Quality::info(&format!("{prefix}_tpr"), e.tpr));
    }
    q.push(Quality::info(&format!("{prefix}_fpr"), e.fpr));
    for p in PREVALENCES {
        let name = format!("{prefix}_precision_at_{}pct", (p * 100.0).round());
        if with_bars && (p - 0.02).abs() < 1e-9 {
            q.push(Quality::at_least(&name, e.precision_at(p), PRECISION_AT_2PCT_BAR));
        } else {
            q.push(Quality::info(&name, e.precision_at(p)));
        }
    }
    report.notes.push(format!(
        "{prefix}: {} positives / {} controls; AUC {:.3} [{:.3}, {:.3}]; at threshold {:.3}: TPR {:.3} [{:.3}, {:.3}], \
         FPR {:.4} [{:.4}, {:.4}] ({} false positives); precision at 1% {:.3} [{:.3}, {:.3}], 2% {:.3} [{:.3}, {:.3}], \
         5% {:.3} [{:.3}, {:.3}] (95% bootstrap intervals)",
        e.positives,
        e.negatives,
        e.auc,
        e.auc_ci.0,
        e.auc_ci.1,
        e.threshold,
        e.tpr,
        e.tpr_ci.0,
        e.tpr_ci.1,
        e.fpr,
        e.fpr_ci.0,
        e.fpr_ci.1,
        e.false_positives,
        e.at[0].precision,
        e.at[0].precision_ci.0,
        e.at[0].precision_ci.1,
        e.at[1].precision,
        e.at[1].precision_ci.0,
        e.at[1].precision_ci.1,
        e.at[2].precision,
        e.at[2].precision_ci.0,
        e.at[2].precision_ci.1,
    ));
}

fn country_of(s: &str) -> Option<String> {
    byline_entities::country::country_code(s)
        .or_else(|| byline_entities::country::country_in_text(s).map(|(c, _)| c))
        .map(str::to_owned)
}

/// Every work of every file in a folder (sorted by name), read by byline's readers.
fn read_all(dir: &Path) -> anyhow::Result<Vec<Work>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.to_string_lossy().contains(".xml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        read_path(&f, None, &mut |e| {
            if let Event::Work(w) = e {
                out.push(*w);
            }
        });
    }
    Ok(out)
}
