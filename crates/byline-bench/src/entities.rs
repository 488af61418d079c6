//! The affiliations benchmark: the planted-truth corpus of [`byline_synth::affiliations`] run through the
//! screening matcher and the disclosure audit, scored against its truth.
//!
//! - **List matches**, per distinct affiliation string of the corpus: every match the screening matcher
//!   reports at its default threshold is a prediction; it is correct when its entry is one of the entries the
//!   string names (truth `expected`), or an entry of the same organisation on another list — one that shares a
//!   name with an expected entry ([`same_organisation`]: Harbin Engineering University is on the ASPI tracker,
//!   METI's End User List, the Entity List and the 1286 list, written in English on all four, in Chinese on
//!   ASPI and in Japanese kanji on METI's). Recall: strings naming a list organisation with at least one
//!   correct match. Hard negatives (similarly named unlisted organisations) and ordinary strings only add
//!   false positives. Only organisations are planted and matched (people, vessels and programmes are on the
//!   lists but never an affiliation: [`byline_entities::lists::ListEntry::matches_affiliations`]).
//! - **Undisclosed affiliations** (`AFF002`) and **undisclosed funders** (`FUN001`), per researcher: a finding
//!   is correct when it names a planted item of that researcher (organisation tokens, funder key); a
//!   disclosed appointment abroad or a declared funder written another way that is flagged is a false
//!   positive.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use byline_model::{Subject, Work};
use byline_synth::affiliations::{AffiliationsCorpus, ListedOrganisation, StringKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use byline_entities::disclosure::{
    AuditContext, audit_disclosure, default_programmes, parse_disclosure, positions_by_orcid,
};
use byline_entities::funders::FunderDictionary;
use byline_entities::lists::ScreeningList;
use byline_entities::ror::InstitutionMatcher;
use byline_entities::screening::ScreeningMatcher;
use byline_entities::text;

/// Precision and recall with their counts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Pr {
    pub predicted: usize,
    pub correct: usize,
    pub gold: usize,
    /// Gold items found.
    pub found: usize,
    pub precision: f64,
    pub recall: f64,
}

impl Pr {
    fn new(predicted: usize, correct: usize, gold: usize, found: usize) -> Pr {
        Pr {
            predicted,
            correct,
            gold,
            found,
            precision: if predicted == 0 { 1.0 } else { correct as f64 / predicted as f64 },
            recall: if gold == 0 { 1.0 } else { found as f64 / gold as f64 },
        }
    }
}

/// What the benchmark measured.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AffiliationsBench {
    pub works: usize,
    pub researchers: usize,
    /// Distinct affiliation strings by kind: listed, similar unlisted, ordinary.
    pub listed_strings: usize,
    pub similar_unlisted_strings: usize,
    pub ordinary_strings: usize,
    pub list_matches: Pr,
    pub undisclosed_affiliations: Pr,
    pub undisclosed_funders: Pr,
    /// Correct list matches whose entry is not one the string names but the same organisation on another list
    /// (they share a name): counted as correct, and counted here so the share is visible.
    pub list_same_organisation: usize,
    /// Up to [`MAX_SHOWN_ERRORS`] wrong list matches: "string → entry".
    pub list_false_positives: Vec<String>,
    /// Up to [`MAX_SHOWN_ERRORS`] missed listed strings.
    pub list_missed: Vec<String>,
    /// Up to 20 wrong or missed disclosure items.
    pub disclosure_errors: Vec<String>,
}

/// Wrong and missed list matches kept for the report: enough to read every one at the sizes the bench runs at.
pub const MAX_SHOWN_ERRORS: usize = 100;

/// One researcher's scores: affiliations, funders, and the errors to show.
type Scored = (Pr, Pr, Vec<String>);

