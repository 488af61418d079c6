//! A planted audit case for Japanese researchers (issue 21): a researcher whose registry record (KAKEN style)
//! gives their name in kanji, kana and romaji, genuine works in both scripts, and forged works that carry only
//! the romaji name.
//!
//! - **Names** are drawn from tables of common family-name and given-name *parts* (kanji, katakana reading,
//!   Hepburn with macrons), combined by the seeded RNG: generated people, not real ones. No two people of the
//!   world share a romaji name (a draw that would is redrawn), so a romaji-only work has one true owner.
//! - **Genuine works** (10–16 over 2008–2022): in Japanese (`kanji_share`: the byline in kanji, `山田 太郎` or
//!   `山田太郎`, the affiliation `大阪大学 大学院医学系研究科`, a Japanese title and venue, English keywords as
//!   Japanese journals give them) or in English (the byline in romaji in one of the usual forms — `Taro
//!   Yamada`, `Yamada Taro`, `YAMADA Tarō`, `Yamada Tarou`, `Taroh Yamada`, sometimes without the source's
//!   family/given split — and the affiliation in full or abbreviated: `Osaka Univ., Grad. Sch. Med.`), with
//!   2–4 co-authors from the researcher's lab written in the same script.
//! - **The record** ([`JapaneseResearcherTruth::variants`], [`JapaneseResearcherTruth::collaborators`]): the
//!   researcher's kanji, kana and romaji names, the lab members' kanji and romaji names (as KAKEN lists project
//!   members), the institution in Japanese and English.
//! - **Forged works** (1–3 for `forged_share` of researchers): the romaji name only (any of the forms above),
//!   3–5 co-authors from three or more countries who appear nowhere else, another field, and the researcher's
//!   affiliation a foreign institution in half of them and their real one (in English) in the other half — as
//!   the main audit bench's strangers' works.
//!
//! [`JapaneseCase::master_csv`] is a KAKEN-style institution master of the Japanese institutions used, so that
//! a bench can compare institutions the way `byline audit --kaken-institutions` does. Everything is drawn from
//! a seeded ChaCha8 RNG: same config, same case.

use std::collections::BTreeSet;

use byline_model::{Affiliation, Author, PubDate, Venue, Work};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::corpus::capitalize;

/// What to generate.
#[derive(Debug, Clone)]
pub struct JapaneseCaseConfig {
    pub seed: u64,
    pub researchers: usize,
    /// Share of genuine works written in Japanese (the rest in English).
    pub kanji_share: f64,
    /// Share of researchers with forged works.
    pub forged_share: f64,
}

impl Default for JapaneseCaseConfig {
    fn default() -> JapaneseCaseConfig {
        JapaneseCaseConfig { seed: 42, researchers: 60, kanji_share: 0.4, forged_share: 0.6 }
    }
}

/// One researcher and the truth about their works.
#[derive(Debug, Clone)]
pub struct JapaneseResearcherTruth {
    /// "Family, Given" in romaji, as an officer would type it.
    pub name: String,
    /// The record's names: kanji, kana, romaji (KAKEN's `ja`, `ja-Kana`, `en`).
    pub variants: Vec<String>,
    /// The lab members the record declares, each with their kanji and romaji names.
    pub collaborators: Vec<Vec<String>>,
    /// The institution in Japanese and in English.
    pub institution: (String, String),
    /// Genuine works in Japanese and in English, and the forged works (ids, sorted).
    pub genuine_kanji: Vec<String>,
    pub genuine_romaji: Vec<String>,
    pub forged: Vec<String>,
}

/// The generated works and their truth.
#[derive(Debug, Clone)]
pub struct JapaneseCase {
    pub works: Vec<Work>,
    pub researchers: Vec<JapaneseResearcherTruth>,
    /// KAKEN-style institution master of the Japanese institutions used (`#nii_code,mext_code,jsps_code,
    /// name_ja,name_en,name_yomi`).
    pub master_csv: String,
    /// Who each labelled authorship is, as (work id, byline position, person id): the Japanese people of the
    /// genuine works (researchers and lab members, one id per generated person), and the researcher's name on
    /// each forged work as a person of its own (`forged:<work id>`: not the researcher's authorship). The forged
    /// works' strangers are not labelled.
    pub identities: Vec<(String, u32, String)>,
}

