//! Security: size limits on query strings and article fields, NUL characters, SQL
//! injection payloads in every parameter, hidden events in every output, and API keys
//! (random, stored hashed, never logged).

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use serde_json::{Value, json};
use sqlx::Connection;
use tower::ServiceExt;

use crate::common::*;

/// Any response as (status, content type, body text).
async fn raw(app: &TestApp, req: Request<Body>) -> (u16, String, String) {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 26)
        .await
        .unwrap();
    (status, ct, String::from_utf8_lossy(&bytes).into_owned())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn article(url: &str) -> Value {
    json!({"url": url, "language": "en", "published_at": "2024-08-10",
           "text": "On 6 August 2024, Ukrainian forces launched an offensive into Russia's Kursk region."})
}

#[tokio::test]
async fn query_strings_over_8_kib_are_414() {
    let app = app().await;
    let at = |n: usize| format!("/events?q={}", "a".repeat(n - 2));
    let (status, ct, body) = raw(&app, get(&at(8 * 1024 + 1))).await;
    assert_eq!(status, 414, "{body}");
    assert_eq!(ct, "application/problem+json");
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["parameter"], "query");
    // At the limit the request is read (and this one refused for its long word).
    let (status, _, body) = raw(&app, get(&at(8 * 1024))).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"parameter\":\"q\""), "{body}");
    for path in [
        "/facets",
        "/histogram",
        "/regions",
        "/events.csv",
        "/embed/timeline",
    ] {
        let uri = format!("{path}?q={}", "b".repeat(9000));
        assert_eq!(raw(&app, get(&uri)).await.0, 414, "{path}");
    }
}

#[tokio::test]
async fn article_fields_over_their_limits_are_400_naming_the_field() {
    for app in apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let base = article("https://security.linimasa.example/a");
        let cases: Vec<(&str, Value)> = vec![
            (
                "url",
                json!(format!("https://x.example/{}", "p".repeat(2048))),
            ),
            ("title", json!("T".repeat(1001))),
            ("publisher", json!("P".repeat(201))),
            ("published_at", json!("2".repeat(201))),
            ("language", json!("e".repeat(201))),
            ("title", json!("a NUL \u{0} in the title")),
            ("publisher", json!("an escape \u{1b}[31m")),
            ("language", json!("en\n")),
            ("url", json!("https://x.example/\u{0}")),
        ];
        for (field, value) in cases {
            let mut body = base.clone();
            body[field] = value;
            let r = app.request(post_article(&key, &body)).await;
            assert_problem(&r, 400, Some(field));
            assert!(
                r.body["detail"].as_str().unwrap().contains(field),
                "{}",
                r.body
            );
        }
        // Within the limits it is stored, and a title at the limit is kept whole.
        let mut ok = base.clone();
        ok["title"] = json!("T".repeat(1000));
        let r = app.request(post_article(&key, &ok)).await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["article"]["title"].as_str().unwrap().len(), 1000);
        let stored: i64 = {
            let mut c = sqlx::AnyConnection::connect(&app.database_url)
                .await
                .unwrap();
            sqlx::query_scalar("SELECT COUNT(*) FROM articles")
                .fetch_one(&mut c)
                .await
                .unwrap()
        };
        assert_eq!(stored, 1, "{}: only the good article", app.backend);
    }
}

#[tokio::test]
async fn nul_in_a_parameter_is_400_naming_it_and_in_a_path_404() {
    for app in fixtures_apps().await {
        for (uri, param) in [
            ("/events?q=a%00b", "q"),
            ("/events?source=x%00", "source"),
            ("/events?region=kursk%00", "region"),
            ("/facets?actor=%00", "actor"),
            ("/histogram?q=%00&interval=day", "q"),
            ("/events.csv?q=%00", "q"),
            ("/events?cursor=%00", "cursor"),
            ("/events?%00=1", "query"),
        ] {
            let r = app.get(uri).await;
            assert_problem(&r, 400, Some(param));
        }
        for uri in [
            "/events/evt_%00",
            "/articles/%00",
            "/regions/kursk%00",
            "/timelines/a%00b",
            "/events/evt_%00/history",
        ] {
            assert_problem(&app.get(uri).await, 404, None);
        }
    }
}

