//! The in-process caches behind the ETag: whole responses by (data version, request),
//! kept per encoding and never for streamed exports; and the data version itself,
//! trusted for a TTL, forgotten at once on a write through the same instance.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request};
use http_body_util::BodyExt;
use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::events::ArticleInput;
use tower::ServiceExt;

use crate::common::*;

async fn send(r: &Router, req: Request<Body>) -> (u16, HeaderMap, Vec<u8>) {
    let res = r.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let h = res.headers().clone();
    (
        status,
        h,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

async fn get(r: &Router, uri: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Vec<u8>) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(r, req.body(Body::empty()).unwrap()).await
}

/// The response cache's (hits, misses, coalesced) counters, from one `/metrics` read.
async fn cache_counters(r: &Router) -> (u64, u64, u64) {
    let (_, _, body) = get(r, "/metrics", &[]).await;
    let text = String::from_utf8(body).unwrap();
    let n = |line_prefix: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(line_prefix))
            .unwrap_or_else(|| panic!("no {line_prefix} in /metrics:\n{text}"))
            .trim()
            .parse()
            .unwrap()
    };
    (
        n("linimasa_response_cache_lookups_total{result=\"hit\"} "),
        n("linimasa_response_cache_lookups_total{result=\"miss\"} "),
        n("linimasa_response_cache_coalesced_total "),
    )
}

/// (hits, misses) from `/metrics`.
async fn lookups(r: &Router) -> (u64, u64) {
    let (hits, misses, _) = cache_counters(r).await;
    (hits, misses)
}

/// A router whose data version is trusted for 5 s, so concurrent readers share a key.
fn shared_router(app: &TestApp) -> Arc<Router> {
    let config = OpsConfig {
        version_ttl: Duration::from_secs(5),
        ..OpsConfig::default()
    };
    Arc::new(router_with(app, config).0)
}

