//! Affiliations planted truth: researchers with a disclosure each and works whose bylines carry what the
//! disclosure does not say, plus affiliation strings naming screening-list organisations.
//!
//! What is planted, per researcher (everything from one `ChaCha8Rng::seed_from_u64(seed)`):
//! - a home institution (disclosed) on every work, written the way PubMed shows affiliations;
//! - for some researchers an *undisclosed affiliation*: an extra institution abroad on 1–3 works, not in the
//!   disclosure (sometimes that institution is a list organisation);
//! - for some an *undisclosed funder*: a funder in the works' funding records or statements, not declared;
//! - *hard negatives*: a disclosed appointment abroad that appears on works (must not be flagged); declared
//!   funders written differently in the disclosure ("NSFC") and in the works (the full name);
//! - *list-entity co-authorships*: a co-author whose affiliation string names an organisation of a given
//!   screening list, written as real strings are (department, institution, city, country), with the list's
//!   aliases, abbreviations ("Inst.", "Univ."), a leading "The", an acronym in parentheses or the Chinese name;
//! - *similarly named unlisted organisations* (hard negatives for screening): a listed name with another
//!   city ("Wuhan Institute of Technology" for "Harbin Institute of Technology"), a longer name that starts
//!   with a listed one ("Nanjing University of Technology" for "Nanjing University"), a word inserted
//!   ("Nanjing Normal University") — each checked against every name and alias of every list given.
//!
//! This crate does not depend on `byline-entities`: the lists come in as [`ListedOrganisation`]s and the
//! disclosures go out as [`SynthDisclosure`], whose JSON/YAML is the disclosure file format
//! (`byline_entities::disclosure::parse_disclosure`). Author names are never part of the truth: every flag is
//! about an organisation or a funder.

use std::collections::{BTreeMap, BTreeSet};

use byline_model::{Affiliation, Format, Funding, PubDate, Venue, Work};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::corpus::{TOPICS, World, orcid_from_digits};

/// One organisation of a screening list, as the generator needs it (the caller converts its lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedOrganisation {
    pub list_id: String,
    pub entry_id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 when the list says.
    pub country_code: Option<String>,
}

impl ListedOrganisation {
    /// The `list_id/entry_id` key the truth uses.
    pub fn key(&self) -> String {
        format!("{}/{}", self.list_id, self.entry_id)
    }
}

/// Generator options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffiliationsConfig {
    pub seed: u64,
    pub researchers: usize,
    pub works_min: usize,
    pub works_max: usize,
    /// Share of researchers with an undisclosed institution abroad on some works.
    pub undisclosed_affiliation_share: f64,
    /// Share of planted undisclosed affiliations that are a list organisation.
    pub undisclosed_listed_share: f64,
    /// Share of researchers with an undisclosed funder.
    pub undisclosed_funder_share: f64,
    /// Share of researchers with a disclosed appointment abroad that shows on works (hard negative).
    pub disclosed_abroad_share: f64,
    /// Share of works with a co-author at a list organisation.
    pub list_coauthor_share: f64,
    /// Share of works with a co-author at a similarly named unlisted organisation.
    pub hard_negative_share: f64,
}

impl Default for AffiliationsConfig {
    fn default() -> Self {
        AffiliationsConfig {
            seed: 42,
            researchers: 300,
            works_min: 4,
            works_max: 10,
            undisclosed_affiliation_share: 0.3,
            undisclosed_listed_share: 0.25,
            undisclosed_funder_share: 0.3,
            disclosed_abroad_share: 0.3,
            list_coauthor_share: 0.25,
            hard_negative_share: 0.25,
        }
    }
}

/// A disclosure in the disclosure file format (`name`, `orcid`, `appointments`, `affiliations`, `funders`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SynthDisclosure {
    pub name: Option<String>,
    pub orcid: Option<String>,
    pub appointments: Vec<SynthDeclaredOrganisation>,
    pub affiliations: Vec<SynthDeclaredOrganisation>,
    pub funders: Vec<SynthDeclaredFunding>,
}

