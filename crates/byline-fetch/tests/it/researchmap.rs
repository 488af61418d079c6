//! The researchmap reader on real API items (`tests/fixtures/researchmap/`, see SOURCE.md: the `items` of two
//! real researchmap.V2 list answers, saved by a public site's script). Counts are computed here with
//! `serde_json::Value`, independently of the reader.

use std::path::PathBuf;

use byline_fetch::researchmap::{ResearchmapError, parse_researchmap, text_in};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/researchmap").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const PAPERS: &str = "takami-lab-site-published_papers-items.json";
const PROJECTS: &str = "takami-lab-site-research_projects-items.json";

#[test]
fn real_published_papers() {
    let body = fixture(PAPERS);
    let raw: Value = serde_json::from_str(&body).expect("JSON");
    let items = raw.as_array().expect("an array of items");
    let with_doi = items.iter().filter(|i| i.pointer("/identifiers/doi/0").is_some()).count();
    let rec = parse_researchmap(&body).expect("researchmap items");
    assert_eq!(rec.papers.len(), items.len());
    assert_eq!(rec.records_seen(), items.len());
    assert!(rec.rejected.is_empty(), "{:?}", rec.rejected);
    assert!(rec.problems.is_empty(), "{:?}", rec.problems);
    assert_eq!(rec.papers.iter().filter(|p| !p.dois.is_empty()).count(), with_doi);
    assert_eq!(rec.claimed_keys().len(), {
        let mut d: Vec<String> = items
            .iter()
            .filter_map(|i| i.pointer("/identifiers/doi/0").and_then(Value::as_str))
            .map(str::to_lowercase)
            .collect();
        d.sort();
        d.dedup();
        d.len()
    });
    assert_eq!(rec.permalink.as_deref(), Some("takamikyo"));
    // Values as written: a paper of the fixture, its authors in the language the record gives.
    let p = rec.papers.iter().find(|p| p.rm_id.as_deref() == Some(items[1]["rm:id"].as_str().unwrap_or("")));
    let p = p.expect("the second item");
    let raw_authors: Vec<&str> = items[1]["authors"]
        .as_object()
        .and_then(|m| m.values().next())
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|n| n["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(p.authors.values().next().map(|v| v.iter().map(String::as_str).collect::<Vec<_>>()), Some(raw_authors));
    assert!(p.authors.values().flatten().any(|n| n == "Kyosuke Takami"), "{p:?}");
    assert_eq!(p.dois, ["10.5281/zenodo.15870238"]);
    assert_eq!(p.year(), Some(2025));
}

#[test]
fn real_research_projects() {
    let body = fixture(PROJECTS);
    let raw: Value = serde_json::from_str(&body).expect("JSON");
    let n = raw.as_array().map_or(0, Vec::len);
    let rec = parse_researchmap(&body).expect("researchmap items");
    assert_eq!(rec.projects.len(), n);
    assert_eq!(n, 3);
    let kakenhi = rec.projects.iter().find(|p| p.grant_numbers == ["23K17012"]).expect("grant 23K17012");
    assert_eq!(kakenhi.national_grant_numbers, ["JP23K17012"]);
    assert_eq!(text_in(&kakenhi.funder, "ja"), Some("日本学術振興会"));
    assert_eq!((kakenhi.from.as_deref(), kakenhi.to.as_deref()), (Some("2023-04"), Some("2027-03")));
    assert_eq!(kakenhi.role.as_deref(), Some("principal_investigator"));
    assert_eq!(kakenhi.investigators, ["高見 享佑"]);
    // A project without a grant number (a JST programme) is kept, with none.
    assert!(
        rec.projects.iter().any(|p| p.grant_numbers.is_empty() && text_in(&p.funder, "ja") == Some("科学技術振興機構"))
    );

    // Two answers of one researcher make one record.
    let mut both = parse_researchmap(&fixture(PAPERS)).expect("papers");
    both.merge(rec).expect("same researcher");
    assert_eq!((both.papers.len(), both.projects.len()), (38, 3));
}

#[test]
fn other_formats_are_refused_by_name() {
    let Some(data) = byline_testdata::shared_data() else { return };
    let kaken = std::fs::read_to_string(data.join("jp/kaken_researchers_sample.json")).expect("KAKEN sample");
    let e = parse_researchmap(&kaken).expect_err("KAKEN is not researchmap");
    assert!(matches!(e, ResearchmapError::NotResearchmap(_)) && e.to_string().contains("KAKEN"), "{e}");
    let orcid = fixture_of("orcid/mex-common-record-0000-0002-1825-0097.json");
    let e = parse_researchmap(&orcid).expect_err("ORCID is not researchmap");
    assert!(e.to_string().contains("ORCID"), "{e}");
    let openalex = fixture_of("openalex/openalexPro-keypaper-results_page_1.json");
    assert!(parse_researchmap(&openalex).expect_err("OpenAlex").to_string().contains("OpenAlex"));
    // A cut answer: an error with its position.
    let whole = fixture(PROJECTS);
    let cut: String = whole.chars().take(whole.chars().count() / 2).collect();
    let e = parse_researchmap(&cut).expect_err("cut");
    assert!(matches!(e, ResearchmapError::Json { line, .. } if line > 1), "{e}");
}

fn fixture_of(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
