//! A realistic base corpus: labs of people at institutions in many countries, publishing on topics, with
//! author counts, name origins, abstracts, MeSH, grants and references drawn from plausible distributions.
//!
//! Distributions (documented in `datasets/README.md`): authors per work ~ 1 + geometric-ish with median ≈ 5
//! and a long tail to 40 (PubMed 2020 median is 5–6); affiliations per author 1 (85%) or 2; abstract length
//! 120–320 words; 3–10 MeSH terms; 0–3 grants; 5–40 references. Name origins cover English, Chinese, Japanese,
//! Korean, Spanish (compound surnames), Vietnamese (with diacritics), Arabic and Russian romanizations,
//! German and Indian names.

use byline_model::{Affiliation, Author, Format, Funding, PubDate, Reference, Venue, Work};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// (origin, given names, family names). Realistic diversity matters: real given names are far more varied
/// than family names (a few Chinese and Korean family names cover most people), so given names are built from
/// syllables where the culture does so, and family lists follow the most common names of each origin.
pub const NAME_POOLS: &[(&str, &[&str], &[&str])] = &[
    (
        "english",
        &[
            "James", "Mary", "Robert", "Linda", "Michael", "Sarah", "David", "Emily", "Thomas", "Laura", "Oliver",
            "Grace", "Henry", "Chloe", "Samuel", "Hannah", "Daniel", "Rachel", "Peter", "Alice", "George", "Fiona",
            "Edward", "Megan", "Patrick", "Ruth", "Simon", "Claire", "Martin", "Joanna",
        ],
        &[
            "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke", "Evans", "Walker", "Wright", "Hughes",
            "Roberts", "Green", "Hall", "Wood", "Jackson", "Harris", "Turner", "Cooper", "Morris", "Baker", "Kelly",
            "Murphy", "Bennett", "Palmer", "Fletcher", "Reid", "Barnes", "Fox", "Hunt", "Lloyd",
        ],
    ),
    (
        "chinese",
        &["@zh"],
        &[
            "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
            "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao",
            "Peng", "Zeng",
        ],
    ),
    (
        "japanese",
        &[
            "Hiroshi", "Yuki", "Takashi", "Akiko", "Kenji", "Naoko", "Satoshi", "Haruka", "Daisuke", "Emi", "Kazuki",
            "Mai", "Shota", "Ayumi", "Ryota", "Misaki", "Yusuke", "Kaori", "Tomohiro", "Sayaka", "Hideki", "Noriko",
            "Masato", "Yoko", "Kohei", "Rie", "Shinji", "Aya", "Tetsuya", "Mika",
        ],
        &[
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Saito",
            "Kato",
            "Yoshida",
            "Yamada",
            "Sasaki",
            "Yamaguchi",
            "Matsumoto",
            "Inoue",
            "Kimura",
            "Hayashi",
            "Shimizu",
            "Yamazaki",
            "Mori",
            "Abe",
            "Ikeda",
            "Hashimoto",
            "Ishikawa",
            "Ogawa",
            "Fujita",
            "Okada",
            "Goto",
        ],
    ),
    (
        "korean",
        &["@ko"],
        &[
            "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
            "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong",
        ],
    ),
    (
        "spanish",
        &[
            "José",
            "María",
            "Juan",
            "Carmen",
            "Javier",
            "Lucía",
            "Alejandro",
            "Elena",
            "Pablo",
            "Sofía",
            "Miguel",
            "Isabel",
            "Diego",
            "Marta",
            "Andrés",
            "Pilar",
            "Sergio",
            "Rosa",
            "Fernando",
            "Beatriz",
            "Raúl",
            "Inés",
            "Álvaro",
            "Nuria",
            "Jorge",
            "Cristina",
            "Ignacio",
            "Laura",
            "Tomás",
            "Teresa",
        ],
        &[
            "García López",
            "Fernández",
            "Martínez Ruiz",
            "Sánchez",
            "Pérez Gómez",
            "Rodríguez",
            "de la Fuente",
            "Hernández",
            "Díaz Moreno",
            "Álvarez",
            "Romero",
            "Navarro",
            "Torres Vidal",
            "Domínguez",
            "Vázquez",
            "Ramos",
            "Gil",
            "Serrano Pardo",
            "Blanco",
            "Molina",
            "Morales",
            "Ortega",
            "Delgado",
            "Castro",
            "Ortiz Rubio",
            "Marín",
            "Sanz",
            "Iglesias",
            "Medina",
            "Garrido",
        ],
    ),
    (
        "vietnamese",
        &["@vi"],
        &[
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Hồ", "Phan",
            "Võ", "Huỳnh", "Trương", "Đinh", "Lâm", "Mai",
        ],
    ),
    (
        "arabic",
        &[
            "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla", "Khalid", "Noor", "Yousef", "Mariam", "Hassan",
            "Salma", "Tariq", "Hala", "Karim", "Rania", "Samir", "Dina", "Walid", "Nadia", "Faisal", "Huda", "Majid",
            "Lina", "Bilal", "Amal", "Ziad", "Reem", "Nabil", "Yasmin",
        ],
        &[
            "Al-Rashid",
            "El-Sayed",
            "Haddad",
            "Abdullah",
            "Al-Mansouri",
            "Khalil",
            "Nasser",
            "Ibrahim",
            "Hassan",
            "Al-Farsi",
            "Mahmoud",
            "Saleh",
            "Al-Qahtani",
            "Darwish",
            "Aziz",
            "Mansour",
            "Al-Harbi",
            "Youssef",
            "Bakr",
            "Farouk",
            "Al-Otaibi",
            "Hamdan",
            "Qasim",
            "Sabbagh",
            "Nassar",
            "Al-Zahrani",
            "Barakat",
            "Suleiman",
            "Karam",
            "Shalaby",
        ],
    ),
    (
        "russian",
        &[
            "Ivan",
            "Olga",
            "Dmitry",
            "Natalia",
            "Sergey",
            "Elena",
            "Alexei",
            "Tatiana",
            "Mikhail",
            "Irina",
            "Andrei",
            "Svetlana",
            "Nikolai",
            "Anna",
            "Pavel",
            "Yulia",
            "Vladimir",
            "Ekaterina",
            "Roman",
            "Marina",
            "Maxim",
            "Oksana",
            "Igor",
            "Galina",
            "Artem",
            "Daria",
            "Yuri",
            "Ksenia",
            "Viktor",
            "Polina",
        ],
        &[
            "Ivanov",
            "Smirnova",
            "Kuznetsov",
            "Popova",
            "Sokolov",
            "Lebedeva",
            "Kozlov",
            "Novikova",
            "Morozov",
            "Volkova",
            "Petrov",
            "Vasilieva",
            "Zaitsev",
            "Pavlova",
            "Semenov",
            "Golubeva",
            "Vinogradov",
            "Bogdanova",
            "Vorobiev",
            "Fedorova",
            "Mikhailov",
            "Belyaeva",
            "Tarasov",
            "Belova",
            "Komarov",
            "Orlova",
            "Kiselev",
            "Makarova",
            "Andreev",
            "Zakharova",
        ],
    ),
    (
        "german",
        &[
            "Jürgen",
            "Anna",
            "Stefan",
            "Katrin",
            "Matthias",
            "Julia",
            "Andreas",
            "Sabine",
            "Tobias",
            "Lena",
            "Florian",
            "Miriam",
            "Sebastian",
            "Ute",
            "Markus",
            "Birgit",
            "Jens",
            "Claudia",
            "Uwe",
            "Petra",
            "Lukas",
            "Heike",
            "Felix",
            "Silke",
            "Christoph",
            "Anja",
            "Dirk",
            "Nicole",
            "Ralf",
            "Franziska",
        ],
        &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schäfer",
            "Koch",
            "Bauer",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger",
            "Hofmann",
            "Hartmann",
            "Lange",
            "Schmitt",
            "Werner",
            "Krause",
            "Meier",
            "Lehmann",
            "Köhler",
            "Hahn",
        ],
    ),
    (
        "indian",
        &[
            "Rajesh", "Priya", "Amit", "Sunita", "Vikram", "Anjali", "Sanjay", "Kavita", "Arjun", "Deepa", "Rahul",
            "Meera", "Suresh", "Lakshmi", "Anil", "Pooja", "Ravi", "Divya", "Manoj", "Shalini", "Karthik", "Neha",
            "Venkat", "Swati", "Gaurav", "Ritu", "Ashok", "Nisha", "Prakash", "Geeta",
        ],
        &[
            "Sharma",
            "Patel",
            "Singh",
            "Kumar",
            "Gupta",
            "Reddy",
            "Iyer",
            "Nair",
            "Mehta",
            "Rao",
            "Joshi",
            "Verma",
            "Das",
            "Menon",
            "Pillai",
            "Chatterjee",
            "Banerjee",
            "Mishra",
            "Agarwal",
            "Bhat",
            "Desai",
            "Kulkarni",
            "Pandey",
            "Saxena",
            "Shetty",
            "Srinivasan",
            "Krishnan",
            "Malhotra",
            "Kapoor",
            "Chopra",
        ],
    ),
];