/// The lists' organisations as the generator takes them: only entries matched against affiliations (people,
/// vessels and programmes are never planted as an affiliation).
pub fn listed_organisations(lists: &[ScreeningList]) -> Vec<ListedOrganisation> {
    lists
        .iter()
        .flat_map(|l| {
            l.entries.iter().filter(|e| e.matches_affiliations()).map(|e| ListedOrganisation {
                list_id: l.id.clone(),
                entry_id: e.id.clone(),
                name: e.name.clone(),
                aliases: e.aliases.clone(),
                country_code: e.country.clone(),
            })
        })
        .collect()
}

/// For each organisation entry (`list_id/entry_id`), the entries of any list that carry one of its names,
/// compared by normalized name ([`text::name_key`], Han characters in one script, legal forms and an acronym
/// in parentheses at the end left out: "New Auto Engineering (NAE)" and "New Auto Engineering", "OOO Alabuga
/// Development" and "Alabuga Development OOO"): the same organisation listed twice. Word order counts
/// ("Luqman Yasin Yunus Shgragi" and "Yunus Luqman Yasin Shgragi" are two entries). Bare acronyms
/// (`HIT`, `HPSTAR`: upper-case letters and digits, at most 6) and one-token names ("Stroytransgaz") link
/// nothing, because different organisations share them; "Zixis Limited" and "Zixis Ltd." do.
pub fn same_organisation(lists: &[ScreeningList]) -> HashMap<String, HashSet<String>> {
    let mut by_name: HashMap<String, HashSet<String>> = HashMap::new();
    for l in lists {
        for e in l.entries.iter().filter(|e| e.matches_affiliations()) {
            for n in e.all_names() {
                let t = n.trim();
                let acronym = t.chars().count() <= 6 && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                let bare = match t.rsplit_once(" (") {
                    Some((head, tail))
                        if tail.strip_suffix(')').is_some_and(|a| {
                            !a.is_empty()
                                && a.len() <= 8
                                && a.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                        }) =>
                    {
                        head
                    }
                    _ => t,
                };
                let all = text::tokens(bare);
                let words: Vec<&String> =
                    all.iter().filter(|w| !byline_entities::screening::COMPANY_FORMS.contains(&w.as_str())).collect();
                if acronym || all.len() < 2 || words.is_empty() {
                    continue;
                }
                let key = words.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" ");
                by_name.entry(key).or_default().insert(format!("{}/{}", l.id, e.id));
            }
        }
    }
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for entries in by_name.values().filter(|e| e.len() > 1) {
        for e in entries {
            out.entry(e.clone()).or_default().extend(entries.iter().cloned());
        }
    }
    out
}

