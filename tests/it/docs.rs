//! Stored docs (migration 0008): an event's doc holds its sources, and a page of
//! `GET /events` is written from the docs without parsing them. What a page says of
//! an event must stay what the event's own resource says, through merges, edits and
//! the rewrite of docs stored before the migration, on both backends.

use serde_json::Value;
use sqlx::{Connection, Row};

use linimasa::ingest::Defaults;

use crate::common::{TestApp, apps, fixtures_apps, manifest};

/// Every visible event, as the JSON page has it and as `GET /events/{id}` has it.
async fn page_and_resources(app: &TestApp) -> (Vec<Value>, Vec<Value>) {
    let page = app.events("/events?limit=1000").await;
    let mut own = Vec::new();
    for e in &page {
        let id = e["id"].as_str().expect("id");
        let r = app.get(&format!("/events/{id}")).await;
        assert_eq!(r.status, 200, "{} /events/{id}", app.backend);
        own.push(r.body);
    }
    (page, own)
}

/// Every visible event, as `/events.ndjson` streams them.
async fn ndjson(app: &TestApp) -> Vec<Value> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get("/events.ndjson")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("router answers");
    assert_eq!(res.status(), 200);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON event per line"))
        .collect()
}

async fn connect(app: &TestApp) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(&app.database_url)
        .await
        .expect("connect")
}

