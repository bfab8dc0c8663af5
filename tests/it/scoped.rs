//! Writes that change only what they can change: the facet counts kept on write agree
//! with counting the events, through ingests, merges and corrections; and an answer
//! filtered by a region keeps its ETag (and its cached entry) while another region is
//! written to, through another server on the same database.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;
use linimasa::store::{self, Count, EventQuery, Facet, IngestOutcome};
use serde_json::{Value, json};

use crate::common::*;

/// The store's counts for each scope with and without a no-op condition that keeps it
/// from answering with its kept counts (every event has a confidence of at least 0),
/// read from the store itself so that no cached response stands in for either.
async fn assert_counts_agree(app: &TestApp, why: &str) {
    let scopes = [
        EventQuery::default(),
        EventQuery {
            regions: vec!["RU-KRS".into()],
            ..Default::default()
        },
        EventQuery {
            regions: vec!["UA-59".into()],
            ..Default::default()
        },
        EventQuery {
            countries: vec!["UA".into()],
            ..Default::default()
        },
        EventQuery {
            countries: vec!["RU".into()],
            ..Default::default()
        },
    ];
    for q in scopes {
        for facet in [
            Facet::Region,
            Facet::Country,
            Facet::Actor,
            Facet::Type,
            Facet::Day,
            Facet::Week,
            Facet::Month,
            Facet::Year,
        ] {
            let sorted = |mut v: Vec<Count>| {
                v.sort_by(|a, b| a.key.cmp(&b.key));
                v
            };
            let kept = sorted(app.store.counts(&q, facet).await.unwrap());
            let counting = EventQuery {
                min_confidence: Some(0.0),
                ..q.clone()
            };
            let counted = sorted(app.store.counts(&counting, facet).await.unwrap());
            assert_eq!(
                kept, counted,
                "{} {why}: {q:?} by {facet:?}: kept counts differ from counting",
                app.backend
            );
        }
    }
}