/// Scores a generated corpus: list matches with `screening`, undisclosed affiliations and funders with the
/// disclosure audit (`institutions` optional: without it organisations are compared by parsed name).
pub fn bench_affiliations(
    corpus: &AffiliationsCorpus,
    screening: &ScreeningMatcher,
    institutions: Option<&InstitutionMatcher>,
) -> AffiliationsBench {
    let mut out = AffiliationsBench {
        works: corpus.works.len(),
        researchers: corpus.researchers.len(),
        ..AffiliationsBench::default()
    };
    let strings = &corpus.truth.strings;
    for s in strings {
        match s.kind {
            StringKind::Listed => out.listed_strings += 1,
            StringKind::SimilarUnlisted => out.similar_unlisted_strings += 1,
            StringKind::Ordinary => out.ordinary_strings += 1,
        }
    }
    // List matches.
    // (list_id/entry_id, what it is shown as in the errors: the entry's name and the alias that matched).
    let hits: Vec<Vec<(String, String)>> = strings
        .par_iter()
        .map(|s| {
            screening
                .match_affiliation(&s.raw)
                .into_iter()
                .map(|m| {
                    let shown = format!(
                        "{}/{} \"{}\" (alias \"{}\", score {:.2})",
                        m.list_id, m.entry_id, m.entry_name, m.matched_alias, m.score
                    );
                    (format!("{}/{}", m.list_id, m.entry_id), shown)
                })
                .collect()
        })
        .collect();
    let same_org = same_organisation(screening.lists());
    let (mut predicted, mut correct, mut gold, mut found) = (0, 0, 0, 0);
    for (s, h) in strings.iter().zip(&hits) {
        predicted += h.len();
        let named = |k: &String| s.expected.contains(k);
        let same = |k: &String| s.expected.iter().any(|e| same_org.get(e).is_some_and(|o| o.contains(k)));
        let good = h.iter().filter(|(k, _)| named(k) || same(k)).count();
        out.list_same_organisation += h.iter().filter(|(k, _)| !named(k) && same(k)).count();
        correct += good;
        if !s.expected.is_empty() {
            gold += 1;
            if good > 0 {
                found += 1;
            } else if out.list_missed.len() < MAX_SHOWN_ERRORS {
                out.list_missed.push(format!("{} (expected {})", s.raw, s.expected.join(" | ")));
            }
        }
        for (_, shown) in h.iter().filter(|(k, _)| !named(k) && !same(k)) {
            if out.list_false_positives.len() < MAX_SHOWN_ERRORS {
                out.list_false_positives.push(format!("{} → {shown}", s.raw));
            }
        }
    }
    out.list_matches = Pr::new(predicted, correct, gold, found);

    // Disclosures.
    let funders = FunderDictionary::builtin();
    let programmes = default_programmes();
    let ctx =
        AuditContext { registry: None, institutions, screening: None, funders: &funders, programmes: &programmes };
    let by_id: HashMap<&str, &Work> = corpus.works.iter().map(|w| (w.work_id.as_str(), w)).collect();
    let per_researcher: Vec<Scored> = corpus
        .researchers
        .par_iter()
        .map(|r| {
            let works: Vec<Work> =
                r.work_ids.iter().filter_map(|id| by_id.get(id.as_str()).map(|w| (*w).clone())).collect();
            let authored = positions_by_orcid(&works, &r.orcid);
            let disclosure = parse_disclosure(&r.disclosure.to_json(), "synthetic").unwrap_or_default();
            let findings = audit_disclosure(&authored, &disclosure, &ctx);
            let mut errors = Vec::new();
            // Affiliations: planted organisation tokens ⊆ flagged organisation tokens.
            let planted: Vec<BTreeSet<String>> = corpus
                .truth
                .undisclosed_affiliations
                .iter()
                .filter(|p| p.orcid == r.orcid)
                .map(|p| text::tokens(&p.organization).into_iter().collect())
                .collect();
            let mut hit = vec![false; planted.len()];
            let (mut pred, mut corr) = (0, 0);
            for f in findings.iter().filter(|f| f.code == "AFF002") {
                let Subject::Affiliation { raw } = &f.subject else { continue };
                pred += 1;
                let toks: BTreeSet<String> = text::tokens(raw).into_iter().collect();
                match planted.iter().position(|p| p.is_subset(&toks)) {
                    Some(i) => {
                        corr += 1;
                        hit[i] = true;
                    }
                    None => errors.push(format!("{}: flagged affiliation \"{raw}\" was disclosed", r.orcid)),
                }
            }
            let aff = Pr::new(pred, corr, planted.len(), hit.iter().filter(|h| **h).count());
            // Funders.
            let planted_f: Vec<String> = corpus
                .truth
                .undisclosed_funders
                .iter()
                .filter(|p| p.orcid == r.orcid)
                .filter_map(|p| funders.funder_key(Some(&p.funder), None).map(|(k, _)| k))
                .collect();
            let mut hit_f = vec![false; planted_f.len()];
            let (mut pred_f, mut corr_f) = (0, 0);
            for f in findings.iter().filter(|f| f.code == "FUN001") {
                let Subject::Affiliation { raw } = &f.subject else { continue };
                pred_f += 1;
                let key = funders.funder_key(Some(raw), None).map(|(k, _)| k);
                match planted_f.iter().position(|p| Some(p) == key.as_ref()) {
                    Some(i) => {
                        corr_f += 1;
                        hit_f[i] = true;
                    }
                    None => errors.push(format!("{}: flagged funder \"{raw}\" was declared", r.orcid)),
                }
            }
            let fun = Pr::new(pred_f, corr_f, planted_f.len(), hit_f.iter().filter(|h| **h).count());
            if aff.found < aff.gold || fun.found < fun.gold {
                errors.push(format!(
                    "{}: missed {} affiliation(s), {} funder(s)",
                    r.orcid,
                    aff.gold - aff.found,
                    fun.gold - fun.found
                ));
            }
            (aff, fun, errors)
        })
        .collect();
    let sum = |f: &dyn Fn(&Scored) -> Pr| {
        let (mut p, mut c, mut g, mut fo) = (0, 0, 0, 0);
        for x in &per_researcher {
            let pr = f(x);
            p += pr.predicted;
            c += pr.correct;
            g += pr.gold;
            fo += pr.found;
        }
        Pr::new(p, c, g, fo)
    };
    out.undisclosed_affiliations = sum(&|x| x.0);
    out.undisclosed_funders = sum(&|x| x.1);
    out.disclosure_errors = per_researcher.iter().flat_map(|x| x.2.iter().cloned()).take(20).collect();
    out
}

