//! `Store::ingest_batch` decides a whole batch of articles first and then writes it a
//! table at a time (issue 19 target 5). The rows must be those `Store::ingest` writes
//! article by article: the same events, merges, source positions, links, docs, kept
//! counts and full text, on both backends.

use linimasa::pipeline::Extraction;
use linimasa::pipeline::events::ArticleInput;
use linimasa::store::Store;
use sqlx::Connection;

use crate::common::*;

/// Reports written for this test: several articles about each of a few shellings, told
/// in different words (so that their texts differ) and some on other days.
fn inputs() -> Vec<ArticleInput> {
    let mut v = Vec::new();
    let tellings = [
        "On {d} September 2024, Russian forces shelled the {r} region, officials said.",
        "Officials said Russian forces shelled the {r} region on {d} September 2024.",
        "Russian troops shelled the {r} region on {d} September 2024, the governor wrote.",
        "The governor wrote that on {d} September 2024 Russian artillery shelled the {r} region.",
    ];
    let mut n = 0;
    for (t, telling) in tellings.iter().enumerate() {
        for (r, region) in ["Sumy", "Kharkiv", "Kherson"].iter().enumerate() {
            // Most reports of a region share its day; every third is a day later.
            let day = 3 + r + usize::from((t + r) % 3 == 2);
            n += 1;
            v.push(ArticleInput {
                url: Some(format!(
                    "https://fixtures.linimasa.example/en/batch-rows-{n}"
                )),
                title: Some(format!("Shelling in {region}")),
                published: Some(jiff::civil::date(2024, 9, 12)),
                language: Some("en".into()),
                text: telling
                    .replace("{d}", &day.to_string())
                    .replace("{r}", region),
                ..Default::default()
            });
        }
    }
    v
}

/// Every row of the tables an ingest writes, but for the times it was written at (and
/// `scope_versions`, bumped once per transaction), as sorted text lines per table.
async fn rows(url: &str, backend: &str) -> Vec<Vec<String>> {
    let mut queries = vec![
        "SELECT id || '|' || COALESCE(url, '') || '|' || content_hash || '|' || COALESCE(title, '') || '|' || language FROM articles",
        "SELECT id || '|' || date_lo || '|' || date_hi || '|' || event_type || '|' || status || '|' || doc_sources || '|' || doc FROM events",
        "SELECT iso_code || '|' || date_lo || '|' || date_hi || '|' || event_id FROM event_regions",
        "SELECT country || '|' || date_lo || '|' || date_hi || '|' || event_id FROM event_countries",
        "SELECT actor || '|' || date_lo || '|' || date_hi || '|' || event_id || '|' || role FROM event_actors",
        "SELECT event_id || '|' || article_id || '|' || position || '|' || COALESCE(url, '') || '|' || evidence_text || '|' || evidence_start || '|' || evidence_end FROM event_sources",
        "SELECT scope || '|' || facet || '|' || key || '|' || n FROM facet_counts",
    ];
    if backend == "sqlite" {
        // The full-text row of each event, keyed by its day and `seq`.
        queries.push("SELECT id || '|' || seq FROM events");
        queries.push("SELECT rowid || '|' || body || '|' || scope FROM event_fts");
    } else {
        queries.push("SELECT event_id || '|' || body FROM event_text");
        // The word signature of each link row (migration 0018): a new event's texts,
        // with its merges' OR-ed in.
        queries.extend([
            "SELECT iso_code || '|' || event_id || '|' || w0 || '|' || w1 || '|' || w2 || '|' || w3 FROM event_regions",
            "SELECT country || '|' || event_id || '|' || w0 || '|' || w1 || '|' || w2 || '|' || w3 FROM event_countries",
            "SELECT actor || '|' || event_id || '|' || w0 || '|' || w1 || '|' || w2 || '|' || w3 FROM event_actors",
        ]);
        queries.push("SELECT 'unknown signatures: ' || COUNT(*) FROM event_regions WHERE w0 < 0");
    }
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    let mut out = Vec::new();
    for q in queries {
        let mut v: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {q}: {e}"));
        v.sort();
        out.push(v);
    }
    out
}

#[tokio::test]
async fn a_batch_stores_the_rows_its_articles_store_one_by_one() {
    sqlx::any::install_default_drivers();
    let mut pairs = vec![(app().await, app().await)];
    if let (Some(a), Some(b)) = (postgres_app().await, postgres_app().await) {
        pairs.push((a, b));
    }
    for (batched, single) in pairs {
        let backend = batched.backend;
        let xs: Vec<Extraction> = inputs()
            .iter()
            .map(|i| batched.extractor.extract(i).expect("extracts"))
            .collect();
        assert!(
            xs.iter().all(|x| !x.events.is_empty()),
            "{backend}: every report makes an event"
        );
        // The first three stored alone on both stores: the batch then merges into stored
        // events as well as into events it adds itself.
        for x in &xs[..3] {
            let a = batched.store.ingest(x).await.expect("ingest");
            let b = single.store.ingest(x).await.expect("ingest");
            assert_eq!(a.added, b.added);
        }
        // The rest as one batch, with one article twice and one already stored.
        let mut batch: Vec<&Extraction> = xs[3..].iter().collect();
        batch.insert(4, &xs[5]);
        batch.push(&xs[1]);
        // Through a store of its own, to see that the one-pass writer wrote it (and did
        // not leave it to the article-by-article writes, which give the same rows).
        let store = linimasa::store::db::SqlStore::connect(&batched.database_url)
            .await
            .expect("store");
        let got = store.ingest_batch(&batch).await.expect("batch");
        assert_eq!(store.batches_written_again(), 0, "{backend}");
        let mut want = Vec::new();
        for x in &batch {
            want.push(single.store.ingest(x).await.expect("ingest"));
        }
        assert_eq!(got.len(), want.len(), "{backend}");
        let mut merged_in_batch = 0;
        for (g, w) in got.iter().zip(&want) {
            let g = g.as_ref().expect("each article is stored");
            assert_eq!(
                (&g.article_id, g.duplicate, &g.added, &g.merged),
                (&w.article_id, w.duplicate, &w.added, &w.merged),
                "{backend}"
            );
            merged_in_batch += g.merged.len();
        }
        assert!(got[4].as_ref().is_ok_and(|o| o.duplicate), "{backend}");
        assert!(
            got.last().unwrap().as_ref().is_ok_and(|o| o.duplicate),
            "{backend}"
        );
        // Merges into stored events and into events of the batch, several into one.
        assert!(merged_in_batch >= 6, "{backend}: {merged_in_batch} merges");
        let (a, b) = (
            rows(&batched.database_url, backend).await,
            rows(&single.database_url, backend).await,
        );
        for (x, y) in a.iter().zip(&b) {
            assert!(!x.is_empty(), "{backend}: a table is empty");
            assert_eq!(x, y, "{backend}");
        }
        // Several sources at one event, at the positions one by one gives them.
        assert!(
            a[5].iter().any(|s| s.split('|').nth(2) == Some("2")),
            "{backend}: {:?}",
            a[5]
        );
    }
}
