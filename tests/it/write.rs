//! The write API: keys, POST /articles, PATCH /events/{id}, history, corrections that
//! survive re-ingestion, and the change feed.

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};

use crate::common::*;

fn post(uri: &str, key: Option<&str>, body: String) -> Request<Body> {
    let mut r = Request::post(uri).header("content-type", "application/json");
    if let Some(k) = key {
        r = r.header("authorization", format!("Bearer {k}"));
    }
    r.body(Body::from(body)).unwrap()
}

fn patch(uri: &str, key: &str, body: Value) -> Request<Body> {
    Request::patch(uri)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn article() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(manifest().join("tests/fixtures/articles/03-kherson.json"))
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn writes_need_a_valid_key_and_reads_do_not() {
    for app in apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        assert!(
            key.starts_with("lm_") && key.len() >= 46,
            "256-bit key: {key}"
        );
        for k in [None, Some("lm_wrong"), Some("")] {
            let r = app
                .request(post("/articles", k, article().to_string()))
                .await;
            assert_problem(&r, 401, None);
            assert_eq!(r.headers.get("www-authenticate").unwrap(), "Bearer");
        }
        assert!(
            app.events("/events").await.is_empty(),
            "{}: nothing stored",
            app.backend
        );
        let ok = app
            .request(post("/articles", Some(&key), article().to_string()))
            .await;
        assert_eq!(ok.status, 201, "{}", ok.body);

        let keys = app.store.list_keys().await.unwrap();
        assert!(app.store.revoke_key(&keys[0].id).await.unwrap());
        let revoked = app
            .request(post("/articles", Some(&key), article().to_string()))
            .await;
        assert_problem(&revoked, 401, None);
    }
}

#[tokio::test]
async fn post_articles_stores_once_and_returns_the_events() {
    for app in apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let r = app
            .request(post("/articles", Some(&key), article().to_string()))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["outcome"]["duplicate"], false);
        let events = r.body["events"].as_array().unwrap();
        assert!(
            events
                .iter()
                .any(|e| e["date"] == "2022-11-11" && has_region(e, "UA-65")),
            "{events:#?}"
        );
        assert_eq!(
            r.body["article"]["url"],
            "https://fixtures.linimasa.example/id/kherson"
        );

        let again = app
            .request(post("/articles", Some(&key), article().to_string()))
            .await;
        assert_eq!(again.status, 200);
        assert_eq!(again.body["outcome"]["duplicate"], true);
        assert_eq!(again.body["article"]["id"], r.body["article"]["id"]);
        assert_eq!(app.events("/events").await.len(), events.len());
    }
}

#[tokio::test]
async fn bad_articles_are_refused_and_store_nothing() {
    for app in apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let huge = json!({"text": "Pada 6 Agustus 2024 pasukan menyerang. ".repeat(80_000), "published_at": "2024-08-07"});
        for (body, status) in [
            ("{not json".to_string(), 400),
            (json!({"text": "x", "colour": "red"}).to_string(), 400),
            (json!({"published_at": "2024-08-07"}).to_string(), 400),
            (
                json!({"text": "Serangan.", "published_at": "kemarin"}).to_string(),
                400,
            ),
            (json!({"text": "   "}).to_string(), 400),
            (json!({"text": "x", "language": "tlh"}).to_string(), 400),
            (huge.to_string(), 413),
        ] {
            let r = app
                .request(post("/articles", Some(&key), body.clone()))
                .await;
            assert_problem(&r, status, None);
        }
        let wrong_type = Request::post("/articles")
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "text/plain")
            .body(Body::from(article().to_string()))
            .unwrap();
        assert_problem(&app.request(wrong_type).await, 415, None);
        assert!(
            app.events("/events").await.is_empty(),
            "{}: store unchanged",
            app.backend
        );
    }
}

#[tokio::test]
async fn corrections_are_recorded_and_survive_reingestion() {
    for app in apps_with(&["01-kursk-offensive.json"]).await {
        let (_, key) = app.store.create_key("Ana (data desk)").await.unwrap();
        let sumy = app.events("/events?region=sumy").await;
        let id = sumy[0]["id"].as_str().unwrap().to_string();

        let r = app
            .request(patch(&format!("/events/{id}"), &key, json!({"date": "2024-08", "date_precision": "month", "regions": ["UA-59", "kursk"], "title": "Shelling across the border"})))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["status"], "edited");
        assert_eq!(r.body["date"], "2024-08");
        assert!(has_region(&r.body, "RU-KRS"));
        assert_eq!(app.events("/events?region=kursk&q=Shelling").await.len(), 1);

        let h = app.get(&format!("/events/{id}/history")).await;
        let entries = h.body["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["by"], "Ana (data desk)");
        assert_eq!(entries[0]["changes"]["date"]["from"], "2024-08-08");
        assert_eq!(entries[0]["changes"]["date"]["to"], "2024-08");

        // Another article about the same incursion, and the same article again.
        app.ingest_file(
            &manifest().join("tests/fixtures/articles/02-kursk-offensive-again.json"),
            &Default::default(),
        )
        .await;
        app.ingest_file(
            &manifest().join("tests/fixtures/articles/01-kursk-offensive.json"),
            &Default::default(),
        )
        .await;
        let after = app.get(&format!("/events/{id}")).await;
        assert_eq!(after.body["title"], "Shelling across the border");
        assert_eq!(after.body["date"], "2024-08");
        assert_eq!(after.body["status"], "edited");
    }
}