/// The ROR gold files of the shared data (`entities/`), whose `affiliation` column is a set of real
/// affiliation strings as publishers and authors write them.
pub const ROR_GOLD_FILES: [&str; 3] =
    ["ror_gold_crossref_publisher_assertions.tsv", "ror_gold_springer_nature.tsv", "ror_gold_matching_logs.tsv"];

/// The affiliation strings (first column, header skipped) of every [`ROR_GOLD_FILES`] file present in
/// `entities_dir`, in file order; missing files are skipped.
pub fn ror_gold_strings(entities_dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in ROR_GOLD_FILES {
        let Ok(text) = std::fs::read_to_string(entities_dir.join(file)) else { continue };
        out.extend(
            text.lines()
                .skip(1)
                .map(|l| l.split_once('\t').map_or(l, |(a, _)| a).trim())
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
        );
    }
    out
}

/// Units put in front of a drawn string ([`AffiliationStream`]), as bylines name a department before the
/// institution.
const STREAM_UNITS: &[&str] = &[
    "Department of Chemistry",
    "School of Medicine",
    "Institute of Physics",
    "Key Laboratory of Advanced Materials",
    "College of Engineering",
    "Division of Cardiology",
    "Graduate School of Information Science",
    "Faculty of Economics",
];

/// Abbreviations written in place of full words ([`AffiliationStream`]).
const STREAM_ABBREVIATIONS: &[(&str, &str)] =
    &[("University", "Univ."), ("Institute", "Inst."), ("Department", "Dept."), ("Technology", "Technol.")];

/// An endless, seeded stream of affiliation strings for throughput measurements at any size: each string
/// is drawn from a pool (real and generated strings) and perturbed the way real strings vary, so that a
/// million strings are mostly distinct while the pool stays small. Per string, independently: a unit in
/// front (30 %), abbreviations (30 %), other digits in postal codes (30 %), two adjacent letters swapped
/// (10 %), all upper case (5 %), an e-mail address after it (5 %).
///
/// Memory is the pool only: strings are made on demand ([`AffiliationStream::fill`] reuses a buffer).
#[derive(Debug, Clone)]
pub struct AffiliationStream {
    pool: Vec<String>,
    state: u64,
}

impl AffiliationStream {
    /// A stream over `pool` (must not be empty), deterministic for a seed.
    pub fn new(pool: Vec<String>, seed: u64) -> AffiliationStream {
        assert!(!pool.is_empty(), "an affiliation stream needs a pool of strings");
        AffiliationStream { pool, state: seed ^ 0x5DEE_CE66_D1CE_4E5B }
    }

    pub fn pool_len(&self) -> usize {
        self.pool.len()
    }

    /// splitmix64: small, fast and good enough to draw strings and perturbations.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Replaces the contents of `out` with the next `n` strings.
    pub fn fill(&mut self, n: usize, out: &mut Vec<String>) {
        out.clear();
        out.extend((0..n).map(|_| self.next_string()));
    }

