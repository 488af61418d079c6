//! Crossref reader: real REST responses, JSON Lines harvests and public-data-file chunks (expected values
//! read from the files with `zcat | python3 -m json.tool`), then hostile inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use byline_model::{DiagnosticKind, Format, PubDate};
use byline_parse::{Event, FileSummary, read_path};

use crate::support::{Read, by_doi, read_all, shared_data};

fn crossref(name: &str) -> Option<PathBuf> {
    shared_data().map(|d| d.join("crossref").join(name))
}

/// Reads with the Crossref reader forced (hostile inputs are not always sniffable).
fn read_forced(path: &Path, format: Format) -> Read {
    let mut out =
        Read { summary: FileSummary::default(), works: vec![], rejected: vec![], warnings: vec![], deleted: vec![] };
    let summary = read_path(path, Some(format), &mut |e| match e {
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
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write temp file");
    f.flush().expect("flush");
    f
}

#[test]
fn jsonl_harvests_give_every_work_with_exact_counts() {
    let Some(_) = shared_data() else { return };
    // (file, records per SOURCE.md, works with neither title nor author: 32 `select=`/title-less records
    // plus two rcrossref works whose only title is "").
    for (name, count, bare) in [
        ("crossref-works-habanero.jsonl.gz", 520, 18),
        ("crossref-works-rcrossref.jsonl.gz", 1301, 13),
        ("crossref-works-serrano.jsonl.gz", 229, 3),
    ] {
        let path = crossref(name).expect("shared data");
        let read = read_all(&path);
        assert_eq!(read.summary.format, Some(Format::Crossref), "{name}");
        assert_eq!(read.summary.works, count, "{name}");
        assert_eq!(read.summary.rejected, 0, "{name}: {:?}", read.rejected.first());
        assert!(read.summary.file_error.is_none(), "{name}: {:?}", read.summary.file_error);
        assert!(read.works.iter().all(|w| w.ids.doi.is_some()), "{name}: every Crossref work has a DOI");
        let partial = read.works.iter().filter(|w| w.title.is_none() && w.authors.is_empty()).count();
        assert_eq!(partial, bare, "{name}: partial works are kept, with None fields");
        // Records are indexed in file order, one line each.
        assert_eq!(read.works[3].source.record_index, 3);
        assert_eq!(read.works[3].source.line, Some(4));
    }
}

#[test]
fn jsonl_work_carries_orcid_affiliation_funder_and_award() {
    let Some(path) = crossref("crossref-works-rcrossref.jsonl.gz") else { return };
    let read = read_all(&path);
    let w = by_doi(&read.works, "10.1080/19345747.2020.1823538");
    assert_eq!(
        w.title.as_deref(),
        Some("Student Log-Data from a Randomized Evaluation of Educational Technology: A Causal Case Study")
    );
    assert_eq!(w.venue.title.as_deref(), Some("Journal of Research on Educational Effectiveness"));
    assert_eq!(w.date, Some(PubDate::new(2020, Some(12), Some(21))));
    assert_eq!(w.authors.len(), 2);
    let first = &w.authors[0];
    assert_eq!(first.raw_name, "Adam C. Sales");
    assert_eq!((first.given.as_deref(), first.family.as_deref()), (Some("Adam C."), Some("Sales")));
    assert_eq!(first.orcid.as_deref(), Some("0000-0003-0416-0610"));
    assert_eq!(first.corresponding, None, "sequence=first is not the corresponding author");
    assert_eq!(first.affiliations[0].raw, "University of Texas, Austin, Texas, USA");
    assert_eq!(first.affiliations[0].ror, None);
    assert_eq!(w.funding.len(), 1);
    assert_eq!(w.funding[0].agency.as_deref(), Some("National Science Foundation"));
    assert_eq!(w.funding[0].grant_id.as_deref(), Some("1420374"));
    assert_eq!(w.funding[0].funder_id.as_deref(), Some("10.13039/100000001"));
}

#[test]
fn update_to_and_group_authors_and_date_fallback() {
    let Some(path) = crossref("crossref-works-rcrossref.jsonl.gz") else { return };
    let read = read_all(&path);
    let notice = by_doi(&read.works, "10.1371/journal.pone.0129989");
    assert_eq!(notice.relations.len(), 1);
    assert_eq!(notice.relations[0].kind, "update_to:correction");
    assert_eq!(notice.relations[0].doi.as_deref(), Some("10.1371/journal.pone.0120799"));
    assert_eq!(notice.publication_types, vec!["journal-article".to_owned()]);

    let staff = by_doi(&read.works, "10.1371/journal.pone.0203153");
    let group = staff.authors.iter().find(|a| a.collective.is_some()).expect("a group author");
    assert_eq!(group.collective.as_deref(), Some("The PLOS ONE Staff"));
    assert_eq!((group.given.as_deref(), group.family.as_deref()), (None, None));

    // `issued` is [[null]]: the date falls back, in document order, to `created`.
    let thesis = by_doi(&read.works, "10.17077/etd.89e52p7n");
    assert_eq!(thesis.date, Some(PubDate::new(2018, Some(11), Some(29))));
}

#[test]
fn rest_envelopes_single_and_list() {
    let Some(_) = shared_data() else { return };
    let single = read_all(&crossref("raw/habanero-work-single-10.1371-journal.pone.0033693.json").expect("data"));
    assert_eq!(single.summary.works, 1);
    let w = &single.works[0];
    assert_eq!(w.ids.doi.as_deref(), Some("10.1371/journal.pone.0033693"));
    assert_eq!(
        w.title.as_deref(),
        Some(
            "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia \
             of Mice"
        )
    );
    assert_eq!(w.authors.len(), 6);
    assert_eq!(w.authors[0].raw_name, "Shankar Sadasivan");
    assert_eq!(w.date, Some(PubDate::new(2012, Some(3), Some(21))));
    assert_eq!(w.venue.title.as_deref(), Some("PLoS ONE"));
    assert_eq!(w.venue.issns, vec!["1932-6203".to_owned()]);
    assert_eq!((w.venue.volume.as_deref(), w.venue.issue.as_deref()), (Some("7"), Some("3")));
    assert_eq!(w.venue.pages.as_deref(), Some("e33693"));
    assert_eq!(w.references.len(), 70);
    assert_eq!(w.references[0].doi.as_deref(), Some("10.1038/sj.npp.1301164"));

    let list = read_all(&crossref("raw/habanero-worklist-query-ecology.json").expect("data"));
    assert_eq!(list.summary.works, 2, "facets and the rest of the envelope are ignored");
    assert_eq!(list.works[0].ids.doi.as_deref(), Some("10.1093/obo/9780199830060-0238"));
    assert_eq!(list.works[0].title.as_deref(), Some("Communicating Ecology"));
    assert_eq!(list.works[1].source.record_index, 1);

    let links = read_all(&crossref("raw/rcrossref-worklist-has-full-text-true.json").expect("data"));
    assert_eq!(links.summary.works, 10);
    assert_eq!(links.works[0].title.as_deref(), Some("Nils Rosén von Rosenstein and His Textbook of Pædiatrics"));

    let funders = read_all(
        &crossref("raw/rcrossref-work-single-funders-10.1016-j.pediatrneurol.2015.06.002.json").expect("data"),
    );
    assert_eq!(funders.summary.works, 1);
    let f = &funders.works[0].funding;
    assert_eq!(f.len(), 1, "a funder without an award is one funding record");
    assert_eq!((f[0].agency.as_deref(), f[0].grant_id.as_deref()), (Some("Biogen"), None));
    assert_eq!(f[0].funder_id.as_deref(), Some("10.13039/100005614"));

    let affiliation =
        read_all(&crossref("raw/rcrossref-work-single-affiliation-10.4018-978-1-4666-9588-7.les2.json").expect("data"));
    let a = &affiliation.works[0].authors[0];
    assert_eq!(a.raw_name, "Nicholas D. Hartlep");
    assert_eq!(a.affiliations[0].raw, "Illinois State University, USA");
}

#[test]
fn public_data_file_chunks_pretty_printed_and_2025_jsonl() {
    let Some(_) = shared_data() else { return };
    for (name, count, first_doi) in [
        ("alexandria3k-1item.json.gz", 1, "10.1016/j.bjps.2022.04.046"),
        ("alexandria3k-2item-references.json.gz", 2, "10.1007/s10270-017-0613-x"),
        ("alexandria3k-3items.json.gz", 3, "10.46692/9781529202618.006"),
        ("alexandria3k-affiliations.json.gz", 1, "10.1002/mdc3.13466"),
        ("alexandria3k-crossref-2025.jsonl.gz", 3, "10.1007/978-3-031-74535-5"),
        ("alexandria3k-funded.json.gz", 1, "10.1007/s10914-022-09607-7"),
        ("alexandria3k-orcid-work.json.gz", 1, "10.1145/3196398.3196476"),
        ("alexandria3k-same-author.json.gz", 2, "10.35609/gcbssproceeding.2022.1(2)"),
        ("alexandria3k-updated.json.gz", 1, "10.1007/s00417-022-05677-8"),
    ] {
        let read = read_all(&crossref(&format!("snapshot-sample/{name}")).expect("data"));
        assert_eq!(read.summary.format, Some(Format::Crossref), "{name}");
        assert_eq!(read.summary.works, count, "{name}");
        assert_eq!(read.summary.rejected, 0, "{name}");
        assert!(read.summary.file_error.is_none(), "{name}: {:?}", read.summary.file_error);
        assert_eq!(read.works[0].ids.doi.as_deref(), Some(first_doi), "{name}");
    }
    let dir = |n: &str| crossref(&format!("snapshot-sample/{n}")).expect("data");
    let affiliations = read_all(&dir("alexandria3k-affiliations.json.gz"));
    let w = &affiliations.works[0];
    assert_eq!(w.authors.len(), 23);
    assert_eq!(w.authors[0].raw_name, "Verónica Caniça");
    // Whitespace runs (a double space upstream) are squashed; the text is otherwise as written.
    assert_eq!(w.authors[0].affiliations[0].raw, "CNS ‐ Campus Neurológico Torres Vedras Portugal");
    // A pretty-printed document knows where each record starts.
    assert_eq!(w.source.line, Some(3));

    let funded = read_all(&dir("alexandria3k-funded.json.gz"));
    let grants: Vec<_> = funded.works[0]
        .funding
        .iter()
        .filter(|f| f.agency.as_deref() == Some("Conselho Nacional de Desenvolvimento Científico e Tecnológico"))
        .map(|f| (f.grant_id.as_deref(), f.funder_id.as_deref()))
        .collect();
    assert_eq!(
        grants,
        vec![
            (Some("PQ 313577/2020-0"), Some("10.13039/501100003593")),
            (Some("310597/2018-8"), Some("10.13039/501100003593"))
        ],
        "one funding record per award"
    );

    let updated = read_all(&dir("alexandria3k-updated.json.gz"));
    let r = &updated.works[0].relations;
    assert_eq!(r[0].kind, "update_to:correction");
    assert_eq!(r[0].doi.as_deref(), Some("10.1007/s00417-022-05637-2"));
}

#[test]
fn a_broken_line_is_rejected_and_the_others_kept() {
    let body = concat!(
        r#"{"DOI":"10.1/a","title":["A"]}"#,
        "\n",
        r#"{"DOI":"10.1/b","title":["#,
        "\n\n",
        r#"{"DOI":"10.1/c","title":["C"],"volume":12,"author":"not a list","issued":{"date-parts":"x"}}"#,
        "\n",
        r#"42"#,
        "\n",
        r#"{"not":"a work"}"#,
        "\n",
        r#"{"DOI":"10.1/d"}"#,
    );
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert!(read.summary.file_error.is_none());
    let dois: Vec<_> = read.works.iter().map(|w| w.ids.doi.clone().unwrap_or_default()).collect();
    assert_eq!(dois, ["10.1/a", "10.1/c", "10.1/d"]);
    // Odd field types are tolerated, not rejected: the number becomes text, the rest is dropped.
    assert_eq!(read.works[1].venue.volume.as_deref(), Some("12"));
    assert!(read.works[1].authors.is_empty() && read.works[1].date.is_none());
    assert_eq!(read.rejected.len(), 3);
    let broken = &read.rejected[0];
    assert_eq!(broken.kind, DiagnosticKind::RecordRejected);
    assert_eq!((broken.position.line, broken.position.record_index), (Some(2), Some(1)));
    assert!(broken.reason.contains("EOF"), "{}", broken.reason);
    assert_eq!(read.rejected[1].position.line, Some(5));
    assert!(read.rejected[2].reason.contains("no DOI"), "{}", read.rejected[2].reason);
    assert_eq!(read.works[2].source.record_index, 5, "indexes count rejected records too");
    assert_eq!(read.works[2].source.line, Some(7));
}

#[test]
fn an_invalid_utf8_line_is_rejected_with_its_position() {
    let mut body = b"{\"DOI\":\"10.1/a\"}\n{\"DOI\":\"10.1/b\",\"title\":[\"caf".to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(b"\"]}\n{\"DOI\":\"10.1/c\"}\n");
    let f = temp_file(&body);
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!(read.summary.works, 2);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].position.line, Some(2));
    assert_eq!(read.rejected[0].position.byte_offset, Some(17));
    assert!(read.rejected[0].reason.contains("invalid UTF-8 at byte 29"), "{}", read.rejected[0].reason);
}

