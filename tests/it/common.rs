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
use sqlx::{Connection, Executor};
use tower::ServiceExt;

pub struct TestApp {
    /// `sqlite` or `postgres`, for messages.
    pub backend: &'static str,
    pub database_url: String,
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub extractor: Extractor,
    /// Keeps the database (file or PostgreSQL database) alive as long as the app.
    _db: TestDb,
}

/// Where a test's data lives; removed when the test ends.
enum TestDb {
    Sqlite(#[expect(dead_code, reason = "held for its Drop")] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin, name } = self {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop cannot await; a short-lived runtime on its own thread can.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut c = sqlx::PgConnection::connect(&admin).await.ok()?;
                    c.execute(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

/// The PostgreSQL server the tests use: `LINIMASA_TEST_POSTGRES` or the local one.
pub fn postgres_admin_url() -> String {
    std::env::var("LINIMASA_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh database on the test PostgreSQL server, or None (with a notice) when there is none.
async fn postgres_db() -> Option<(String, TestDb)> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let admin = postgres_admin_url();
    let mut c = match tokio::time::timeout(
        std::time::Duration::from_secs(5),
        sqlx::PgConnection::connect(&admin),
    )
    .await
    {
        Ok(Ok(c)) => c,
        _ => {
            eprintln!("NOTICE: no PostgreSQL at {admin}; this test runs on SQLite only");
            return None;
        }
    };
    let name = format!(
        "linimasa_t_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    c.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .ok()?;
    c.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("LINIMASA_TEST_POSTGRES must end in /DATABASE"),
    };
    Some((url, TestDb::Postgres { admin, name }))
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The "did you mean" suggestions of a problem response.
    pub fn suggestions(&self) -> Vec<&str> {
        self.body["suggestions"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default()
    }
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

fn build(
    backend: &'static str,
    database_url: String,
    store: Arc<dyn Store>,
    db: TestDb,
) -> TestApp {
    let kb = Knowledge::embedded();
    TestApp {
        backend,
        database_url,
        router: router(AppState::new(store.clone(), kb.clone())),
        store,
        extractor: Extractor::new(kb),
        _db: db,
    }
}

/// An app on a fresh SQLite file.
pub async fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = store::connect(&url).await.expect("store");
    build("sqlite", url, store, TestDb::Sqlite(dir))
}

/// An app on a fresh PostgreSQL database, when a server answers.
pub async fn postgres_app() -> Option<TestApp> {
    let (url, db) = postgres_db().await?;
    let store = store::connect(&url).await.expect("postgres store");
    Some(build("postgres", url, store, db))
}

/// Fresh apps on every backend available: SQLite always, PostgreSQL when it answers.
pub async fn apps() -> Vec<TestApp> {
    let mut v = vec![app().await];
    v.extend(postgres_app().await);
    v
}

/// Apps on every backend with the given fixture articles (`tests/fixtures/articles/<name>`) ingested.
pub async fn apps_with(names: &[&str]) -> Vec<TestApp> {
    let apps = apps().await;
    for app in &apps {
        for n in names {
            let path = manifest().join("tests/fixtures/articles").join(n);
            app.ingest_file(&path, &Defaults::default()).await;
        }
    }
    apps
}

/// An SQLite app with every fixture article ingested (for checks that do not
/// depend on the backend).
pub async fn fixtures_app_sqlite() -> TestApp {
    fixtures_apps()
        .await
        .into_iter()
        .next()
        .expect("sqlite app")
}

/// Apps on every backend with every fixture article ingested.
pub async fn fixtures_apps() -> Vec<TestApp> {
    let mut names: Vec<String> = std::fs::read_dir(manifest().join("tests/fixtures/articles"))
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    apps_with(&refs).await
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
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{} {uri}: {}",
            self.backend,
            r.body
        );
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

/// `POST /articles` with `body` as JSON and `key` as the bearer key.
pub fn post_article(key: &str, body: &Value) -> Request<Body> {
    Request::post("/articles")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}
