//! Researcher records with planted unintended works, for the audit benchmark.
//!
//! Each synthetic researcher has a genuine record: a career of 6–20 years at 1–3 institutions, a co-author
//! network that starts with a small lab and grows (new collaborators join on some works and then recur), a
//! field with its own vocabulary and venues, and a personal norm for author counts. Genuine records also hold
//! the cases that make the audit hard, marked as hard negatives:
//! - *one-off* genuine works whose co-authors never recur (an invited review, a consortium paper);
//! - a genuine *collaboration abroad*: 1–3 works with new foreign co-authors and one recurring co-author,
//!   sometimes written from a visiting institution;
//! - a genuine *topic change*: from some year on, works in a second field, with the same network;
//! - a genuine *new collaboration*: the researcher's own new team, none of whom is in the record, which
//!   publishes again with them, or works at their institution or in their country, or continues their topic
//!   (at least one of the three), usually with the researcher first or last.
//!
//! Collaborating groups (abroad, new teams) publish without the researcher too, half of the time, and the
//! colleague who introduced a group abroad has sometimes worked with it before: the "group has a history of
//! its own" and "bridge tied to the group" facts occur on genuine works, not only on forgeries.
//!
//! Planted works are of two kinds. *Strangers' works* carry the researcher's name with co-authors who appear
//! nowhere else in the record, usually from several countries (Abalkina 2023), often in another field, with the
//! researcher's real institution in half of the cases and a foreign one in the other half. *Broker forgeries*
//! (the pattern research-security offices describe): one real recurring co-author (the bridge: a former student,
//! a visitor, a broker selling slots) puts the researcher's name on another group's paper next to their own; the
//! topic is adjacent (part of the words from the researcher's field), the researcher's affiliation string is
//! copied from one of their earlier works, the researcher sits in a middle position. The group has works of its
//! own in 70% of cases, and the bridge has published with the group before in 15% (a repeat customer).
//! About half of the researchers are clean (no planted work).
//!
//! Each researcher also has an *ORCID works list*, the claims input of the audit's `ORC001`/`ORC002`
//! ([`OrcidList`]): *maintained* (most genuine works listed, added by the researcher or by an organisation, a
//! share missing, the works of the year the list last changed often missing, the list a year or two behind),
//! *stale* (last changed 3–10 years ago: later works absent; half of them a one-off partial import), *empty*,
//! or *no record*. Planted works are never listed. Lists are drawn from a second seeded stream after each
//! researcher's works, from the works' years and identifiers only, so the corpus is the one the generator
//! wrote before lists existed, and a list's dates do not depend on whether or when works were planted.
//!
//! Realism: every kind of work draws DOI, PMID, corresponding-author marks, initials-only bylines, venues and
//! departments the same way (a person writes the same department at an institution on every work), so the
//! planted kinds differ from genuine ones only in the facts they are meant to signal (a test compares the
//! shares). Everything is drawn from a seeded ChaCha8 RNG: same config, same corpus.

use std::collections::{BTreeMap, BTreeSet};

use byline_model::{Affiliation, Author, Format, PubDate, Venue, Work};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::corpus::capitalize;

/// What to generate.
#[derive(Debug, Clone, Serialize)]
pub struct AuditCorpusConfig {
    pub seed: u64,
    pub researchers: usize,
    /// Share of researchers with no planted work.
    pub clean_share: f64,
    /// Planted works per non-clean researcher: uniform in this range.
    pub planted_min: usize,
    pub planted_max: usize,
    /// Share of genuine works whose co-authors never recur (invited reviews, consortium papers).
    pub genuine_one_off_share: f64,
    /// Share of researchers with a genuine collaboration abroad (hard negative).
    pub abroad_share: f64,
    /// Share of researchers with a genuine topic change (hard negative).
    pub topic_change_share: f64,
    /// Share of planted works that use the researcher's real institution (else a foreign one).
    pub planted_real_institution_share: f64,
    /// Share of planted works in the researcher's own field (else another field).
    pub planted_same_field_share: f64,
    /// Share of planted works whose co-authors come from three countries or more (mill style).
    pub planted_multi_country_share: f64,
    /// Share of non-clean researchers whose planted works include 1–2 *broker forgeries* (then with 0–2
    /// stranger works beside them, so that at most 4 works are planted and recall@5 is reachable).
    pub broker_share: f64,
    /// Share of researchers (clean or not) with a *genuine new collaboration*: a new team with no co-author of
    /// the record (hard negative).
    pub new_team_share: f64,
    /// Shares of researchers whose ORCID works list is maintained, stale, or empty; the rest have no ORCID
    /// record. A bench design (each state common enough to be measured at 1,000 researchers), not a prevalence
    /// estimate; drawn independently of whether the researcher has planted works.
    pub orcid_maintained_share: f64,
    pub orcid_stale_share: f64,
    pub orcid_empty_share: f64,
}

impl Default for AuditCorpusConfig {
    fn default() -> AuditCorpusConfig {
        AuditCorpusConfig {
            seed: 42,
            researchers: 400,
            clean_share: 0.5,
            planted_min: 1,
            planted_max: 4,
            genuine_one_off_share: 0.03,
            abroad_share: 0.4,
            topic_change_share: 0.3,
            planted_real_institution_share: 0.5,
            planted_same_field_share: 0.3,
            planted_multi_country_share: 0.7,
            broker_share: 0.4,
            new_team_share: 0.5,
            orcid_maintained_share: 0.4,
            orcid_stale_share: 0.2,
            orcid_empty_share: 0.15,
        }
    }
}

/// One researcher and the truth about their record.
#[derive(Debug, Clone, Serialize)]
pub struct ResearcherTruth {
    /// "Family, Given", as an officer would type it.
    pub name: String,
    /// The first institution, as text.
    pub affiliation: String,
    /// Every work that carries the researcher's name (genuine and planted), sorted.
    pub works: Vec<String>,
    /// The planted (unintended) works, sorted: both kinds below.
    pub planted: Vec<String>,
    /// Planted works whose co-authors are all strangers to the record (mill customers, often from many
    /// countries) …
    pub planted_stranger: Vec<String>,
    /// … and *broker forgeries*: a real recurring co-author (the bridge) puts the researcher's name on another
    /// group's paper next to their own: topic-adjacent, the researcher's affiliation copied from an earlier work,
    /// the researcher in a middle position.
    pub planted_broker: Vec<String>,
    /// Genuine works that are hard cases (one-off, abroad, topic change), sorted.
    pub hard_negatives: Vec<String>,
    /// The hard negatives by kind, sorted: genuine works whose co-authors never recur (invited reviews,
    /// consortium papers) …
    pub hard_one_off: Vec<String>,
    /// … works of a genuine collaboration abroad (one recurring co-author, new foreign ones) …
    pub hard_abroad: Vec<String>,
    /// … works after a genuine change of topic (same network, new field). A work can be in two lists
    /// (a one-off in the new field) …
    pub hard_topic_change: Vec<String>,
    /// … and the works of a genuine *new collaboration*: the researcher's own new team (no co-author of the
    /// record), which publishes again with them, or shares their institution or city, or continues their topic
    /// (at least one of the three; a single work abroad on a new topic with strangers is, by metadata alone,
    /// what a bought slot looks like, and is left to claims and mill signals).
    pub hard_new_team: Vec<String>,
    /// The researcher's ORCID works list (the audit's claims input); never holds a planted work.
    pub orcid: OrcidList,
}

/// The state of a researcher's ORCID works list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum OrcidListState {
    /// Kept up: most genuine works listed, with gaps; last changed in the record's last year or up to two
    /// years before.
    Maintained,
    /// Last changed 3–10 years before the record's last year: later works are absent.
    Stale,
    /// A record with no work listed.
    Empty,
    /// No ORCID record at all (the audit gets no claims).
    NoRecord,
}

impl OrcidListState {
    pub const ALL: [OrcidListState; 4] =
        [OrcidListState::Maintained, OrcidListState::Stale, OrcidListState::Empty, OrcidListState::NoRecord];

    pub fn label(self) -> &'static str {
        match self {
            OrcidListState::Maintained => "maintained",
            OrcidListState::Stale => "stale",
            OrcidListState::Empty => "empty",
            OrcidListState::NoRecord => "none",
        }
    }
}

/// A researcher's ORCID works list, in the shape `byline_fetch::orcid::OrcidRecord` reads from the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrcidList {
    pub state: OrcidListState,
    /// The listed work groups (empty for `Empty` and `NoRecord`).
    pub works: Vec<ListedWork>,
    /// The year the works list last changed (`None` when nothing was ever listed).
    pub last_modified_year: Option<i32>,
}

/// One work group of an ORCID list: its identifiers as the corpus work carries them, and who added it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedWork {
    pub doi: Option<String>,
    pub pmid: Option<String>,
    /// (source name as ORCID shows it, added by the researcher themself).
    pub sources: Vec<(String, bool)>,
}

/// The generated corpus and its ground truth.
#[derive(Debug, Clone)]
pub struct AuditCorpus {
    pub works: Vec<Work>,
    pub researchers: Vec<ResearcherTruth>,
    /// The identity truth: per work, the person id of each author (same order as `works[i].authors`).
    pub persons: Vec<Vec<u64>>,
}

/// Generates the corpus.
pub fn generate_audit_corpus(config: &AuditCorpusConfig) -> AuditCorpus {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut state = Generator {
        works: Vec::new(),
        path: format!("synthetic/audit-{}", config.seed),
        used_names: BTreeSet::new(),
        persons: Vec::new(),
        next_person: 0,
        seed: config.seed,
        lists: ChaCha8Rng::seed_from_u64(config.seed ^ ORCID_STREAM),
    };
    let mut researchers = Vec::with_capacity(config.researchers);
    for _ in 0..config.researchers {
        researchers.push(state.researcher(&mut rng, config));
    }
    AuditCorpus { works: state.works, researchers, persons: state.persons }
}

// ---------------------------------------------------------------------------------------------------------
// Details.

