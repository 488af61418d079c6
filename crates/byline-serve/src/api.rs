//! The routes and the middleware in front of them.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use byline_detect::{CorpusIndex, ScreenVerdict, Submission, Verdict, screen_with};
use byline_model::Work;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::submission;
use crate::{RemoteAddr, SharedState};

/// The verdict of one submission: `byline screen --format json`'s entry for it (verdict, score, the
/// classifier's probability and threshold, reasons, findings, near-duplicates), with the request's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenResponse {
    /// The request id (also the `x-request-id` header and the log line's `request_id`).
    pub request_id: String,
    /// Works in the index the submission was screened against.
    pub indexed_works: u64,
    /// Reading and screening the submission, in milliseconds.
    pub elapsed_ms: f64,
    /// `byline screen`'s verdict, fields inline: `name`, `verdict` (`clear`/`review`/`flag`), `score`,
    /// `probability` (always, when the index has a model), `mill_threshold`, `probability_reasons`,
    /// `reasons`, `findings`, `matches`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub result: ScreenVerdict,
}

/// A batch request: submissions as JSON objects (`byline screen`'s JSON), or `{"name": …, "xml": "<article>…"}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    #[schema(value_type = Vec<Object>)]
    pub submissions: Vec<serde_json::Value>,
}

/// The verdicts of a batch, in the order given.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResponse {
    pub request_id: String,
    pub indexed_works: u64,
    pub elapsed_ms: f64,
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<ScreenVerdict>,
}

/// A finding code: `byline explain CODE`'s entry, and whether a screen can report it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeInfo {
    /// `byline_model::codes`' entry: code, name, subject, emitted_by, meaning, false_positives.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub entry: &'static byline_model::codes::CodeInfo,
    /// Whether `POST /v1/screen` can report it (the others come from corpus scans, audits and lists).
    pub screen: bool,
}

/// The codes answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodesResponse {
    pub codes: Vec<CodeInfo>,
}

/// The readiness answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyResponse {
    pub ready: bool,
    pub indexed_works: u64,
    pub has_lexicon: bool,
    pub has_model: bool,
}

/// The reload answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadResponse {
    pub reloaded: bool,
    pub indexed_works: u64,
}

/// Routes that answer without a token (probes and the API's description).
const OPEN_ROUTES: [&str; 3] = ["/healthz", "/readyz", "/openapi.json"];

/// The service's routes, with its middleware.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .route("/v1/screen", post(screen_one))
        .route("/v1/screen/batch", post(screen_batch))
        .route("/v1/codes", get(codes))
        .route("/v1/admin/reload", post(reload))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The route label for logs and metrics: a fixed set, never the raw path.
fn route_label(path: &str) -> &'static str {
    match path {
        "/v1/screen" => "/v1/screen",
        "/v1/screen/batch" => "/v1/screen/batch",
        "/v1/codes" => "/v1/codes",
        "/v1/admin/reload" => "/v1/admin/reload",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/openapi.json" => "/openapi.json",
        _ => "other",
    }
}

/// The caller a request was admitted as (token name, or `loopback` without a token file).
#[derive(Debug, Clone)]
struct CallerName(Arc<str>);

