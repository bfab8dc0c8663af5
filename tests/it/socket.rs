//! One test over a real socket on loopback: what `linimasa serve` does.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

#[tokio::test]
async fn serves_the_timeline_over_http_on_loopback() {
    for app in fixtures_apps().await {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = app.router.clone();
        let server = tokio::spawn(async move { axum::serve(listener, router).await });

        let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "GET /events?region=kursk HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        );
        conn.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).await.unwrap();
        let raw = String::from_utf8(raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json")
        );
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["events"][0]["regions"][0]["iso_code"], "RU-KRS");
        server.abort();
    }
}

#[tokio::test]
async fn the_example_client_script_runs_against_a_live_server() {
    let app = crate::common::app().await;
    for (name, json) in linimasa::demo::ARTICLES {
        let mut l =
            linimasa::ingest::parse_blob(name, json.as_bytes().to_vec(), &Default::default());
        app.ingest(&l.remove(0).article.unwrap()).await;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let script = crate::common::manifest().join("scripts/example_client.py");
    let out = tokio::process::Command::new("python3")
        .arg(&script)
        .arg(format!("http://{addr}"))
        .arg("kursk")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = app.events("/events?region=kursk&limit=1000").await.len();
    assert!(
        stdout.starts_with(&format!("{n} events in kursk")),
        "{stdout}"
    );
    assert!(
        stdout.contains("CSV: ") || stdout.contains("pandas not installed"),
        "{stdout}"
    );
    server.abort();
}

/// A live server on loopback with `serve`'s accept loop, short timeouts and a small
/// per-address cap.
struct Live {
    addr: std::net::SocketAddr,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _app: TestApp,
    key: String,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn live(server: linimasa::api::server::ServerConfig, body_timeout_ms: u64) -> Live {
    use linimasa::api::{AppState, ops::OpsConfig, router};
    let app = crate::common::app().await;
    let (_, key) = app.store.create_key("socket").await.unwrap();
    let r = router(AppState::with_ops(
        app.store.clone(),
        linimasa::knowledge::Knowledge::embedded(),
        OpsConfig {
            body_timeout: std::time::Duration::from_millis(body_timeout_ms),
            ..Default::default()
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(linimasa::api::server::serve(
        listener,
        r,
        server,
        std::future::pending(),
    ));
    Live {
        addr,
        server,
        _app: app,
        key,
    }
}

fn config(header_ms: u64, cap: usize) -> linimasa::api::server::ServerConfig {
    linimasa::api::server::ServerConfig {
        header_timeout: std::time::Duration::from_millis(header_ms),
        idle_timeout: std::time::Duration::from_secs(60),
        max_connections_per_ip: cap,
    }
}

/// Reads one response (head and a body of its Content-Length) from `conn`.
async fn response(conn: &mut tokio::net::TcpStream) -> (String, String) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), conn.read(&mut buf))
            .await
            .expect("a response within 10 s")
            .unwrap();
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= len {
                return (head.to_string(), body[..len].to_string());
            }
        }
        assert!(n > 0, "connection closed mid-response: {text}");
    }
}

/// True when the server has closed `conn` (end of stream or reset) within `within`.
async fn closed_within(conn: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    let mut buf = [0u8; 1024];
    match tokio::time::timeout(within, conn.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(_)) => false,
        Err(_) => false,
    }
}

fn problem(head: &str, body: &str, status: u16) -> serde_json::Value {
    assert!(
        head.starts_with(&format!("HTTP/1.1 {status} ")),
        "{head}\n\n{body}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["status"], status);
    json
}

#[tokio::test]
async fn a_socket_that_never_finishes_its_headers_is_closed_after_the_header_timeout() {
    let live = live(config(300, 64), 30_000).await;
    let mut slow = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    let started = std::time::Instant::now();
    slow.write_all(b"GET /events HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    assert!(
        closed_within(&mut slow, std::time::Duration::from_secs(5)).await,
        "still open after 5 s"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    // An idle keep-alive connection is closed by the same clock.
    let mut idle = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, _) = response(&mut idle).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(closed_within(&mut idle, std::time::Duration::from_secs(5)).await);
}

#[tokio::test]
async fn one_address_gets_at_most_its_cap_of_connections_and_those_are_served() {
    let live = live(config(10_000, 3), 30_000).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(tokio::net::TcpStream::connect(live.addr).await.unwrap());
    }
    // The fourth is accepted by the kernel and closed by the server at once.
    let mut extra = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    assert!(
        closed_within(&mut extra, std::time::Duration::from_secs(5)).await,
        "the connection past the cap stayed open"
    );
    for conn in &mut held {
        conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let (head, _) = response(conn).await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    }
    // A closed connection gives its place back.
    drop(held.pop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut again = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, _) = response(&mut again).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
}

