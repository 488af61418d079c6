//! Paper-mill planted truth: template families (one skeleton, slot words swapped, light paraphrase, tortured
//! phrases, sold bylines from unrelated institutions) mixed with genuine works, plus the ground truth.
//!
//! Deterministic: everything comes from one `ChaCha8Rng::seed_from_u64(seed)`.

use byline_model::{Affiliation, Author, Format, PubDate, Venue, Work};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Generator options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PapermillConfig {
    pub seed: u64,
    /// Genuine (unrelated) works.
    pub genuine_works: usize,
    /// Planted template families.
    pub families: usize,
    pub family_size_min: usize,
    pub family_size_max: usize,
    /// Share of words of a member replaced by a synonym (paraphrase).
    pub paraphrase_rate: f64,
    /// Share of family members given tortured phrases.
    pub tortured_share: f64,
    /// Share of family members with a sold byline (strangers from unrelated institutions, webmail).
    pub sold_byline_share: f64,
}

impl Default for PapermillConfig {
    fn default() -> Self {
        PapermillConfig {
            seed: 42,
            genuine_works: 2000,
            families: 40,
            family_size_min: 3,
            family_size_max: 12,
            paraphrase_rate: 0.05,
            tortured_share: 0.3,
            sold_byline_share: 0.8,
        }
    }
}

/// One planted family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedFamily {
    pub family_id: String,
    pub work_ids: Vec<String>,
}

/// Ground truth of a generated corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PapermillTruth {
    pub families: Vec<PlantedFamily>,
    /// Works given tortured phrases, with the (tortured, expected) pairs planted.
    pub tortured: Vec<(String, Vec<(String, String)>)>,
    pub sold_bylines: Vec<String>,
    pub genuine: Vec<String>,
}

/// Generated works and their truth.
#[derive(Debug, Clone, PartialEq)]
pub struct PapermillCorpus {
    pub works: Vec<Work>,
    pub truth: PapermillTruth,
}

/// Tortured phrases planted (all in the Problematic Paper Screener lists) with the phrase they replace.
pub const TORTURED_PAIRS: &[(&str, &str)] = &[
    ("counterfeit consciousness", "artificial intelligence"),
    ("profound learning", "deep learning"),
    ("irregular woodland", "random forest"),
    ("bosom malignant growth", "breast cancer"),
    ("flag to commotion", "signal to noise"),
    ("colossal information", "big data"),
    ("choice tree", "decision tree"),
    ("haphazard woodland", "random forest"),
];

const GENES: &[&str] =
    &["TP53", "PTEN", "SOX2", "KLF4", "ZEB1", "SOCS1", "CDK6", "BCL2", "STAT3", "FOXO1", "E2F3", "YAP1"];
const MIRNAS: &[&str] =
    &["miR-21", "miR-155", "miR-34a", "miR-200c", "miR-145", "miR-let-7b", "miR-126", "miR-9", "miR-375", "miR-486-5p"];
const DISEASES: &[&str] = &[
    "gastric cancer",
    "breast cancer",
    "osteosarcoma",
    "glioma",
    "hepatocellular carcinoma",
    "colorectal cancer",
    "cervical cancer",
    "prostate cancer",
];
const CELLS: &[&str] = &["HeLa", "MCF-7", "A549", "HepG2", "SW480", "U87", "PC-3", "SGC-7901"];
const TEMPLATE_SENTENCES: &[&str] = &[
    "{MIR} promotes proliferation and invasion of {DIS} cells by targeting {GENE}",
    "The expression of {MIR} was detected in {N} paired {DIS} tissues and {CELL} cells by qRT-PCR",
    "Cell proliferation was measured with CCK-8 assay and migration with transwell assay",
    "Luciferase reporter assay confirmed that {GENE} was a direct target of {MIR}",
    "Overexpression of {MIR} increased the viability of {CELL} cells while knockdown reduced it",
    "Western blot showed that {GENE} protein was decreased after transfection with {MIR} mimics",
    "These results suggest that the {MIR} {GENE} axis may be a therapeutic target for {DIS}",
    "Patients with high {MIR} expression had shorter overall survival than those with low expression",
];
const SYNONYMS: &[(&str, &str)] = &[
    ("promotes", "enhances"),
    ("detected", "measured"),
    ("increased", "elevated"),
    ("reduced", "decreased"),
    ("showed", "revealed"),
    ("suggest", "indicate"),
    ("confirmed", "verified"),
    ("results", "findings"),
    ("patients", "subjects"),
    ("shorter", "poorer"),
];
const COUNTRIES: &[(&str, &str)] = &[
    ("China", "CN"),
    ("Iran", "IR"),
    ("India", "IN"),
    ("Saudi Arabia", "SA"),
    ("Pakistan", "PK"),
    ("Egypt", "EG"),
    ("Malaysia", "MY"),
    ("Iraq", "IQ"),
    ("Russia", "RU"),
    ("Turkey", "TR"),
    ("Brazil", "BR"),
    ("Nigeria", "NG"),
];
const SURNAMES: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Khan", "Ahmadi", "Kumar", "Singh",
    "Hassan", "Ali", "Silva", "Ivanov", "Yilmaz", "Okafor", "Rahman", "Tan", "Lim", "Nguyen",
];
const GIVEN: &[&str] = &[
    "Wei", "Jing", "Min", "Hui", "Lei", "Yan", "Ali", "Reza", "Amit", "Priya", "Omar", "Sara", "Ana", "Ivan", "Mehmet",
    "Chidi", "Nur", "Linh",
];
const VENUES: &[&str] = &[
    "Eur Rev Med Pharmacol Sci",
    "Oncol Lett",
    "J Cell Biochem",
    "Biomed Pharmacother",
    "Int J Clin Exp Pathol",
    "Mol Med Rep",
];