/// Family-name parts: (kanji, katakana, Hepburn with macrons).
const FAMILIES: &[(&str, &str, &str)] = &[
    ("山田", "ヤマダ", "Yamada"),
    ("佐藤", "サトウ", "Satō"),
    ("鈴木", "スズキ", "Suzuki"),
    ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"),
    ("伊藤", "イトウ", "Itō"),
    ("渡辺", "ワタナベ", "Watanabe"),
    ("中村", "ナカムラ", "Nakamura"),
    ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Katō"),
    ("吉田", "ヨシダ", "Yoshida"),
    ("山本", "ヤマモト", "Yamamoto"),
    ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"),
    ("木村", "キムラ", "Kimura"),
    ("清水", "シミズ", "Shimizu"),
    ("池田", "イケダ", "Ikeda"),
    ("橋本", "ハシモト", "Hashimoto"),
    ("石川", "イシカワ", "Ishikawa"),
    ("近藤", "コンドウ", "Kondō"),
    ("斎藤", "サイトウ", "Saitō"),
    ("後藤", "ゴトウ", "Gotō"),
    ("藤田", "フジタ", "Fujita"),
    ("岡田", "オカダ", "Okada"),
    ("長谷川", "ハセガワ", "Hasegawa"),
    ("村上", "ムラカミ", "Murakami"),
    ("遠藤", "エンドウ", "Endō"),
    ("大野", "オオノ", "Ōno"),
];

/// Given-name parts: (kanji, katakana, Hepburn with macrons).
const GIVENS: &[(&str, &str, &str)] = &[
    ("太郎", "タロウ", "Tarō"),
    ("健一", "ケンイチ", "Ken'ichi"),
    ("翔太", "ショウタ", "Shōta"),
    ("大輔", "ダイスケ", "Daisuke"),
    ("誠", "マコト", "Makoto"),
    ("浩二", "コウジ", "Kōji"),
    ("直樹", "ナオキ", "Naoki"),
    ("陽子", "ヨウコ", "Yōko"),
    ("恵子", "ケイコ", "Keiko"),
    ("由美", "ユミ", "Yumi"),
    ("真理子", "マリコ", "Mariko"),
    ("優子", "ユウコ", "Yūko"),
    ("拓也", "タクヤ", "Takuya"),
    ("健太", "ケンタ", "Kenta"),
    ("亮", "リョウ", "Ryō"),
    ("学", "マナブ", "Manabu"),
    ("修", "オサム", "Osamu"),
    ("聡", "サトシ", "Satoshi"),
    ("美穂", "ミホ", "Miho"),
    ("俊介", "シュンスケ", "Shunsuke"),
    ("千尋", "チヒロ", "Chihiro"),
    ("雄一", "ユウイチ", "Yūichi"),
];

/// Japanese institutions: (Japanese name, English name, English abbreviation, city, unit in Japanese, unit in
/// English, unit abbreviated).
const INSTITUTIONS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "大阪大学",
        "Osaka University",
        "Osaka Univ.",
        "Suita",
        "大学院医学系研究科",
        "Graduate School of Medicine",
        "Grad. Sch. Med.",
    ),
    (
        "東北大学",
        "Tohoku University",
        "Tohoku Univ.",
        "Sendai",
        "大学院工学研究科",
        "Graduate School of Engineering",
        "Grad. Sch. Eng.",
    ),
    ("九州大学", "Kyushu University", "Kyushu Univ.", "Fukuoka", "大学院理学研究院", "Faculty of Science", "Fac. Sci."),
    (
        "名古屋大学",
        "Nagoya University",
        "Nagoya Univ.",
        "Nagoya",
        "大学院医学系研究科",
        "Graduate School of Medicine",
        "Grad. Sch. Med.",
    ),
    (
        "北海道大学",
        "Hokkaido University",
        "Hokkaido Univ.",
        "Sapporo",
        "大学院農学研究院",
        "Research Faculty of Agriculture",
        "Res. Fac. Agric.",
    ),
    (
        "神戸大学",
        "Kobe University",
        "Kobe Univ.",
        "Kobe",
        "大学院医学研究科",
        "Graduate School of Medicine",
        "Grad. Sch. Med.",
    ),
];

