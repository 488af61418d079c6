//! Fetching against the in-process server: recorded answers, paging, the cache and `offline`, and every kind
//! of bad answer giving a clear error for its request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use byline_fetch::cache::Cache;
use byline_fetch::http::HttpOptions;
use byline_fetch::{Endpoints, FetchOptions, FetchReport, FetchTarget, fetch_researcher};
use byline_testdata::apis::{RESEARCHER, crossref_works, endpoints, fixture, recorded_or_404};
use byline_testdata::http::{Reply, TestServer};
use serde_json::Value;

fn options(server: &TestServer) -> FetchOptions {
    let [openalex, crossref, eutils, orcid] = endpoints(&server.url());
    FetchOptions {
        endpoints: Endpoints { openalex, crossref, eutils, orcid },
        mailto: Some("officer@example.org".to_owned()),
        http: HttpOptions {
            backoff: Duration::from_millis(10),
            max_retry_after: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            ..HttpOptions::default()
        },
        ..FetchOptions::default()
    }
}

fn researcher() -> FetchTarget {
    FetchTarget { orcid: Some(RESEARCHER.to_owned()), ..FetchTarget::default() }
}

fn works_of(report: &FetchReport, source: &str) -> u64 {
    report.sources.iter().find(|s| s.source == source).map_or(0, |s| s.works)
}

