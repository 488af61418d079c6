use byline_detect::RetractionDb;
use byline_detect::retraction::RetractionFormat;
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

fn load(text: &str) -> Result<RetractionDb, String> {
    RetractionDb::from_csv_reader(text.as_bytes())
}

#[test]
fn doi_list_merges_case_skips_unusable_dois_and_reads_natures_as_a_set() {
    let db = load(
        "doi,retractionwatch\n\
         10.1212/wnl.57.3.445,Retraction\n\
         10.1212/WNL.57.3.445,Expression of concern\n\
         Unavailable,Retraction;Correction\n\
         ,Retraction;Expression of concern\n\
         10.5555/eoc,Expression of concern;Correction\n\
         10.5555/a,Expression of concern;Retraction\n\
         10.5555/b,Retraction;Expression of concern\n\
         10.5555/reinstated,Retraction;Reinstatement\n",
    )
    .expect("a DOI list");
    let load = db.load().expect("load summary");
    assert_eq!(load.format, RetractionFormat::DoiNatureList);
    assert_eq!((load.rows_read, load.rows_kept, load.skipped.len(), load.rows_merged), (8, 6, 2, 1));
    let kinds: Vec<(&str, u64)> = load.skipped.iter().map(|s| (s.kind, s.line)).collect();
    assert_eq!(kinds, [("DOI `Unavailable`", 4), ("empty DOI", 5)]);
    // One record per DOI, whatever its case; natures a sorted set.
    assert_eq!(db.records().len(), 5);
    let wnl = db.lookup(Some("10.1212/wnl.57.3.445"), None).expect("merged DOI is retracted");
    assert_eq!(wnl.natures, ["Expression of concern", "Retraction"]);
    assert_eq!(
        db.lookup(Some("10.5555/a"), None).map(|r| &r.natures),
        db.lookup(Some("10.5555/b"), None).map(|r| &r.natures)
    );
    // Listed is not retracted; a reinstatement lifts the retraction.
    assert!(db.lookup(Some("10.5555/eoc"), None).is_none());
    assert!(db.lookup(Some("10.5555/reinstated"), None).is_none());
    assert_eq!(db.retracted_dois(), 3);
    let summary = db.load_summary();
    assert!(summary.contains("8 rows read = 6 kept + 2 skipped"), "{summary}");
    assert!(summary.contains("RET004") && summary.contains("RET003"), "{summary}");
}

#[test]
fn doi_list_accepts_the_nature_column_names() {
    for col in ["nature", "retraction_nature", "RetractionWatch"] {
        let db = load(&format!("DOI,{col}\n10.5555/x,Retraction\n")).expect(col);
        assert_eq!(db.retracted_dois(), 1, "{col}");
    }
}

#[test]
fn scrape_rows_give_ids_years_reasons_and_nature_but_no_authors() {
    let db = load(
        "rid,title_subject_journal_publisher_affiliation_blob,reasons,authors_blob,original_date_pmid_doi_blob,\
         notice_date_pmid_doi_blob,articletype_nature_blob,countries_paywalled_notes_blob,doi,items_found\n\
         18098,\"Title(BLS) Biology; Journal ---Wiley\",+Paper Mill+Investigation by Journal/Publisher,\
         Mohammad Sadegh AramliMohammad Reza Kalbassi,10/06/20161245682010.1111/ARE.13204,\
         04/01/20180000000010.1111/are.99,Research ArticleRetraction,IranNo,10.1111/are.13204,1\n\
         18099,t,+Paper Mill,A B,0000000010.1016/x.1,01/02/2021,Research ArticleExpression of concern,China,10.1016/x.1,1\n\
         18100,t,,A B,01/01/2020,01/02/2021,Research Article,China,,1\n",
    )
    .expect("a scrape");
    let load = db.load().expect("load summary");
    assert_eq!(load.format, RetractionFormat::RwScrape);
    assert_eq!((load.rows_read, load.rows_kept), (3, 2));
    assert_eq!(load.skipped[0].kind, "no DOI or PubMed ID");
    let r = db.lookup(Some("10.1111/are.13204"), None).expect("retracted");
    assert_eq!(r.record_id, "18098");
    assert_eq!(r.original_pmid.as_deref(), Some("12456820"));
    assert_eq!((r.original_year, r.retraction_year), (Some(2016), Some(2018)));
    assert_eq!(r.reasons, ["Paper Mill", "Investigation by Journal/Publisher"]);
    assert!(r.is_paper_mill() && r.authors.is_empty());
    assert!(db.lookup(None, Some("12456820")).is_some());
    // An expression of concern for paper-mill reasons is a record, not a retraction; no date, no PMID.
    let eoc = &db.records()[1];
    assert_eq!(
        (eoc.natures.as_slice(), eoc.original_year, eoc.original_pmid.as_deref()),
        (&["Expression of concern".to_owned()][..], None, None)
    );
    assert!(eoc.has_paper_mill_reason() && !eoc.is_paper_mill());
    assert!(db.lookup(Some("10.1016/x.1"), None).is_none());
    assert!(db.load_summary().contains("no author names"), "{}", db.load_summary());
}

#[test]
fn unrecognised_empty_and_header_only_files_are_errors() {
    let err = load("Authors,Title,Year,DOI\nA,B,2020,10.1/x\n").expect_err("not a retraction file");
    for needed in ["Record ID", "OriginalPaperDOI", "RetractionNature", "retractionwatch", "articletype_nature_blob"] {
        assert!(err.contains(needed), "{needed} not named: {err}");
    }
    assert!(err.contains("`Authors,Title,Year,DOI`"), "{err}");
    // A DOI column alone is not the DOI list.
    assert!(load("doi\n10.1/x\n").is_err());
    assert!(load("").expect_err("empty").contains("empty file"));
    assert!(load("doi,retractionwatch\n").expect_err("no rows").contains("no data rows"));
    let none_kept = load("doi,retractionwatch\nUnavailable,Retraction\n").expect_err("nothing kept");
    assert!(none_kept.contains("none of its 1 data rows") && none_kept.contains("Unavailable"), "{none_kept}");
}

#[test]
fn malformed_csv_rows_are_skipped_with_their_position() {
    let db = load("doi,retractionwatch\n10.5555/a,Retraction\n10.5555/b,Retraction,extra\n\"10.5555/c\",Retraction\n")
        .expect("two good rows");
    let load = db.load().expect("load summary");
    assert_eq!((load.rows_read, load.rows_kept, load.skipped.len()), (3, 2, 1));
    assert_eq!((load.skipped[0].kind, load.skipped[0].line), ("malformed CSV row", 3));
    let crossref = RetractionDb::from_csv_reader(
        format!(
            "{}\n1,T,S,I,J,P,C,A,U,AT,1/1/2020,,,1/1/2019,10.5555/q,,Retraction,+Paper Mill;,No,\n\
             2,T,S,I,J,P,C,A,U,AT,1/1/2020,,,1/1/2019,10.5555/r,,Retraction,+Paper Mill;,No\n",
            std::fs::read_to_string(fixture("retraction_watch_sample.csv"))
                .expect("fixture")
                .lines()
                .next()
                .unwrap_or("")
        )
        .as_bytes(),
    )
    .expect("one good row");
    let load = crossref.load().expect("load summary");
    assert_eq!((load.format, load.rows_read, load.skipped.len()), (RetractionFormat::CrossrefCsv, 2, 1));
    assert_eq!(load.skipped[0].line, 3, "the short row: {:?}", load.skipped);
    assert!(crossref.lookup(Some("10.5555/q"), None).is_some_and(|r| r.is_paper_mill()));
}
