//! The recorded APIs: a handler for [`TestServer`](crate::http::TestServer) that answers the requests
//! `byline fetch` makes for ORCID 0000-0003-1444-9135 with the recorded responses in
//! `crates/byline-fetch/tests/fixtures` (see its SOURCE.md). Paths: `/openalex`, `/crossref`, `/eutils`,
//! `/orcid` under the server's URL; and the Japanese registries, `/kaken` (the shared data's real KAKEN sample)
//! and `/researchmap` (recorded items in an envelope built here).
//!
//! Two envelopes are built here, not recorded: the ORCID `/record` object around the recorded `/person` and
//! `/works` answers of that iD (the record is those two sections plus the `orcid-identifier`), and the Crossref
//! `work-list` around the two recorded work objects carrying that iD, one per page, so that cursor paging is
//! exercised. Everything inside the envelopes is recorded.

use std::io::Read;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::http::{Reply, query_param};

/// The researcher the recorded responses are about.
pub const RESEARCHER: &str = "0000-0003-1444-9135";
/// The Crossref cursor of the second and third pages.
const CROSSREF_PAGE_2: &str = "recorded-page-2";
const CROSSREF_PAGE_3: &str = "recorded-page-3";

/// The fixture folder.
pub fn fixtures_dir() -> PathBuf {
    crate::workspace_root().join("crates/byline-fetch/tests/fixtures")
}

/// Reads a fixture (gunzipping `.gz`).
///
/// # Panics
/// When the fixture is missing: the tests cannot run without it.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if name.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut out).expect("fixture gunzips");
        out
    } else {
        raw
    }
}