/// Request id, one log line per request, metrics. The id is the client's `x-request-id` when it is short and
/// plain (so a submission system can correlate), else `req-N`.
async fn observe(State(state): State<SharedState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_label(req.uri().path());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| format!("req-{}", state.next_request_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().clone();
    let mut response = next.run(req).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let caller = response.extensions().get::<CallerName>().map(|c| c.0.clone());
    state.metrics.record_request(route, status, elapsed);
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1e3,
        caller = caller.as_deref().unwrap_or("-"),
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// The request's id, for handlers.
#[derive(Debug, Clone)]
struct RequestId(String);

/// The whole request, body upload included, within the request timeout.
async fn time_limit(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.limits.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    }
}

/// Bearer token (constant-time), admin scope for `/v1/admin/*`, and the token's rate limit. Without a token
/// file: loopback callers only.
async fn authorize(State(state): State<SharedState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if OPEN_ROUTES.contains(&path) {
        return next.run(req).await;
    }
    let admin_route = path.starts_with("/v1/admin/");
    let Some(tokens) = state.tokens() else {
        // In-process callers (tests) carry no address; `serve` closes non-loopback connections before this.
        let loopback = req.extensions().get::<RemoteAddr>().is_none_or(|a| a.0.ip().is_loopback());
        if !loopback {
            return ApiError::Forbidden("no token file: this service answers loopback callers only").into_response();
        }
        return with_caller(next.run(req).await, "loopback".into());
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(presented) = presented else {
        return ApiError::Unauthorized("an Authorization: Bearer <token> header is required").into_response();
    };
    let Some(caller) = tokens.authenticate(presented) else {
        return ApiError::Unauthorized("unknown token").into_response();
    };
    let name: Arc<str> = caller.name.as_str().into();
    if admin_route && !caller.admin {
        return with_caller(ApiError::Forbidden("this token may not call admin routes").into_response(), name);
    }
    if let Err(wait) = caller.check_rate() {
        state.metrics.record_rate_limited(&caller.name);
        return with_caller(ApiError::RateLimited(wait).into_response(), name);
    }
    req.extensions_mut().insert(CallerName(name.clone()));
    with_caller(next.run(req).await, name)
}

fn with_caller(mut response: Response, name: Arc<str>) -> Response {
    response.extensions_mut().insert(CallerName(name));
    response
}

/// Reads the whole body within the body limit (`413` above it, by `Content-Length` or as it streams).
async fn read_body(state: &SharedState, headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, ApiError> {
    let max = state.limits.max_body_bytes;
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(ApiError::PayloadTooLarge(max));
    }
    axum::body::to_bytes(body, max).await.map_err(|e| {
        // axum wraps http-body-util's `LengthLimitError` ("length limit exceeded"); look for it in the chain.
        let mut source: Option<&dyn std::error::Error> = Some(&e);
        let mut too_large = false;
        while let Some(s) = source {
            too_large |= s.to_string().contains("length limit exceeded");
            source = s.source();
        }
        if too_large {
            ApiError::PayloadTooLarge(max)
        } else {
            ApiError::BadRequest(format!("the body could not be read: {e}"))
        }
    })
}

/// `?mill_threshold=0.3`: the office's own operating point (`byline screen --mill-threshold`).
fn mill_threshold(query: Option<&str>) -> Result<Option<f64>, ApiError> {
    let Some(query) = query else { return Ok(None) };
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "mill_threshold" => {
                return match value.parse::<f64>() {
                    Ok(v) if (0.0..=1.0).contains(&v) => Ok(Some(v)),
                    _ => Err(ApiError::BadRequest("mill_threshold must be a probability between 0 and 1".to_owned())),
                };
            }
            "" => {}
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unknown query parameter '{}' (only mill_threshold)",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    Ok(None)
}

/// Screens works on the blocking pool, at most `max_concurrent_screens` at a time (the permit travels with
/// the blocking task, so a request that timed out still holds it until its screen ends: the pool stays bounded).
async fn screen_works(
    state: &SharedState,
    works: Vec<Work>,
    threshold: Option<f64>,
) -> Result<(Arc<CorpusIndex>, Vec<ScreenVerdict>), ApiError> {
    let permit =
        state.screens.clone().acquire_owned().await.map_err(|_| ApiError::Internal("shutting down".to_owned()))?;
    let index = state.index();
    let for_task = index.clone();
    let verdicts = tokio::task::spawn_blocking(move || {
        let verdicts: Vec<ScreenVerdict> = works.iter().map(|w| screen_with(w, &for_task, threshold)).collect();
        drop(permit);
        verdicts
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the screen failed: {e}")))?;
    for v in &verdicts {
        state.metrics.record_verdict(verdict_name(v.verdict), v.findings.iter().map(|f| f.code.to_string()));
    }
    Ok((index, verdicts))
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Clear => "clear",
        Verdict::Review => "review",
        Verdict::Flag => "flag",
    }
}

fn request_id(req_id: Option<axum::Extension<RequestId>>) -> String {
    req_id.map(|r| r.0.0).unwrap_or_default()
}

/// Screen one submission.
#[utoipa::path(
    post,
    path = "/v1/screen",
    params(("mill_threshold" = Option<f64>, Query, description = "MIL001's threshold (0–1); default the model's own")),
    request_body(
        description = "A submission: JSON as `byline screen` takes it (title, abstract, authors with name, affiliations, email, country), or JATS XML (application/jats+xml, application/xml, text/xml)",
        content(
            (Object = "application/json"),
            (String = "application/jats+xml"),
        ),
    ),
    responses(
        (status = 200, description = "The verdict", body = ScreenResponse),
        (status = 400, description = "Malformed JSON or XML, or no usable record", body = crate::ErrorBody),
        (status = 401, description = "No or unknown bearer token", body = crate::ErrorBody),
        (status = 408, description = "Request not completed in time", body = crate::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::ErrorBody),
        (status = 415, description = "Neither JSON nor XML", body = crate::ErrorBody),
        (status = 429, description = "Rate limit spent (see Retry-After)", body = crate::ErrorBody),
    ),
    security(("bearer" = [])),
)]
async fn screen_one(
    State(state): State<SharedState>,
    req_id: Option<axum::Extension<RequestId>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Body,
) -> Result<axum::Json<ScreenResponse>, ApiError> {
    let started = Instant::now();
    let threshold = mill_threshold(uri.query())?;
    let bytes = read_body(&state, &headers, body).await?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let kind = submission::body_kind(content_type, &bytes)?;
    let work = tokio::task::spawn_blocking(move || submission::work_from_body(kind, &bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("reading the submission failed: {e}")))??;
    let (index, mut verdicts) = screen_works(&state, vec![work], threshold).await?;
    let result = verdicts.pop().ok_or_else(|| ApiError::Internal("no verdict".to_owned()))?;
    Ok(axum::Json(ScreenResponse {
        request_id: request_id(req_id),
        indexed_works: index.work_count(),
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
        result,
    }))
}

/// Screen up to `max_batch` submissions in one request.
#[utoipa::path(
    post,
    path = "/v1/screen/batch",
    params(("mill_threshold" = Option<f64>, Query, description = "MIL001's threshold (0–1)")),
    request_body(content = BatchRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The verdicts, in order", body = BatchResponse),
        (status = 400, description = "Malformed body, or a submission that is (its index is named)", body = crate::ErrorBody),
        (status = 401, description = "No or unknown bearer token", body = crate::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::ErrorBody),
        (status = 429, description = "Rate limit spent (see Retry-After)", body = crate::ErrorBody),
    ),
    security(("bearer" = [])),
)]
async fn screen_batch(
    State(state): State<SharedState>,
    req_id: Option<axum::Extension<RequestId>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Body,
) -> Result<axum::Json<BatchResponse>, ApiError> {
    let started = Instant::now();
    let threshold = mill_threshold(uri.query())?;
    let bytes = read_body(&state, &headers, body).await?;
    let max_batch = state.limits.max_batch;
    let works = tokio::task::spawn_blocking(move || batch_works(&bytes, max_batch))
        .await
        .map_err(|e| ApiError::Internal(format!("reading the batch failed: {e}")))??;
    let (index, results) = screen_works(&state, works, threshold).await?;
    Ok(axum::Json(BatchResponse {
        request_id: request_id(req_id),
        indexed_works: index.work_count(),
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
        results,
    }))
}