/// `n` concurrent GETs of `uri`: (status, body) each, in spawn order.
async fn concurrently(r: &Arc<Router>, uri: &'static str, n: usize) -> Vec<(u16, Vec<u8>)> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let r = r.clone();
            tokio::spawn(async move { get(&r, uri, &[]).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        let (s, _, body) = t.await.unwrap();
        out.push((s, body));
    }
    out
}

fn router_with(app: &TestApp, config: OpsConfig) -> (Router, AppState) {
    let state = AppState::with_ops(app.store.clone(), Knowledge::embedded(), config);
    (router(state.clone()), state)
}

fn sumy_article(day: i8) -> ArticleInput {
    ArticleInput {
        url: Some(format!("https://fixtures.linimasa.example/en/sumy-{day}")),
        title: Some("Shelling in Sumy".into()),
        published: Some(jiff::civil::date(2024, 9, day + 1)),
        language: Some("en".into()),
        text: format!(
            "On {day} September 2024, Russian forces shelled the Sumy region, officials said."
        ),
        ..Default::default()
    }
}

#[tokio::test]
async fn repeated_reads_are_served_from_memory_until_a_write() {
    for app in fixtures_apps().await {
        let (r, _) = router_with(&app, OpsConfig::default());
        let uri = "/events?limit=1";
        let (s1, h1, b1) = get(&r, uri, &[]).await;
        assert_eq!(s1, 200);
        let before = lookups(&r).await;
        let (s2, h2, b2) = get(&r, uri, &[]).await;
        assert_eq!(s2, 200);
        assert_eq!(b1, b2, "{}: the same bytes", app.backend);
        assert_eq!(h1["etag"], h2["etag"]);
        assert_eq!(h1["link"], h2["link"], "the next link comes with the page");
        assert_eq!(h2["content-type"], "application/json");
        let after = lookups(&r).await;
        assert_eq!(
            after.0,
            before.0 + 1,
            "{}: the second read hit",
            app.backend
        );

        // A write (here through the store, as another process would) changes the
        // version: the page is built again and shows it.
        let n0 = serde_json::from_slice::<serde_json::Value>(
            &get(&r, "/events?region=sumy", &[]).await.2,
        )
        .unwrap()["events"]
            .as_array()
            .unwrap()
            .len();
        app.ingest(&sumy_article(3)).await;
        let (_, h3, b3) = get(&r, "/events?region=sumy", &[]).await;
        let n1 = serde_json::from_slice::<serde_json::Value>(&b3).unwrap()["events"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(n1, n0 + 1, "{}: the new event is served", app.backend);
        assert_ne!(h3["etag"], h1["etag"]);
    }
}

#[tokio::test]
async fn each_encoding_is_kept_apart_and_decodes_to_the_same_page() {
    let app = fixtures_app_sqlite().await;
    let (r, _) = router_with(&app, OpsConfig::default());
    let uri = "/events?limit=1000";
    let (_, _, plain) = get(&r, uri, &[("accept-encoding", "identity")]).await;
    let (_, hg, gz) = get(&r, uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(hg["content-encoding"], "gzip");
    let (h0, _) = lookups(&r).await;
    let (_, hg2, gz2) = get(&r, uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(
        lookups(&r).await.0,
        h0 + 1,
        "the gzip page came from memory"
    );
    assert_eq!(hg2["content-encoding"], "gzip");
    assert_eq!(gz, gz2);
    assert_ne!(hg["etag"], app.get(uri).await.headers["etag"]);
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz2[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
    // Only one Vary: Accept-Encoding, though two layers know about it.
    let vary: Vec<_> = hg2
        .get_all("vary")
        .iter()
        .filter(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding"))
        .collect();
    assert_eq!(vary.len(), 1, "{hg2:?}");
}

#[tokio::test]
async fn streamed_exports_are_never_held() {
    let app = fixtures_app_sqlite().await;
    let (r, state) = router_with(&app, OpsConfig::default());
    for _ in 0..2 {
        let (s, _, body) = get(&r, "/events.ndjson", &[]).await;
        assert_eq!(s, 200);
        assert!(!body.is_empty());
    }
    assert_eq!(lookups(&r).await.0, 0, "no hit");
    assert_eq!(state.responses.size().0, 0, "nothing kept");
    // A page is kept.
    get(&r, "/events?limit=2", &[]).await;
    assert_eq!(state.responses.size().0, 1);
}

#[tokio::test]
async fn no_response_cache_when_turned_off() {
    let app = fixtures_app_sqlite().await;
    let (r, state) = router_with(
        &app,
        OpsConfig {
            response_cache_bytes: 0,
            ..OpsConfig::default()
        },
    );
    for _ in 0..3 {
        assert_eq!(get(&r, "/events?limit=2", &[]).await.0, 200);
    }
    assert_eq!(lookups(&r).await, (0, 0));
    assert_eq!(state.responses.size(), (0, 0));
}

#[tokio::test]
async fn another_instances_write_is_seen_within_the_version_ttl_and_a_local_write_at_once() {
    for app in apps().await {
        let ttl = Duration::from_millis(400);
        let (r, _) = router_with(
            &app,
            OpsConfig {
                version_ttl: ttl,
                ..OpsConfig::default()
            },
        );
        let uri = "/events?region=sumy";
        let (_, h0, _) = get(&r, uri, &[]).await;
        // Another instance (the store directly) writes: within the TTL this one may
        // still answer from its version; after it, never.
        app.ingest(&sumy_article(4)).await;
        tokio::time::sleep(ttl + Duration::from_millis(100)).await;
        let (_, h1, b1) = get(&r, uri, &[]).await;
        assert_ne!(
            h1["etag"], h0["etag"],
            "{}: seen after the TTL",
            app.backend
        );
        assert!(String::from_utf8_lossy(&b1).contains("Sumy"));

        // A write through this instance is seen by its next read.
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let body = serde_json::json!({
            "url": "https://fixtures.linimasa.example/en/sumy-post",
            "language": "en",
            "published_at": "2024-09-08",
            "text": "On 7 September 2024, Russian drones struck the Sumy region, the governor said."
        });
        let (s, _, _) = send(
            &r,
            Request::post("/articles")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {key}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
        assert_eq!(s, 201, "{}", app.backend);
        let (_, h2, _) = get(&r, uri, &[]).await;
        assert_ne!(h2["etag"], h1["etag"], "{}: seen at once", app.backend);
    }
}

#[tokio::test]
async fn the_cache_answers_many_readers_at_once_with_one_page() {
    let app = fixtures_app_sqlite().await;
    let r = shared_router(&app);
    let (_, _, first) = get(&r, "/events?region=kursk", &[]).await;
    for (s, body) in concurrently(&r, "/events?region=kursk", 32).await {
        assert_eq!(s, 200);
        assert_eq!(body, first);
    }
}

#[tokio::test]
async fn readers_missing_the_same_page_at_once_share_one_computation() {
    let app = fixtures_app_sqlite().await;
    let r = shared_router(&app);
    // Warm the data version so every reader below asks for the same key.
    get(&r, "/healthz", &[]).await;
    let (hits0, misses0) = lookups(&r).await;
    let pages = concurrently(&r, "/events?region=kherson", 32).await;
    assert!(pages.iter().all(|(s, _)| *s == 200));
    assert!(
        pages.windows(2).all(|w| w[0].1 == w[1].1),
        "one page for all"
    );
    let (hits, misses, coalesced) = cache_counters(&r).await;
    assert_eq!((hits - hits0) + (misses - misses0), 32);
    // One request computed the page; every other one was a hit or waited for it (how
    // many of each depends on scheduling; `cache::tests` checks the waiting itself).
    assert_eq!(
        (misses - misses0) - coalesced,
        1,
        "hits {hits}, misses {misses}, coalesced {coalesced}"
    );
}
