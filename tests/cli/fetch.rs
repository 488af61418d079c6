//! `byline fetch` and `byline audit --fetch` against an in-process server on 127.0.0.1 serving recorded API
//! responses (crates/byline-fetch/tests/fixtures/SOURCE.md): the officer's path from an ORCID iD to a report,
//! then the same audit offline from the cache. No test touches the network.

use byline_testdata::apis::{RESEARCHER, crossref_works, endpoints, fixture, recorded_or_404};
use byline_testdata::http::TestServer;
use serde_json::Value;

use crate::support::{byline, byline_json, s};

fn api_args(server: &TestServer) -> Vec<String> {
    let [openalex, crossref, eutils, orcid] = endpoints(&server.url());
    vec![
        "--openalex-url".into(),
        openalex,
        "--crossref-url".into(),
        crossref,
        "--eutils-url".into(),
        eutils,
        "--orcid-url".into(),
        orcid,
        "--mailto".into(),
        "officer@example.org".into(),
    ]
}

#[test]
fn fetch_then_audit_offline_from_the_cache_with_no_corpus_given() {
    let server = TestServer::start(recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let corpus = dir.path().join("corpus");
    let mut args: Vec<String> =
        ["fetch", "--orcid", RESEARCHER, "--out", s(&corpus), "--cache", s(&cache), "--format", "json"]
            .map(String::from)
            .to_vec();
    args.extend(api_args(&server));
    let (code, out) = byline_json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["complete"], true);
    // Works per source, from the recorded bodies themselves.
    let page1: Value =
        serde_json::from_slice(&fixture("openalex/openalexPro-keypaper-results_page_1.json")).expect("json");
    let openalex = page1["results"].as_array().map_or(0, Vec::len) as u64;
    let crossref = crossref_works().len() as u64;
    let pubmed = String::from_utf8_lossy(&fixture("eutils/biopython-efetch-pubmed2.xml"))
        .matches("<PubmedArticle>")
        .count() as u64;
    let works = |source: &str| {
        out["sources"].as_array().and_then(|a| a.iter().find(|x| x["source"] == source)).map(|x| x["works"].as_u64())
    };
    assert_eq!(works("openalex"), Some(Some(openalex)));
    assert_eq!(works("crossref"), Some(Some(crossref)));
    assert_eq!(works("pubmed"), Some(Some(pubmed)));
    assert_eq!(out["works_written"].as_u64(), Some(openalex + crossref + pubmed));
    // Provenance beside the corpus: every entry with its URL and fetch time.
    let provenance: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("fetch.json")).expect("fetch.json")).expect("json");
    assert!(
        provenance["entries"].as_array().is_some_and(|e| e.iter().all(|x| x["fetched_at_unix"].as_u64().is_some()))
    );

    // The officer's command, offline: no corpus given, nothing asked of the server.
    let served = server.requests().len();
    let report = dir.path().join("audit.html");
    // The same API URLs as the fetch: the cache is keyed by request.
    let mut audit: Vec<String> = [
        "audit",
        "--orcid",
        RESEARCHER,
        "--fetch",
        "--offline",
        "--cache",
        s(&cache),
        "--report",
        s(&report),
        "--disclosure",
        "orcid",
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    audit.extend(api_args(&server));
    let (code, out) = byline_json(&audit.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(code == 0 || code == 3, "exit {code}: {out}");
    assert_eq!(server.requests().len(), served);
    let html = std::fs::read_to_string(&report).expect("the report");
    // The report cites where the record was read: the sources and each cache entry with its URL.
    assert!(html.contains("Fetched from") && html.contains("Cache entry (orcid"), "the report cites the cache");
    // The record: the recorded Crossref works carrying the iD.
    assert_eq!(out["audit"]["summary"]["works"].as_u64(), Some(crossref));
    // Cited cache entries: the ORCID record and the Crossref pages holding those works.
    let cited = out["fetch"]["entries_cited"].as_array().expect("entries cited");
    assert!(cited.iter().any(|e| e["source"] == "orcid"));
    assert!(
        cited
            .iter()
            .any(|e| e["source"] == "crossref" && e["url"].as_str().is_some_and(|u| u.contains("filter=orcid:")))
    );
    // The list was last changed in 2018: works published after it are not expected in it, so no ORC001.
    let codes: Vec<&str> = out["audit"]["works"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|w| w["findings"].as_array().into_iter().flatten())
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(!codes.contains(&"ORC001"), "{codes:?}");
}

#[test]
fn offline_with_an_empty_cache_fails_naming_what_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = byline(&[
        "audit",
        "--orcid",
        RESEARCHER,
        "--fetch",
        "--offline",
        "--cache",
        s(&dir.path().join("empty")),
        "--orcid-url",
        "http://127.0.0.1:9/orcid",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not in the cache") && stderr.contains(&format!("/orcid/{RESEARCHER}/record")), "{stderr}");
}