#[test]
fn empty_and_blank_files_give_no_records_and_no_error() {
    for body in ["", "\n\n  \n", "\u{feff}"] {
        let f = temp_file(body.as_bytes());
        let read = read_forced(f.path(), Format::Crossref);
        assert_eq!(read.summary.records_seen, 0, "{body:?}");
        assert!(read.summary.file_error.is_none(), "{body:?}");
    }
}

#[test]
fn a_truncated_gzip_keeps_the_records_before_the_cut() {
    let Some(path) = crossref("crossref-works-serrano.jsonl.gz") else { return };
    let bytes = std::fs::read(&path).expect("read");
    let f = temp_file(&bytes[..bytes.len() / 2]);
    let read = read_all(f.path());
    let error = read.summary.file_error.as_ref().expect("a file error");
    assert_eq!(error.kind, DiagnosticKind::FileError);
    assert!(error.position.line.is_some(), "{error}");
    assert!(read.summary.works > 50 && read.summary.works < 229, "{}", read.summary.works);
    assert_eq!(read.summary.rejected, 0, "the cut line is not counted as a record");
}

#[test]
fn a_syntax_error_in_a_pretty_printed_document_rejects_the_record_then_fails_the_file() {
    let body =
        "{\n  \"items\": [\n    {\"DOI\": \"10.1/a\"},\n    {\"DOI\": \"10.1/b\",\n     \"title\": [\"x\" }\n  ]\n}\n";
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!(read.summary.works, 1);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].position.line, Some(4));
    assert_eq!(read.rejected[0].position.record_index, Some(1));
    let error = read.summary.file_error.as_ref().expect("file error");
    assert_eq!(error.position.line, Some(5));
    assert!(error.reason.contains("column"), "{error}");
}

