//! What to request for one researcher, in which order, and the accounting of what came back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use byline_model::{Work, normalize_orcid};
use byline_parse::{Event, read_path};
use serde::Serialize;

use crate::cache::{Cache, cache_url};
use crate::http::{Client, HttpOptions, RateLimiter};
use crate::orcid::OrcidRecord;
use crate::{FetchError, validate};

/// Base URLs of the APIs. The defaults are the public services; tests point them at 127.0.0.1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub openalex: String,
    pub crossref: String,
    pub eutils: String,
    pub orcid: String,
}

impl Default for Endpoints {
    fn default() -> Endpoints {
        Endpoints {
            openalex: "https://api.openalex.org".to_owned(),
            crossref: "https://api.crossref.org".to_owned(),
            eutils: "https://eutils.ncbi.nlm.nih.gov/entrez/eutils".to_owned(),
            orcid: "https://pub.orcid.org/v3.0".to_owned(),
        }
    }
}

/// Requests a second to each API, as each documents it.
/// OpenAlex: "max 10 requests per second" (docs.openalex.org, rate limits and authentication).
const OPENALEX_PER_SECOND: u32 = 10;
/// Crossref REST API public pool: 5 requests a second, one at a time (Crossref, "REST API rate limits",
/// December 2025); the polite pool with a `mailto` allows 10.
const CROSSREF_PER_SECOND: u32 = 5;
const CROSSREF_POLITE_PER_SECOND: u32 = 10;
/// NCBI E-utilities: "no more than 3 requests per second" without an API key, 10 with one.
const NCBI_PER_SECOND: u32 = 3;
const NCBI_WITH_KEY_PER_SECOND: u32 = 10;
/// ORCID public API: 24 requests a second (burst 40) per IP (info.orcid.org, "API rate limits").
const ORCID_PER_SECOND: u32 = 24;

/// Works per page: OpenAlex's and Crossref's largest page size.
const PAGE_SIZE: usize = 200;
/// PMIDs per efetch request (NCBI advises POST beyond ~200 ids in a GET).
const EFETCH_BATCH: usize = 200;
/// A co-author's works read for the neighbourhood: one page of OpenAlex (the audit's 2-hop check reads at most
/// `AuditOptions::max_two_hop_works` = 200 per co-author).
const COAUTHOR_WORKS: usize = 200;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub endpoints: Endpoints,
    /// Contact address: OpenAlex's and Crossref's polite pools, NCBI's `email`.
    pub mailto: Option<String>,
    pub openalex_api_key: Option<String>,
    pub ncbi_api_key: Option<String>,
    /// Answer from the cache only; list what is missing.
    pub offline: bool,
    /// Request again even what the cache holds.
    pub refresh: bool,
    /// Recurring co-authors whose works are fetched (one hop out).
    pub hop_limit: usize,
    /// Pages per paged request (bounds a runaway cursor).
    pub max_pages: usize,
    /// PMIDs kept from an esearch.
    pub max_pubmed: usize,
    pub http: HttpOptions,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            endpoints: Endpoints::default(),
            mailto: None,
            openalex_api_key: None,
            ncbi_api_key: None,
            offline: false,
            refresh: false,
            hop_limit: 20,
            max_pages: 50,
            max_pubmed: 2000,
            http: HttpOptions::default(),
        }
    }
}

/// Whom to fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FetchTarget {
    pub orcid: Option<String>,
    /// "Family, Given" (or "Given Family").
    pub name: Option<String>,
    pub affiliation: Option<String>,
    /// An OpenAlex author id (`A5023888391`), for a researcher without an ORCID.
    pub openalex_author: Option<String>,
}

/// Called before each request (and each cache hit).
pub trait FetchProgress {
    fn request(&self, source: &str, url: &str, from_cache: bool);
}

impl FetchProgress for () {
    fn request(&self, _: &str, _: &str, _: bool) {}
}

/// What one source answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceSummary {
    pub source: String,
    pub requests: usize,
    pub from_cache: usize,
    pub failed: usize,
    /// Works its answers hold (as the readers count them; the ORCID record holds none).
    pub works: u64,
    pub retries: u32,
}

impl SourceSummary {
    /// Asked and every request answered.
    pub fn answered(&self) -> bool {
        self.requests > 0 && self.failed == 0
    }
}