#[tokio::test]
async fn hidden_events_leave_public_lists_and_sync_as_tombstones() {
    for app in apps_with(&["01-kursk-offensive.json", "03-kherson.json"]).await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let before = app.events("/events").await;
        let since = app.get("/events").await.body["events"][0]["updated_at"]
            .as_str()
            .unwrap()
            .to_string();
        let kherson = app.events("/events?region=kherson").await;
        let id = kherson[0]["id"].as_str().unwrap().to_string();

        let r = app
            .request(patch(
                &format!("/events/{id}"),
                &key,
                json!({"status": "hidden"}),
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_problem(&app.get(&format!("/events/{id}")).await, 404, None);
        assert!(app.events("/events?region=kherson").await.is_empty());
        assert_eq!(app.events("/events").await.len(), before.len() - 1);
        let regions = app.get("/regions?country=UA").await;
        let k = regions.body["regions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["iso_code"] == "UA-65")
            .unwrap()
            .clone();
        assert_eq!(k["event_count"], 0);

        let feed = app.get(&format!("/events?updated_since={since}")).await;
        assert_eq!(feed.status, 200);
        let deleted = feed.body["deleted"].as_array().unwrap();
        assert_eq!(deleted.len(), 1);
        assert_eq!(deleted[0]["id"], id.as_str());
        assert!(
            feed.body["events"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["id"] != id.as_str())
        );
        assert!(app.get("/events").await.body.get("deleted").is_none());

        // Un-hiding brings it back; bad corrections name the field.
        let back = app
            .request(patch(
                &format!("/events/{id}"),
                &key,
                json!({"status": "edited"}),
            ))
            .await;
        assert_eq!(back.status, 200);
        assert_eq!(app.events("/events?region=kherson").await.len(), 1);
        let bad = app
            .request(patch(
                &format!("/events/{id}"),
                &key,
                json!({"regions": ["kurks"]}),
            ))
            .await;
        assert_problem(&bad, 400, Some("regions"));
        assert!(
            bad.body["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "kursk")
        );
        let unknown = app
            .request(patch("/events/evt_nope", &key, json!({"status": "hidden"})))
            .await;
        assert_problem(&unknown, 404, None);
        assert_problem(
            &app.get("/events?updated_since=last%20week").await,
            400,
            Some("updated_since"),
        );
    }
}

/// `linimasa ingest` writes articles in batches: one transaction, first without
/// savepoints, and again with a savepoint per article when one fails. An article that
/// fails inside a batch is rolled back alone — its article row, events, sources and
/// kept counts — and the others are stored; a duplicate in the batch is skipped.
#[tokio::test]
async fn an_article_failing_in_a_batch_is_rolled_back_alone() {
    use linimasa::pipeline::events::ArticleInput;
    for app in apps().await {
        let input = |n: i8, region: &str| ArticleInput {
            url: Some(format!("https://fixtures.linimasa.example/en/batch-{n}")),
            title: Some(format!("Shelling in {region}")),
            published: Some(jiff::civil::date(2024, 9, n + 1)),
            language: Some("en".into()),
            text: format!(
                "On {n} September 2024, Russian forces shelled the {region} region, officials said."
            ),
            ..Default::default()
        };
        let good1 = app.extractor.extract(&input(3, "Sumy")).unwrap();
        let mut bad = app.extractor.extract(&input(5, "Kharkiv")).unwrap();
        assert!(
            !bad.events.is_empty(),
            "{}: the article makes an event",
            app.backend
        );
        bad.events[0].date = "not a date".into();
        let good2 = app.extractor.extract(&input(7, "Kherson")).unwrap();
        let results = app
            .store
            .ingest_batch(&[&good1, &bad, &good2, &good1])
            .await
            .expect("the batch commits");
        assert_eq!(results.len(), 4, "{}", app.backend);
        assert!(
            results[0].as_ref().is_ok_and(|o| !o.duplicate),
            "{}: {:?}",
            app.backend,
            results[0]
        );
        assert!(
            results[1].is_err(),
            "{}: the bad article fails",
            app.backend
        );
        assert!(
            results[2].as_ref().is_ok_and(|o| !o.duplicate),
            "{}",
            app.backend
        );
        assert!(
            results[3].as_ref().is_ok_and(|o| o.duplicate),
            "{}: stored once",
            app.backend
        );
        assert!(
            app.store
                .get_article(&good1.article_id)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            app.store
                .get_article(&good2.article_id)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            app.store
                .get_article(&bad.article_id)
                .await
                .unwrap()
                .is_none(),
            "{}: nothing of the failed article is left",
            app.backend
        );
        let page = app.get("/events?region=kharkiv").await;
        assert_eq!(
            page.body["events"].as_array().map(Vec::len),
            Some(0),
            "{}",
            app.backend
        );
        let page = app.get("/events?region=kherson").await;
        assert_eq!(
            page.body["events"].as_array().map(Vec::len),
            Some(1),
            "{}",
            app.backend
        );
        // The kept counts hold the two stored articles' events, not the failed one's
        // (the first, plain attempt at the batch wrote it before it failed).
        let all = app.get("/events").await;
        let stored = all.body["events"].as_array().map_or(0, Vec::len) as u64;
        assert!(stored >= 2, "{}: {}", app.backend, all.body);
        for (uri, want) in [("/facets", stored), ("/facets?region=kharkiv", 0)] {
            let facets = app.get(uri).await;
            assert_eq!(
                facets.body["total"].as_u64(),
                Some(want),
                "{} {uri}: {}",
                app.backend,
                facets.body
            );
        }
    }
}

/// Issue 20 (6): after an editor corrected an event's date (day → month), a later
/// report of the same strike, dated as the first was before the correction, became a
/// second event. The date as extracted is kept beside the correction and merging
/// matches on either; the correction stays. On both backends.
#[tokio::test]
async fn a_date_correction_does_not_stop_later_reports_from_merging() {
    for app in apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let report = |n: u32, text: &str| {
            json!({"url": format!("https://merge.linimasa.example/{n}"), "language": "en",
                   "published_at": "2024-11-03", "text": text})
            .to_string()
        };
        let r = app
            .request(post(
                "/articles",
                Some(&key),
                report(1, "On 2 November 2024 Russian aircraft bombed Kharkiv city, damaging several houses."),
            ))
            .await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        let added = r.body["outcome"]["added"].as_array().unwrap().clone();
        assert_eq!(added.len(), 1, "{}: {}", app.backend, r.body);
        let id = added[0].as_str().unwrap().to_string();
        assert_eq!(r.body["events"][0]["date"], "2024-11-02");

        let r = app
            .request(patch(
                &format!("/events/{id}"),
                &key,
                json!({"date": "2024-11", "date_precision": "month"}),
            ))
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);

        let r = app
            .request(post(
                "/articles",
                Some(&key),
                report(
                    2,
                    "On 2 November 2024 Russian planes bombed Kharkiv city, local officials said.",
                ),
            ))
            .await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        assert_eq!(
            r.body["outcome"]["merged"],
            json!([id]),
            "{}: one more source of the corrected event: {}",
            app.backend,
            r.body["outcome"]
        );
        assert_eq!(r.body["outcome"]["added"], json!([]), "{}", app.backend);
        let e = app.get(&format!("/events/{id}")).await;
        assert_eq!(
            e.body["sources"].as_array().unwrap().len(),
            2,
            "{}",
            app.backend
        );
        assert_eq!(e.body["date"], "2024-11", "the correction stays");
        assert_eq!(e.body["date_precision"], "month");
        assert_eq!(app.events("/events?region=kharkiv").await.len(), 1);
    }
}

/// An extraction made elsewhere (an older binary, a script) may carry an event dated in
/// year 0 or years after its article: both stores leave that event out and keep the
/// article and its other events, instead of failing the ingest.
#[tokio::test]
async fn stores_leave_out_events_no_report_can_carry() {
    use linimasa::ingest::{Defaults, parse_blob};
    let text = "Russian forces shelled Kherson on 3 May 2023, killing two civilians, officials said.\n\
        Ukrainian troops struck a Russian ammunition depot near Melitopol on 4 May 2023.\n";
    let d = Defaults {
        published: Some(jiff::civil::date(2023, 5, 5)),
        ..Defaults::default()
    };
    for app in apps().await {
        let input = parse_blob("a.txt", text.as_bytes().to_vec(), &d)
            .remove(0)
            .article
            .unwrap();
        let mut x = app.extractor.extract(&input).expect("extracts");
        assert_eq!(x.events.len(), 2, "{:?}", x.events);
        x.events[0].date = "0000-12-26".into();
        x.events[1].date = "2031-05-04".into();
        x.events.push(x.events[1].clone());
        x.events[2].date = "2023-05-04".into();
        x.events[2].id.push('x');
        let out = app.store.ingest(&x).await.expect("the ingest goes on");
        assert_eq!(out.added.len(), 1, "{}: {out:?}", app.backend);
    }
}