/// Generates a corpus.
pub fn generate(config: &PapermillConfig) -> PapermillCorpus {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let vocab = vocabulary(&mut rng, 3000);
    let mut works = Vec::new();
    let mut truth = PapermillTruth::default();
    for i in 0..config.genuine_works {
        let mut w = base_work(&mut rng, &format!("synth/papermill/genuine/{i}"), i as u64);
        let n = rng.random_range(120..260);
        w.title = Some(words(&mut rng, &vocab, 12));
        w.abstract_text = Some(words(&mut rng, &vocab, n));
        w.authors = team(&mut rng, 1 + (i % 7), false);
        truth.genuine.push(w.work_id.clone());
        works.push(w);
    }
    for f in 0..config.families {
        // A family skeleton: template sentences in a family-specific order plus family-specific filler.
        let mut sentences: Vec<String> = TEMPLATE_SENTENCES.iter().map(|s| (*s).to_owned()).collect();
        for s in sentences.iter_mut() {
            let extra = words(&mut rng, &vocab, 8);
            *s = format!("{s} {extra}");
        }
        for _ in 0..4 {
            sentences.push(words(&mut rng, &vocab, 18));
        }
        sentences.shuffle_with(&mut rng);
        let size = rng.random_range(config.family_size_min..=config.family_size_max.max(config.family_size_min));
        let family_id = format!("planted-{f:04}");
        let mut ids = Vec::new();
        for m in 0..size {
            let path = format!("synth/papermill/family/{f}/{m}");
            let mut w = base_work(&mut rng, &path, m as u64);
            let slots = [
                ("{MIR}", *MIRNAS.choose(&mut rng).unwrap_or(&"miR-21")),
                ("{GENE}", *GENES.choose(&mut rng).unwrap_or(&"TP53")),
                ("{DIS}", *DISEASES.choose(&mut rng).unwrap_or(&"glioma")),
                ("{CELL}", *CELLS.choose(&mut rng).unwrap_or(&"HeLa")),
            ];
            let n_value = rng.random_range(20..120).to_string();
            let fill = |s: &str| {
                let mut s = s.replace("{N}", &n_value);
                for (k, v) in &slots {
                    s = s.replace(k, v);
                }
                s
            };
            let mut text = sentences.iter().map(|s| fill(s)).collect::<Vec<_>>().join(". ");
            text = paraphrase(&mut rng, &text, config.paraphrase_rate);
            if rng.random_bool(config.tortured_share.clamp(0.0, 1.0)) {
                let mut planted = Vec::new();
                for (t, e) in TORTURED_PAIRS.choose_multiple(&mut rng, 3) {
                    text.push_str(&format!(". A {t} approach was applied"));
                    planted.push(((*t).to_owned(), (*e).to_owned()));
                }
                truth.tortured.push((w.work_id.clone(), planted));
            }
            w.title = Some(fill(TEMPLATE_SENTENCES[0]));
            w.abstract_text = Some(format!("{text}."));
            w.venue.title = Some((*VENUES.choose(&mut rng).unwrap_or(&VENUES[0])).to_owned());
            let sold = rng.random_bool(config.sold_byline_share.clamp(0.0, 1.0));
            let team_size = rng.random_range(3..7);
            w.authors = team(&mut rng, team_size, sold);
            if sold {
                truth.sold_bylines.push(w.work_id.clone());
            }
            ids.push(w.work_id.clone());
            works.push(w);
        }
        truth.families.push(PlantedFamily { family_id, work_ids: ids });
    }
    // Interleave families with genuine works, deterministically.
    works.shuffle_with(&mut rng);
    PapermillCorpus { works, truth }
}

