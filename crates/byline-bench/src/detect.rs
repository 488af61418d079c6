//! `byline-bench papermill`: plants template families with the byline-synth generator and measures how well
//! [`find_families`](byline_detect::template::find_families) recovers them.

use std::collections::HashSet;

use byline_synth::papermill::{PapermillConfig, generate};
use serde::{Deserialize, Serialize};

use byline_detect::template::{FamilyParams, find_families};

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

/// The labelled data `MIL001` is trained and measured on, and the split the training example and
/// `byline-bench papermill` share (deterministic: the same files give the same rows, folds and held-out part).
pub mod mill {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use byline_model::{Format, PubDate, Work, stable_hash64};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use serde::{Deserialize, Serialize};

    use byline_detect::classifier::precision_at_prevalence;
    use byline_detect::template::{FamilyParams, SlotMasker, find_families};
    use byline_detect::{Error, Result};

    /// One part in `HELD_OUT_PARTS` of every source is held out (by group, see [`MillData`]) and never trained
    /// or tuned on: a quarter, as the project lead held out of `labels/`.
    pub const HELD_OUT_PARTS: u64 = 4;
    /// Cross-validation folds within the training part.
    pub const FOLDS: u64 = 5;
    /// Prevalences the precision is reported at (issue 18: mills are about 1–3% of submissions).
    pub const PREVALENCES: [f64; 3] = [0.01, 0.02, 0.05];
    /// Shortest abstract a text control may have (words): the positives all have full abstracts.
    pub const MIN_ABSTRACT_WORDS: usize = 50;
    /// Control years: the text positives were published 2015–2020 and the PubMed files are mostly 2020–2021;
    /// controls outside these years are left out.
    pub const CONTROL_YEARS: (i32, i32) = (2015, 2021);

    /// A title + abstract with its label.
    #[derive(Debug, Clone)]
    pub struct LabelledText {
        pub work: Work,
        pub mill: bool,
        /// File the row came from.
        pub source: String,
        pub held_out: bool,
        /// Cross-validation fold (0..FOLDS) within the training part.
        pub fold: u64,
        /// Country (ISO code) of the corresponding author's affiliation, for controls (see [`MillData`]).
        pub country: Option<String>,
        /// A training control added as a hard negative (an ordinary ncRNA paper, [`Topic::NcRna`], that the
        /// subject match or the PubMed halving left out); never held out. The false-positive budget is set
        /// on the other controls, whose mix of topics is the natural one.
        pub hard_negative: bool,
    }

    /// A title alone with its label (the second source).
    #[derive(Debug, Clone)]
    pub struct LabelledTitle {
        pub title: String,
        pub mill: bool,
        pub source: String,
        pub held_out: bool,
        pub fold: u64,
    }

    /// Every labelled row:
    /// - `texts`: positives with title + abstract from `labels/` (stock-photo mill papers, Papermill-Alarm
    ///   sample retractions, tortured-phrase retractions; de-duplicated by title) and controls from the PubMed
    ///   files (not retracted by their own record or by Retraction Watch, abstract of at least
    ///   [`MIN_ABSTRACT_WORDS`] words, published in [`CONTROL_YEARS`], subject-matched: MeSH oncology
    ///   descriptors, or cancer terms when the record has no MeSH). Positives are grouped by template family
    ///   (masked MinHash), so a family is wholly held out or wholly in one fold.
    /// - `titles`: Retraction Watch records whose reasons include "Paper Mill" (the exemplar file's clean title
    ///   when it has the DOI, else the title cut from the scraped blob), against PubMed titles and the
    ///   exemplar file's subject-matched controls. Titles with the same masked skeleton form one group.
    ///   Titles of the text positives are left out, so that the title model never saw a text row.
    /// - PubMed records are split by PMID: a held-out quarter (used by both models' evaluations), and the
    ///   rest in two halves, one for the title model's negatives and one for the text model's controls, so
    ///   that the title model's log-odds is out of sample on every text row.
    /// - `broad_held_out`: held-out PubMed records of any field with an abstract (an ordinary-paper
    ///   false-positive rate).
    #[derive(Debug, Clone, Default)]
    pub struct MillData {
        pub texts: Vec<LabelledText>,
        pub titles: Vec<LabelledTitle>,
        pub broad_held_out: Vec<Work>,
        /// Counts by source, for the report.
        pub counts: BTreeMap<String, usize>,
    }