/// Syllables for given names built the way Chinese, Korean and Vietnamese given names are: one or two
/// syllables, so thousands of distinct given names arise, as in reality.
const GIVEN_SYLLABLES: &[(&str, &[&str], bool)] = &[
    (
        "@zh",
        &[
            "wei", "ming", "hua", "jun", "li", "jing", "xiao", "hao", "yan", "mei", "zhi", "qiang", "xin", "yu", "lei",
            "fang", "tao", "hong", "ying", "chen", "bo", "lin", "peng", "rui", "shan", "ting", "wen", "xue", "yi",
            "zhen", "kai", "dong", "feng", "guo", "jie", "lan", "ning", "qing", "song", "yun",
        ],
        false,
    ),
    (
        "@ko",
        &[
            "min", "jun", "seo", "yeon", "ji", "hoon", "eun", "hyun", "woo", "soo", "jin", "dong", "ha", "jae", "won",
            "yu", "na", "sung", "hee", "young", "kyung", "chul", "sang", "mi", "ho", "joon", "bin", "tae", "yoon",
            "ah",
        ],
        true,
    ),
    (
        "@vi",
        &[
            "Minh", "Lan", "Hùng", "Trang", "Quang", "Anh", "Đức", "Hoa", "Tuấn", "Phương", "Thị", "Văn", "Ngọc",
            "Thu", "Hải", "Linh", "Khoa", "Mai", "Nam", "Thảo", "Bảo", "Huy", "Long", "Hạnh", "Dũng", "Yến", "Sơn",
            "Tâm", "Vy", "Châu",
        ],
        false,
    ),
];

