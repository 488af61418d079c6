//! A small audit scenario for the bundled sample and the demo: one researcher of the base world whose name
//! is planted on works they did not write (strangers as co-authors, foreign institutions, another field).
//!
//! Unlike `audit.rs` (many researchers, for benchmarks), this plants into the same world as the base corpus,
//! so the researcher's genuine record comes from the base corpus itself.

use byline_model::{Affiliation, Author, Format, PubDate, Venue, Work};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::corpus::{COUNTRIES, NAME_POOLS, TOPICS, World, abstract_text, draw_given};

/// What was planted, for scoring the audit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlantedAudit {
    /// The researcher's name as "Family, Given" and ORCID (if they have one).
    pub name: String,
    pub orcid: Option<String>,
    pub person: usize,
    /// DOIs of the planted works.
    pub planted_dois: Vec<String>,
}

/// The researcher the scenario is about: the lead of the first lab whose lead has an ORCID.
pub fn scenario_person(world: &World) -> usize {
    world.labs.iter().map(|lab| lab[0]).find(|&p| world.people[p].orcid.is_some()).unwrap_or(world.labs[0][0])
}

/// Plants `n` works carrying the scenario researcher's name with strangers from other countries, at a
/// foreign institution, on another topic. Works are numbered from `first_index` (after the base corpus).
pub fn plant_audit(world: &World, seed: u64, n: usize, first_index: u64, path: &str) -> (Vec<Work>, PlantedAudit) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xa0d1_7000);
    let person = scenario_person(world);
    let me = &world.people[person];
    let home_country = &world.institutions[me.institution].country_code;
    let topic = (me.topic + 1 + rng.random_range(0..TOPICS.len() - 1)) % TOPICS.len();
    let mut works = Vec::new();
    let mut planted = Vec::new();
    for k in 0..n {
        let index = first_index + k as u64;
        let mut w = Work::new(Format::Pubmed, path, index);
        w.ids.pmid = Some((30_000_000 + index).to_string());
        let doi = format!("10.5555/byline.{seed}.{index}");
        w.ids.doi = Some(doi.clone());
        let words = TOPICS[topic].1;
        w.title = Some(format!(
            "Role of {} in {} progression: evidence from {}",
            words[rng.random_range(0..words.len())],
            words[rng.random_range(0..words.len())],
            words[rng.random_range(0..words.len())]
        ));
        w.abstract_text = Some(abstract_text(&mut rng, topic));
        w.date = Some(PubDate::new(2019 + (k as i32 % 4), Some(rng.random_range(1..13)), None));
        w.venue = Venue {
            title: Some("International Journal of Rapid Reports".to_owned()),
            issns: vec!["2049-7771".to_owned()],
            ..Venue::default()
        };
        w.language = Some("eng".to_owned());
        w.publication_types = vec!["Journal Article".to_owned()];
        w.mesh = TOPICS[topic].2.iter().map(|m| (*m).to_owned()).collect();
        // Strangers: people who appear nowhere else in the corpus (the other buyers of a mill's slots), at
        // institutions in other countries than the researcher's.
        let mut authors: Vec<Author> = Vec::new();
        for j in 0..5 {
            let (_, givens, families) = NAME_POOLS[rng.random_range(0..NAME_POOLS.len())];
            let given = draw_given(&mut rng, givens);
            let family = families[rng.random_range(0..families.len())].to_owned();
            let (country, code, cities, _) = COUNTRIES[(k * 3 + j * 7 + 1) % COUNTRIES.len()];
            let country = if code == home_country.as_str() { "Egypt" } else { country };
            let city = cities[rng.random_range(0..cities.len())];
            authors.push(Author {
                raw_name: format!("{given} {family}"),
                initials: given.chars().next().map(|c| c.to_string()),
                given: Some(given),
                family: Some(family),
                affiliations: vec![Affiliation {
                    raw: format!("Department of {}, {city} Polytechnic Institute, {city}, {country}.", TOPICS[topic].0),
                    ..Affiliation::default()
                }],
                ..Author::default()
            });
        }
        // The researcher's name, without their ORCID (bought slots rarely carry it), at a foreign institution.
        let mut mine = world.author(person, false);
        mine.orcid = None;
        let (country, code, cities, _) = COUNTRIES[(k * 5 + 3) % COUNTRIES.len()];
        let city = cities[0];
        if code != home_country.as_str() {
            mine.affiliations = vec![Affiliation {
                raw: format!("Faculty of Medicine, {city} International University, {city}, {country}."),
                ..Affiliation::default()
            }];
        }
        authors.insert(rng.random_range(1..authors.len().max(2)), mine);
        w.authors = authors;
        planted.push(doi);
        works.push(w);
    }
    let truth = PlantedAudit {
        name: format!("{}, {}", me.family, me.given),
        orcid: me.orcid.clone(),
        person,
        planted_dois: planted,
    };
    (works, truth)
}
