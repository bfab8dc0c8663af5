//! The embeddable timeline as a newsroom page shows it: the app on a real socket, a
//! real headless Chromium loading `/embed/timeline?region=kursk&lang=id`, and the DOM
//! it ends up with. One article is hostile: its event sentence carries a `<script>` and
//! an `<img onerror>` that try to change the page title, and its URL is `javascript:`;
//! they must show up as text and nothing else. A saved timeline's page,
//! `/embed/timelines/{slug}`, is loaded the same way and paged through its own URL.
//! Without Chromium the browser tests skip with a notice; CI installs it (`.ci/run`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use jiff::civil::date;
use linimasa::pipeline::events::ArticleInput;
use serde_json::Value;
use tower::ServiceExt;

use crate::common::{TestApp, app, assert_problem, manifest};

pub const PAYLOAD_SCRIPT: &str = "<script>document.title='pwned'</script>";
pub const PAYLOAD_IMG: &str = "<img src=x onerror=document.title='pwned'>";

/// The fixture articles plus the test's own: a hostile one and one with a month, a
/// season and an inferred year, so every way of showing a date is on the page.
pub async fn kursk_app() -> TestApp {
    let app = app().await;
    let fixtures = manifest().join("tests/fixtures/articles");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    names.sort();
    for path in names {
        app.ingest_file(&path, &Default::default()).await;
    }

    let hostile = ArticleInput {
        url: Some("https://fixtures.linimasa.example/en/hostile".into()),
        title: Some("Sudzha <b>falls</b>".into()),
        publisher: Some("Hostile <i>Wire</i>".into()),
        published: Some(date(2024, 8, 12)),
        language: Some("en".into()),
        text: format!(
            "On 7 August 2024, Ukrainian forces captured the town of Sudzha in Russia's Kursk \
             region {PAYLOAD_SCRIPT} {PAYLOAD_IMG}."
        ),
        ..Default::default()
    };
    // The payload must reach an event's title and summary, or this test proves nothing.
    let x = app.extractor.extract(&hostile).expect("extracts");
    assert!(
        x.events
            .iter()
            .any(|e| e.summary.contains(PAYLOAD_SCRIPT) && e.summary.contains(PAYLOAD_IMG)),
        "the extractor made no event carrying the payload: {:?}",
        x.events
    );
    app.ingest(&hostile).await;

    app.ingest(&ArticleInput {
        url: Some("javascript:document.title='pwned'".into()),
        title: Some("Kursk over the year".into()),
        publisher: Some("Month Wire".into()),
        published: Some(date(2024, 12, 15)),
        language: Some("en".into()),
        text: "In June 2024, Russian forces shelled border villages in the Kursk region.\n\n\
               In autumn 2024, North Korean troops were deployed to Russia's Kursk region.\n\n\
               On 3 December, Russian forces recaptured villages in the Kursk region."
            .into(),
        ..Default::default()
    })
    .await;
    app
}