impl SynthDisclosure {
    /// The disclosure as a JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A declared organisation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SynthDeclaredOrganisation {
    pub organization: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A declared funder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SynthDeclaredFunding {
    pub funder: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

/// A planted undisclosed affiliation: the organisation as written in the strings, and the works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedOrganisation {
    pub orcid: String,
    /// The organisation's name as the affiliation strings write it.
    pub organization: String,
    /// The list entry (`list_id/entry_id`) when the organisation is on a list.
    pub listed: Option<String>,
    pub work_ids: Vec<String>,
}

/// A planted undisclosed funder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedFunder {
    pub orcid: String,
    /// The funder's canonical name.
    pub funder: String,
    pub work_ids: Vec<String>,
}

/// Why an affiliation string is in the labeled set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StringKind {
    /// Names a list organisation.
    Listed,
    /// Names a similarly named organisation that is on no list.
    SimilarUnlisted,
    /// An ordinary (synthetic) institution.
    Ordinary,
}

/// One distinct affiliation string of the corpus with what screening should say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledAffiliation {
    pub raw: String,
    pub kind: StringKind,
    /// Every list entry (`list_id/entry_id`) that carries the name written in the string; empty when none.
    pub expected: Vec<String>,
}

/// The ground truth.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AffiliationsTruth {
    pub undisclosed_affiliations: Vec<PlantedOrganisation>,
    pub undisclosed_funders: Vec<PlantedFunder>,
    /// Disclosed appointments abroad that show on works (must not be flagged): (orcid, organisation).
    pub disclosed_abroad: Vec<(String, String)>,
    /// Every distinct affiliation string of the corpus, sorted.
    pub strings: Vec<LabeledAffiliation>,
}

/// One researcher: ORCID, disclosure, and the ids of the works where they are an author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Researcher {
    pub orcid: String,
    pub disclosure: SynthDisclosure,
    pub work_ids: Vec<String>,
}

/// Generated works, researchers and truth.
#[derive(Debug, Clone, PartialEq)]
pub struct AffiliationsCorpus {
    pub works: Vec<Work>,
    pub researchers: Vec<Researcher>,
    pub truth: AffiliationsTruth,
}

/// Funders with the spelling works use and, for some, the spelling disclosures use.
const FUNDERS: &[(&str, Option<&str>)] = &[
    ("National Natural Science Foundation of China", Some("NSFC")),
    ("National Institutes of Health", Some("NIH")),
    ("Japan Society for the Promotion of Science", Some("JSPS")),
    ("Deutsche Forschungsgemeinschaft", Some("German Research Foundation")),
    ("Wellcome Trust", None),
    ("Canadian Institutes of Health Research", Some("CIHR")),
    ("European Research Council", Some("ERC")),
    ("National Science Foundation", Some("NSF")),
    ("Engineering and Physical Sciences Research Council", Some("EPSRC")),
    ("Agence Nationale de la Recherche", Some("French National Research Agency")),
    ("Russian Science Foundation", None),
    ("National Research Foundation of Korea", None),
];

/// Country names and cities for list organisations (by ISO code).
const LIST_COUNTRIES: &[(&str, &str, &[&str])] = &[
    ("CN", "China", &["Beijing", "Harbin", "Xi'an", "Changsha", "Nanjing", "Chengdu", "Wuhan", "Shenyang"]),
    ("RU", "Russia", &["Moscow", "Saint Petersburg", "Novosibirsk", "Tomsk", "Yekaterinburg", "Kazan"]),
    ("BY", "Belarus", &["Minsk"]),
    ("IR", "Iran", &["Tehran", "Isfahan"]),
    ("KP", "North Korea", &["Pyongyang"]),
    ("TR", "Turkey", &["Istanbul", "Ankara"]),
    ("AE", "United Arab Emirates", &["Dubai"]),
    ("PK", "Pakistan", &["Islamabad"]),
];