    /// Reads `labels/` and `retractions/` from `shared` and splits `pubmed` (works read from
    /// `shared/pubmed`); `country` names the corresponding author's country of a control.
    pub fn mill_data(shared: &Path, pubmed: Vec<Work>, country: &dyn Fn(&Work) -> Option<String>) -> Result<MillData> {
        let mut data = MillData::default();
        let positives = read_text_positives(&shared.join("labels"))?;
        let positive_titles: BTreeSet<String> =
            positives.iter().map(|(w, _)| title_key(w.title.as_deref().unwrap_or(""))).collect();
        // Text positives grouped by template family.
        let works: Vec<Work> = positives.iter().map(|(w, _)| w.clone()).collect();
        let mut group: BTreeMap<String, String> =
            works.iter().map(|w| (w.work_id.clone(), format!("single:{}", w.work_id))).collect();
        for (i, f) in find_families(&works, &FamilyParams::default()).iter().enumerate() {
            for m in &f.members {
                group.insert(m.work_id.clone(), format!("family:{i}"));
            }
        }
        for (w, source) in positives {
            let g = group.get(&w.work_id).cloned().unwrap_or_default();
            let (held_out, fold) = split(&g);
            *data.counts.entry(format!("text positive: {source}")).or_default() += 1;
            data.texts.push(LabelledText {
                work: w,
                mill: true,
                source,
                held_out,
                fold,
                country: None,
                hard_negative: false,
            });
        }
        let rw = read_retraction_watch(&shared.join("retractions"))?;
        let masker = SlotMasker::default();
        for (title, mill, source, key) in rw.titles {
            let tk = title_key(&title);
            if tk.is_empty() || positive_titles.contains(&tk) {
                continue;
            }
            let g = if mill { masker.mask(&title).join(" ") } else { key };
            let (held_out, fold) = split(&g);
            *data
                .counts
                .entry(format!("title {}: {source}", if mill { "positive" } else { "negative" }))
                .or_default() += 1;
            data.titles.push(LabelledTitle { title, mill, source, held_out, fold });
        }
        let mut seen = BTreeSet::new();
        for w in pubmed {
            let Some(title) = w.title.clone() else { continue };
            let id = w.ids.pmid.clone().unwrap_or_else(|| title_key(&title));
            if w.is_retracted()
                || w.is_retraction_notice()
                || w.ids.doi.as_deref().is_some_and(|d| rw.listed.contains(&d.to_lowercase()))
                || positive_titles.contains(&title_key(&title))
                || !seen.insert(id.clone())
            {
                continue;
            }
            let h = stable_hash64(format!("pubmed:{id}").as_bytes());
            let held_out = h.is_multiple_of(HELD_OUT_PARTS);
            let fold = (h >> 16) % FOLDS;
            let has_abstract =
                w.abstract_text.as_deref().is_some_and(|a| a.split_whitespace().count() >= MIN_ABSTRACT_WORDS);
            let control = has_abstract
                && w.date.is_some_and(|d| (CONTROL_YEARS.0..=CONTROL_YEARS.1).contains(&d.year))
                && is_subject_match(&w);
            let title_half = (h >> 8).is_multiple_of(2);
            let in_years = w.date.is_some_and(|d| (CONTROL_YEARS.0..=CONTROL_YEARS.1).contains(&d.year));
            // A training-part text control already (subject-matched, text half)?
            let text_control = control && !title_half;
            let hard_negative = !held_out && has_abstract && in_years && !text_control && topic(&w) == Topic::NcRna;
            if held_out || (title_half && !hard_negative) {
                *data.counts.entry("title negative: pubmed".into()).or_default() += 1;
                data.titles.push(LabelledTitle {
                    title: title.clone(),
                    mill: false,
                    source: "pubmed".into(),
                    held_out,
                    fold,
                });
            }
            if held_out && has_abstract {
                data.broad_held_out.push(w.clone());
            }
            if (control && (held_out || !title_half)) || hard_negative {
                let key =
                    if hard_negative { "text control: pubmed ncRNA hard negative" } else { "text control: pubmed" };
                *data.counts.entry(key.into()).or_default() += 1;
                let country = country(&w);
                data.texts.push(LabelledText {
                    work: w,
                    mill: false,
                    source: "pubmed".into(),
                    held_out,
                    fold,
                    country,
                    hard_negative,
                });
            }
        }
        if !data.texts.iter().any(|t| t.mill) || !data.texts.iter().any(|t| !t.mill) {
            return Err(Error::format(shared.display(), "no labelled texts of one class (labels/ and pubmed/ read?)"));
        }
        Ok(data)
    }

