//! The real TimelineJS (Knight Lab's `@knight-lab/timelinejs`, pinned in
//! `tests/timelinejs/package.json`, installed by `.ci/run` with `npm ci`) renders our
//! `/events.timeline.json`: the app on a real socket, a page on another origin that
//! loads TimelineJS's built script and style sheet from `node_modules` and hands it the
//! app's URL, as a newsroom's page would, and headless Chromium's DOM of the slides it
//! built. Without `node_modules` (npm not run) or Chromium the test skips with a notice.

use std::path::{Component, Path, PathBuf};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

use crate::browser::{
    PAYLOAD_IMG, PAYLOAD_SCRIPT, as_html_text, chromium_with, find_chromium, kursk_app,
};
use crate::common::manifest;

/// TimelineJS's built files: `js/timeline.js`, `css/timeline.css`, icons, fonts, locales.
fn dist() -> PathBuf {
    manifest().join("tests/timelinejs/node_modules/@knight-lab/timelinejs/dist")
}

#[derive(Clone)]
struct Page {
    /// The app's origin, `http://127.0.0.1:PORT`.
    app: String,
    /// This server's origin.
    origin: String,
}

/// The newsroom's page: TimelineJS from this origin, the data from the app's, opening
/// at slide `start`. Its policy lets nothing else load; what it blocks is listed in
/// `#blocked`, for the test to read. `font: null`: TimelineJS's default font theme
/// (`css/fonts/font.default.css`) pulls PT Sans and PT Serif from Google Fonts.
async fn page(State(p): State<Page>, UrlPath(start): UrlPath<u32>) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<script>
document.addEventListener("securitypolicyviolation", function (e) {{
  var li = document.createElement("li");
  li.textContent = e.violatedDirective + " " + e.blockedURI;
  document.getElementById("blocked").appendChild(li);
}});
</script>
<link rel="stylesheet" href="/tl/css/timeline.css">
<script src="/tl/js/timeline.js"></script>
<style>html, body {{ margin: 0; }} #timeline-embed {{ width: 100%; height: 640px; }}</style>
</head><body>
<div id="timeline-embed"></div>
<ul id="blocked" hidden></ul>
<script>
window.timeline = new TL.Timeline("timeline-embed",
  "{app}/events.timeline.json?region=kursk",
  {{ script_path: "{origin}/tl/js/", font: null, start_at_slide: {start},
     hash_bookmark: false }});
</script>
</body></html>"#,
        app = p.app,
        origin = p.origin,
    );
    let csp = format!(
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' \
         'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self' {}; \
         base-uri 'none'",
        p.app
    );
    ([(header::CONTENT_SECURITY_POLICY, csp)], Html(html)).into_response()
}