/// Place words that start many organisation names; swapped for another to make a similar, different name.
const PLACE_WORDS: &[&str] = &[
    "Beijing",
    "Harbin",
    "Nanjing",
    "Shanghai",
    "Wuhan",
    "Xi'an",
    "Chengdu",
    "Changsha",
    "Shenyang",
    "Tianjin",
    "Dalian",
    "Hefei",
    "Chongqing",
    "Zhengzhou",
    "Taiyuan",
    "Lanzhou",
    "Kunming",
    "Moscow",
    "Novosibirsk",
    "Tomsk",
    "Kazan",
    "Samara",
    "Ural",
    "Siberian",
    "Northwestern",
    "Northeastern",
    "Southwest",
    "Southeast",
    "North",
    "South",
    "East",
    "West",
    "Central",
];

/// Words inserted before "University" or "Institute" to make another organisation's name.
const INSERTED_WORDS: &[&str] = &["Normal", "Medical", "Agricultural", "Forestry", "Finance", "Foreign Studies"];

/// Names appended to a listed name ending in "University" to make a longer, different name.
const CONTINUATIONS: &[&str] =
    &["of Technology", "of Science and Technology", "of Traditional Chinese Medicine", "of Finance and Economics"];

/// Departments and units written before an institution.
const UNITS: &[&str] = &[
    "Department of Physics",
    "School of Materials Science and Engineering",
    "College of Computer Science",
    "State Key Laboratory of Advanced Optics",
    "Department of Chemistry",
    "School of Electronic Engineering",
    "Key Laboratory of Information Systems",
    "Institute of Applied Mathematics",
];

