//! Researcher records with planted unintended works, for the audit benchmark.
//!
//! Each synthetic researcher has a genuine record: a career of 6–20 years at 1–3 institutions, a co-author
//! network that starts with a small lab and grows (new collaborators join on some works and then recur), a
//! field with its own vocabulary and venues, and a personal norm for author counts. Genuine records also hold
//! the cases that make the audit hard, marked as hard negatives:
//! - *one-off* genuine works whose co-authors never recur (an invited review, a consortium paper);
//! - a genuine *collaboration abroad*: 1–3 works with new foreign co-authors and one recurring co-author,
//!   sometimes written from a visiting institution;
//! - a genuine *topic change*: from some year on, works in a second field, with the same network.
//!
//! Planted works carry the researcher's name with co-authors who appear nowhere else in the record, usually
//! from several countries (Abalkina 2023), often in another field, with the researcher's real institution in
//! half of the cases and a foreign one in the other half. About half of the researchers are clean (no planted
//! work). Everything is drawn from a seeded ChaCha8 RNG: same config, same corpus.

use std::collections::BTreeSet;

use byline_model::{Affiliation, Author, Format, PubDate, Venue, Work};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

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
    /// The planted (unintended) works, sorted.
    pub planted: Vec<String>,
    /// Genuine works that are hard cases (one-off, abroad, topic change), sorted.
    pub hard_negatives: Vec<String>,
}

/// The generated corpus and its ground truth.
#[derive(Debug, Clone)]
pub struct AuditCorpus {
    pub works: Vec<Work>,
    pub researchers: Vec<ResearcherTruth>,
}

/// Generates the corpus.
pub fn generate_audit_corpus(config: &AuditCorpusConfig) -> AuditCorpus {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut state =
        Generator { works: Vec::new(), path: format!("synthetic/audit-{}", config.seed), used_names: BTreeSet::new() };
    let mut researchers = Vec::with_capacity(config.researchers);
    for _ in 0..config.researchers {
        researchers.push(state.researcher(&mut rng, config));
    }
    AuditCorpus { works: state.works, researchers }
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

const FAMILY_NAMES: &[&str] = &[
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Gao",
    "Luo",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Hoang",
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
    "da Silva",
    "dos Santos",
    "Oliveira",
    "Souza",
    "Pereira",
    "Costa",
    "Ferreira",
    "Almeida",
    "Al-Ahmad",
    "Al-Rashid",
    "Hassan",
    "Hussein",
    "Abdullah",
    "Mahmoud",
    "Ibrahim",
    "El-Sayed",
    "Mohammadi",
    "Hosseini",
    "Ahmadi",
    "Karimi",
    "Rezaei",
    "Kumar",
    "Singh",
    "Sharma",
    "Patel",
    "Gupta",
    "Reddy",
    "Khan",
    "Ahmed",
    "Ali",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "White",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Dubois",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Petit",
    "Bernard",
    "van der Berg",
    "de Vries",
    "van Dijk",
    "Bakker",
    "Jansen",
    "Visser",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Hansen",
    "Nielsen",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Novák",
    "Ivanov",
    "Petrov",
    "Smirnov",
    "Kovalenko",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Dlamini",
];

const GIVEN_NAMES: &[&str] = &[
    "Wei",
    "Jing",
    "Li",
    "Min",
    "Yan",
    "Hui",
    "Xiaoming",
    "Jian",
    "Lei",
    "Ying",
    "Hao",
    "Yu",
    "Fang",
    "Tao",
    "Hiroshi",
    "Takashi",
    "Yuki",
    "Kenji",
    "Akio",
    "Naoko",
    "Satoshi",
    "Haruka",
    "Jae-Sung",
    "Min-Ji",
    "Seung-Hoon",
    "Ji-Young",
    "Hyun-Woo",
    "Soo-Jin",
    "Thi Lan",
    "Van Minh",
    "Thanh",
    "Duc",
    "Maria",
    "José",
    "Juan",
    "Carlos",
    "Ana",
    "Luis",
    "Javier",
    "Carmen",
    "Lucía",
    "Pablo",
    "María José",
    "Juan Carlos",
    "João",
    "Ana Paula",
    "Fernanda",
    "Rafael",
    "Mohammed",
    "Ahmed",
    "Fatima",
    "Omar",
    "Layla",
    "Youssef",
    "Hassan",
    "Reza",
    "Zahra",
    "Ali",
    "Maryam",
    "Priya",
    "Rahul",
    "Anil",
    "Sunita",
    "Arjun",
    "Deepa",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Elif",
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
    "Thomas",
    "Anna",
    "Peter",
    "Julia",
    "Markus",
    "Katrin",
    "Stefan",
    "Giulia",
    "Marco",
    "Francesca",
    "Luca",
    "Sophie",
    "Pierre",
    "Camille",
    "Nicolas",
    "Claire",
    "Jan",
    "Eva",
    "Lars",
    "Ingrid",
    "Erik",
    "Karin",
    "Piotr",
    "Katarzyna",
    "Tomáš",
    "Olga",
    "Dmitry",
    "Natalia",
    "Chinedu",
    "Amara",
    "Kwame",
    "Thandiwe",
];

/// A person on a byline.
#[derive(Debug, Clone)]
struct Person {
    family: &'static str,
    given: &'static str,
    /// Index into INSTITUTIONS.
    institution: usize,
}

struct Generator {
    works: Vec<Work>,
    path: String,
    /// (family, given) of every researcher, so that no co-author shares a researcher's name.
    used_names: BTreeSet<(&'static str, &'static str)>,
}

/// What kind of work a generated work is (decides the truth lists).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Genuine,
    HardNegative,
    Planted,
}