/// (field, words, MeSH-like terms).
const FIELDS: &[(&str, &[&str], &[&str])] = &[
    (
        "cardiology",
        &[
            "atrial",
            "fibrillation",
            "ablation",
            "ventricular",
            "myocardial",
            "infarction",
            "coronary",
            "stent",
            "heart",
            "failure",
            "arrhythmia",
            "echocardiography",
            "hypertension",
            "anticoagulation",
            "valve",
        ],
        &["Atrial Fibrillation", "Heart Failure", "Myocardial Infarction", "Coronary Disease"],
    ),
    (
        "oncology",
        &[
            "tumor",
            "carcinoma",
            "metastasis",
            "chemotherapy",
            "immunotherapy",
            "survival",
            "lymphoma",
            "breast",
            "lung",
            "radiotherapy",
            "biomarker",
            "resection",
            "neoplasm",
            "adjuvant",
            "recurrence",
        ],
        &["Neoplasms", "Breast Neoplasms", "Antineoplastic Agents", "Lung Neoplasms"],
    ),
    (
        "materials",
        &[
            "graphene",
            "nanosheets",
            "electrode",
            "supercapacitor",
            "catalyst",
            "perovskite",
            "thin",
            "film",
            "composite",
            "synthesis",
            "oxide",
            "conductivity",
            "polymer",
            "nanoparticles",
            "lithium",
        ],
        &["Graphite", "Nanoparticles", "Electric Capacitance", "Polymers"],
    ),
    (
        "neuroscience",
        &[
            "cortex",
            "neurons",
            "synaptic",
            "hippocampus",
            "memory",
            "dopamine",
            "plasticity",
            "neurodegeneration",
            "alzheimer",
            "parkinson",
            "glia",
            "cognition",
            "fmri",
            "seizure",
            "axon",
        ],
        &["Hippocampus", "Alzheimer Disease", "Neurons", "Memory"],
    ),
    (
        "ecology",
        &[
            "species",
            "biodiversity",
            "habitat",
            "forest",
            "climate",
            "pollinators",
            "population",
            "invasive",
            "wetland",
            "soil",
            "predator",
            "migration",
            "conservation",
            "coral",
            "fisheries",
        ],
        &["Biodiversity", "Ecosystem", "Climate Change", "Forests"],
    ),
    (
        "infectious",
        &[
            "malaria",
            "tuberculosis",
            "hiv",
            "vaccine",
            "antimicrobial",
            "resistance",
            "influenza",
            "sepsis",
            "pathogen",
            "transmission",
            "antibiotic",
            "viral",
            "outbreak",
            "bacterial",
            "hepatitis",
        ],
        &["Malaria", "Tuberculosis", "HIV Infections", "Drug Resistance, Bacterial"],
    ),
    (
        "computing",
        &[
            "neural",
            "network",
            "learning",
            "classification",
            "segmentation",
            "algorithm",
            "optimization",
            "convolutional",
            "prediction",
            "clustering",
            "features",
            "transformer",
            "dataset",
            "recognition",
            "reinforcement",
        ],
        &["Neural Networks, Computer", "Machine Learning", "Algorithms", "Deep Learning"],
    ),
    (
        "orthopedics",
        &[
            "fracture",
            "arthroplasty",
            "knee",
            "hip",
            "cartilage",
            "tendon",
            "spine",
            "osteoporosis",
            "ligament",
            "fixation",
            "bone",
            "rehabilitation",
            "osteoarthritis",
            "shoulder",
            "implant",
        ],
        &["Fractures, Bone", "Arthroplasty, Replacement, Knee", "Osteoarthritis", "Spine"],
    ),
    (
        "nutrition",
        &[
            "diet",
            "obesity",
            "vitamin",
            "intake",
            "metabolic",
            "insulin",
            "glucose",
            "microbiota",
            "supplementation",
            "dietary",
            "adiposity",
            "lipid",
            "fasting",
            "protein",
            "calorie",
        ],
        &["Diet", "Obesity", "Insulin Resistance", "Dietary Supplements"],
    ),
    (
        "psychology",
        &[
            "depression",
            "anxiety",
            "wellbeing",
            "adolescents",
            "stress",
            "questionnaire",
            "mindfulness",
            "resilience",
            "trauma",
            "personality",
            "attachment",
            "burnout",
            "loneliness",
            "self",
            "esteem",
        ],
        &["Depression", "Anxiety", "Stress, Psychological", "Adolescent"],
    ),
    (
        "civil",
        &[
            "concrete",
            "beam",
            "seismic",
            "bridge",
            "load",
            "steel",
            "reinforced",
            "cracking",
            "fatigue",
            "asphalt",
            "pavement",
            "durability",
            "shear",
            "masonry",
            "tunnel",
        ],
        &["Construction Materials", "Earthquakes", "Steel", "Stress, Mechanical"],
    ),
    (
        "ophthalmology",
        &[
            "retina",
            "glaucoma",
            "cataract",
            "macular",
            "degeneration",
            "cornea",
            "myopia",
            "intraocular",
            "pressure",
            "visual",
            "acuity",
            "diabetic",
            "retinopathy",
            "uveitis",
            "optic",
        ],
        &["Glaucoma", "Retina", "Cataract", "Macular Degeneration"],
    ),
];

const GENERIC_WORDS: &[&str] = &[
    "assessment",
    "evaluation",
    "outcomes",
    "cohort",
    "randomized",
    "trial",
    "review",
    "novel",
    "approach",
    "model",
    "analysis",
    "factors",
    "role",
    "impact",
    "insights",
];

/// (institution, city, country, ISO code).
const INSTITUTIONS: &[(&str, &str, &str, &str)] = &[
    ("Karolinska Institutet", "Stockholm", "Sweden", "SE"),
    ("Uppsala University", "Uppsala", "Sweden", "SE"),
    ("University of Oslo", "Oslo", "Norway", "NO"),
    ("University of Copenhagen", "Copenhagen", "Denmark", "DK"),
    ("Charité Universitätsmedizin", "Berlin", "Germany", "DE"),
    ("Technical University of Munich", "Munich", "Germany", "DE"),
    ("Sorbonne Université", "Paris", "France", "FR"),
    ("Université de Lyon", "Lyon", "France", "FR"),
    ("Universidad de Barcelona", "Barcelona", "Spain", "ES"),
    ("Universidad Complutense de Madrid", "Madrid", "Spain", "ES"),
    ("University of Milan", "Milan", "Italy", "IT"),
    ("Sapienza University of Rome", "Rome", "Italy", "IT"),
    ("University of Oxford", "Oxford", "United Kingdom", "GB"),
    ("University College London", "London", "United Kingdom", "GB"),
    ("Harvard Medical School", "Boston", "USA", "US"),
    ("Stanford University", "Stanford", "USA", "US"),
    ("University of Michigan", "Ann Arbor", "USA", "US"),
    ("Mayo Clinic", "Rochester", "USA", "US"),
    ("University of Toronto", "Toronto", "Canada", "CA"),
    ("McGill University", "Montreal", "Canada", "CA"),
    ("University of São Paulo", "São Paulo", "Brazil", "BR"),
    ("Universidad de Chile", "Santiago", "Chile", "CL"),
    ("Universidad Nacional Autónoma de México", "Mexico City", "Mexico", "MX"),
    ("Peking University", "Beijing", "China", "CN"),
    ("Fudan University", "Shanghai", "China", "CN"),
    ("Zhejiang University", "Hangzhou", "China", "CN"),
    ("Jilin University", "Changchun", "China", "CN"),
    ("University of Tokyo", "Tokyo", "Japan", "JP"),
    ("Kyoto University", "Kyoto", "Japan", "JP"),
    ("Seoul National University", "Seoul", "Korea", "KR"),
    ("Yonsei University", "Seoul", "Korea", "KR"),
    ("National Taiwan University", "Taipei", "Taiwan", "TW"),
    ("National University of Singapore", "Singapore", "Singapore", "SG"),
    ("University of Melbourne", "Melbourne", "Australia", "AU"),
    ("University of Sydney", "Sydney", "Australia", "AU"),
    ("All India Institute of Medical Sciences", "New Delhi", "India", "IN"),
    ("Anna University", "Chennai", "India", "IN"),
    ("Tehran University of Medical Sciences", "Tehran", "Iran", "IR"),
    ("Shiraz University", "Shiraz", "Iran", "IR"),
    ("King Saud University", "Riyadh", "Saudi Arabia", "SA"),
    ("King Abdulaziz University", "Jeddah", "Saudi Arabia", "SA"),
    ("Cairo University", "Cairo", "Egypt", "EG"),
    ("University of Baghdad", "Baghdad", "Iraq", "IQ"),
    ("Hacettepe University", "Ankara", "Turkey", "TR"),
    ("University of Karachi", "Karachi", "Pakistan", "PK"),
    ("Universiti Malaya", "Kuala Lumpur", "Malaysia", "MY"),
    ("Hanoi Medical University", "Hanoi", "Vietnam", "VN"),
    ("Chulalongkorn University", "Bangkok", "Thailand", "TH"),
    ("University of Lagos", "Lagos", "Nigeria", "NG"),
    ("University of Cape Town", "Cape Town", "South Africa", "ZA"),
    ("Lomonosov Moscow State University", "Moscow", "Russia", "RU"),
    ("Jagiellonian University", "Krakow", "Poland", "PL"),
    ("Charles University", "Prague", "Czech Republic", "CZ"),
    ("University of Belgrade", "Belgrade", "Serbia", "RS"),
    ("Taras Shevchenko National University", "Kyiv", "Ukraine", "UA"),
];

const DEPARTMENTS: &[&str] = &[
    "Department of Medicine",
    "Department of Surgery",
    "Faculty of Science",
    "School of Engineering",
    "Department of Biology",
    "Institute of Public Health",
    "Department of Chemistry",
];

/// How a name pool builds names: family names are either taken from `families` as they are, or (when
/// `family_suffixes` is not empty) also built as `families[i] + family_suffixes[j]`; given names likewise
/// from `givens` and `given_suffixes` (joined with `given_joiner`). Syllable combination gives hundreds of
/// family names per origin where real naming does (European, Persian, Japanese), while Chinese, Korean and
/// Vietnamese keep their real concentration on few family names with many given names: the hard case for
/// name matching stays hard.
struct NamePool {
    families: &'static [&'static str],
    family_suffixes: &'static [&'static str],
    /// Probability of a second surname (Spanish, Portuguese compound surnames).
    compound_share: f64,
    givens: &'static [&'static str],
    given_suffixes: &'static [&'static str],
    given_joiner: &'static str,
}

const POOL_CHINESE: NamePool = NamePool {
    families: &[
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
        "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao",
        "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su",
        "Lu", "Ding", "Ren", "Shen", "Yao", "Jin", "Fu", "Zhong", "Cui", "Tan", "Liao", "Fan", "Qian", "Kong",
    ],
    family_suffixes: &[],
    compound_share: 0.0,
    givens: &[
        "Xiao", "Jian", "Wei", "Hong", "Li", "Ming", "Hui", "Yan", "Jun", "Qing", "Zhi", "Hai", "Yu", "Xin", "Jia",
        "Chun", "Guo", "Lan", "Ying", "Feng", "Shu", "Wen", "Zi", "Yi",
    ],
    given_suffixes: &[
        "ming", "hua", "jun", "ling", "fang", "yu", "wen", "hong", "jie", "ping", "yan", "li", "qiang", "na", "tao",
        "lei", "bin", "hui", "mei", "xin", "", "",
    ],
    given_joiner: "",
};