/// A cache entry this fetch used: the provenance of the works in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsedEntry {
    pub source: String,
    pub url: String,
    pub fetched_at_unix: u64,
    pub file: PathBuf,
    pub from_cache: bool,
    /// `researcher` or `coauthor`.
    pub role: String,
}

/// A request that gave no usable answer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestFailure {
    pub source: String,
    pub url: String,
    pub reason: String,
}

/// Everything a fetch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    pub target: FetchTarget,
    pub sources: Vec<SourceSummary>,
    pub entries: Vec<UsedEntry>,
    pub failures: Vec<RequestFailure>,
    /// With `offline`: requests the cache does not hold.
    pub missing: Vec<String>,
    /// The ORCID record, when fetched.
    #[serde(skip)]
    pub orcid_record: Option<OrcidRecord>,
    pub orcid_record_file: Option<PathBuf>,
    /// Recurring co-authors (by ORCID) whose works were fetched, and those left out by `hop_limit`.
    pub coauthors_fetched: Vec<String>,
    pub coauthors_left_out: usize,
}

impl FetchReport {
    /// Publication-metadata files for ingest (every entry but the ORCID record).
    pub fn work_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> =
            self.entries.iter().filter(|e| e.source != "orcid" && e.role != "search").map(|e| e.file.clone()).collect();
        files.sort();
        files.dedup();
        files
    }

    /// True when every request was answered (and, offline, every one was in the cache).
    pub fn complete(&self) -> bool {
        self.failures.is_empty() && self.missing.is_empty()
    }
}

/// Fetches the researcher's works from every source that can find them, their ORCID record, then the works
/// of their recurring co-authors. Each failing request is recorded in the report, never half-kept.
pub fn fetch_researcher(
    target: &FetchTarget,
    options: &FetchOptions,
    cache: &Cache,
    progress: &dyn FetchProgress,
) -> Result<FetchReport, FetchError> {
    let orcid = match &target.orcid {
        Some(o) => {
            Some(normalize_orcid(o).ok_or_else(|| FetchError::Invalid(format!("'{o}' is not a valid ORCID iD")))?)
        }
        None => None,
    };
    if orcid.is_none() && target.name.is_none() && target.openalex_author.is_none() {
        return Err(FetchError::Invalid("nothing to fetch by: give an ORCID iD or a name".to_owned()));
    }
    let mut run = Run::new(options, cache, progress, target.clone());
    if let Some(id) = &orcid {
        run.orcid_record(id);
        run.openalex(&format!("author.orcid:{id}"), "researcher", options.max_pages);
        run.crossref(&format!("orcid:{id}"));
    }
    if let Some(a) = &target.openalex_author {
        let a = a.trim().trim_start_matches("https://openalex.org/");
        run.openalex(&format!("author.id:{a}"), "researcher", options.max_pages);
    }
    if let Some(term) = pubmed_term(orcid.as_deref(), target.name.as_deref(), target.affiliation.as_deref()) {
        run.pubmed(&term);
    }
    run.hop(orcid.as_deref(), target.name.as_deref())?;
    Ok(run.finish())
}

/// The esearch term: by ORCID (`[auid]`), else by author name, narrowed by affiliation.
fn pubmed_term(orcid: Option<&str>, name: Option<&str>, affiliation: Option<&str>) -> Option<String> {
    let by_person = match (orcid, name) {
        (Some(o), _) => format!("{o}[auid]"),
        (None, Some(n)) => format!("\"{}\"[Author]", pubmed_author(n)),
        (None, None) => return None,
    };
    Some(match affiliation.filter(|a| !a.trim().is_empty() && orcid.is_none()) {
        Some(a) => format!("{by_person} AND \"{}\"[Affiliation]", a.replace('"', " ")),
        None => by_person,
    })
}

/// "Family, Given Names" → "Family GN" (PubMed's author form); "Given Family" → "Family G".
fn pubmed_author(name: &str) -> String {
    let (family, given) = match name.split_once(',') {
        Some((f, g)) => (f.trim().to_owned(), g.trim().to_owned()),
        None => {
            let mut parts: Vec<&str> = name.split_whitespace().collect();
            let family = parts.pop().unwrap_or_default().to_owned();
            (family, parts.join(" "))
        }
    };
    let initials: String = given.split([' ', '-', '.']).filter_map(|p| p.chars().next()).collect();
    format!("{} {}", family.replace('"', " "), initials).trim().to_owned()
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b',' | b'*' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A check of a body (given its content type) before it is kept.
type BodyCheck = dyn Fn(Option<&str>, &[u8]) -> Result<(), String>;

struct Limiters {
    openalex: RateLimiter,
    crossref: RateLimiter,
    pubmed: RateLimiter,
    orcid: RateLimiter,
}

struct Run<'a> {
    options: &'a FetchOptions,
    cache: &'a Cache,
    progress: &'a dyn FetchProgress,
    client: Option<Client>,
    limiters: Limiters,
    report: FetchReport,
    summaries: BTreeMap<&'static str, SourceSummary>,
}

