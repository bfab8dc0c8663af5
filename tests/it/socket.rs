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
