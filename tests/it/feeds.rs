//! Following feeds: a fixture server in this process serves feeds and pages and
//! misbehaves on purpose; the poller follows them; the tests read the fixture's request
//! log, what was ingested and what `GET /feeds/{id}` says, on SQLite and PostgreSQL.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use linimasa::api::{AppState, router};
use linimasa::feeds::fetch::FetchConfig;
use linimasa::feeds::poll::{self, PollConfig};
use linimasa::knowledge::Knowledge;
use linimasa::store::Store;
use serde_json::{Value, json};

use crate::common::*;

/// One request the fixture server answered.
#[derive(Debug, Clone)]
struct Logged {
    path: String,
    headers: HeaderMap,
    at: Instant,
}

#[derive(Clone, Default)]
struct Fixture {
    log: Arc<Mutex<Vec<Logged>>>,
}

impl Fixture {
    fn requests(&self, path: &str) -> Vec<Logged> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.path == path)
            .cloned()
            .collect()
    }

    fn count(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    fn all(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }
}

const KURSK_EN: &str = "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region, officials said.";

fn article_page(n: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kursk report {n}</title>\
         <meta property=\"article:published_time\" content=\"2024-08-08T09:00:00Z\"></head>\
         <body><article><h1>Kursk report {n}</h1><p>{KURSK_EN}</p>\
         <p>Report number {n} describes the first days of the incursion in detail.</p></article></body></html>"
    )
}

