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

/// Where people's family names come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NamePool {
    /// The family names of [`NAME_POOLS`] only (~30 per origin), drawn uniformly: the number of distinct names
    /// is fixed, so name blocks grow linearly with the corpus. The default; every benchmark's corpus uses it.
    #[default]
    Fixed,
    /// A pool that grows with the corpus: each person's family name is the rank drawn from a Zipf law
    /// P(r) ∝ r^-α over an unbounded list per origin, α = 1 / [`SCALED_NAME_HEAPS_BETA`]; ranks 1… are the
    /// origin's names of [`NAME_POOLS`] in their order (most common first), later ranks names built from the
    /// origin's syllables ([`scaled_family_name`]). Sampling a Zipf law of exponent α gives Heaps' law,
    /// distinct names ∝ people^(1/α), so distinct name blocks grow with the corpus as they do on real data
    /// (the exponent is measured on real PubMed, see [`SCALED_NAME_HEAPS_BETA`]). Everything else about a
    /// person (given name, ORCID, lab, institution) is what [`NamePool::Fixed`] gives.
    Scaled,
}

/// Heaps' exponent β of distinct blocking keys (folded family name + first initial) against authorships,
/// measured on real PubMed (`examples/name_keys` of byline-graph on the shared `pubmed20n0014` and
/// `pubmed21n1298`, 50,788 records, 214,092 authorships, in a hashed order): the exponent between the last
/// two points (128,000 → 214,092 authorships) is 0.807, the least-squares fit over 10,000–214,092 is 0.873,
/// and it falls with size; the larger generated corpora lie beyond that range, so the lower figure is taken.
pub const SCALED_NAME_HEAPS_BETA: f64 = 0.81;

/// Ranks beyond this are drawn again (the Zipf tail is unbounded; this keeps built names short).
const SCALED_NAME_MAX_RANK: u64 = 100_000_000;

/// Syllables and endings that build an origin's family names beyond its listed ones (ASCII; in the order of
/// [`NAME_POOLS`]).
const SCALED_FAMILY_PARTS: &[(&[&str], &[&str])] = &[
    (
        &[
            "Ash", "Brad", "Carl", "Dal", "Elder", "Fair", "Gold", "Hart", "Ing", "Kent", "Lang", "Mar", "Nor", "Pen",
            "Ral", "Stan", "Thorn", "Wad", "Whit", "Yar",
        ],
        &["ford", "ley", "ton", "wood", "field", "worth", "by", "ham", "well", "more", "combe", "shaw"],
    ),
    (
        &[
            "Bai", "Cai", "Dai", "Fan", "Gu", "Jia", "Kong", "Lu", "Mao", "Ni", "Qin", "Ren", "Shi", "Tian", "Wei",
            "Xia", "Yan", "Yu", "Zou", "Jiang",
        ],
        &[""],
    ),
    (
        &[
            "Aki", "Fuji", "Hashi", "Iwa", "Kawa", "Kita", "Matsu", "Miya", "Naka", "Nishi", "Oka", "Saka", "Shima",
            "Taka", "Tsuchi", "Uchi", "Yama", "Yoshi", "Hira", "Kuro",
        ],
        &["da", "ta", "moto", "mura", "kawa", "yama", "no", "hara", "saki", "zawa", "uchi", "shita"],
    ),
    (
        &[
            "Bae", "Byun", "Chae", "Chun", "Gil", "Ha", "Heo", "Jeon", "Ji", "Ko", "Ku", "Maeng", "Min", "Moon", "Nam",
            "Noh", "Pyo", "Ryu", "Sim", "Won",
        ],
        &[""],
    ),
    (
        &[
            "Alar", "Bel", "Car", "Cor", "Es", "Gal", "Iba", "Lo", "Mon", "Nav", "Ol", "Pa", "Quin", "Ro", "Sal",
            "Ter", "Val", "Var", "Zam", "Ur",
        ],
        &["cón", "edo", "ez", "illa", "ero", "ano", "ares", "iel", "ona", "ía", "uela", "ino"],
    ),
    (
        &[
            "Cao", "Chu", "Doan", "Giang", "Ha", "Kieu", "Khuc", "La", "Luong", "Mac", "Nghiem", "Ong", "Quach", "Ta",
            "Thach", "Tieu", "To", "Trinh", "Van", "Vuong",
        ],
        &[""],
    ),
    (
        &[
            "Al-Ab", "Al-Ham", "Al-Jab", "Al-Kha", "Al-Mar", "Al-Nu", "Al-Sha", "El-Ba", "El-Ha", "El-Ma", "Ab", "Ba",
            "Fa", "Ja", "Ka", "Ma", "Na", "Ra", "Sa", "Za",
        ],
        &["bari", "dan", "hani", "lil", "mari", "ran", "shidi", "wari", "zadi", "hami", "tari", "bidi"],
    ),
    (
        &[
            "Bel", "Bor", "Dan", "Gor", "Kar", "Kras", "Lav", "Mal", "Nik", "Ob", "Pol", "Rod", "Sav", "Step", "Tim",
            "Vas", "Vol", "Zhu", "Yak", "Gri",
        ],
        &["ov", "ova", "in", "ina", "enko", "sky", "skaya", "ev", "eva", "ikh", "yuk", "chuk"],
    ),
    (
        &[
            "Alt", "Berg", "Dorn", "Eich", "Feld", "Gross", "Hoch", "Kirch", "Lind", "Mittel", "Neu", "Ober", "Rosen",
            "Stein", "Tann", "Unter", "Wald", "Wein", "Zell", "Brand",
        ],
        &["mann", "er", "hof", "berg", "bach", "feld", "haus", "ner", "ling", "dorf", "meier", "stein"],
    ),
    (
        &[
            "Ana", "Bha", "Cha", "Dha", "Gan", "Hari", "Jaya", "Kri", "Madhu", "Nara", "Pra", "Raghu", "Sri", "Subra",
            "Thi", "Ven", "Vish", "Ram", "Shan", "Sun",
        ],
        &["wal", "nath", "man", "swamy", "murthy", "rajan", "pathy", "kar", "dev", "wala", "esh", "an"],
    ),
];

