//! A researcher's record from the public APIs an integrity office uses: OpenAlex, Crossref, PubMed
//! E-utilities and the ORCID public API, then one hop out to the recurring co-authors' works.
//!
//! Entry point: [`fetch_researcher`] sends each request through one [`http::Client`] (per-source rate limits,
//! retries with backoff that honour `Retry-After`, a body cap, no redirect to another host), checks every
//! body before keeping it ([`validate`]: truncated JSON, an HTML page with status 200, an esearch `ERROR`, a
//! record for another iD are each a clear error for that request), and stores it in the on-disk
//! [`cache::Cache`] keyed by request. A second run, or `--offline`, answers from the cache and lists what is
//! missing. The bodies are left in the formats the readers of `byline-parse` know (OpenAlex and Crossref
//! JSON pages, PubMed XML), so the corpus is built by the ordinary ingest and every work's `source.path`
//! names the cache entry it came from.
//!
//! [`orcid::OrcidRecord`] reads the ORCID v3.0 record: the works the researcher claims (and which source added
//! each), employments, educations, fundings and e-mail trust markers.
//!
//! [`kaken::parse_kaken`] reads the KAKEN researcher record (NII's researcher API JSON, a file the user
//! downloads): e-Rad number, names in kanji, kana and romaji, affiliation history, KAKENHI projects with their
//! members, and products — a Japanese researcher's declared side. It lives here, beside the ORCID record,
//! because it is the same kind of thing: a researcher's own record read into a typed model that `byline-app`
//! turns into a disclosure; it is not a works format (those are `byline-parse`'s).
//!
//! [`registry::fetch_registry`] fetches a Japanese researcher's own records, KAKEN (by e-Rad number, with the
//! user's NII application id, never written to disk) and researchmap (by permalink), through the same client
//! and cache, each with its own rate limit; [`researchmap::parse_researchmap`] reads the researchmap.V2 JSON.
//!
//! Tests never touch the network: they run against an in-process server on 127.0.0.1 serving recorded
//! responses (`tests/fixtures/SOURCE.md`).

pub mod cache;
pub mod http;
pub mod kaken;
pub mod orcid;
pub mod registry;
pub mod researchmap;
pub mod validate;

mod plan;

pub use plan::{
    Endpoints, FetchOptions, FetchProgress, FetchReport, FetchTarget, RequestFailure, SourceSummary, UsedEntry,
    fetch_researcher,
};

/// Errors that stop a fetch as a whole (a failing request is reported in [`FetchReport`], not here).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn io_err(path: &std::path::Path, source: std::io::Error) -> FetchError {
    FetchError::Io { path: path.display().to_string(), source }
}