async fn docs_without_sources(app: &TestApp) -> i64 {
    let mut c = connect(app).await;
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE doc_sources = 0")
        .fetch_one(&mut c)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_page_says_of_each_event_what_its_own_resource_says() {
    for app in fixtures_apps().await {
        let (page, own) = page_and_resources(&app).await;
        assert!(page.len() >= 5, "{}: {} events", app.backend, page.len());
        assert_eq!(page, own, "{}", app.backend);
        assert_eq!(
            ndjson(&app).await,
            page,
            "{}: the export says the same",
            app.backend
        );
        let merged = page
            .iter()
            .filter(|e| e["sources"].as_array().is_some_and(|s| s.len() > 1))
            .count();
        assert!(
            merged > 0,
            "{}: the fixtures hold merged events",
            app.backend
        );
        assert!(
            page.iter()
                .all(|e| e["sources"].as_array().is_some_and(|s| !s.is_empty())),
            "{}: every event has its sources",
            app.backend
        );
        // An edit changes the doc, the status and the time stamp: the page follows.
        let id = page[0]["id"].as_str().expect("id").to_string();
        let (_, key) = app.store.create_key("docs test").await.expect("key");
        let r = app
            .request(
                axum::http::Request::patch(format!("/events/{id}"))
                    .header("authorization", format!("Bearer {key}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(r#"{"title": "Edited title"}"#))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        let (page2, own2) = page_and_resources(&app).await;
        assert_eq!(page2, own2, "{}", app.backend);
        let edited = page2
            .iter()
            .find(|e| e["id"] == id.as_str())
            .expect("edited");
        assert_eq!(edited["title"], "Edited title");
        assert_eq!(edited["status"], "edited");
        assert_eq!(edited["sources"], page[0]["sources"]);
        assert_eq!(docs_without_sources(&app).await, 0, "{}", app.backend);
    }
}

#[tokio::test]
async fn docs_stored_before_the_migration_are_read_and_then_rewritten_with_their_sources() {
    for app in fixtures_apps().await {
        let (before, _) = page_and_resources(&app).await;
        // Make every doc what it was before migration 0008: no sources in it.
        let mut c = connect(&app).await;
        let rows = sqlx::query("SELECT id, doc FROM events")
            .fetch_all(&mut c)
            .await
            .expect("docs");
        for r in &rows {
            let id: String = r.get("id");
            let mut doc: Value = serde_json::from_str(r.get("doc")).expect("doc");
            assert!(!doc["sources"].as_array().expect("sources").is_empty());
            doc["sources"] = Value::Array(Vec::new());
            sqlx::query("UPDATE events SET doc = $1, doc_sources = 0 WHERE id = $2")
                .bind(doc.to_string())
                .bind(&id)
                .execute(&mut c)
                .await
                .expect("old doc");
        }
        assert_eq!(
            docs_without_sources(&app).await,
            rows.len() as i64,
            "{}",
            app.backend
        );
        // Read the slow way (sources from their table): the same answers.
        let (old, own) = page_and_resources(&app).await;
        assert_eq!(old, before, "{}", app.backend);
        assert_eq!(ndjson(&app).await, before, "{}", app.backend);
        assert_eq!(own, before, "{}", app.backend);
        // The next start rewrites them.
        app.store.migrate().await.expect("migrate");
        assert_eq!(docs_without_sources(&app).await, 0, "{}", app.backend);
        let (after, own) = page_and_resources(&app).await;
        assert_eq!(after, before, "{}", app.backend);
        assert_eq!(own, before, "{}", app.backend);
        let doc: String = sqlx::query_scalar("SELECT doc FROM events LIMIT 1")
            .fetch_one(&mut c)
            .await
            .expect("doc");
        let doc: Value = serde_json::from_str(&doc).expect("doc");
        assert!(!doc["sources"].as_array().expect("sources").is_empty());
    }
}

#[tokio::test]
async fn an_edit_made_from_an_event_read_before_a_merge_keeps_the_merged_source() {
    let dir = manifest().join("tests/fixtures/articles");
    for app in apps().await {
        app.ingest_file(&dir.join("01-kursk-offensive.json"), &Defaults::default())
            .await;
        let first = app.events("/events?region=kursk").await;
        let id = first[0]["id"].as_str().expect("id").to_string();
        let stale = app
            .store
            .get_event_any(&id)
            .await
            .expect("read")
            .expect("event");
        // Another report of the same offensive: a source more for the event.
        let o = app
            .ingest_file(
                &dir.join("02-kursk-offensive-again.json"),
                &Defaults::default(),
            )
            .await;
        assert!(o.merged.contains(&id), "{}: {o:?}", app.backend);
        let merged = app.get(&format!("/events/{id}")).await.body;
        let n = merged["sources"].as_array().expect("sources").len();
        assert_eq!(n, stale.sources.len() + 1, "{}", app.backend);
        // The edit was prepared from the copy read before the merge.
        let mut edited = stale.clone();
        edited.title = "Edited before the merge was seen".into();
        let changes = serde_json::json!({"title": edited.title});
        assert!(
            app.store
                .update_event(&edited, &changes, "docs test")
                .await
                .expect("update")
        );
        let (page, own) = page_and_resources(&app).await;
        assert_eq!(page, own, "{}", app.backend);
        let after = own.iter().find(|e| e["id"] == id.as_str()).expect("event");
        assert_eq!(after["title"], "Edited before the merge was seen");
        assert_eq!(after["sources"], merged["sources"], "{}", app.backend);
    }
}

/// A page's raw body and its `Content-Length`.
async fn raw_page(app: &TestApp, uri: &str) -> (String, Option<String>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get(uri)
                .header("accept-encoding", "identity")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("router answers");
    assert_eq!(res.status(), 200, "{} {uri}", app.backend);
    let length = res
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (String::from_utf8(bytes.to_vec()).expect("UTF-8"), length)
}

#[tokio::test]
async fn a_page_is_byte_for_byte_what_serde_writes_of_the_events_read_the_slow_way() {
    // The page is spliced from the stored docs (on PostgreSQL read on the driver itself,
    // on SQLite through the C API) and sent in pieces; each event read the slow way (its
    // doc parsed, sources from their table) and serialised by serde must give the same
    // bytes, and the length header the body's length.
    for app in fixtures_apps().await {
        for uri in ["/events?limit=1000", "/events?limit=2&sort=-date"] {
            let (body, length) = raw_page(&app, uri).await;
            assert_eq!(
                length,
                Some(body.len().to_string()),
                "{} {uri}",
                app.backend
            );
            let page: Value = serde_json::from_str(&body).expect("JSON");
            let mut events = Vec::new();
            for e in page["events"].as_array().expect("events") {
                let id = e["id"].as_str().expect("id");
                let ev = app.store.get_event(id).await.expect("read").expect("event");
                events.push(serde_json::to_string(&ev).expect("serialises"));
            }
            assert!(!events.is_empty(), "{} {uri}", app.backend);
            // Written by hand after the events: the rest of the page as serde has it.
            let tail = format!(
                "],\"next_cursor\":{},\"next\":{}}}",
                page["next_cursor"], page["next"]
            );
            let want = format!("{{\"events\":[{}{tail}", events.join(","));
            assert_eq!(body, want, "{} {uri}", app.backend);
        }
        // Texts in more than one script went through (the fixtures' languages).
        let (body, _) = raw_page(&app, "/events?limit=1000").await;
        assert!(
            body.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)),
            "{}",
            app.backend
        );
    }
}