/// The family name of Zipf rank `rank` (1-based) in origin `origin` (an index of [`NAME_POOLS`]): the
/// listed names first, then names built from the origin's syllables (a bijective numeration: each rank its
/// own syllable sequence).
pub fn scaled_family_name(origin: usize, rank: u64) -> String {
    let (_, _, families) = NAME_POOLS[origin % NAME_POOLS.len()];
    let listed = families.len() as u64;
    if (1..=listed).contains(&rank) {
        return families[(rank - 1) as usize].to_owned();
    }
    let (syllables, endings) = SCALED_FAMILY_PARTS[origin % SCALED_FAMILY_PARTS.len()];
    let mut n = rank.saturating_sub(listed + 1);
    let ending = endings[(n % endings.len() as u64) as usize];
    n /= endings.len() as u64;
    // Bijective base-S digits: 0 → one syllable, S → two, …
    let s = syllables.len() as u64;
    let mut parts = vec![syllables[(n % s) as usize]];
    n /= s;
    while n > 0 {
        n -= 1;
        parts.push(syllables[(n % s) as usize]);
        n /= s;
    }
    let mut name = String::new();
    for (i, p) in parts.iter().rev().enumerate() {
        if i == 0 {
            name.push_str(p);
        } else {
            name.push_str(&p.to_lowercase());
        }
    }
    name.push_str(ending);
    name
}

/// A Zipf rank (P(r) ∝ r^-α, r ≥ 1) from the person's own stream: the floor of a Pareto draw, redrawn above
/// [`SCALED_NAME_MAX_RANK`].
fn zipf_rank(rng: &mut ChaCha8Rng, alpha: f64) -> u64 {
    loop {
        let u: f64 = rng.random_range(0.0..1.0);
        let x = (1.0 - u).powf(-1.0 / (alpha - 1.0));
        if x.is_finite() && x < (SCALED_NAME_MAX_RANK + 1) as f64 {
            return (x.floor() as u64).max(1);
        }
    }
}

/// The population a corpus is drawn from.
pub struct World {
    pub institutions: Vec<Institution>,
    pub people: Vec<Person>,
    /// People per lab (a lab is a stable group that co-authors).
    pub labs: Vec<Vec<usize>>,
}

impl World {
    /// A world sized for about `n_works` works: one lab of ~8 people per ~25 works, names from the fixed pool.
    pub fn new(seed: u64, n_works: usize) -> World {
        World::with_names(seed, n_works, NamePool::Fixed)
    }

