//! The OpenAPI document, generated from the handlers' and answers' types (`utoipa`); checked in as
//! `crates/byline-serve/openapi.json` and compared with this in a test.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::paths::*;
use crate::api::{BatchRequest, BatchResponse, CodeInfo, CodesResponse, ReadyResponse, ReloadResponse, ScreenResponse};
use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "byline screening service",
        description = "Screens a manuscript for paper-mill signals against a prebuilt corpus index (`byline index`): the verdict `byline screen --format json` gives.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(screen_one, screen_batch, codes, reload, healthz, readyz, metrics, openapi),
    components(schemas(ScreenResponse, BatchRequest, BatchResponse, CodeInfo, CodesResponse, ReadyResponse, ReloadResponse, ErrorBody)),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty JSON (a trailing newline, as the checked-in file has).
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    // The crate version, not a build's: the checked-in file changes only when the API does.
    doc.info.version = "1".to_owned();
    let mut text = doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
