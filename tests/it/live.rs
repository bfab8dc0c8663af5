//! Live updates over Server-Sent Events.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;
use tower::ServiceExt;

use crate::common::*;

/// Reads the stream until `until` is seen in what arrived, or the time is up.
async fn read_until(body: &mut Body, until: &str, within: Duration) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + within;
    while !seen.contains(until) {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(f))) => {
                if let Some(d) = f.data_ref() {
                    seen.push_str(&String::from_utf8_lossy(d));
                }
            }
            _ => break,
        }
    }
    seen
}

#[tokio::test]
async fn the_stream_pushes_matching_new_events_and_hidings() {
    for app in apps().await {
        let state = AppState::with_ops(
            app.store.clone(),
            Knowledge::embedded(),
            OpsConfig {
                stream_poll: Duration::from_millis(50),
                ..Default::default()
            },
        );
        let r = router(state);
        let res = r
            .clone()
            .oneshot(
                Request::get("/events/stream?region=kursk")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        let mut body = res.into_body();

        // Another writer (any instance on the same database) ingests an article.
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.ingest_file(
            &manifest().join("tests/fixtures/articles/01-kursk-offensive.json"),
            &Default::default(),
        )
        .await;
        let got = read_until(&mut body, "RU-KRS", Duration::from_secs(10)).await;
        assert!(got.contains("event: event"), "{}: {got}", app.backend);
        assert!(got.contains("\"date\":\"2024-08-06\""));
        assert!(
            !got.contains("UA-59"),
            "the Sumy event does not match region=kursk"
        );

        // Hiding it is pushed as a deletion.
        let kursk = app.events("/events?region=kursk").await;
        let id = kursk[0]["id"].as_str().unwrap();
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let patch = Request::patch(format!("/events/{id}"))
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"status": "hidden"}"#))
            .unwrap();
        assert_eq!(r.clone().oneshot(patch).await.unwrap().status(), 200);
        let got = read_until(&mut body, "event: deleted", Duration::from_secs(10)).await;
        assert!(got.contains(id), "{}: {got}", app.backend);
    }
}