    /// [`World::new`] with the family names of `names`: the same people (labs, given names, ORCIDs,
    /// institutions) whatever the pool, as the scaled names come from a stream of their own.
    pub fn with_names(seed: u64, n_works: usize, names: NamePool) -> World {
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
                let listed = families[rng.random_range(0..families.len())];
                let family = match names {
                    NamePool::Fixed => listed.to_owned(),
                    NamePool::Scaled => {
                        let index = people.len() as u64;
                        let mut own =
                            ChaCha8Rng::seed_from_u64((seed ^ 0x5eed_0002).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index);
                        scaled_family_name(origin_index, zipf_rank(&mut own, 1.0 / SCALED_NAME_HEAPS_BETA))
                    }
                };
                people.push(Person { given, family, origin, orcid, institution, topic, lab });
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Distinct blocking-style keys (family name, first letter of the given name) and people of a world.
    fn name_keys(world: &World) -> (usize, usize) {
        let keys: HashSet<(String, Option<char>)> = world
            .people
            .iter()
            .map(|p| (p.family.to_lowercase(), p.given.chars().next().map(|c| c.to_ascii_lowercase())))
            .collect();
        (keys.len(), world.people.len())
    }

    fn exponent(small: (usize, usize), large: (usize, usize)) -> f64 {
        (large.0 as f64 / small.0 as f64).ln() / (large.1 as f64 / small.1 as f64).ln()
    }

    #[test]
    fn the_scaled_pool_grows_distinct_names_with_the_corpus_and_the_default_does_not() {
        let (small, large) = (20_000, 160_000);
        let fixed = (name_keys(&World::new(7, small)), name_keys(&World::new(7, large)));
        let scaled = (
            name_keys(&World::with_names(7, small, NamePool::Scaled)),
            name_keys(&World::with_names(7, large, NamePool::Scaled)),
        );
        let (k_fixed, k_scaled) = (exponent(fixed.0, fixed.1), exponent(scaled.0, scaled.1));
        eprintln!("fixed {fixed:?} k {k_fixed:.3}; scaled {scaled:?} k {k_scaled:.3}");
        // The fixed pool is bounded: ~300 family names, so its keys barely grow once the world is this large.
        assert!(k_fixed < 0.3, "fixed pool: distinct keys grew with exponent {k_fixed:.3}");
        // The scaled pool follows Heaps' law near the real exponent.
        assert!((0.65..=0.95).contains(&k_scaled), "scaled pool: exponent {k_scaled:.3}");
        assert!(scaled.1.0 > 3 * fixed.1.0, "scaled {} vs fixed {} keys", scaled.1.0, fixed.1.0);
    }

    #[test]
    fn the_scaled_pool_changes_family_names_only() {
        let fixed = World::new(11, 5_000);
        let default = World::with_names(11, 5_000, NamePool::Fixed);
        let scaled = World::with_names(11, 5_000, NamePool::Scaled);
        assert_eq!(fixed.people.len(), scaled.people.len());
        assert_eq!(fixed.labs, scaled.labs);
        let listed: HashSet<&str> = NAME_POOLS.iter().flat_map(|(_, _, f)| f.iter().copied()).collect();
        let mut differ = 0;
        for ((f, d), s) in fixed.people.iter().zip(&default.people).zip(&scaled.people) {
            // The default is the fixed pool, drawn as before: only listed names.
            assert!(listed.contains(f.family.as_str()), "{}", f.family);
            assert_eq!((&f.family, &f.given, &f.orcid), (&d.family, &d.given, &d.orcid));
            // The scaled pool keeps everything but the family name (ORCIDs are the identity truth).
            assert_eq!(
                (&f.given, &f.orcid, f.institution, f.topic, f.lab),
                (&s.given, &s.orcid, s.institution, s.topic, s.lab)
            );
            assert_eq!(f.origin, s.origin);
            differ += usize::from(f.family != s.family);
        }
        assert!(differ * 2 > fixed.people.len(), "{differ} of {} family names changed", fixed.people.len());
    }

    #[test]
    fn built_family_names_are_distinct_per_rank() {
        for (origin, (_, _, families)) in NAME_POOLS.iter().enumerate() {
            assert_eq!(scaled_family_name(origin, 1), families[0]);
            let names: HashSet<String> = (1..=20_000).map(|r| scaled_family_name(origin, r)).collect();
            // A built name can equal a listed one (Yama + moto = Yamamoto) or, rarely, another built one (a
            // syllable and an ending can spell the same letters): at most 0.1%.
            assert!(names.len() >= 20_000 - 20, "origin {origin}: {} distinct of 20000", names.len());
            assert!(!scaled_family_name(origin, SCALED_NAME_MAX_RANK).is_empty());
        }
    }
}