pub async fn raw_get(app: &TestApp, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn embed_page_script_and_style_carry_a_strict_policy() {
    let app = app().await;
    for (uri, kind) in [
        ("/embed/timeline?region=kursk&lang=id", "text/html"),
        ("/embed/timeline.js", "text/javascript"),
        ("/embed/timeline.css", "text/css"),
    ] {
        let (status, h, body) = raw_get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        let header = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(header("content-type").starts_with(kind), "{uri}");
        let csp = header("content-security-policy");
        for part in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "img-src 'self' data:",
            "frame-ancestors *",
        ] {
            assert!(csp.contains(part), "{uri}: {csp}");
        }
        assert!(!csp.contains("unsafe-"), "{csp}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        let cache = header("cache-control");
        assert!(cache.starts_with("public, max-age=60"), "{uri}: {cache}");
    }

    let (_, _, page) = raw_get(&app, "/embed/timeline?region=kursk&lang=id").await;
    assert!(page.contains("<html lang=\"id\""), "{page}");
    assert!(page.contains("data-src=\"../events?region=kursk&amp;limit=25&amp;lang=id\""));
    // Nothing inline for the policy to forbid, nothing from elsewhere.
    assert!(!page.contains("<script>") && !page.contains(" style=") && !page.contains("//"));
    let (_, _, script) = raw_get(&app, "/embed/timeline.js").await;
    assert!(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML"));
    assert!(!script.contains("eval(") && !script.contains("document.write"));

    // The filter is validated as /events validates it; the embed's own options too.
    for (uri, parameter) in [
        ("/embed/timeline?region=kurks", "region"),
        ("/embed/timeline?region=kursk&thme=dark", "thme"),
        ("/embed/timeline?lang=fr", "lang"),
        ("/embed/timeline?theme=sepia", "theme"),
        ("/embed/timeline?refresh=5", "refresh"),
        ("/embed/timeline?from=2024-13", "from"),
        ("/embed/timeline?cursor=x", "cursor"),
    ] {
        assert_problem(&app.get(uri).await, 400, Some(parameter));
    }
}

/// The first `chromium` (or Chrome) on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium with `args` after the common flags, in a fresh profile; its
/// standard output. Killed after a minute: a hung browser must fail, not hang CI.
fn chromium(bin: &Path, args: &[String]) -> String {
    chromium_with(bin, 5000, args)
}

/// [`chromium`] with `budget_ms` of virtual time for the page's scripts and timers.
pub fn chromium_with(bin: &Path, budget_ms: u32, args: &[String]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-proxy-server",
            "--hide-scrollbars",
        ])
        .arg(format!("--virtual-time-budget={budget_ms}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || std::io::read_to_string(out).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait().expect("chromium wait") {
            Some(_) => break,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 60 s: {args:?}");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    reader.join().unwrap_or_default()
}

/// Text as the DOM serializer writes it inside an element.
pub fn as_html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

fn articles(dom: &str) -> usize {
    dom.matches("<article ").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_timeline_renders_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        eprintln!(
            "NOTICE: chromium is not installed (apt-get install chromium); skipping the \
             browser test of /embed/timeline"
        );
        return;
    };
    let app = kursk_app().await;
    // What the Indonesian page asks for: the events in Indonesian.
    let events: Vec<Value> = app.events("/events?region=kursk&lang=id").await;
    assert_eq!(events.len(), 5, "{events:#?}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let base = format!("http://{addr}/embed/timeline");

    let run = |args: Vec<String>| {
        let bin = bin.clone();
        tokio::task::spawn_blocking(move || chromium(&bin, &args))
    };
    let dom = run(vec![
        "--dump-dom".into(),
        format!("{base}?region=kursk&lang=id"),
    ])
    .await
    .unwrap();

    // The page ran: every event is an article, the status counts them, no more pages.
    assert!(dom.contains("<html lang=\"id\""), "{dom}");
    assert_eq!(articles(&dom), events.len(), "{dom}");
    assert!(dom.contains(">5 peristiwa</p>"), "{dom}");
    assert!(
        dom.contains("<button id=\"timeline-more\" class=\"more\" type=\"button\" hidden=\"\""),
        "{dom}"
    );

    // Dates at their precision, in Indonesian, machine-readable in <time datetime>.
    for (datetime, shown) in [
        ("2024-06", "Juni 2024"),
        ("2024-08-06", "6 Agustus 2024"),
        ("2024-08-07", "7 Agustus 2024"),
        ("2024-09", "musim gugur 2024"),
        ("2024-12-03", "3 Desember 2024"),
    ] {
        let time = format!("<time datetime=\"{datetime}\">{shown}</time>");
        assert!(dom.contains(&time), "{time} missing: {dom}");
    }
    assert_eq!(dom.matches("class=\"inferred\"").count(), 1, "{dom}");
    assert!(dom.contains(">disimpulkan</span>"));
    assert!(!dom.contains(">6 August 2024<") && !dom.contains(">autumn 2024<"));

    // Headlines, summaries and places as text; every http(s) source linked, with its
    // publisher and date; the javascript: one shown but not linked. Every headline is
    // Indonesian and marked so; a summary keeps its own language's tag.
    let bare = |s: &str| s.trim_end_matches(['.', '!', '?', '…', ' ']).to_string();
    for e in &events {
        let (title, summary) = (e["title"].as_str().unwrap(), e["summary"].as_str().unwrap());
        let h2 = format!(" lang=\"id\">{}</h2>", as_html_text(title));
        assert!(dom.contains(&h2), "title {h2:?} missing: {dom}");
        // The summary is shown unless the title already says all of it.
        let p = format!(
            "<p class=\"summary\" lang=\"{}\">{}</p>",
            e["language"].as_str().unwrap(),
            as_html_text(summary)
        );
        assert_eq!(dom.contains(&p), bare(summary) != bare(title), "{p}: {dom}");
        for s in e["sources"].as_array().unwrap() {
            let url = s["url"].as_str().unwrap();
            if url.starts_with("https://") {
                assert!(
                    dom.contains(&format!("href=\"{url}\"")),
                    "{url} not linked: {dom}"
                );
            }
        }
    }
    assert!(
        dom.contains("Oblast Kursk") && !dom.contains("Kursk Oblast"),
        "{dom}"
    );
    assert!(dom.contains("href=\"https://fixtures.linimasa.example/en/kursk-offensive\""));
    assert!(dom.contains("Fixture Wire · <time datetime=\"2024-08-10\">10 Agustus 2024</time>"));
    assert!(dom.contains("Hostile &lt;i&gt;Wire&lt;/i&gt;"));
    assert!(dom.contains("Sudzha &lt;b&gt;falls&lt;/b&gt;"));
    assert!(
        !dom.to_ascii_lowercase().contains("href=\"javascript:"),
        "{dom}"
    );
    assert!(dom.contains("<span class=\"source-name\">Kursk over the year</span>"));

    // The payload is text and nothing but text: no element, no script run.
    assert!(dom.contains(&as_html_text(PAYLOAD_SCRIPT)), "{dom}");
    assert!(dom.contains(&as_html_text(PAYLOAD_IMG)), "{dom}");
    assert!(!dom.contains("<img"), "{dom}");
    assert!(!dom.contains("<b>") && !dom.contains("<i>"), "{dom}");
    assert_eq!(dom.matches("<script").count(), 1, "{dom}");
    assert!(dom.contains("<title>Linimasa</title>"), "{dom}");
    assert!(!dom.contains("<title>pwned"), "{dom}");

    // A page smaller than the filter's events offers "load more" and follows `next`.
    let dom = run(vec![
        "--dump-dom".into(),
        format!("{base}?region=kursk&lang=id&limit=2&sort=-date"),
    ])
    .await
    .unwrap();
    assert_eq!(articles(&dom), 2, "{dom}");
    assert!(
        dom.contains(
            "<button id=\"timeline-more\" class=\"more\" type=\"button\">Muat lebih banyak</button>"
        ),
        "{dom}"
    );
    assert!(dom.contains("3 Desember 2024") && !dom.contains("Juni 2024"));

    // English, dark, a heading of the newsroom's own.
    let dom = run(vec![
        "--dump-dom".into(),
        format!("{base}?region=kursk&theme=dark&title=Kursk%20%3Cb%3Etimeline%3C%2Fb%3E"),
    ])
    .await
    .unwrap();
    assert!(dom.contains("data-theme=\"dark\""));
    assert!(
        dom.contains("class=\"\">Kursk &lt;b&gt;timeline&lt;/b&gt;</h1>"),
        "{dom}"
    );
    assert!(
        dom.contains("<title>Kursk &lt;b&gt;timeline&lt;/b&gt;</title>"),
        "{dom}"
    );
    for shown in ["June 2024", "6 August 2024", "autumn 2024", "5 events"] {
        assert!(dom.contains(shown), "{shown} missing: {dom}");
    }

    // Screenshots to look at: Indonesian at 420px, English dark at 320px.
    let shots = manifest().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, query, size) in [
        ("embed-timeline-id.png", "region=kursk&lang=id", "420,900"),
        (
            "embed-timeline-en-dark-320.png",
            "region=kursk&theme=dark",
            "320,900",
        ),
    ] {
        let path = shots.join(name);
        let _ = std::fs::remove_file(&path);
        run(vec![
            format!("--screenshot={}", path.display()),
            format!("--window-size={size}"),
            format!("{base}?{query}"),
        ])
        .await
        .unwrap();
        let png = std::fs::read(&path).unwrap_or_default();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{} is not a PNG",
            path.display()
        );
        assert!(
            png.len() > 10_000,
            "{} is only {} bytes",
            path.display(),
            png.len()
        );
        eprintln!("screenshot: {}", path.display());
    }

    server.abort();
}

