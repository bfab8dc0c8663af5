//! Following 200 feeds of 50 items each on loopback (BENCHMARKS.md §6): 200 fixture
//! hosts in this process (one listener each, ephemeral ports), `linimasa serve` (release)
//! as a child process following them, and a dashboard-like reader (50 GETs a second of
//! `/events?region=…`) before and while it polls. Reports fetches per second, serve's
//! CPU and RSS, the time to ingest every item, and read latency percentiles.
//!
//! `cargo bench --bench feeds` (after `cargo build --release`); BENCH_FEEDS, BENCH_ITEMS,
//! BENCH_HOST_GAP_MS, BENCH_STEADY_S and LINIMASA_BIN change its defaults.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

const REGIONS: [(&str, &str); 6] = [
    ("Kursk", "kursk"),
    ("Kharkiv", "kharkiv"),
    ("Donetsk", "donetsk"),
    ("Zaporizhzhia", "zaporizhzhia"),
    ("Kherson", "kherson"),
    ("Belgorod", "belgorod"),
];

#[derive(Default)]
struct Counts {
    feeds: AtomicU64,
    not_modified: AtomicU64,
    pages: AtomicU64,
    other: AtomicU64,
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn page(host: usize, n: usize) -> String {
    let (region, _) = REGIONS[(host + n) % REGIONS.len()];
    let day = 1 + (host * 7 + n) % 28;
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {host}-{n}</title>\
         <meta property=\"article:published_time\" content=\"2024-09-{day:02}T08:00:00Z\"></head><body><article>\
         <h1>Shelling in {region} region, report {host}-{n}</h1>\
         <p>On {day} September 2024 Russian forces shelled villages in Ukraine's {region} region, officials said, and two people were wounded.</p>\
         <p>Desk {host} filed report {n} after speaking to residents who described the damage to homes and a school.</p>\
         </article></body></html>"
    )
}

fn feed(base: &str, host: usize, items: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench</title><link>http://bench/</link><description>d</description>",
    );
    for n in 0..items {
        out += &format!(
            "<item><title>Report {host}-{n}</title><link>{base}/a/{n}</link><guid>{host}-{n}</guid><pubDate>Mon, 02 Sep 2024 08:00:00 GMT</pubDate></item>"
        );
    }
    out + "</channel></rss>"
}