const INJECTIONS: [&str; 9] = [
    "' OR '1'='1",
    "1; DROP TABLE events; --",
    "\" OR 1=1 --",
    "%' UNION SELECT doc FROM events --",
    "kursk') OR ('a'='a",
    "*",
    "NEAR(a b) OR x*",
    "\\",
    "$1",
];

#[tokio::test]
async fn sql_injection_payloads_in_every_parameter_change_nothing() {
    // Every parameter the API knows, so a new one is covered as soon as it exists.
    let params = linimasa::api::params::KNOWN;
    for app in fixtures_apps().await {
        let all = app.events("/events?limit=1000").await;
        assert!(!all.is_empty());
        for payload in INJECTIONS {
            let enc: String = url_encode(payload);
            for p in params {
                for path in ["/events", "/facets", "/events.csv"] {
                    let (status, _, body) = raw(&app, get(&format!("{path}?{p}={enc}"))).await;
                    assert!(
                        status == 200 || status == 400,
                        "{} {path}?{p}={payload}: {status} {body}",
                        app.backend
                    );
                    if status == 200 && path == "/events" {
                        let n = serde_json::from_str::<Value>(&body).unwrap()["events"]
                            .as_array()
                            .unwrap()
                            .len();
                        // Free text and publisher domains match nothing here: the
                        // payload was a value, not SQL.
                        let words = payload.chars().any(char::is_alphanumeric);
                        if p == "source" || (p == "q" && words) {
                            assert_eq!(n, 0, "{} {p}={payload} matched {n}", app.backend);
                        }
                    }
                }
            }
            for path in [
                "/events/",
                "/articles/",
                "/regions/",
                "/timelines/",
                "/events.csv?region=",
            ] {
                let (status, _, body) = raw(&app, get(&format!("{path}{enc}"))).await;
                assert!(
                    matches!(status, 400 | 404),
                    "{} {path}{payload}: {status} {body}",
                    app.backend
                );
            }
        }
        assert_eq!(
            app.events("/events?limit=1000").await,
            all,
            "{}",
            app.backend
        );

        // Payloads in a written article are stored as text, and read back as text.
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let mut a = article("https://security.linimasa.example/'); DROP TABLE events; --");
        a["title"] = json!("Robert'); DROP TABLE articles; --");
        a["publisher"] = json!("' OR '1'='1");
        let r = app.request(post_article(&key, &a)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.body["article"]["id"].as_str().unwrap();
        let back = app.get(&format!("/articles/{id}")).await;
        assert_eq!(back.body["title"], "Robert'); DROP TABLE articles; --");
        assert_eq!(back.body["publisher"], "' OR '1'='1");
        assert!(app.events("/events?limit=1000").await.len() >= all.len());
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_hidden_event_leaks_from_no_output() {
    for app in apps_with(&["01-kursk-offensive.json", "03-kherson.json"]).await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let kherson = app.events("/events?region=kherson").await;
        let id = kherson[0]["id"].as_str().unwrap().to_string();
        let article_id = kherson[0]["sources"][0]["article_id"]
            .as_str()
            .unwrap()
            .to_string();
        let secret = "Unpublished correction text";
        let hide = Request::patch(format!("/events/{id}"))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {key}"))
            .body(Body::from(
                json!({"status": "hidden", "title": secret}).to_string(),
            ))
            .unwrap();
        assert_eq!(app.request(hide).await.status, 200);
        for uri in [
            "/events?limit=1000".to_string(),
            "/events.csv".into(),
            "/events.ndjson".into(),
            "/events.geojson".into(),
            "/events.timeline.json".into(),
            "/events.ics".into(),
            format!("/events?q={}", url_encode(secret)),
            "/events?region=kherson".into(),
            format!("/articles/{article_id}"),
            "/embed/timeline?region=kherson".into(),
        ] {
            let (status, _, body) = raw(&app, get(&uri)).await;
            assert_eq!(status, 200, "{uri}");
            assert!(
                !body.contains(&id) && !body.contains(secret),
                "{} {uri} leaks the hidden event",
                app.backend
            );
        }
        for uri in [format!("/events/{id}"), format!("/events/{id}/history")] {
            assert_problem(&app.get(&uri).await, 404, None);
        }
        let facets = app.get("/facets?region=kherson").await;
        assert_eq!(facets.status, 200);
        assert!(
            !facets.body.to_string().contains("UA-65\",\"count\":1"),
            "{}",
            facets.body
        );
        let h = app.get("/histogram?region=kherson&interval=year").await;
        let total: i64 = h.body["buckets"]
            .as_array()
            .map(|b| b.iter().filter_map(|x| x["count"].as_i64()).sum())
            .unwrap_or(0);
        assert_eq!(total, 0, "{}", h.body);
    }
}

#[tokio::test]
async fn keys_are_256_bit_random_and_stored_only_as_a_digest() {
    for app in apps().await {
        let (a, secret_a) = app.store.create_key("one").await.unwrap();
        let (_, secret_b) = app.store.create_key("two").await.unwrap();
        assert_ne!(secret_a, secret_b);
        for s in [&secret_a, &secret_b] {
            let bits = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s.strip_prefix("lm_").unwrap())
                .unwrap();
            assert_eq!(bits.len(), 32, "256 bits");
        }
        let mut c = sqlx::AnyConnection::connect(&app.database_url)
            .await
            .unwrap();
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, name, hash FROM api_keys ORDER BY name")
                .fetch_all(&mut c)
                .await
                .unwrap();
        let dump = format!("{rows:?}");
        assert!(
            !dump.contains(&secret_a) && !dump.contains(&secret_b[3..]),
            "{dump}"
        );
        assert_eq!(rows[0].2, linimasa::store::key_hash(&secret_a));
        assert_eq!(rows[0].2.len(), 64, "SHA-256, hex");
        assert_eq!(rows[0].0, a.id);
        // A key differing in its last character, or a prefix of it, is not the key.
        let mut near = secret_a.clone();
        let last = near.pop().unwrap();
        let other = if last == 'A' { 'B' } else { 'A' };
        for wrong in [
            near.clone(),
            format!("{near}{other}"),
            secret_a[..20].to_string(),
        ] {
            assert!(app.store.authenticate(&wrong).await.unwrap().is_none());
        }
        assert!(app.store.authenticate(&secret_a).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn keys_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("k.db").display());
    let bin = env!("CARGO_BIN_EXE_linimasa");
    let created = std::process::Command::new(bin)
        .args(["keys", "--database-url", &url, "create", "--name", "desk"])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(created.status.success());
    let key = String::from_utf8(created.stdout)
        .unwrap()
        .trim()
        .to_string();
    assert!(key.starts_with("lm_"));
    let port = crate::ops::free_port().unwrap();
    let mut child = std::process::Command::new(bin)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &url,
        ])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let send = |auth: &str, body: &str| -> Option<u16> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        let req = format!(
            "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        out.split(' ').nth(1)?.parse().ok()
    };
    let body = article("https://security.linimasa.example/logged").to_string();
    let mut status = None;
    for _ in 0..100 {
        status = send(&key, &body);
        if status.is_some_and(|s| s != 503) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(status, Some(201));
    let other = if key.ends_with('x') { 'y' } else { 'x' };
    let wrong = format!("{}{other}", &key[..key.len() - 1]);
    assert_eq!(send(&wrong, &body), Some(401));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        log.contains("article ingested"),
        "the log was captured: {log}"
    );
    let hash = linimasa::store::key_hash(&key);
    for secret in [&key[3..], &wrong[3..], &hash[..]] {
        assert!(!log.contains(secret), "a key reached the log");
    }
}