/// A simple normalized key for names: lower-case alphanumeric words, `the/of/and/for/at/in` dropped,
/// common abbreviations expanded. Used only to keep negatives off the lists.
pub fn simple_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('\'', "");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "the" | "of" | "and" | "for" | "at" | "in"))
        .map(|w| match w {
            "univ" => "university",
            "inst" => "institute",
            "technol" | "tech" => "technology",
            "sci" => "science",
            "sciences" => "science",
            "natl" => "national",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`simple_key`] with its words sorted: "Tech Univ Dalian" and "Dalian University of Technology" agree.
fn sorted_key(name: &str) -> String {
    let key = simple_key(name);
    let mut words: Vec<&str> = key.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

/// Every contiguous run of two words or more of a key (the key itself included).
fn sub_keys(key: &str) -> Vec<String> {
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        for j in i + 2..=words.len() {
            out.push(words[i..j].join(" "));
        }
    }
    out
}

fn is_latin(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii() || !c.is_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// A Latin name of two words or more with no comma (commas would split it into two parts of a string).
fn usable_name(s: &str) -> bool {
    is_latin(s) && !s.contains(',') && !s.contains(';') && s.split_whitespace().count() >= 2 && s.len() <= 90
}

fn is_acronym(s: &str) -> bool {
    let n = s.chars().count();
    (2..=8).contains(&n) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn country_of(code: Option<&str>) -> Option<(&'static str, &'static [&'static str])> {
    let code = code?;
    LIST_COUNTRIES.iter().find(|(c, _, _)| *c == code).map(|(_, n, cities)| (*n, *cities))
}

/// Writes a list organisation's name the way affiliation strings do: returns (string, name as written).
fn listed_string(rng: &mut ChaCha8Rng, org: &ListedOrganisation, avoid: &BTreeSet<String>) -> (String, String) {
    let latin: Vec<&str> = std::iter::once(org.name.as_str())
        .chain(org.aliases.iter().map(String::as_str))
        .filter(|a| usable_name(a) && !avoid.contains(&simple_key(a)))
        .collect();
    let cjk: Vec<&str> = org
        .aliases
        .iter()
        .map(String::as_str)
        .filter(|a| a.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count() >= 4 && !a.contains(','))
        .collect();
    let acronym = org.aliases.iter().find(|a| is_acronym(a));
    let country = country_of(org.country_code.as_deref());
    let city = country.map(|(_, cities)| *cities.choose(rng).unwrap_or(&""));
    let unit = *UNITS.choose(rng).unwrap_or(&UNITS[0]);
    if !cjk.is_empty() && org.country_code.as_deref() == Some("CN") && rng.random_bool(0.1) {
        let name = *cjk.choose(rng).unwrap_or(&cjk[0]);
        return (format!("{name}，中国"), name.to_owned());
    }
    let base = if latin.is_empty() { org.name.as_str() } else { *latin.choose(rng).unwrap_or(&latin[0]) };
    let mut name = base.to_owned();
    let mut written = base.to_owned();
    match rng.random_range(0..6) {
        0 if !name.starts_with("The ") && name.starts_with("University") => name = format!("The {name}"),
        1 => {
            name = name
                .replace("University", "Univ.")
                .replace("Institute", "Inst.")
                .replace("Technology", "Technol.")
                .replace("National", "Natl.");
            written = name.clone();
        }
        2 if acronym.is_some() && !name.ends_with(')') => {
            name = format!("{name} ({})", acronym.map(String::as_str).unwrap_or(""));
        }
        _ => {}
    }
    let mut parts = Vec::new();
    if rng.random_bool(0.8) {
        parts.push(unit.to_owned());
    }
    parts.push(name);
    if let Some((country, _)) = country {
        if let Some(c) = city.filter(|c| !c.is_empty()) {
            parts.push(if rng.random_bool(0.5) {
                format!("{c} {}", rng.random_range(100_000..999_999))
            } else {
                c.to_owned()
            });
        }
        if rng.random_bool(0.9) {
            parts.push(country.to_owned());
        }
    }
    (format!("{}.", parts.join(", ")), written)
}

/// Similarly named organisations that are on no list: (name, country code), deterministic order.
pub fn similar_unlisted_names(orgs: &[ListedOrganisation]) -> Vec<(String, Option<String>)> {
    let all_names = || orgs.iter().flat_map(|o| std::iter::once(&o.name).chain(&o.aliases));
    let listed: BTreeSet<String> = all_names().map(|n| simple_key(n)).collect();
    let listed_sorted: BTreeSet<String> = all_names().map(|n| sorted_key(n)).collect();
    let mut out: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for org in orgs {
        for name in std::iter::once(&org.name).chain(&org.aliases).filter(|n| usable_name(n)) {
            let words: Vec<&str> = name.split_whitespace().collect();
            // (candidate, may contain the listed name: only "… of Technology" continuations may).
            let mut candidates: Vec<(String, bool)> = Vec::new();
            // Another place word.
            if let Some(pos) = words.iter().position(|w| PLACE_WORDS.contains(w)) {
                for other in PLACE_WORDS.iter().filter(|p| **p != words[pos]).take(40) {
                    let mut w = words.clone();
                    w[pos] = other;
                    candidates.push((w.join(" "), false));
                }
            }
            // A longer name starting with the listed one.
            if words.last() == Some(&"University") && words.len() == 2 {
                candidates.extend(CONTINUATIONS.iter().map(|c| (format!("{name} {c}"), true)));
            }
            // A word inserted before the organisation word.
            if words.len() == 2 && matches!(words[1], "University" | "Institute") {
                candidates.extend(INSERTED_WORDS.iter().map(|i| (format!("{} {i} {}", words[0], words[1]), false)));
            }
            for (c, may_contain) in candidates {
                let key = simple_key(&c);
                // Off every list in any word order, and holding no listed name inside it, except the
                // continuations that exist to hold one ("Nanjing University of Technology").
                let holds_listed = !may_contain && sub_keys(&key).iter().any(|k| listed.contains(k));
                if !listed_sorted.contains(&sorted_key(&c)) && !holds_listed && !out.contains_key(&key) {
                    out.insert(key, (c, org.country_code.clone()));
                }
            }
        }
    }
    out.into_values().collect()
}

/// Generates the corpus. `lists` may be empty (no list strings are planted then).
pub fn generate_affiliations(config: &AffiliationsConfig, lists: &[ListedOrganisation]) -> AffiliationsCorpus {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let world = World::new(config.seed, (config.researchers * 25 / 8).max(200));
    // List organisations that can be written (a Latin name of two words or more).
    let usable: Vec<&ListedOrganisation> =
        lists.iter().filter(|o| std::iter::once(&o.name).chain(&o.aliases).any(|n| usable_name(n))).collect();
    // Name key → every entry carrying it.
    let mut entries_by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in lists {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            entries_by_key.entry(simple_key(n)).or_default().insert(o.key());
        }
    }
    // Names holding another entry's name ("X Corporation JSC Y Plant" where "Y Plant" is listed too) name two
    // organisations; they are not written (the truth would be ambiguous).
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in lists {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            owners.entry(simple_key(n)).or_default().insert(o.key());
        }
    }
    let mut avoid: BTreeSet<String> = BTreeSet::new();
    for o in lists {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            let key = simple_key(n);
            let other = sub_keys(&key).iter().any(|k| owners.get(k).is_some_and(|e| e.iter().any(|x| *x != o.key())));
            if other {
                avoid.insert(key);
            }
        }
    }
    let usable: Vec<&ListedOrganisation> = usable
        .into_iter()
        .filter(|o| {
            std::iter::once(&o.name).chain(&o.aliases).any(|n| usable_name(n) && !avoid.contains(&simple_key(n)))
        })
        .collect();
    let similar = similar_unlisted_names(lists);
    let mut labels: BTreeMap<String, LabeledAffiliation> = BTreeMap::new();
    let mut label = |raw: &str, kind: StringKind, expected: Vec<String>| {
        labels.entry(raw.to_owned()).or_insert_with(|| LabeledAffiliation { raw: raw.to_owned(), kind, expected });
    };
    let mut works = Vec::new();
    let mut researchers = Vec::new();
    let mut truth = AffiliationsTruth::default();
    let n_inst = world.institutions.len();
    for r in 0..config.researchers {
        let person = r % world.people.len();
        let home = world.people[person].institution;
        let topic = world.people[person].topic;
        let orcid = orcid_from_digits(9_000_000_000 + r as u64);
        let home_inst = &world.institutions[home];
        let abroad = |rng: &mut ChaCha8Rng| loop {
            let i = rng.random_range(0..n_inst);
            if world.institutions[i].country_code != home_inst.country_code {
                break i;
            }
        };
        let mut disclosure = SynthDisclosure {
            name: Some(format!("Researcher {r}")),
            orcid: Some(orcid.clone()),
            appointments: vec![SynthDeclaredOrganisation {
                organization: home_inst.name.clone(),
                role: Some("Professor".into()),
                start: Some(format!("{}", rng.random_range(2005..2015))),
                end: None,
            }],
            ..SynthDisclosure::default()
        };
        // Declared funders: 1–2, written in the disclosure with the alternative spelling half of the time.
        let mut declared: Vec<usize> = Vec::new();
        while declared.len() < rng.random_range(1..=2) {
            let f = rng.random_range(0..FUNDERS.len());
            if !declared.contains(&f) {
                declared.push(f);
            }
        }
        for &f in &declared {
            let (full, alt) = FUNDERS[f];
            let written = match alt {
                Some(a) if rng.random_bool(0.5) => a,
                _ => full,
            };
            disclosure.funders.push(SynthDeclaredFunding {
                funder: written.to_owned(),
                grant: Some(format!("{}", rng.random_range(10_000_000..99_999_999))),
                start: Some(format!("{}", rng.random_range(2012..2020))),
            });
        }
        let n_works = rng.random_range(config.works_min..=config.works_max.max(config.works_min));
        let first = works.len();
        let mut work_list: Vec<Work> = Vec::new();
        for k in 0..n_works {
            let index = (first + k) as u64;
            let mut w = Work::new(Format::Openalex, "synthetic-affiliations", index);
            w.work_id = format!("aff-{}-{index}", config.seed);
            w.ids.doi = Some(format!("10.5555/aff.{}.{index}", config.seed));
            w.title = Some(format!("Study {index} in {}", TOPICS[topic].0));
            w.date = Some(PubDate::new(rng.random_range(2015..2025), Some(rng.random_range(1..13)), None));
            w.venue = Venue { title: Some(TOPICS[topic].3[0].to_owned()), ..Venue::default() };
            let mut me = world.author(person, rng.random_bool(0.3));
            me.orcid = Some(orcid.clone());
            w.authors.push(me);
            for _ in 0..rng.random_range(1..6) {
                let q = rng.random_range(0..world.people.len());
                let mut a = world.author(q, false);
                a.orcid = None;
                w.authors.push(a);
            }
            for &f in &declared {
                w.funding.push(Funding {
                    agency: Some(FUNDERS[f].0.to_owned()),
                    grant_id: Some(format!("G{}", rng.random_range(10_000..99_999))),
                    country: None,
                    funder_id: None,
                });
            }
            work_list.push(w);
        }
        // Undisclosed institution abroad on 1–3 works.
        if rng.random_bool(config.undisclosed_affiliation_share) {
            let listed = (!usable.is_empty() && rng.random_bool(config.undisclosed_listed_share))
                .then(|| *usable.choose(&mut rng).unwrap_or(&usable[0]));
            let (raw, written) = match listed {
                Some(org) => listed_string(&mut rng, org, &avoid),
                None => {
                    let inst = abroad(&mut rng);
                    (world.affiliation(inst, topic).raw, world.institutions[inst].name.clone())
                }
            };
            let k = rng.random_range(1..=3.min(n_works));
            let mut ids = Vec::new();
            for w in work_list.iter_mut().take(k) {
                w.authors[0].affiliations.push(Affiliation { raw: raw.clone(), ..Affiliation::default() });
                ids.push(w.work_id.clone());
            }
            truth.undisclosed_affiliations.push(PlantedOrganisation {
                orcid: orcid.clone(),
                organization: written,
                listed: listed.map(|o| o.key()),
                work_ids: ids,
            });
        }
        // Disclosed appointment abroad (hard negative): in the disclosure and on some works.
        if rng.random_bool(config.disclosed_abroad_share) {
            let inst = abroad(&mut rng);
            let name = world.institutions[inst].name.clone();
            let already =
                truth.undisclosed_affiliations.last().is_some_and(|p| p.orcid == orcid && p.organization == name);
            if !already {
                let raw = world.affiliation(inst, topic).raw;
                for w in work_list.iter_mut().rev().take(rng.random_range(1..=2)) {
                    w.authors[0].affiliations.push(Affiliation { raw: raw.clone(), ..Affiliation::default() });
                }
                disclosure.appointments.push(SynthDeclaredOrganisation {
                    organization: name.clone(),
                    role: Some("Visiting professor".into()),
                    start: Some("2019".into()),
                    end: Some("2022".into()),
                });
                truth.disclosed_abroad.push((orcid.clone(), name));
            }
        }
        // Undisclosed funder on 1–2 works, as a funding record or in the funding statement.
        if rng.random_bool(config.undisclosed_funder_share) {
            let f = loop {
                let f = rng.random_range(0..FUNDERS.len());
                if !declared.contains(&f) {
                    break f;
                }
            };
            let k = rng.random_range(1..=2.min(n_works));
            let mut ids = Vec::new();
            for w in work_list.iter_mut().take(k) {
                if rng.random_bool(0.5) {
                    w.funding.push(Funding {
                        agency: Some(FUNDERS[f].0.to_owned()),
                        grant_id: Some(format!("G{}", rng.random_range(10_000..99_999))),
                        country: None,
                        funder_id: None,
                    });
                } else {
                    w.funding_statement = Some(format!(
                        "This work was supported by the {} (grant {}). The funders had no role in the study design.",
                        FUNDERS[f].0,
                        rng.random_range(1000..9999)
                    ));
                }
                ids.push(w.work_id.clone());
            }
            truth.undisclosed_funders.push(PlantedFunder {
                orcid: orcid.clone(),
                funder: FUNDERS[f].0.to_owned(),
                work_ids: ids,
            });
        }
        // Co-authors at list organisations and at similarly named unlisted ones.
        for w in &mut work_list {
            if !usable.is_empty() && rng.random_bool(config.list_coauthor_share) && w.authors.len() > 1 {
                let org = *usable.choose(&mut rng).unwrap_or(&usable[0]);
                let (raw, _) = listed_string(&mut rng, org, &avoid);
                let pos = rng.random_range(1..w.authors.len());
                w.authors[pos].affiliations = vec![Affiliation { raw, ..Affiliation::default() }];
            }
            if !similar.is_empty() && rng.random_bool(config.hard_negative_share) && w.authors.len() > 1 {
                let (name, code) = similar.choose(&mut rng).cloned().unwrap_or_else(|| similar[0].clone());
                let org = ListedOrganisation {
                    list_id: String::new(),
                    entry_id: String::new(),
                    name,
                    aliases: Vec::new(),
                    country_code: code,
                };
                let (raw, _) = listed_string(&mut rng, &org, &BTreeSet::new());
                let pos = rng.random_range(1..w.authors.len());
                w.authors[pos].affiliations = vec![Affiliation { raw, ..Affiliation::default() }];
            }
        }
        // Label every string now on the works.
        let similar_keys: BTreeSet<String> = similar.iter().map(|(n, _)| simple_key(n)).collect();
        for w in &work_list {
            for a in &w.authors {
                for aff in &a.affiliations {
                    let (kind, expected) = classify(&aff.raw, &entries_by_key, &similar_keys);
                    label(&aff.raw, kind, expected);
                }
            }
        }
        researchers.push(Researcher {
            orcid,
            disclosure,
            work_ids: work_list.iter().map(|w| w.work_id.clone()).collect(),
        });
        works.extend(work_list);
    }
    truth.strings = labels.into_values().collect();
    AffiliationsCorpus { works, researchers, truth }
}

/// Which organisation an affiliation string written by this generator names: the segment whose key is a
/// list name or alias (listed), or a similar unlisted name, else ordinary.
fn classify(
    raw: &str,
    entries_by_key: &BTreeMap<String, BTreeSet<String>>,
    similar: &BTreeSet<String>,
) -> (StringKind, Vec<String>) {
    for seg in raw.trim_end_matches('.').split([',', '，']) {
        let seg = seg.trim();
        let bare = seg.rsplit_once(" (").map_or(seg, |(name, _)| name);
        for key in [simple_key(seg), simple_key(bare)] {
            if let Some(entries) = entries_by_key.get(&key)
                && !key.is_empty()
            {
                return (StringKind::Listed, entries.iter().cloned().collect());
            }
            if similar.contains(&key) {
                return (StringKind::SimilarUnlisted, Vec::new());
            }
        }
    }
    (StringKind::Ordinary, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> Vec<ListedOrganisation> {
        vec![
            ListedOrganisation {
                list_id: "t".into(),
                entry_id: "1".into(),
                name: "Harbin Institute of Technology".into(),
                aliases: vec!["哈尔滨工业大学".into(), "HIT".into()],
                country_code: Some("CN".into()),
            },
            ListedOrganisation {
                list_id: "t".into(),
                entry_id: "2".into(),
                name: "Nanjing University".into(),
                aliases: vec![],
                country_code: Some("CN".into()),
            },
        ]
    }

    #[test]
    fn deterministic_and_planted() {
        let cfg = AffiliationsConfig { researchers: 40, ..AffiliationsConfig::default() };
        let a = generate_affiliations(&cfg, &lists());
        let b = generate_affiliations(&cfg, &lists());
        assert_eq!(a, b);
        assert!(!a.truth.undisclosed_affiliations.is_empty());
        assert!(!a.truth.undisclosed_funders.is_empty());
        assert!(a.truth.strings.iter().any(|s| s.kind == StringKind::Listed));
        assert!(a.truth.strings.iter().any(|s| s.kind == StringKind::SimilarUnlisted));
        let json = a.researchers[0].disclosure.to_json();
        assert!(json.contains("\"appointments\""), "{json}");
    }

    #[test]
    fn similar_names_stay_off_the_list() {
        let names = similar_unlisted_names(&lists());
        assert!(names.iter().any(|(n, _)| n == "Wuhan Institute of Technology"));
        assert!(names.iter().any(|(n, _)| n == "Nanjing University of Technology"));
        assert!(names.iter().any(|(n, _)| n == "Nanjing Normal University"));
        assert!(!names.iter().any(|(n, _)| simple_key(n) == "harbin institute technology"));
    }
}