/// Fields: (English keywords, Japanese title words, English venue, Japanese venue).
const FIELDS: &[(&[&str], &[&str], &str, &str)] = &[
    (
        &["postural control", "balance", "motor control", "gait", "posture", "feedback", "sway", "neuromechanics"],
        &["姿勢制御", "歩行", "運動制御", "重心動揺", "フィードバック"],
        "Journal of Motor Control Research",
        "日本運動制御学会誌",
    ),
    (
        &["hepatocellular carcinoma", "liver", "hepatitis", "fibrosis", "resection", "cirrhosis", "biomarker"],
        &["肝細胞癌", "肝線維化", "肝切除", "バイオマーカー", "肝炎"],
        "Hepatology Research Reports",
        "日本肝臓病学会誌",
    ),
    (
        &["rice", "drought tolerance", "gene expression", "crop yield", "photosynthesis", "root", "stress"],
        &["イネ", "乾燥耐性", "遺伝子発現", "収量", "光合成"],
        "Plant Stress Biology",
        "日本作物学会紀事",
    ),
    (
        &["steel", "fatigue", "crack growth", "welding", "microstructure", "corrosion", "strength"],
        &["鋼材", "疲労き裂", "溶接", "微細組織", "腐食"],
        "Journal of Structural Materials",
        "日本材料学会誌",
    ),
];

/// Foreign co-authors of forged works: family and given parts (generated combinations), and institutions.
const FOREIGN_FAMILIES: &[&str] =
    &["Karimov", "Petrov", "Haddad", "Nguyen", "Silva", "Kumar", "Hosseini", "Yilmaz", "Okafor", "Kowalski", "Rahman"];
const FOREIGN_GIVENS: &[&str] =
    &["Ahmed", "Olga", "Rahul", "Mehmet", "Ana", "Chinedu", "Piotr", "Leila", "Minh", "Sergei", "Farida"];
const FOREIGN_INSTITUTIONS: &[&str] = &[
    "Kazan Federal University, Kazan, Russia",
    "University of Baghdad, Baghdad, Iraq",
    "Anna University, Chennai, India",
    "Shiraz University, Shiraz, Iran",
    "Hanoi Medical University, Hanoi, Vietnam",
    "University of Lagos, Lagos, Nigeria",
    "Hacettepe University, Ankara, Turkey",
    "King Abdulaziz University, Jeddah, Saudi Arabia",
    "Universiti Malaya, Kuala Lumpur, Malaysia",
];
/// Forged works' fields (other than the researcher's, as mill products usually are).
const FORGED_TOPICS: &[&[&str]] = &[
    &["graphene oxide", "nanocomposite", "supercapacitor", "electrode"],
    &["machine learning", "blockchain", "internet of things", "security"],
    &["curcumin", "nanoparticles", "antibacterial", "green synthesis"],
];