/// The two recorded Crossref work objects of [`RESEARCHER`].
pub fn crossref_works() -> Vec<Value> {
    String::from_utf8_lossy(&fixture("crossref/habanero-works-lines-459-465.jsonl"))
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The ORCID `/record` of [`RESEARCHER`], assembled from the recorded `/person` and `/works` answers.
pub fn orcid_record() -> Vec<u8> {
    let person: Value = serde_json::from_slice(&fixture("orcid/rorcid-person-0000-0003-1444-9135.json")).expect("json");
    let works: Value =
        serde_json::from_slice(&fixture("orcid/rorcid-works-0000-0003-1444-9135.json.gz")).expect("json");
    let record = json!({
        "orcid-identifier": {"uri": format!("https://orcid.org/{RESEARCHER}"), "path": RESEARCHER, "host": "orcid.org"},
        "person": person,
        "activities-summary": {"works": works},
        "path": format!("/{RESEARCHER}"),
    });
    serde_json::to_vec(&record).expect("serializes")
}

/// Answers a request the way the recorded APIs did; `None` for a request it has no recording for.
pub fn recorded(target: &str) -> Option<Reply> {
    let path = target.split('?').next().unwrap_or(target);
    if let Some(rest) = path.strip_prefix("/orcid/") {
        return (rest == format!("{RESEARCHER}/record"))
            .then(|| Reply::ok("application/vnd.orcid+json; qs=4;charset=UTF-8", orcid_record()));
    }
    if path == "/openalex/works" {
        let filter = query_param(target, "filter")?;
        let cursor = query_param(target, "cursor")?;
        if filter != format!("author.orcid:{RESEARCHER}") || cursor != "*" {
            // Later pages, and the co-authors' works: the recorded last page (no results, no cursor).
            return Some(Reply::json(fixture("openalex/openalexPro-keypaper-results_page_2.json")));
        }
        return Some(Reply::json(fixture("openalex/openalexPro-keypaper-results_page_1.json")));
    }
    if path == "/crossref/works" {
        let cursor = query_param(target, "cursor")?;
        let works = crossref_works();
        let (items, next): (Vec<Value>, &str) = match cursor.as_str() {
            "*" => (works.iter().take(1).cloned().collect(), CROSSREF_PAGE_2),
            CROSSREF_PAGE_2 => (works.iter().skip(1).cloned().collect(), CROSSREF_PAGE_3),
            _ => (Vec::new(), CROSSREF_PAGE_3),
        };
        let body = json!({"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"items-per-page": 1, "total-results": works.len(), "next-cursor": next, "items": items}});
        return Some(Reply::json(serde_json::to_vec(&body).expect("serializes")));
    }
    if path == "/eutils/esearch.fcgi" {
        return Some(Reply::ok("text/xml; charset=UTF-8", fixture("eutils/biopython-esearch1.xml")));
    }
    if path == "/eutils/efetch.fcgi" {
        return Some(Reply::ok("text/xml; charset=UTF-8", fixture("eutils/biopython-efetch-pubmed2.xml")));
    }
    None
}

/// The e-Rad number of the KAKEN researcher the loopback KAKEN API answers for (Nomura Taishin, in the
/// shared data's real `jp/kaken_researchers_sample.json`).
pub const KAKEN_ERAD: &str = "50283734";
/// The researchmap permalink the loopback researchmap API answers for (its recorded items are in
/// `crates/byline-fetch/tests/fixtures/researchmap/`).
pub const RESEARCHMAP_PERMALINK: &str = "takamikyo";

/// The KAKEN researcher API (`/kaken/opensearch/?appid=…&qm=N&format=json`): the shared data's real KAKEN
/// sample, byte for byte, when `qm` is a researcher in it and an `appid` is given (the real API refuses a
/// request without one: 403 here); `None` when the shared data is absent.
pub fn kaken_answer(target: &str) -> Option<Reply> {
    let dir = crate::shared_data()?;
    let body = std::fs::read(dir.join("jp/kaken_researchers_sample.json")).ok()?;
    if query_param(target, "appid").is_none_or(|a| a.is_empty()) {
        return Some(Reply::status(403, "appid required"));
    }
    let qm = query_param(target, "qm").unwrap_or_default();
    let holds = String::from_utf8_lossy(&body).contains(&format!("\"{qm}\""));
    Some(if qm.len() == 8 && holds { Reply::json(body) } else { Reply::json(&br#"{"researchers": []}"#[..]) })
}

/// The researchmap API's record of [`RESEARCHMAP_PERMALINK`] (`/researchmap/takamikyo`): the `@graph` envelope
/// is built here (the recordings hold only the items of two list answers); every item in it is recorded.
pub fn researchmap_record() -> Vec<u8> {
    let items = |name: &str| -> Value {
        serde_json::from_slice(&fixture(&format!("researchmap/{name}"))).expect("recorded researchmap items")
    };
    let record = json!({
        "@id": format!("https://api.researchmap.jp/{RESEARCHMAP_PERMALINK}"),
        "@type": "researchers",
        "permalink": RESEARCHMAP_PERMALINK,
        "@graph": [
            {"@type": "published_papers", "items": items("takami-lab-site-published_papers-items.json")},
            {"@type": "research_projects", "items": items("takami-lab-site-research_projects-items.json")},
        ],
    });
    serde_json::to_vec(&record).expect("serializes")
}

/// The two registries: KAKEN under `/kaken`, researchmap under `/researchmap`.
pub fn registries(target: &str) -> Option<Reply> {
    let path = target.split('?').next().unwrap_or(target);
    if path == "/kaken/opensearch/" || path == "/kaken/opensearch" {
        return kaken_answer(target);
    }
    if let Some(permalink) = path.strip_prefix("/researchmap/") {
        return Some(if permalink == RESEARCHMAP_PERMALINK {
            Reply::ok("application/ld+json; charset=utf-8", researchmap_record())
        } else {
            Reply::status(404, "no such researcher")
        });
    }
    None
}

/// [`recorded`], with a plain 404 (written here) for anything it has no recording for.
pub fn recorded_or_404(target: &str) -> Reply {
    recorded(target)
        .or_else(|| registries(target))
        .unwrap_or_else(|| Reply::status(404, "no recording for this request"))
}

/// Base URLs of the four APIs on a server at `url`, in the order openalex, crossref, eutils, orcid.
pub fn endpoints(url: &str) -> [String; 4] {
    [format!("{url}/openalex"), format!("{url}/crossref"), format!("{url}/eutils"), format!("{url}/orcid")]
}