fn rss(items: &[(String, String)], extra: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Fixture</title><link>http://fixture/</link><description>d</description>\n",
    );
    for (guid, link) in items {
        out += &format!(
            "<item><title>Item {guid}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>Thu, 08 Aug 2024 09:00:00 GMT</pubDate>{extra}</item>\n"
        );
    }
    out + "</channel></rss>"
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// What the fixture server answers at `path` (its own address is `base`).
fn answer(path: &str, headers: &HeaderMap, base: &str, round: usize) -> Response {
    match path {
        "/robots.txt" => "User-agent: *\nDisallow: /private/\n".into_response(),
        "/rss.xml" => {
            if headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v == "\"v1\"")
            {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            let items = vec![
                ("a1".to_string(), format!("{base}/a/1")),
                ("a2".to_string(), format!("{base}/a/2")),
                ("p3".to_string(), format!("{base}/private/3")),
            ];
            let mut r = xml(rss(&items, ""));
            r.headers_mut()
                .insert(header::ETAG, "\"v1\"".parse().unwrap());
            r
        }
        // A feed whose items get new GUIDs every time, at the same URLs.
        "/guid.xml" => xml(rss(
            &[
                (format!("g1-{round}"), format!("{base}/g/1")),
                (format!("g2-{round}"), format!("{base}/g/2")),
            ],
            "",
        )),
        // Full content: the page is never fetched; the entry's date is the article's.
        "/full.xml" => {
            let body = format!(
                "<p>{KURSK_EN}</p>{}",
                "<p>The fighting went on for days along the border, according to reports from the region.</p>".repeat(20)
            )
            .replace(
                "On 6 August 2024",
                "On Tuesday",
            );
            xml(rss(
                &[("f1".to_string(), format!("{base}/never/1"))],
                &format!("<content:encoded><![CDATA[{body}]]></content:encoded>"),
            ))
        }
        "/ru.xml" => xml(rss(&[("r1".to_string(), format!("{base}/ru/1"))], "")),
        "/ru/1" => {
            let page = "<html><head><title>Курская область</title></head><body><article><p>6 августа 2024 года украинские войска начали наступление в Курской области, сообщили в Минобороны России.</p><p>Бои продолжались несколько дней.</p></article></body></html>";
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
            (
                [(header::CONTENT_TYPE, "text/html; charset=windows-1251")],
                bytes.into_owned(),
            )
                .into_response()
        }
        "/500.xml" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "/429.xml" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "3600")],
        )
            .into_response(),
        "/html.xml" => html("<!DOCTYPE html><html><body>Our news</body></html>".into()),
        "/broken.xml" => xml(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<title>x</tiitle></channel></rss>"
                .into(),
        ),
        "/slow.xml" => {
            let stream = futures_util::stream::unfold(0, |n| async move {
                if n > 0 {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from("<rss>")), n + 1))
            });
            (
                [(header::CONTENT_TYPE, "application/rss+xml")],
                Body::from_stream(stream),
            )
                .into_response()
        }
        "/loop" => (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response(),
        "/big.xml" => xml(rss(&[("b1".to_string(), format!("{base}/big"))], "")),
        // 20 MB of page, sent without a length: the cap is checked as it arrives.
        "/big" => {
            let stream = futures_util::stream::iter((0..20).map(|_| {
                Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'a'; 1024 * 1024]))
            }));
            (
                [(header::CONTENT_TYPE, "text/html")],
                Body::from_stream(stream),
            )
                .into_response()
        }
        "/pdf.xml" => xml(rss(&[("d1".to_string(), format!("{base}/doc.pdf"))], "")),
        "/doc.pdf" => ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.4").into_response(),
        p if p.starts_with("/a/") || p.starts_with("/g/") || p.starts_with("/private/") => {
            html(article_page(&p[1..]))
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts the fixture server on an ephemeral loopback port.
async fn fixture() -> (String, Fixture) {
    let fx = Fixture::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (log, b) = (fx.log.clone(), base.clone());
    let rounds = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let (log, base, rounds) = (log.clone(), b.clone(), rounds.clone());
        async move {
            let path = req.uri().path().to_string();
            let round = if path == "/guid.xml" {
                rounds.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            } else {
                0
            };
            log.lock().unwrap().push(Logged {
                path: path.clone(),
                headers: req.headers().clone(),
                at: Instant::now(),
            });
            answer(&path, req.headers(), &base, round)
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, fx)
}

fn test_poll_config() -> PollConfig {
    PollConfig {
        min_interval: Duration::from_secs(1),
        tick: Duration::from_millis(100),
        parallel: 8,
        lease: Duration::from_secs(60),
        fetch: FetchConfig {
            host_gap: Duration::from_millis(100),
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(2),
            // The fixture server is on loopback.
            allow_private: true,
            ..FetchConfig::default()
        },
    }
}

/// A server's state on `store` with its poller running.
struct Follower {
    state: AppState,
    poller: tokio::task::JoinHandle<()>,
}

impl Follower {
    fn start(store: Arc<dyn Store>) -> Self {
        let state = AppState::new(store, Knowledge::embedded());
        let poller = poll::spawn(state.clone(), test_poll_config()).expect("poller");
        Follower { state, poller }
    }

    async fn call(&self, req: Request<Body>) -> (StatusCode, Value) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = router(self.state.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn add(&self, key: &str, url: &str, interval: i64) -> String {
        let (status, body) = self
            .call(post_feed(key, &json!({"url": url, "interval_s": interval})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_string()
    }

    async fn feed(&self, key: &str, id: &str) -> Value {
        let (status, body) = self.call(get_feed(key, id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// The feed once `done` holds of it (at most 30 s).
    async fn wait(&self, key: &str, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let f = self.feed(key, id).await;
            if done(&f) {
                return f;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {what}: {f:#}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.poller.abort();
    }
}

fn post_feed(key: &str, body: &Value) -> Request<Body> {
    Request::post("/feeds")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get_feed(key: &str, id: &str) -> Request<Body> {
    Request::get(format!("/feeds/{id}"))
        .header("authorization", format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_feed_is_ingested_then_asked_for_conditionally_and_kept_across_a_restart() {
    for app in apps().await {
        let (base, fx) = fixture().await;
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let server = Follower::start(app.store.clone());
        let url = format!("{base}/rss.xml");
        let id = server.add(&key, &url, 1).await;
        // The same URL again is the same feed.
        let (status, again) = server
            .call(post_feed(&key, &json!({"url": url, "interval_s": 1})))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["id"], id.as_str());

        let f = server
            .wait(&key, &id, "two articles and a 304", |f| {
                f["articles_ingested"] == 2 && f["last_status"] == 304
            })
            .await;
        assert_eq!(f["last_error"], Value::Null, "{f:#}");
        assert_eq!(f["items_seen"], 3, "robots.txt's item is seen, not fetched");

        // Each page once; the page robots.txt disallows never; robots.txt once.
        assert_eq!(fx.count("/a/1"), 1, "{}", app.backend);
        assert_eq!(fx.count("/a/2"), 1);
        assert_eq!(fx.count("/private/3"), 0);
        assert_eq!(fx.count("/robots.txt"), 1);
        let polls = fx.requests("/rss.xml");
        assert!(polls.len() >= 2);
        assert!(polls[0].headers.get(header::IF_NONE_MATCH).is_none());
        assert_eq!(polls[1].headers[header::IF_NONE_MATCH], "\"v1\"");
        let ua = polls[0].headers[header::USER_AGENT].to_str().unwrap();
        assert!(ua.starts_with("linimasa/"), "{ua}");
        assert!(
            polls[0].headers[header::ACCEPT_ENCODING]
                .to_str()
                .unwrap()
                .contains("br")
        );
        // One host: its requests come one at a time, at least the gap apart.
        let log = fx.all();
        for w in log.windows(2) {
            assert!(
                w[1].at.duration_since(w[0].at) >= Duration::from_millis(95),
                "{} then {} too soon",
                w[0].path,
                w[1].path
            );
        }

        // Ingested as POST /articles ingests: events with their source.
        let events = app.events("/events?region=kursk").await;
        assert!(!events.is_empty(), "{}", app.backend);
        let metrics = server
            .call(Request::get("/metrics").body(Body::empty()).unwrap())
            .await;
        let _ = metrics;
        let text = {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let res = router(server.state.clone())
                .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
                .await
                .unwrap();
            String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
        };
        assert!(
            text.contains(&format!(
                "linimasa_feed_articles_ingested_total{{feed=\"{id}\"}} 2"
            )),
            "{text}"
        );
        assert!(text.contains(&format!(
            "linimasa_feed_not_modified_total{{feed=\"{id}\"}}"
        )));

        // A restart: the feed is still followed, its pages are not fetched again.
        drop(server);
        let before = fx.count("/rss.xml");
        let server = Follower::start(app.store.clone());
        let (_, list) = server
            .call(
                Request::get("/feeds")
                    .header("authorization", format!("Bearer {key}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(list["feeds"][0]["id"], id.as_str());
        let start = Instant::now();
        while fx.count("/rss.xml") < before + 2 {
            assert!(start.elapsed() < Duration::from_secs(20));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(fx.count("/a/1"), 1);
        assert_eq!(fx.count("/a/2"), 1);

        // Removed: no longer listed, no longer polled.
        let (status, _) = server
            .call(
                Request::delete(format!("/feeds/{id}"))
                    .header("authorization", format!("Bearer {key}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = server.call(get_feed(&key, &id)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gets_its_last_error_and_its_backoff_and_disturbs_nothing_else() {
    for app in apps().await {
        let (base, fx) = fixture().await;
        // The 429 on a host of its own: the whole host is left alone after it.
        let (busy, busy_fx) = fixture().await;
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let server = Follower::start(app.store.clone());
        let cases: [(&str, Option<i64>, &str); 8] = [
            ("/500.xml", Some(500), "HTTP 500"),
            ("/429.xml", Some(429), "HTTP 429"),
            ("/html.xml", Some(200), "not a feed: text/html"),
            ("/broken.xml", Some(200), "XML error at line 3"),
            ("/slow.xml", None, "timed out after 2 s"),
            ("/loop", None, "more than 5 redirects"),
            ("/big.xml", Some(200), "larger than 5 MB"),
            ("/pdf.xml", Some(200), "not HTML: application/pdf"),
        ];
        let mut ids = Vec::new();
        for (path, _, _) in &cases {
            // An item's error is said by the poll that met it; the next poll (finding
            // nothing new) clears it: these two are polled again only later.
            let interval = if path.starts_with("/big") || path.starts_with("/pdf") {
                60
            } else {
                1
            };
            let host = if *path == "/429.xml" { &busy } else { &base };
            ids.push(server.add(&key, &format!("{host}{path}"), interval).await);
        }
        let good = server.add(&key, &format!("{base}/rss.xml"), 1).await;
        for ((path, status, error), id) in cases.iter().zip(&ids) {
            let f = server
                .wait(&key, id, path, |f| {
                    f["last_error"].as_str().is_some_and(|e| e.contains(error))
                })
                .await;
            assert_eq!(f["last_status"].as_i64(), *status, "{path}: {f:#}");
            let said = f["last_error"].as_str().unwrap_or("");
            assert!(said.contains(error), "{path}: {said:?} ({})", app.backend);
            let wait = secs_between(&f["last_fetched_at"], &f["next_fetch_at"]);
            if path.ends_with("big.xml") || path.ends_with("pdf.xml") {
                // The feed is fine; the item is not fetched again.
                assert_eq!(f["failures"], 0, "{f:#}");
            } else {
                assert!(f["failures"].as_i64() >= Some(1), "{f:#}");
                assert!(wait >= 2, "{path}: backoff {wait} s");
            }
            if *path == "/429.xml" {
                assert!(wait >= 3600, "Retry-After honoured: {wait} s");
            }
        }
        // Another feed of the host that answered 429: not asked until the time is up.
        let deferred = server.add(&key, &format!("{busy}/rss.xml"), 1).await;
        let f = server
            .wait(&key, &deferred, "the deferred feed", |f| {
                !f["last_fetched_at"].is_null()
            })
            .await;
        assert!(
            f["last_error"].as_str().unwrap().contains("Retry-After"),
            "{f:#}"
        );
        assert!(secs_between(&f["last_fetched_at"], &f["next_fetch_at"]) >= 3500);
        assert_eq!(busy_fx.count("/rss.xml"), 0);
        assert_eq!(busy_fx.count("/429.xml"), 1);
        // The loop was followed five times and no more.
        assert_eq!(fx.count("/loop") % 6, 0);
        assert!(fx.count("/big") >= 1 && fx.count("/doc.pdf") >= 1);
        // The good feed kept its schedule meanwhile.
        let f = server
            .wait(&key, &good, "the good feed", |f| {
                f["articles_ingested"] == 2
            })
            .await;
        assert_eq!(f["last_error"], Value::Null);
        assert_eq!(fx.count("/big"), 1);
    }
}

fn secs_between(a: &Value, b: &Value) -> i64 {
    let t = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    };
    t(b) - t(a)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn russian_pages_full_content_and_changing_guids_are_read_once_each() {
    for app in apps().await {
        let (base, fx) = fixture().await;
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let server = Follower::start(app.store.clone());
        let ru = server.add(&key, &format!("{base}/ru.xml"), 1).await;
        let full = server.add(&key, &format!("{base}/full.xml"), 1).await;
        let guid = server.add(&key, &format!("{base}/guid.xml"), 1).await;
        server
            .wait(&key, &ru, "the Russian page", |f| {
                f["articles_ingested"] == 1
            })
            .await;
        server
            .wait(&key, &full, "the full-content item", |f| {
                f["articles_ingested"] == 1
            })
            .await;
        server
            .wait(&key, &guid, "two polls of the GUID feed", |f| {
                f["articles_ingested"] == 2
            })
            .await;
        let start = Instant::now();
        while fx.count("/guid.xml") < 3 {
            assert!(start.elapsed() < Duration::from_secs(20));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // New GUIDs at the same URLs: the pages are not fetched again.
        assert_eq!(fx.count("/g/1"), 1, "{}", app.backend);
        assert_eq!(fx.count("/g/2"), 1);
        // Full content is read from the feed.
        assert_eq!(fx.count("/never/1"), 0);

        // The windows-1251 page was decoded: its evidence is Russian text (the report
        // may have merged with the English ones of the same day and region).
        let ru_events = app.events("/events?region=kursk").await;
        let sources: Vec<&Value> = ru_events
            .iter()
            .flat_map(|e| e["sources"].as_array().unwrap())
            .collect();
        let russian = sources
            .iter()
            .find(|s| s["url"].as_str().is_some_and(|u| u.ends_with("/ru/1")))
            .unwrap_or_else(|| panic!("no source from the Russian page: {ru_events:#?}"));
        assert!(
            russian["evidence"]["text"]
                .as_str()
                .unwrap()
                .contains("Курской"),
            "{russian:#}"
        );
        // The full-content article has no date of its own: the entry's (8 Aug 2024)
        // is its publication date, and "on Tuesday" the 6th.
        let from_feed = ru_events
            .iter()
            .find(|e| {
                e["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["url"].as_str().is_some_and(|u| u.ends_with("/never/1")))
            })
            .unwrap_or_else(|| panic!("no event from the full-content feed: {ru_events:#?}"));
        let source = from_feed["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["url"].as_str().unwrap().ends_with("/never/1"))
            .unwrap();
        assert_eq!(source["published_at"], "2024-08-08", "{from_feed:#}");
        assert_eq!(from_feed["date"], "2024-08-06", "{from_feed:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_poll_each_feed_once_and_ingest_each_item_once() {
    let Some(app) = postgres_app().await else {
        return;
    };
    let (base, fx) = fixture().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let other = linimasa::store::connect(&app.database_url).await.unwrap();
    let a = Follower::start(app.store.clone());
    let b = Follower::start(other);
    let started = Instant::now();
    let rss = a.add(&key, &format!("{base}/rss.xml"), 1).await;
    let guid = b.add(&key, &format!("{base}/guid.xml"), 1).await;
    a.wait(&key, &rss, "the articles", |f| f["articles_ingested"] == 2)
        .await;
    b.wait(&key, &guid, "the articles", |f| f["articles_ingested"] == 2)
        .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    for page in ["/a/1", "/a/2", "/g/1", "/g/2"] {
        assert_eq!(fx.count(page), 1, "{page}");
    }
    // One poller per feed: with a 1 s interval (kept to the second), a feed is asked
    // for at most about once a second, not twice (once per server).
    let seconds = started.elapsed().as_secs_f64();
    for feed in ["/rss.xml", "/guid.xml"] {
        let polls = fx.count(feed) as f64;
        assert!(
            polls <= seconds + 2.0,
            "{feed} polled {polls} times in {seconds:.1} s"
        );
    }
    let f = a.feed(&key, &rss).await;
    assert_eq!(f["articles_ingested"], 2);
}

#[tokio::test]
async fn feeds_need_a_key_and_bad_fields_are_named() {
    let app = app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let r = app
        .request(Request::get("/feeds").body(Body::empty()).unwrap())
        .await;
    assert_problem(&r, 401, None);
    for (body, field) in [
        (json!({"url": "ftp://example.org/rss"}), "url"),
        (
            json!({"url": "https://example.org/rss", "language": "fr"}),
            "language",
        ),
        (
            json!({"url": "https://example.org/rss", "interval_s": 0}),
            "interval_s",
        ),
        (
            json!({"url": "https://example.org/rss", "every": 5}),
            "body",
        ),
    ] {
        assert_problem(&app.request(post_feed(&key, &body)).await, 400, Some(field));
    }
    assert_problem(&app.request(get_feed(&key, "feed_nope")).await, 404, None);
}

#[test]
fn the_command_line_adds_lists_and_removes_feeds() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("f.db").display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_linimasa"))
            .args(args)
            .args(["--database-url", &db])
            .output()
            .unwrap()
    };
    let added = run(&[
        "feeds",
        "add",
        "https://example.org/rss.xml",
        "--language",
        "en",
        "--interval",
        "600",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let id = String::from_utf8(added.stdout).unwrap().trim().to_string();
    assert!(id.starts_with("feed_"), "{id}");
    let list = run(&["feeds", "list"]);
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(
        text.contains(&id) && text.contains("every 600 s") && text.contains("never polled"),
        "{text}"
    );
    let bad = run(&["feeds", "add", "https://example.org/x", "--interval", "0"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--interval"));
    assert!(run(&["feeds", "remove", &id]).status.success());
    let again = run(&["feeds", "remove", &id]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8(run(&["feeds", "list"]).stdout)
            .unwrap()
            .is_empty()
    );
}