/// Draws a given name from a pool entry: a literal name, or a syllable-built name for `@zh`, `@ko`, `@vi`.
pub fn draw_given(rng: &mut ChaCha8Rng, givens: &[&str]) -> String {
    let pick = givens[rng.random_range(0..givens.len())];
    let Some((_, syllables, hyphen)) = GIVEN_SYLLABLES.iter().find(|(tag, _, _)| *tag == pick) else {
        return pick.to_owned();
    };
    let first = syllables[rng.random_range(0..syllables.len())];
    let name = if rng.random_bool(0.8) {
        let second = syllables[rng.random_range(0..syllables.len())];
        match (pick, hyphen) {
            ("@vi", _) => format!("{first} {second}"),
            (_, true) => format!("{first}-{second}"),
            _ => format!("{first}{second}"),
        }
    } else {
        first.to_owned()
    };
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => name,
    }
}

/// (country name, ISO code, cities, e-mail ccTLD)
pub const COUNTRIES: &[(&str, &str, &[&str], &str)] = &[
    ("USA", "US", &["Boston", "Houston", "Seattle", "Chicago"], "edu"),
    ("China", "CN", &["Beijing", "Shanghai", "Wuhan", "Chengdu"], "edu.cn"),
    ("Japan", "JP", &["Tokyo", "Osaka", "Kyoto", "Sendai"], "ac.jp"),
    ("South Korea", "KR", &["Seoul", "Busan", "Daejeon"], "ac.kr"),
    ("Spain", "ES", &["Madrid", "Barcelona", "Valencia"], "es"),
    ("Vietnam", "VN", &["Hanoi", "Ho Chi Minh City"], "edu.vn"),
    ("Saudi Arabia", "SA", &["Riyadh", "Jeddah"], "edu.sa"),
    ("Russia", "RU", &["Moscow", "Novosibirsk", "Kazan"], "ru"),
    ("Germany", "DE", &["Berlin", "Munich", "Heidelberg"], "de"),
    ("India", "IN", &["Delhi", "Bangalore", "Chennai"], "ac.in"),
    ("United Kingdom", "GB", &["London", "Oxford", "Manchester"], "ac.uk"),
    ("Canada", "CA", &["Toronto", "Montreal", "Vancouver"], "ca"),
];