    /// Held out (one part in [`HELD_OUT_PARTS`]) and fold, from a group key.
    fn split(group: &str) -> (bool, u64) {
        let h = stable_hash64(format!("group:{group}").as_bytes());
        (h.is_multiple_of(HELD_OUT_PARTS), (h >> 16) % FOLDS)
    }

    fn title_key(t: &str) -> String {
        byline_detect::text::tokens(t).map(str::to_lowercase).collect::<Vec<_>>().join(" ")
    }

    /// The labelled texts: (work, source file).
    fn read_text_positives(dir: &Path) -> Result<Vec<(Work, String)>> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        // (file, title col, abstract col, year col)
        for (file, t, a, y) in [
            ("spp_stock_photo_papermill.tsv", 3, 4, Some(6)),
            ("papermill_alarm_sample_retractions.tsv", 1, 2, None),
            ("tpc_confirmed_tortured_retracted.tsv", 1, 2, Some(4)),
        ] {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            for (i, line) in text.lines().enumerate().skip(1) {
                let cols: Vec<&str> = line.split('\t').collect();
                let title = cols.get(t).map(|s| s.replace("\\n", " ")).unwrap_or_default();
                if title.is_empty() || !seen.insert(title_key(&title)) {
                    continue;
                }
                let mut w = Work::new(Format::Pubmed, file, i as u64);
                w.assign_id();
                w.title = Some(title);
                // Newlines kept: they end structured-abstract headings, which the model removes.
                w.abstract_text = cols.get(a).map(|s| s.replace("\\n", "\n"));
                let year = y.and_then(|c| cols.get(c)).and_then(|s| s.get(..4)).and_then(|s| s.parse().ok());
                w.date = year.map(|y| PubDate::new(y, None, None));
                out.push((w, file.to_owned()));
            }
        }
        Ok(out)
    }

    /// Subject match for controls: MeSH oncology descriptors where the record has MeSH, else cancer terms in
    /// its title/abstract (most 2021 in-process records carry no MeSH yet).
    pub fn is_subject_match(w: &Work) -> bool {
        const MESH: &[&str] = &[
            "neoplasm",
            "carcinoma",
            "tumor",
            "cancer",
            "leukemia",
            "lymphoma",
            "sarcoma",
            "glioma",
            "melanoma",
            "micrornas",
            "rna, long noncoding",
        ];
        if !w.mesh.is_empty() {
            return w.mesh.iter().any(|m| {
                let m = m.to_lowercase();
                MESH.iter().any(|k| m.contains(k))
            });
        }
        let text =
            format!("{} {}", w.title.as_deref().unwrap_or(""), w.abstract_text.as_deref().unwrap_or("")).to_lowercase();
        ["cancer", "tumor", "tumour", "carcinoma", "neoplasm"].iter().any(|k| text.contains(k))
    }

    struct RetractionWatch {
        /// (title, mill, source, group key for negatives)
        titles: Vec<(String, bool, String, String)>,
        /// Lower-cased DOIs Retraction Watch lists with any notice (never a control).
        listed: BTreeSet<String>,
    }

    fn read_retraction_watch(dir: &Path) -> Result<RetractionWatch> {
        let read = |name: &str| -> Result<Vec<BTreeMap<String, String>>> {
            let path = dir.join(name);
            let mut r = csv::Reader::from_path(&path).map_err(|e| Error::format(path.display(), e.to_string()))?;
            let headers = r.headers().map_err(|e| Error::format(path.display(), e.to_string()))?.clone();
            let mut rows = Vec::new();
            for rec in r.records() {
                let rec = rec.map_err(|e| Error::format(path.display(), e.to_string()))?;
                rows.push(headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect());
            }
            Ok(rows)
        };
        let get = |r: &BTreeMap<String, String>, k: &str| r.get(k).cloned().unwrap_or_default();
        let mut listed: BTreeSet<String> =
            read("retractionwatch_doi_nature_2025-08-22.csv")?.iter().map(|r| get(r, "doi").to_lowercase()).collect();
        let notices = read("rw_scrape_2023_notices.csv")?;
        let exemplars = read("rw_scrape_2023_exemplar_titles.csv")?;
        let clean_title: BTreeMap<String, String> = exemplars
            .iter()
            .map(|r| (get(r, "doi").to_lowercase(), strip_retraction_marker(&get(r, "article_title"))))
            .collect();
        let mut titles = Vec::new();
        let mut mill_dois = BTreeSet::new();
        for r in &notices {
            let doi = get(r, "doi").to_lowercase();
            listed.insert(doi.clone());
            if !get(r, "reasons").contains("+Paper Mill") || !mill_dois.insert(doi.clone()) {
                continue;
            }
            let title = clean_title
                .get(&doi)
                .cloned()
                .unwrap_or_else(|| title_from_blob(&get(r, "title_subject_journal_publisher_affiliation_blob")));
            titles.push((title, true, "rw_scrape_2023_notices.csv (+Paper Mill)".to_owned(), doi));
        }
        for r in &exemplars {
            if get(r, "retracted") == "False" {
                let doi = get(r, "doi").to_lowercase();
                titles.push((
                    get(r, "article_title"),
                    false,
                    "rw_scrape_2023_exemplar_titles.csv (control)".into(),
                    doi,
                ));
            }
        }
        Ok(RetractionWatch { titles, listed })
    }

    /// The title at the head of a scraped blob: everything before the first subject code such as `(BLS) `.
    fn title_from_blob(blob: &str) -> String {
        let b = blob.as_bytes();
        for i in 0..b.len().saturating_sub(5) {
            if b[i] == b'(' && b[i + 1..i + 4].iter().all(u8::is_ascii_uppercase) && b[i + 4] == b')' {
                return blob[..i].trim().to_owned();
            }
        }
        blob.trim().to_owned()
    }

    /// A title without the database's retraction marker ("(Retracted article. See …)", "RETRACTED ARTICLE: ").
    fn strip_retraction_marker(t: &str) -> String {
        let t = t.trim();
        let t = t.strip_prefix("RETRACTED ARTICLE:").unwrap_or(t).trim();
        let t = t.strip_prefix("RETRACTED:").unwrap_or(t).trim();
        match t.find("(Retracted") {
            Some(i) => t[..i].trim().to_owned(),
            None => t.to_owned(),
        }
    }

    /// Figures at one prevalence.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    pub struct AtPrevalence {
        pub prevalence: f64,
        pub precision: f64,
        /// 95% bootstrap interval.
        pub precision_ci: (f64, f64),
    }

    /// Figures of scores against labels at a threshold, with 95% bootstrap percentile intervals (classes
    /// resampled separately, 1,000 times).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Evaluation {
        pub positives: usize,
        pub negatives: usize,
        pub threshold: f64,
        pub auc: f64,
        pub auc_ci: (f64, f64),
        pub tpr: f64,
        pub tpr_ci: (f64, f64),
        pub fpr: f64,
        pub fpr_ci: (f64, f64),
        pub false_positives: usize,
        pub at: Vec<AtPrevalence>,
    }

    impl Evaluation {
        /// Precision at a prevalence in [`PREVALENCES`].
        pub fn precision_at(&self, prevalence: f64) -> f64 {
            self.at.iter().find(|a| (a.prevalence - prevalence).abs() < 1e-9).map_or(f64::NAN, |a| a.precision)
        }
    }

    pub fn evaluate(scores: &[f64], labels: &[bool], threshold: f64, seed: u64) -> Evaluation {
        let pos: Vec<f64> = scores.iter().zip(labels).filter(|(_, l)| **l).map(|(s, _)| *s).collect();
        let neg: Vec<f64> = scores.iter().zip(labels).filter(|(_, l)| !**l).map(|(s, _)| *s).collect();
        let rate = |v: &[f64]| {
            if v.is_empty() { f64::NAN } else { v.iter().filter(|s| **s >= threshold).count() as f64 / v.len() as f64 }
        };
        let auc_of = |p: &[f64], n: &[f64]| {
            let s: Vec<f64> = p.iter().chain(n).copied().collect();
            let l: Vec<bool> = p.iter().map(|_| true).chain(n.iter().map(|_| false)).collect();
            byline_detect::classifier::roc_auc(&s, &l)
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut samples: Vec<(f64, f64, f64)> = Vec::new();
        for _ in 0..1000 {
            let p: Vec<f64> = (0..pos.len()).map(|_| pos[rng.random_range(0..pos.len())]).collect();
            let n: Vec<f64> = (0..neg.len()).map(|_| neg[rng.random_range(0..neg.len())]).collect();
            if p.is_empty() || n.is_empty() {
                break;
            }
            samples.push((auc_of(&p, &n), rate(&p), rate(&n)));
        }
        let ci = |f: &dyn Fn(&(f64, f64, f64)) -> f64| -> (f64, f64) {
            let mut v: Vec<f64> = samples.iter().map(f).filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            if v.is_empty() {
                return (f64::NAN, f64::NAN);
            }
            (v[(v.len() as f64 * 0.025) as usize], v[((v.len() as f64 * 0.975) as usize).min(v.len() - 1)])
        };
        let (tpr, fpr) = (rate(&pos), rate(&neg));
        let at = PREVALENCES
            .iter()
            .map(|&p| AtPrevalence {
                prevalence: p,
                precision: precision_at_prevalence(tpr, fpr, p),
                precision_ci: ci(&|s| precision_at_prevalence(s.1, s.2, p)),
            })
            .collect();
        Evaluation {
            positives: pos.len(),
            negatives: neg.len(),
            threshold,
            auc: auc_of(&pos, &neg),
            auc_ci: ci(&|s| s.0),
            tpr,
            tpr_ci: ci(&|s| s.1),
            fpr,
            fpr_ci: ci(&|s| s.2),
            false_positives: neg.iter().filter(|s| **s >= threshold).count(),
            at,
        }
    }

    /// The lowest threshold at which at most `max_fpr` of the negatives score at or above it (strictly above
    /// the highest negative that the budget does not allow).
    pub fn threshold_for_budget(scores: &[f64], labels: &[bool], max_fpr: f64) -> f64 {
        let mut neg: Vec<f64> = scores.iter().zip(labels).filter(|(_, l)| !**l).map(|(s, _)| *s).collect();
        neg.sort_by(|a, b| b.total_cmp(a));
        let allowed = (max_fpr * neg.len() as f64).floor() as usize;
        neg.get(allowed).map_or(f64::NEG_INFINITY, |v| next_up(*v))
    }

    /// The smallest float above `v` (finite `v`).
    fn next_up(v: f64) -> f64 {
        if v == 0.0 {
            f64::from_bits(1)
        } else if v > 0.0 {
            f64::from_bits(v.to_bits() + 1)
        } else {
            f64::from_bits(v.to_bits() - 1)
        }
    }

    /// The first model ([`byline_detect::classifier::HandModel`]: seven hand-made features, logistic) retrained on the
    /// training part of `data`, its threshold from the same false-positive budget on its out-of-fold scores,
    /// and its out-of-fold scores (training rows, in order). Template-family size is counted among all text
    /// rows, as that model was trained. Trains: only with the `train` feature.
    pub fn hand_baseline(
        data: &MillData,
        lexicon: Option<&byline_detect::tortured::Lexicon>,
        max_fpr: f64,
    ) -> Result<(byline_detect::classifier::HandModel, Vec<f64>)> {
        use byline_detect::classifier::FeatureVector;
        use byline_detect::classifier::hand::{DEFAULT_ALPHA, train};
        let x = hand_features(data, lexicon);
        let train_rows: Vec<usize> = (0..data.texts.len()).filter(|i| !data.texts[*i].held_out).collect();
        let mut oof = vec![0.0; train_rows.len()];
        for f in 0..FOLDS {
            let (tx, ty): (Vec<FeatureVector>, Vec<bool>) = train_rows
                .iter()
                .filter(|i| data.texts[**i].fold != f)
                .map(|i| (x[*i].clone(), data.texts[*i].mill))
                .unzip();
            let m = train(&tx, &ty, DEFAULT_ALPHA)?;
            for (k, i) in train_rows.iter().enumerate() {
                if data.texts[*i].fold == f {
                    oof[k] = m.score(&x[*i]).probability;
                }
            }
        }
        // The budget is on the natural controls (hard negatives left out), as for the text model.
        let natural: Vec<usize> = (0..train_rows.len()).filter(|k| !data.texts[train_rows[*k]].hard_negative).collect();
        let labels: Vec<bool> = natural.iter().map(|k| data.texts[train_rows[*k]].mill).collect();
        let natural_oof: Vec<f64> = natural.iter().map(|k| oof[*k]).collect();
        let (tx, ty): (Vec<FeatureVector>, Vec<bool>) =
            train_rows.iter().map(|i| (x[*i].clone(), data.texts[*i].mill)).unzip();
        let mut model = train(&tx, &ty, DEFAULT_ALPHA)?;
        model.threshold = threshold_for_budget(&natural_oof, &labels, max_fpr);
        Ok((model, oof))
    }

    /// The first model's feature vectors of every text row (family size among all text rows).
    pub fn hand_features(
        data: &MillData,
        lexicon: Option<&byline_detect::tortured::Lexicon>,
    ) -> Vec<byline_detect::classifier::FeatureVector> {
        use rayon::prelude::*;
        let works: Vec<Work> = data.texts.iter().map(|t| t.work.clone()).collect();
        let mut others: BTreeMap<&str, usize> = BTreeMap::new();
        let families = find_families(&works, &FamilyParams::default());
        for f in &families {
            for m in &f.members {
                others.insert(m.work_id.as_str(), f.members.len() - 1);
            }
        }
        let masker = SlotMasker::default();
        works
            .par_iter()
            .map(|w| {
                byline_detect::classifier::FeatureVector::from_work(
                    w,
                    lexicon,
                    &masker,
                    others.get(w.work_id.as_str()).copied().unwrap_or(0),
                )
            })
            .collect()
    }

    /// Topic strata for the fairness tables: whether a disparity between countries is the country or the
    /// genre. Decided from the record alone, the same way for every work.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum Topic {
        /// Names a microRNA, lncRNA or circRNA ([`NCRNA_TERMS`] in a MeSH descriptor, title or abstract): the
        /// "ncRNA X regulates Y via Z" genre the labelled mills write in, whatever the disease.
        NcRna,
        /// About cancer ([`CANCER_TERMS`]), naming no ncRNA.
        Cancer,
        /// Everything else.
        Other,
    }

    impl Topic {
        pub fn label(self) -> &'static str {
            match self {
                Topic::NcRna => "ncRNA",
                Topic::Cancer => "cancer without ncRNA",
                Topic::Other => "other topics",
            }
        }
    }

    /// Words (lower-cased substrings of MeSH descriptors, title or abstract) that make a record name a
    /// non-coding RNA: MeSH "MicroRNAs", "RNA, Long Noncoding", "RNA, Circular" and the usual spellings.
    pub const NCRNA_TERMS: [&str; 11] = [
        "microrna",
        "mirna",
        "mir-",
        "lncrna",
        "long non-coding rna",
        "long noncoding rna",
        "rna, long noncoding",
        "circrna",
        "circular rna",
        "rna, circular",
        "hsa_circ",
    ];

    /// Words that make a record about cancer (MeSH oncology descriptors or title/abstract).
    pub const CANCER_TERMS: [&str; 12] = [
        "cancer",
        "tumor",
        "tumour",
        "carcinoma",
        "neoplasm",
        "leukemia",
        "lymphoma",
        "sarcoma",
        "glioma",
        "glioblastoma",
        "melanoma",
        "metasta",
    ];

    /// The topic stratum of a record ([`Topic`]).
    pub fn topic(w: &Work) -> Topic {
        let mut text = format!("{} {}", w.title.as_deref().unwrap_or(""), w.abstract_text.as_deref().unwrap_or(""));
        for m in &w.mesh {
            text.push(' ');
            text.push_str(m);
        }
        let text = text.to_lowercase();
        if NCRNA_TERMS.iter().any(|k| text.contains(k)) {
            Topic::NcRna
        } else if CANCER_TERMS.iter().any(|k| text.contains(k)) {
            Topic::Cancer
        } else {
            Topic::Other
        }
    }

    /// 95% Wilson score interval of `k` successes in `n` trials ((0, 1) when `n` is 0): unlike the normal
    /// approximation it stays inside [0, 1] and is not empty at 0 of n, which the rare flags here need.
    pub fn wilson(k: usize, n: usize) -> (f64, f64) {
        if n == 0 {
            return (0.0, 1.0);
        }
        let (k, n, z) = (k as f64, n as f64, 1.959_963_984_540_054);
        let p = k / n;
        let denom = 1.0 + z * z / n;
        let centre = (p + z * z / (2.0 * n)) / denom;
        let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
        // At 0 of n (n of n) the bound is exactly 0 (1); the formula leaves a rounding residue.
        let lo = if k == 0.0 { 0.0 } else { (centre - half).max(0.0) };
        let hi = if k == n { 1.0 } else { (centre + half).min(1.0) };
        (lo, hi)
    }

    /// A group's false-positive rate.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RateRow {
        pub group: String,
        pub n: usize,
        pub flagged: usize,
        pub rate: f64,
        /// 95% Wilson interval.
        pub ci: (f64, f64),
    }

    impl RateRow {
        pub fn new(group: &str, n: usize, flagged: usize) -> RateRow {
            RateRow {
                group: group.to_owned(),
                n,
                flagged,
                rate: if n == 0 { f64::NAN } else { flagged as f64 / n as f64 },
                ci: wilson(flagged, n),
            }
        }
    }

    /// Flag rates by group (country codes; `None` = "unknown"): groups with at least `min_n` records each, the
    /// others pooled as "other"; largest first, then "other", then "unknown"; "all" (every record) last.
    pub fn rate_table(groups: &[Option<String>], flagged: &[bool], min_n: usize) -> Vec<RateRow> {
        let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (g, f) in groups.iter().zip(flagged) {
            let e = by.entry(g.clone().unwrap_or_default()).or_default();
            e.0 += 1;
            e.1 += usize::from(*f);
        }
        let (mut rows, mut other, mut unknown) = (Vec::new(), (0, 0), (0, 0));
        for (g, (n, f)) in by {
            if g.is_empty() {
                unknown = (n, f);
            } else if n >= min_n {
                rows.push(RateRow::new(&g, n, f));
            } else {
                other.0 += n;
                other.1 += f;
            }
        }
        rows.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.group.cmp(&b.group)));
        if other.0 > 0 {
            rows.push(RateRow::new("other", other.0, other.1));
        }
        if unknown.0 > 0 {
            rows.push(RateRow::new("unknown", unknown.0, unknown.1));
        }
        rows.push(RateRow::new("all", flagged.len(), flagged.iter().filter(|f| **f).count()));
        rows
    }

    /// Countries judged by the fairness gate: those with at least this many records in the set judged (held-out
    /// controls). Below it a country's interval is too wide to say anything (at 100 records, 0 flags still
    /// leaves a 95% upper bound of 3.7%).
    pub const FAIRNESS_MIN_RECORDS: usize = 100;
    /// The fairness gate's ratio: a country fails when its false-positive rate is more than this multiple of
    /// the rate of the records from every other known country *and* its 95% Wilson interval lies wholly above
    /// theirs. The practical-and-statistical form of the disparate-impact test (the four-fifths rule read with
    /// a significance test); 2× rather than 1.25× because the rates are a few per thousand, where one more
    /// flag moves a ratio by a lot. Issue 18: a model that flags one country's ordinary papers far more than
    /// others' is not shipped.
    pub const FAIRNESS_MAX_RATIO: f64 = 2.0;

    /// One country against the records of every other known country.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Disparity {
        pub country: RateRow,
        pub rest: RateRow,
        /// Rate above [`FAIRNESS_MAX_RATIO`] × the rest's and intervals apart.
        pub fails: bool,
    }

    /// The fairness gate over one set of controls: every country with at least [`FAIRNESS_MIN_RECORDS`]
    /// records against the others (records of unknown country left out of both sides). The model passes when
    /// no row `fails`.
    pub fn fairness_gate(countries: &[Option<String>], flagged: &[bool]) -> Vec<Disparity> {
        let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (c, f) in countries.iter().zip(flagged) {
            if let Some(c) = c {
                let e = by.entry(c.as_str()).or_default();
                e.0 += 1;
                e.1 += usize::from(*f);
            }
        }
        let (total_n, total_f) = by.values().fold((0, 0), |a, v| (a.0 + v.0, a.1 + v.1));
        let mut out: Vec<Disparity> = by
            .iter()
            .filter(|(_, (n, _))| *n >= FAIRNESS_MIN_RECORDS)
            .map(|(c, (n, f))| {
                let country = RateRow::new(c, *n, *f);
                let rest = RateRow::new("rest", total_n - n, total_f - f);
                let fails = country.rate > FAIRNESS_MAX_RATIO * rest.rate && country.ci.0 > rest.ci.1;
                Disparity { country, rest, fails }
            })
            .collect();
        out.sort_by(|a, b| b.country.n.cmp(&a.country.n).then_with(|| a.country.group.cmp(&b.country.group)));
        out
    }

    /// The country of a work's corresponding author: the author marked corresponding, else the first with an
    /// e-mail (PubMed puts the corresponding author's address there), else the first author; the country is
    /// the affiliation's own, else what `name_country` reads in the affiliation string.
    pub fn corresponding_country(w: &Work, name_country: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let author = w
            .authors
            .iter()
            .find(|a| a.corresponding == Some(true))
            .or_else(|| {
                w.authors.iter().find(|a| a.email.is_some() || a.affiliations.iter().any(|f| f.raw.contains('@')))
            })
            .or_else(|| w.authors.first())?;
        author.affiliations.iter().find_map(|f| {
            f.country_code
                .clone()
                .or_else(|| f.country.as_deref().and_then(name_country))
                .or_else(|| name_country(&f.raw))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::mill::{fairness_gate, wilson};

    #[test]
    fn wilson_interval_matches_the_textbook_values() {
        // 0 of 100: upper bound 3.70%; 12 of 959: [0.72%, 2.17%] (Wilson, z = 1.96).
        let (lo, hi) = wilson(0, 100);
        assert!(lo == 0.0 && (hi - 0.0370).abs() < 1e-4, "{lo} {hi}");
        let (lo, hi) = wilson(12, 959);
        assert!((lo - 0.0072).abs() < 1e-4 && (hi - 0.0217).abs() < 1e-4, "{lo} {hi}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn the_gate_fails_a_country_flagged_far_more_and_passes_noise() {
        let mk = |rows: &[(&str, usize, usize)]| {
            let mut c = Vec::new();
            let mut f = Vec::new();
            for (country, n, flagged) in rows {
                for i in 0..*n {
                    c.push(Some((*country).to_owned()));
                    f.push(i < *flagged);
                }
            }
            (c, f)
        };
        // The shipped model's held-out figures: 12 of 959 in China, none of 3,259 elsewhere.
        let (c, f) = mk(&[("CN", 959, 12), ("US", 907, 0), ("GB", 2352, 0)]);
        let gate = fairness_gate(&c, &f);
        assert!(gate.iter().any(|d| d.country.group == "CN" && d.fails));
        assert!(gate.iter().filter(|d| d.country.group != "CN").all(|d| !d.fails));
        // Equal rates, or one flag more, pass; a country under the size bar is not judged.
        let (c, f) = mk(&[("CN", 1000, 10), ("US", 1000, 10), ("GB", 1000, 9)]);
        assert!(fairness_gate(&c, &f).iter().all(|d| !d.fails));
        let (c, f) = mk(&[("CN", 1000, 1), ("US", 1000, 0)]);
        assert!(fairness_gate(&c, &f).iter().all(|d| !d.fails));
        let (c, f) = mk(&[("FJ", 50, 10), ("US", 1000, 0)]);
        assert!(fairness_gate(&c, &f).iter().all(|d| d.country.group != "FJ"));
    }
}
