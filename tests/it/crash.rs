//! Crash consistency: `kill -9` in the middle of a bulk `linimasa ingest`, then the
//! same ingest again. Afterwards no article is stored without its events, no event is
//! stored twice, and the store equals one a clean run made: on SQLite and PostgreSQL.
//!
//! The CI run is small (`LINIMASA_CRASH_ARTICLES`, default 150; one kill per backend);
//! `scripts/crash_ingest.sh` runs the full size (2,000 articles, several kills).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use linimasa::synthetic::{MONTH_EN, MONTH_NAMES};
use sqlx::Connection;

use crate::common::*;

const REGIONS: [&str; 8] = [
    "Russia's Kursk region",
    "Ukraine's Sumy region",
    "the Kharkiv region",
    "the Donetsk region",
    "the Kherson region",
    "the Zaporizhzhia region",
    "Russia's Belgorod region",
    "the Dnipropetrovsk region",
];

/// A day of 2024 for a number: "6 August 2024".
fn day(n: usize) -> (String, jiff::civil::Date) {
    let d = jiff::civil::date(2024, 1, 1)
        .checked_add(jiff::Span::new().days((n % 330) as i64))
        .unwrap();
    (
        format!(
            "{} {} {}",
            d.day(),
            MONTH_NAMES[MONTH_EN][(d.month() - 1) as usize],
            d.year()
        ),
        d,
    )
}

fn sentence(kind: usize, region: &str, when: &str) -> String {
    match kind % 3 {
        0 => format!("On {when}, Russian forces shelled villages in {region}."),
        1 => format!("On {when}, Ukrainian forces launched an offensive into {region}."),
        _ => format!("On {when}, troops clashed with enemy units in {region}."),
    }
}

