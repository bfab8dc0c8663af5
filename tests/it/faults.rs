//! Faults: a full disk, a read-only database, a slow query cut off by the statement
//! timeout, and a database that is not there when the service starts. Each is a clear
//! problem+json, and a failed write leaves the store exactly as it was.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;
use linimasa::store::{self, StoreOptions};
use serde_json::{Value, json};
use sqlx::{Connection, Executor};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use crate::common::*;
use crate::ops::{Cluster, free_port};

/// (articles, events, sources) as stored.
pub async fn counts(url: &str) -> (i64, i64, i64) {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    let mut n = Vec::new();
    for t in ["articles", "events", "event_sources"] {
        let v: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
            .fetch_one(&mut c)
            .await
            .expect("count");
        n.push(v);
    }
    (n[0], n[1], n[2])
}

async fn call(r: &axum::Router, req: Request<Body>) -> (u16, axum::http::HeaderMap, Value) {
    let res = r.clone().oneshot(req).await.expect("router answers");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn assert_problem_kind(
    status: u16,
    headers: &axum::http::HeaderMap,
    body: &Value,
    want: u16,
    kind: &str,
) {
    assert_eq!(status, want, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(body["type"], format!("/problems/{kind}"), "{body}");
    assert_eq!(body["status"], want);
}

#[tokio::test]
async fn sqlite_disk_full_is_507_and_stores_nothing() {
    let app = app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let pages: i64 = sqlx::query_scalar("SELECT page_count FROM pragma_page_count()")
        .fetch_one(&mut c)
        .await
        .unwrap();
    // Room for about 160 KiB more: a small article fits, a 600 KB one does not.
    let full = store::connect_lazy_with(
        &app.database_url,
        &StoreOptions {
            sqlite_max_pages: Some(pages as u64 + 40),
            ..Default::default()
        },
    )
    .unwrap();
    let r = router(AppState::new(full, Knowledge::embedded()));
    let before = counts(&app.database_url).await;

    let filler = (0..12_000)
        .map(|i| format!("Paragraph {i} of the archive notes says little. "))
        .collect::<String>();
    let big = json!({"url": "https://faults.linimasa.example/big", "language": "en",
                     "published_at": "2024-08-10",
                     "text": format!("On 6 August 2024 Ukrainian forces launched an offensive into Russia's Kursk region. {filler}")});
    let (status, headers, body) = call(&r, post_article(&key, &big)).await;
    assert_problem_kind(status, &headers, &body, 507, "storage-full");
    assert!(
        !body.to_string().contains("SQLITE") && !body.to_string().contains("database or disk"),
        "no internals: {body}"
    );
    assert_eq!(
        counts(&app.database_url).await,
        before,
        "nothing half-written"
    );

    // The store still works: reads, and a write that fits.
    assert_eq!(call(&r, get("/events")).await.0, 200);
    let small = json!({"url": "https://faults.linimasa.example/small", "language": "en",
                       "published_at": "2024-08-10",
                       "text": "On 6 August 2024 Ukrainian forces launched an offensive into Russia's Kursk region."});
    let (status, _, body) = call(&r, post_article(&key, &small)).await;
    assert_eq!(status, 201, "{body}");
    let after = counts(&app.database_url).await;
    assert_eq!(after.0, before.0 + 1);
    assert!(after.1 > before.1 && after.2 > before.2);
}

#[tokio::test]
async fn a_read_only_sqlite_file_serves_reads_and_refuses_writes_with_503() {
    let app = apps_with(&["03-kherson.json"])
        .await
        .into_iter()
        .next()
        .unwrap();
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let events = app.events("/events").await;
    assert!(!events.is_empty());
    let id = events[0]["id"].as_str().unwrap().to_string();
    let ro = store::connect_lazy(&format!("{}?mode=ro", app.database_url)).unwrap();
    let r = router(AppState::new(ro, Knowledge::embedded()));
    let before = counts(&app.database_url).await;

    let (status, _, body) = call(&r, get("/events")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["events"].as_array().unwrap().len(), events.len());

    let article = json!({"url": "https://faults.linimasa.example/ro", "language": "en",
                         "published_at": "2024-08-10",
                         "text": "On 6 August 2024 Ukrainian forces launched an offensive into Russia's Kursk region."});
    let (status, headers, body) = call(&r, post_article(&key, &article)).await;
    assert_problem_kind(status, &headers, &body, 503, "read-only");
    assert!(headers.get("retry-after").is_some());
    let patch = Request::patch(format!("/events/{id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(r#"{"status": "hidden"}"#))
        .unwrap();
    let (status, headers, body) = call(&r, patch).await;
    assert_problem_kind(status, &headers, &body, 503, "read-only");
    assert_eq!(counts(&app.database_url).await, before);
    assert_eq!(app.events("/events").await.len(), events.len());
}

#[tokio::test]
async fn a_query_past_the_statement_timeout_is_503_and_the_pool_recovers() {
    let Some(app) = postgres_app().await else {
        return;
    };
    app.ingest_file(
        &manifest().join("tests/fixtures/articles/01-kursk-offensive.json"),
        &Default::default(),
    )
    .await;
    let store = store::connect_with(
        &app.database_url,
        &StoreOptions {
            statement_timeout: Some(Duration::from_millis(300)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let r = router(AppState::new(store, Knowledge::embedded()));
    // Another session holds the events table, as a long write or a maintenance job would.
    let mut locker = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    locker.execute("BEGIN").await.unwrap();
    locker
        .execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let started = Instant::now();
    let (status, headers, body) = call(&r, get("/events?region=kursk")).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "cut off, not hung: {:?}",
        started.elapsed()
    );
    assert_problem_kind(status, &headers, &body, 503, "statement-timeout");
    assert!(headers.get("retry-after").is_some());
    locker.execute("ROLLBACK").await.unwrap();
    let (status, _, body) = call(&r, get("/events?region=kursk")).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body["events"].as_array().unwrap().is_empty());
}

/// SQLite has no statement timeout of its own: a progress handler interrupts a
/// statement past the limit, the request gets 503, and the connection serves the
/// next request at once.
#[tokio::test]
async fn a_slow_sqlite_query_is_interrupted_at_the_statement_timeout() {
    let app = app().await;
    linimasa::synthetic::fill(
        &app.database_url,
        &linimasa::synthetic::Options {
            events: 5_000,
            seed: 5,
            ..Default::default()
        },
    )
    .await
    .expect("synthetic events");
    // Counted (the no-op `min_confidence=0` keeps the store from answering with its
    // kept counts): a country's facets, the slowest read there is.
    let slow = "/facets?country=UA&min_confidence=0";
    // Without a limit the facets are computed (and take more than the limit below).
    let unlimited = store::connect(&app.database_url).await.unwrap();
    let r = router(AppState::new(unlimited, Knowledge::embedded()));
    let started = Instant::now();
    let (status, _, body) = call(&r, get(slow)).await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert!(
        took > Duration::from_millis(5),
        "too quick to test with: {took:?}"
    );

    let store = store::connect_with(
        &app.database_url,
        &StoreOptions {
            statement_timeout: Some(Duration::from_millis(2)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let r = router(AppState::new(store, Knowledge::embedded()));
    let started = Instant::now();
    let (status, headers, body) = call(&r, get(slow)).await;
    assert_problem_kind(status, &headers, &body, 503, "statement-timeout");
    assert!(headers.get("retry-after").is_some());
    assert!(
        started.elapsed() < took,
        "cut off ({:?}), not run to its end ({took:?})",
        started.elapsed()
    );
    // Short statements never reach the limit; the pool is fine.
    for _ in 0..3 {
        let (status, _, body) = call(&r, get("/events?region=kursk&limit=1")).await;
        assert_eq!(status, 200, "{body}");
    }
}

/// `GET path` on loopback: (status, head, body), or None when nothing answers.
async fn http_get(port: u16, path: &str) -> Option<(u16, String, String)> {
    let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    conn.write_all(req.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut raw))
        .await
        .ok()?
        .ok()?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head.to_ascii_lowercase(), body.to_string()))
}

#[tokio::test]
async fn database_unreachable_at_start_is_503_until_it_comes_then_ready() {
    let (Some(db_port), Some(http_port)) = (free_port(), free_port()) else {
        return;
    };
    let url = format!("postgres://postgres@127.0.0.1:{db_port}/postgres");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_linimasa"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{http_port}"),
            "--database-url",
            &url,
            "--log-format",
            "json",
        ])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let child = Kill(child);

    let deadline = Instant::now() + Duration::from_secs(30);
    while http_get(http_port, "/healthz").await.map(|r| r.0) != Some(200) {
        assert!(Instant::now() < deadline, "serve never listened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for path in ["/readyz", "/events?region=kursk"] {
        let (status, head, body) = http_get(http_port, path).await.unwrap();
        assert_eq!(status, 503, "{path}: {body}");
        assert!(
            head.contains("content-type: application/problem+json"),
            "{head}"
        );
        assert!(head.contains("retry-after:"), "{path}: {head}");
        assert!(!body.contains(&db_port.to_string()), "no internals: {body}");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let Some(cluster) = Cluster::create_on(db_port) else {
        eprintln!(
            "NOTICE: cannot start a throw-away PostgreSQL cluster (needs initdb and root); skipping the recovery half"
        );
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while http_get(http_port, "/readyz").await.map(|r| r.0) != Some(200) {
        assert!(
            Instant::now() < deadline,
            "not ready a minute after the database came"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (status, _, body) = http_get(http_port, "/events?region=kursk").await.unwrap();
    assert_eq!(status, 200, "{body}");
    drop(child);
    drop(cluster);

    // It retried with growing waits, and said so.
    let log = log.join().unwrap();
    let waits: Vec<u64> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["message"] == "database not ready")
        .filter_map(|v| v["retry_in_ms"].as_u64())
        .collect();
    assert!(waits.len() >= 2, "{log}");
    assert!(waits.windows(2).all(|w| w[1] >= w[0]), "{waits:?}");
    assert!(waits.last() > waits.first(), "backoff grows: {waits:?}");
}

#[tokio::test]
async fn compressed_exports_stream_to_the_end() {
    // Found by the load run: a gzip-, br- or zstd-encoded export panicked at its end
    // (the compressor polled the finished stream once more) and was cut short.
    let app = fixtures_app_sqlite().await;
    let n = app.events("/events?limit=1000").await.len();
    for path in ["/events.csv", "/events.ndjson", "/events.ics"] {
        for enc in ["gzip", "br", "zstd", "identity"] {
            let req = Request::get(path)
                .header("accept-encoding", enc)
                .body(Body::empty())
                .unwrap();
            let res = app.router.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200, "{path} {enc}");
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
                .await
                .unwrap_or_else(|e| panic!("{path} {enc}: cut short: {e}"));
            assert!(!bytes.is_empty(), "{path} {enc}");
            if enc == "gzip" {
                let mut text = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut text,
                )
                .expect("a whole gzip stream");
                let records = match path {
                    "/events.csv" => text.lines().filter(|l| l.starts_with("evt_")).count(),
                    "/events.ndjson" => text.lines().count(),
                    _ => text.matches("BEGIN:VEVENT").count(),
                };
                assert_eq!(records, n, "{path}: every event, then the end");
            }
        }
    }
}

fn json_request(method: &str, uri: &str, key: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// An article of about `kb` KB of text with one event in its first sentence.
fn article_of(n: usize, kb: usize) -> Value {
    let filler = (0..kb * 20)
        .map(|i| format!("Note {i} on page {n} of the archive. "))
        .collect::<String>();
    json!({"url": format!("https://faults.linimasa.example/sequence/{n}"), "language": "en",
           "published_at": "2024-08-10",
           "text": format!("On 6 August 2024 Ukrainian forces launched an offensive into Russia's Kursk region. {filler}")})
}

/// Whether an acknowledged article and timeline are in the file, read on a connection
/// of its own.
async fn stored(url: &str, articles: &[String], timelines: &[String]) {
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    for id in articles {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE id = $1")
            .bind(id)
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged article {id} is stored");
    }
    for slug in timelines {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM timelines WHERE slug = $1")
            .bind(slug)
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged timeline {slug} is stored");
    }
}

/// Issue 20 (3): a run of "disk full" failures used to leave a pooled connection with
/// the transaction state sqlx had lost track of: writes answered 500 and 503 (database
/// is locked) until a restart, and a write answered 201 was never committed. Each write
/// of a run is 507 or stored, readiness says 503 while nothing fits, and once room is
/// freed every write goes through and stays, across a restart.
#[tokio::test]
async fn sqlite_writes_heal_after_a_run_of_disk_full_failures_and_nothing_acknowledged_is_lost() {
    let app = app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let url = app.database_url.clone();
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    // No free pages: the room left is what the cap below allows, no more.
    c.execute("VACUUM").await.unwrap();
    // Ballast the operator deletes to free room (its pages go to the free list).
    c.execute("CREATE TABLE ballast (b BLOB)").await.unwrap();
    c.execute("INSERT INTO ballast VALUES (zeroblob(4000000))")
        .await
        .unwrap();
    let pages: i64 = sqlx::query_scalar("SELECT page_count FROM pragma_page_count()")
        .fetch_one(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    // The "disk": room for 32 KiB more, less than readiness asks for.
    let full = store::connect_lazy_with(
        &url,
        &StoreOptions {
            sqlite_max_pages: Some(pages as u64 + 8),
            ..Default::default()
        },
    )
    .unwrap();
    let r = router(AppState::new(full.clone(), Knowledge::embedded()));
    let (mut articles, mut timelines) = (Vec::new(), Vec::new());
    let mut statuses = Vec::new();
    for n in 0..12 {
        // Mostly 200 KB articles (none fits), a small one and a timeline between them.
        let (status, headers, body) = match n {
            3 | 8 => call(&r, post_article(&key, &article_of(n, 1))).await,
            5 | 10 => {
                let tl = json!({"title": format!("During {n}"), "filter": "region=kursk"});
                call(
                    &r,
                    json_request("PUT", &format!("/timelines/during-{n}"), &key, &tl),
                )
                .await
            }
            _ => call(&r, post_article(&key, &article_of(n, 200))).await,
        };
        statuses.push(status);
        match status {
            201 if n == 5 || n == 10 => timelines.push(format!("during-{n}")),
            201 => articles.push(body["article"]["id"].as_str().unwrap().to_string()),
            _ => assert_problem_kind(status, &headers, &body, 507, "storage-full"),
        }
    }
    assert!(statuses.contains(&507), "{statuses:?}");
    assert!(
        statuses.contains(&201),
        "small writes still fit: {statuses:?}"
    );
    let (status, _, body) = call(&r, get("/readyz")).await;
    assert_eq!(status, 503, "not ready while no write fits: {body}");
    stored(&url, &articles, &timelines).await;
    // Another process (`linimasa ingest`) can write meanwhile: no lock was left held.
    let other = store::connect(&url).await.unwrap();
    let started = Instant::now();
    other.create_key("other process").await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited on a lock"
    );

    // The operator frees room; without a restart, writes go through again.
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    c.execute("DROP TABLE ballast").await.unwrap();
    c.close().await.unwrap();
    let (status, _, body) = call(&r, get("/readyz")).await;
    assert_eq!(status, 200, "ready once there is room: {body}");
    for n in 20..23 {
        let (status, _, body) = call(&r, post_article(&key, &article_of(n, 200))).await;
        assert_eq!(status, 201, "{body}");
        articles.push(body["article"]["id"].as_str().unwrap().to_string());
        let (status, _, body) =
            call(&r, get(&format!("/articles/{}", articles.last().unwrap()))).await;
        assert_eq!(status, 200, "{body}");
    }
    let tl = json!({"title": "After", "filter": "region=kursk"});
    let (status, _, body) = call(&r, json_request("PUT", "/timelines/after-1", &key, &tl)).await;
    assert_eq!(status, 201, "{body}");
    timelines.push("after-1".into());
    stored(&url, &articles, &timelines).await;
    // And after a restart.
    drop(r);
    drop(full);
    drop(other);
    let restarted = store::connect(&url).await.unwrap();
    for id in &articles {
        assert!(restarted.get_article(id).await.unwrap().is_some(), "{id}");
    }
    for slug in &timelines {
        assert!(
            restarted.get_timeline(slug).await.unwrap().is_some(),
            "{slug}"
        );
    }
}

/// Files made immutable with `chattr +i` (root on ext4 and the like); undone on drop.
struct Immutable(Vec<std::path::PathBuf>);

impl Immutable {
    fn set(paths: Vec<std::path::PathBuf>) -> Option<Immutable> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .args(&paths)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let guard = Immutable(paths);
        ok.then_some(guard)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .args(&self.0)
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// SQLite says "read-only" when it opened the file so, and an I/O error when a write to
/// a file it has open is refused: both are 503.
fn unwritable(status: u16, headers: &axum::http::HeaderMap, body: &Value) {
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert!(
        ["/problems/read-only", "/problems/unavailable"]
            .contains(&body["type"].as_str().unwrap_or("")),
        "{body}"
    );
    assert!(headers.get("retry-after").is_some());
}

/// Issue 20 (3): a database that could not be written for a while (the file, its WAL
/// and shared memory immutable) then could again: `PUT /timelines/after-1` answered 201
/// but the row was never committed. Writes are 503 read-only meanwhile, readiness says
/// so, and afterwards every acknowledged write is in the file.
#[tokio::test]
async fn a_sqlite_file_read_only_for_a_while_heals_and_keeps_what_it_acknowledges() {
    let app = app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let url = app.database_url.clone();
    let served = store::connect(&url).await.unwrap();
    let r = router(AppState::new(served.clone(), Knowledge::embedded()));
    let (status, _, body) = call(&r, post_article(&key, &article_of(1, 1))).await;
    assert_eq!(status, 201, "{body}");
    let db = std::path::PathBuf::from(url.strip_prefix("sqlite://").unwrap());
    let files: Vec<_> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| std::path::PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect();
    let Some(guard) = Immutable::set(files) else {
        eprintln!("NOTICE: chattr +i is not available here (needs root and ext4); skipping");
        return;
    };
    for n in 0..4 {
        let tl = json!({"title": format!("During {n}"), "filter": "region=kursk"});
        let (status, headers, body) = call(
            &r,
            json_request("PUT", &format!("/timelines/during-{n}"), &key, &tl),
        )
        .await;
        unwritable(status, &headers, &body);
        let (status, headers, body) = call(&r, post_article(&key, &article_of(10 + n, 1))).await;
        unwritable(status, &headers, &body);
    }
    let (status, _, body) = call(&r, get("/readyz")).await;
    assert_eq!(
        status, 503,
        "not ready while nothing can be written: {body}"
    );
    drop(guard);

    let (status, _, body) = call(&r, get("/readyz")).await;
    assert_eq!(status, 200, "ready again: {body}");
    let tl = json!({"title": "After", "filter": "region=kursk"});
    let (status, _, body) = call(&r, json_request("PUT", "/timelines/after-1", &key, &tl)).await;
    assert_eq!(status, 201, "{body}");
    let (status, _, body) = call(&r, post_article(&key, &article_of(20, 1))).await;
    assert_eq!(status, 201, "{body}");
    let article = body["article"]["id"].as_str().unwrap().to_string();
    stored(
        &url,
        std::slice::from_ref(&article),
        &["after-1".to_string()],
    )
    .await;
    drop(r);
    drop(served);
    let restarted = store::connect(&url).await.unwrap();
    assert!(restarted.get_timeline("after-1").await.unwrap().is_some());
    assert!(restarted.get_article(&article).await.unwrap().is_some());
}

/// Issue 20 (4): the SQLite file deleted while serving gave 500s (`no such table`, from
/// an empty file the pool created) that copying the file back did not cure, and
/// readiness stayed 200. Now reads, writes and readiness are 503 while it is gone, and
/// 200 again, without a restart, once it is back.
#[tokio::test]
async fn a_sqlite_file_deleted_while_serving_is_503_until_it_is_restored() {
    let app = apps_with(&["03-kherson.json"])
        .await
        .into_iter()
        .next()
        .unwrap();
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let url = app.database_url.clone();
    let served = store::connect(&url).await.unwrap();
    let r = router(AppState::new(served, Knowledge::embedded()));
    let (status, _, body) = call(&r, get("/events?limit=100")).await;
    assert_eq!(status, 200, "{body}");
    let before = body["events"].as_array().unwrap().len();
    assert!(before > 0);
    assert_eq!(call(&r, get("/readyz")).await.0, 200);

    let db = std::path::PathBuf::from(url.strip_prefix("sqlite://").unwrap());
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    c.close().await.unwrap();
    let backup = db.with_extension("backup");
    std::fs::copy(&db, &backup).unwrap();
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", db.display()));
    }

    for (i, uri) in [
        "/readyz",
        "/events?limit=99",
        "/events?region=kherson&limit=98",
    ]
    .iter()
    .enumerate()
    {
        let (status, headers, body) = call(&r, get(uri)).await;
        assert_eq!(status, 503, "{uri}: {body}");
        assert_eq!(headers["content-type"], "application/problem+json", "{i}");
    }
    let (status, headers, body) = call(&r, post_article(&key, &article_of(1, 1))).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert!(!db.exists(), "no empty database was created in its place");

    std::fs::copy(&backup, &db).unwrap();
    assert_eq!(call(&r, get("/readyz")).await.0, 200);
    let (status, _, body) = call(&r, get("/events?limit=97")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["events"].as_array().unwrap().len(), before);
    let (status, _, body) = call(&r, post_article(&key, &article_of(2, 1))).await;
    assert_eq!(status, 201, "{body}");
    let article = body["article"]["id"].as_str().unwrap().to_string();
    stored(&url, &[article], &[]).await;
}