/// A research field: (name, words for titles/abstracts, MeSH terms, venues).
pub type Topic = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// The fields generated works are about.
pub const TOPICS: &[Topic] = &[
    (
        "oncology",
        &[
            "tumor",
            "carcinoma",
            "metastasis",
            "chemotherapy",
            "proliferation",
            "apoptosis",
            "invasion",
            "xenograft",
            "survival",
            "biomarker",
        ],
        &["Neoplasms", "Apoptosis", "Cell Proliferation", "Prognosis", "Antineoplastic Agents"],
        &["Journal of Tumor Biology", "Cancer Cell Reports"],
    ),
    (
        "cardiology",
        &[
            "myocardial",
            "infarction",
            "arrhythmia",
            "hypertension",
            "ventricular",
            "stent",
            "coronary",
            "ejection",
            "atrial",
            "fibrillation",
        ],
        &["Heart Diseases", "Hypertension", "Myocardial Infarction", "Atrial Fibrillation"],
        &["Heart and Vessels Letters", "Cardiology Research Quarterly"],
    ),
    (
        "neuroscience",
        &[
            "neuronal",
            "synaptic",
            "cortex",
            "hippocampus",
            "plasticity",
            "dopamine",
            "cognition",
            "glial",
            "axonal",
            "memory",
        ],
        &["Neurons", "Hippocampus", "Synaptic Transmission", "Cognition"],
        &["Neural Circuits Review", "Brain Systems Journal"],
    ),
    (
        "materials",
        &[
            "nanoparticles",
            "graphene",
            "composite",
            "catalyst",
            "thin film",
            "electrode",
            "polymer",
            "crystalline",
            "conductivity",
            "annealing",
        ],
        &["Nanoparticles", "Graphite", "Polymers", "Catalysis"],
        &["Advanced Materials Letters", "Journal of Applied Nanoscience"],
    ),
    (
        "epidemiology",
        &[
            "cohort",
            "incidence",
            "prevalence",
            "risk",
            "mortality",
            "exposure",
            "surveillance",
            "population",
            "odds",
            "confounding",
        ],
        &["Cohort Studies", "Risk Factors", "Incidence", "Prevalence"],
        &["Population Health Journal", "Epidemiology Open"],
    ),
    (
        "computing",
        &[
            "algorithm",
            "neural network",
            "classification",
            "dataset",
            "optimization",
            "learning",
            "accuracy",
            "feature",
            "inference",
            "benchmark",
        ],
        &["Algorithms", "Machine Learning", "Neural Networks, Computer"],
        &["Journal of Computational Intelligence", "Data Science Transactions"],
    ),
    (
        "ecology",
        &[
            "species",
            "habitat",
            "biodiversity",
            "population",
            "predator",
            "climate",
            "forest",
            "wetland",
            "pollinator",
            "migration",
        ],
        &["Ecosystem", "Biodiversity", "Climate Change", "Animal Migration"],
        &["Ecology and Evolution Letters", "Journal of Field Biology"],
    ),
    (
        "immunology",
        &[
            "cytokine",
            "macrophage",
            "T cell",
            "antibody",
            "inflammation",
            "vaccine",
            "antigen",
            "interleukin",
            "innate",
            "tolerance",
        ],
        &["Cytokines", "Macrophages", "T-Lymphocytes", "Inflammation"],
        &["Immunity Research", "Journal of Host Defense"],
    ),
];

