//! OpenAlex reader: current and 2022 schemas, snapshot parts, raw API bodies (expected values read from
//! the files with `zcat | python3 -m json.tool`), other entities kept out.

use std::io::Write;
use std::path::PathBuf;

use byline_model::{Format, PubDate};
use byline_parse::{Event, read_path};

use crate::support::{read_all, shared_data};

fn openalex(name: &str) -> Option<PathBuf> {
    shared_data().map(|d| d.join("openalex").join(name))
}

#[test]
fn works_files_and_snapshot_parts_give_exact_counts() {
    let Some(_) = shared_data() else { return };
    for (name, count) in [
        ("openalex-works-openalexPro.jsonl.gz", 339),
        ("openalex-works-herreio-tu9-2022schema.jsonl.gz", 410),
        ("snapshot-sample/omid-openalex-works-part_test.gz", 29),
        ("snapshot-sample/go-openalex-works-updated_date-2023-05-16-part_000.gz", 27),
        ("raw/openalex-python-W2741809807.json", 1),
        ("raw/openalexPro-works-single-identifier-response.json", 1),
        ("raw/openalexPro-api_call_200-response.json", 1),
    ] {
        let read = read_all(&openalex(name).expect("data"));
        assert_eq!(read.summary.format, Some(Format::Openalex), "{name}");
        assert_eq!(read.summary.works, count, "{name}");
        assert_eq!(read.summary.rejected, 0, "{name}: {:?}", read.rejected.first());
        assert!(read.summary.file_error.is_none(), "{name}: {:?}", read.summary.file_error);
        assert!(read.works.iter().all(|w| w.ids.openalex.as_deref().is_some_and(|id| id.starts_with('W'))), "{name}");
    }
}

#[test]
fn other_entities_are_skipped_by_the_sniffer_and_rejected_when_forced() {
    let Some(_) = shared_data() else { return };
    for name in [
        "snapshot-sample/go-openalex-institutions-updated_date-2023-09-04-part_000.gz",
        "snapshot-sample/go-openalex-authors-updated_date-2023-04-21-part_000.gz",
        "snapshot-sample/go-openalex-works-manifest.json",
        "raw/openalex-python-I27837315.json",
        "raw/openalex-python-A5023888391.json",
    ] {
        let read = read_all(&openalex(name).expect("data"));
        assert!(read.summary.skipped.is_some(), "{name} must not be read as works");
        assert_eq!(read.summary.records_seen, 0, "{name}");
    }
    // Forced through the works reader, every institution is a rejected record that says what it is.
    let path = openalex("snapshot-sample/go-openalex-institutions-updated_date-2023-09-04-part_000.gz").expect("data");
    let mut works = 0;
    let mut rejected = Vec::new();
    let summary = read_path(&path, Some(Format::Openalex), &mut |e| match e {
        Event::Work(_) => works += 1,
        Event::Rejected(d) => rejected.push(d),
        _ => {}
    });
    assert_eq!((works, summary.rejected, summary.records_seen), (0, 678, 678));
    assert!(rejected[0].reason.contains("OpenAlex institution record (I4210124069)"), "{}", rejected[0].reason);
}

