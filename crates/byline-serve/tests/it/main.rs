//! The service in-process (`tower::ServiceExt::oneshot` on the router): the same verdict as `screen_with`
//! on a real JATS article, auth and rate limits, bad bodies (never a 5xx), the checked-in OpenAPI document.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use byline_detect::{CorpusIndex, IndexParams, Model, screen_with};
use byline_model::Work;
use byline_parse::{Event, read_path};
use byline_serve::{Limits, ServiceState, SharedState, TokenTable, router, token_sha256_hex};
use rand::{Rng, SeedableRng};
use tower::ServiceExt;

/// The bundled sample's works (what `byline demo` ingests).
fn sample_works() -> Vec<Work> {
    let dir = byline_testdata::workspace_root().join("datasets/sample");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("datasets/sample").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut works = Vec::new();
    for f in files.iter().filter(|f| f.to_string_lossy().ends_with(".gz")) {
        read_path(f, None, &mut |e| {
            if let Event::Work(w) = e {
                works.push(*w);
            }
        });
    }
    assert!(works.len() > 300, "the sample has {} works", works.len());
    works
}

/// An index of the sample with the shipped model, in a temp dir.
fn sample_index(dir: &Path) -> PathBuf {
    let path = dir.join("sample.bylidx");
    let model = Model::shipped().expect("shipped model");
    CorpusIndex::build_to_file(&sample_works(), &IndexParams::default(), None, Some(&model), &path).expect("index");
    path
}

fn state(index: &Path, tokens: Option<&str>, limits: Limits) -> SharedState {
    let tokens = tokens.map(|t| TokenTable::from_toml_str(t).expect("token file"));
    ServiceState::open(index, tokens, limits).expect("service state")
}

async fn call(state: &SharedState, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router(state.clone()).oneshot(req).await.expect("infallible router");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    (status, headers, body.to_vec())
}

fn post(path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).expect("request")
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