/// `n` generated articles as JSONL. Each reports two happenings; the second is the
/// first of an earlier article, so later articles merge into existing events.
pub fn articles_jsonl(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let (when, date) = day(i * 7);
        let (when2, _) = day((i / 2) * 7);
        let text = format!(
            "{} {} The report, number {i}, was filed by the crash-test desk.",
            sentence(i, REGIONS[i % 8], &when),
            sentence(i / 2, REGIONS[(i / 2) % 8], &when2),
        );
        let published = date.checked_add(jiff::Span::new().days(1)).unwrap();
        let line = serde_json::json!({
            "url": format!("https://crash.linimasa.example/articles/{i}"),
            "title": format!("Report {i}"),
            "publisher": "Crash Test Wire",
            "published_at": published.to_string(),
            "language": "en",
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// What a store holds, and what must never be.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub articles: i64,
    pub events: i64,
    pub sources: i64,
    /// Articles stored without a single source row: half-written.
    pub orphan_articles: i64,
    /// Events without a source.
    pub orphan_events: i64,
    /// (event id, number of sources), sorted.
    pub event_sources: Vec<(String, i64)>,
}

pub async fn snapshot(url: &str) -> Snapshot {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    let mut one = async |sql: &'static str| -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let articles = one("SELECT COUNT(*) FROM articles").await;
    let events = one("SELECT COUNT(*) FROM events").await;
    let sources = one("SELECT COUNT(*) FROM event_sources").await;
    let orphan_articles = one(
        "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.article_id = a.id)",
    )
    .await;
    let orphan_events = one(
        "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id)",
    )
    .await;
    let event_sources: Vec<(String, i64)> = sqlx::query_as(
        "SELECT e.id, (SELECT COUNT(*) FROM event_sources s WHERE s.event_id = e.id) FROM events e ORDER BY e.id",
    )
    .fetch_all(&mut c)
    .await
    .expect("event ids");
    Snapshot {
        articles,
        events,
        sources,
        orphan_articles,
        orphan_events,
        event_sources,
    }
}

/// Runs `linimasa ingest FILE` to the end; returns the time it took.
fn ingest(url: &str, file: &Path) -> Duration {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_linimasa"))
        .args(["ingest", "--database-url", url])
        .arg(file)
        .env_remove("DATABASE_URL")
        .output()
        .expect("ingest runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

/// Starts `linimasa ingest FILE` and kills it (SIGKILL) once `after` articles have
/// been reported stored, `delay` later, mid-way through the next ones.
fn ingest_and_kill(url: &str, file: &Path, after: usize, delay: Duration) -> usize {
    let mut child = Command::new(env!("CARGO_BIN_EXE_linimasa"))
        .args(["ingest", "--database-url", url])
        .arg(file)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ingest starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stored = 0;
    while stored < after {
        match lines.next() {
            Some(Ok(l)) if l.starts_with("added") => stored += 1,
            Some(Ok(_)) => {}
            _ => break,
        }
    }
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    stored
}

/// One backend: a clean run, then `runs` killed-and-resumed runs on fresh databases,
/// each compared with the clean one. `fresh` makes a new empty (migrated) database.
async fn crash_consistency<F, Fut>(backend: &str, n: usize, runs: usize, mut fresh: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<TestApp>>,
{
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.jsonl");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(articles_jsonl(n).as_bytes())
        .unwrap();

    let Some(clean) = fresh().await else {
        return;
    };
    let took = ingest(&clean.database_url, &file);
    let want = snapshot(&clean.database_url).await;
    assert_eq!(want.articles as usize, n, "{backend}: every article stored");
    assert_eq!(
        want.orphan_articles, 0,
        "{backend}: every article has events"
    );
    assert_eq!(want.orphan_events, 0);
    assert!(
        want.sources > want.events,
        "{backend}: the articles merge into shared events"
    );
    eprintln!(
        "crash[{backend}]: clean run: {} articles, {} events, {} sources in {:.1} s",
        want.articles,
        want.events,
        want.sources,
        took.as_secs_f64()
    );

    let mut seed = std::process::id() as u64 ^ Instant::now().elapsed().as_nanos() as u64;
    for run in 0..runs {
        // Kill points spread over the run, each a little after an article was stored.
        let mut after = (n * (run + 1) / (runs + 1)).max(1);
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut delay = Duration::from_millis((seed >> 33) % 40);
        // `ingest` prints a batch's lines when it commits, and extraction runs ahead of
        // the writer: the rest of a small file may be stored before the kill lands. Then
        // the run is made again on a fresh database, killed earlier and at once.
        let mut attempt = 0;
        let (app, stored, mid) = loop {
            let Some(app) = fresh().await else {
                return;
            };
            let stored = ingest_and_kill(&app.database_url, &file, after, delay);
            let mid = snapshot(&app.database_url).await;
            attempt += 1;
            if (mid.articles as usize) < n || attempt == 4 {
                break (app, stored, mid);
            }
            after = (after / 2).max(1);
            delay = Duration::ZERO;
        };
        assert_eq!(
            mid.orphan_articles, 0,
            "{backend} run {run}: an article without its events after kill -9"
        );
        assert_eq!(mid.orphan_events, 0);
        assert!(
            (mid.articles as usize) >= stored && (mid.articles as usize) < n,
            "{backend} run {run}: killed mid-way ({} of {n} stored, {stored} reported)",
            mid.articles
        );
        let took = ingest(&app.database_url, &file);
        let got = snapshot(&app.database_url).await;
        assert_eq!(
            got, want,
            "{backend} run {run}: killed after {} articles, then resumed",
            mid.articles
        );
        eprintln!(
            "crash[{backend}]: run {}: killed with {} of {n} articles stored; the resumed run took {:.1} s and equals the clean run",
            run + 1,
            mid.articles,
            took.as_secs_f64()
        );
    }
}

fn size() -> (usize, usize) {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (
        env("LINIMASA_CRASH_ARTICLES", 150),
        env("LINIMASA_CRASH_RUNS", 1),
    )
}

#[tokio::test]
async fn kill_9_mid_ingest_then_resume_equals_a_clean_run_on_sqlite() {
    let (n, runs) = size();
    crash_consistency("sqlite", n, runs, || async { Some(app().await) }).await;
}

#[tokio::test]
async fn kill_9_mid_ingest_then_resume_equals_a_clean_run_on_postgres() {
    let (n, runs) = size();
    crash_consistency("postgres", n, runs, postgres_app).await;
}