const FUNDERS: &[(&str, &str)] = &[
    ("National Institutes of Health", "United States"),
    ("National Natural Science Foundation of China", "China"),
    ("Japan Society for the Promotion of Science", "Japan"),
    ("National Research Foundation of Korea", "Korea"),
    ("Deutsche Forschungsgemeinschaft", "Germany"),
    ("Wellcome Trust", "United Kingdom"),
    ("Canadian Institutes of Health Research", "Canada"),
    ("Russian Science Foundation", "Russia"),
];

/// A synthetic institution.
#[derive(Debug, Clone)]
pub struct Institution {
    pub name: String,
    pub city: String,
    pub country: String,
    pub country_code: String,
    pub email_domain: String,
    pub ror: String,
}

/// A synthetic person: a name, a home institution, a topic, an optional ORCID.
#[derive(Debug, Clone)]
pub struct Person {
    pub given: String,
    pub family: String,
    pub origin: &'static str,
    pub orcid: Option<String>,
    pub institution: usize,
    pub topic: usize,
    pub lab: usize,
}

/// Computes the ORCID check character for 15 digits (ISO 7064 11,2).
pub fn orcid_from_digits(digits: u64) -> String {
    // Issued ORCID iDs lie in 0000-0001-5000-0007 … 0000-0003-5000-0001: keep generated ones there.
    let base = format!("0000000{}{:07}", 1 + digits % 3, (digits / 3) % 10_000_000);
    let mut total: u32 = 0;
    for c in base.chars() {
        total = (total + c.to_digit(10).unwrap_or(0)) * 2;
    }
    let result = (12 - total % 11) % 11;
    let check = if result == 10 { 'X' } else { char::from_digit(result, 10).unwrap_or('0') };
    let full = format!("{base}{check}");
    format!("{}-{}-{}-{}", &full[0..4], &full[4..8], &full[8..12], &full[12..16])
}

/// The population a corpus is drawn from.
pub struct World {
    pub institutions: Vec<Institution>,
    pub people: Vec<Person>,
    /// People per lab (a lab is a stable group that co-authors).
    pub labs: Vec<Vec<usize>>,
}

