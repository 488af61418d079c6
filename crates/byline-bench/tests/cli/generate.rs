//! `byline generate` and `byline bench` on generated corpora.

use byline_corpus::{CorpusReader, WorkFilter};
use byline_model::Format;
use byline_synth::corpus::{World, base_work};

use crate::support::{byline, byline_json, root, s};

#[test]
fn the_bundled_sample_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sample");
    let r = byline(&[
        "generate",
        "--out",
        s(&out),
        "--works",
        "400",
        "--formats",
        "pubmed,openalex,crossref",
        "--records-per-file",
        "150",
        "--seed",
        "7",
        "--plant-audit",
        "4",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    for name in [
        "pubmed-0000.xml.gz",
        "openalex-0001.jsonl.gz",
        "crossref-0002.jsonl.gz",
        "planted-audit.xml.gz",
        ".truth.json",
    ] {
        let fresh = std::fs::read(out.join(name)).expect("generated");
        let bundled = std::fs::read(root().join("datasets/sample").join(name)).expect("bundled");
        assert!(fresh == bundled, "{name}: datasets/sample is stale; regenerate it (see datasets/README.md)");
    }
}

#[test]
fn generated_works_survive_writer_reader_and_parquet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    for format in ["pubmed", "openalex", "crossref"] {
        let r =
            byline(&["generate", "--out", s(&input.join(format)), "--works", "60", "--formats", format, "--seed", "3"]);
        assert_eq!(r.status.code(), Some(0));
    }
    let corpus = dir.path().join("corpus");
    let (code, summary) = byline_json(&["ingest", s(&input), "--out", s(&corpus), "--format", "json"]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["totals"]["works"], 180);
    let works = CorpusReader::open(&corpus).expect("open").works(&WorkFilter::All).expect("works");
    let world = World::new(3, 60);
    for format in [Format::Pubmed, Format::Openalex, Format::Crossref] {
        for i in [0u64, 17, 59] {
            let expected = base_work(&world, 3, i, format, "");
            let got = works
                .iter()
                .find(|w| w.format == Some(format) && w.ids.doi == expected.ids.doi)
                .unwrap_or_else(|| panic!("{format} work {i} missing"));
            assert_eq!(got.title, expected.title, "{format} {i}");
            assert_eq!(got.abstract_text, expected.abstract_text, "{format} {i}");
            assert_eq!(got.authors.len(), expected.authors.len(), "{format} {i}");
            assert_eq!(got.date.map(|d| d.year), expected.date.map(|d| d.year));
            for (a, b) in got.authors.iter().zip(&expected.authors) {
                assert_eq!(a.orcid, b.orcid, "{format} {i}");
                // PubMed puts the e-mail inside the affiliation string; raw is kept exactly as written.
                let (got_raw, want_raw) =
                    (a.affiliations.first().map(|x| x.raw.as_str()), b.affiliations.first().map(|x| x.raw.as_str()));
                match (format, &b.email) {
                    (Format::Pubmed, Some(email)) => {
                        assert_eq!(
                            got_raw,
                            Some(format!("{} Electronic address: {email}.", want_raw.unwrap_or_default()).as_str())
                        );
                        assert_eq!(a.email.as_ref(), Some(email), "PubMed e-mail taken from the affiliation");
                    }
                    _ => assert_eq!(got_raw, want_raw, "{format} {i}"),
                }
            }
            if format != Format::Openalex {
                // OpenAlex does not split names; the other formats keep family names.
                let families: Vec<_> = got.authors.iter().map(|a| a.family.clone()).collect();
                let expected: Vec<_> = expected.authors.iter().map(|a| a.family.clone()).collect();
                assert_eq!(families, expected, "{format} {i}");
            }
        }
    }
}

#[test]
fn bench_ingest_reports_rows_against_the_raw_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) =
        byline_json(&["bench", "ingest", "--size", "500", "--cache", s(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["records"], 500);
    assert_eq!(rows[2]["records"], 500);
    for r in rows {
        assert!(r["mb_per_s"].as_f64().unwrap_or(0.0) > 0.0, "{r}");
    }
    assert!((rows[0]["ratio_to_baseline"].as_f64().unwrap_or(0.0) - 1.0).abs() < 1e-9);
    assert!(report["peak_rss_bytes"].as_u64().unwrap_or(0) > 0);
}