impl<'a> Run<'a> {
    fn new(
        options: &'a FetchOptions,
        cache: &'a Cache,
        progress: &'a dyn FetchProgress,
        target: FetchTarget,
    ) -> Run<'a> {
        let polite = options.mailto.is_some();
        Run {
            options,
            cache,
            progress,
            client: (!options.offline).then(|| Client::new(options.http.clone())),
            limiters: Limiters {
                openalex: RateLimiter::per_second(OPENALEX_PER_SECOND),
                crossref: RateLimiter::per_second(if polite {
                    CROSSREF_POLITE_PER_SECOND
                } else {
                    CROSSREF_PER_SECOND
                }),
                pubmed: RateLimiter::per_second(if options.ncbi_api_key.is_some() {
                    NCBI_WITH_KEY_PER_SECOND
                } else {
                    NCBI_PER_SECOND
                }),
                orcid: RateLimiter::per_second(ORCID_PER_SECOND),
            },
            report: FetchReport { target, ..FetchReport::default() },
            summaries: ["openalex", "crossref", "pubmed", "orcid"]
                .into_iter()
                .map(|s| (s, SourceSummary { source: s.to_owned(), ..SourceSummary::default() }))
                .collect(),
        }
    }

    fn finish(mut self) -> FetchReport {
        // Works per source, counted by the readers over the bodies kept.
        for entry in &self.report.entries {
            if entry.source == "orcid" || entry.role == "search" {
                continue;
            }
            let works = read_path(&entry.file, None, &mut |_| {}).works;
            if let Some(s) = self.summaries.get_mut(entry.source.as_str()) {
                s.works += works;
            }
        }
        self.report.sources = self.summaries.into_values().filter(|s| s.requests > 0).collect();
        self.report
    }

    /// One request through the cache: the body's path, or `None` after recording why there is none.
    fn get(&mut self, source: &'static str, url: &str, accept: &str, role: &str, check: &BodyCheck) -> Option<PathBuf> {
        let summary = self.summaries.get_mut(source)?;
        summary.requests += 1;
        let shown = cache_url(url);
        if !self.options.refresh
            && let Some((entry, file)) = self.cache.get(source, url)
        {
            self.progress.request(source, &shown, true);
            summary.from_cache += 1;
            self.report.entries.push(UsedEntry {
                source: source.to_owned(),
                url: entry.url,
                fetched_at_unix: entry.fetched_at_unix,
                file: file.clone(),
                from_cache: true,
                role: role.to_owned(),
            });
            return Some(file);
        }
        let Some(client) = &self.client else {
            summary.failed += 1;
            self.report.missing.push(shown);
            return None;
        };
        self.progress.request(source, &shown, false);
        let limiter = match source {
            "openalex" => &mut self.limiters.openalex,
            "crossref" => &mut self.limiters.crossref,
            "pubmed" => &mut self.limiters.pubmed,
            _ => &mut self.limiters.orcid,
        };
        let result = client.get(url, accept, limiter).and_then(|r| {
            validate::not_html(r.content_type.as_deref(), &r.body)?;
            check(r.content_type.as_deref(), &r.body)?;
            Ok(r)
        });
        let fail = |reason: String, report: &mut FetchReport| {
            report.failures.push(RequestFailure { source: source.to_owned(), url: shown.clone(), reason });
        };
        match result {
            Ok(r) => {
                summary.retries += r.retries;
                let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
                // The stored content type says how to read the body back (XML for E-utilities).
                let content_type = if accept.contains("xml") { "application/xml" } else { "application/json" };
                match self.cache.put(source, url, Some(content_type), &r.body, now) {
                    Ok((entry, file)) => {
                        self.report.entries.push(UsedEntry {
                            source: source.to_owned(),
                            url: entry.url,
                            fetched_at_unix: now,
                            file: file.clone(),
                            from_cache: false,
                            role: role.to_owned(),
                        });
                        Some(file)
                    }
                    Err(e) => {
                        summary.failed += 1;
                        fail(format!("writing the cache: {e}"), &mut self.report);
                        None
                    }
                }
            }
            Err(reason) => {
                summary.failed += 1;
                fail(reason, &mut self.report);
                None
            }
        }
    }

    fn with_keys(&self, mut url: String, source: &str) -> String {
        let sep = |u: &String| if u.contains('?') { '&' } else { '?' };
        match source {
            "openalex" => {
                if let Some(m) = &self.options.mailto {
                    url = format!("{url}{}mailto={}", sep(&url), encode(m));
                }
                if let Some(k) = &self.options.openalex_api_key {
                    url = format!("{url}{}api_key={}", sep(&url), encode(k));
                }
            }
            "crossref" => {
                if let Some(m) = &self.options.mailto {
                    url = format!("{url}{}mailto={}", sep(&url), encode(m));
                }
            }
            "pubmed" => {
                url = format!("{url}{}tool=byline", sep(&url));
                if let Some(m) = &self.options.mailto {
                    url = format!("{url}&email={}", encode(m));
                }
                if let Some(k) = &self.options.ncbi_api_key {
                    url = format!("{url}&api_key={}", encode(k));
                }
            }
            _ => {}
        }
        url
    }

    fn orcid_record(&mut self, id: &str) {
        let url = format!("{}/{id}/record", self.options.endpoints.orcid.trim_end_matches('/'));
        let expected = id.to_owned();
        let check = move |_: Option<&str>, body: &[u8]| -> Result<(), String> {
            let value = validate::json(body)?;
            let record = OrcidRecord::from_value(&value);
            match record.orcid.as_deref() {
                Some(got) if got == expected => Ok(()),
                Some(got) => Err(format!("the record is of {got}, not {expected}")),
                None => Err("not an ORCID record (no orcid-identifier)".to_owned()),
            }
        };
        if let Some(file) = self.get("orcid", &url, "application/json", "researcher", &check) {
            match std::fs::read(&file).map_err(|e| e.to_string()).and_then(|b| OrcidRecord::from_json(&b)) {
                Ok(record) => {
                    self.report.orcid_record = Some(record);
                    self.report.orcid_record_file = Some(file);
                }
                Err(reason) => self.report.failures.push(RequestFailure {
                    source: "orcid".to_owned(),
                    url: cache_url(&url),
                    reason: format!("cached record unreadable: {reason}"),
                }),
            }
        }
    }

    /// OpenAlex works matching `filter`, following `meta.next_cursor`.
    fn openalex(&mut self, filter: &str, role: &str, max_pages: usize) {
        let base = self.options.endpoints.openalex.trim_end_matches('/');
        let per_page = if role == "coauthor" { COAUTHOR_WORKS } else { PAGE_SIZE };
        let mut cursor = "*".to_owned();
        for _ in 0..max_pages {
            let url = self.with_keys(
                format!("{base}/works?filter={}&per-page={per_page}&cursor={}", encode(filter), encode(&cursor)),
                "openalex",
            );
            let check = |_: Option<&str>, body: &[u8]| validate::openalex_page(&validate::json(body)?).map(|_| ());
            let Some(file) = self.get("openalex", &url, "application/json", role, &check) else { return };
            let next = read_json(&file).and_then(|v| validate::openalex_page(&v).ok());
            match next {
                Some((n, Some(c))) if n > 0 && role != "coauthor" => cursor = c,
                _ => return,
            }
        }
    }

    /// Crossref works matching `filter`, following `message.next-cursor`.
    fn crossref(&mut self, filter: &str) {
        let base = self.options.endpoints.crossref.trim_end_matches('/');
        let mut cursor = "*".to_owned();
        for _ in 0..self.options.max_pages {
            let url = self.with_keys(
                format!("{base}/works?filter={}&rows={PAGE_SIZE}&cursor={}", encode(filter), encode(&cursor)),
                "crossref",
            );
            let check = |_: Option<&str>, body: &[u8]| validate::crossref_page(&validate::json(body)?).map(|_| ());
            let Some(file) = self.get("crossref", &url, "application/json", "researcher", &check) else { return };
            match read_json(&file).and_then(|v| validate::crossref_page(&v).ok()) {
                Some((n, Some(c))) if n > 0 => cursor = c,
                _ => return,
            }
        }
    }

    /// PubMed: esearch for the PMIDs, then efetch them in batches.
    fn pubmed(&mut self, term: &str) {
        let base = self.options.endpoints.eutils.trim_end_matches('/');
        let url = self.with_keys(
            format!("{base}/esearch.fcgi?db=pubmed&term={}&retmax={}", encode(term), self.options.max_pubmed),
            "pubmed",
        );
        let check = |_: Option<&str>, body: &[u8]| validate::esearch(body).map(|_| ());
        let Some(file) = self.get("pubmed", &url, "application/xml", "search", &check) else { return };
        let ids = match std::fs::read(&file).map_err(|e| e.to_string()).and_then(|b| validate::esearch(&b)) {
            Ok(found) => found.ids,
            Err(_) => return,
        };
        for batch in ids.chunks(EFETCH_BATCH) {
            let url =
                self.with_keys(format!("{base}/efetch.fcgi?db=pubmed&retmode=xml&id={}", batch.join(",")), "pubmed");
            let check = |_: Option<&str>, body: &[u8]| validate::efetch(body);
            self.get("pubmed", &url, "application/xml", "researcher", &check);
        }
    }

    /// One hop out: the researcher's recurring co-authors (at least two shared works) with an ORCID, most
    /// shared works first, at most `hop_limit`; their works from OpenAlex.
    fn hop(&mut self, orcid: Option<&str>, name: Option<&str>) -> Result<(), FetchError> {
        if self.options.hop_limit == 0 {
            return Ok(());
        }
        let family =
            name.map(|n| n.split(',').next().unwrap_or(n).split_whitespace().last().unwrap_or("").to_lowercase());
        let files: Vec<PathBuf> = self
            .report
            .entries
            .iter()
            .filter(|e| e.role == "researcher" && e.source != "orcid")
            .map(|e| e.file.clone())
            .collect();
        let mut shared: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files {
            read_path(&file, None, &mut |event| {
                if let Event::Work(w) = event {
                    count_coauthors(&w, orcid, family.as_deref(), &mut shared);
                }
            });
        }
        let mut recurring: Vec<(usize, String)> =
            shared.into_iter().filter(|(_, works)| works.len() >= 2).map(|(o, w)| (w.len(), o)).collect();
        recurring.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        self.report.coauthors_left_out = recurring.len().saturating_sub(self.options.hop_limit);
        for (_, co) in recurring.into_iter().take(self.options.hop_limit) {
            self.openalex(&format!("author.orcid:{co}"), "coauthor", 1);
            self.report.coauthors_fetched.push(co);
        }
        Ok(())
    }
}