#[test]
fn deep_nesting_hits_serde_json_recursion_limit_without_panicking() {
    // Envelopes are walked recursively: 100,000 nested `message`s stop at serde_json's limit (128).
    let deep = format!("{}{{\"DOI\":\"10.1/deep\"}}{}", "{\"message\":".repeat(100_000), "}".repeat(100_000));
    let body = format!("{{\"DOI\":\"10.1/a\"}}\n{deep}\n{{\"DOI\":\"10.1/c\"}}\n");
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!(read.summary.works, 2);
    assert_eq!(read.rejected.len(), 1);
    assert!(read.rejected[0].reason.contains("recursion limit"), "{}", read.rejected[0].reason);
    assert_eq!(read.rejected[0].position.line, Some(2));

    // Deep nesting in a field the reader skips is skipped without recursion (serde_json ignores values
    // iteratively): the record is kept, the field is dropped.
    let title = format!("{{\"DOI\":\"10.1/t\",\"title\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let f = temp_file(title.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!((read.summary.works, read.summary.rejected), (1, 0));
    assert_eq!(read.works[0].title, None);

    // Inside a record array, elements are records, not envelopes: the nesting is skipped, and the element
    // is rejected for having no DOI.
    let body = format!("[\n{{\"DOI\":\"10.1/a\"}},\n{deep}\n]\n");
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!((read.summary.works, read.summary.rejected), (1, 1));
    assert_eq!(read.rejected[0].position.line, Some(3));
    assert!(read.rejected[0].reason.contains("no DOI"), "{}", read.rejected[0].reason);
    assert!(read.summary.file_error.is_none());

    // A pretty-printed document nested too deep fails as a file, with its position.
    let body = format!("{{\n{}\n", "\"message\": {".repeat(1_000));
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!(read.summary.records_seen, 0);
    let error = read.summary.file_error.as_ref().expect("file error");
    assert!(error.reason.contains("recursion limit"), "{error}");
    assert_eq!(error.position.line, Some(2));
}

#[test]
fn dois_with_non_ascii_hyphens_are_read_without_panicking() {
    let body = "{\"DOI\":\"10.1049/ip\u{2010}gtd:20010431\",\"reference\":[{\"DOI\":\"10.1146/annurev\u{2010}x\"}]}\n";
    let f = temp_file(body.as_bytes());
    let read = read_forced(f.path(), Format::Crossref);
    assert_eq!(read.works[0].ids.doi.as_deref(), Some("10.1049/ip\u{2010}gtd:20010431"));
    assert_eq!(read.works[0].references[0].doi.as_deref(), Some("10.1146/annurev\u{2010}x"));
}

#[test]
fn a_50_mb_single_line_array_streams_every_record() {
    const RECORDS: usize = 25_000;
    let filler = "word ".repeat(400);
    let mut body = String::with_capacity(RECORDS * 2_100);
    body.push('[');
    for i in 0..RECORDS {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"DOI":"10.5555/{i}","title":["Record {i}"],"abstract":"<jats:p>{filler}</jats:p>","author":[{{"given":"A","family":"B{i}"}}]}}"#
        ));
    }
    body.push(']');
    assert!(body.len() > 50_000_000, "{}", body.len());
    let f = temp_file(body.as_bytes());
    let mut works = 0usize;
    let mut last_doi = None;
    let summary = read_path(f.path(), None, &mut |e| {
        if let Event::Work(w) = e {
            works += 1;
            last_doi = w.ids.doi.clone();
        }
    });
    assert_eq!(summary.format, Some(Format::Crossref));
    assert!(summary.file_error.is_none(), "{:?}", summary.file_error);
    assert_eq!((works, summary.works, summary.rejected), (RECORDS, RECORDS as u64, 0));
    assert_eq!(last_doi.as_deref(), Some("10.5555/24999"));
}