/// A real JATS article from the shared data (PLOS), or `None` with a printed reason.
fn shared_jats() -> Option<Vec<PathBuf>> {
    let Some(data) = byline_testdata::shared_data() else {
        eprintln!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return None;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("jats"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    Some(files)
}

#[tokio::test]
async fn a_jats_article_gets_the_verdict_screen_gives() {
    let Some(articles) = shared_jats() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let index_path = sample_index(dir.path());
    let index = CorpusIndex::open(&index_path).expect("open");
    let state = state(&index_path, None, Limits::default());
    for article in articles.iter().take(5) {
        let mut first = None;
        read_path(article, None, &mut |e| {
            if let Event::Work(w) = e
                && first.is_none()
            {
                first = Some(*w);
            }
        });
        let expected = screen_with(&first.expect("a record"), &index, None);
        let (status, headers, body) =
            call(&state, post("/v1/screen", "application/jats+xml", std::fs::read(article).expect("read"))).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        assert!(headers.contains_key("x-request-id"));
        let got = json(&body);
        // Both sides through JSON text (serde_json's parser may round the last digit of a float either way).
        let expected = json(&serde_json::to_vec(&expected).expect("verdict JSON"));
        for field in ["verdict", "score", "probability", "mill_threshold", "probability_reasons", "findings", "matches"]
        {
            assert_eq!(got[field], expected[field], "{}: {field}", article.display());
        }
        assert!(got["probability"].is_number(), "the probability is always given: {got}");
        assert_eq!(got["indexed_works"], index.work_count());
    }
}

#[tokio::test]
async fn tokens_are_required_admin_is_scoped_and_the_rate_limit_answers_429_with_retry_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index_path = sample_index(dir.path());
    let tokens = format!(
        "[[token]]\nname = \"ojs\"\nsha256 = \"{}\"\nper_minute = 60\nburst = 2\n[[token]]\nname = \"ops\"\nsha256 = \"{}\"\nadmin = true\n",
        token_sha256_hex("ojs-token"),
        token_sha256_hex("ops-token")
    );
    let state = state(&index_path, Some(&tokens), Limits::default());
    let submission = br#"{"title": "A study", "abstract": "Short.", "authors": [{"name": "Ana Silva"}]}"#.to_vec();
    let (status, headers, _) = call(&state, post("/v1/screen", "application/json", submission.clone())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let with = |token: &str, path: &str| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(submission.clone()))
            .expect("request")
    };
    assert_eq!(call(&state, with("wrong", "/v1/screen")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&state, with("ojs-token", "/v1/admin/reload")).await.0, StatusCode::FORBIDDEN);
    // The 403 above spent nothing; the burst of 2 is spent by two screens, the third is refused.
    assert_eq!(call(&state, with("ojs-token", "/v1/screen")).await.0, StatusCode::OK);
    assert_eq!(call(&state, with("ojs-token", "/v1/screen")).await.0, StatusCode::OK);
    let (status, headers, body) = call(&state, with("ojs-token", "/v1/screen")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", String::from_utf8_lossy(&body));
    let retry: u64 = headers[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=1).contains(&retry), "60/min refills one request a second: Retry-After {retry}");
    // Another token is not affected; the admin reloads.
    let (status, _, body) = call(&state, with("ops-token", "/v1/admin/reload")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(json(&body)["indexed_works"], CorpusIndex::open(&index_path).expect("open").work_count());
    // Probes need no token.
    let (status, _, _) = call(&state, Request::get("/healthz").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::OK);
    let metrics = call(&state, {
        Request::get("/metrics").header(header::AUTHORIZATION, "Bearer ops-token").body(Body::empty()).expect("req")
    })
    .await
    .2;
    let metrics = String::from_utf8(metrics).expect("utf-8");
    assert!(metrics.contains("byline_requests_total{route=\"/v1/screen\",status=\"429\"} 1"), "{metrics}");
    assert!(metrics.contains("byline_rate_limited_total{token=\"ojs\"} 1"), "{metrics}");
    assert!(metrics.contains("byline_index_reloads_total{result=\"ok\"} 1"), "{metrics}");
}

#[tokio::test]
async fn bad_bodies_are_4xx_with_a_json_error_never_5xx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index_path = sample_index(dir.path());
    let limits = Limits { max_body_bytes: 64 * 1024, ..Limits::default() };
    let state = state(&index_path, None, limits);
    let (status, _, body) = call(&state, post("/v1/screen", "application/json", b"{\"title\": 3".to_vec())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let err = json(&body);
    assert_eq!(err["error"], "bad_request");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("line 1")), "{err}");
    let (status, _, body) = call(&state, post("/v1/screen", "application/json", vec![b' '; 65 * 1024])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = call(&state, post("/v1/screen", "text/plain", b"hello".to_vec())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let too_many = serde_json::json!({"submissions": vec![serde_json::json!({"title": "x"}); 101]});
    let (status, _, body) =
        call(&state, post("/v1/screen/batch", "application/json", too_many.to_string().into_bytes())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["message"].as_str().is_some_and(|m| m.contains("at most 100")));

    // Random bytes, and the readers' fuzz seeds (the shared data's small files, cut to 16 KiB), as JSON and XML.
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(19);
    for len in [0usize, 1, 7, 100, 1000, 20_000] {
        bodies.push((0..len).map(|_| rng.random::<u8>()).collect());
        let mut xml = b"<?xml version=\"1.0\"?><article><front>".to_vec();
        xml.extend((0..len).map(|_| b"<>&;/ ab\"'"[rng.random_range(0..10)]));
        bodies.push(xml);
    }
    if let Some(data) = byline_testdata::shared_data() {
        for sub in ["jats", "pubmed", "crossref", "openalex"] {
            let Ok(entries) = std::fs::read_dir(data.join(sub)) else { continue };
            let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.iter().take(6) {
                let Ok(bytes) = std::fs::read(f) else { continue };
                let cut = bytes.len().min(16 * 1024);
                bodies.push(bytes[..cut].to_vec());
                bodies.push(bytes[..cut / 2].to_vec());
            }
        }
    }
    for (i, body) in bodies.iter().enumerate() {
        for (path, ct) in [
            ("/v1/screen", "application/json"),
            ("/v1/screen", "application/xml"),
            ("/v1/screen/batch", "application/json"),
        ] {
            let (status, _, answer) = call(&state, post(path, ct, body.clone())).await;
            assert!(!status.is_server_error(), "body {i} to {path} as {ct}: {status}");
            if !status.is_success() {
                assert!(json(&answer)["error"].is_string(), "body {i}: the error is JSON");
            }
        }
    }
}

#[test]
fn the_checked_in_openapi_document_is_the_generated_one() {
    let path = byline_testdata::workspace_root().join("crates/byline-serve/openapi.json");
    let generated = byline_serve::openapi_json();
    if std::env::var_os("BYLINE_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write openapi.json");
    }
    let checked_in =
        std::fs::read_to_string(&path).expect("crates/byline-serve/openapi.json (BYLINE_UPDATE_OPENAPI=1 writes it)");
    assert_eq!(checked_in, generated, "the API changed: rerun with BYLINE_UPDATE_OPENAPI=1 and commit openapi.json");
    let doc: serde_json::Value = serde_json::from_str(&generated).expect("JSON");
    for route in ["/v1/screen", "/v1/screen/batch", "/v1/codes", "/v1/admin/reload", "/healthz", "/readyz", "/metrics"]
    {
        assert!(doc["paths"][route].is_object(), "{route} missing from the OpenAPI document");
    }
}

#[test]
fn the_state_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Arc<ServiceState>>();
}
