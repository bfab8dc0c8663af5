//! Shared test helpers: a store in a real SQLite file, fixtures, and requests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use linimasa::api::{AppState, router};
use linimasa::ingest::{Defaults, parse_blob};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::Extractor;
use linimasa::pipeline::events::ArticleInput;
use linimasa::store::{self, IngestOutcome, Store};
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub extractor: Extractor,
    /// Keeps the database file alive as long as the app.
    _dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` when it exists; otherwise prints why the caller skips.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = manifest().join("..").join("shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "NOTICE: {} is absent; skipping the checks that need it",
            p.display()
        );
        None
    }
}

/// An app on a fresh SQLite file.
pub async fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = store::connect(&url).await.expect("store");
    let kb = Knowledge::embedded();
    TestApp {
        router: router(AppState {
            store: store.clone(),
            kb: kb.clone(),
        }),
        store,
        extractor: Extractor::new(kb),
        _dir: dir,
    }
}

/// An app with the given fixture articles (`tests/fixtures/articles/<name>`) ingested.
pub async fn app_with(names: &[&str]) -> TestApp {
    let app = app().await;
    for n in names {
        app.ingest_file(
            &manifest().join("tests/fixtures/articles").join(n),
            &Defaults::default(),
        )
        .await;
    }
    app
}

/// An app with every fixture article ingested.
pub async fn fixtures_app() -> TestApp {
    let mut names: Vec<String> = std::fs::read_dir(manifest().join("tests/fixtures/articles"))
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    app_with(&refs).await
}

impl TestApp {
    pub async fn ingest_file(&self, path: &Path, d: &Defaults) -> IngestOutcome {
        let bytes = std::fs::read(path).expect("fixture readable");
        let mut loaded = parse_blob(&path.display().to_string(), bytes, d);
        let input = loaded.remove(0).article.expect("fixture parses");
        self.ingest(&input).await
    }

    pub async fn ingest(&self, input: &ArticleInput) -> IngestOutcome {
        let x = self.extractor.extract(input).expect("extracts");
        self.store.ingest(&x).await.expect("stores")
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.request(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn request(&self, req: Request<Body>) -> Resp {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    /// `GET /events…` that must succeed; returns the events.
    pub async fn events(&self, uri: &str) -> Vec<Value> {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        r.body["events"].as_array().expect("events array").clone()
    }
}

pub fn dates(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["date"].as_str().unwrap_or("").to_string())
        .collect()
}

pub fn has_region(e: &Value, iso: &str) -> bool {
    e["regions"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r["iso_code"] == iso))
}

/// Asserts a response is an RFC 9457 problem with this status (and parameter).
pub fn assert_problem(r: &Resp, status: u16, parameter: Option<&str>) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(r.body["status"], status);
    assert!(
        r.body["type"].is_string() && r.body["title"].is_string() && r.body["detail"].is_string()
    );
    if let Some(p) = parameter {
        assert_eq!(r.body["parameter"], p, "{}", r.body);
    }
}
