//! A Japanese researcher's own records fetched from their registries: the KAKEN researcher record (NII's
//! researcher search, `nrid.nii.ac.jp/opensearch/?appid=…&qm=<researcher number>&format=json`, the JSON
//! [`crate::kaken`] reads) and the researchmap record (`api.researchmap.jp/<permalink>`, the JSON-LD
//! [`crate::researchmap`] reads), through the same polite client and cache as [`crate::fetch_researcher`].
//!
//! The KAKEN API needs an application id (appid) the user registers with NII: it is sent, never written.
//! It is a private parameter of the cache ([`crate::cache::PRIVATE_PARAMS`]), so cache keys, the URLs in
//! reports and every failure reason are without it. A researchmap record is found by its permalink; the
//! KAKEN record names none, so it is not looked up from the e-Rad number (researchmap's search by e-Rad
//! number is not in its published API documentation we could find).
//!
//! A body is kept only after it is read as what was asked: the KAKEN answer must hold the researcher with
//! that e-Rad number, the researchmap answer must be researchmap JSON of that permalink and, when it shows an
//! e-Rad number and a KAKEN record was fetched too, the same number.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::cache::{Cache, cache_url};
use crate::http::{Client, HttpOptions, RateLimiter};
use crate::kaken::{KakenResearcher, parse_kaken};
use crate::researchmap::{ResearchmapRecord, parse_researchmap};
use crate::{FetchProgress, RequestFailure, UsedEntry, validate};

/// NII publishes no figure: its API registration page (support.nii.ac.jp, "CiNii全般 - API利用登録") says
/// that many requests in a short time may be blocked without notice. One a second is byline's cautious choice.
const KAKEN_PER_SECOND: u32 = 1;
/// researchmap publishes no rate either (none found in its WebAPI documentation); one a second, as for NII.
const RESEARCHMAP_PER_SECOND: u32 = 1;

/// Where the registries are and how to ask them.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// The KAKEN researcher service (its `opensearch/` is under it).
    pub kaken_url: String,
    pub researchmap_url: String,
    /// NII's application id for the KAKEN API; never written to disk.
    pub kaken_appid: Option<String>,
    pub offline: bool,
    pub refresh: bool,
    pub http: HttpOptions,
}

impl Default for RegistryOptions {
    fn default() -> RegistryOptions {
        RegistryOptions {
            kaken_url: "https://nrid.nii.ac.jp".to_owned(),
            researchmap_url: "https://api.researchmap.jp".to_owned(),
            kaken_appid: None,
            offline: false,
            refresh: false,
            http: HttpOptions::default(),
        }
    }
}

/// Whose records to fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistryTarget {
    /// The e-Rad researcher number (KAKEN's researcher number: the same 8 digits).
    pub erad: Option<String>,
    /// The researchmap permalink (`https://researchmap.jp/<permalink>`).
    pub researchmap: Option<String>,
}

/// What the registries answered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegistryReport {
    pub target: RegistryTarget,
    #[serde(skip)]
    pub kaken: Option<KakenResearcher>,
    #[serde(skip)]
    pub researchmap: Option<ResearchmapRecord>,
    pub entries: Vec<UsedEntry>,
    pub failures: Vec<RequestFailure>,
    /// With `offline`: requests the cache does not hold.
    pub missing: Vec<String>,
}

impl RegistryReport {
    pub fn complete(&self) -> bool {
        self.failures.is_empty() && self.missing.is_empty()
    }
}

/// An e-Rad researcher number: 8 digits.
pub fn valid_erad(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A researchmap permalink: letters, digits, `_`, `-`, `.` (it becomes a URL path segment).
pub fn valid_permalink(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)) && s != ".."
}

/// Fetches (or reads from the cache) the KAKEN and researchmap records of `target`.
pub fn fetch_registry(
    target: &RegistryTarget,
    options: &RegistryOptions,
    cache: &Cache,
    progress: &dyn FetchProgress,
) -> Result<RegistryReport, crate::FetchError> {
    if let Some(e) = &target.erad
        && !valid_erad(e)
    {
        return Err(crate::FetchError::Invalid(format!("'{e}' is not an e-Rad researcher number (8 digits)")));
    }
    if let Some(p) = &target.researchmap
        && !valid_permalink(p)
    {
        return Err(crate::FetchError::Invalid(format!("'{p}' is not a researchmap permalink")));
    }
    let mut run = RegistryRun {
        options,
        cache,
        progress,
        client: (!options.offline).then(|| Client::new(options.http.clone())),
        kaken_limit: RateLimiter::per_second(KAKEN_PER_SECOND),
        researchmap_limit: RateLimiter::per_second(RESEARCHMAP_PER_SECOND),
        report: RegistryReport { target: target.clone(), ..RegistryReport::default() },
    };
    if let Some(erad) = &target.erad {
        run.kaken(erad);
    }
    if let Some(permalink) = &target.researchmap {
        run.researchmap(permalink);
    }
    Ok(run.report)
}

struct RegistryRun<'a> {
    options: &'a RegistryOptions,
    cache: &'a Cache,
    progress: &'a dyn FetchProgress,
    client: Option<Client>,
    kaken_limit: RateLimiter,
    researchmap_limit: RateLimiter,
    report: RegistryReport,
}