#[tokio::test]
async fn an_oversized_content_length_is_413_at_once_and_a_slow_body_is_408() {
    let live = live(config(10_000, 64), 500).await;
    let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    let started = std::time::Instant::now();
    conn.write_all(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\n\r\n",
    )
    .await
    .unwrap();
    let (head, body) = response(&mut conn).await;
    problem(&head, &body, 413);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );

    let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    let started = std::time::Instant::now();
    conn.write_all(
        format!(
            "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"text\": ",
            live.key
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let (head, body) = response(&mut conn).await;
    problem(&head, &body, 408);
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
}

#[tokio::test]
async fn gzip_bodies_are_decoded_with_the_size_cap_and_other_codings_are_415() {
    use std::io::Write as _;
    let live = live(config(10_000, 64), 30_000).await;
    let gzip = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let send = |body: Vec<u8>, coding: &'static str, key: String| async move {
        let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
        let head = format!(
            "PUT /timelines/gzipped HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Encoding: {coding}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        conn.write_all(&body).await.unwrap();
        response(&mut conn).await
    };
    let json = br#"{"title": "Kursk", "filter": "region=kursk"}"#;
    let (head, body) = send(gzip(json), "gzip", live.key.clone()).await;
    assert!(head.starts_with("HTTP/1.1 201"), "{head}\n{body}");
    let saved: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(saved["title"], "Kursk");
    // 10 MB of spaces inside a valid JSON document gzip to ~10 KB: refused whole.
    let mut bomb = b"{\"title\": \"x\", \"filter\": \"region=kursk\"".to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 10_000_000));
    bomb.push(b'}');
    let (head, body) = send(gzip(&bomb), "gzip", live.key.clone()).await;
    problem(&head, &body, 413);
    let (head, body) = send(json.to_vec(), "bogus", live.key.clone()).await;
    problem(&head, &body, 415);
    assert!(
        head.to_ascii_lowercase().contains("accept-encoding: gzip"),
        "{head}"
    );
    let (head, body) = send(b"not gzip".to_vec(), "gzip", live.key.clone()).await;
    problem(&head, &body, 400);
}

#[tokio::test]
async fn a_refused_write_keeps_its_keep_alive_connection_usable() {
    let live = live(config(10_000, 64), 30_000).await;
    let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    let body = br#"{"text": "On 6 August 2024 Ukraine attacked Kursk."}"#;
    for _ in 0..3 {
        let head = format!(
            "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lm_wrong\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        conn.write_all(body).await.unwrap();
        let (head, body) = response(&mut conn).await;
        problem(&head, &body, 401);
        assert!(
            !head.to_ascii_lowercase().contains("connection: close"),
            "{head}"
        );
    }
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, _) = response(&mut conn).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
}

#[tokio::test]
async fn request_lines_past_the_limits_get_problem_documents() {
    let live = live(config(10_000, 64), 30_000).await;
    // 9 KB: ours (414 from the router); 100 KB: past hyper's 64 KiB URI limit; 1 MB:
    // past the head buffer (431). Each answer is problem+json.
    for (len, status) in [(9_000, 414), (100_000, 414), (1_000_000, 431)] {
        let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
        let req = format!(
            "GET /events?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "a".repeat(len)
        );
        // The server may answer and close before it has read all of a long line.
        let _ = conn.write_all(req.as_bytes()).await;
        let (head, body) = response(&mut conn).await;
        let json = problem(&head, &body, status);
        assert!(json["detail"].as_str().unwrap().len() > 10, "{json}");
    }
}

#[tokio::test]
async fn a_connection_on_which_nothing_moves_is_closed_after_the_idle_timeout() {
    let mut cfg = config(10_000, 64);
    cfg.idle_timeout = std::time::Duration::from_millis(300);
    // The body timeout is long: only the idle timeout can end this stalled upload.
    let live = live(cfg, 30_000).await;
    let mut conn = tokio::net::TcpStream::connect(live.addr).await.unwrap();
    let started = std::time::Instant::now();
    conn.write_all(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .await
    .unwrap();
    assert!(
        closed_within(&mut conn, std::time::Duration::from_secs(5)).await,
        "a stalled upload stayed open"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
}