/// Adds the co-authors (by ORCID) of `w` when `w` is the researcher's: it carries their ORCID, or (by name
/// only) their family name.
fn count_coauthors(
    w: &Work,
    orcid: Option<&str>,
    family: Option<&str>,
    shared: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let is_researcher = |a: &byline_model::Author| match orcid {
        Some(o) => a.orcid.as_deref() == Some(o),
        None => family.is_some_and(|f| {
            let own = a.family.clone().unwrap_or_else(|| a.raw_name.split_whitespace().last().unwrap_or("").to_owned());
            own.to_lowercase() == f
        }),
    };
    if !w.authors.iter().any(is_researcher) {
        return;
    }
    let key = w.ids.doi.clone().or_else(|| w.ids.pmid.clone()).unwrap_or_else(|| w.work_id.clone());
    for a in w.authors.iter().filter(|a| !is_researcher(a)) {
        if let Some(o) = &a.orcid {
            shared.entry(o.clone()).or_default().insert(key.clone());
        }
    }
}

fn read_json(path: &std::path::Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pubmed_terms() {
        assert_eq!(
            pubmed_term(Some("0000-0002-1825-0097"), None, Some("Brown")).as_deref(),
            Some("0000-0002-1825-0097[auid]")
        );
        assert_eq!(
            pubmed_term(None, Some("Carberry, Josiah Stinkney"), Some("Brown University")).as_deref(),
            Some("\"Carberry JS\"[Author] AND \"Brown University\"[Affiliation]")
        );
        assert_eq!(pubmed_author("Hiroshi Tanaka"), "Tanaka H");
    }
}
