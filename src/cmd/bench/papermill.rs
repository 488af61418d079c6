//! `byline bench papermill`: template families planted by the byline-synth generator (slot swaps,
//! paraphrase, tortured phrases, sold bylines) among genuine works, and how well `find_families` recovers
//! them; and, when the shared data folder is there (`BYLINE_SHARED_DATA`, default `../shared/data`), the
//! `MIL001` classifier on the held-out quarter of real labels that neither it nor the first model was
//! trained or tuned on (`byline_detect::bench::mill`), both models in the same run.

use byline_detect::{FamilyParams, bench_papermill};
use byline_synth::papermill::PapermillConfig;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use byline_detect::bench::mill::{self, Evaluation, MillData, PREVALENCES, evaluate};
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
             ≥ {:.0}% made of them (byline_detect::bench::RECOVERED_SHARE)",
            byline_detect::bench::RECOVERED_SHARE * 100.0,
            byline_detect::bench::RECOVERED_SHARE * 100.0
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
    for line in fairness(&data, &broad, model.threshold) {
        report.notes.push(line);
    }
    Ok(())
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

/// False-positive rate by the corresponding author's country: on the held-out subject-matched controls and
/// on the held-out PubMed records of any field.
fn fairness(data: &MillData, broad: &[f64], threshold: f64) -> Vec<String> {
    let mut out = Vec::new();
    let broad_countries: Vec<Option<String>> =
        data.broad_held_out.iter().map(|w| mill::corresponding_country(w, &country_of)).collect();
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (c, p) in broad_countries.iter().zip(broad) {
        let e = by.entry(c.clone().unwrap_or_else(|| "unknown".into())).or_default();
        e.0 += 1;
        e.1 += usize::from(*p >= threshold);
    }
    let mut pooled: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (c, (n, f)) in by {
        let key = if n >= MIN_COUNTRY_RECORDS { c } else { "other".to_owned() };
        let e = pooled.entry(key).or_default();
        e.0 += n;
        e.1 += f;
    }
    let mut rows: Vec<(String, usize, usize)> = pooled.into_iter().map(|(c, (n, f))| (c, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (c, n, f) in rows {
        out.push(format!(
            "fairness, held-out PubMed (any field) by corresponding author's country: {c}: {f} of {n} flagged (FPR {:.4})",
            f as f64 / n.max(1) as f64
        ));
    }
    out
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