#[tokio::test]
async fn article_fields_cannot_inject_ical_lines_or_csv_formulas() {
    let app = app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let bad = article("https://security.linimasa.example/x\r\nBEGIN:VEVENT\r\nSUMMARY:pwned");
    assert_problem(
        &app.request(post_article(&key, &bad)).await,
        400,
        Some("url"),
    );
    let a = article("=HYPERLINK(\"http://evil.example\")");
    let r = app.request(post_article(&key, &a)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["events"][0]["id"].as_str().unwrap().to_string();
    // A correction's title with line breaks stays one iCalendar property.
    let fix = Request::patch(format!("/events/{id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(
            json!({"title": "Offensive\r\nBEGIN:VEVENT\r\nSUMMARY:pwned"}).to_string(),
        ))
        .unwrap();
    let patched = app.request(fix).await.status;
    let n = app.events("/events").await.len();
    let (status, _, ics) = raw(&app, get("/events.ics")).await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        n,
        "PATCH {patched}: {ics}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("SUMMARY:pwned")),
        "{ics}"
    );
    let (_, _, csv) = raw(&app, get("/events.csv")).await;
    assert!(csv.contains("HYPERLINK"), "the URL is exported: {csv}");
    assert!(
        !csv.split(['\n', ','])
            .any(|cell| cell.trim_start_matches('"').starts_with("=HYPERLINK")),
        "no cell starts a formula: {csv}"
    );
}

