//! The ORCID record model on recorded v3.0 records.

use byline_fetch::orcid::OrcidRecord;
use byline_testdata::apis::{RESEARCHER, fixture, orcid_record};
use serde_json::Value;

#[test]
fn carberry_record_says_who_added_each_work_and_where_he_worked() {
    let body = fixture("orcid/mex-common-record-0000-0002-1825-0097.json");
    let raw: Value = serde_json::from_slice(&body).expect("json");
    let record = OrcidRecord::from_json(&body).expect("record");
    assert_eq!(record.orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(record.name.as_deref(), Some("Josiah Carberry"));
    let groups = raw.pointer("/activities-summary/works/group").and_then(Value::as_array).expect("groups");
    assert_eq!(record.works.len(), groups.len());
    // The group of 10.5555/12345680 holds two copies: one from Crossref Metadata Search, one self-added.
    let both = record.works.iter().find(|w| w.doi.as_deref() == Some("10.5555/12345680")).expect("work");
    assert!(both.added_by_researcher());
    assert_eq!(both.added_by(), "Crossref Metadata Search, the researcher");
    // The Scopus copy was added by Scopus, not by him.
    let scopus = record.works.iter().find(|w| w.doi.as_deref() == Some("10.1109/tps.1987.4316723")).expect("work");
    assert!(!scopus.added_by_researcher());
    assert_eq!(scopus.added_by(), "Scopus - Elsevier");
    // ISSNs are `part-of` ids of the journal, never the work's.
    assert!(record.works.iter().all(|w| w.doi.as_deref() != Some("0264-3561")));
    let employments = raw.pointer("/activities-summary/employments/affiliation-group").and_then(Value::as_array);
    assert_eq!(record.employments.len(), employments.map_or(0, Vec::len));
    let wesleyan = record.employments.iter().find(|e| e.organization == "Wesleyan University").expect("Wesleyan");
    assert_eq!(wesleyan.start.as_deref(), Some("1930-02-29"));
    assert_eq!(wesleyan.organization_id.as_deref(), Some("RINGGOLD 5468"));
    assert!(record.educations.is_empty() && record.fundings.is_empty());
    assert_eq!(record.verified_email, Some(true));
}

#[test]
fn a_bare_works_answer_reads_as_the_works_list() {
    let body = fixture("orcid/rorcid-works-0000-0003-1444-9135.json.gz");
    let raw: Value = serde_json::from_slice(&body).expect("json");
    let record = OrcidRecord::from_json(&body).expect("works");
    let groups = raw.get("group").and_then(Value::as_array).expect("groups");
    assert_eq!(record.works.len(), groups.len());
    let dois = groups
        .iter()
        .filter(|g| {
            g.pointer("/external-ids/external-id")
                .and_then(Value::as_array)
                .is_some_and(|ids| ids.iter().any(|i| i.get("external-id-type").and_then(Value::as_str) == Some("doi")))
        })
        .count();
    assert_eq!(record.works.iter().filter(|w| w.doi.is_some()).count(), dois);
    let self_added = record.works.iter().filter(|w| w.added_by_researcher()).count();
    // No iD in a bare works answer: the holder is unknown, so no copy is attributed to them.
    assert_eq!(self_added, 0);
    let empty = OrcidRecord::from_json(&fixture("orcid/rorcid-works-0000-0003-1620-1408-empty.json")).expect("empty");
    assert!(empty.works.is_empty());
}

#[test]
fn the_assembled_record_attributes_self_added_works() {
    let record = OrcidRecord::from_json(&orcid_record()).expect("record");
    assert_eq!(record.orcid.as_deref(), Some(RESEARCHER));
    let raw: Value = serde_json::from_slice(&fixture("orcid/rorcid-works-0000-0003-1444-9135.json.gz")).expect("json");
    let own = raw["group"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| {
            g["work-summary"].as_array().is_some_and(|s| {
                s.iter().any(|w| w.pointer("/source/source-orcid/path").and_then(Value::as_str) == Some(RESEARCHER))
            })
        })
        .count();
    assert!(own > 0);
    assert_eq!(record.works.iter().filter(|w| w.added_by_researcher()).count(), own);
    // Independently of the model's calendar: mean Gregorian year length.
    let ms = raw.pointer("/last-modified-date/value").and_then(Value::as_i64).expect("date");
    let year = 1970 + (ms as f64 / (365.2425 * 86_400_000.0)).floor() as i32;
    assert_eq!(record.works_last_modified_year(), Some(year));
}

#[test]
fn hostile_records_never_panic() {
    for body in [&b""[..], b"null", b"[]", b"{\"activities-summary\":{\"works\":{\"group\":[{\"work-summary\":7}]}}}"] {
        let _ = OrcidRecord::from_json(body);
    }
}