#[test]
fn current_schema_work_has_ids_venue_abstract_and_linked_affiliations() {
    let Some(path) = openalex("raw/openalex-python-W2741809807.json") else { return };
    let read = read_all(&path);
    let w = &read.works[0];
    assert_eq!(w.ids.openalex.as_deref(), Some("W2741809807"));
    assert_eq!(w.ids.doi.as_deref(), Some("10.7717/peerj.4375"));
    assert_eq!(w.ids.pmid.as_deref(), Some("29456894"));
    assert_eq!(w.ids.pmcid.as_deref(), Some("PMC5815332"));
    assert_eq!(
        w.title.as_deref(),
        Some("The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles")
    );
    assert!(
        w.abstract_text.as_deref().is_some_and(
            |a| a.starts_with("Despite growing interest in Open Access (OA) to scholarly literature, there is")
        ),
        "{:?}",
        w.abstract_text
    );
    assert_eq!(w.date, Some(PubDate::new(2018, Some(2), Some(13))));
    assert_eq!(w.venue.title.as_deref(), Some("PeerJ"));
    assert_eq!(w.venue.issns, vec!["2167-8359".to_owned()]);
    assert_eq!((w.venue.volume.as_deref(), w.venue.pages.as_deref()), (Some("6"), Some("e4375")));
    assert_eq!(w.publication_types, vec!["article".to_owned(), "journal-article".to_owned()]);
    assert_eq!(w.retracted, Some(false));
    assert_eq!(w.language.as_deref(), Some("en"));
    assert_eq!(&w.keywords[..3], ["Scholarly Communication", "Web of science", "Open Science"]);
    assert_eq!(w.references.len(), 45);
    assert_eq!(w.references[0].openalex.as_deref(), Some("W1560783210"));

    assert_eq!(w.authors.len(), 9);
    let first = &w.authors[0];
    assert_eq!(first.raw_name, "Heather Piwowar");
    assert_eq!((first.given.as_deref(), first.family.as_deref()), (None, None), "OpenAlex does not split names");
    assert_eq!(first.orcid.as_deref(), Some("0000-0003-1613-5981"));
    assert_eq!(first.corresponding, Some(false));
    assert_eq!(first.affiliations.len(), 1);
    assert_eq!(first.affiliations[0].raw, "Impactstory, Sanford, NC, USA");
    assert_eq!(first.affiliations[0].ror.as_deref(), Some("05ppvf150"));
    assert_eq!(first.affiliations[0].country_code.as_deref(), Some("US"));

    // Two raw strings, each tied by `affiliations[].institution_ids` to its own institution.
    let lariviere = &w.authors[2];
    assert_eq!(lariviere.raw_name, "Vincent Larivière");
    assert_eq!(lariviere.affiliations.len(), 2);
    assert!(lariviere.affiliations[0].raw.starts_with("Observatoire des Sciences et des Technologies"));
    assert_eq!(lariviere.affiliations[0].ror.as_deref(), Some("002rjbv21"));
    assert_eq!(lariviere.affiliations[0].institution.as_deref(), Some("Université du Québec à Montréal"));
    assert!(lariviere.affiliations[1].raw.starts_with("École de bibliothéconomie"));
    assert_eq!(lariviere.affiliations[1].ror.as_deref(), Some("0161xgx34"));
    assert_eq!(lariviere.affiliations[1].country_code.as_deref(), Some("CA"));
}

#[test]
fn grants_become_funding_with_the_funder_ror() {
    let Some(path) = openalex("openalex-works-openalexPro.jsonl.gz") else { return };
    let read = read_all(&path);
    let w = read.works.iter().find(|w| w.ids.openalex.as_deref() == Some("W3046863325")).expect("W3046863325");
    assert_eq!(w.ids.doi.as_deref(), Some("10.1145/3383583.3398584"));
    let funding: Vec<_> =
        w.funding.iter().map(|f| (f.agency.as_deref(), f.grant_id.as_deref(), f.funder_id.as_deref())).collect();
    assert_eq!(
        funding,
        vec![
            (Some("Japan Society for the Promotion of Science"), Some("18K13235, 20K20132"), Some("00hhkn466")),
            (Some("Japan Science and Technology Agency"), Some("JPMJCR19U1"), Some("00097mb19")),
        ],
        "the funders[] entries are already named by grants: no extra records"
    );
}