#[test]
fn recorded_apis_give_every_source_its_works_and_a_second_run_is_offline() {
    let server = TestServer::start(recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let report = fetch_researcher(&researcher(), &options(&server), &cache, &()).expect("fetch");
    assert!(report.complete(), "{:?}", report.failures);

    // Expected counts from the recorded bodies themselves.
    let page1: Value =
        serde_json::from_slice(&fixture("openalex/openalexPro-keypaper-results_page_1.json")).expect("json");
    assert_eq!(works_of(&report, "openalex"), page1["results"].as_array().map_or(0, Vec::len) as u64);
    assert_eq!(works_of(&report, "crossref"), crossref_works().len() as u64);
    let efetch =
        String::from_utf8_lossy(&fixture("eutils/biopython-efetch-pubmed2.xml")).matches("<PubmedArticle>").count();
    assert_eq!(works_of(&report, "pubmed"), efetch as u64);
    // OpenAlex paging followed the recorded cursor; Crossref followed its own to the empty third page.
    let requests = server.requests();
    let next = page1.pointer("/meta/next_cursor").and_then(Value::as_str).expect("cursor");
    assert!(requests.iter().any(|r| r.contains(&format!("cursor={}", next.replace('=', "%3D")))), "{requests:?}");
    assert_eq!(requests.iter().filter(|r| r.starts_with("/crossref/")).count(), 3, "{requests:?}");
    // Etiquette: mailto on OpenAlex and Crossref, tool and email on E-utilities.
    assert!(
        requests.iter().filter(|r| r.starts_with("/openalex/")).all(|r| r.contains("mailto=officer%40example.org"))
    );
    assert!(requests.iter().filter(|r| r.starts_with("/eutils/")).all(|r| r.contains("tool=byline")));
    // The ORCID record and the co-author hop (Boettiger is on both Crossref works).
    let record = report.orcid_record.as_ref().expect("record");
    assert_eq!(record.orcid.as_deref(), Some(RESEARCHER));
    assert_eq!(report.coauthors_fetched, vec!["0000-0002-1642-628X".to_owned()]);
    // No contact address or key is written to the cache.
    for e in &report.entries {
        assert!(!e.url.contains("mailto") && !e.url.contains("api_key"), "{}", e.url);
        assert!(e.file.starts_with(dir.path()));
    }

    // Second run: offline, every answer from the cache, nothing asked of the server.
    let served = server.requests().len();
    let offline = FetchOptions { offline: true, ..options(&server) };
    let again = fetch_researcher(&researcher(), &offline, &cache, &()).expect("offline");
    assert!(again.complete(), "missing: {:?}", again.missing);
    assert_eq!(server.requests().len(), served);
    assert!(again.entries.iter().all(|e| e.from_cache));
    assert_eq!(again.work_files(), report.work_files());
    assert_eq!(
        again.sources.iter().map(|s| s.works).collect::<Vec<_>>(),
        report.sources.iter().map(|s| s.works).collect::<Vec<_>>()
    );
}

#[test]
fn offline_with_an_empty_cache_says_what_is_missing_and_asks_nothing() {
    let server = TestServer::start(recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let offline = FetchOptions { offline: true, ..options(&server) };
    let report = fetch_researcher(&researcher(), &offline, &cache, &()).expect("offline");
    assert!(!report.complete());
    assert!(server.requests().is_empty());
    assert!(report.missing.iter().any(|u| u.ends_with(&format!("/orcid/{RESEARCHER}/record"))), "{:?}", report.missing);
    assert!(report.missing.iter().any(|u| u.contains("/openalex/works?filter=author.orcid:")));
    assert!(report.missing.iter().any(|u| u.contains("/eutils/esearch.fcgi")));
}

#[test]
fn a_429_is_retried_after_the_time_the_server_asks_for() {
    let crossref_calls = AtomicUsize::new(0);
    let server = TestServer::start(move |t| {
        if t.starts_with("/crossref/") && crossref_calls.fetch_add(1, Ordering::SeqCst) == 0 {
            // Hand-made: the status and header a rate-limited API sends.
            return Reply::status(429, "Too Many Requests").with_header("Retry-After", "1");
        }
        recorded_or_404(t)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let started = Instant::now();
    let report = fetch_researcher(&researcher(), &options(&server), &cache, &()).expect("fetch");
    assert!(report.complete(), "{:?}", report.failures);
    assert!(started.elapsed() >= Duration::from_secs(1));
    let crossref = report.sources.iter().find(|s| s.source == "crossref").expect("crossref");
    assert_eq!((crossref.retries, crossref.works), (1, 2));
}

/// Runs a fetch where `broken` replaces the answer to the first request whose path starts with `prefix`.
fn with_broken(prefix: &'static str, broken: Reply) -> (FetchReport, Vec<String>) {
    let calls = AtomicUsize::new(0);
    let server = TestServer::start(move |t| {
        if t.starts_with(prefix) && calls.fetch_add(1, Ordering::SeqCst) == 0 {
            return broken.clone();
        }
        recorded_or_404(t)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let mut opts = options(&server);
    opts.http.max_body_bytes = 200_000;
    let report = fetch_researcher(&researcher(), &opts, &cache, &()).expect("fetch");
    // A failed request is never cached: an offline rerun reports it missing.
    let offline = FetchOptions { offline: true, ..opts };
    let again = fetch_researcher(&researcher(), &offline, &cache, &()).expect("offline");
    (report, again.missing)
}

fn failure_for<'a>(report: &'a FetchReport, source: &str) -> &'a str {
    let f = report.failures.iter().find(|f| f.source == source);
    f.map(|f| f.reason.as_str()).unwrap_or_else(|| panic!("no {source} failure in {:?}", report.failures))
}

#[test]
fn bad_answers_are_each_a_clear_error_for_their_request() {
    // Hand-made error bodies, labelled as such.
    let html = Reply::ok("text/html", "<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>");
    let (report, missing) = with_broken("/openalex/", html);
    assert!(failure_for(&report, "openalex").contains("HTML page"), "{:?}", report.failures);
    assert_eq!(works_of(&report, "openalex"), 0);
    assert!(missing.iter().any(|u| u.contains("/openalex/works?filter=author.orcid:0000-0003-1444-9135")));
    // The other sources still answered, and the summary says which did.
    assert!(report.sources.iter().find(|s| s.source == "crossref").is_some_and(|s| s.answered()));
    assert!(!report.sources.iter().find(|s| s.source == "openalex").is_some_and(|s| s.answered()));

    let page = fixture("openalex/openalexPro-keypaper-results_page_1.json");
    let truncated = Reply::json(page[..page.len() / 2].to_vec());
    let (report, _) = with_broken("/openalex/", truncated);
    assert!(failure_for(&report, "openalex").contains("not valid JSON"), "{:?}", report.failures);

    let giant = Reply::json(vec![b' '; 300_000]);
    let (report, _) = with_broken("/crossref/", giant);
    assert!(failure_for(&report, "crossref").contains("larger than"), "{:?}", report.failures);

    let elsewhere = Reply::status(302, "").with_header("Location", "http://192.0.2.1/works");
    let (report, _) = with_broken("/crossref/", elsewhere);
    assert!(failure_for(&report, "crossref").contains("another host"), "{:?}", report.failures);

    let other_record = Reply::json(fixture("orcid/mex-common-record-0000-0002-1825-0097.json"));
    let (report, _) = with_broken("/orcid/", other_record);
    assert!(failure_for(&report, "orcid").contains("0000-0002-1825-0097"), "{:?}", report.failures);
    assert!(report.orcid_record.is_none());

    let esearch_error =
        Reply::ok("text/xml", "<eSearchResult><ERROR>Empty term and query_key - nothing todo</ERROR></eSearchResult>");
    let (report, _) = with_broken("/eutils/esearch", esearch_error);
    assert!(failure_for(&report, "pubmed").contains("nothing todo"), "{:?}", report.failures);

    let efetch = fixture("eutils/biopython-efetch-pubmed2.xml");
    let cut = Reply::ok("text/xml", efetch[..efetch.len() - 40].to_vec());
    let (report, _) = with_broken("/eutils/efetch", cut);
    assert!(failure_for(&report, "pubmed").contains("truncated"), "{:?}", report.failures);

    let not_found = Reply::status(404, "{\"response-code\":404}");
    let (report, _) = with_broken("/orcid/", not_found);
    assert!(failure_for(&report, "orcid").contains("HTTP 404"), "{:?}", report.failures);
}