/// A file under `dist()`, by a path of plain components only.
async fn dist_file(UrlPath(rel): UrlPath<String>) -> Response {
    let rel = Path::new(&rel);
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(bytes) = tokio::fs::read(dist().join(rel)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let kind = match rel.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
}

/// The texts between each `open` and the next `close`, in order.
fn texts(dom: &str, open: &str, close: &str) -> Vec<String> {
    dom.split(open)
        .skip(1)
        .map(|rest| rest.split(close).next().unwrap_or("").to_string())
        .collect()
}

/// Elements whose `class` attribute contains `class` as a whole word.
fn count_class(dom: &str, class: &str) -> usize {
    dom.match_indices("class=\"")
        .filter(|(i, m)| {
            let rest = &dom[i + m.len()..];
            let end = rest.find('"').unwrap_or(0);
            rest[..end].split_whitespace().any(|c| c == class)
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timelinejs_renders_our_timeline_json() {
    if !dist().join("js/timeline.js").is_file() {
        eprintln!(
            "NOTICE: {} is missing (run `npm ci --prefix tests/timelinejs`); skipping the \
             TimelineJS test of /events.timeline.json",
            dist().display()
        );
        return;
    }
    let Some(bin) = find_chromium() else {
        eprintln!(
            "NOTICE: chromium is not installed (apt-get install chromium); skipping the \
             TimelineJS test of /events.timeline.json"
        );
        return;
    };
    let app = kursk_app().await;
    let doc = app.get("/events.timeline.json?region=kursk").await.body;
    let slides = doc["events"].as_array().expect("events").clone();
    assert_eq!(slides.len(), 5, "{doc:#}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_origin = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router.clone();
    let app_server = tokio::spawn(async move { axum::serve(listener, router).await });

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let pages = Router::new()
        .route("/slide/{start}", get(page))
        .route("/tl/{*path}", get(dist_file))
        .with_state(Page {
            app: app_origin.clone(),
            origin: origin.clone(),
        });
    let page_server = tokio::spawn(async move { axum::serve(listener, pages).await });

    // Every host name fails to resolve, so a source's URL never leaves the machine.
    let run = |args: Vec<String>| {
        let bin = bin.clone();
        let mut all = vec!["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into()];
        all.extend(args);
        tokio::task::spawn_blocking(move || chromium_with(&bin, 8000, &all))
    };
    let dom = run(vec![
        "--window-size=1100,640".into(),
        "--dump-dom".into(),
        format!("{origin}/slide/0"),
    ])
    .await
    .unwrap();

    // One slide per event after the title slide, in date order, each with its headline
    // and the date TimelineJS shows for the precision we gave it.
    assert_eq!(count_class(&dom, "tl-slide"), slides.len() + 1, "{dom}");
    assert_eq!(count_class(&dom, "tl-slide-titleslide"), 1, "{dom}");
    let title = doc["title"]["text"]["headline"].as_str().unwrap();
    assert!(
        dom.contains(&format!(
            "<h2 class=\"tl-headline tl-headline-title\">{title}</h2>"
        )),
        "title slide {title:?} missing: {dom}"
    );
    let events: Vec<Value> = app.events("/events?region=kursk").await;
    for e in &events {
        // The slide's headline and the time navigator's marker, as text.
        let headline = as_html_text(e["title"].as_str().unwrap());
        let h2 = format!("<h2 class=\"tl-headline\">{headline}</h2>");
        assert!(dom.contains(&h2), "slide headline {h2:?} missing: {dom}");
        assert!(
            dom.contains(&format!("3;\">{headline}</h2>")),
            "marker {headline:?}"
        );
    }
    assert_eq!(
        texts(&dom, "<h3 class=\"tl-headline-date\">", "</h3>"),
        [
            "",
            "June 2024",
            "August 6, 2024",
            "August 7, 2024",
            "September 2024 — November 2024",
            "December 3, 2024",
        ],
        "{dom}"
    );
    // Grouped by region; sources linked when http(s), named otherwise.
    assert!(dom.contains("<div class=\"tl-timegroup-message\">Kursk Oblast</div>"));
    assert!(dom.contains(
        "<a href=\"https://fixtures.linimasa.example/en/kursk-offensive\" target=\"_blank\" \
         rel=\"noopener\">Fixture Wire</a>"
    ));
    assert!(
        !dom.to_ascii_lowercase().contains("href=\"javascript:"),
        "{dom}"
    );

    // TimelineJS renders our text as HTML: the hostile article's markup must arrive as
    // text, so no element of it exists and nothing of it ran.
    assert!(dom.contains(&as_html_text(PAYLOAD_SCRIPT)), "{dom}");
    assert!(dom.contains(&as_html_text(PAYLOAD_IMG)), "{dom}");
    assert!(
        !dom.contains("<img src=\"x\"") && !dom.contains("<b>falls"),
        "{dom}"
    );
    assert!(dom.contains("<title>TimelineJS</title>"), "{dom}");

    // TimelineJS loads nothing from elsewhere by itself; what the policy blocked can only
    // be a slide's `media` (a source's URL, which TimelineJS shows as an image).
    let sources: Vec<&str> = events
        .iter()
        .flat_map(|e| e["sources"].as_array().unwrap())
        .filter_map(|s| s["url"].as_str())
        .collect();
    let list = dom
        .split("<ul id=\"blocked\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_else(|| panic!("no #blocked list: {dom}"));
    for blocked in texts(list, "<li>", "</li>") {
        let url = blocked.rsplit(' ').next().unwrap_or("");
        assert!(
            sources.contains(&url),
            "TimelineJS tried to load {blocked:?}: {dom}"
        );
        eprintln!("NOTICE: the page's policy blocked {blocked}");
    }

    // Screenshots to look at: the title slide and an event slide with its source.
    let shots = manifest().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, start) in [("timelinejs-title.png", 0), ("timelinejs-aug-6.png", 2)] {
        let path = shots.join(name);
        let _ = std::fs::remove_file(&path);
        run(vec![
            "--window-size=1100,640".into(),
            format!("--screenshot={}", path.display()),
            format!("{origin}/slide/{start}"),
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
    }

    app_server.abort();
    page_server.abort();
}
