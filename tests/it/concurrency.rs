//! Many instances, one database: processes that ingest the same article at the same
//! moment store it once.

use sqlx::Connection;
use std::process::Command;

use crate::common::*;

#[tokio::test]
async fn parallel_ingests_of_one_article_store_it_once() {
    let fixture = manifest().join("tests/fixtures/articles/01-kursk-offensive.json");
    let mut targets = Vec::new();
    let sqlite = app().await;
    let dir = tempfile::tempdir().unwrap();
    targets.push((
        "sqlite",
        format!("sqlite://{}", dir.path().join("shared.db").display()),
        sqlite,
    ));
    if let Some(pg) = postgres_app().await {
        let url = pg.database_url.clone();
        targets.push(("postgres", url, pg));
    }
    for (backend, url, _app) in &targets {
        // Create the schema first, as an operator's `linimasa migrate` would.
        let m = Command::new(env!("CARGO_BIN_EXE_linimasa"))
            .args(["migrate", "--database-url", url])
            .output()
            .unwrap();
        assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
        let children: Vec<_> = (0..6)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_linimasa"))
                    .args(["ingest", "--database-url", url, fixture.to_str().unwrap()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        for o in &outs {
            assert!(
                o.status.success(),
                "{backend}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let stdouts: Vec<String> = outs
            .iter()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .collect();
        let says = |word: &str| {
            stdouts
                .iter()
                .filter(|o| o.lines().any(|l| l.starts_with(word)))
                .count()
        };
        assert_eq!(
            (says("added "), says("skipped ")),
            (1, 5),
            "{backend}: exactly one process stores the article: {stdouts:#?}"
        );

        let store = linimasa::store::connect(url).await.unwrap();
        let all = store
            .list_events(&linimasa::store::EventQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "{backend}: {all:#?}");
        assert!(
            all.iter().all(|e| e.sources.len() == 1),
            "{backend}: no duplicate sources"
        );
    }
}

/// The writers of both backends store the same rows: the fixture articles ingested
/// into SQLite and into PostgreSQL (whose writer sends a new event with its links,
/// sources and full text as one statement) give the same events, links and sources,
/// column by column, and the same full text per event.
#[tokio::test]
async fn both_backends_store_the_same_rows() {
    let Some(pg) = postgres_app().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("rows.db").display());
    let articles = manifest().join("tests/fixtures/articles");
    for url in [&sqlite, &pg.database_url] {
        let o = Command::new(env!("CARGO_BIN_EXE_linimasa"))
            .args(["ingest", "--database-url", url, articles.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let queries = [
        "SELECT id || '|' || date_lo || '|' || date_hi || '|' || event_type || '|' || status || '|' || doc_sources FROM events",
        "SELECT iso_code || '|' || date_lo || '|' || date_hi || '|' || event_id FROM event_regions",
        "SELECT country || '|' || date_lo || '|' || date_hi || '|' || event_id FROM event_countries",
        "SELECT actor || '|' || date_lo || '|' || date_hi || '|' || event_id || '|' || role FROM event_actors",
        "SELECT event_id || '|' || article_id || '|' || position || '|' || COALESCE(url, '') || '|' || COALESCE(title, '') || '|' || COALESCE(publisher, '') || '|' || COALESCE(published_at, '') || '|' || evidence_text || '|' || evidence_start || '|' || evidence_end FROM event_sources",
    ];
    let mut s = sqlx::SqliteConnection::connect(&sqlite).await.unwrap();
    let mut p = sqlx::PgConnection::connect(&pg.database_url).await.unwrap();
    for q in queries {
        let mut a: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .fetch_all(&mut s)
            .await
            .unwrap();
        let mut b: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .fetch_all(&mut p)
            .await
            .unwrap();
        a.sort();
        b.sort();
        assert!(!a.is_empty(), "{q}");
        assert_eq!(a, b, "{q}");
    }
    // Full text: SQLite keeps one row per event (its texts joined by newlines),
    // PostgreSQL one per source.
    let texts: Vec<(String, String)> = sqlx::query_as("SELECT event_id, body FROM event_text")
        .fetch_all(&mut p)
        .await
        .unwrap();
    let mut joined: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (id, body) in texts {
        joined
            .entry(id)
            .or_default()
            .extend(body.lines().map(String::from));
    }
    // Each doc holds its sources as `event_sources` lists them, merges included (a
    // merge writes the doc from the one it read and the new sources, without reading
    // the table back), and the docs are the same on both backends.
    let docs_query = "SELECT id, doc FROM events ORDER BY id";
    let sources_query = "SELECT event_id, article_id, evidence_start FROM event_sources \
                         ORDER BY event_id, position, article_id, evidence_start";
    let mut docs = Vec::new();
    for (docs_of, sources_of) in [
        (
            sqlx::query_as::<_, (String, String)>(docs_query)
                .fetch_all(&mut s)
                .await
                .unwrap(),
            sqlx::query_as::<_, (String, String, i64)>(sources_query)
                .fetch_all(&mut s)
                .await
                .unwrap(),
        ),
        (
            sqlx::query_as::<_, (String, String)>(docs_query)
                .fetch_all(&mut p)
                .await
                .unwrap(),
            sqlx::query_as::<_, (String, String, i64)>(sources_query)
                .fetch_all(&mut p)
                .await
                .unwrap(),
        ),
    ] {
        let mut held: std::collections::BTreeMap<String, Vec<(String, i64)>> = Default::default();
        for (event, article, start) in sources_of {
            held.entry(event).or_default().push((article, start));
        }
        assert!(held.values().any(|v| v.len() > 1), "no merge to check");
        for (id, doc) in &docs_of {
            let doc: serde_json::Value = serde_json::from_str(doc).unwrap();
            let in_doc: Vec<(String, i64)> = doc["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["article_id"].as_str().unwrap().to_string(),
                        s["evidence"]["start"].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(in_doc, held.remove(id).unwrap_or_default(), "{id}");
        }
        docs.push(docs_of);
    }
    assert_eq!(docs[0], docs[1], "docs differ between the backends");
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT event_id, body FROM event_text")
        .fetch_all(&mut s)
        .await
        .unwrap();
    assert_eq!(rows.len(), joined.len());
    for (id, body) in rows {
        let mut want = joined.remove(&id).unwrap_or_default();
        let mut got: Vec<String> = body.lines().map(String::from).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{id}");
    }
}
