//! `fetch_registry` against the in-process server: the shared data's real KAKEN record (by e-Rad number, with
//! an appid that never reaches the disk) and recorded researchmap items, the cache, `offline`, and answers
//! that are not what was asked for.

use std::time::Duration;

use byline_fetch::cache::Cache;
use byline_fetch::http::HttpOptions;
use byline_fetch::registry::{RegistryOptions, RegistryTarget, fetch_registry};
use byline_testdata::apis::{KAKEN_ERAD, RESEARCHMAP_PERMALINK, recorded_or_404, researchmap_record};
use byline_testdata::http::{Reply, TestServer, query_param};

const APPID: &str = "test-appid-Zq81xK";

fn options(url: &str, appid: Option<&str>) -> RegistryOptions {
    RegistryOptions {
        kaken_url: format!("{url}/kaken"),
        researchmap_url: format!("{url}/researchmap"),
        kaken_appid: appid.map(str::to_owned),
        http: HttpOptions {
            backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(10),
            ..HttpOptions::default()
        },
        ..RegistryOptions::default()
    }
}

/// Every byte under `dir`, as text (to look for the appid).
fn all_text(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.push_str(&all_text(&p));
        } else {
            out.push_str(&p.display().to_string());
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).expect("read")));
        }
    }
    out
}

#[test]
fn kaken_and_researchmap_records_through_the_cache() {
    if byline_testdata::shared_data().is_none() {
        return;
    }
    let server = TestServer::start(recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let target =
        RegistryTarget { erad: Some(KAKEN_ERAD.to_owned()), researchmap: Some(RESEARCHMAP_PERMALINK.to_owned()) };
    let report = fetch_registry(&target, &options(&server.url(), Some(APPID)), &cache, &()).expect("fetch");
    assert!(report.complete(), "{:?}", report.failures);
    let kaken = report.kaken.as_ref().expect("the KAKEN record");
    assert_eq!(kaken.erad_id(), Some(KAKEN_ERAD));
    assert_eq!(kaken.name_in(byline_fetch::kaken::NameScript::Kanji), Some("野村 泰伸"));
    let rm = report.researchmap.as_ref().expect("the researchmap record");
    assert_eq!((rm.papers.len(), rm.projects.len()), (38, 3));
    // The appid was sent, and is nowhere on disk nor in the report.
    let requests = server.requests();
    assert!(requests.iter().any(|r| query_param(r, "appid").as_deref() == Some(APPID)), "{requests:?}");
    assert!(!all_text(dir.path()).contains(APPID));
    assert!(!serde_json::to_string(&report).expect("json").contains(APPID));

    // Offline, without the appid: the same records from the cache, no request.
    let before = server.requests().len();
    let offline = RegistryOptions { offline: true, ..options(&server.url(), None) };
    let again = fetch_registry(&target, &offline, &cache, &()).expect("offline");
    assert!(again.complete() && again.entries.iter().all(|e| e.from_cache), "{again:?}");
    assert_eq!(again.kaken.as_ref().and_then(|k| k.erad_id()), Some(KAKEN_ERAD));
    assert_eq!(server.requests().len(), before);

    // Offline with an empty cache: what is missing is listed, without the appid.
    let empty = tempfile::tempdir().expect("tempdir");
    let missing = fetch_registry(
        &target,
        &RegistryOptions { offline: true, ..options(&server.url(), Some(APPID)) },
        &Cache::open(empty.path()).expect("cache"),
        &(),
    )
    .expect("offline");
    assert_eq!(missing.missing.len(), 2, "{missing:?}");
    assert!(missing.missing.iter().all(|u| !u.contains(APPID)));
}

#[test]
fn wrong_answers_are_refused_for_their_request() {
    if byline_testdata::shared_data().is_none() {
        return;
    }
    // No appid: refused before any request. An e-Rad number the answer does not hold: refused.
    let server = TestServer::start(recorded_or_404);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::open(dir.path()).expect("cache");
    let erad = |n: &str| RegistryTarget { erad: Some(n.to_owned()), researchmap: None };
    let r = fetch_registry(&erad(KAKEN_ERAD), &options(&server.url(), None), &cache, &()).expect("runs");
    assert!(r.failures[0].reason.contains("application id"), "{:?}", r.failures);
    assert!(server.requests().is_empty());
    let r = fetch_registry(&erad("12345678"), &options(&server.url(), Some(APPID)), &cache, &()).expect("runs");
    assert!(r.failures[0].reason.contains("no researcher with e-Rad number 12345678"), "{:?}", r.failures);
    assert!(r.failures.iter().all(|f| !f.reason.contains(APPID) && !f.url.contains(APPID)));
    assert!(fetch_registry(&erad("1234"), &options(&server.url(), Some(APPID)), &cache, &()).is_err());

    // researchmap: another researcher's record under the asked permalink, an HTML page, a cut body.
    let other = TestServer::start(|target| match target {
        "/researchmap/someone" => Reply::json(researchmap_record()),
        "/researchmap/html" => Reply::ok("text/html", "<!DOCTYPE html><html>maintenance</html>"),
        _ => Reply::json(researchmap_record()[..200].to_vec()),
    });
    for (permalink, says) in [("someone", "is of takamikyo, not someone"), ("html", "HTML"), ("cut", "line")] {
        let t = RegistryTarget { erad: None, researchmap: Some(permalink.to_owned()) };
        let r = fetch_registry(&t, &options(&other.url(), None), &cache, &()).expect("runs");
        assert!(r.researchmap.is_none());
        assert!(r.failures.len() == 1 && r.failures[0].reason.contains(says), "{permalink}: {:?}", r.failures);
    }
    // Nothing refused was cached.
    assert!(!all_text(dir.path()).contains("maintenance"));
}
