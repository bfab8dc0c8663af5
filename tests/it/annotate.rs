//! `linimasa annotate` and `POST /annotate`: what the pipeline read, from the same run
//! that makes the events. On text, JSON and HTML input; on both backends' demo data,
//! whose annotated events must be the ones `serve --demo` stored; bad input refused.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::ingest::{Defaults, parse_blob};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::Extractor;
use serde_json::{Value, json};

use crate::common::*;

fn linimasa(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_linimasa"))
        .args(args)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("stdin written");
    drop(input);
    child.wait_with_output().expect("binary ends")
}

fn json_of(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// The code points of `text` from `start` to `end`.
fn slice(text: &str, start: &Value, end: &Value) -> String {
    let (s, e) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    assert!(s < e, "empty span {s}..{e}");
    text.chars().skip(s).take(e - s).collect()
}

/// Every mention's offsets slice `text` to exactly its `text`; sentences are in order
/// and each event comes from the sentence its evidence names.
fn assert_offsets_hold(a: &Value) {
    let text = a["text"].as_str().expect("text");
    for list in ["times", "places", "actors"] {
        for m in a[list].as_array().expect(list) {
            assert_eq!(
                slice(text, &m["start"], &m["end"]),
                m["text"].as_str().unwrap(),
                "{list}: {m}"
            );
        }
    }
    let sentences = a["sentences"].as_array().expect("sentences");
    let mut last = 0;
    for s in sentences {
        let start = s["start"].as_u64().unwrap();
        assert!(start >= last && s["end"].as_u64().unwrap() > start, "{s}");
        last = s["end"].as_u64().unwrap();
        let made = !s["events"].as_array().unwrap().is_empty();
        assert_eq!(made, s["reason"].is_null(), "an event or a reason: {s}");
    }
    for e in a["events"].as_array().expect("events") {
        let ev = &e["sources"][0]["evidence"];
        let from = sentences
            .iter()
            .find(|s| s["events"].as_array().unwrap().contains(&e["id"]))
            .unwrap_or_else(|| panic!("no sentence made {}", e["id"]));
        assert_eq!((&from["start"], &from["end"]), (&ev["start"], &ev["end"]));
        assert_eq!(
            slice(text, &ev["start"], &ev["end"]),
            ev["text"].as_str().unwrap()
        );
    }
}

#[test]
fn annotate_reads_text_json_and_html_and_its_events_are_extracts() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("kursk.txt");
    std::fs::write(
        &txt,
        "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region.\nThe governor spoke on Tuesday about the last two weeks.",
    )
    .unwrap();
    let json_file = manifest().join("data/demo/02-kursk-incursion-begins.json");
    let html = manifest().join("tests/fixtures/annotate/sudzha-page.html");
    let cases: [(&str, Vec<&str>); 3] = [
        (
            "text",
            vec!["--published", "2024-08-08", txt.to_str().unwrap()],
        ),
        ("json", vec![json_file.to_str().unwrap()]),
        ("html", vec![html.to_str().unwrap()]),
    ];
    for (kind, args) in cases {
        let a = json_of(&linimasa(&[&["annotate"], &args[..]].concat(), None));
        let x = json_of(&linimasa(&[&["extract"], &args[..]].concat(), None));
        assert_eq!(
            a["events"], x["events"],
            "{kind}: annotate's events are extract's"
        );
        assert_eq!(a["language"], x["language"]);
        assert_eq!(a["published"], x["published"]);
        assert!(!a["events"].as_array().unwrap().is_empty(), "{kind}: {a:#}");
        assert_offsets_hold(&a);
    }

    let a = json_of(&linimasa(
        &[
            "annotate",
            "--published",
            "2024-08-08",
            txt.to_str().unwrap(),
        ],
        None,
    ));
    let times: Vec<(&str, &str, &str)> = a["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["text"].as_str().unwrap(),
                t["type"].as_str().unwrap(),
                t["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        times,
        [
            ("6 August 2024", "DATE", "2024-08-06"),
            ("Tuesday", "DATE", "2024-08-06"),
            ("the last two weeks", "DURATION", "P2W")
        ]
    );
    assert!(
        a["places"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "region"
                && p["iso_code"] == "RU-KRS"
                && p["text"] == "Kursk region"),
        "{:#}",
        a["places"]
    );
    assert_eq!(a["sentences"][1]["reason"], "no_trigger");

    // The saved page: its date from the page, its body without navigation, the town
    // resolved with its GeoNames entry.
    let a = json_of(&linimasa(&["annotate", html.to_str().unwrap()], None));
    assert_eq!(a["published"], "2025-03-14");
    assert_eq!(a["language"], "en");
    let text = a["text"].as_str().unwrap();
    assert!(
        !text.contains("Sport") && !text.contains("football"),
        "{text}"
    );
    let sudzha = a["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["text"] == "Sudzha")
        .expect("Sudzha read");
    assert_eq!(sudzha["kind"], "town");
    assert_eq!(sudzha["geonames_id"], 486816);
    assert_eq!(sudzha["iso_code"], "RU-KRS");
    assert_eq!(sudzha["country"], "RU");
    assert!(sudzha["lat"].is_number() && sudzha["lon"].is_number());
    let dates: Vec<&str> = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert!(
        dates.contains(&"2025-03-13"),
        "\"on Thursday\" before Friday 14 March: {dates:?}"
    );

    // Standard input, as JSON.
    let body = json!({"published_at": "2024-08-08", "language": "en",
        "text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region."});
    let a = json_of(&linimasa(
        &["annotate", "-"],
        Some(body.to_string().as_bytes()),
    ));
    assert_eq!(a["events"].as_array().unwrap().len(), 1);
    assert_offsets_hold(&a);
}

#[test]
fn annotate_refuses_bad_input_with_a_message_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let missing = dir.path().join("nope.txt");
    let o = linimasa(&["annotate", missing.to_str().unwrap()], None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nope.txt"), "{}", stderr(&o));

    let o = linimasa(&["annotate", "--published", "29/04/2025", "-"], Some(b"x"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("published"), "{}", stderr(&o));

    let o = linimasa(&["annotate", "--lang", "klingon", "-"], Some(b"On Friday."));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("klingon"), "{}", stderr(&o));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"text\": 5}").unwrap();
    let o = linimasa(&["annotate", bad.to_str().unwrap()], None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));

    let o = linimasa(&["annotate", "-"], Some(b"   \n  "));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no text"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

fn post_annotate(body: &str) -> Request<Body> {
    Request::post("/annotate")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// `serve --demo` on every backend: each demo article annotated through the router
/// gives the events the store holds for it: the same ids, dates and regions, or, for
/// one another article reported first, the stored event it became a source of.
#[tokio::test]
async fn annotated_demo_articles_give_the_events_serve_demo_stored() {
    for app in apps().await {
        let loaded = linimasa::demo::ARTICLES
            .iter()
            .flat_map(|(name, json)| {
                parse_blob(name, json.as_bytes().to_vec(), &Defaults::default())
            })
            .collect();
        let extractor = Arc::new(Extractor::new(Knowledge::embedded()));
        let failed = linimasa::cli::ingest_all(&*app.store, extractor, loaded).await;
        assert_eq!(failed, 0, "{}", app.backend);
        let mut merged_seen = 0;
        for (name, json) in linimasa::demo::ARTICLES {
            let r = app.request(post_annotate(json)).await;
            assert_eq!(r.status, 200, "{} {name}: {}", app.backend, r.body);
            let a = &r.body;
            assert_offsets_hold(a);
            let article = app
                .get(&format!("/articles/{}", a["article_id"].as_str().unwrap()))
                .await;
            assert_eq!(
                article.status, 200,
                "{} {name}: {}",
                app.backend, article.body
            );
            assert_eq!(
                article.body["text"], a["text"],
                "{name}: the text evidence points into"
            );
            let stored_ids: Vec<&str> = article.body["event_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let mut stored = Vec::new();
            for id in &stored_ids {
                let e = app.get(&format!("/events/{id}")).await;
                assert_eq!(e.status, 200, "{}", e.body);
                stored.push(e.body);
            }
            let annotated = a["events"].as_array().unwrap();
            assert!(!annotated.is_empty(), "{name}");
            let mut accounted = std::collections::BTreeSet::new();
            for e in annotated {
                let evidence = &e["sources"][0]["evidence"];
                let same = |s: &&Value| {
                    s["event_type"] == e["event_type"]
                        && s["regions"] == e["regions"]
                        && s["sources"].as_array().unwrap().iter().any(|src| {
                            src["article_id"] == a["article_id"] && src["evidence"] == *evidence
                        })
                };
                let s = match stored.iter().find(|s| s["id"] == e["id"]) {
                    Some(s) => {
                        for field in [
                            "date",
                            "end_date",
                            "date_precision",
                            "event_type",
                            "regions",
                        ] {
                            assert_eq!(
                                s[field], e[field],
                                "{} {name} {}: {field}",
                                app.backend, e["id"]
                            );
                        }
                        assert!(same(&s), "{} {name}: {s:#}", app.backend);
                        s
                    }
                    None => {
                        merged_seen += 1;
                        // Merged into another article's event: not one this article's
                        // annotation gives by id (one sentence may tell two acts of
                        // one type and place, "entered on 6 August, took Sudzha in
                        // mid-August").
                        let own = |s: &&Value| annotated.iter().any(|a| a["id"] == s["id"]);
                        stored
                            .iter()
                            .filter(|s| !own(s))
                            .find(same)
                            .unwrap_or_else(|| {
                                panic!("{} {name}: {e:#} is neither stored nor merged", app.backend)
                            })
                    }
                };
                accounted.insert(s["id"].as_str().unwrap().to_string());
            }
            assert_eq!(
                accounted.len(),
                stored_ids.len(),
                "{} {name}: every stored event of the article comes from an annotated one",
                app.backend
            );
        }
        // The Kursk incursion is reported by three demo articles: one event.
        assert!(merged_seen >= 2, "{}: {merged_seen} merged", app.backend);
    }
}

#[tokio::test]
async fn post_annotate_needs_no_key_stores_nothing_and_names_the_field_at_fault() {
    let app = app().await;
    let body = json!({"published_at": "2024-08-08", "language": "en", "url": "https://example.org/k",
        "text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region."});
    let r = app.request(post_annotate(&body.to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["events"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["times"][0]["value"], "2024-08-06");
    assert_offsets_hold(&r.body);
    assert!(app.events("/events").await.is_empty(), "nothing stored");
    let stored = app
        .get(&format!(
            "/articles/{}",
            r.body["article_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored.status, 404);

    let long_title = "t".repeat(1001);
    for (body, field) in [
        (r#"{"text": 5}"#.to_string(), "body"),
        (r#"{"text": "x", "extra": 1}"#.to_string(), "body"),
        (r#"{"title": "x"}"#.to_string(), "body"),
        (
            json!({"text": "On Friday.", "published_at": "yesterday"}).to_string(),
            "published_at",
        ),
        (
            json!({"text": "On Friday.", "language": "tlh"}).to_string(),
            "language",
        ),
        (
            json!({"text": "On Friday.", "title": long_title}).to_string(),
            "title",
        ),
        (json!({"text": "  \n "}).to_string(), "body"),
        (json!({"text": "x", "html": "<p>x</p>"}).to_string(), "body"),
        ("not json".to_string(), "body"),
    ] {
        let r = app.request(post_annotate(&body)).await;
        assert_problem(&r, 400, Some(field));
    }
    // A stray control character in an article's text is dropped, as `POST /articles`
    // does, not a reason to refuse it.
    let r = app
        .request(post_annotate(&json!({"text": "a\u{0}b"}).to_string()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["text"], "ab");
    let r = app
        .request(
            Request::post("/annotate")
                .header("content-type", "text/plain")
                .body(Body::from("On Friday."))
                .unwrap(),
        )
        .await;
    assert_problem(&r, 415, None);
    // The limits of `POST /articles`: a text over its limit, a body over its own.
    let long = json!({ "text": "a".repeat(linimasa::ingest::MAX_ARTICLE_BYTES + 1) }).to_string();
    assert_problem(&app.request(post_annotate(&long)).await, 400, Some("text"));
    let huge = json!({ "text": "a".repeat(linimasa::api::MAX_BODY_BYTES) }).to_string();
    assert_problem(&app.request(post_annotate(&huge)).await, 413, None);
    assert!(
        app.events("/events").await.is_empty(),
        "still nothing stored"
    );
}

#[tokio::test]
async fn post_annotate_is_limited_as_a_read() {
    let app = app().await;
    let r = router(AppState::with_ops(
        app.store.clone(),
        Knowledge::embedded(),
        OpsConfig {
            reads_per_minute: 1,
            ..Default::default()
        },
    ));
    use tower::ServiceExt;
    let body = json!({"text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region."})
        .to_string();
    let ok = r.clone().oneshot(post_annotate(&body)).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers().get("ratelimit-remaining").unwrap(), "0");
    let limited = r.clone().oneshot(post_annotate(&body)).await.unwrap();
    assert_eq!(limited.status(), 429);
}