impl RegistryRun<'_> {
    /// A failure reason without the appid, whatever produced it.
    fn scrub(&self, reason: String) -> String {
        match &self.options.kaken_appid {
            Some(id) if !id.is_empty() => reason.replace(id.as_str(), "***").replace(&percent(id), "***"),
            _ => reason,
        }
    }

    fn fail(&mut self, source: &str, url: &str, reason: String) {
        let reason = self.scrub(reason);
        self.report.failures.push(RequestFailure { source: source.to_owned(), url: cache_url(url), reason });
    }

    /// One request through the cache; the body's path, or `None` after recording why there is none.
    fn get(&mut self, source: &'static str, url: &str, check: &dyn Fn(&[u8]) -> Result<(), String>) -> Option<PathBuf> {
        let shown = cache_url(url);
        if !self.options.refresh
            && let Some((entry, file)) = self.cache.get(source, url)
        {
            self.progress.request(source, &shown, true);
            self.report.entries.push(UsedEntry {
                source: source.to_owned(),
                url: entry.url,
                fetched_at_unix: entry.fetched_at_unix,
                file: file.clone(),
                from_cache: true,
                role: "researcher".to_owned(),
            });
            return Some(file);
        }
        let Some(client) = &self.client else {
            self.report.missing.push(shown);
            return None;
        };
        self.progress.request(source, &shown, false);
        let limiter = if source == "kaken" { &mut self.kaken_limit } else { &mut self.researchmap_limit };
        let result = client.get(url, "application/json", limiter).and_then(|r| {
            validate::not_html(r.content_type.as_deref(), &r.body)?;
            check(&r.body)?;
            Ok(r)
        });
        match result {
            Ok(r) => {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
                match self.cache.put(source, url, Some("application/json"), &r.body, now) {
                    Ok((entry, file)) => {
                        self.report.entries.push(UsedEntry {
                            source: source.to_owned(),
                            url: entry.url,
                            fetched_at_unix: now,
                            file: file.clone(),
                            from_cache: false,
                            role: "researcher".to_owned(),
                        });
                        Some(file)
                    }
                    Err(e) => {
                        self.fail(source, url, format!("writing the cache: {e}"));
                        None
                    }
                }
            }
            Err(reason) => {
                self.fail(source, url, reason);
                None
            }
        }
    }

    fn kaken(&mut self, erad: &str) {
        let base = self.options.kaken_url.trim_end_matches('/');
        // The appid goes first so that `cache_url` leaves the rest of the query as written.
        let appid = self.options.kaken_appid.clone().unwrap_or_default();
        let url = format!("{base}/opensearch/?appid={}&qm={erad}&format=json", percent(&appid));
        if appid.is_empty()
            && !self.options.offline
            && (self.options.refresh || self.cache.get("kaken", &url).is_none())
        {
            self.fail(
                "kaken",
                &url,
                "the KAKEN API needs an application id from NII (CiNii API registration): give --kaken-appid or \
                 set KAKEN_APPID"
                    .to_owned(),
            );
            return;
        }
        let wanted = erad.to_owned();
        let check = move |body: &[u8]| -> Result<(), String> {
            let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
            if serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("researchers").and_then(|r| r.as_array()).map(Vec::is_empty))
                == Some(true)
            {
                return Err(format!("the KAKEN answer holds no researcher with e-Rad number {wanted} (no result)"));
            }
            let file = parse_kaken(text).map_err(|e| e.to_string())?;
            if file.researchers.iter().any(|r| r.erad.contains(&wanted)) {
                Ok(())
            } else {
                Err(format!("the KAKEN answer holds no researcher with e-Rad number {wanted}"))
            }
        };
        let Some(file) = self.get("kaken", &url, &check) else { return };
        let read = std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_kaken(&t).map_err(|e| e.to_string()))
            .and_then(|f| {
                f.researchers
                    .into_iter()
                    .find(|r| r.erad.iter().any(|e| e == erad))
                    .ok_or_else(|| format!("no researcher with e-Rad number {erad}"))
            });
        match read {
            Ok(r) => self.report.kaken = Some(r),
            Err(reason) => self.fail("kaken", &url, format!("cached record unreadable: {reason}")),
        }
    }

    fn researchmap(&mut self, permalink: &str) {
        let base = self.options.researchmap_url.trim_end_matches('/');
        let url = format!("{base}/{permalink}");
        let wanted = permalink.to_owned();
        let erad = self.report.target.erad.clone();
        let check = move |body: &[u8]| -> Result<(), String> {
            let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
            let rec = parse_researchmap(text).map_err(|e| e.to_string())?;
            match rec.permalink.as_deref() {
                Some(p) if p != wanted => return Err(format!("the researchmap record is of {p}, not {wanted}")),
                _ => {}
            }
            if let Some(e) = &erad
                && !rec.erad.is_empty()
                && !rec.erad.contains(e)
            {
                return Err(format!(
                    "the researchmap record of {wanted} gives e-Rad number {}, not {e}",
                    rec.erad.join(", ")
                ));
            }
            Ok(())
        };
        let Some(file) = self.get("researchmap", &url, &check) else { return };
        match std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_researchmap(&t).map_err(|e| e.to_string()))
        {
            Ok(r) => self.report.researchmap = Some(r),
            Err(reason) => self.fail("researchmap", &url, format!("cached record unreadable: {reason}")),
        }
    }
}

/// Percent-encodes a query value.
fn percent(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_before_any_request() {
        assert!(valid_erad("50283734"));
        assert!(!valid_erad("5028373") && !valid_erad("5028373x"));
        assert!(valid_permalink("takamikyo") && valid_permalink("read0134502"));
        assert!(!valid_permalink("a/b") && !valid_permalink("..") && !valid_permalink("x?y=1"));
        assert_eq!(
            cache_url("https://nrid.nii.ac.jp/opensearch/?appid=SECRET&qm=50283734&format=json"),
            "https://nrid.nii.ac.jp/opensearch/?qm=50283734&format=json"
        );
    }
}