#[test]
fn schema_2022_host_venue_and_single_raw_affiliation_string() {
    let Some(path) = openalex("openalex-works-herreio-tu9-2022schema.jsonl.gz") else { return };
    let read = read_all(&path);
    let w = &read.works[0];
    assert_eq!(w.ids.openalex.as_deref(), Some("W4200035428"));
    assert_eq!(w.ids.doi.as_deref(), Some("10.1142/10552"));
    assert_eq!(w.title.as_deref(), Some("Handbook of Random Forests"));
    assert_eq!(w.venue.title.as_deref(), Some("Series in computer vision"));
    assert_eq!(w.venue.issns, vec!["2010-2143".to_owned()]);
    assert_eq!(w.authors.len(), 1);
    let a = &w.authors[0];
    assert_eq!(a.raw_name, "Ronny Hänsch");
    assert_eq!(a.corresponding, None, "the 2022 schema has no is_corresponding");
    assert_eq!(a.affiliations.len(), 1, "one string and one institution are the same affiliation");
    assert_eq!(a.affiliations[0].raw, "Technische Universität BerlinGermany");
    assert_eq!(a.affiliations[0].institution.as_deref(), Some("Technical University of Berlin"));
    assert_eq!(a.affiliations[0].ror.as_deref(), Some("03v4gjf40"));
    assert_eq!(a.affiliations[0].country_code.as_deref(), Some("DE"));

    // One string and two institutions, one of them an empty `{}` upstream: the empty one is no institution.
    let w = read.works.iter().find(|w| w.ids.openalex.as_deref() == Some("W4200308375")).expect("W4200308375");
    let a = w.authors.iter().find(|a| a.raw_name == "Bădoiu, Vlad-Andrei").expect("author");
    assert_eq!(a.affiliations.len(), 1);
    assert_eq!(a.affiliations[0].raw, "University Politehnica of Bucharest");
    assert_eq!(a.affiliations[0].institution.as_deref(), Some("Polytechnic University of Bucharest"));
    assert_eq!(a.affiliations[0].ror.as_deref(), Some("0558j5q12"));
    assert_eq!(a.affiliations[0].country_code.as_deref(), Some("RO"));

    // One string, two institutions, no links: the string stays bare and each institution gets its own
    // affiliation (raw = its name), so that no ROR id is lost.
    let w = read.works.iter().find(|w| w.ids.openalex.as_deref() == Some("W3160102408")).expect("W3160102408");
    let a = w.authors.iter().find(|a| a.raw_name == "Francesco Chinesta").expect("author");
    let affiliations: Vec<_> = a.affiliations.iter().map(|f| (f.raw.as_str(), f.ror.as_deref())).collect();
    assert_eq!(
        affiliations,
        vec![("ESI Group", None), ("ESI", Some("05ww4z228")), ("École Nationale Supérieure d'Arts et Métiers", None)]
    );
}

#[test]
fn snapshot_abstracts_stored_as_json_strings_are_rebuilt() {
    let Some(path) = openalex("snapshot-sample/omid-openalex-works-part_test.gz") else { return };
    let read = read_all(&path);
    let w = &read.works[0];
    assert_eq!(w.ids.openalex.as_deref(), Some("W2749887630"));
    assert_eq!(w.ids.doi.as_deref(), Some("10.1093/oxfordhb/9780190263362.013.5"));
    let text = w.abstract_text.as_deref().expect("abstract");
    assert!(text.starts_with("Using social comparison theory as an overarching perspective, we review"), "{text}");
    // Positions 1 and 2 are missing upstream: the gap is closed, not filled.
    let w = read.works.iter().find(|w| w.ids.openalex.as_deref() == Some("W1998501422")).expect("W1998501422");
    assert!(
        w.abstract_text
            .as_deref()
            .is_some_and(|a| a.starts_with("Abstract Experiments utilizing ice/water and frozen"))
    );
}

#[test]
fn api_list_envelope_and_hostile_abstracts() {
    let page = concat!(
        r#"{"meta":{"count":3,"page":1},"results":["#,
        r#"{"id":"https://openalex.org/W1","title":"One","abstract_inverted_index":{"b":[99999999999],"a":[0],"dup":[0]}},"#,
        r#"{"id":"https://openalex.org/I2","display_name":"An institution"},"#,
        r#"{"id":"https://openalex.org/W3","title":null,"display_name":"Three","publication_year":2001,"#,
        r#""authorships":[{"author":{"display_name":"X Y","orcid":"https://orcid.org/0000-0002-1825-0079"}}]}"#,
        r#"],"group_by":[]}"#,
    );
    let mut f = tempfile::NamedTempFile::new().expect("temp");
    f.write_all(page.as_bytes()).expect("write");
    let read = read_all(f.path());
    assert_eq!(read.summary.format, Some(Format::Openalex));
    assert_eq!((read.summary.works, read.summary.rejected), (2, 1));
    assert_eq!(read.works[0].abstract_text.as_deref(), Some("a b"));
    assert_eq!(read.works[1].title.as_deref(), Some("Three"));
    assert_eq!(read.works[1].date, Some(PubDate::new(2001, None, None)));
    assert_eq!(read.works[1].source.record_index, 2);
    assert_eq!(read.works[1].authors[0].orcid, None);
    assert_eq!(read.warnings.len(), 1, "a bad ORCID checksum is a warning: {:?}", read.warnings);
    assert!(read.warnings[0].reason.contains("0000-0002-1825-0079"));
}
