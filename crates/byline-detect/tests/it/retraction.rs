use byline_detect::RetractionDb;
use byline_detect::retraction::retraction_findings;
use byline_model::{Author, Format, PubDate, Reference, Work};

use crate::support::fixture;

fn db() -> RetractionDb {
    RetractionDb::from_csv_path(&fixture("retraction_watch_sample.csv")).expect("fixture parses")
}

#[test]
fn retraction_watch_csv_reads_reasons_and_ids() {
    let db = db();
    assert_eq!(db.records().len(), 4);
    let r = db.lookup(Some("10.5555/orig.90001"), None).expect("by doi");
    assert!(r.is_paper_mill());
    assert_eq!(r.original_year, Some(2018));
    assert!(db.lookup(None, Some("30000002")).is_some_and(|r| r.is_paper_mill()));
    assert!(db.lookup(Some("10.5555/orig.90003"), None).is_some_and(|r| !r.is_paper_mill()));
    // A correction is not a retraction.
    assert!(db.lookup(Some("10.5555/orig.90004"), None).is_none());
    assert_eq!(db.papermill_retractions_of("wei  zhang").len(), 1);
}

#[test]
fn retraction_findings_snapshot() {
    let mut retracted = Work::new(Format::Pubmed, "fixture.xml", 0);
    retracted.ids.pmid = Some("29000001".into());
    retracted.ids.doi = Some("10.5555/orig.90001".into());
    retracted.publication_types = vec!["Journal Article".into(), "Retracted Publication".into()];
    let mut citing = Work::new(Format::Pubmed, "fixture.xml", 1);
    citing.date = Some(PubDate::new(2022, None, None));
    citing.references = vec![
        Reference { doi: Some("https://doi.org/10.5555/ORIG.90002".into()), ..Reference::default() },
        Reference { doi: Some("10.5555/orig.90003".into()), ..Reference::default() },
        Reference { pmid: Some("29000001".into()), ..Reference::default() },
    ];
    citing.authors = vec![Author {
        raw_name: "Wei Zhang".into(),
        given: Some("Wei".into()),
        family: Some("Zhang".into()),
        ..Author::default()
    }];
    let findings = retraction_findings(&[retracted, citing], Some(&db()));
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["RET001", "RET003", "RET002", "RET004"]);
    insta::assert_json_snapshot!(findings);
}