fn batch_works(bytes: &[u8], max_batch: usize) -> Result<Vec<Work>, ApiError> {
    let batch: BatchRequest = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("batch: {e} (expected {{\"submissions\": [...]}})")))?;
    if batch.submissions.len() > max_batch {
        return Err(ApiError::BadRequest(format!(
            "batch: {} submissions, at most {max_batch} per request",
            batch.submissions.len()
        )));
    }
    batch
        .submissions
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let at = |e: ApiError| match e {
                ApiError::BadRequest(m) | ApiError::UnsupportedMediaType(m) => {
                    ApiError::BadRequest(format!("submissions[{i}]: {m}"))
                }
                other => other,
            };
            match value.get("xml").and_then(serde_json::Value::as_str) {
                Some(xml) => {
                    let name = value
                        .get("name")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or(submission::XML_SUBMISSION_NAME);
                    submission::work_from_xml(xml.as_bytes(), name).map_err(at)
                }
                None => serde_json::from_value::<Submission>(value)
                    .map(|s| submission::submission_work(&s))
                    .map_err(|e| at(ApiError::BadRequest(format!("submission JSON: {e}")))),
            }
        })
        .collect()
}

/// Every finding code byline emits (the table `byline explain` reads), marked when a screen can report it.
#[utoipa::path(get, path = "/v1/codes", responses((status = 200, body = CodesResponse)), security(("bearer" = [])))]
async fn codes() -> axum::Json<CodesResponse> {
    let codes = byline_model::codes::CODES
        .iter()
        .map(|entry| CodeInfo { entry, screen: byline_detect::screen::CODES.contains(&entry.code) })
        .collect();
    axum::Json(CodesResponse { codes })
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok", body = String)))]
async fn healthz() -> &'static str {
    "ok\n"
}

/// Readiness: an index is open.
#[utoipa::path(get, path = "/readyz", responses((status = 200, body = ReadyResponse)))]
async fn readyz(State(state): State<SharedState>) -> axum::Json<ReadyResponse> {
    let index = state.index();
    axum::Json(ReadyResponse {
        ready: true,
        indexed_works: index.work_count(),
        has_lexicon: index.lexicon().is_some(),
        has_model: index.model().is_some(),
    })
}

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format 0.0.4", body = String)), security(("bearer" = [])))]
async fn metrics(State(state): State<SharedState>) -> Response {
    let text = state.metrics.render(state.index().work_count());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Reopen the index file (after `byline index` rebuilt it and it was moved into place).
#[utoipa::path(
    post,
    path = "/v1/admin/reload",
    responses(
        (status = 200, body = ReloadResponse),
        (status = 403, description = "Token without admin", body = crate::ErrorBody),
        (status = 400, description = "The new file is not a usable index; the old one stays", body = crate::ErrorBody),
    ),
    security(("bearer" = [])),
)]
async fn reload(State(state): State<SharedState>) -> Result<axum::Json<ReloadResponse>, ApiError> {
    let for_task = state.clone();
    let works = tokio::task::spawn_blocking(move || for_task.reload())
        .await
        .map_err(|e| ApiError::Internal(format!("reload failed: {e}")))?
        .map_err(|e| ApiError::BadRequest(format!("reload failed, the old index stays: {e}")))?;
    tracing::info!(indexed_works = works, "index reloaded");
    Ok(axum::Json(ReloadResponse { reloaded: true, indexed_works: works }))
}

/// The OpenAPI document.
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
async fn openapi(State(state): State<SharedState>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.openapi_json().to_owned()).into_response()
}

pub(crate) mod paths {
    pub use super::{
        __path_codes, __path_healthz, __path_metrics, __path_openapi, __path_readyz, __path_reload,
        __path_screen_batch, __path_screen_one,
    };
}