impl World {
    /// A world sized for about `n_works` works: one lab of ~8 people per ~25 works.
    pub fn new(seed: u64, n_works: usize) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0001);
        let n_labs = (n_works / 25).max(4);
        let n_inst = (n_labs / 3).max(6);
        let kinds = ["University of {}", "{} Medical University", "{} Institute of Technology", "{} Research Hospital"];
        let institutions: Vec<Institution> = (0..n_inst)
            .map(|i| {
                let (country, code, cities, tld) = COUNTRIES[i % COUNTRIES.len()];
                let city = cities[rng.random_range(0..cities.len())];
                let kind = kinds[(i / COUNTRIES.len()) % kinds.len()];
                let suffix = if i >= COUNTRIES.len() * kinds.len() { format!(" {}", i) } else { String::new() };
                let name = format!("{}{suffix}", kind.replace("{}", city));
                let slug: String = city.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
                Institution {
                    name,
                    city: city.to_owned(),
                    country: country.to_owned(),
                    country_code: code.to_owned(),
                    email_domain: format!("{slug}{i}.{tld}"),
                    ror: format!("0{:08}", byline_model::stable_hash64(format!("inst{i}").as_bytes()) % 100_000_000)
                        .chars()
                        .map(|c| if c == '1' { 'a' } else { c })
                        .collect(),
                }
            })
            .collect();
        let mut people = Vec::new();
        let mut labs = Vec::new();
        for lab in 0..n_labs {
            let institution = rng.random_range(0..institutions.len());
            let topic = rng.random_range(0..TOPICS.len());
            let size = rng.random_range(4..12);
            let mut members = Vec::new();
            for _ in 0..size {
                // Most lab members share the country's dominant name origin; a third come from anywhere.
                let country_index = institution % COUNTRIES.len();
                let origin_index = if rng.random_bool(0.66) {
                    country_index.min(NAME_POOLS.len() - 1)
                } else {
                    rng.random_range(0..NAME_POOLS.len())
                };
                let (origin, givens, families) = NAME_POOLS[origin_index];
                let orcid = rng.random_bool(0.45).then(|| orcid_from_digits(rng.random::<u64>()));
                members.push(people.len());
                let given = draw_given(&mut rng, givens);
                people.push(Person {
                    given,
                    family: families[rng.random_range(0..families.len())].to_owned(),
                    origin,
                    orcid,
                    institution,
                    topic,
                    lab,
                });
            }
            labs.push(members);
        }
        World { institutions, people, labs }
    }

    /// The author record of a person on a work.
    pub fn author(&self, p: usize, with_email: bool) -> Author {
        let person = &self.people[p];
        let inst = &self.institutions[person.institution];
        let initials = person.given.split(['-', ' ']).filter_map(|s| s.chars().next()).collect::<String>();
        Author {
            raw_name: format!("{} {}", person.given, person.family),
            given: Some(person.given.clone()),
            family: Some(person.family.clone()),
            initials: Some(initials),
            orcid: person.orcid.clone(),
            email: with_email.then(|| {
                let local: String = person.family.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
                format!("{}{}@{}", if local.is_empty() { "author" } else { &local }, p, inst.email_domain)
            }),
            affiliations: vec![self.affiliation(person.institution, person.topic)],
            ..Author::default()
        }
    }

    /// An affiliation string at an institution, written the way PubMed shows them.
    pub fn affiliation(&self, institution: usize, topic: usize) -> Affiliation {
        let inst = &self.institutions[institution];
        let dept = format!("Department of {}", capitalize(TOPICS[topic].0));
        Affiliation {
            raw: format!("{dept}, {}, {}, {}.", inst.name, inst.city, inst.country),
            ..Affiliation::default()
        }
    }
}

/// `s` with its first letter in upper case (the generators' names and titles).
pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Draws an author count: median ≈ 5, long tail to 40.
pub fn author_count(rng: &mut ChaCha8Rng) -> usize {
    let u: f64 = rng.random_range(0.0..1.0);
    let n = (1.0 + (-(1.0 - u).ln()) * 5.5).round() as usize;
    n.clamp(1, 40)
}

/// Words of an abstract about a topic: 120–320 words of plausible sentences.
pub fn abstract_text(rng: &mut ChaCha8Rng, topic: usize) -> String {
    let words = TOPICS[topic].1;
    let frames = [
        "We investigated the role of {} in {} using a {} model.",
        "Increased {} was associated with {} and reduced {}.",
        "These findings suggest that {} regulates {} through {}.",
        "In a cohort of patients, {} correlated with {} but not with {}.",
        "Mechanistically, {} modulated {} by altering {} signalling.",
        "Our results identify {} as a potential target for {} and {}.",
        "Data were analysed with respect to {}, {} and {}.",
    ];
    let target = rng.random_range(120..320);
    let mut out = String::new();
    let mut count = 0;
    while count < target {
        let frame = frames[rng.random_range(0..frames.len())];
        let mut sentence = String::new();
        for (i, piece) in frame.split("{}").enumerate() {
            if i > 0 {
                sentence.push_str(words[rng.random_range(0..words.len())]);
            }
            sentence.push_str(piece);
        }
        count += sentence.split_whitespace().count();
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence);
    }
    out
}