trait ShuffleWith {
    fn shuffle_with(&mut self, rng: &mut ChaCha8Rng);
}
impl<T> ShuffleWith for Vec<T> {
    fn shuffle_with(&mut self, rng: &mut ChaCha8Rng) {
        rand::seq::SliceRandom::shuffle(self.as_mut_slice(), rng);
    }
}

fn base_work(rng: &mut ChaCha8Rng, path: &str, index: u64) -> Work {
    let mut w = Work::new(Format::Pubmed, path, index);
    w.date = Some(PubDate::new(rng.random_range(2016..2023), Some(rng.random_range(1..13)), None));
    w.venue = Venue { title: Some((*VENUES.choose(rng).unwrap_or(&VENUES[0])).to_owned()), ..Venue::default() };
    w.ids.doi = Some(format!("10.5555/synth.{:016x}", byline_model::stable_hash64(path.as_bytes())));
    w
}

/// Pseudo-words: unrelated genuine texts then share almost no shingle.
const SYLLABLES: &[&str] =
    &["ka", "lo", "mi", "ter", "sen", "dra", "pol", "vin", "qua", "rex", "tal", "mon", "bri", "sto", "fen", "gal"];

fn vocabulary(rng: &mut ChaCha8Rng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| (0..rng.random_range(2..4)).map(|_| *SYLLABLES.choose(rng).unwrap_or(&"ka")).collect::<String>())
        .collect()
}

fn words(rng: &mut ChaCha8Rng, vocab: &[String], n: usize) -> String {
    (0..n).map(|_| vocab.choose(rng).map(String::as_str).unwrap_or("x")).collect::<Vec<_>>().join(" ")
}

fn paraphrase(rng: &mut ChaCha8Rng, text: &str, rate: f64) -> String {
    text.split(' ')
        .map(|w| {
            if let Some((_, s)) = SYNONYMS.iter().find(|(a, _)| *a == w)
                && rng.random_bool(0.5)
            {
                return (*s).to_owned();
            }
            if rng.random_bool(rate.clamp(0.0, 1.0)) { format!("{w}ly") } else { w.to_owned() }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A byline: a genuine team shares one institution; a sold byline draws each author from a different
/// institution and country, with webmail for the corresponding author.
fn team(rng: &mut ChaCha8Rng, n: usize, sold: bool) -> Vec<Author> {
    let home = rng.random_range(0..10_000);
    let (home_country, home_code) = *COUNTRIES.choose(rng).unwrap_or(&COUNTRIES[0]);
    (0..n.max(1))
        .map(|i| {
            let given = *GIVEN.choose(rng).unwrap_or(&"Wei");
            // A surname plus a syllable: name collisions between unrelated people stay rare, as in a real
            // corpus where identities are resolved.
            let family =
                format!("{}{}", SURNAMES.choose(rng).unwrap_or(&"Wang"), SYLLABLES.choose(rng).unwrap_or(&"ka"));
            let (inst, country, code) = if sold {
                let (c, k) = *COUNTRIES.choose(rng).unwrap_or(&COUNTRIES[0]);
                (format!("University {} of {c}", rng.random_range(0..10_000)), c, k)
            } else {
                (format!("University {home} of {home_country}"), home_country, home_code)
            };
            let email = (i == 0).then(|| {
                if sold {
                    format!("{}{}@163.com", given.to_lowercase(), rng.random_range(100..999))
                } else {
                    format!("{}.{}@univ{home}.edu", given.to_lowercase(), family.to_lowercase())
                }
            });
            Author {
                raw_name: format!("{given} {family}"),
                given: Some(given.to_owned()),
                family: Some(family.clone()),
                corresponding: Some(i == 0),
                email,
                affiliations: vec![Affiliation {
                    raw: format!("Department of Oncology, {inst}, {country}"),
                    institution: Some(inst),
                    country: Some(country.to_owned()),
                    country_code: Some(code.to_owned()),
                    ..Affiliation::default()
                }],
                ..Author::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus_and_truth_counts_add_up() {
        let c = PapermillConfig { genuine_works: 50, families: 5, ..PapermillConfig::default() };
        let a = generate(&c);
        let b = generate(&c);
        assert_eq!(a.works, b.works);
        let planted: usize = a.truth.families.iter().map(|f| f.work_ids.len()).sum();
        assert_eq!(a.works.len(), 50 + planted);
        assert!(a.truth.families.iter().all(|f| f.work_ids.len() >= 3));
    }
}
