//! Hostile articles over a real socket (issue 20, items 1 and 2): a page nested
//! 50,000 elements deep, three pages of 10,000 nested `<div>`s at once, a 2 MB text
//! that runs past its request's timeout. The server answers each, stays up, and keeps
//! answering `/healthz` and the next article promptly.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

/// Serves `app`'s store with `config` on a loopback port; returns the address and a
/// key for writes.
async fn serve(app: &TestApp, config: OpsConfig) -> (SocketAddr, String) {
    let (_, key) = app.store.create_key("hostile").await.unwrap();
    let state = AppState::with_ops(app.store.clone(), Knowledge::embedded(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    (addr, key)
}

/// One request on its own connection: the status and the body as JSON (Null when it
/// is not JSON).
async fn http(addr: SocketAddr, method: &str, path: &str, key: &str, body: &str) -> (u16, Value) {
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn config(timeout: Duration) -> OpsConfig {
    OpsConfig {
        request_timeout: timeout,
        ..OpsConfig::default()
    }
}

// Two workers with tokio's 2 MiB stacks, as `serve` has on a 2-core machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_nested_50000_deep_is_read_and_the_server_stays_up() {
    let app = app().await;
    let (addr, key) = serve(&app, config(Duration::from_secs(60))).await;
    let html = format!(
        "<html><body>{}On 6 August 2024 Ukraine attacked Kursk.</body></html>",
        "<b>".repeat(50_000)
    );
    let body =
        json!({"url": "https://hostile.linimasa.example/deep", "html": html, "language": "en"})
            .to_string();
    let (status, created) = http(addr, "POST", "/articles", &key, &body).await;
    assert_eq!(status, 201, "{created}");
    let events = created["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["date"] == "2024-08-06" && has_region(e, "RU-KRS")),
        "{created}"
    );
    // JSON nested as deep is refused by serde_json's recursion limit, not a crash.
    let deep_json = format!(
        "{{\"text\": \"x\", \"extra\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (status, problem) = http(addr, "POST", "/articles", &key, &deep_json).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["parameter"], "body");
    let (status, _) = http(addr, "GET", "/healthz", "", "").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_deep_pages_in_flight_leave_healthz_answering() {
    let app = app().await;
    let (addr, key) = serve(&app, config(Duration::from_secs(120))).await;
    let posts: Vec<_> = (0..3)
        .map(|i| {
            let html = format!(
                "<html><body>{}On 6 August 2024 Ukraine attacked Kursk ({i}).{}</body></html>",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            );
            let body =
                json!({"url": format!("https://hostile.linimasa.example/div/{i}"), "html": html, "language": "en"})
                    .to_string();
            let key = key.clone();
            tokio::spawn(async move { http(addr, "POST", "/articles", &key, &body).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let (status, _) = http(addr, "GET", "/healthz", "", "").await;
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "/healthz took {took:?}");
    for p in posts {
        let (status, created) = p.await.unwrap();
        assert_eq!(status, 201, "{created}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_past_its_timeout_stops_and_frees_its_slot() {
    let app = app().await;
    // One extraction at a time: the next article needs the first one's slot, which
    // comes free only when its extraction really ends.
    let (addr, key) = serve(
        &app,
        OpsConfig {
            extraction_slots: 1,
            ..config(Duration::from_millis(300))
        },
    )
    .await;
    let unit = "On 6 August 2024 Ukraine attacked Kursk, Sudzha, Donetsk, Kharkiv and Kherson. ";
    let text = unit.repeat(2_000_000 / unit.len());
    let body = json!({"text": text, "language": "en", "published_at": "2024-08-08"}).to_string();
    let (status, problem) = http(addr, "POST", "/articles", &key, &body).await;
    assert_eq!(status, 503, "{problem}");
    assert!(
        problem["type"].as_str().unwrap_or("").ends_with("/timeout"),
        "{problem}"
    );
    // Without the stop, the long article kept its slot (and a core) for minutes and
    // every later article timed out waiting for it.
    let small = json!({
        "url": "https://hostile.linimasa.example/after",
        "text": "On 6 August 2024 Ukraine's military attacked Russia's Kursk region.",
        "language": "en"
    })
    .to_string();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        last = http(addr, "POST", "/articles", &key, &small).await;
        if last.0 != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(last.0, 201, "{}", last.1);
}