/// A same-origin page that frames `src`, presses the frame's "load more" until it is
/// gone, then copies the frame's timeline into its own body, where `--dump-dom` sees it.
fn harness(src: &str) -> String {
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>harness</title></head><body>
<iframe id="frame" src="{src}" width="600" height="900"></iframe>
<div id="out"></div>
<script>
var clicks = 0;
function tick() {{
  var d = document.getElementById("frame").contentDocument;
  var more = d && d.getElementById("timeline-more");
  var list = d && d.getElementById("timeline-events");
  if (more && list && list.getAttribute("aria-busy") === "false") {{
    if (!more.hidden) {{
      clicks += 1;
      more.click();
    }} else {{
      var out = document.getElementById("out");
      out.setAttribute("data-clicks", String(clicks));
      out.appendChild(document.importNode(d.getElementById("timeline"), true));
      return;
    }}
  }}
  setTimeout(tick, 50);
}}
setTimeout(tick, 50);
</script>
</body></html>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_timeline_embeds_with_its_title_and_pages_through_its_own_url() {
    let app = kursk_app().await;
    let (_, key) = app.store.create_key("desk").await.unwrap();
    let put = Request::put("/timelines/kursk-2024")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(
            serde_json::json!({
                "title": "Kursk, 2024 <i>front</i>",
                "filter": "region=kursk&from=2024&to=2024"
            })
            .to_string(),
        ))
        .unwrap();
    let created = app.request(put).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let events: Vec<Value> = app.events("/timelines/kursk-2024?lang=id").await;
    assert_eq!(events.len(), 5, "{events:#?}");

    // The page: the same policy as /embed/timeline, the saved title as its heading, the
    // first page of /timelines/kursk-2024 relative to itself, the shared script.
    let (status, h, page) = raw_get(&app, "/embed/timelines/kursk-2024?lang=id").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let header = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(header("content-type").starts_with("text/html"));
    assert_eq!(
        header("content-security-policy"),
        linimasa::api::embed::CONTENT_SECURITY_POLICY
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(
        page.contains("data-src=\"../../timelines/kursk-2024?limit=25&amp;lang=id\""),
        "{page}"
    );
    assert!(page.contains("<script src=\"../timeline.js\" defer></script>"));
    assert!(page.contains("<link rel=\"stylesheet\" href=\"../timeline.css\">"));
    assert!(page.contains("class=\"\">Kursk, 2024 &lt;i&gt;front&lt;/i&gt;</h1>"));
    assert!(!page.contains("<script>") && !page.contains(" style=") && !page.contains("//"));

    // Options only: the saved filter is fixed, so a filter parameter names itself.
    for (uri, parameter) in [
        ("/embed/timelines/kursk-2024?region=sumy", "region"),
        ("/embed/timelines/kursk-2024?sort=-date", "sort"),
        ("/embed/timelines/kursk-2024?cursor=x", "cursor"),
        ("/embed/timelines/kursk-2024?thme=dark", "thme"),
        ("/embed/timelines/kursk-2024?lang=fr", "lang"),
        ("/embed/timelines/kursk-2024?refresh=5", "refresh"),
        ("/embed/timelines/kursk-2024?limit=0", "limit"),
        ("/embed/timelines/kursk-2024?title=", "title"),
    ] {
        assert_problem(&app.get(uri).await, 400, Some(parameter));
    }
    let r = app.get("/embed/timelines/kursk-2024?region=sumy").await;
    assert!(
        r.body["detail"].as_str().unwrap().contains("fixed"),
        "{}",
        r.body
    );
    assert_problem(&app.get("/embed/timelines/nope").await, 404, None);
    assert_problem(&app.get("/embed/timelines/nope?region=x").await, 404, None);

    let Some(bin) = find_chromium() else {
        eprintln!(
            "NOTICE: chromium is not installed (apt-get install chromium); skipping the \
             browser test of /embed/timelines/{{slug}}"
        );
        return;
    };
    // The app plus a same-origin harness page that presses "load more".
    let router = app.router.clone().route(
        "/test/harness",
        axum::routing::get(|| async {
            axum::response::Html(harness(
                "/embed/timelines/kursk-2024?limit=2&lang=id&theme=dark",
            ))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let run = |args: Vec<String>| {
        let bin = bin.clone();
        tokio::task::spawn_blocking(move || chromium(&bin, &args))
    };

    // The saved title as heading and document title, every event, no more pages.
    let dom = run(vec![
        "--dump-dom".into(),
        format!("http://{addr}/embed/timelines/kursk-2024?lang=id"),
    ])
    .await
    .unwrap();
    assert_eq!(articles(&dom), events.len(), "{dom}");
    assert!(dom.contains(">5 peristiwa</p>"), "{dom}");
    assert!(
        dom.contains(
            "<h1 id=\"timeline-heading\" class=\"\">Kursk, 2024 &lt;i&gt;front&lt;/i&gt;</h1>"
        ),
        "{dom}"
    );
    assert!(
        dom.contains("<title>Kursk, 2024 &lt;i&gt;front&lt;/i&gt;</title>"),
        "{dom}"
    );
    assert!(!dom.contains("<i>"), "{dom}");
    for e in &events {
        let h2 = format!("\">{}</h2>", as_html_text(e["title"].as_str().unwrap()));
        assert!(dom.contains(&h2), "title {h2:?} missing: {dom}");
    }
    for shown in ["Juni 2024", "6 Agustus 2024", "musim gugur 2024"] {
        assert!(dom.contains(shown), "{shown} missing: {dom}");
    }

    // A title of the page's own replaces the saved one.
    let dom = run(vec![
        "--dump-dom".into(),
        format!("http://{addr}/embed/timelines/kursk-2024?title=Kursk%20desk"),
    ])
    .await
    .unwrap();
    assert!(dom.contains("class=\"\">Kursk desk</h1>"), "{dom}");
    assert!(dom.contains(">5 events</p>"), "{dom}");

    // Two events a page: "load more" follows /timelines/kursk-2024?limit=2&cursor=…
    // twice, and the frame ends with every event, in the timeline's order.
    let dom = run(vec![
        "--dump-dom".into(),
        format!("http://{addr}/test/harness"),
    ])
    .await
    .unwrap();
    assert!(dom.contains("<div id=\"out\" data-clicks=\"2\">"), "{dom}");
    assert_eq!(articles(&dom), events.len(), "{dom}");
    assert!(dom.contains(">5 peristiwa</p>"), "{dom}");
    let mut at = 0;
    for e in &events {
        let id = format!("data-id=\"{}\"", e["id"].as_str().unwrap());
        let i = dom[at..]
            .find(&id)
            .unwrap_or_else(|| panic!("{id} missing or out of order: {dom}"));
        at += i + id.len();
    }

    // A screenshot to look at: the saved timeline, dark, at 420px.
    let shots = manifest().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    let path = shots.join("embed-saved-timeline-dark.png");
    let _ = std::fs::remove_file(&path);
    run(vec![
        format!("--screenshot={}", path.display()),
        "--window-size=420,900".into(),
        format!("http://{addr}/embed/timelines/kursk-2024?theme=dark&limit=3"),
    ])
    .await
    .unwrap();
    let png = std::fs::read(&path).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
    eprintln!("screenshot: {}", path.display());

    server.abort();
}
