//! Every format checked by the program a newsroom would read it with: pandas and
//! Python's csv for CSV, `icalendar` for iCalendar, the `geojson` validator for
//! GeoJSON, line-by-line JSON for NDJSON; plus ETag revalidation and compression.

use std::process::Command;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use linimasa::pipeline::events::ArticleInput;
use tower::ServiceExt;

use crate::common::*;

/// Raw bytes and headers of a GET.
async fn fetch(
    app: &TestApp,
    uri: &str,
    headers: &[(&str, &str)],
) -> (u16, axum::http::HeaderMap, Vec<u8>) {
    let mut r = Request::get(uri);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let res = app
        .router
        .clone()
        .oneshot(r.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let h = res.headers().clone();
    (
        status,
        h,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

/// Runs a Python consumer on a file; None (with a notice) when its modules are missing.
fn python(script: &str, file: &std::path::Path) -> Option<String> {
    let modules = ["pandas", "icalendar", "geojson"];
    let probe = Command::new("python3")
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "NOTICE: python3 with {modules:?} is missing (pip install -r scripts/requirements-test.txt); skipping the consumer check"
        );
        return None;
    }
    let o = Command::new("python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "consumer failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(String::from_utf8_lossy(&o.stdout).trim().to_string())
}

async fn with_hostile_article(app: &TestApp) {
    app.ingest(&ArticleInput {
        url: Some("https://fixtures.linimasa.example/en/hostile".into()),
        title: Some("=HYPERLINK(\"http://evil.example\",\"click\")".into()),
        published: Some(jiff::civil::date(2024, 8, 10)),
        language: Some("en".into()),
        text: "=2+5 On 9 August 2024, Russian forces shelled the Sumy region; officials said <script>document.title='pwned'</script> and <img src=x onerror=alert(1)>, \"quoted\", semi;colon.".into(),
        ..Default::default()
    })
    .await;
}

#[tokio::test]
async fn csv_opens_cleanly_in_pandas_and_neutralises_formulas() {
    for app in fixtures_apps().await {
        with_hostile_article(&app).await;
        let all = app.events("/events?limit=1000").await;
        let (status, h, body) = fetch(&app, "/events.csv?dl=1", &[]).await;
        assert_eq!(status, 200);
        assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
        let hostile = text
            .lines()
            .find(|l| l.contains("pwned"))
            .expect("the hostile event is exported");
        assert!(
            hostile.contains("\"'=2+5"),
            "formula neutralised: {hostile}"
        );
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("events.csv");
        std::fs::write(&f, &body).unwrap();
        let script = r#"
import sys, csv, pandas
df = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
assert not any(v.startswith(('=', '+', '@')) for c in df.columns for v in df[c] if c in ('title', 'summary', 'region_names', 'actor_names', 'source_urls'))
print(len(df), ','.join(df.columns), ' '.join(sorted(df['id'])))
"#;
        if let Some(out) = python(script, &f) {
            let mut parts = out.splitn(3, ' ');
            let n: usize = parts.next().unwrap().parse().unwrap();
            assert_eq!(n, all.len(), "{}: pandas reads every event", app.backend);
            assert_eq!(
                parts.next().unwrap(),
                linimasa::api::formats::CSV_COLUMNS.join(",")
            );
            let mut ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
            ids.sort();
            assert_eq!(parts.next().unwrap(), ids.join(" "));
        }
    }
}

#[tokio::test]
async fn exports_stream_every_event_past_one_chunk_and_respect_limit() {
    for app in apps().await {
        // 1,234 events: more than two export chunks.
        let x = app
            .extractor
            .extract(&ArticleInput {
                published: Some(jiff::civil::date(2024, 8, 10)),
                language: Some("en".into()),
                text: "On 6 August 2024, Ukrainian forces launched an offensive into Russia's Kursk region.".into(),
                ..Default::default()
            })
            .unwrap();
        let mut big = x.clone();
        big.events = (0..1234)
            .map(|i| {
                let mut e = x.events[0].clone();
                e.id = format!("evt_bulk{i:05}");
                let d = jiff::civil::date(2020, 1, 1)
                    .checked_add(jiff::Span::new().days(i))
                    .unwrap();
                e.date = d.to_string();
                e.event_type = ["assault", "coerce", "mobilize"][i as usize % 3].to_string();
                e
            })
            .collect();
        app.store.ingest(&big).await.unwrap();
        let (_, _, body) = fetch(&app, "/events.ndjson", &[]).await;
        let lines: Vec<serde_json::Value> = String::from_utf8(body)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON event"))
            .collect();
        assert_eq!(lines.len(), 1234, "{}", app.backend);
        let dates: Vec<&str> = lines.iter().map(|e| e["date"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        let (_, _, capped) = fetch(&app, "/events.ndjson?limit=7&type=coerce", &[]).await;
        assert_eq!(String::from_utf8(capped).unwrap().lines().count(), 7);
        let (_, _, csv) = fetch(&app, "/events.csv?type=assault", &[]).await;
        assert_eq!(
            String::from_utf8(csv).unwrap().lines().count(),
            1 + 412,
            "header once, then every row"
        );
    }
}

#[tokio::test]
async fn icalendar_parses_in_the_icalendar_library() {
    let app = fixtures_app_sqlite().await;
    with_hostile_article(&app).await;
    let all = app.events("/events?limit=1000").await;
    let (status, h, body) = fetch(&app, "/events.ics", &[]).await;
    assert_eq!(status, 200);
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("events.ics");
    std::fs::write(&f, &body).unwrap();
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
ev = [c for c in cal.walk('VEVENT')]
hostile = [str(e['DESCRIPTION']) for e in ev if 'pwned' in str(e['DESCRIPTION'])]
assert hostile and 'semi;colon' in hostile[0] and '"quoted"' in hostile[0], hostile
for e in ev:
    assert e.decoded('DTEND') > e.decoded('DTSTART')
print(len(ev))
"#;
    if let Some(out) = python(script, &f) {
        assert_eq!(out.parse::<usize>().unwrap(), all.len());
    }
}

#[tokio::test]
async fn geojson_is_valid_rfc_7946() {
    let app = fixtures_app_sqlite().await;
    let (status, h, body) = fetch(&app, "/events.geojson?limit=1000", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "application/geo+json");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let with_point = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "Point")
        .count();
    assert!(with_point >= 3);
    for f in v["features"].as_array().unwrap() {
        if let Some(c) = f["geometry"]["coordinates"].as_array() {
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            assert!(f["properties"]["location_precision"].is_string());
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("events.geojson");
    std::fs::write(&f, &body).unwrap();
    let script = r#"
import sys, geojson
fc = geojson.loads(open(sys.argv[1]).read())
assert fc.is_valid, fc.errors()
print(len(fc['features']))
"#;
    if let Some(out) = python(script, &f) {
        assert_eq!(
            out.parse::<usize>().unwrap(),
            app.events("/events?limit=1000").await.len()
        );
    }
}

#[tokio::test]
async fn timelinejs_json_has_slides_with_escaped_text_and_precise_dates() {
    let app = fixtures_app_sqlite().await;
    with_hostile_article(&app).await;
    let (_, _, body) = fetch(&app, "/events.timeline.json?limit=1000", &[]).await;
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let slides = v["events"].as_array().unwrap();
    assert_eq!(slides.len(), app.events("/events?limit=1000").await.len());
    let month = slides.iter().find(|s| {
        s["start_date"]["month"] == 6
            && s["start_date"]["year"] == 2024
            && s["start_date"].get("day").is_none()
    });
    assert!(month.is_some(), "a month-precision event has no day");
    let text = v.to_string();
    assert!(
        !text.contains("<script>") && !text.contains("<img"),
        "markup escaped"
    );
    assert!(text.contains("&lt;script&gt;"));
    for s in slides {
        assert!(s["unique_id"].as_str().unwrap().starts_with("evt_"));
        assert!(s["group"].is_string() && s["text"]["headline"].is_string());
    }
}

#[tokio::test]
async fn accept_negotiates_and_etags_revalidate() {
    let app = fixtures_app_sqlite().await;
    let (_, h, body) = fetch(&app, "/events?region=kursk", &[("accept", "text/csv")]).await;
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(h.get_all("vary").iter().any(|v| v == "Accept"));
    assert!(String::from_utf8(body).unwrap().starts_with("id,date,"));

    let (_, h, _) = fetch(&app, "/events?region=kursk", &[]).await;
    let tag = h["etag"].to_str().unwrap().to_string();
    assert!(
        tag.starts_with('"') && !tag.starts_with("W/"),
        "strong: {tag}"
    );
    assert_eq!(h["cache-control"], linimasa::api::cache::CACHE_CONTROL);
    let (status, h304, body) =
        fetch(&app, "/events?region=kursk", &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304);
    assert!(body.is_empty());
    assert_eq!(h304["etag"].to_str().unwrap(), tag);
    // Same query, other order: same tag. Other query: other tag.
    let (_, h2, _) = fetch(&app, "/events?limit=100&region=kursk", &[]).await;
    let (_, h3, _) = fetch(&app, "/events?region=kherson", &[]).await;
    assert_eq!(
        fetch(&app, "/events?region=kursk&limit=100", &[]).await.1["etag"],
        h2["etag"]
    );
    assert_ne!(h3["etag"].to_str().unwrap(), tag);
    // A write changes the tags of what it can change (a Sumy article: the Sumy page,
    // the unfiltered page), and leaves the Kursk page's tag valid.
    let (_, sumy, _) = fetch(&app, "/events?region=sumy", &[]).await;
    let (_, all, _) = fetch(&app, "/events", &[]).await;
    with_hostile_article(&app).await;
    let (status, _, _) = fetch(&app, "/events?region=kursk", &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304);
    for (uri, before) in [("/events?region=sumy", sumy), ("/events", all)] {
        let (status, _, _) = fetch(
            &app,
            uri,
            &[("if-none-match", before["etag"].to_str().unwrap())],
        )
        .await;
        assert_eq!(status, 200, "{uri}");
    }
}

#[tokio::test]
async fn responses_compress_with_gzip_brotli_and_zstd() {
    let app = fixtures_app_sqlite().await;
    for enc in ["gzip", "br", "zstd"] {
        let (status, h, _) = fetch(&app, "/events?limit=1000", &[("accept-encoding", enc)]).await;
        assert_eq!(status, 200);
        assert_eq!(h["content-encoding"], enc);
    }
}