/// A generated Japanese person: (kanji family, kanji given), kana, romaji (with macrons).
#[derive(Debug, Clone)]
struct Person {
    family: (&'static str, &'static str, &'static str),
    given: (&'static str, &'static str, &'static str),
}

impl Person {
    fn kanji(&self) -> String {
        format!("{} {}", self.family.0, self.given.0)
    }
    fn kana(&self) -> String {
        format!("{} {}", self.family.1, self.given.1)
    }
    /// The romaji as KAKEN writes it (family first, no macrons).
    fn romaji(&self) -> String {
        format!("{} {}", plain(self.family.2), plain(self.given.2))
    }
    /// The person in kanji on a Japanese paper (with or without the space).
    fn kanji_author(&self, rng: &mut ChaCha8Rng, affiliation: &str) -> Author {
        let raw = if rng.random_bool(0.7) { self.kanji() } else { format!("{}{}", self.family.0, self.given.0) };
        Author {
            raw_name: raw,
            family: Some(self.family.0.to_owned()),
            given: Some(self.given.0.to_owned()),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }
    /// The person in one of the usual romanized forms on an English paper.
    fn romaji_author(&self, rng: &mut ChaCha8Rng, affiliation: &str) -> Author {
        let (f, g) = (self.family.2, self.given.2);
        let (family, given, raw) = match rng.random_range(0..5) {
            0 => (plain(f), plain(g), format!("{} {}", plain(g), plain(f))),
            1 => (plain(f), plain(g), format!("{} {}", plain(f), plain(g))),
            2 => (plain(f).to_uppercase(), g.to_owned(), format!("{} {g}", plain(f).to_uppercase())),
            3 => (long_ou(f), long_ou(g), format!("{} {}", long_ou(f), long_ou(g))),
            _ => (long_oh(f), long_oh(g), format!("{} {}", long_oh(g), long_oh(f))),
        };
        // Some sources give the name as written only (no family/given split).
        let split = rng.random_bool(0.8);
        Author {
            raw_name: raw,
            family: split.then_some(family),
            given: split.then_some(given),
            affiliations: vec![Affiliation { raw: affiliation.to_owned(), ..Affiliation::default() }],
            ..Author::default()
        }
    }
}

/// Macrons dropped (Tarō → Taro), as KAKEN and most bylines write Hepburn.
fn plain(s: &str) -> String {
    s.replace('ō', "o").replace('ū', "u").replace('Ō', "O").replace('Ū', "U")
}

/// Long vowels written ou / uu (Tarō → Tarou, Yūko → Yuuko).
fn long_ou(s: &str) -> String {
    s.replace('ō', "ou").replace('ū', "uu").replace('Ō', "Oo").replace('Ū', "Uu")
}

/// Long o written oh (Tarō → Taroh), the passport spelling.
fn long_oh(s: &str) -> String {
    s.replace('ō', "oh").replace('ū', "u").replace('Ō', "Oh").replace('Ū', "U")
}

/// Generates the case (see the module doc).
pub fn generate_japanese_case(config: &JapaneseCaseConfig) -> JapaneseCase {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x6a70_5f63_6173_6521);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut draw = |rng: &mut ChaCha8Rng| -> Person {
        loop {
            let family = *FAMILIES.choose(rng).unwrap_or(&FAMILIES[0]);
            let given = *GIVENS.choose(rng).unwrap_or(&GIVENS[0]);
            let p = Person { family, given };
            // One romaji name, one person: no homonyms in this world (a romaji-only work has one owner).
            if used.insert(p.romaji()) || used.len() >= FAMILIES.len() * GIVENS.len() {
                return p;
            }
        }
    };
    let mut works = Vec::new();
    let mut researchers = Vec::new();
    let mut identities: Vec<(String, u32, String)> = Vec::new();
    for r in 0..config.researchers {
        let me = draw(&mut rng);
        let lab_size = rng.random_range(5..=7);
        let lab: Vec<Person> = (0..lab_size).map(|_| draw(&mut rng)).collect();
        let inst = INSTITUTIONS[rng.random_range(0..INSTITUTIONS.len())];
        let field = FIELDS[rng.random_range(0..FIELDS.len())];
        let ja_aff = format!("{} {}", inst.0, inst.4);
        let en_full = format!("{}, {}, {}, Japan", inst.5, inst.1, inst.3);
        let en_abbrev = format!("{}, {}, {}, Japan", inst.2, inst.6, inst.3);
        let (mut genuine_kanji, mut genuine_romaji, mut forged) = (Vec::new(), Vec::new(), Vec::new());
        let n = rng.random_range(10..=16);
        for i in 0..n {
            let id = format!("jp{r:04}-g{i:02}");
            let year = rng.random_range(2008..=2022);
            let size = rng.random_range(2..=4);
            let team: Vec<&Person> = lab.choose_multiple(&mut rng, size).collect();
            let keywords: Vec<String> =
                field.0.choose_multiple(&mut rng, 3).map(|k| (*k).to_owned()).collect::<Vec<_>>();
            let kanji = rng.random_bool(config.kanji_share);
            let (authors, title, venue) = if kanji {
                let mut authors = vec![me.kanji_author(&mut rng, &ja_aff)];
                authors.extend(team.iter().map(|p| p.kanji_author(&mut rng, &ja_aff)));
                let words: Vec<&str> = field.1.choose_multiple(&mut rng, 2).copied().collect();
                (authors, format!("{}における{}の検討", words[0], words[1]), field.3)
            } else {
                let aff = if rng.random_bool(0.7) { &en_full } else { &en_abbrev };
                let mut authors = vec![me.romaji_author(&mut rng, aff)];
                authors.extend(team.iter().map(|p| p.romaji_author(&mut rng, aff)));
                (authors, format!("{} and {} in {}", capitalize(&keywords[0]), keywords[1], keywords[2]), field.2)
            };
            let mut authors = authors;
            let mut ids: Vec<String> = std::iter::once(&me).chain(team.iter().copied()).map(Person::romaji).collect();
            // The researcher first, last or in the middle, as in a lab's papers.
            let at = rng.random_range(0..authors.len());
            authors.swap(0, at);
            ids.swap(0, at);
            for (pos, person) in ids.into_iter().enumerate() {
                identities.push((id.clone(), pos as u32, format!("p:{person}")));
            }
            works.push(work(&id, year, &title, venue, authors, keywords));
            if kanji {
                genuine_kanji.push(id);
            } else {
                genuine_romaji.push(id);
            }
        }
        if rng.random_bool(config.forged_share) {
            let n_forged = rng.random_range(1..=3);
            for i in 0..n_forged {
                let id = format!("jp{r:04}-f{i}");
                let year = rng.random_range(2016..=2023);
                let topic = FORGED_TOPICS[rng.random_range(0..FORGED_TOPICS.len())];
                let places: Vec<&str> = FOREIGN_INSTITUTIONS.choose_multiple(&mut rng, 3).copied().collect();
                let own = if rng.random_bool(0.5) { places[0].to_owned() } else { en_full.clone() };
                let mut authors = vec![me.romaji_author(&mut rng, &own)];
                let strangers = rng.random_range(3..=5);
                for k in 0..strangers {
                    let family = FOREIGN_FAMILIES[rng.random_range(0..FOREIGN_FAMILIES.len())];
                    let given = FOREIGN_GIVENS[rng.random_range(0..FOREIGN_GIVENS.len())];
                    authors.push(Author {
                        raw_name: format!("{given} {family}"),
                        family: Some(family.to_owned()),
                        given: Some(given.to_owned()),
                        affiliations: vec![Affiliation {
                            raw: places[k % places.len()].to_owned(),
                            ..Affiliation::default()
                        }],
                        ..Author::default()
                    });
                }
                let at = rng.random_range(1..authors.len());
                authors.swap(0, at);
                identities.push((id.clone(), at as u32, format!("forged:{id}")));
                let title = format!("{} based {} for {}", capitalize(topic[0]), topic[1], topic[2]);
                let keywords = topic.iter().map(|k| (*k).to_owned()).collect();
                works.push(work(&id, year, &title, "International Journal of Advanced Research", authors, keywords));
                forged.push(id);
            }
        }
        genuine_kanji.sort();
        genuine_romaji.sort();
        forged.sort();
        researchers.push(JapaneseResearcherTruth {
            name: format!("{}, {}", plain(me.family.2), plain(me.given.2)),
            variants: vec![me.kanji(), me.kana(), me.romaji()],
            collaborators: lab.iter().map(|p| vec![p.kanji(), p.romaji().to_uppercase()]).collect(),
            institution: (inst.0.to_owned(), inst.1.to_owned()),
            genuine_kanji,
            genuine_romaji,
            forged,
        });
    }
    let mut master_csv = String::from("#nii_code,mext_code,jsps_code,name_ja,name_en,name_yomi\r\n");
    for (i, inst) in INSTITUTIONS.iter().enumerate() {
        master_csv.push_str(&format!("00{:05},{:05},,{},{},\r\n", 90001 + i, 90001 + i, inst.0, inst.1));
    }
    JapaneseCase { works, researchers, master_csv, identities }
}

fn work(id: &str, year: i32, title: &str, venue: &str, authors: Vec<Author>, keywords: Vec<String>) -> Work {
    Work {
        work_id: id.to_owned(),
        title: Some(title.to_owned()),
        date: Some(PubDate::new(year, None, None)),
        venue: Venue { title: Some(venue.to_owned()), ..Venue::default() },
        authors,
        keywords,
        ..Work::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_case_and_the_truth_adds_up() {
        let config = JapaneseCaseConfig { researchers: 12, ..JapaneseCaseConfig::default() };
        let a = generate_japanese_case(&config);
        let b = generate_japanese_case(&config);
        assert_eq!(a.works, b.works);
        let truth: usize =
            a.researchers.iter().map(|r| r.genuine_kanji.len() + r.genuine_romaji.len() + r.forged.len()).sum();
        assert_eq!(truth, a.works.len());
        assert!(a.researchers.iter().any(|r| !r.forged.is_empty()));
        assert!(a.researchers.iter().all(|r| r.variants.len() == 3));
        // Forged works carry the name in romaji only; kanji works in kanji.
        for r in &a.researchers {
            let family_kanji = r.variants[0].split(' ').next().unwrap_or_default().to_owned();
            for id in &r.forged {
                let w = a.works.iter().find(|w| &w.work_id == id).expect("forged work");
                assert!(w.authors.iter().all(|x| !x.raw_name.contains(&family_kanji)));
            }
            for id in &r.genuine_kanji {
                let w = a.works.iter().find(|w| &w.work_id == id).expect("kanji work");
                assert!(w.authors.iter().any(|x| x.raw_name.starts_with(&family_kanji)));
            }
        }
        assert_ne!(generate_japanese_case(&JapaneseCaseConfig { seed: 7, ..config }).works, a.works);
    }
}