async fn host(host: usize, items: usize, counts: Arc<Counts>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
        let (base, counts) = (b.clone(), counts.clone());
        async move {
            let path = uri.path();
            if path == "/feed.xml" {
                counts.feeds.fetch_add(1, Ordering::Relaxed);
                if headers
                    .get(header::IF_NONE_MATCH)
                    .is_some_and(|v| v == "\"1\"")
                {
                    counts.not_modified.fetch_add(1, Ordering::Relaxed);
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                return (
                    [
                        (header::CONTENT_TYPE, "application/rss+xml"),
                        (header::ETAG, "\"1\""),
                    ],
                    feed(&base, host, items),
                )
                    .into_response();
            }
            if let Some(n) = path.strip_prefix("/a/").and_then(|n| n.parse().ok()) {
                counts.pages.fetch_add(1, Ordering::Relaxed);
                return (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    page(host, n),
                )
                    .into_response();
            }
            counts.other.fetch_add(1, Ordering::Relaxed);
            StatusCode::NOT_FOUND.into_response()
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// serve's CPU seconds (user + system) and RSS in MB, from /proc.
fn usage(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the command: state is field 3, utime 14, stime 15 (1-based) → 11, 12 here.
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0;
    (cpu, rss)
}

/// GETs `/events?region=…` 50 times a second for `secs`; latencies in ms.
async fn read_load(client: &reqwest::Client, api: &str, secs: u64) -> Vec<f64> {
    let mut lat = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let end = Instant::now() + Duration::from_secs(secs);
    let mut i = 0;
    while Instant::now() < end {
        tick.tick().await;
        let (_, slug) = REGIONS[i % REGIONS.len()];
        i += 1;
        let t = Instant::now();
        let r = client
            .get(format!("{api}/events?region={slug}&limit=100"))
            .send()
            .await;
        if let Ok(r) = r {
            let _ = r.bytes().await;
        }
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

#[tokio::main]
async fn main() {
    let feeds = env("BENCH_FEEDS", 200) as usize;
    let items = env("BENCH_ITEMS", 50) as usize;
    let gap = env("BENCH_HOST_GAP_MS", 1000);
    let steady = env("BENCH_STEADY_S", 70);
    let bin = std::env::var("LINIMASA_BIN").unwrap_or_else(|_| "target/release/linimasa".into());
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("feeds.db").display());
    let counts = Arc::new(Counts::default());
    let mut bases = Vec::new();
    for h in 0..feeds {
        bases.push(host(h, items, counts.clone()).await);
    }
    let run = |args: &[&str]| {
        let o = std::process::Command::new(&bin)
            .args(args)
            .args(["--database-url", &db])
            .output()
            .expect("linimasa runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    run(&["migrate"]);
    let key = run(&["keys", "create", "--name", "bench"])
        .trim()
        .to_string();
    let bind = "127.0.0.1:19187";
    let api = format!("http://{bind}");
    let mut serve = std::process::Command::new(&bin)
        .args([
            "serve",
            "--bind",
            bind,
            "--database-url",
            &db,
            "--rate-limit",
            "0",
        ])
        .args([
            "--min-feed-interval",
            "60",
            "--feed-workers",
            &feeds.to_string(),
        ])
        .args(["--feed-host-gap-ms", &gap.to_string()])
        .arg("--feeds-allow-private")
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let pid = serve.id();
    let client = reqwest::Client::new();
    let start = Instant::now();
    while client
        .get(format!("{api}/readyz"))
        .send()
        .await
        .map(|r| r.status().is_success())
        .ok()
        != Some(true)
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "serve did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut idle = read_load(&client, &api, 10).await;
    let (cpu0, _) = usage(pid);
    let t0 = Instant::now();
    for b in &bases {
        let r = client
            .post(format!("{api}/feeds"))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(serde_json::json!({"url": format!("{b}/feed.xml"), "interval_s": 60, "language": "en"}).to_string())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    // Sample serve while it ingests everything, reading as a dashboard does.
    let sampler = {
        let (client, api, key) = (client.clone(), api.clone(), key.clone());
        let want = (feeds * items) as i64;
        tokio::spawn(async move {
            let mut peak = 0.0f64;
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                peak = peak.max(usage(pid).1);
                let list: serde_json::Value = match client
                    .get(format!("{api}/feeds"))
                    .bearer_auth(&key)
                    .send()
                    .await
                {
                    Ok(r) => r
                        .bytes()
                        .await
                        .ok()
                        .and_then(|b| serde_json::from_slice(&b).ok())
                        .unwrap_or_default(),
                    Err(_) => continue,
                };
                let seen: i64 = list["feeds"].as_array().map_or(0, |fs| {
                    fs.iter()
                        .map(|f| f["items_seen"].as_i64().unwrap_or(0))
                        .sum()
                });
                if seen >= want {
                    let ingested: i64 = list["feeds"].as_array().map_or(0, |fs| {
                        fs.iter()
                            .map(|f| f["articles_ingested"].as_i64().unwrap_or(0))
                            .sum()
                    });
                    return (peak, ingested);
                }
            }
        })
    };
    let mut busy = Vec::new();
    while !sampler.is_finished() {
        busy.extend(read_load(&client, &api, 5).await);
    }
    let (peak_rss, ingested) = sampler.await.unwrap();
    let fill = t0.elapsed().as_secs_f64();
    let (cpu1, rss1) = usage(pid);
    let fetched = counts.feeds.load(Ordering::Relaxed)
        + counts.pages.load(Ordering::Relaxed)
        + counts.other.load(Ordering::Relaxed);
    // Steady state: every feed answers 304.
    let (f0, nm0) = (
        counts.feeds.load(Ordering::Relaxed),
        counts.not_modified.load(Ordering::Relaxed),
    );
    let t1 = Instant::now();
    let mut steady_reads = read_load(&client, &api, steady).await;
    let steady_s = t1.elapsed().as_secs_f64();
    let (cpu2, rss2) = usage(pid);
    let (f1, nm1) = (
        counts.feeds.load(Ordering::Relaxed),
        counts.not_modified.load(Ordering::Relaxed),
    );
    let _ = serve.kill();
    let _ = serve.wait();
    let out = serde_json::json!({
        "feeds": feeds, "items_per_feed": items, "host_gap_ms": gap,
        "fill_seconds": fill, "articles_ingested": ingested,
        "requests_during_fill": fetched,
        "fetches_per_second_fill": fetched as f64 / fill,
        "serve_cpu_seconds_fill": cpu1 - cpu0,
        "serve_cpu_share_fill": (cpu1 - cpu0) / fill,
        "serve_rss_mb_peak_fill": peak_rss, "serve_rss_mb_after_fill": rss1,
        "steady_seconds": steady_s,
        "steady_feed_requests": f1 - f0, "steady_not_modified": nm1 - nm0,
        "steady_fetches_per_second": (f1 - f0) as f64 / steady_s,
        "serve_cpu_share_steady": (cpu2 - cpu1) / steady_s, "serve_rss_mb_steady": rss2,
        "read_ms_idle": {"n": idle.len(), "p50": pct(&mut idle, 0.5), "p99": pct(&mut idle, 0.99), "max": pct(&mut idle, 1.0)},
        "read_ms_while_filling": {"n": busy.len(), "p50": pct(&mut busy, 0.5), "p99": pct(&mut busy, 0.99), "max": pct(&mut busy, 1.0)},
        "read_ms_steady": {"n": steady_reads.len(), "p50": pct(&mut steady_reads, 0.5), "p99": pct(&mut steady_reads, 0.99), "max": pct(&mut steady_reads, 1.0)},
    });
    let text = serde_json::to_string_pretty(&out).unwrap();
    println!("{text}");
    let _ = std::fs::create_dir_all("target/bench");
    let _ = std::fs::write("target/bench/feeds.json", text);
}
