//! The service's errors: [`Error`] for starting it (index, token file), [`ApiError`] for answering a request
//! (always a JSON body `{"error": code, "message": …}` naming what was wrong).

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Errors starting or reloading the service.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("token file: {0}")]
    Tokens(String),
    #[error("index: {0}")]
    Index(#[from] byline_detect::Error),
    #[error("{0}")]
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `unauthorized`, `forbidden`, `rate_limited`, `payload_too_large`,
    /// `unsupported_media_type`, `request_timeout`, `not_found`, `internal`.
    pub error: &'static str,
    /// What was wrong, in words (never the submission's text).
    pub message: String,
}

/// Why a request was not answered with a verdict.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized(&'static str),
    Forbidden(&'static str),
    RateLimited(Duration),
    PayloadTooLarge(usize),
    UnsupportedMediaType(String),
    RequestTimeout,
    NotFound,
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (error, message) = match self {
            ApiError::BadRequest(m) => ("bad_request", m.clone()),
            ApiError::Unauthorized(m) => ("unauthorized", (*m).to_owned()),
            ApiError::Forbidden(m) => ("forbidden", (*m).to_owned()),
            ApiError::RateLimited(wait) => {
                ("rate_limited", format!("this token's rate limit is spent; retry in {} s", retry_after_secs(*wait)))
            }
            ApiError::PayloadTooLarge(max) => ("payload_too_large", format!("the body is larger than {max} bytes")),
            ApiError::UnsupportedMediaType(m) => ("unsupported_media_type", m.clone()),
            ApiError::RequestTimeout => ("request_timeout", "the request was not completed in time".to_owned()),
            ApiError::NotFound => ("not_found", "no such route (see /openapi.json)".to_owned()),
            ApiError::Internal(m) => ("internal", m.clone()),
        };
        ErrorBody { error, message }
    }
}

/// `Retry-After` in whole seconds, rounded up (a client that waits that long is admitted).
fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        match self {
            ApiError::RateLimited(wait) => {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(wait)));
            }
            ApiError::Unauthorized(_) => {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}
