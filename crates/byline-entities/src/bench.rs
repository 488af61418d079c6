//! The affiliations benchmark: the planted-truth corpus of [`byline_synth::affiliations`] run through the
//! screening matcher and the disclosure audit, scored against its truth.
//!
//! - **List matches**, per distinct affiliation string of the corpus: every match the screening matcher
//!   reports at its default threshold is a prediction; it is correct when its entry is one of the entries the
//!   string names (truth `expected`). Recall: strings naming a list organisation with at least one correct
//!   match. Hard negatives (similarly named unlisted organisations) and ordinary strings only add false
//!   positives.
//! - **Undisclosed affiliations** (`AFF002`) and **undisclosed funders** (`FUN001`), per researcher: a finding
//!   is correct when it names a planted item of that researcher (organisation tokens, funder key); a
//!   disclosed appointment abroad or a declared funder written another way that is flagged is a false
//!   positive.

use std::collections::{BTreeSet, HashMap};

use byline_model::{Subject, Work};
use byline_synth::affiliations::{AffiliationsCorpus, ListedOrganisation, StringKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::disclosure::{AuditContext, audit_disclosure, default_programmes, parse_disclosure, positions_by_orcid};
use crate::funders::FunderDictionary;
use crate::lists::ScreeningList;
use crate::ror::InstitutionMatcher;
use crate::screening::ScreeningMatcher;
use crate::text;

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
    /// Up to 20 wrong list matches: "string → entry".
    pub list_false_positives: Vec<String>,
    /// Up to 20 missed listed strings.
    pub list_missed: Vec<String>,
    /// Up to 20 wrong or missed disclosure items.
    pub disclosure_errors: Vec<String>,
}

/// One researcher's scores: affiliations, funders, and the errors to show.
type Scored = (Pr, Pr, Vec<String>);

/// The lists as the generator takes them.
pub fn listed_organisations(lists: &[ScreeningList]) -> Vec<ListedOrganisation> {
    lists
        .iter()
        .flat_map(|l| {
            l.entries.iter().map(|e| ListedOrganisation {
                list_id: l.id.clone(),
                entry_id: e.id.clone(),
                name: e.name.clone(),
                aliases: e.aliases.clone(),
                country_code: e.country.clone(),
            })
        })
        .collect()
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
    let hits: Vec<Vec<String>> = strings
        .par_iter()
        .map(|s| {
            screening.match_affiliation(&s.raw).into_iter().map(|m| format!("{}/{}", m.list_id, m.entry_id)).collect()
        })
        .collect();
    let (mut predicted, mut correct, mut gold, mut found) = (0, 0, 0, 0);
    for (s, h) in strings.iter().zip(&hits) {
        predicted += h.len();
        let good = h.iter().filter(|k| s.expected.contains(k)).count();
        correct += good;
        if !s.expected.is_empty() {
            gold += 1;
            if good > 0 {
                found += 1;
            } else if out.list_missed.len() < 20 {
                out.list_missed.push(format!("{} (expected {})", s.raw, s.expected.join(" | ")));
            }
        }
        for k in h.iter().filter(|k| !s.expected.contains(k)) {
            if out.list_false_positives.len() < 20 {
                out.list_false_positives.push(format!("{} → {k}", s.raw));
            }
        }
    }
    out.list_matches = Pr::new(predicted, correct, gold, found);

    // Disclosures.
    let funders = FunderDictionary::builtin();
    let programmes = default_programmes();
    let ctx = AuditContext { institutions, screening: None, funders: &funders, programmes: &programmes };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::ListEntry;
    use byline_synth::affiliations::{AffiliationsConfig, generate_affiliations};

    #[test]
    fn small_bench_on_a_toy_list() {
        let entry = |id: &str, name: &str, aliases: &[&str]| ListEntry {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            country: Some("CN".into()),
            note: None,
            source_url: None,
        };
        let list = ScreeningList {
            id: "t".into(),
            name: "Test".into(),
            source: "test".into(),
            date: None,
            licence: None,
            entries: vec![
                entry("1", "Harbin Institute of Technology", &["HIT", "哈尔滨工业大学"]),
                entry("2", "Beihang University", &["Beijing University of Aeronautics and Astronautics", "BUAA"]),
            ],
            skipped: 0,
        };
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
}
