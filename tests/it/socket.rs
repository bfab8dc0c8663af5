//! One test over a real socket on loopback: what `linimasa serve` does.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::fixtures_apps;

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