/// Generates the `index`-th work of a base corpus. Deterministic in (seed, index) so corpora of any size can
/// be written in parallel chunks.
pub fn base_work(world: &World, seed: u64, index: u64, format: Format, path: &str) -> Work {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index);
    let lab = rng.random_range(0..world.labs.len());
    let members = &world.labs[lab];
    let lead = members[0];
    let topic = world.people[lead].topic;
    let n = author_count(&mut rng);
    let mut team: Vec<usize> = Vec::new();
    for _ in 0..n {
        // Mostly lab members, sometimes a collaborator from another lab.
        let p = if rng.random_bool(0.85) {
            members[rng.random_range(0..members.len())]
        } else {
            let other = &world.labs[rng.random_range(0..world.labs.len())];
            other[rng.random_range(0..other.len())]
        };
        if !team.contains(&p) {
            team.push(p);
        }
    }
    if !team.contains(&lead) {
        team.push(lead);
    }
    let (_, words, mesh, venues) = TOPICS[topic];
    let mut w = Work::new(format, path, index);
    w.ids.pmid = Some((30_000_000 + index).to_string());
    w.ids.doi = Some(format!("10.5555/byline.{seed}.{index}"));
    w.ids.openalex = Some(format!("W{}", 4_000_000_000 + index));
    let a = words[rng.random_range(0..words.len())];
    let b = words[rng.random_range(0..words.len())];
    w.title = Some(format!("{} of {} in {}", capitalize(a), b, capitalize(TOPICS[topic].0)));
    w.abstract_text = Some(abstract_text(&mut rng, topic));
    w.date = Some(PubDate::new(rng.random_range(2000..2025), Some(rng.random_range(1..13)), None));
    let venue = venues[rng.random_range(0..venues.len())];
    w.venue = Venue {
        title: Some(venue.to_owned()),
        issns: vec![format!("{:04}-{:04}", 1000 + (topic * 7 % 9000), 1000 + venue.len())],
        volume: Some(rng.random_range(1..60u32).to_string()),
        pages: Some(format!("{}", rng.random_range(1..9000u32))),
        ..Venue::default()
    };
    w.language = Some("eng".to_owned());
    w.publication_types = vec!["Journal Article".to_owned()];
    let k = rng.random_range(3..=mesh.len().max(3));
    w.mesh = mesh.iter().take(k).map(|m| (*m).to_owned()).collect();
    w.keywords = vec![a.to_owned(), b.to_owned()];
    for _ in 0..rng.random_range(0..4) {
        let (agency, country) = FUNDERS[rng.random_range(0..FUNDERS.len())];
        w.funding.push(Funding {
            agency: Some(agency.to_owned()),
            grant_id: Some(format!("G{}", rng.random_range(10000..99999))),
            country: Some(country.to_owned()),
            funder_id: None,
        });
    }
    for _ in 0..rng.random_range(5..40) {
        let cited = rng.random_range(0..=index.max(1));
        w.references.push(Reference {
            doi: Some(format!("10.5555/byline.{seed}.{cited}")),
            pmid: None,
            openalex: None,
            raw: Some(format!("Synthetic reference {cited}.")),
        });
    }
    let corresponding = team[rng.random_range(0..team.len())];
    w.authors = team.iter().map(|&p| world.author(p, p == corresponding)).collect();
    for (a, &p) in w.authors.iter_mut().zip(&team) {
        a.corresponding = Some(p == corresponding);
        if rng.random_bool(0.1) {
            // A second affiliation for some authors.
            let other = rng.random_range(0..world.institutions.len());
            a.affiliations.push(world.affiliation(other, topic));
        }
    }
    w
}