const POOL_JAPANESE: NamePool = NamePool {
    families: &[
        "Yama", "Naka", "Ta", "Mori", "Ishi", "Kawa", "Fuji", "Matsu", "Sa", "Hashi", "Ko", "Kita", "Oka", "Shima",
        "Ara", "Taka", "Hira", "Uchi", "Kuro", "Aoki", "Suzuki", "Ito", "Kato", "Sato",
    ],
    family_suffixes: &["moto", "mura", "da", "kawa", "no", "saki", "shita", "guchi", "uchi", "yama", "hara", "zawa"],
    compound_share: 0.0,
    givens: &["Hiro", "Taka", "Ken", "Yuki", "Masa", "Nao", "Aki", "Kazu", "Tomo", "Haru", "Yoshi", "Shin", "Sato"],
    given_suffixes: &["shi", "ko", "ji", "to", "ya", "mi", "ki", "o", "hiko", "ro", "ka", "e"],
    given_joiner: "",
};

const POOL_KOREAN: NamePool = NamePool {
    families: &[
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon",
        "Hwang", "Ahn", "Song", "Hong", "Yoo", "Jeon", "Ko", "Moon", "Yang", "Son", "Bae", "Baek", "Heo", "Nam",
        "Shim",
    ],
    family_suffixes: &[],
    compound_share: 0.0,
    givens: &[
        "Jae", "Min", "Seung", "Ji", "Hyun", "Soo", "Young", "Sung", "Dong", "Eun", "Hye", "Jin", "Sang", "Kyung",
        "Hee", "Tae", "Woo",
    ],
    given_suffixes: &["sung", "ji", "hoon", "young", "woo", "jin", "ho", "min", "hee", "su", "won", "kyu", "yeon"],
    given_joiner: "-",
};

const POOL_VIETNAMESE: NamePool = NamePool {
    families: &[
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo",
        "Duong", "Ly", "Trinh", "Dinh",
    ],
    family_suffixes: &[],
    compound_share: 0.0,
    givens: &["Thi", "Van", "Duc", "Minh", "Thanh", "Quoc", "Ngoc", "Hong", "Huu", "Kim"],
    given_suffixes: &[
        "Lan", "Minh", "Anh", "Hoa", "Hung", "Tuan", "Linh", "Huong", "Nam", "Phuong", "Dung", "Trang", "Khoa", "Son",
    ],
    given_joiner: " ",
};

const POOL_SPANISH: NamePool = NamePool {
    families: &[
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Álvarez",
        "Muñoz",
        "Romero",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
        "Ramos",
        "Gil",
        "Ramírez",
        "Serrano",
        "Blanco",
        "Suárez",
        "Molina",
        "Castro",
        "Ortega",
        "Delgado",
        "Rubio",
        "Marín",
        "Sanz",
        "Núñez",
        "Iglesias",
        "Medina",
        "Garrido",
        "Cortés",
        "Castillo",
        "Santos",
        "Lozano",
        "Guerrero",
        "Cano",
        "Prieto",
        "Méndez",
        "Cruz",
        "Calvo",
        "Gallego",
        "Vidal",
        "León",
        "Herrera",
        "Márquez",
        "Peña",
        "Flores",
        "Cabrera",
        "Campos",
        "Vega",
        "Fuentes",
    ],
    family_suffixes: &[],
    compound_share: 0.5,
    givens: &[
        "María",
        "José",
        "Juan",
        "Carlos",
        "Ana",
        "Luis",
        "Javier",
        "Carmen",
        "Lucía",
        "Pablo",
        "Antonio",
        "Manuel",
        "Francisco",
        "David",
        "Laura",
        "Marta",
        "Elena",
        "Sergio",
        "Alberto",
        "Cristina",
        "Raquel",
        "Jorge",
        "Pilar",
        "Isabel",
        "Miguel",
        "Andrés",
        "Rocío",
        "Beatriz",
        "Álvaro",
        "Inés",
    ],
    given_suffixes: &["", "", "", " José", " Luis", " Carmen", " Ángel", " Isabel"],
    given_joiner: "",
};

const POOL_PORTUGUESE: NamePool = NamePool {
    families: &[
        "da Silva",
        "dos Santos",
        "Oliveira",
        "Souza",
        "Pereira",
        "Costa",
        "Ferreira",
        "Almeida",
        "Rodrigues",
        "Carvalho",
        "Gomes",
        "Martins",
        "Araújo",
        "Ribeiro",
        "Lima",
        "Barbosa",
        "Rocha",
        "Dias",
        "Nascimento",
        "Andrade",
        "Moreira",
        "Nunes",
        "Marques",
        "Machado",
        "Mendes",
        "Freitas",
        "Cardoso",
        "Teixeira",
        "Correia",
        "Cavalcanti",
        "Monteiro",
        "Moura",
        "Pinto",
        "Campos",
        "Vieira",
        "Lopes",
    ],
    family_suffixes: &[],
    compound_share: 0.5,
    givens: &[
        "João",
        "Ana",
        "Fernanda",
        "Rafael",
        "Lucas",
        "Mariana",
        "Pedro",
        "Gabriel",
        "Juliana",
        "Bruno",
        "Camila",
        "Thiago",
        "Larissa",
        "Gustavo",
        "Letícia",
        "Felipe",
        "Beatriz",
        "Rodrigo",
        "Patrícia",
        "Marcelo",
    ],
    given_suffixes: &["", "", "", " Paula", " Carlos", " Luiz", " Cristina"],
    given_joiner: "",
};