impl Generator {
    fn researcher(&mut self, rng: &mut ChaCha8Rng, config: &AuditCorpusConfig) -> ResearcherTruth {
        // A name no other researcher has.
        let (family, given) = loop {
            let f = *FAMILY_NAMES.choose(rng).unwrap_or(&"Smith");
            let g = *GIVEN_NAMES.choose(rng).unwrap_or(&"Anna");
            if self.used_names.insert((f, g)) {
                break (f, g);
            }
        };
        let home = rng.random_range(0..INSTITUTIONS.len());
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

        let researcher = Person { family, given, institution: home };
        let mut work_ids: Vec<(String, Kind)> = Vec::new();
        for offset in 0..years {
            let year = start + offset;
            let stage = (offset as usize * institutions.len()) / years as usize;
            let institution = institutions[stage.min(institutions.len() - 1)];
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
                let venue = if w_field == field {
                    venues[rng.random_range(0..venues.len())].clone()
                } else {
                    format!("Journal of {}", capitalize(FIELDS[w_field].0))
                };
                let id = self.push_work(rng, year, w_field, &venue, me, coauthors);
                let kind = if one_off || (in_new_field && w_field == second_field) {
                    Kind::HardNegative
                } else {
                    Kind::Genuine
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
                let visiting = rng.random_bool(0.5);
                for k in 0..rng.random_range(1..=3usize) {
                    let mut coauthors = vec![network[rng.random_range(0..network.len().min(5))].clone()];
                    coauthors.extend(partners.iter().take(partners.len() - (k % 2)).cloned());
                    let me = Person { institution: if visiting { host } else { institution }, ..researcher.clone() };
                    let id = self.push_work(rng, year + k as i32, field, &venues[0], me, coauthors);
                    work_ids.push((id, Kind::HardNegative));
                }
            }
        }

        // Planted works.
        let planted_count = if rng.random_bool(config.clean_share) {
            0
        } else {
            rng.random_range(config.planted_min..=config.planted_max.max(config.planted_min))
        };
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
            let venue = format!("International Journal of {} Research", capitalize(FIELDS[w_field].0));
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
        let (inst, city, country, _) = INSTITUTIONS[home];
        ResearcherTruth {
            name: format!("{family}, {given}"),
            affiliation: format!("{inst}, {city}, {country}"),
            works: pick(&[Kind::Genuine, Kind::HardNegative, Kind::Planted]),
            planted: pick(&[Kind::Planted]),
            hard_negatives: pick(&[Kind::HardNegative]),
        }
    }

    /// A co-author with a random name that is not a researcher's.
    fn stranger(&self, rng: &mut ChaCha8Rng, institution: usize) -> Person {
        loop {
            let family = *FAMILY_NAMES.choose(rng).unwrap_or(&"Smith");
            let given = *GIVEN_NAMES.choose(rng).unwrap_or(&"John");
            if !self.used_names.contains(&(family, given)) {
                return Person { family, given, institution };
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
        let (_, words, mesh) = FIELDS[field];
        let title_len = rng.random_range(3..=5);
        let mut title_words: Vec<&str> = words.choose_multiple(rng, title_len).copied().collect();
        title_words.push(GENERIC_WORDS.choose(rng).copied().unwrap_or("analysis"));
        title_words.shuffle(rng);
        let abstract_words: Vec<&str> = (0..rng.random_range(25..=45))
            .map(|_| {
                if rng.random_bool(0.6) {
                    words.choose(rng).copied().unwrap_or("x")
                } else {
                    GENERIC_WORDS.choose(rng).copied().unwrap_or("x")
                }
            })
            .collect();
        let mut authors: Vec<Author> = coauthors.iter().map(|p| author(p, rng)).collect();
        let position = rng.random_range(0..=authors.len());
        authors.insert(position, author(&me, rng));
        let mut work = Work::new(Format::Openalex, &self.path, self.works.len() as u64);
        work.title = Some(capitalize(&title_words.join(" ")));
        work.abstract_text = Some(abstract_words.join(" "));
        work.date = Some(PubDate::new(year, Some(rng.random_range(1..=12)), None));
        work.venue = Venue { title: Some(venue.to_owned()), ..Venue::default() };
        work.mesh = mesh.choose_multiple(rng, 2).map(|m| (*m).to_owned()).collect();
        work.publication_types = vec!["Journal Article".to_owned()];
        work.authors = authors;
        let id = work.work_id.clone();
        self.works.push(work);
        id
    }
}

fn second_field_of(rng: &mut ChaCha8Rng, field: usize) -> usize {
    (field + rng.random_range(1..FIELDS.len())) % FIELDS.len()
}

fn author(p: &Person, rng: &mut ChaCha8Rng) -> Author {
    let (inst, city, country, code) = INSTITUTIONS[p.institution % INSTITUTIONS.len()];
    let dept = DEPARTMENTS.choose(rng).copied().unwrap_or("Department of Medicine");
    Author {
        raw_name: format!("{} {}", p.given, p.family),
        given: Some(p.given.to_owned()),
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

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
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
                assert!(
                    w.authors.iter().any(|a| a.family.as_deref() == Some(family) && a.given.as_deref() == Some(given))
                );
            }
        }
    }
}