    fn next_string(&mut self) -> String {
        let i = self.below(self.pool.len());
        let mut s = self.pool[i].clone();
        if self.chance(30) {
            let unit = STREAM_UNITS[self.below(STREAM_UNITS.len())];
            s = format!("{unit}, {s}");
        }
        if self.chance(30) {
            for (full, short) in STREAM_ABBREVIATIONS {
                s = s.replace(full, short);
            }
        }
        if self.chance(30) && s.bytes().any(|b| b.is_ascii_digit()) {
            s = s
                .chars()
                .map(|c| if c.is_ascii_digit() { char::from(b'0' + (self.next_u64() % 10) as u8) } else { c })
                .collect();
        }
        if self.chance(10) {
            // Two adjacent lower-case ASCII letters swapped: a typo.
            let bytes = s.as_bytes();
            let spots: Vec<usize> = (0..bytes.len().saturating_sub(1))
                .filter(|&k| bytes[k].is_ascii_lowercase() && bytes[k + 1].is_ascii_lowercase())
                .collect();
            if !spots.is_empty() {
                let k = spots[self.below(spots.len())];
                let mut b = s.into_bytes();
                b.swap(k, k + 1);
                s = String::from_utf8(b).unwrap_or_default();
            }
        }
        if self.chance(5) {
            s = s.to_uppercase();
        }
        if self.chance(5) {
            s = format!("{s} Electronic address: author{}@example.org.", self.next_u64() % 10_000);
        }
        s
    }
}

impl Iterator for AffiliationStream {
    type Item = String;
    fn next(&mut self) -> Option<String> {
        Some(self.next_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use byline_entities::lists::ListEntry;
    use byline_synth::affiliations::{AffiliationsConfig, generate_affiliations};

    #[test]
    fn small_bench_on_a_toy_list() {
        let entry = |id: &str, name: &str, aliases: &[&str]| {
            ListEntry::organisation(id, name).with_aliases(aliases.iter().copied()).with_country(Some("CN"))
        };
        let mut list = ScreeningList::new("t", "Test", "test", byline_entities::lists::ListFormat::UserCsv);
        list.entries = vec![
            entry("1", "Harbin Institute of Technology", &["HIT", "哈尔滨工业大学"]),
            entry("2", "Beihang University", &["Beijing University of Aeronautics and Astronautics", "BUAA"]),
        ];
        let cfg = AffiliationsConfig { researchers: 60, ..AffiliationsConfig::default() };
        let corpus = generate_affiliations(&cfg, &listed_organisations(std::slice::from_ref(&list)));
        let screening = ScreeningMatcher::new(vec![list]);
        let b = bench_affiliations(&corpus, &screening, None);
        assert!(b.listed_strings > 0 && b.similar_unlisted_strings > 0, "{b:?}");
        assert!(b.list_matches.precision >= 0.98, "{b:#?}");
        assert!(b.list_matches.recall >= 0.9, "{b:#?}");
        assert!(b.undisclosed_affiliations.recall >= 0.9, "{b:#?}");
        assert!(b.undisclosed_funders.precision >= 0.9, "{b:#?}");
    }

    #[test]
    fn affiliation_stream_is_seeded_varied_and_endless() {
        let pool = vec![
            "Harbin Institute of Technology, Harbin 150001, China".to_owned(),
            "Department of Physics, University of Oslo, Oslo, Norway".to_owned(),
        ];
        let a: Vec<String> = AffiliationStream::new(pool.clone(), 1).take(2_000).collect();
        let b: Vec<String> = AffiliationStream::new(pool.clone(), 1).take(2_000).collect();
        assert_eq!(a, b, "same seed, same strings");
        let distinct: BTreeSet<&String> = a.iter().collect();
        assert!(distinct.len() > 500, "perturbations make most strings distinct: {}", distinct.len());
        assert!(a.iter().any(|s| s.contains("Univ.") || s.contains("Inst.")));
        let mut buf = Vec::new();
        let mut stream = AffiliationStream::new(pool, 2);
        stream.fill(10, &mut buf);
        stream.fill(3, &mut buf);
        assert_eq!(buf.len(), 3);
    }
}
