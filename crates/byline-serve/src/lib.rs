//! Screening as a service: `byline screen` behind HTTP, for an editorial system (ScholarOne, Editorial
//! Manager, OJS, Janeway) that calls it when a manuscript arrives.
//!
//! - [`ServiceState`] holds the index (opened once, read with positioned reads and shared by every request;
//!   [`ServiceState::reload`] swaps in a rebuilt one while requests in flight finish on the old one), the
//!   token table, the limits and the metrics.
//! - [`router`] is the HTTP API (axum): `POST /v1/screen`, `POST /v1/screen/batch`, `GET /v1/codes`,
//!   `POST /v1/admin/reload`, `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`. It can be
//!   driven in-process (tests call it with `tower::ServiceExt::oneshot`).
//! - [`serve`] runs it on a listener with what a public socket needs: a header read timeout (slow clients),
//!   a connection cap, and graceful shutdown that drains requests in flight.
//!
//! Every request passes, outermost first: request id + log line + metrics; the request timeout; the token
//! check and rate limit. Screening runs on the blocking pool, at most [`Limits::max_concurrent_screens`] at a
//! time. Logs carry the request id, route, status, latency and token name, never the manuscript.

mod api;
mod auth;
mod error;
mod metrics;
mod openapi;
mod run;
mod submission;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use byline_detect::CorpusIndex;
use tokio::sync::Semaphore;

pub use api::{BatchResponse, CodeInfo, ScreenResponse, router};
pub use auth::{Caller, DEFAULT_PER_MINUTE, TokenTable, token_sha256_hex};
pub use error::{ApiError, Error, ErrorBody, Result};
pub use metrics::Metrics;
pub use openapi::openapi_json;
pub use run::run;
pub use submission::{BodyKind, XML_SUBMISSION_NAME, body_kind, work_from_body};

/// What one request may cost. The defaults are for a service next to one submission system.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest body accepted (`413` above). A JATS article's front matter with a long abstract is tens of
    /// kilobytes; a full-text JATS article with references is rarely above 1 MB.
    pub max_body_bytes: usize,
    /// Whole request, body upload included (`408` after).
    pub request_timeout: Duration,
    /// Time a client has to send its request headers (slowloris-style clients are cut off after it).
    pub header_read_timeout: Duration,
    /// Submissions in one batch request.
    pub max_batch: usize,
    /// Open connections at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Screens running at once on the blocking pool (others queue, within their request timeout).
    pub max_concurrent_screens: usize,
    /// At shutdown, how long requests in flight may take to finish.
    pub drain_timeout: Duration,
}

/// Default body limit: 4 MiB (a full-text JATS article fits; see [`Limits::max_body_bytes`]).
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 << 20;
/// Default request timeout: a screen takes milliseconds; 30 s covers a slow upload of a 4 MiB body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default header read timeout: hyper's own default.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default batch size: one issue's worth of manuscripts, a few hundred milliseconds of screening.
pub const DEFAULT_MAX_BATCH: usize = 100;
/// Default connection cap: far above what editorial systems open, below the default open-file limit (1024).
pub const DEFAULT_MAX_CONNECTIONS: usize = 768;
/// Default drain time at shutdown.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_batch: DEFAULT_MAX_BATCH,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            // Screens are CPU-bound with a few hundred small reads each: twice the cores keeps them busy
            // while some wait on the page cache.
            max_concurrent_screens: std::thread::available_parallelism().map_or(2, |n| n.get() * 2),
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
        }
    }
}

/// Everything requests share.
pub struct ServiceState {
    index: RwLock<Arc<CorpusIndex>>,
    index_path: PathBuf,
    tokens: Option<TokenTable>,
    limits: Limits,
    metrics: Metrics,
    screens: Arc<Semaphore>,
    next_request_id: std::sync::atomic::AtomicU64,
    /// `GET /openapi.json`, made once at start (the document describes the handlers, so the handlers take it
    /// from here rather than from the module that makes it).
    openapi_json: String,
}

/// The state as the router holds it.
pub type SharedState = Arc<ServiceState>;

impl ServiceState {
    /// Opens the index (its header only: screens read the rest with positioned reads). `tokens: None` is
    /// the loopback-only mode: every caller is admitted, and [`serve`] refuses connections from elsewhere.
    pub fn open(index_path: &Path, tokens: Option<TokenTable>, limits: Limits) -> Result<SharedState> {
        let index = CorpusIndex::open(index_path)?;
        Ok(Arc::new(ServiceState {
            index: RwLock::new(Arc::new(index)),
            index_path: index_path.to_owned(),
            tokens,
            limits,
            metrics: Metrics::default(),
            screens: Arc::new(Semaphore::new(limits.max_concurrent_screens.max(1))),
            next_request_id: std::sync::atomic::AtomicU64::new(1),
            openapi_json: openapi::openapi_json(),
        }))
    }

    /// The index now being served (requests keep the one they started with across a reload).
    pub fn index(&self) -> Arc<CorpusIndex> {
        match self.index.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reopens the index file (rebuilt by `byline index` and moved into place) and swaps it in. On any error
    /// the old index stays. Returns the new work count.
    pub fn reload(&self) -> Result<u64> {
        let opened = CorpusIndex::open(&self.index_path);
        self.metrics.record_reload(opened.is_ok());
        let index = Arc::new(opened?);
        let works = index.work_count();
        match self.index.write() {
            Ok(mut guard) => *guard = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
        Ok(works)
    }

    pub fn index_path(&self) -> &Path {
        &self.index_path
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The service's OpenAPI document.
    pub fn openapi_json(&self) -> &str {
        &self.openapi_json
    }

    /// Whether callers must present a token (a token file was given).
    pub fn requires_tokens(&self) -> bool {
        self.tokens.is_some()
    }

    fn tokens(&self) -> Option<&TokenTable> {
        self.tokens.as_ref()
    }
}

/// The peer address of a connection, attached to each of its requests by [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct RemoteAddr(pub SocketAddr);

/// Serves `state` on `listener` until `shutdown` resolves, then stops accepting and waits for requests in
/// flight (at most [`Limits::drain_timeout`]). Without a token file, a connection from an address that is not
/// loopback is closed at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: SharedState,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;

    let limits = state.limits;
    let app = router(state.clone());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if !state.requires_tokens() && !remote.ip().is_loopback() {
            tracing::warn!(%remote, "connection refused: no token file, loopback only");
            continue;
        }
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(RemoteAddr(remote));
            req
        });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down: draining requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(limits.drain_timeout) => tracing::warn!("drain timeout: closing remaining connections"),
    }
    Ok(())
}