fn with_key(method: &str, uri: &str, key: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Issue 20 (7): NUL and control characters in corrections and saved timelines were
/// stored on SQLite (PATCH 200, PUT 201, then a raw NUL in `.ics`, `.csv` and the
/// embed page's `<title>`) and refused by PostgreSQL without naming the field. Every
/// write body now goes through one check that names the field, on both backends; an
/// article's body loses its stray control characters instead of being refused.
#[tokio::test]
async fn control_characters_in_write_bodies_are_400_naming_the_field() {
    for app in apps_with(&["01-kursk-offensive.json"]).await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let id = app.events("/events").await[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let patch = format!("/events/{id}");
        for (body, field) in [
            (json!({"title": "a\u{0}b"}), "title"),
            (json!({"title": "two\nlines"}), "title"),
            (json!({"summary": "a bell \u{7}"}), "summary"),
            (json!({"summary": "a C1 \u{85} next line"}), "summary"),
            (json!({"regions": ["kursk\u{0}"]}), "regions"),
            (json!({"actors": ["\u{0}"]}), "actors"),
            (json!({"date": "2024-08\u{0}"}), "date"),
        ] {
            let r = app.request(with_key("PATCH", &patch, &key, &body)).await;
            assert_problem(&r, 400, Some(field));
            assert!(
                r.body["detail"].as_str().unwrap().contains(field),
                "{}",
                r.body
            );
        }
        let r = app
            .request(with_key(
                "PATCH",
                &patch,
                &key,
                &json!({"summary": "two\nlines\tkept"}),
            ))
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);

        for (body, field) in [
            (
                json!({"title": "a\u{0}b", "filter": "region=kursk"}),
                "title",
            ),
            (json!({"title": "a\nb", "filter": "region=kursk"}), "title"),
            (
                json!({"title": "t", "description": "\u{0}", "filter": "region=kursk"}),
                "description",
            ),
            (
                json!({"title": "t", "filter": "region=kursk\u{1}"}),
                "filter",
            ),
        ] {
            let r = app
                .request(with_key("PUT", "/timelines/ctl", &key, &body))
                .await;
            assert_problem(&r, 400, Some(field));
        }
        let ok = json!({"title": "Kursk", "description": "line one\nline two", "filter": "region=kursk"});
        let r = app
            .request(with_key("PUT", "/timelines/ctl", &key, &ok))
            .await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);

        // An article's body: stray control characters go, the article is stored.
        let mut a = article("https://security.linimasa.example/controls");
        a["text"] = json!(
            "On 6 August 2024, Ukrainian\u{0} forces\u{b} launched an offensive into Russia's Kursk\u{85} region."
        );
        let r = app.request(post_article(&key, &a)).await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        let text = r.body["article"]["text"].as_str().unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("Ukrainian forces launched"), "{text:?}");

        // Nothing raw reached the exports.
        for uri in [
            "/events.csv",
            "/events.ics",
            "/timelines/ctl.ics",
            "/timelines/ctl.csv",
        ] {
            let (status, _, body) = raw(&app, get(uri)).await;
            assert_eq!(status, 200, "{uri}");
            assert!(!body.contains('\0') && !body.contains('\u{7}'), "{uri}");
        }
    }
}