const POOL_ARABIC: NamePool = NamePool {
    families: &["Al-", "El-", "Abu ", "", "", ""],
    family_suffixes: &[
        "Ahmad", "Rashid", "Harbi", "Qahtani", "Otaibi", "Zahrani", "Ghamdi", "Shehri", "Dosari", "Mutairi", "Hassan",
        "Hussein", "Abdullah", "Mahmoud", "Ibrahim", "Sayed", "Mansour", "Khalil", "Saleh", "Nasser", "Farouk",
        "Haddad", "Masri", "Sharif", "Hamdan", "Khatib", "Najjar", "Tamimi", "Jaber", "Salem", "Amin", "Fattah",
        "Hakim", "Karim", "Shami",
    ],
    compound_share: 0.0,
    givens: &[
        "Mohammed",
        "Ahmed",
        "Fatima",
        "Omar",
        "Layla",
        "Youssef",
        "Hassan",
        "Ali",
        "Khaled",
        "Mona",
        "Nour",
        "Tarek",
        "Amira",
        "Hala",
        "Walid",
        "Samir",
        "Rania",
        "Mahmoud",
        "Yasmin",
        "Ibrahim",
        "Abdulaziz",
        "Salma",
        "Hamza",
        "Noura",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_PERSIAN: NamePool = NamePool {
    families: &[
        "Mohammad", "Hossein", "Ahmad", "Kar", "Rez", "Jafar", "Rahim", "Hashem", "Kazem", "Mir", "Sadegh", "Ghasem",
        "Ebrahim", "Najaf", "Amir", "Akbar", "Nour", "Sharif", "Bagher", "Mousav",
    ],
    family_suffixes: &["i", "zadeh", "ian", "pour", "nejad", "far", "abadi", "vand", "lou"],
    compound_share: 0.0,
    givens: &[
        "Reza", "Zahra", "Ali", "Maryam", "Mehdi", "Fatemeh", "Hamid", "Sara", "Amir", "Neda", "Saeed", "Leila",
        "Majid", "Narges", "Hossein", "Mina", "Behrouz", "Shirin", "Farhad", "Parisa",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_INDIAN: NamePool = NamePool {
    families: &[
        "Kumar",
        "Singh",
        "Sharma",
        "Patel",
        "Gupta",
        "Reddy",
        "Rao",
        "Iyer",
        "Nair",
        "Menon",
        "Das",
        "Bose",
        "Chatterjee",
        "Banerjee",
        "Mukherjee",
        "Joshi",
        "Mehta",
        "Shah",
        "Verma",
        "Mishra",
        "Pandey",
        "Yadav",
        "Jain",
        "Agarwal",
        "Pillai",
        "Krishnan",
        "Subramanian",
        "Naidu",
        "Desai",
        "Kulkarni",
        "Bhat",
        "Chauhan",
        "Khan",
        "Ahmed",
        "Ali",
        "Qureshi",
        "Siddiqui",
        "Malik",
        "Hussain",
        "Chaudhry",
        "Saxena",
        "Srivastava",
        "Tiwari",
        "Dubey",
        "Ghosh",
        "Sen",
        "Dutta",
        "Kapoor",
        "Malhotra",
        "Bhatt",
        "Venkatesh",
        "Raman",
    ],
    family_suffixes: &[],
    compound_share: 0.0,
    givens: &[
        "Priya", "Rahul", "Anil", "Sunita", "Arjun", "Deepa", "Vikram", "Anjali", "Sanjay", "Kavita", "Amit", "Neha",
        "Rajesh", "Pooja", "Suresh", "Lakshmi", "Ravi", "Meena", "Arun", "Divya", "Imran", "Ayesha", "Faisal", "Sana",
        "Kiran", "Manoj", "Swati", "Nikhil", "Shreya", "Gaurav",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_TURKISH: NamePool = NamePool {
    families: &[
        "Kara", "Ak", "Öz", "Yıldız", "Çelik", "Demir", "Kaya", "Aydın", "Arslan", "Doğan", "Şahin", "Koç", "Kurt",
        "Yılmaz", "Erdem", "Güneş", "Tekin", "Polat",
    ],
    family_suffixes: &["", "oğlu", "han", "er", "türk", "kan", "soy", "başı"],
    compound_share: 0.0,
    givens: &[
        "Mehmet", "Ayşe", "Emre", "Elif", "Mustafa", "Zeynep", "Ahmet", "Fatma", "Burak", "Esra", "Murat", "Gülşen",
        "Hakan", "Selin", "Oğuz", "Deniz",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_ENGLISH: NamePool = NamePool {
    families: &[
        "Ash", "Brad", "Bright", "Black", "Wood", "Hart", "Hay", "Chester", "Whit", "Stan", "Thorn", "Fair", "Lang",
        "Brook", "Ald", "Mill", "Kings", "Wind", "Wel", "Red", "Cole", "Hol", "Marsh", "Crane",
    ],
    family_suffixes: &[
        "ton", "ley", "field", "wood", "ford", "well", "man", "worth", "by", "ham", "more", "wick", "stone", "ridge",
    ],
    compound_share: 0.0,
    givens: &[
        "John",
        "Mary",
        "James",
        "Sarah",
        "Michael",
        "Jennifer",
        "David",
        "Emily",
        "Robert",
        "Laura",
        "William",
        "Elizabeth",
        "Richard",
        "Susan",
        "Daniel",
        "Karen",
        "Matthew",
        "Rachel",
        "Andrew",
        "Hannah",
        "Christopher",
        "Jessica",
        "Thomas",
        "Rebecca",
        "Mark",
        "Katherine",
        "Paul",
        "Amanda",
        "Steven",
        "Megan",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_GERMAN: NamePool = NamePool {
    families: &[
        "Berg", "Hoff", "Schmid", "Lind", "Kraus", "Wein", "Rosen", "Stein", "Hart", "Zimmer", "Wald", "Feld", "Eich",
        "Brand", "Kirch", "Hein", "Engel", "Vogel",
    ],
    family_suffixes: &[
        "mann", "er", "hardt", "berger", "feld", "ner", "hofer", "bauer", "meier", "dorf", "huber", "thal",
    ],
    compound_share: 0.0,
    givens: &[
        "Anna", "Peter", "Julia", "Markus", "Katrin", "Stefan", "Thomas", "Sabine", "Andreas", "Claudia", "Michael",
        "Susanne", "Jürgen", "Monika", "Tobias", "Lena", "Florian", "Birgit", "Matthias", "Ute",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_ITALIAN: NamePool = NamePool {
    families: &[
        "Ross", "Bianc", "Ferr", "Espos", "Colomb", "Ricc", "Marin", "Gall", "Cont", "Brun", "Fontan", "Moret",
        "Lombard", "Barbier", "Giordan", "Rinald", "Caruso", "Mancin",
    ],
    family_suffixes: &["i", "o", "etti", "elli", "ini", "one", "ucci", "ato", "ari"],
    compound_share: 0.0,
    givens: &[
        "Giulia",
        "Marco",
        "Francesca",
        "Luca",
        "Alessandro",
        "Chiara",
        "Giuseppe",
        "Valentina",
        "Matteo",
        "Sara",
        "Andrea",
        "Elena",
        "Lorenzo",
        "Federica",
        "Paolo",
        "Silvia",
        "Davide",
        "Martina",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_FRENCH: NamePool = NamePool {
    families: &[
        "Du", "Mar", "Lau", "Ber", "Fon", "Gir", "Mor", "Ro", "Bou", "Cha", "Bel", "Gau", "Mich", "Lam", "Dela",
    ],
    family_suffixes: &["rent", "nard", "taine", "ard", "eau", "chet", "bert", "rand", "vier", "lin", "det", "quet"],
    compound_share: 0.0,
    givens: &[
        "Sophie",
        "Pierre",
        "Camille",
        "Nicolas",
        "Claire",
        "Julien",
        "Marie",
        "Antoine",
        "Céline",
        "François",
        "Isabelle",
        "Mathieu",
        "Aurélie",
        "Olivier",
        "Hélène",
        "Sébastien",
        "Élodie",
        "Guillaume",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_DUTCH: NamePool = NamePool {
    families: &["van ", "de ", "van der ", "van den ", "", ""],
    family_suffixes: &[
        "Berg", "Dijk", "Vries", "Bakker", "Jansen", "Visser", "Meer", "Hout", "Beek", "Bosch", "Wijk", "Leeuw",
        "Veen", "Dam", "Smit", "Mulder", "Linden", "Heuvel", "Brink", "Graaf",
    ],
    compound_share: 0.0,
    givens: &[
        "Jan", "Eva", "Pieter", "Sanne", "Willem", "Lotte", "Bas", "Femke", "Joost", "Marieke", "Hendrik", "Anouk",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_NORDIC: NamePool = NamePool {
    families: &[
        "Anders", "Johan", "Karl", "Nils", "Erik", "Lars", "Ol", "Per", "Sven", "Gustaf", "Peter", "Jon", "Han",
        "Lind", "Berg", "Sjö", "Holm", "Ek", "Dahl", "Sand", "Lund", "Strand",
    ],
    family_suffixes: &["sson", "sen", "qvist", "gren", "ström", "berg", "lund", "dahl", "holm"],
    compound_share: 0.0,
    givens: &[
        "Lars", "Ingrid", "Erik", "Karin", "Anna", "Olof", "Sara", "Magnus", "Maria", "Johan", "Kristin", "Henrik",
        "Sofia", "Anders", "Linnea", "Nils", "Astrid", "Mikael", "Ida", "Jonas",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_SLAVIC: NamePool = NamePool {
    families: &[
        "Kowal", "Now", "Wiśniew", "Iván", "Petr", "Smirn", "Kuzn", "Pop", "Sokol", "Volk", "Novik", "Moroz", "Lebed",
        "Kozl", "Pavl", "Mark", "Jovan", "Horv",
    ],
    family_suffixes: &["ski", "ov", "enko", "ić", "ak", "ek", "in", "ovič", "czyk"],
    compound_share: 0.0,
    givens: &[
        "Piotr",
        "Katarzyna",
        "Tomáš",
        "Olga",
        "Dmitry",
        "Natalia",
        "Ivan",
        "Anna",
        "Marek",
        "Elena",
        "Sergey",
        "Irina",
        "Jakub",
        "Milena",
        "Nikola",
        "Tatiana",
        "Oleksandr",
        "Yulia",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_AFRICAN: NamePool = NamePool {
    families: &[
        "Okafor",
        "Adeyemi",
        "Mensah",
        "Dlamini",
        "Okonkwo",
        "Nwosu",
        "Adebayo",
        "Ogunleye",
        "Boateng",
        "Asante",
        "Owusu",
        "Ndlovu",
        "Nkosi",
        "Mokoena",
        "Khumalo",
        "Eze",
        "Obi",
        "Chukwu",
        "Ibekwe",
        "Adeleke",
        "Oyelaran",
        "Nwachukwu",
        "Mahlangu",
        "Zulu",
        "Botha",
        "Naidoo",
        "Pillay",
        "van Wyk",
        "Osei",
        "Bello",
        "Abubakar",
        "Musa",
    ],
    family_suffixes: &[],
    compound_share: 0.0,
    givens: &[
        "Chinedu",
        "Amara",
        "Kwame",
        "Thandiwe",
        "Ngozi",
        "Oluwaseun",
        "Adaeze",
        "Tunde",
        "Sipho",
        "Nomvula",
        "Emeka",
        "Funmilayo",
        "Kofi",
        "Ama",
        "Themba",
        "Zanele",
        "Ifeoma",
        "Babatunde",
        "Lerato",
        "Yaw",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

const POOL_THAI_MALAY: NamePool = NamePool {
    families: &["Sri", "Chai", "Wong", "Thong", "Suk", "Kaew", "Boon", "Rat", "Pra", "Sombat"],
    family_suffixes: &["sawat", "porn", "chai", "suk", "wong", "thong", "siri", "rak", "kul", "pong"],
    compound_share: 0.0,
    givens: &[
        "Somchai", "Siriporn", "Niran", "Malee", "Anan", "Pranee", "Kittisak", "Wanida", "Ahmad", "Nurul", "Siti",
        "Aziz", "Farah", "Hafiz",
    ],
    given_suffixes: &[],
    given_joiner: "",
};

/// The name pool of the people at institutions of a country (ISO code): who works there most of the time.
fn pool_of_country(code: &str) -> &'static NamePool {
    match code {
        "SE" | "NO" | "DK" => &POOL_NORDIC,
        "DE" => &POOL_GERMAN,
        "FR" => &POOL_FRENCH,
        "ES" | "CL" | "MX" => &POOL_SPANISH,
        "IT" => &POOL_ITALIAN,
        "GB" | "US" | "CA" | "AU" => &POOL_ENGLISH,
        "BR" => &POOL_PORTUGUESE,
        "CN" | "TW" | "SG" => &POOL_CHINESE,
        "JP" => &POOL_JAPANESE,
        "KR" => &POOL_KOREAN,
        "VN" => &POOL_VIETNAMESE,
        "IN" | "PK" => &POOL_INDIAN,
        "IR" => &POOL_PERSIAN,
        "SA" | "EG" | "IQ" => &POOL_ARABIC,
        "TR" => &POOL_TURKISH,
        "NG" | "ZA" => &POOL_AFRICAN,
        "RU" | "PL" | "CZ" | "RS" | "UA" => &POOL_SLAVIC,
        "NL" => &POOL_DUTCH,
        _ => &POOL_THAI_MALAY,
    }
}

/// Every pool, for people who work away from their origin (a quarter of the people at any institution).
const ALL_POOLS: &[&NamePool] = &[
    &POOL_CHINESE,
    &POOL_JAPANESE,
    &POOL_KOREAN,
    &POOL_VIETNAMESE,
    &POOL_SPANISH,
    &POOL_PORTUGUESE,
    &POOL_ARABIC,
    &POOL_PERSIAN,
    &POOL_INDIAN,
    &POOL_TURKISH,
    &POOL_ENGLISH,
    &POOL_GERMAN,
    &POOL_ITALIAN,
    &POOL_FRENCH,
    &POOL_DUTCH,
    &POOL_NORDIC,
    &POOL_SLAVIC,
    &POOL_AFRICAN,
    &POOL_THAI_MALAY,
];

/// Share of the people at an institution whose name comes from another origin than the country's.
const FOREIGN_ORIGIN_SHARE: f64 = 0.25;

impl NamePool {
    fn family(&self, rng: &mut ChaCha8Rng) -> String {
        let one = |rng: &mut ChaCha8Rng| {
            let head = self.families.choose(rng).copied().unwrap_or("Smith");
            if self.family_suffixes.is_empty() {
                head.to_owned()
            } else {
                let tail = self.family_suffixes.choose(rng).copied().unwrap_or("");
                // "Al-" + "Ahmad"; "Yama" + "moto"; "van " + "Dijk".
                format!("{head}{tail}")
            }
        };
        let first = one(rng);
        if self.compound_share > 0.0 && rng.random_bool(self.compound_share) {
            let second = one(rng);
            if second != first {
                return format!("{first} {second}");
            }
        }
        first
    }

    fn given(&self, rng: &mut ChaCha8Rng) -> String {
        let head = self.givens.choose(rng).copied().unwrap_or("Anna");
        match self.given_suffixes.choose(rng) {
            // "Jae-Sung", "Thi Lan"; Chinese syllables join in lower case ("Xiaoming").
            Some(tail) if !tail.is_empty() && self.given_joiner.is_empty() => format!("{head}{tail}"),
            Some(tail) if !tail.is_empty() => format!("{head}{}{}", self.given_joiner, capitalize(tail)),
            _ => head.to_owned(),
        }
    }
}

/// A name for someone working at an institution: mostly of the country's origin, sometimes of any origin.
fn draw_name(rng: &mut ChaCha8Rng, institution: usize) -> (String, String) {
    let pool = if rng.random_bool(FOREIGN_ORIGIN_SHARE) {
        *ALL_POOLS.choose(rng).unwrap_or(&&POOL_ENGLISH)
    } else {
        pool_of_country(INSTITUTIONS[institution % INSTITUTIONS.len()].3)
    };
    (pool.family(rng), pool.given(rng))
}

/// A person on a byline.
#[derive(Debug, Clone)]
struct Person {
    /// The person behind the name (two people can share a name).
    id: u64,
    family: String,
    given: String,
    /// Index into INSTITUTIONS.
    institution: usize,
}

struct Generator {
    works: Vec<Work>,
    path: String,
    /// (family, given) of every researcher, so that no co-author shares a researcher's name.
    used_names: BTreeSet<(String, String)>,
    /// Per work, the person id of each author (the identity truth).
    persons: Vec<Vec<u64>>,
    next_person: u64,
    seed: u64,
    /// The second stream, for ORCID lists only: drawing them leaves the works as they were.
    lists: ChaCha8Rng,
}

/// Mixed into the seed of the ORCID lists' stream.
const ORCID_STREAM: u64 = 0x6f72_6369_645f_6c73;

/// What kind of work a generated work is (decides the truth lists).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Genuine,
    HardOneOff,
    HardAbroad,
    HardTopic,
    /// A one-off work in the new field after a topic change.
    HardOneOffTopic,
    HardNewTeam,
    Planted,
    PlantedBroker,
}

impl Generator {
    fn researcher(&mut self, rng: &mut ChaCha8Rng, config: &AuditCorpusConfig) -> ResearcherTruth {
        let first_work = self.works.len();
        let home = rng.random_range(0..INSTITUTIONS.len());
        // A name no other researcher has, mostly of the home country's origin.
        let (family, given) = loop {
            let (f, g) = draw_name(rng, home);
            if self.used_names.insert((f.clone(), g.clone())) {
                break (f, g);
            }
        };
        let home_country = INSTITUTIONS[home].3;
        let same_country: Vec<usize> =
            (0..INSTITUTIONS.len()).filter(|i| INSTITUTIONS[*i].3 == home_country && *i != home).collect();
        // 1–3 institutions over the career: moves stay in the country 70% of the time.
        let mut institutions = vec![home];
        for _ in 0..rng.random_range(0..=2) {
            let next = if rng.random_bool(0.7) && !same_country.is_empty() {
                *same_country.choose(rng).unwrap_or(&home)
            } else {
                rng.random_range(0..INSTITUTIONS.len())
            };
            institutions.push(next);
        }
        let field = rng.random_range(0..FIELDS.len());
        let second_field = (field + rng.random_range(1..FIELDS.len())) % FIELDS.len();
        let venues: Vec<String> = (0..rng.random_range(3..=5))
            .map(|_| {
                format!(
                    "{} {}",
                    ["Journal of", "Annals of", "Reviews in", "Advances in", "Frontiers in"][rng.random_range(0..5)],
                    capitalize(FIELDS[field].0)
                )
            })
            .collect();
        let start = rng.random_range(1995..=2012);
        let years = rng.random_range(6..=20);
        let author_norm = rng.random_range(3..=8usize);
        let mut network: Vec<Person> = (0..rng.random_range(3..=5)).map(|_| self.stranger(rng, home)).collect();
        let topic_change_year =
            rng.random_bool(config.topic_change_share).then(|| start + rng.random_range(years / 2..years));
        let abroad_year = rng.random_bool(config.abroad_share).then(|| start + rng.random_range(2..years));

        let researcher = Person { id: self.new_person(), family, given, institution: home };
        let mut work_ids: Vec<(String, Kind)> = Vec::new();
        // Network members on the researcher's genuine works: person id → (works, first year, person).
        let mut appearances: BTreeMap<u64, (usize, i32, Person)> = BTreeMap::new();
        // The researcher's affiliation as written on each genuine work, with the year.
        let mut own_affiliations: Vec<(i32, Affiliation)> = Vec::new();
        let stage_institution = |year: i32| {
            let offset = (year - start).clamp(0, years - 1);
            let stage = (offset as usize * institutions.len()) / years as usize;
            institutions[stage.min(institutions.len() - 1)]
        };
        for offset in 0..years {
            let year = start + offset;
            let institution = stage_institution(year);
            // The network grows: 0–2 new collaborators a year, mostly at the current institution's country.
            for _ in 0..rng.random_range(0..=2) {
                let at = if rng.random_bool(0.8) { institution } else { rng.random_range(0..INSTITUTIONS.len()) };
                network.push(self.stranger(rng, at));
            }
            let in_new_field = topic_change_year.is_some_and(|y| year >= y);
            for _ in 0..rng.random_range(1..=8) {
                let n_authors = (author_norm as i64 + rng.random_range(-2..=2)).max(1) as usize;
                let one_off = rng.random_bool(config.genuine_one_off_share);
                let coauthors: Vec<Person> = if one_off {
                    // Strangers from the researcher's institution or country, never seen again.
                    let mut local: Vec<usize> =
                        (0..INSTITUTIONS.len()).filter(|i| INSTITUTIONS[*i].3 == INSTITUTIONS[institution].3).collect();
                    local.push(institution);
                    (1..n_authors.max(3))
                        .map(|_| {
                            let at = *local.choose(rng).unwrap_or(&institution);
                            self.stranger(rng, at)
                        })
                        .collect()
                } else {
                    // Recent collaborators are likelier (the last 8 joined), the core always present.
                    let mut chosen: Vec<Person> = Vec::new();
                    for _ in 1..n_authors {
                        let pick = if rng.random_bool(0.5) && network.len() > 8 {
                            network[network.len() - 1 - rng.random_range(0..8)].clone()
                        } else {
                            network[rng.random_range(0..network.len())].clone()
                        };
                        if !chosen.iter().any(|p| p.family == pick.family && p.given == pick.given) {
                            chosen.push(pick);
                        }
                    }
                    chosen
                };
                let w_field = if in_new_field && rng.random_bool(0.8) { second_field } else { field };
                let me = Person { institution, ..researcher.clone() };
                let venue = if w_field == field && rng.random_bool(ONE_OFF_VENUE_SHARE) {
                    // Researchers also publish once in venues they never use again.
                    field_venue(rng, w_field)
                } else if w_field == field {
                    venues[rng.random_range(0..venues.len())].clone()
                } else {
                    format!("Journal of {}", capitalize(FIELDS[w_field].0))
                };
                if !one_off {
                    for c in &coauthors {
                        appearances.entry(c.id).or_insert_with(|| (0, year, c.clone())).0 += 1;
                    }
                }
                let spec = WorkSpec { year, field: w_field, venue, ..WorkSpec::default() };
                let (id, mine) = self.push(rng, spec, me, coauthors);
                if let Some(a) = mine.and_then(|a| a.affiliations.into_iter().next()) {
                    own_affiliations.push((year, a));
                }
                let topic_changed = in_new_field && w_field == second_field;
                let kind = match (one_off, topic_changed) {
                    (true, true) => Kind::HardOneOffTopic,
                    (true, false) => Kind::HardOneOff,
                    (false, true) => Kind::HardTopic,
                    (false, false) => Kind::Genuine,
                };
                work_ids.push((id, kind));
            }
            // The collaboration abroad: one recurring co-author, new foreign co-authors who recur among these works.
            if abroad_year == Some(year) {
                let foreign: Vec<usize> =
                    (0..INSTITUTIONS.len()).filter(|i| INSTITUTIONS[*i].3 != home_country).collect();
                let host = *foreign.choose(rng).unwrap_or(&0);
                let partners: Vec<Person> = (0..rng.random_range(2..=5))
                    .map(|_| {
                        let at = if rng.random_bool(0.6) { host } else { *foreign.choose(rng).unwrap_or(&host) };
                        self.stranger(rng, at)
                    })
                    .collect();
                let bridge = network[rng.random_range(0..network.len().min(5))].clone();
                // Real groups publish on their own too; the colleague who made the introduction has sometimes
                // worked with them before (a visit, a shared student).
                if rng.random_bool(PARTNER_HISTORY_SHARE) {
                    let with_bridge = rng.random_bool(INTRODUCER_TIED_SHARE).then(|| bridge.clone());
                    self.group_history(rng, &partners, field, year, with_bridge);
                }
                let visiting = rng.random_bool(0.5);
                for k in 0..rng.random_range(1..=3usize) {
                    let mut coauthors = vec![bridge.clone()];
                    coauthors.extend(partners.iter().take(partners.len() - (k % 2)).cloned());
                    let me = Person { institution: if visiting { host } else { institution }, ..researcher.clone() };
                    let id = self.push_work(rng, year + k as i32, field, &venues[0], me, coauthors);
                    work_ids.push((id, Kind::HardAbroad));
                }
            }
        }

        // A genuine new collaboration: the researcher's own new team, no co-author of the record.
        if years >= 3 && rng.random_bool(config.new_team_share) {
            let year = start + rng.random_range(1..years - 1);
            let institution = stage_institution(year);
            let (mut local, mut same_topic, mut again) =
                (rng.random_bool(0.4), rng.random_bool(0.5), rng.random_bool(0.5));
            if !(local || same_topic || again) {
                // At least one trait that tells a new collaboration from a bought slot (see `hard_new_team`).
                match rng.random_range(0..3) {
                    0 => local = true,
                    1 => same_topic = true,
                    _ => again = true,
                }
            }
            let worked: BTreeSet<&str> = institutions.iter().map(|i| INSTITUTIONS[*i].3).collect();
            let places: Vec<usize> = if local {
                // The researcher's institution, or another in the same city.
                let city = INSTITUTIONS[institution].1;
                let mut v: Vec<usize> = (0..INSTITUTIONS.len()).filter(|i| INSTITUTIONS[*i].1 == city).collect();
                v.extend([institution; 3]);
                v
            } else {
                (0..INSTITUTIONS.len()).filter(|i| !worked.contains(INSTITUTIONS[*i].3)).collect()
            };
            let base = *places.choose(rng).unwrap_or(&institution);
            let team: Vec<Person> = (0..rng.random_range(2..=5))
                .map(|_| {
                    let at = if rng.random_bool(0.7) { base } else { *places.choose(rng).unwrap_or(&base) };
                    self.stranger(rng, at)
                })
                .collect();
            let w_field = if same_topic { field } else { second_field_of(rng, field) };
            if rng.random_bool(PARTNER_HISTORY_SHARE) {
                self.group_history(rng, &team, w_field, year, None);
            }
            let works = if again { rng.random_range(2..=3) } else { 1 };
            for k in 0..works {
                let coauthors: Vec<Person> = team.iter().take(team.len() - (k % 2)).cloned().collect();
                // Their own team: usually first or last author.
                let placement = if rng.random_bool(0.7) { Placement::FirstOrLast } else { Placement::Any };
                let spec = WorkSpec {
                    year: year + k as i32,
                    field: w_field,
                    venue: field_venue(rng, w_field),
                    placement,
                    ..WorkSpec::default()
                };
                let me = Person { institution: stage_institution(year + k as i32), ..researcher.clone() };
                let (id, _) = self.push(rng, spec, me, coauthors);
                work_ids.push((id, Kind::HardNewTeam));
            }
        }

        // Planted works: strangers' works (mill customers), and broker forgeries.
        let clean = rng.random_bool(config.clean_share);
        let brokered = !clean && rng.random_bool(config.broker_share);
        // Recurring co-authors of the genuine record: the possible bridges of a broker forgery.
        let bridges: Vec<&(usize, i32, Person)> = appearances.values().filter(|(n, _, _)| *n >= 2).collect();
        let broker_count = if brokered && !bridges.is_empty() { rng.random_range(1..=2usize) } else { 0 };
        let planted_count = if clean {
            0
        } else if broker_count > 0 {
            rng.random_range(0..=2usize)
        } else {
            rng.random_range(config.planted_min..=config.planted_max.max(config.planted_min))
        };
        for _ in 0..broker_count {
            let Some((_, since, bridge)) = bridges.choose(rng).map(|b| (*b).clone()) else { break };
            let year = rng.random_range(since.max(start + 1)..=start + years);
            // Another group, somewhere: 2–5 people at one institution or two of the same country.
            let base = rng.random_range(0..INSTITUTIONS.len());
            let country = INSTITUTIONS[base].3;
            let near: Vec<usize> = (0..INSTITUTIONS.len()).filter(|i| INSTITUTIONS[*i].3 == country).collect();
            let group: Vec<Person> = (0..rng.random_range(2..=5))
                .map(|_| {
                    let at = if rng.random_bool(0.8) { base } else { *near.choose(rng).unwrap_or(&base) };
                    self.stranger(rng, at)
                })
                .collect();
            let group_field = second_field_of(rng, field);
            if rng.random_bool(BROKER_GROUP_HISTORY_SHARE) {
                let tied = rng.random_bool(BROKER_TIED_SHARE).then(|| bridge.clone());
                self.group_history(rng, &group, group_field, year, tied);
            }
            // The researcher's affiliation as written on one of their earlier works (the latest if none).
            let earlier: Vec<&(i32, Affiliation)> = own_affiliations.iter().filter(|(y, _)| *y < year).collect();
            let copied =
                earlier.choose(rng).map(|(_, a)| a.clone()).or_else(|| own_affiliations.last().map(|(_, a)| a.clone()));
            let venue = if rng.random_bool(0.3) {
                venues[rng.random_range(0..venues.len())].clone()
            } else {
                let of = if rng.random_bool(0.5) { group_field } else { field };
                field_venue(rng, of)
            };
            let mut coauthors = group;
            let at = rng.random_range(0..=coauthors.len());
            coauthors.insert(at, bridge);
            let spec = WorkSpec {
                year,
                field,
                adjacent: Some((group_field, rng.random_range(0.3..=0.7))),
                venue,
                placement: Placement::Middle,
                my_affiliation: copied,
            };
            let me = Person { institution: stage_institution(year), ..researcher.clone() };
            let (id, _) = self.push(rng, spec, me, coauthors);
            work_ids.push((id, Kind::PlantedBroker));
        }
        for _ in 0..planted_count {
            let year = start + rng.random_range(1..=years + 1);
            let multi = rng.random_bool(config.planted_multi_country_share);
            let countries = if multi { rng.random_range(3..=6) } else { rng.random_range(1..=2) };
            let mut pool: Vec<usize> = (0..INSTITUTIONS.len()).collect();
            pool.shuffle(rng);
            // One institution per country.
            let mut places: Vec<usize> = Vec::new();
            for i in pool {
                if places.len() == countries {
                    break;
                }
                if !places.iter().any(|p| INSTITUTIONS[*p].3 == INSTITUTIONS[i].3) {
                    places.push(i);
                }
            }
            let coauthors: Vec<Person> =
                (0..rng.random_range(3..=8)).map(|k| self.stranger(rng, places[k % places.len().max(1)])).collect();
            let w_field =
                if rng.random_bool(config.planted_same_field_share) { field } else { second_field_of(rng, field) };
            let institution = if rng.random_bool(config.planted_real_institution_share) {
                *institutions.last().unwrap_or(&home)
            } else {
                places[0]
            };
            // Mills place papers in their own outlets and in legitimate journals of the field alike.
            let venue = if w_field == field && rng.random_bool(0.4) {
                venues[rng.random_range(0..venues.len())].clone()
            } else if rng.random_bool(0.5) {
                field_venue(rng, w_field)
            } else {
                format!(
                    "{} Journal of {} Research",
                    ["International", "Global", "Asian", "American"][rng.random_range(0..4)],
                    capitalize(FIELDS[w_field].0)
                )
            };
            let me = Person { institution, ..researcher.clone() };
            let id = self.push_work(rng, year, w_field, &venue, me, coauthors);
            work_ids.push((id, Kind::Planted));
        }

        let pick = |kinds: &[Kind]| {
            let mut v: Vec<String> =
                work_ids.iter().filter(|(_, k)| kinds.contains(k)).map(|(id, _)| id.clone()).collect();
            v.sort();
            v
        };
        let genuine: BTreeSet<&str> = work_ids
            .iter()
            .filter(|(_, k)| !matches!(k, Kind::Planted | Kind::PlantedBroker))
            .map(|(id, _)| id.as_str())
            .collect();
        let listable: Vec<(i32, Option<String>, Option<String>)> = self.works[first_work..]
            .iter()
            .filter(|w| genuine.contains(w.work_id.as_str()))
            .map(|w| (w.date.as_ref().map_or(start, |d| d.year), w.ids.doi.clone(), w.ids.pmid.clone()))
            .collect();
        let orcid = self.orcid_list(config, &listable, start + years, INSTITUTIONS[stage_institution(start + years)].0);
        let (inst, city, country, _) = INSTITUTIONS[home];
        ResearcherTruth {
            name: format!("{}, {}", researcher.family, researcher.given),
            affiliation: format!("{inst}, {city}, {country}"),
            works: pick(&[
                Kind::Genuine,
                Kind::HardOneOff,
                Kind::HardAbroad,
                Kind::HardTopic,
                Kind::HardOneOffTopic,
                Kind::HardNewTeam,
                Kind::Planted,
                Kind::PlantedBroker,
            ]),
            planted: pick(&[Kind::Planted, Kind::PlantedBroker]),
            planted_stranger: pick(&[Kind::Planted]),
            planted_broker: pick(&[Kind::PlantedBroker]),
            hard_negatives: pick(&[
                Kind::HardOneOff,
                Kind::HardAbroad,
                Kind::HardTopic,
                Kind::HardOneOffTopic,
                Kind::HardNewTeam,
            ]),
            hard_one_off: pick(&[Kind::HardOneOff, Kind::HardOneOffTopic]),
            hard_abroad: pick(&[Kind::HardAbroad]),
            hard_topic_change: pick(&[Kind::HardTopic, Kind::HardOneOffTopic]),
            hard_new_team: pick(&[Kind::HardNewTeam]),
            orcid,
        }
    }

    /// The researcher's ORCID works list, from their genuine works (year, DOI, PMID) and the record's last year
    /// (`present`, the year after the last regular year of the career), drawn from the lists' own stream.
    fn orcid_list(
        &mut self,
        config: &AuditCorpusConfig,
        genuine: &[(i32, Option<String>, Option<String>)],
        present: i32,
        institution: &str,
    ) -> OrcidList {
        let rng = &mut self.lists;
        let draw: f64 = rng.random();
        let state = if draw < config.orcid_maintained_share {
            OrcidListState::Maintained
        } else if draw < config.orcid_maintained_share + config.orcid_stale_share {
            OrcidListState::Stale
        } else if draw < config.orcid_maintained_share + config.orcid_stale_share + config.orcid_empty_share {
            OrcidListState::Empty
        } else {
            OrcidListState::NoRecord
        };
        let (last_modified, coverage) = match state {
            OrcidListState::Empty | OrcidListState::NoRecord => {
                return OrcidList { state, works: Vec::new(), last_modified_year: None };
            }
            OrcidListState::Maintained => {
                let lag = *LIST_LAG_YEARS.choose(rng).unwrap_or(&0);
                (present - lag, 1.0 - rng.random_range(0.0..=LIST_GAP_MAX))
            }
            OrcidListState::Stale => {
                let last = present - rng.random_range(STALE_YEARS_MIN..=STALE_YEARS_MAX);
                let coverage = if rng.random_bool(STALE_PARTIAL_SHARE) {
                    rng.random_range(PARTIAL_COVERAGE.0..=PARTIAL_COVERAGE.1)
                } else {
                    1.0 - rng.random_range(0.0..=LIST_GAP_MAX)
                };
                (last, coverage)
            }
        };
        // Who feeds the list: the researcher, an organisation (Crossref auto-update, the university's system,
        // Europe PMC for works with a PMID only), or both.
        let feed = rng.random_range(0..3u8);
        let own = "the researcher".to_owned();
        let org_for = |rng: &mut ChaCha8Rng, doi: bool| {
            if !doi {
                "Europe PubMed Central".to_owned()
            } else if rng.random_bool(0.7) {
                "Crossref".to_owned()
            } else {
                institution.to_owned()
            }
        };
        let mut works = Vec::new();
        for (year, doi, pmid) in genuine {
            if *year > last_modified || (doi.is_none() && pmid.is_none()) {
                continue;
            }
            // The works of the year the list last changed are often not in it yet.
            let p = if *year == last_modified { coverage * LAST_YEAR_LISTED_SHARE } else { coverage };
            if !rng.random_bool(p.clamp(0.0, 1.0)) {
                continue;
            }
            let sources = match feed {
                0 => vec![(own.clone(), true)],
                1 => vec![(org_for(rng, doi.is_some()), false)],
                _ => {
                    let mut v = vec![(org_for(rng, doi.is_some()), false)];
                    if rng.random_bool(0.5) {
                        v.push((own.clone(), true));
                    }
                    v
                }
            };
            works.push(ListedWork { doi: doi.clone(), pmid: pmid.clone(), sources });
        }
        OrcidList { state, works, last_modified_year: Some(last_modified) }
    }

    /// A group's own works, without the researcher: 1–3 works, each by at least two of its members (and up to
    /// two more strangers of their institutions), around `year`; `with` joins one of them (a tie to the group).
    fn group_history(&mut self, rng: &mut ChaCha8Rng, group: &[Person], field: usize, year: i32, with: Option<Person>) {
        let works = rng.random_range(1..=3usize);
        let tied = rng.random_range(0..works);
        for k in 0..works {
            let size = rng.random_range(2..=group.len().max(2));
            let mut members: Vec<Person> = group.choose_multiple(rng, size).cloned().collect();
            for _ in 0..rng.random_range(0..=2) {
                let at = members.first().map_or(0, |p| p.institution);
                members.push(self.stranger(rng, at));
            }
            if k == tied
                && let Some(p) = &with
            {
                members.push(p.clone());
            }
            members.shuffle(rng);
            let spec = WorkSpec {
                year: year + rng.random_range(-4..=3),
                field,
                venue: field_venue(rng, field),
                ..WorkSpec::default()
            };
            self.push(rng, spec, None, members);
        }
    }

    /// A co-author with a random name that is not a researcher's.
    fn new_person(&mut self) -> u64 {
        self.next_person += 1;
        self.next_person
    }

    fn stranger(&mut self, rng: &mut ChaCha8Rng, institution: usize) -> Person {
        loop {
            let (family, given) = draw_name(rng, institution);
            if !self.used_names.contains(&(family.clone(), given.clone())) {
                return Person { id: self.new_person(), family, given, institution };
            }
        }
    }

    fn push_work(
        &mut self,
        rng: &mut ChaCha8Rng,
        year: i32,
        field: usize,
        venue: &str,
        me: Person,
        coauthors: Vec<Person>,
    ) -> String {
        let spec = WorkSpec { year, field, venue: venue.to_owned(), ..WorkSpec::default() };
        self.push(rng, spec, me, coauthors).0
    }

    /// Writes one work; returns its id and the researcher's authorship as written (`me` is `None` for a work
    /// of other people: a group's own history).
    fn push(
        &mut self,
        rng: &mut ChaCha8Rng,
        spec: WorkSpec,
        me: impl Into<Option<Person>>,
        coauthors: Vec<Person>,
    ) -> (String, Option<Author>) {
        let me: Option<Person> = me.into();
        let (_, words, mesh) = FIELDS[spec.field];
        // A topic-adjacent work draws part of its words from a second field.
        let (other_words, other_mesh, own_share) = match spec.adjacent {
            Some((f, share)) => (FIELDS[f].1, FIELDS[f].2, share),
            None => (words, mesh, 1.0),
        };
        let pick = |rng: &mut ChaCha8Rng| {
            if rng.random_bool(own_share) { words.choose(rng) } else { other_words.choose(rng) }.copied().unwrap_or("x")
        };
        let title_len = rng.random_range(3..=5);
        let mut title_words: Vec<&str> = Vec::with_capacity(title_len + 1);
        while title_words.len() < title_len {
            let w = pick(rng);
            if !title_words.contains(&w) {
                title_words.push(w);
            }
        }
        title_words.push(GENERIC_WORDS.choose(rng).copied().unwrap_or("analysis"));
        title_words.shuffle(rng);
        let abstract_words: Vec<&str> = (0..rng.random_range(25..=45))
            .map(|_| if rng.random_bool(0.6) { pick(rng) } else { GENERIC_WORDS.choose(rng).copied().unwrap_or("x") })
            .collect();
        // Some sources (MEDLINE before 2002, Scopus and WoS exports) give initials only, for the whole byline.
        let initials_only = rng.random_bool(INITIALS_ONLY_SHARE);
        let mut authors: Vec<Author> = coauthors.iter().map(|p| author(p, initials_only)).collect();
        let mut persons: Vec<u64> = coauthors.iter().map(|p| p.id).collect();
        let mut mine = None;
        if let Some(me) = &me {
            let position = match spec.placement {
                Placement::Any => rng.random_range(0..=authors.len()),
                // Neither first nor last (needs two co-authors; else anywhere).
                Placement::Middle if authors.len() >= 2 => rng.random_range(1..authors.len()),
                Placement::Middle => rng.random_range(0..=authors.len()),
                Placement::FirstOrLast => {
                    if rng.random_bool(0.5) {
                        0
                    } else {
                        authors.len()
                    }
                }
            };
            let mut a = author(me, initials_only);
            if let Some(copied) = spec.my_affiliation {
                a.affiliations = vec![copied];
            }
            authors.insert(position, a.clone());
            persons.insert(position, me.id);
            mine = Some(a);
        }
        // Sources that mark a corresponding author mark the first or the last.
        if rng.random_bool(CORRESPONDING_MARKED_SHARE) && !authors.is_empty() {
            let corresponding = if rng.random_bool(0.5) { 0 } else { authors.len() - 1 };
            for (i, a) in authors.iter_mut().enumerate() {
                a.corresponding = Some(i == corresponding);
            }
        }
        self.persons.push(persons);
        let index = self.works.len() as u64;
        let mut work = Work::new(Format::Openalex, &self.path, index);
        work.title = Some(capitalize(&title_words.join(" ")));
        work.abstract_text = Some(abstract_words.join(" "));
        work.date = Some(PubDate::new(spec.year, Some(rng.random_range(1..=12)), None));
        // Identifiers on the same share of every kind of work, so that no kind is told apart by them.
        if rng.random_bool(DOI_SHARE) {
            let prefix = 1000 + byline_model::stable_hash64(spec.venue.as_bytes()) % 9000;
            work.ids.doi = Some(format!("10.{prefix}/byline-audit.{}.{index}", self.seed));
        }
        if rng.random_bool(PMID_SHARE) {
            work.ids.pmid = Some((20_000_000 + index).to_string());
        }
        work.venue = Venue { title: Some(spec.venue.clone()), ..Venue::default() };
        let mut terms: Vec<&str> = mesh.choose_multiple(rng, 2).copied().collect();
        if spec.adjacent.is_some()
            && let Some(m) = other_mesh.choose(rng)
            && !terms.contains(m)
        {
            terms.pop();
            terms.push(m);
        }
        work.mesh = terms.into_iter().map(str::to_owned).collect();
        work.publication_types = vec!["Journal Article".to_owned()];
        work.authors = authors;
        let id = work.work_id.clone();
        self.works.push(work);
        (id, mine)
    }
}

/// How a work is drawn (see [`Generator::push`]).
struct WorkSpec {
    year: i32,
    field: usize,
    /// A second field and the share of words from `field` (a topic-adjacent work).
    adjacent: Option<(usize, f64)>,
    venue: String,
    placement: Placement,
    /// The researcher's affiliation as copied from another work (a forgery), else their own.
    my_affiliation: Option<Affiliation>,
}

impl Default for WorkSpec {
    fn default() -> WorkSpec {
        WorkSpec {
            year: 2000,
            field: 0,
            adjacent: None,
            venue: String::new(),
            placement: Placement::Any,
            my_affiliation: None,
        }
    }
}

/// Where the researcher sits on the byline.
#[derive(Clone, Copy)]
enum Placement {
    Any,
    Middle,
    FirstOrLast,
}

/// Share of works whose source marks a corresponding author (OpenAlex `is_corresponding`, Crossref and JATS
/// often do; MEDLINE does not).
const CORRESPONDING_MARKED_SHARE: f64 = 0.6;
/// Share of works with a DOI and with a PMID, the same for every kind of work.
const DOI_SHARE: f64 = 0.9;
const PMID_SHARE: f64 = 0.5;

fn second_field_of(rng: &mut ChaCha8Rng, field: usize) -> usize {
    (field + rng.random_range(1..FIELDS.len())) % FIELDS.len()
}

/// Share of collaborating groups (a collaboration abroad, a new team) that also publish without the researcher
/// in the corpus: real groups do; a half leaves the other half looking like the strangers of a one-off.
const PARTNER_HISTORY_SHARE: f64 = 0.5;
/// Share of collaborations abroad whose introducer (the recurring co-author) has published with the group
/// before.
const INTRODUCER_TIED_SHARE: f64 = 0.5;
/// Share of broker forgeries whose group publishes elsewhere without the researcher: research-security offices
/// describe slots sold on real groups' papers; the rest are mill-made groups with no record of their own.
const BROKER_GROUP_HISTORY_SHARE: f64 = 0.7;
/// Share of broker forgeries whose bridge has published with the group before (a broker who sold them slots
/// earlier): the bridge signal cannot see these.
const BROKER_TIED_SHARE: f64 = 0.15;
/// Share of works whose byline gives initials only ("Kim JS").
const INITIALS_ONLY_SHARE: f64 = 0.1;
/// Share of a researcher's genuine works in a venue of their field that they use only once.
const ONE_OFF_VENUE_SHARE: f64 = 0.15;
/// A maintained or stopped ORCID list misses a share of the genuine works it could hold, drawn per researcher
/// uniformly up to this (works ORCID did not group with their DOI, works never claimed).
const LIST_GAP_MAX: f64 = 0.3;
/// Years between a maintained list's last change and the record's last year (lists lag behind).
const LIST_LAG_YEARS: &[i32] = &[0, 0, 1, 1, 2];
/// Works of the year a list last changed are listed at this share of its coverage (added the next year).
const LAST_YEAR_LISTED_SHARE: f64 = 0.5;
/// A stale list last changed this many years before the record's last year …
const STALE_YEARS_MIN: i32 = 3;
const STALE_YEARS_MAX: i32 = 10;
/// … and half of stale lists were a one-off partial import, holding this share of the works before it.
const STALE_PARTIAL_SHARE: f64 = 0.5;
const PARTIAL_COVERAGE: (f64, f64) = (0.05, 0.4);

/// A venue of a field, from a pool of eight per field.
fn field_venue(rng: &mut ChaCha8Rng, field: usize) -> String {
    const PREFIXES: &[&str] = &[
        "Journal of",
        "Annals of",
        "Reviews in",
        "Advances in",
        "Frontiers in",
        "Current",
        "European Journal of",
        "BMC",
    ];
    format!("{} {}", PREFIXES.choose(rng).copied().unwrap_or("Journal of"), capitalize(FIELDS[field].0))
}

/// "Jae-Sung" → "JS", "María José" → "MJ".
fn initials_of(given: &str) -> String {
    given.split([' ', '-']).filter_map(|p| p.chars().next()).flat_map(char::to_uppercase).collect()
}

/// A person's authorship: their department at an institution is the same on every work (people write their
/// affiliation the same way from paper to paper, so an identical string is no evidence by itself).
fn author(p: &Person, initials_only: bool) -> Author {
    let (inst, city, country, code) = INSTITUTIONS[p.institution % INSTITUTIONS.len()];
    let dept = DEPARTMENTS[(p.id as usize).wrapping_mul(31).wrapping_add(p.institution) % DEPARTMENTS.len()];
    let given = if initials_only { initials_of(&p.given) } else { p.given.clone() };
    Author {
        raw_name: if initials_only { format!("{} {given}", p.family) } else { format!("{given} {}", p.family) },
        initials: Some(initials_of(&p.given)),
        given: Some(given),
        family: Some(p.family.to_owned()),
        affiliations: vec![Affiliation {
            raw: format!("{dept}, {inst}, {city}, {country}"),
            institution: Some(inst.to_owned()),
            city: Some(city.to_owned()),
            country: Some(country.to_owned()),
            country_code: Some(code.to_owned()),
            ..Affiliation::default()
        }],
        ..Author::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus_and_truth_is_consistent() {
        let config = AuditCorpusConfig { researchers: 20, ..AuditCorpusConfig::default() };
        let a = generate_audit_corpus(&config);
        let b = generate_audit_corpus(&config);
        assert_eq!(a.works, b.works);
        let ids: BTreeSet<&str> = a.works.iter().map(|w| w.work_id.as_str()).collect();
        assert_eq!(ids.len(), a.works.len(), "work ids are unique");
        for r in &a.researchers {
            assert!(r.planted.iter().all(|p| r.works.contains(p) && ids.contains(p.as_str())));
            assert!(r.hard_negatives.iter().all(|h| !r.planted.contains(h)));
        }
        assert!(a.researchers.iter().any(|r| r.planted.is_empty()));
        assert!(a.researchers.iter().any(|r| !r.planted.is_empty()));
    }

    #[test]
    fn planted_works_carry_the_researchers_name() {
        let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 10, ..AuditCorpusConfig::default() });
        let by_id: std::collections::BTreeMap<&str, &Work> =
            corpus.works.iter().map(|w| (w.work_id.as_str(), w)).collect();
        for r in &corpus.researchers {
            let (family, given) = r.name.split_once(", ").unwrap_or_default();
            for p in &r.planted {
                let Some(w) = by_id.get(p.as_str()) else { continue };
                assert!(w.authors.iter().any(|a| a.family.as_deref() == Some(family)
                    && (a.given.as_deref() == Some(given) || a.given.as_deref() == Some(&initials_of(given)))));
            }
        }
    }

    fn researcher_position(w: &Work, r: &ResearcherTruth) -> Option<usize> {
        let (family, _) = r.name.split_once(", ")?;
        w.authors.iter().position(|a| a.family.as_deref() == Some(family))
    }

    #[test]
    fn broker_forgeries_hide_behind_one_recurring_coauthor_and_copy_an_affiliation() {
        let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 80, ..AuditCorpusConfig::default() });
        let by_id: std::collections::BTreeMap<&str, usize> =
            corpus.works.iter().enumerate().map(|(i, w)| (w.work_id.as_str(), i)).collect();
        let mut brokers = 0;
        for r in &corpus.researchers {
            let genuine: Vec<usize> = r
                .works
                .iter()
                .filter(|id| !r.planted.contains(id))
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            let person_of = |i: usize| corpus.persons[i].clone();
            let me = genuine.first().and_then(|i| researcher_position(&corpus.works[*i], r).map(|p| person_of(*i)[p]));
            for id in &r.planted_broker {
                let Some(&i) = by_id.get(id.as_str()) else { panic!("planted work missing") };
                let w = &corpus.works[i];
                brokers += 1;
                // The researcher sits in the middle of the byline.
                let pos = researcher_position(w, r).expect("researcher on the byline");
                assert!(pos > 0 && pos + 1 < w.authors.len(), "position {pos} of {}", w.authors.len());
                // Exactly one co-author is on the researcher's genuine works, on two of them at least.
                let recurring: Vec<u64> = person_of(i)
                    .into_iter()
                    .filter(|p| Some(*p) != me)
                    .filter(|p| genuine.iter().filter(|g| corpus.persons[**g].contains(p)).count() >= 2)
                    .collect();
                assert_eq!(recurring.len(), 1, "{id}");
                // The affiliation is a string the researcher wrote on a genuine work.
                let raw = &w.authors[pos].affiliations[0].raw;
                assert!(genuine.iter().any(|g| {
                    researcher_position(&corpus.works[*g], r)
                        .is_some_and(|p| &corpus.works[*g].authors[p].affiliations[0].raw == raw)
                }));
            }
            // A new team shares no co-author with the rest of the record.
            for id in &r.hard_new_team {
                let Some(&i) = by_id.get(id.as_str()) else { panic!("new-team work missing") };
                let others: Vec<usize> =
                    genuine.iter().copied().filter(|g| !r.hard_new_team.contains(&corpus.works[*g].work_id)).collect();
                for p in person_of(i).into_iter().filter(|p| Some(*p) != me) {
                    assert!(others.iter().all(|g| !corpus.persons[*g].contains(&p)), "{id}");
                }
            }
        }
        assert!(brokers >= 10, "{brokers} broker forgeries");
        assert!(corpus.researchers.iter().filter(|r| !r.hard_new_team.is_empty()).count() >= 20);
    }

    #[test]
    fn orcid_lists_hold_genuine_works_only_and_leave_the_corpus_as_it_was() {
        let config = AuditCorpusConfig { researchers: 150, seed: 5, ..AuditCorpusConfig::default() };
        let corpus = generate_audit_corpus(&config);
        // The lists come from their own stream: with no list at all, the works are the same.
        let no_lists = AuditCorpusConfig {
            orcid_maintained_share: 0.0,
            orcid_stale_share: 0.0,
            orcid_empty_share: 0.0,
            ..config.clone()
        };
        let bare = generate_audit_corpus(&no_lists);
        assert_eq!(bare.works, corpus.works);
        assert!(bare.researchers.iter().all(|r| r.orcid.state == OrcidListState::NoRecord));
        let by_id: BTreeMap<&str, &Work> = corpus.works.iter().map(|w| (w.work_id.as_str(), w)).collect();
        let mut states = BTreeMap::new();
        for r in &corpus.researchers {
            *states.entry(r.orcid.state).or_insert(0usize) += 1;
            let listed = |w: &Work| {
                r.orcid
                    .works
                    .iter()
                    .any(|l| (l.doi.is_some() && l.doi == w.ids.doi) || (l.pmid.is_some() && l.pmid == w.ids.pmid))
            };
            for id in &r.planted {
                assert!(by_id.get(id.as_str()).is_some_and(|w| !listed(w)), "planted {id} listed");
            }
            let genuine: Vec<&Work> = r
                .works
                .iter()
                .filter(|id| !r.planted.contains(id))
                .filter_map(|id| by_id.get(id.as_str()))
                .copied()
                .collect();
            let year = |w: &Work| w.date.as_ref().map_or(0, |d| d.year);
            match r.orcid.state {
                OrcidListState::Empty | OrcidListState::NoRecord => assert!(r.orcid.works.is_empty()),
                _ => {
                    let last = r.orcid.last_modified_year.expect("a list that changed has a date");
                    assert!(genuine.iter().filter(|w| year(w) > last).all(|w| !listed(w)), "listed after its change");
                    assert_eq!(r.orcid.works.len(), genuine.iter().filter(|w| listed(w)).count());
                }
            }
            if r.orcid.state == OrcidListState::Maintained {
                // Most of what a maintained list could hold before its last year is in it.
                let before: Vec<&&Work> = genuine
                    .iter()
                    .filter(|w| r.orcid.last_modified_year.is_some_and(|y| year(w) < y))
                    .filter(|w| w.ids.doi.is_some() || w.ids.pmid.is_some())
                    .collect();
                let held = before.iter().filter(|w| listed(w)).count();
                assert!(before.len() < 5 || held * 2 >= before.len(), "{held} of {}", before.len());
            }
        }
        assert!(states.len() == 4 && states.values().all(|n| *n >= 10), "{states:?}");
        // Who added the works: the researcher on some lists, organisations on others.
        let sources: BTreeSet<bool> = corpus
            .researchers
            .iter()
            .flat_map(|r| &r.orcid.works)
            .flat_map(|l| l.sources.iter().map(|s| s.1))
            .collect();
        assert_eq!(sources.len(), 2);
    }

    #[test]
    fn planted_and_genuine_works_carry_identifiers_and_corresponding_marks_alike() {
        let corpus = generate_audit_corpus(&AuditCorpusConfig { researchers: 150, ..AuditCorpusConfig::default() });
        let planted: BTreeSet<&str> =
            corpus.researchers.iter().flat_map(|r| r.planted.iter().map(String::as_str)).collect();
        let share = |planted_side: bool, f: &dyn Fn(&Work) -> bool| {
            let side: Vec<&Work> =
                corpus.works.iter().filter(|w| planted.contains(w.work_id.as_str()) == planted_side).collect();
            side.iter().filter(|w| f(w)).count() as f64 / side.len().max(1) as f64
        };
        type Check<'a> = (&'a str, &'a dyn Fn(&Work) -> bool);
        let checks: [Check; 3] = [
            ("doi", &|w| w.ids.doi.is_some()),
            ("pmid", &|w| w.ids.pmid.is_some()),
            ("corresponding", &|w| w.authors.iter().any(|a| a.corresponding.is_some())),
        ];
        for (name, f) in checks {
            let (p, g) = (share(true, f), share(false, f));
            assert!((p - g).abs() < 0.1, "{name}: planted {p:.2}, genuine {g:.2}");
        }
    }
}