/// Words searched within a region or a country (on SQLite one full-text query of the
/// words and the places, migration 0013) find exactly the events that the word alone
/// and the place alone both find, in the same order: the full-text rows' places and
/// dates follow ingests, merges, corrections that move an event, and hiding.
async fn assert_words_in_places_agree(app: &TestApp, why: &str) {
    let ids = |events: Vec<Value>| -> Vec<String> {
        events
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = app.events("/events?limit=500").await;
    let mut words: Vec<String> = Vec::new();
    for e in all.iter().take(6) {
        for w in e["title"].as_str().unwrap_or("").split_whitespace() {
            let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
            if w.chars().count() >= 5 && !words.contains(&w) {
                words.push(w);
                break;
            }
        }
    }
    assert!(
        words.len() >= 2,
        "{}: words from titles {words:?}",
        app.backend
    );
    // Words of the exact list (migration 0019) that some event holds: on PostgreSQL a
    // page of one of them may pass its events' texts over by the links' exact bits.
    let mut exact: Vec<&str> = store::words::exact_words().keys().copied().collect();
    exact.sort();
    let mut held = 0;
    for w in exact {
        if held < 8
            && !app
                .events(&format!("/events?q={w}&limit=1"))
                .await
                .is_empty()
        {
            words.push(w.to_string());
            held += 1;
        }
    }
    assert!(held > 0, "{}: no exact word in the store", app.backend);
    let mut found = 0;
    for place in [
        "region=kursk",
        "region=sumy",
        "region=kursk,sumy",
        "country=UA",
        "country=RU",
    ] {
        let in_place = ids(app.events(&format!("/events?{place}&limit=500")).await);
        for w in &words {
            let with_word = ids(app.events(&format!("/events?q={w}&limit=500")).await);
            let expected: Vec<String> = with_word
                .into_iter()
                .filter(|i| in_place.contains(i))
                .collect();
            for order in ["", "&sort=-date"] {
                let mut got = ids(app
                    .events(&format!("/events?{place}&q={w}&limit=500{order}"))
                    .await);
                if !order.is_empty() {
                    // Newest first is the same order reversed: (date_lo, id) descending.
                    got.reverse();
                }
                assert_eq!(got, expected, "{} {why}: {place} q={w}{order}", app.backend);
            }
            // Counted the same way: the facets of the word in the place.
            let facets = app.get(&format!("/facets?{place}&q={w}")).await;
            assert_eq!(
                facets.body["total"].as_u64(),
                Some(expected.len() as u64),
                "{} {why}: facets of {place} q={w}: {}",
                app.backend,
                facets.body
            );
            found += expected.len();
        }
    }
    assert!(
        found > 0,
        "{} {why}: some title word is in some place",
        app.backend
    );
    assert_link_words_hold_texts(app, why).await;
}

/// Every stored text of each event, by event id.
async fn event_texts(
    conn: &mut sqlx::AnyConnection,
) -> std::collections::HashMap<String, Vec<String>> {
    use sqlx::Row;
    let mut texts: std::collections::HashMap<String, Vec<String>> = Default::default();
    for r in sqlx::query("SELECT event_id, body FROM event_text")
        .fetch_all(conn)
        .await
        .unwrap()
    {
        texts
            .entry(r.get::<String, _>(0))
            .or_default()
            .push(r.get::<String, _>(1));
    }
    texts
}

/// PostgreSQL: every link row's word signature (migration 0018) holds every word of its
/// event's stored texts, so that the signature never hides an event that has the words
/// (a row may hold more: every bit when it is not known).
async fn assert_link_words_hold_texts(app: &TestApp, why: &str) {
    if app.backend != "postgres" {
        return;
    }
    use sqlx::Row;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
        .await
        .unwrap();
    let texts = event_texts(&mut conn).await;
    let mut links = 0;
    // Exact bits (migration 0019): a set bit is a word some text of the event holds as
    // a lexeme, as PostgreSQL reads it (the page then passes over its texts).
    let exact: Vec<String> = {
        let mut w: Vec<(&str, u32)> = store::words::exact_words()
            .iter()
            .map(|(w, b)| (*w, *b))
            .collect();
        w.sort_by_key(|(_, b)| *b);
        w.iter().map(|(w, b)| format!("('{w}', {b})")).collect()
    };
    for table in ["event_regions", "event_countries", "event_actors"] {
        let wrong: Vec<(String, String)> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT l.event_id, x.word FROM {table} l JOIN (VALUES {}) AS x (word, bit) \
             ON (l.w4 >> x.bit) & 1 = 1 WHERE NOT EXISTS (SELECT 1 FROM event_text t \
             WHERE t.event_id = l.event_id AND t.tsv @@ plainto_tsquery('simple', x.word))",
            exact.join(", ")
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        assert!(
            wrong.is_empty(),
            "{why}: {table} rows claim words their texts lack: {wrong:?}"
        );
    }
    for table in ["event_regions", "event_countries", "event_actors"] {
        for r in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT event_id, w0, w1, w2, w3 FROM {table}"
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap()
        {
            let id: String = r.get(0);
            let have: [i64; 4] = [r.get(1), r.get(2), r.get(3), r.get(4)];
            let want =
                store::words::signature(texts.get(&id).into_iter().flatten().map(String::as_str));
            assert!(
                (0..4).all(|i| want[i] & !have[i] == 0),
                "{why}: {table} row of {id} lacks words of its texts: {have:?} against {want:?}"
            );
            links += 1;
        }
    }
    assert!(links > 0, "{why}: no link rows");
}

/// Ingests the fixture that tells the Kursk offensive again, which merges into the
/// events the first fixture stored.
async fn ingest_the_merging_fixture(app: &TestApp) -> IngestOutcome {
    let o = app
        .ingest_file(
            &manifest().join("tests/fixtures/articles/02-kursk-offensive-again.json"),
            &Default::default(),
        )
        .await;
    assert!(!o.merged.is_empty(), "{}: the fixture merges", app.backend);
    o
}

fn patch(id: &str, key: &str, body: Value) -> Request<Body> {
    Request::patch(format!("/events/{id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn kept_facet_counts_agree_with_counting_through_merges_and_corrections() {
    for app in apps_with(&["01-kursk-offensive.json", "03-kherson.json"]).await {
        assert_counts_agree(&app, "after ingest").await;
        assert_words_in_places_agree(&app, "after ingest").await;
        let facets = app.get("/facets?region=kursk").await;
        assert!(
            facets.body["total"].as_i64().unwrap() > 0,
            "{}",
            facets.body
        );

        // The same happening from another article: merged, counted once.
        let before = app.get("/facets").await.body["total"].clone();
        let o = ingest_the_merging_fixture(&app).await;
        assert_counts_agree(&app, "after a merge").await;
        assert_words_in_places_agree(&app, "after a merge").await;
        assert_eq!(
            app.get("/facets").await.body["total"].as_i64().unwrap(),
            before.as_i64().unwrap() + o.added.len() as i64
        );

        // A correction moves an event to another region and type; hiding one drops it.
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let sumy = app.events("/events?region=sumy").await;
        let id = sumy[0]["id"].as_str().unwrap();
        let r = app
            .request(patch(
                id,
                &key,
                json!({"regions": ["kursk"], "event_type": "coerce", "date": "2024-07", "date_precision": "month"}),
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_counts_agree(&app, "after a correction").await;
        assert_words_in_places_agree(&app, "after a correction").await;
        let kursk = app.events("/events?region=kursk").await;
        let id = kursk[0]["id"].as_str().unwrap();
        let r = app
            .request(patch(id, &key, json!({"status": "hidden"})))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_counts_agree(&app, "after hiding an event").await;
        assert_words_in_places_agree(&app, "after hiding an event").await;

        // Counted again from the events (as after a bulk load): the same counts.
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
            .await
            .unwrap();
        store::counts::recount(&mut conn).await.unwrap();
        assert_counts_agree(&app, "after a recount").await;
    }
}

/// A server on its own connections to `url`, reading the versions on every request.
async fn server(url: &str) -> Router {
    let store = store::connect(url).await.expect("store");
    router(AppState::with_ops(
        store,
        Knowledge::embedded(),
        OpsConfig {
            version_ttl: Duration::ZERO,
            ..OpsConfig::default()
        },
    ))
}

async fn etag(r: &Router, uri: &str) -> String {
    use tower::ServiceExt;
    let res = r
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{uri}");
    res.headers()["etag"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_write_to_one_region_changes_its_etags_and_no_other_regions_across_servers() {
    for app in apps_with(&["01-kursk-offensive.json", "03-kherson.json"]).await {
        let (writer, reader) = (
            server(&app.database_url).await,
            server(&app.database_url).await,
        );
        let elsewhere = [
            "/events?region=kherson",
            "/events.geojson?region=kherson",
            "/facets?region=kherson",
            "/histogram?region=kherson&interval=week",
            "/events?country=UA&type=assault",
        ];
        let here = [
            "/events?region=kursk",
            "/facets?region=kursk",
            "/events?region=kursk,kherson",
            "/events?country=RU",
        ];
        let unscoped = [
            "/events",
            "/facets",
            "/regions",
            "/events?region=kherson&updated_since=2020-01-01T00:00:00Z",
        ];
        let mut before = Vec::new();
        for uri in elsewhere.iter().chain(&here).chain(&unscoped) {
            before.push(etag(&reader, uri).await);
        }

        // A Kursk article through the other server.
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let body = json!({
            "url": "https://fixtures.linimasa.example/en/kursk-drones",
            "language": "en",
            "published_at": "2024-10-03",
            "text": "On 2 October 2024, Ukrainian drones struck an ammunition depot in the Kursk region, the governor said."
        });
        let (status, _) = {
            use tower::ServiceExt;
            let res = writer
                .clone()
                .oneshot(post_article(&key, &body))
                .await
                .unwrap();
            (res.status(), ())
        };
        assert_eq!(status, 201, "{}", app.backend);

        let mut after = Vec::new();
        for uri in elsewhere.iter().chain(&here).chain(&unscoped) {
            after.push(etag(&reader, uri).await);
        }
        for (i, uri) in elsewhere.iter().chain(&here).chain(&unscoped).enumerate() {
            let unchanged = i < elsewhere.len();
            assert_eq!(
                before[i] == after[i],
                unchanged,
                "{}: {uri} {} after a Kursk write ({} -> {})",
                app.backend,
                if unchanged {
                    "must keep its ETag"
                } else {
                    "must change its ETag"
                },
                before[i],
                after[i]
            );
        }
        // The kept tag still revalidates on the other server.
        use tower::ServiceExt;
        let res = reader
            .clone()
            .oneshot(
                Request::get(elsewhere[0])
                    .header("if-none-match", &before[0])
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), 304, "{}", app.backend);
    }
}

/// A merge's new texts reach its event's word signature (PostgreSQL, migration 0018)
/// and so a page of a word within its place: a word that only the merged article
/// brings finds the merged event in its region, on both backends.
#[tokio::test]
async fn a_merge_brings_its_words_to_the_page_of_its_place() {
    for app in apps_with(&["01-kursk-offensive.json"]).await {
        let ids = |events: Vec<Value>| -> Vec<String> {
            events
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect()
        };
        let before: Vec<Value> = app.events("/events?region=kursk&limit=500").await;
        let o = ingest_the_merging_fixture(&app).await;
        assert_link_words_hold_texts(&app, "after a merge").await;
        // Words of the merged events' new sources that none of the region's events
        // held before the merge.
        let words_of = |e: &Value| -> Vec<String> {
            let mut text = e["title"].as_str().unwrap_or("").to_string();
            for s in e["sources"].as_array().into_iter().flatten() {
                text.push(' ');
                text.push_str(s["evidence"]["text"].as_str().unwrap_or(""));
                text.push(' ');
                text.push_str(s["title"].as_str().unwrap_or(""));
            }
            text.to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 6)
                .map(str::to_string)
                .collect()
        };
        let old: std::collections::HashSet<String> = before.iter().flat_map(words_of).collect();
        let mut checked = 0;
        for id in &o.merged {
            let e = app.get(&format!("/events/{id}")).await.body;
            let in_kursk = e["regions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r["iso_code"] == "RU-KRS");
            if !in_kursk {
                continue;
            }
            for w in words_of(&e)
                .into_iter()
                .filter(|w| !old.contains(w))
                .take(3)
            {
                let found = ids(app
                    .events(&format!("/events?region=kursk&q={w}&limit=500"))
                    .await);
                assert!(
                    found.contains(id),
                    "{}: {id} not found by {w:?}, a word its merge brought",
                    app.backend
                );
                checked += 1;
            }
        }
        assert!(
            checked > 0,
            "{}: a merged Kursk event with new words ({:?})",
            app.backend,
            o.merged
        );
    }
}

/// PostgreSQL: migration 0018 fills an existing store's signatures in SQL with the same
/// words and bits as the writers give in Rust (`store::words`).
#[tokio::test]
async fn the_migrations_signatures_are_the_writers() {
    use sqlx::Row;
    for app in apps_with(&["01-kursk-offensive.json", "03-kherson.json"]).await {
        if app.backend != "postgres" {
            continue;
        }
        let migration = include_str!("../../migrations/postgres/0018_link_words.sql");
        let select = migration
            .split("CREATE TEMP TABLE linimasa_event_words ON COMMIT DROP AS")
            .nth(1)
            .and_then(|s| s.split(';').next())
            .expect("the migration's signatures");
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
            .await
            .unwrap();
        let texts = event_texts(&mut conn).await;
        let rows = sqlx::query(sqlx::AssertSqlSafe(select.to_string()))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            rows.len(),
            texts.len(),
            "an event with texts without a signature"
        );
        for r in rows {
            let id: String = r.get(0);
            let sql: [i64; 4] = [r.get(1), r.get(2), r.get(3), r.get(4)];
            let rust = store::words::signature(texts[&id].iter().map(String::as_str));
            assert_eq!(sql[..], rust[..4], "{id}");
        }
        // And the links the writers wrote hold exactly that (none merged here).
        let unknown: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_regions WHERE w0 < 0 OR w1 < 0 OR w2 < 0 OR w3 < 0",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(unknown, 0, "links written without their signature");
    }
}

/// PostgreSQL: the writers' exact bits (`store::words::certain`, migration 0019) never
/// claim a word that PostgreSQL's parser does not read from the text as that lexeme
/// (`to_tsvector('simple', …)`), on many random texts made of the exact words, other
/// words, digits, non-ASCII letters and every kind of punctuation the parser treats
/// specially (hosts, e-mails, URLs, paths, tags, entities, hyphens, versions); and
/// they do claim a word set between plain spaces and commas.
#[tokio::test]
async fn exact_bits_claim_only_words_postgresql_reads() {
    use sqlx::Row;
    let Some(app) = apps_with(&["01-kursk-offensive.json"])
        .await
        .into_iter()
        .find(|a| a.backend == "postgres")
    else {
        return;
    };
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
        .await
        .unwrap();
    let exact = store::words::exact_words();
    let mut list: Vec<&str> = exact.keys().copied().collect();
    list.sort();
    let pieces: Vec<&str> = vec![
        " ",
        " ",
        " ",
        "\n",
        "-",
        "_",
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "'",
        "/",
        "\\",
        "@",
        "&",
        ";",
        "#",
        "<",
        ">",
        "=",
        "+",
        "*",
        "~",
        "%",
        "$",
        "12",
        "3.5",
        "1.2.3",
        "я",
        "é",
        "ß",
        "word",
        "dron",
        "droned",
        "http://",
        "www.",
        ".com",
        "&amp;",
        "<b>",
        "</b>",
        "<a href=\"x\">",
        "e@x.org",
        "/usr/",
        "v2",
        "-1",
        "1e5",
        "..",
        "—",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut claimed, mut texts) = (0, Vec::new());
    for _ in 0..20000 {
        let mut t = String::new();
        for _ in 0..(1 + next(12)) {
            if next(3) == 0 {
                t.push_str(list[next(list.len())]);
            } else {
                t.push_str(pieces[next(pieces.len())]);
            }
        }
        texts.push(t);
    }
    // Plain prose: every exact word in it is claimed.
    for w in &list {
        texts.push(format!("the {w}, near \"{w}\" ({w}) and {w}. then {w}"));
    }
    for chunk in texts.chunks(500) {
        let values: Vec<String> = (1..=chunk.len()).map(|i| format!("(${i}, {i})")).collect();
        let text = format!(
            "SELECT v.n, array_to_string(tsvector_to_array(to_tsvector('simple', v.t)), ' ') \
             FROM (VALUES {}) AS v (t, n) ORDER BY v.n",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(text.as_str()));
        for t in chunk {
            query = query.bind(t.clone());
        }
        for r in query.fetch_all(&mut conn).await.unwrap() {
            let n: i32 = r.get(0);
            let lexemes: String = r.get(1);
            let lexemes: Vec<&str> = lexemes.split(' ').collect();
            let t = &chunk[n as usize - 1];
            let bits = store::words::certain(t);
            for (w, bit) in exact {
                if bits >> bit & 1 == 1 {
                    claimed += 1;
                    assert!(
                        lexemes.contains(w),
                        "{t:?}: {w} claimed, PostgreSQL reads {lexemes:?}"
                    );
                }
            }
            if let Some(rest) = t.strip_prefix("the ") {
                let w = rest.split(',').next().unwrap();
                assert_ne!(bits >> exact[w] & 1, 0, "{t:?}: {w} not claimed");
            }
        }
    }
    assert!(claimed > 1000, "{claimed} claims checked");
}
