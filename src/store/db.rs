//! The store on SQL: one implementation for SQLite (the embedded default, one file in
//! WAL mode) and PostgreSQL (shared by many stateless `serve` instances), through
//! sqlx's runtime-generic driver. The SQL is the same on both (`$n` placeholders,
//! `ON CONFLICT DO NOTHING`); what differs — migrations, full-text search, the lock
//! that serialises merges — is chosen by [`Backend`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{AnyPool, AssertSqlSafe, Executor, Row};

use super::counts::Touched;
use super::health::Health;
use super::sql::{self, Bind, Sql};
use super::words::{self, Signature};
use super::{
    ArticleRecord, Count, EventQuery, EventsJson, Facet, IngestOutcome, KeyInfo, Store, StoreError,
    StoreOptions, Timeline, Tombstone, key_hash, new_secret, now,
};
use crate::domain::patch::HistoryEntry;
use crate::domain::{Event, EventDate, Evidence, Source, Status};
// May two reported intervals be one happening's date: the rule merging within an
// article uses too.
use crate::pipeline::Extraction;
use crate::pipeline::merge::same_time;
use crate::text::fold;

mod batch;
pub use batch::{Report, batch_candidates};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// The statement timeout on every connection (lifted for migrations): PostgreSQL's
    /// own, SQLite's from `sqlite_timeout`.
    statement_timeout: Option<Duration>,
    /// SQLite: page reads through the C API (`sqlite_read`); none for an in-memory
    /// database.
    readers: Option<super::sqlite_read::Readers>,
    /// PostgreSQL: page reads on the driver itself (`pg_read`), not through `Any`.
    pages: Option<super::pg_read::Pages>,
    health: Arc<Health>,
    /// SQLite: the URL that creates the file (the pool's connections never do, so that
    /// a file deleted while serving is not replaced by an empty one); none when the URL
    /// chose its own mode, for an in-memory database and for PostgreSQL.
    create_url: Option<String>,
    /// SQLite: the connection the last batch of [`Store::ingest_batch`] was written on
    /// and when it was taken from the pool, kept for the next batch until
    /// [`Store::end_batches`]. In WAL mode a connection empties its page cache when it
    /// finds that another connection wrote since its last transaction: batches taken by
    /// the pool's idle connections in turn read back from the file every page the
    /// previous batch had written.
    kept: std::sync::Mutex<Option<(Writer, std::time::Instant)>>,
    /// Batches of [`Store::ingest_batch`] that the one-pass writer (`batch`) left to
    /// the article-by-article writes (see [`SqlStore::batches_written_again`]).
    written_again: std::sync::atomic::AtomicU64,
}

/// A pooled connection for one write transaction. Unless the transaction is seen
/// through to its end ([`Writer::finished`]) the connection is closed, not put back in
/// the pool: after a failed statement or COMMIT SQLite may have rolled the transaction
/// back itself or kept it open, and a connection whose transaction state sqlx no longer
/// knows made the next write's COMMIT a savepoint's RELEASE inside a transaction that
/// was never committed (an acknowledged write, lost) and held the write lock.
pub(super) struct Writer {
    conn: PoolConnection<sqlx::Any>,
    pub(super) finished: bool,
}

impl Writer {
    pub(super) async fn begin(&mut self) -> Result<Tx<'_>, StoreError> {
        Ok(sqlx::Connection::begin(&mut *self.conn).await?)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.finished {
            self.conn.close_on_drop();
        }
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

pub(super) fn query_with(s: &Sql) -> AnyQuery<'_> {
    let mut q = sqlx::query(AssertSqlSafe(s.text.as_str()));
    for b in &s.binds {
        q = match b {
            Bind::Text(t) => q.bind(t.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Real(r) => q.bind(*r),
            Bind::OptText(t) => q.bind(t.as_deref()),
        };
    }
    q
}

impl SqlStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, &StoreOptions::default()).await
    }

    pub async fn connect_with(url: &str, opts: &StoreOptions) -> Result<Self, StoreError> {
        let (options, pool_url, backend, health) = Self::options(url, opts)?;
        let create_url = create_url(url, backend);
        create_file(create_url.as_deref()).await?;
        let pool = options.connect(&pool_url).await?;
        Ok(Self::with_pool(pool, url, backend, opts, health))
    }

    /// A pool that connects on first use.
    pub fn connect_lazy(url: &str) -> Result<Self, StoreError> {
        Self::connect_lazy_with(url, &StoreOptions::default())
    }

    pub fn connect_lazy_with(url: &str, opts: &StoreOptions) -> Result<Self, StoreError> {
        let (options, pool_url, backend, health) = Self::options(url, opts)?;
        let pool = options.connect_lazy(&pool_url)?;
        Ok(Self::with_pool(pool, url, backend, opts, health))
    }

    fn with_pool(
        pool: AnyPool,
        url: &str,
        backend: Backend,
        opts: &StoreOptions,
        health: Arc<Health>,
    ) -> Self {
        let timeout_ms = opts
            .statement_timeout
            .map_or(0, |t| t.as_millis().max(1) as u64);
        SqlStore {
            pool,
            backend,
            statement_timeout: opts.statement_timeout,
            readers: match backend {
                Backend::Sqlite => {
                    super::sqlite_read::Readers::for_url(url, timeout_ms, health.clone())
                }
                Backend::Postgres => None,
            },
            pages: match backend {
                Backend::Sqlite => None,
                Backend::Postgres => super::pg_read::Pages::for_url(
                    url,
                    POOL_POSTGRES,
                    postgres_session(opts.statement_timeout.map(|t| t.as_millis().max(1))),
                    health.clone(),
                ),
            },
            create_url: create_url(url, backend),
            health,
            kept: std::sync::Mutex::new(None),
            written_again: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn options(
        url: &str,
        opts: &StoreOptions,
    ) -> Result<(AnyPoolOptions, String, Backend, Arc<Health>), StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| StoreError::Url(url.to_string()))?;
        let file = match backend {
            Backend::Sqlite => super::sqlite_read::file_path(url),
            Backend::Postgres => None,
        };
        let health = Arc::new(Health::new(file.map(std::path::PathBuf::from)));
        let url = match backend {
            // A file is created by `create_file` (on connecting and migrating), never by
            // the pool's connections: one opened after the file was deleted fails (503)
            // rather than serving an empty database.
            Backend::Sqlite if !url.contains("mode=") => {
                let mode = if file.is_some() { "rw" } else { "rwc" };
                format!(
                    "{url}{}mode={mode}",
                    if url.contains('?') { '&' } else { '?' }
                )
            }
            _ => url.to_string(),
        };
        let timeout_ms = opts.statement_timeout.map(|t| t.as_millis().max(1));
        if backend == Backend::Sqlite {
            super::sqlite_timeout::install();
        }
        let max_pages = opts.sqlite_max_pages;
        let check = health.clone();
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite {
                8
            } else {
                POOL_POSTGRES
            })
            // Fail fast when the database is away: callers answer 503, not hang.
            .acquire_timeout(Duration::from_secs(5))
            // A connection opened before a fault of the store, or on a file since deleted
            // or replaced, is closed rather than reused (see `Health`).
            .before_acquire(move |_conn, meta| {
                let usable = check.usable(meta.age);
                Box::pin(async move { Ok(usable) })
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            for pragma in [
                                "PRAGMA journal_mode = WAL",
                                "PRAGMA synchronous = NORMAL",
                                "PRAGMA foreign_keys = ON",
                                "PRAGMA busy_timeout = 10000",
                                // The journal of each article's savepoint in memory, not
                                // in a temporary file written and read back.
                                "PRAGMA temp_store = MEMORY",
                            ] {
                                conn.execute(pragma).await?;
                            }
                            if let Some(ms) = timeout_ms {
                                conn.execute(AssertSqlSafe(timeout_sql(backend, ms)))
                                    .await?;
                            }
                            if let Some(p) = max_pages {
                                conn.execute(AssertSqlSafe(format!("PRAGMA max_page_count = {p}")))
                                    .await?;
                            }
                        }
                        Backend::Postgres => {
                            for s in postgres_session(timeout_ms) {
                                conn.execute(AssertSqlSafe(s)).await?;
                            }
                        }
                    }
                    Ok(())
                })
            });
        Ok((options, url, backend, health))
    }

    /// A connection of the pool for one write transaction.
    pub(super) async fn writer(&self) -> Result<Writer, StoreError> {
        Ok(Writer {
            conn: self.pool.acquire().await?,
            finished: false,
        })
    }

    /// A connection for one batch of [`Store::ingest_batch`]: on SQLite the one the
    /// previous batch was written on, unless the store retired it since (a fault, or
    /// the file replaced); its page cache is larger than a reader's.
    async fn batch_writer(&self) -> Result<(Writer, std::time::Instant), StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok((self.writer().await?, std::time::Instant::now()));
        }
        let kept = self.kept.lock().ok().and_then(|mut k| k.take());
        if let Some((w, since)) = kept {
            if self.health.usable_since(since) {
                return Ok((w, since));
            }
            // Closed, not put back in the pool (`finished` stays false).
            let mut w = w;
            w.finished = false;
        }
        let since = std::time::Instant::now();
        let mut w = self.writer().await?;
        w.conn
            .execute(AssertSqlSafe(format!(
                "PRAGMA cache_size = -{BATCH_CACHE_KIB}"
            )))
            .await?;
        w.conn
            .execute(AssertSqlSafe(format!(
                "PRAGMA wal_autocheckpoint = {BATCH_CHECKPOINT_PAGES}"
            )))
            .await?;
        Ok((w, since))
    }

    /// Keeps `w`, whose batch committed, for the next batch.
    fn keep(&self, w: Writer, since: std::time::Instant) {
        if self.backend != Backend::Sqlite {
            return;
        }
        if let Ok(mut k) = self.kept.lock() {
            *k = Some((w, since));
        }
    }

    /// Records how a write ended (see `Health`) and passes its result on.
    pub(super) fn track<T>(&self, r: Result<T, StoreError>) -> Result<T, StoreError> {
        match &r {
            Ok(_) => self.health.wrote(true, false),
            Err(e) => {
                let fault = e.is_store_fault();
                if fault {
                    tracing::warn!(error = %e, "a write failed for a fault of the store");
                }
                self.health.wrote(false, fault)
            }
        }
        r
    }

    /// A write that needs room in the database and commits, leaving nothing behind: after
    /// a fault, whether writes go through again.
    async fn probe_write(&self) -> Result<(), StoreError> {
        let mut w = self.writer().await?;
        let mut tx = w.begin().await?;
        sqlx::query("INSERT INTO write_probe (pad) VALUES ($1)")
            .bind(" ".repeat(PROBE_BYTES))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM write_probe")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        w.finished = true;
        Ok(())
    }

    /// How many batches this store wrote again article by article after the one-pass
    /// writer left them (a failing article, a doc from before migration 0008, …): for
    /// tests and benchmarks, which expect none on ordinary input.
    pub fn batches_written_again(&self) -> u64 {
        self.written_again
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(super) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The `version` column of the one row `s` selects (on SQLite through the C API:
    /// every read that can be cached asks for one).
    async fn read_version(&self, s: Sql) -> Result<i64, StoreError> {
        if let Some(readers) = &self.readers {
            let v = readers
                .query(
                    s,
                    None,
                    |v, r| {
                        *v = Some(r.int("version")?);
                        Ok(std::ops::ControlFlow::Break(()))
                    },
                    |v| v,
                )
                .await?;
            return v.ok_or_else(|| StoreError::Corrupt("no version".into()));
        }
        Ok(query_with(&s)
            .fetch_one(&self.pool)
            .await?
            .try_get("version")?)
    }

    /// Whether `words` match at least [`COMMON_MATCHES`] events (SQLite only;
    /// PostgreSQL's planner decides for itself from its statistics). Counting stops there, so the
    /// question costs at most that many postings.
    async fn common_words(&self, words: &[String]) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM event_fts WHERE event_fts MATCH $1 LIMIT $2)",
        )
        .bind(fts5_query(words))
        .bind(COMMON_MATCHES)
        .fetch_one(&self.pool)
        .await?;
        Ok(n >= COMMON_MATCHES)
    }

    /// The condition on `e` that `q`'s words impose, for this backend's full-text index.
    /// `common`: the words match so many events that the query should check the
    /// candidates it reads in page order (SQLite: one doclist seek per event) rather
    /// than list every match first.
    fn fts(&self, sql: &mut Sql, words: &[String], common: bool) -> String {
        match self.backend {
            Backend::Sqlite => {
                let p = sql.bind(Bind::Text(fts5_query(words)));
                if common {
                    // The event's row: its day and seq (migration 0013).
                    format!(
                        "EXISTS (SELECT 1 FROM event_fts WHERE event_fts MATCH {p} AND event_fts.rowid = {})",
                        sql::fts_key_of_event()
                    )
                } else {
                    format!(
                        "e.seq IN (SELECT rowid & {} FROM event_fts WHERE event_fts MATCH {p})",
                        sql::FTS_DAY - 1
                    )
                }
            }
            Backend::Postgres => {
                let words: Vec<String> = words.iter().map(|w| fold(w)).collect();
                let p = sql.bind(Bind::Text(words.join(" ")));
                format!(
                    "e.id IN (SELECT event_id FROM event_text WHERE tsv @@ plainto_tsquery('simple', {p}))"
                )
            }
        }
    }

    /// Writes `e`'s doc with its sources as `event_sources` holds them in `tx`, and
    /// stamps it updated at `ts`. The caller has locked the event's row in `tx`.
    async fn write_doc(&self, tx: &mut Tx<'_>, e: &mut Event, ts: &str) -> Result<(), StoreError> {
        e.sources = sources_of(&mut **tx, std::slice::from_ref(&e.id))
            .await?
            .remove(&e.id)
            .unwrap_or_default();
        sqlx::query("UPDATE events SET doc = $1, doc_sources = 1, updated_at = $2 WHERE id = $3")
            .bind(event_doc(e)?)
            .bind(ts)
            .bind(&e.id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Gives every event stored before migration 0008 a doc with its sources, a batch
    /// at a time (each batch its own transaction). A doc a writer rewrote meanwhile
    /// already has its sources and is left alone. Returns how many were rewritten.
    async fn embed_sources(&self) -> Result<u64, StoreError> {
        const BATCH: i64 = 1_000;
        let mut done = 0u64;
        loop {
            let rows = sqlx::query(
                "SELECT id, doc FROM events WHERE doc_sources = 0 ORDER BY id LIMIT $1",
            )
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(done);
            }
            let mut events = Vec::with_capacity(rows.len());
            for r in &rows {
                events.push(event_from_row(
                    r.try_get("doc")?,
                    "extracted",
                    String::new(),
                    String::new(),
                )?);
            }
            let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
            let mut sources = sources_of(&self.pool, &ids).await?;
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            for mut e in events {
                e.sources = sources.remove(&e.id).unwrap_or_default();
                sqlx::query(
                    "UPDATE events SET doc = $1, doc_sources = 1 WHERE id = $2 AND doc_sources = 0",
                )
                .bind(event_doc(&e)?)
                .bind(&e.id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            w.finished = true;
            done += rows.len() as u64;
            if done % 100_000 < BATCH as u64 {
                tracing::info!(events = done, "docs rewritten with their sources");
            }
        }
    }

    /// The `GET /events` query for `q` on this backend.
    async fn list_sql(&self, q: &EventQuery) -> Result<Sql, StoreError> {
        Ok(if self.backend == Backend::Sqlite && !q.q.is_empty() {
            if let Some(scope) = sql::fts5_scope(q) {
                // Words in a region or country: FTS5 intersects both in date order.
                sql::list_events_scoped(q, &scope, &fts5_query(&q.q))
            } else if self.common_words(&q.q).await? {
                sql::list_events(q, true, |sql, words| self.fts(sql, words, true))
            } else {
                sql::list_events_by_words(q, |sql, words| {
                    let p = sql.bind(Bind::Text(fts5_query(words)));
                    format!(
                        "SELECT rowid & {} AS seq FROM event_fts WHERE event_fts MATCH {p}",
                        sql::FTS_DAY - 1
                    )
                })
            }
        } else if let Some(s) = (self.backend == Backend::Postgres && !q.q.is_empty())
            .then(|| {
                let folded: Vec<String> = q.q.iter().map(|w| fold(w)).collect();
                sql::list_events_linked_words(
                    q,
                    super::words::mask(&folded),
                    super::words::exact(&folded),
                    |sql, _| {
                        let p = sql.bind(Bind::Text(folded.join(" ")));
                        format!("plainto_tsquery('simple', {p})")
                    },
                )
            })
            .flatten()
        {
            // Words in one place: the place's range, each event's words checked before
            // its row is read.
            s
        } else if (q.from.is_some() && !sql::has_link(q))
            || (self.backend == Backend::Sqlite && self.type_drives(q).await?)
        {
            // A date window with no place: three ranges of first days (migration 0014
            // on both backends).
            sql::list_events_unlinked(q, self.backend == Backend::Postgres, |sql, words| {
                self.fts(sql, words, false)
            })
        } else {
            sql::list_events(q, self.backend == Backend::Sqlite, |sql, words| {
                self.fts(sql, words, false)
            })
        })
    }

    /// Whether a page of one type in one region or country (and nothing else that a
    /// link drives) is better read from the type's index than from the place's link
    /// range: each reads events in page order until the page is full, and the one with
    /// fewer events in all holds the page's events more densely (both contain every
    /// match). Told by the kept counts (migration 0011); without them, the place drives.
    async fn type_drives(&self, q: &EventQuery) -> Result<bool, StoreError> {
        let ([kind], Some(scope)) = (q.types.as_slice(), super::counts::scopes_of(q)) else {
            return Ok(false);
        };
        if scope.len() != 1 || q.regions.len() + q.countries.len() != 1 {
            return Ok(false);
        }
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(SUM(n), 0) FROM facet_counts WHERE scope = $1 AND facet = 'type') AS place, \
                    (SELECT COALESCE(SUM(n), 0) FROM facet_counts WHERE scope = '' AND facet = 'type' AND key = $2) AS kind",
        )
        .bind(&scope[0])
        .bind(kind)
        .fetch_one(&self.pool)
        .await?;
        let (place, kind): (i64, i64) = (row.try_get("place")?, row.try_get("kind")?);
        Ok(kind < place)
    }

    /// An article and its events, written in `tx` (the caller commits, or rolls back a
    /// duplicate: its outcome has `duplicate` set and nothing of it is written).
    async fn ingest_in(
        &self,
        tx: &mut Tx<'_>,
        x: &Extraction,
        touched: &mut Touched,
        earlier: &Touched,
    ) -> Result<IngestOutcome, StoreError> {
        let ts = now();
        // Writing first takes SQLite's write lock at once, and on PostgreSQL a
        // concurrent insert of the same article waits here and then finds the conflict:
        // the unique constraints, not luck, decide who stores it.
        let inserted = sqlx::query(
            "INSERT INTO articles (id, url, content_hash, title, publisher, published_at, language, text, ingested_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(&x.article_id)
        .bind(&x.url)
        .bind(&x.content_hash)
        .bind(&x.title)
        .bind(&x.publisher)
        .bind(&x.published)
        .bind(&x.language)
        .bind(&x.text)
        .bind(&ts)
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let existing = stored_article_id(tx, x).await?;
            return Ok(IngestOutcome {
                article_id: existing.unwrap_or_else(|| x.article_id.clone()),
                duplicate: true,
                added: vec![],
                merged: vec![],
            });
        }
        let mut added = Vec::new();
        let mut merged = Vec::new();
        let mut inserted: Vec<&str> = Vec::new();
        let published = x.published.as_deref().and_then(|p| p.parse().ok());
        for ev in &x.events {
            // Date fields that do not parse are a broken extraction: the article fails
            // (and is rolled back alone).
            let interval = EventDate::of_event(ev).ok_or_else(|| {
                StoreError::Corrupt(format!("event {} has an invalid date", ev.id))
            })?;
            // A well-formed date no report can carry (year 0, years after the article:
            // an extraction built elsewhere) is left out; the article is stored.
            if let Some(why) = crate::pipeline::events::implausible_date(ev, published) {
                tracing::warn!(event.id = %ev.id, article.id = %x.article_id, "event not stored: {why}");
                continue;
            }
            let (lo, hi) = (interval.start.to_string(), interval.end.to_string());
            if self.backend == Backend::Postgres && touched.lock_merges(&ev.event_type, earlier) {
                // Two instances merging reports of the same type take turns: intervals
                // that overlap need not share a day, so the lock is per type (held to
                // the end of the transaction: once per type and transaction).
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(format!("merge|{}", ev.event_type))
                    .execute(&mut **tx)
                    .await?;
            }
            // Reports of one happening state its date differently ("yesterday" in a
            // headline, the day itself in a later article): stored events whose
            // interval overlaps this one are candidates, the identical interval first.
            // Intervals start at most MERGE_REACH_DAYS before this one's start, which
            // keeps the query on the (event_type, date_lo) index.
            let reach = interval
                .start
                .checked_sub(jiff::Span::new().days(MERGE_REACH_DAYS))
                .unwrap_or(interval.start)
                .to_string();
            // An event whose date an editor corrected is also a candidate by the date it
            // was extracted with (migration 0010): later reports carry that one. One
            // statement, each half on its own index, with the place checked there.
            let candidates = match merge_candidates(&Place::of(ev), &reach, &lo, &hi) {
                Some(s) => query_with(&s).fetch_all(&mut **tx).await?,
                None => Vec::new(),
            };
            // The identical interval first, then the oldest event.
            let mut keyed = Vec::with_capacity(candidates.len());
            for r in &candidates {
                let rank: i32 = r.try_get("rank")?;
                let created: &str = r.try_get("created_at")?;
                let id: &str = r.try_get("id")?;
                keyed.push(((rank, created, id), r));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            let mut target = None;
            for (_, r) in keyed {
                let other: Happening = serde_json::from_str(r.try_get("doc")?)
                    .map_err(|err| StoreError::Corrupt(format!("event doc: {err}")))?;
                let span = |c: &str| -> Result<Option<jiff::civil::Date>, StoreError> {
                    let Some(d) = r.try_get::<Option<&str>, _>(c)? else {
                        return Ok(None);
                    };
                    d.parse()
                        .map(Some)
                        .map_err(|err| StoreError::Corrupt(format!("{c} {d:?}: {err}")))
                };
                let mut intervals = Vec::with_capacity(2);
                if let (Some(start), Some(end)) = (span("date_lo")?, span("date_hi")?) {
                    intervals.push(EventDate {
                        start,
                        end,
                        precision: other.date_precision,
                    });
                }
                if let (Some(start), Some(end), Some(p)) = (
                    span("extracted_lo")?,
                    span("extracted_hi")?,
                    r.try_get::<Option<&str>, _>("extracted_precision")?,
                ) {
                    intervals.push(EventDate {
                        start,
                        end,
                        precision: precision_of(p)?,
                    });
                }
                if intervals.iter().any(|stored| {
                    same_time(stored, &interval) && other.same_happening_as(ev, stored.precision)
                }) {
                    target = Some((other, r));
                    break;
                }
            }
            let Some((other, row)) = target else {
                // An id the article gave an event already written in this call is taken
                // (ids hash the article's id, new since its row just went in: no other
                // article's event has it).
                if !inserted.contains(&ev.id.as_str())
                    && self.insert_event(tx, ev, &lo, &hi, &ts, touched).await?
                {
                    inserted.push(&ev.id);
                    touched.count(ev, &lo, 1);
                    added.push(ev.id.clone());
                }
                continue;
            };
            // One more source: the event's answers change, not its counts.
            touched.touch(
                other.regions.iter().map(|r| r.iso_code.as_str()),
                other.countries.iter().map(String::as_str),
            );
            let id = other.id;
            // After the sources it has: counted in the insert, or first when there are
            // more than one statement takes.
            let positions = if ev.sources.len() <= ROWS_PER_INSERT {
                Positions::After
            } else {
                Positions::At(
                    sqlx::query_scalar("SELECT COUNT(*) FROM event_sources WHERE event_id = $1")
                        .bind(&id)
                        .fetch_one(&mut **tx)
                        .await?,
                )
            };
            let mut script = Script::new(self.backend);
            let defer = (self.backend == Backend::Sqlite).then_some(&mut *touched);
            Self::insert_sources(&mut script, &id, positions, &ev.sources, &ev.title, defer);
            // The doc is written again with the sources it holds and the new ones (one
            // round trip on SQLite, two on PostgreSQL, where `event_sources` was read back
            // in two more). A doc from before migration 0008 has no sources: they are
            // read from `event_sources` after the insert.
            let (doc, with_sources) = match self.backend {
                // SQLite's writer has held the database since the article's first
                // statement: the doc just read as a candidate is the stored one.
                Backend::Sqlite => (
                    row.try_get::<String, _>("doc")?,
                    row.try_get::<i64, _>("doc_sources")? == 1,
                ),
                // Locked as it is read (in the statement that inserts the sources, before
                // them): an edit of the same event in another transaction is waited for
                // and then read, not written over with the doc from before it.
                Backend::Postgres => {
                    script.add(|sql| {
                        format!(
                            "SELECT doc, doc_sources FROM events WHERE id = {} FOR UPDATE",
                            sql.bind(Bind::Text(id.clone()))
                        )
                    });
                    let locked = std::mem::replace(&mut script, Script::new(self.backend))
                        .fetch_last(tx)
                        .await?;
                    (
                        locked.try_get::<String, _>("doc")?,
                        locked.try_get::<i64, _>("doc_sources")? == 1,
                    )
                }
            };
            let mut e = event_from_row(&doc, "extracted", String::new(), String::new())?;
            if with_sources {
                e.sources = merged_sources(std::mem::take(&mut e.sources), &ev.sources);
                let doc = event_doc(&e)?;
                script.add(|sql| {
                    format!(
                        "UPDATE events SET doc = {}, doc_sources = 1, updated_at = {} WHERE id = {}",
                        sql.bind(Bind::Text(doc)),
                        sql.bind(Bind::Text(ts.clone())),
                        sql.bind(Bind::Text(id.clone()))
                    )
                });
                script.run(tx).await?;
            } else {
                script.run(tx).await?;
                self.write_doc(tx, &mut e, &ts).await?;
            }
            if !merged.contains(&id) {
                merged.push(id);
            }
        }
        Ok(IngestOutcome {
            article_id: x.article_id.clone(),
            duplicate: false,
            added,
            merged,
        })
    }

    /// Events from rows of `sql::EVENT_COLUMNS`. A doc written before migration 0008
    /// has no sources; theirs are read from `event_sources`.
    async fn events_from_rows(&self, rows: Vec<AnyRow>) -> Result<Vec<Event>, StoreError> {
        let mut events = Vec::with_capacity(rows.len());
        let mut without = Vec::new();
        for r in &rows {
            if r.try_get::<i64, _>("doc_sources")? == 0 {
                without.push(events.len());
            }
            events.push(event_from_row(
                r.try_get("doc")?,
                r.try_get("status")?,
                r.try_get("created_at")?,
                r.try_get("updated_at")?,
            )?);
        }
        if !without.is_empty() {
            let ids: Vec<String> = without.iter().map(|&i| events[i].id.clone()).collect();
            let mut sources = sources_of(&self.pool, &ids).await?;
            for i in without {
                events[i].sources = sources.remove(&events[i].id).unwrap_or_default();
            }
        }
        Ok(events)
    }
}

/// An event from its doc and the fields kept in columns.
fn event_from_row(
    doc: &str,
    status: &str,
    created: String,
    updated: String,
) -> Result<Event, StoreError> {
    let mut e: Event = serde_json::from_str(doc)
        .map_err(|err| StoreError::Corrupt(format!("event doc: {err}")))?;
    e.status = status_of(status)?;
    e.created_at = created;
    e.updated_at = updated;
    Ok(e)
}

/// A status column's value, read as serde reads a `Status` (without copying it into a
/// JSON value first: this runs for every event of every page).
fn status_of(status: &str) -> Result<Status, StoreError> {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        status.into_deserializer();
    Status::deserialize(de).map_err(|err| StoreError::Corrupt(format!("status {status:?}: {err}")))
}

/// A precision column's value, read as serde reads a `Precision`.
fn precision_of(p: &str) -> Result<crate::domain::Precision, StoreError> {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = p.into_deserializer();
    crate::domain::Precision::deserialize(de)
        .map_err(|err| StoreError::Corrupt(format!("precision {p:?}: {err}")))
}

/// How every doc [`event_doc`] writes ends: the fields kept in columns, at the values
/// it gives them (serde writes an `Event`'s fields in their order, and these come last).
const DOC_TAIL: &str = r#","status":"extracted","created_at":"","updated_at":""}"#;

/// The stored doc: the event with its sources, with its status and timestamps (which
/// live in columns) at fixed values, so that it ends with [`DOC_TAIL`].
pub(crate) fn event_doc(e: &Event) -> Result<String, StoreError> {
    let mut d = e.clone();
    d.created_at.clear();
    d.updated_at.clear();
    d.status = Status::Extracted;
    serde_json::to_string(&d).map_err(|err| StoreError::Corrupt(format!("event doc: {err}")))
}

/// A buffer for the page `q` asks for, sized for its events (docs are ~2 KB; growing
/// the buffer as they come would copy it again each time it doubles).
fn page_buffer(q: &EventQuery) -> EventsJson {
    EventsJson::with_capacity((q.limit as usize).min(1001), 2048)
}

/// One row of a page read by `sqlite_read` into `page`; none once a doc is not as
/// `event_doc` writes it (the page is then made the slow way).
fn page_row(
    page: &mut Option<EventsJson>,
    r: &super::sqlite_read::Row<'_>,
) -> Result<std::ops::ControlFlow<()>, StoreError> {
    use std::ops::ControlFlow;
    let Some(events) = page else {
        return Ok(ControlFlow::Break(()));
    };
    let pushed = r.int("doc_sources")? == 1 && {
        let (doc, status) = (r.text("doc")?, r.text("status")?);
        let (created, updated) = (r.text("created_at")?, r.text("updated_at")?);
        events.push_with(r.text("id")?, r.text("date_lo")?, |out| {
            event_json(out, doc, status, created, updated)
        })
    };
    if !pushed {
        *page = None;
        return Ok(ControlFlow::Break(()));
    }
    Ok(ControlFlow::Continue(()))
}

/// An event's JSON as the API serves it, appended to `out`, from a doc with its sources
/// and the column fields, without parsing the doc: its placeholders are replaced with
/// the columns' values. Byte for byte what serialising the [`Event`] would give. False
/// (and nothing appended) for a doc not as `event_doc` writes it.
pub(super) fn event_json(
    out: &mut String,
    doc: &str,
    status: &str,
    created: &str,
    updated: &str,
) -> bool {
    let Some(head) = doc.strip_suffix(DOC_TAIL) else {
        return false;
    };
    // Only a status serde knows goes out.
    let Ok(status) = status_of(status) else {
        return false;
    };
    out.reserve(doc.len() + created.len() + updated.len());
    out.push_str(head);
    out.push_str(",\"status\":\"");
    out.push_str(status.as_str());
    out.push_str("\",\"created_at\":");
    json_string(out, created);
    out.push_str(",\"updated_at\":");
    json_string(out, updated);
    out.push('}');
    true
}

/// `s` as a JSON string, as serde_json writes it (timestamps need no escapes: they are
/// copied as they are).
fn json_string(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x7f)
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else if let Ok(quoted) = serde_json::to_string(s) {
        out.push_str(&quoted);
    }
}

/// What of a new report decides which stored events may be the same happening.
pub struct Place<'a> {
    pub event_type: &'a str,
    /// ISO 3166-2 codes.
    pub regions: Vec<&'a str>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<&'a str>,
    /// Actor slugs.
    pub actors: Vec<&'a str>,
}

impl<'a> Place<'a> {
    pub fn of(ev: &'a Event) -> Place<'a> {
        Place {
            event_type: &ev.event_type,
            regions: ev.regions.iter().map(|r| r.iso_code.as_str()).collect(),
            countries: ev.countries.iter().map(String::as_str).collect(),
            actors: ev.actors.iter().map(|a| a.slug.as_str()).collect(),
        }
    }
}

/// The stored events a new report may merge with: those of its type whose interval, as
/// it is or as it was extracted, starts in [`reach`, `hi`] and ends on or after `lo`, and
/// that are in its place as [`Happening::same_happening_as`] asks — a shared region
/// when the report names regions; else no region and a shared country or actor — read
/// from the link tables, which hold each event's regions, countries and actors as its
/// doc does. Rank 0 for the identical interval. None when no stored event can be the
/// same happening (a report with no region, country or actor).
///
/// Before session 11 the place was checked only in Rust, on every event of the type in
/// the window, each doc read and parsed: after the 10,000 articles of
/// `scripts/bench_articles.py` a new event's window holds 5.0 events of its type on
/// average, 1.0 of them in its region.
pub fn merge_candidates(place: &Place<'_>, reach: &str, lo: &str, hi: &str) -> Option<Sql> {
    let mut sql = Sql::default();
    let text = |v: &str| Bind::Text(v.to_string());
    let (kind, reach, hi, lo) = (
        sql.bind(text(place.event_type)),
        sql.bind(text(reach)),
        sql.bind(text(hi)),
        sql.bind(text(lo)),
    );
    let list = |sql: &mut Sql, keys: &[&str]| -> String {
        keys.iter()
            .map(|k| sql.bind(text(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let linked = |table: &str, col: &str, list: &str| {
        format!("EXISTS (SELECT 1 FROM {table} p WHERE p.event_id = e.id AND p.{col} IN ({list}))")
    };
    let place = if !place.regions.is_empty() {
        let regions = list(&mut sql, &place.regions);
        linked("event_regions", "iso_code", &regions)
    } else {
        let mut shared = Vec::new();
        if !place.countries.is_empty() {
            let countries = list(&mut sql, &place.countries);
            shared.push(linked("event_countries", "country", &countries));
        }
        if !place.actors.is_empty() {
            let actors = list(&mut sql, &place.actors);
            shared.push(linked("event_actors", "actor", &actors));
        }
        if shared.is_empty() {
            return None;
        }
        format!(
            "NOT EXISTS (SELECT 1 FROM event_regions p WHERE p.event_id = e.id) AND ({})",
            shared.join(" OR ")
        )
    };
    sql.text = format!(
        "SELECT e.id, e.doc, e.doc_sources, e.date_lo, e.date_hi, e.extracted_lo, e.extracted_hi, \
         e.extracted_precision, e.created_at, \
         CASE WHEN e.date_lo = {lo} AND e.date_hi = {hi} THEN 0 ELSE 1 END AS rank \
         FROM events e WHERE e.event_type = {kind} AND e.date_lo >= {reach} AND e.date_lo <= {hi} \
         AND e.date_hi >= {lo} AND {place} \
         UNION ALL \
         SELECT e.id, e.doc, e.doc_sources, e.date_lo, e.date_hi, e.extracted_lo, e.extracted_hi, \
         e.extracted_precision, e.created_at, \
         CASE WHEN e.extracted_lo = {lo} AND e.extracted_hi = {hi} THEN 0 ELSE 1 END AS rank \
         FROM events e WHERE e.event_type = {kind} AND e.extracted_lo >= {reach} \
         AND e.extracted_lo <= {hi} AND e.extracted_hi >= {lo} AND {place}"
    );
    Some(sql)
}

/// How far before a new event's start a stored event's interval may start and still be
/// a candidate for merging with it (see `ingest`).
const MERGE_REACH_DAYS: i64 = 31;

/// What deciding a merge reads of a stored event's doc; serde skips the rest (the
/// sources, the evidence, the texts) without allocating it.
#[derive(serde::Deserialize)]
struct Happening {
    id: String,
    event_type: String,
    date_precision: crate::domain::Precision,
    #[serde(default)]
    regions: Vec<IsoCode>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    actors: Vec<Slug>,
}

#[derive(serde::Deserialize)]
struct IsoCode {
    iso_code: String,
}

#[derive(serde::Deserialize)]
struct Slug {
    slug: String,
}

impl Happening {
    /// May a stored event, dated with `precision` (its own, or the one it was extracted
    /// with), and a new report be the same happening? Same type and precision,
    /// overlapping intervals (the caller's query), and the same place: a shared region,
    /// or no region on either and a shared country or actor.
    fn same_happening_as(&self, b: &Event, precision: crate::domain::Precision) -> bool {
        if self.event_type != b.event_type || precision != b.date_precision {
            return false;
        }
        if self.regions.is_empty() != b.regions.is_empty() {
            return false;
        }
        if !self.regions.is_empty() {
            return self
                .regions
                .iter()
                .any(|r| b.regions.iter().any(|s| s.iso_code == r.iso_code));
        }
        self.countries.iter().any(|c| b.countries.contains(c))
            || self
                .actors
                .iter()
                .any(|x| b.actors.iter().any(|y| y.slug == x.slug))
    }
}

/// The sources of events `ids`, by event, in their order.
async fn sources_of<'e, E>(
    ex: E,
    ids: &[String],
) -> Result<HashMap<String, Vec<Source>>, StoreError>
where
    E: Executor<'e, Database = sqlx::Any>,
{
    let mut out: HashMap<String, Vec<Source>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut s = Sql::default();
    let ph: Vec<String> = ids.iter().map(|i| s.bind(Bind::Text(i.clone()))).collect();
    s.text = format!(
        "SELECT event_id, article_id, url, title, publisher, published_at, evidence_text, evidence_start, evidence_end \
             FROM event_sources WHERE event_id IN ({}) ORDER BY event_id, position, article_id",
        ph.join(", ")
    );
    for r in query_with(&s).fetch_all(ex).await? {
        out.entry(r.try_get("event_id")?)
            .or_default()
            .push(source_from_row(&r)?);
    }
    Ok(out)
}

fn source_from_row(r: &AnyRow) -> Result<Source, StoreError> {
    Ok(Source {
        article_id: r.try_get("article_id")?,
        url: r.try_get("url")?,
        title: r.try_get("title")?,
        publisher: r.try_get("publisher")?,
        published_at: r.try_get("published_at")?,
        evidence: Evidence {
            text: r.try_get("evidence_text")?,
            start: r.try_get::<i64, _>("evidence_start")?.max(0) as usize,
            end: r.try_get::<i64, _>("evidence_end")?.max(0) as usize,
        },
    })
}

/// The full text a source adds to its event: the event's title, the evidence and the
/// source's title, one a line (folded before it is stored).
fn text_body(title: &str, s: &Source) -> String {
    format!(
        "{title}\n{}\n{}",
        s.evidence.text,
        s.title.as_deref().unwrap_or("")
    )
}

/// PostgreSQL: the word signature (migration 0018) of the full text of `sources` under
/// `title`, as `event_text` holds it.
fn sources_words(title: &str, sources: &[Source]) -> Signature {
    let texts: Vec<String> = sources.iter().map(|s| fold(&text_body(title, s))).collect();
    words::signature(texts.iter().map(String::as_str))
}

/// PostgreSQL: ORs each event's signature of new texts into the word signatures of its
/// links (migration 0018), a statement per link table; a row that already holds every
/// bit is not written.
fn or_link_words(script: &mut Script, rows: &[(String, Signature)]) {
    for table in ["event_regions", "event_countries", "event_actors"] {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            script.add(|sql| {
                let v: Vec<String> = chunk
                    .iter()
                    .map(|(id, m)| {
                        let id = sql.bind(Bind::Text(id.clone()));
                        let m: Vec<String> = m
                            .iter()
                            .map(|w| format!("{}::bigint", sql.bind(Bind::Int(*w))))
                            .collect();
                        format!("({id}, {})", m.join(", "))
                    })
                    .collect();
                format!(
                    "UPDATE {table} l SET w0 = l.w0 | v.m0, w1 = l.w1 | v.m1, w2 = l.w2 | v.m2, w3 = l.w3 | v.m3, \
                     w4 = l.w4 | v.m4 \
                     FROM (VALUES {}) AS v (id, m0, m1, m2, m3, m4) WHERE l.event_id = v.id \
                     AND ((v.m0 & ~l.w0) | (v.m1 & ~l.w1) | (v.m2 & ~l.w2) | (v.m3 & ~l.w3) | (v.m4 & ~l.w4)) <> 0",
                    v.join(", ")
                )
            });
        }
    }
}

/// The sources of an event that holds `have` after a merge inserted `new` (after them,
/// all at one position, `ON CONFLICT DO NOTHING`), as [`sources_of`] reads them back:
/// `have`, then each new source not already held (by article and evidence start, the
/// key), by article and evidence start (the key's order, in which SQLite reads the
/// sources that tie on position; the extraction lists an article's evidence in that
/// order too).
fn merged_sources(mut have: Vec<Source>, new: &[Source]) -> Vec<Source> {
    let mut added: Vec<&Source> = Vec::with_capacity(new.len());
    for s in new {
        let key =
            |x: &Source| (x.article_id == s.article_id) && x.evidence.start == s.evidence.start;
        if !have.iter().any(key) && !added.iter().any(|x| key(x)) {
            added.push(s);
        }
    }
    added.sort_by(|a, b| {
        (a.article_id.as_str(), a.evidence.start).cmp(&(b.article_id.as_str(), b.evidence.start))
    });
    have.extend(added.into_iter().cloned());
    have
}

/// The FTS5 query matching events that hold every one of `words`, folded as the
/// indexed text is.
fn fts5_query(words: &[String]) -> String {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    sql::fts5_all_words(&folded)
}

/// Sets this connection's statement timeout in milliseconds (0 = none): PostgreSQL's
/// own setting, or the limit `sqlite_timeout` gives every SQLite connection.
/// The most connections a PostgreSQL pool opens (the store's own, and its page reads').
const POOL_POSTGRES: u32 = 16;

/// The statements that set up each PostgreSQL connection.
fn postgres_session(timeout_ms: Option<u128>) -> Vec<String> {
    // A page reads an index range until it is full; PostgreSQL's estimate of such a
    // plan with a LIMIT can still pick a parallel plan, whose workers took 20–30 ms to
    // start at 1M events (for a 6–10 ms query). Ten times the default setup cost keeps
    // parallel plans for whole counts only.
    let mut s = vec!["SET parallel_setup_cost = 10000".to_string()];
    if let Some(ms) = timeout_ms {
        s.push(timeout_sql(Backend::Postgres, ms));
    }
    s
}

fn timeout_sql(backend: Backend, ms: u128) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT linimasa_statement_timeout({ms})"),
        Backend::Postgres => format!("SET statement_timeout = {ms}"),
    }
}

pub(super) type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// What a write probe stores and deletes again: room for an article of the usual size
/// with its events (16 SQLite pages). A store with less room is not ready: most
/// articles would be refused.
const PROBE_BYTES: usize = 64 * 1024;

/// The page cache of the SQLite connection that writes batches, in KiB (a connection's
/// default is 2,000): a batch's merge candidates, links and full-text rows are read
/// back from it rather than from the file.
const BATCH_CACHE_KIB: u32 = 32 * 1024;

/// How many pages the write-ahead log of the batch writer's connection holds before its
/// commit copies them into the database (SQLite's default is 1,000). A bulk ingest
/// rewrites the same pages (the indexes' and FTS5's) in batch after batch; at the
/// default every fourth or fifth batch copied them all back, with an fsync (6 % of the
/// process's CPU in a profile of 10,000 bench articles, half the cost of the commits).
/// A log eight times longer copies each page once for eight times as many batches.
const BATCH_CHECKPOINT_PAGES: u32 = 8 * 1000;

/// The URL that may create an SQLite file: none when the URL chose its own mode, and
/// for in-memory databases and PostgreSQL.
fn create_url(url: &str, backend: Backend) -> Option<String> {
    (backend == Backend::Sqlite
        && !url.contains("mode=")
        && super::sqlite_read::file_path(url).is_some())
    .then(|| format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }))
}

/// Creates the SQLite file a URL names when it is not there yet.
async fn create_file(url: Option<&str>) -> Result<(), StoreError> {
    let Some(url) = url else {
        return Ok(());
    };
    if super::sqlite_read::file_path(url).is_some_and(|p| std::path::Path::new(p).exists()) {
        return Ok(());
    }
    let conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
    sqlx::Connection::close(conn).await?;
    Ok(())
}

/// Words matching this many events are checked per candidate in page order rather
/// than listed (a page of 100 then reads a few thousand candidates at most, where the
/// list would hold tens or hundreds of thousands of events).
const COMMON_MATCHES: i64 = 10_000;

/// The values of an `event_sources` row after its `event_id`: the article, the
/// source's `position` in the event, its url, title, publisher and publication time, and
/// its evidence (one list for both writers).
fn source_binds(s: &Source, position: i64) -> [Bind; 9] {
    let opt = |v: &Option<String>| Bind::OptText(v.clone());
    [
        Bind::Text(s.article_id.clone()),
        Bind::Int(position),
        opt(&s.url),
        opt(&s.title),
        opt(&s.publisher),
        opt(&s.published_at),
        Bind::Text(s.evidence.text.clone()),
        Bind::Int(s.evidence.start as i64),
        Bind::Int(s.evidence.end as i64),
    ]
}

/// Rows per multi-row `INSERT` of an event's links or sources (at most 10 bound values
/// each: well within both backends' limits).
const ROWS_PER_INSERT: usize = 100;

/// Statements written together, in one round trip per script of up to about
/// [`SCRIPT_VALUES`] values (their placeholders numbered across the script). On SQLite
/// the statements are sent as they are, separated by semicolons, and sqlx runs each in
/// turn on the connection's worker thread. PostgreSQL takes one statement per query
/// with values: there all but the last become data-modifying `WITH`s of the last, which
/// see the tables as they were before the statement (the statements of a script are
/// inserts into different tables, or into one table with no conflicts between them).
struct Script {
    backend: Backend,
    ready: Vec<Sql>,
    sql: Sql,
    parts: Vec<String>,
    /// Bound values after which the script is cut ([`SCRIPT_VALUES`] unless set).
    limit: usize,
}

/// Bound values per SQLite script, about (a script is cut after the statement that
/// reaches it): sqlx looks each placeholder of a statement up by a walk over them, so a
/// statement's cost grows with the placeholders before it in its script.
const SCRIPT_VALUES: usize = 400;

impl Script {
    fn new(backend: Backend) -> Script {
        Script::with_limit(backend, SCRIPT_VALUES)
    }

    /// A script cut after `limit` bound values (0: after every statement).
    fn with_limit(backend: Backend, limit: usize) -> Script {
        Script {
            backend,
            ready: Vec::new(),
            sql: Sql::default(),
            parts: Vec::new(),
            limit,
        }
    }

    /// Adds the statement `build` writes, binding its values in the script.
    fn add(&mut self, build: impl FnOnce(&mut Sql) -> String) {
        let text = build(&mut self.sql);
        self.parts.push(text);
        if self.sql.binds.len() >= self.limit {
            self.cut();
        }
    }

    fn cut(&mut self) {
        let Some(last) = self.parts.pop() else {
            return;
        };
        let mut sql = std::mem::take(&mut self.sql);
        let parts = std::mem::take(&mut self.parts);
        sql.text = match self.backend {
            Backend::Sqlite => parts
                .into_iter()
                .chain(std::iter::once(last))
                .collect::<Vec<_>>()
                .join(";\n"),
            Backend::Postgres if parts.is_empty() => last,
            Backend::Postgres => {
                let with: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("w{i} AS ({p})"))
                    .collect();
                format!("WITH {} {last}", with.join(", "))
            }
        };
        if self.backend == Backend::Sqlite {
            // Anonymous placeholders: sqlx binds them without a lookup (`Sql::positional`).
            sql = sql.positional();
        }
        self.ready.push(sql);
    }

    /// Runs the statements in the order they were added.
    async fn run(mut self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        self.cut();
        for s in &self.ready {
            query_with(s).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Runs the statements in the order they were added and returns the one row the
    /// last one gives (on PostgreSQL the script's query; the others are its `WITH`s).
    async fn fetch_last(mut self, tx: &mut Tx<'_>) -> Result<AnyRow, StoreError> {
        self.cut();
        let last = self
            .ready
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an empty script".into()))?;
        for s in &self.ready {
            query_with(s).execute(&mut **tx).await?;
        }
        Ok(query_with(&last).fetch_one(&mut **tx).await?)
    }
}

/// Where new sources go in their event's list.
#[derive(Clone, Copy)]
enum Positions {
    /// A new event's: the `i`th source at `i`.
    Own,
    /// All at this position.
    At(i64),
    /// A merge's: all after the sources the event has, counted in the statement (one
    /// statement: at most [`ROWS_PER_INSERT`] sources).
    After,
}

impl SqlStore {
    /// Sources of event `event_id` at `positions` and their full text, one statement
    /// each.
    fn insert_sources(
        script: &mut Script,
        event_id: &str,
        positions: Positions,
        sources: &[Source],
        title: &str,
        mut texts: Option<&mut Touched>,
    ) {
        for (n, chunk) in sources.chunks(ROWS_PER_INSERT).enumerate() {
            script.add(|rows| {
                let r: Vec<String> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let position = match positions {
                            Positions::Own => (n * ROWS_PER_INSERT + i) as i64,
                            Positions::At(p) => p,
                            // Left out below: the statement counts it.
                            Positions::After => 0,
                        };
                        let mut values = source_binds(s, position).to_vec();
                        if matches!(positions, Positions::After) {
                            values.remove(1);
                        }
                        let ph: Vec<String> = std::iter::once(Bind::Text(event_id.to_string()))
                            .chain(values)
                            .map(|v| rows.bind(v))
                            .collect();
                        format!("({})", ph.join(", "))
                    })
                    .collect();
                let columns = "INSERT INTO event_sources (event_id, article_id, position, url, title, publisher, published_at, evidence_text, evidence_start, evidence_end)";
                match positions {
                    // The count read in the statement, before its rows go in (a SELECT
                    // from the table inserted into is run to its end first, on both
                    // backends). `WHERE true`: SQLite's parser needs it before an upsert.
                    Positions::After => format!(
                        "{columns} SELECT v.column1, v.column2, c.n, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9 \
                         FROM (SELECT COUNT(*) AS n FROM event_sources WHERE event_id = {}) AS c, (VALUES {}) AS v \
                         WHERE true ON CONFLICT DO NOTHING",
                        rows.bind(Bind::Text(event_id.to_string())),
                        r.join(", ")
                    ),
                    _ => format!("{columns} VALUES {} ON CONFLICT DO NOTHING", r.join(", ")),
                }
            });
            // On SQLite `event_text` is a view whose trigger appends each text to the
            // event's full-text row (migration 0007); there the texts wait for the
            // commit (`texts`, see `Touched::defer_text`).
            if let Some(t) = texts.as_deref_mut() {
                for s in chunk {
                    t.defer_text(event_id, fold(&text_body(title, s)));
                }
                continue;
            }
            script.add(|texts| {
                let t: Vec<String> = chunk
                    .iter()
                    .map(|s| {
                        format!(
                            "({}, {})",
                            texts.bind(Bind::Text(event_id.to_string())),
                            texts.bind(Bind::Text(fold(&text_body(title, s))))
                        )
                    })
                    .collect();
                format!(
                    "INSERT INTO event_text (event_id, body) VALUES {}",
                    t.join(", ")
                )
            });
        }
        // PostgreSQL, a merge: its texts' words into the event's links (a new event's
        // links are written with them).
        if texts.is_none() && !matches!(positions, Positions::Own) && !sources.is_empty() {
            or_link_words(
                script,
                &[(event_id.to_string(), sources_words(title, sources))],
            );
        }
    }

    /// The rows the region, country and actor filters read: one statement per table.
    /// `words`: PostgreSQL, the signature of the event's words (migration 0018); None
    /// leaves the column's default (SQLite has none; on PostgreSQL every bit, checked as
    /// unknown).
    fn insert_links(script: &mut Script, ev: &Event, lo: &str, hi: &str, words: Option<Signature>) {
        let regions: Vec<(&str, Option<&str>)> = ev
            .regions
            .iter()
            .map(|r| (r.iso_code.as_str(), None))
            .collect();
        let countries: Vec<(&str, Option<&str>)> =
            ev.countries.iter().map(|c| (c.as_str(), None)).collect();
        let actors: Vec<(&str, Option<&str>)> = ev
            .actors
            .iter()
            .map(|a| (a.slug.as_str(), Some(a.role.as_str())))
            .collect();
        for (table, col, keys) in [
            ("event_regions", "iso_code", regions),
            ("event_countries", "country", countries),
            ("event_actors", "actor", actors),
        ] {
            for chunk in keys.chunks(ROWS_PER_INSERT) {
                script.add(|sql| {
                    let mut rows = Vec::with_capacity(chunk.len());
                    for (key, role) in chunk {
                        let mut ph = vec![
                            sql.bind(Bind::Text(key.to_string())),
                            sql.bind(Bind::Text(lo.to_string())),
                            sql.bind(Bind::Text(hi.to_string())),
                            sql.bind(Bind::Text(ev.id.clone())),
                        ];
                        if let Some(r) = role {
                            ph.push(sql.bind(Bind::Text(r.to_string())));
                        }
                        if let Some(w) = words {
                            ph.extend(w.iter().map(|w| sql.bind(Bind::Int(*w))));
                        }
                        rows.push(format!("({})", ph.join(", ")));
                    }
                    let role = if table == "event_actors" {
                        ", role"
                    } else {
                        ""
                    };
                    let w = if words.is_some() {
                        ", w0, w1, w2, w3, w4"
                    } else {
                        ""
                    };
                    format!(
                        "INSERT INTO {table} ({col}, date_lo, date_hi, event_id{role}{w}) VALUES {} ON CONFLICT DO NOTHING",
                        rows.join(", ")
                    )
                });
            }
        }
    }

    async fn insert_text(
        &self,
        tx: &mut Tx<'_>,
        event_id: &str,
        text: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO event_text (event_id, body) VALUES ($1, $2)")
            .bind(event_id)
            .bind(fold(text))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn insert_event(
        &self,
        tx: &mut Tx<'_>,
        ev: &Event,
        lo: &str,
        hi: &str,
        ts: &str,
        touched: &mut Touched,
    ) -> Result<bool, StoreError> {
        if self.backend == Backend::Postgres
            && let Some(s) = insert_event_statement(ev, lo, hi, ts)?
        {
            let n: i64 = query_with(&s).fetch_one(&mut **tx).await?.try_get("n")?;
            return Ok(n > 0);
        }
        // Links before texts: SQLite's full-text trigger reads the event's places.
        let mut script = Script::new(self.backend);
        if self.backend == Backend::Sqlite {
            // The event with the rest in one script (one round trip). Its id is new (the
            // caller has seen to it: see `ingest_in`); were it not, the insert fails and
            // the article with it, rather than its links and sources going to another
            // event. `seq` as the `events_seq` trigger of migration 0007 would set it,
            // given in the insert, so that the trigger does not write the row again.
            let doc = event_doc(ev)?;
            script.add(|sql| {
                let v: Vec<String> = [
                    Bind::Text(ev.id.clone()),
                    Bind::Text(lo.to_string()),
                    Bind::Text(hi.to_string()),
                    Bind::Text(ev.event_type.clone()),
                    Bind::Real(ev.confidence),
                    Bind::Text(doc),
                    Bind::Text(ts.to_string()),
                ]
                .into_iter()
                .map(|b| sql.bind(b))
                .collect();
                format!(
                    "INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, doc_sources, created_at, updated_at, seq) \
                     VALUES ({}, {}, {}, {}, {}, 'extracted', {}, 1, {}, {}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events))",
                    v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[6]
                )
            });
        } else {
            // PostgreSQL, an event with more rows than one statement takes.
            let fresh: Option<String> = sqlx::query_scalar(
                "INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, doc_sources, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'extracted', $6, 1, $7, $7) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(&ev.id)
            .bind(lo)
            .bind(hi)
            .bind(&ev.event_type)
            .bind(ev.confidence)
            .bind(event_doc(ev)?)
            .bind(ts)
            .fetch_optional(&mut **tx)
            .await?;
            if fresh.is_none() {
                return Ok(false);
            }
        }
        let defer = (self.backend == Backend::Sqlite).then_some(touched);
        let words =
            (self.backend == Backend::Postgres).then(|| sources_words(&ev.title, &ev.sources));
        Self::insert_links(&mut script, ev, lo, hi, words);
        Self::insert_sources(
            &mut script,
            &ev.id,
            Positions::Own,
            &ev.sources,
            &ev.title,
            defer,
        );
        script.run(tx).await?;
        Ok(true)
    }
}

/// PostgreSQL: a new event, its link rows, its sources and their full text in one
/// statement (each table's rows a data-modifying `WITH` that inserts only when the event
/// itself was inserted), instead of six round trips. None when a part has more rows
/// than one multi-row insert takes (the statements are then sent one by one).
fn insert_event_statement(
    ev: &Event,
    lo: &str,
    hi: &str,
    ts: &str,
) -> Result<Option<Sql>, StoreError> {
    let links = ev
        .regions
        .len()
        .max(ev.countries.len())
        .max(ev.actors.len());
    if links > ROWS_PER_INSERT || ev.sources.len() > ROWS_PER_INSERT {
        return Ok(None);
    }
    let mut sql = Sql::default();
    let text = |v: &str| Bind::Text(v.to_string());
    let head: Vec<String> = [
        text(&ev.id),
        text(lo),
        text(hi),
        text(&ev.event_type),
        Bind::Real(ev.confidence),
        Bind::Text(event_doc(ev)?),
        text(ts),
    ]
    .into_iter()
    .map(|b| sql.bind(b))
    .collect();
    let mut parts = vec![format!(
        "ev AS (INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, doc_sources, created_at, updated_at) \
         VALUES ({}, {}, {}, {}, {}, 'extracted', {}, 1, {}, {}) ON CONFLICT DO NOTHING RETURNING id)",
        head[0], head[1], head[2], head[3], head[4], head[5], head[6], head[6]
    )];
    let (date_lo, date_hi) = (&head[1], &head[2]);
    let mut words: Option<[String; 5]> = None;
    let values = |sql: &mut Sql, rows: Vec<Vec<Bind>>| -> String {
        rows.into_iter()
            .map(|row| {
                let ph: Vec<String> = row.into_iter().map(|b| sql.bind(b)).collect();
                format!("({})", ph.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (name, table, col, keys) in [
        (
            "r",
            "event_regions",
            "iso_code",
            ev.regions
                .iter()
                .map(|r| vec![text(&r.iso_code)])
                .collect::<Vec<_>>(),
        ),
        (
            "c",
            "event_countries",
            "country",
            ev.countries.iter().map(|c| vec![text(c)]).collect(),
        ),
        (
            "a",
            "event_actors",
            "actor",
            ev.actors
                .iter()
                .map(|a| vec![text(&a.slug), text(&a.role)])
                .collect(),
        ),
    ] {
        if keys.is_empty() {
            continue;
        }
        let (role_col, role_v, role_name) = if table == "event_actors" {
            (", role", ", v.role", ", role")
        } else {
            ("", "", "")
        };
        let v = values(&mut sql, keys);
        // The signature of the event's words (migration 0018), bound once.
        let w = words
            .get_or_insert_with(|| {
                sources_words(&ev.title, &ev.sources)
                    .map(|w| format!("{}::bigint", sql.bind(Bind::Int(w))))
            })
            .join(", ");
        parts.push(format!(
            "{name} AS (INSERT INTO {table} ({col}, date_lo, date_hi, event_id{role_col}, w0, w1, w2, w3, w4) \
             SELECT v.k, {date_lo}, {date_hi}, ev.id{role_v}, {w} FROM ev, (VALUES {v}) AS v (k{role_name}) ON CONFLICT DO NOTHING)"
        ));
    }
    if !ev.sources.is_empty() {
        let rows = ev
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| source_binds(s, i as i64).to_vec())
            .collect();
        let v = values(&mut sql, rows);
        parts.push(format!(
            "s AS (INSERT INTO event_sources (event_id, article_id, position, url, title, publisher, published_at, evidence_text, evidence_start, evidence_end) \
             SELECT ev.id, v.* FROM ev, (VALUES {v}) AS v ON CONFLICT DO NOTHING)"
        ));
        let bodies = ev
            .sources
            .iter()
            .map(|s| vec![Bind::Text(fold(&text_body(&ev.title, s)))])
            .collect();
        let v = values(&mut sql, bodies);
        parts.push(format!(
            "t AS (INSERT INTO event_text (event_id, body) SELECT ev.id, v.body FROM ev, (VALUES {v}) AS v (body))"
        ));
    }
    sql.text = format!("WITH {} SELECT COUNT(*) AS n FROM ev", parts.join(", "));
    Ok(Some(sql))
}

#[async_trait]
impl Store for SqlStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        create_file(self.create_url.as_deref()).await?;
        // A migration on a large archive may take longer than any query should: on its
        // own connection, without the statement timeout.
        let mut conn = self.pool.acquire().await?;
        if self.statement_timeout.is_some() {
            conn.execute(AssertSqlSafe(timeout_sql(self.backend, 0)))
                .await?;
        }
        // `run`'s own body (all migrations, none skipped): `run` takes an `Acquire` that
        // async_trait's future cannot prove general enough for `&mut AnyConnection`.
        let run = migrator.run_direct(None, &mut *conn, false).await;
        if let Some(t) = self.statement_timeout {
            conn.execute(AssertSqlSafe(timeout_sql(
                self.backend,
                t.as_millis().max(1),
            )))
            .await?;
        }
        run?;
        drop(conn);
        let n = self.embed_sources().await?;
        if n > 0 {
            tracing::info!(events = n, "every doc now holds its sources");
        }
        let mut conn = self.pool.acquire().await?;
        if !super::counts::fresh(&mut conn).await? {
            if self.statement_timeout.is_some() {
                conn.execute(AssertSqlSafe(timeout_sql(self.backend, 0)))
                    .await?;
            }
            let started = std::time::Instant::now();
            let r = super::counts::recount(&mut conn).await;
            // Not back in the pool without its timeout.
            conn.close_on_drop();
            r?;
            tracing::info!(
                duration_ms = started.elapsed().as_millis() as u64,
                "facet counts recounted"
            );
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn ready(&self) -> Result<(), StoreError> {
        if !self.health.file_present() {
            return Err(StoreError::Sqlite {
                code: 14, // SQLITE_CANTOPEN
                message: "the database file is missing".into(),
            });
        }
        // The schema is there (a file replaced by an empty one is not ready).
        sqlx::query_scalar::<_, i64>("SELECT version FROM data_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if self.health.write_fault() {
            let r = self.probe_write().await;
            self.track(r)?;
        }
        Ok(())
    }

    async fn ingest(&self, x: &Extraction) -> Result<IngestOutcome, StoreError> {
        let r = async {
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            let mut touched = Touched::default();
            let outcome = self
                .ingest_in(&mut tx, x, &mut touched, &Touched::default())
                .await?;
            if outcome.duplicate {
                tx.rollback().await?;
            } else {
                bump_version(&mut tx, &touched).await?;
                tx.commit().await?;
            }
            w.finished = true;
            Ok(outcome)
        }
        .await;
        self.track(r)
    }

    async fn ingest_batch(
        &self,
        xs: &[&Extraction],
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        let r = async {
            let (mut w, since) = self.batch_writer().await?;
            // First the whole batch decided, then written in a few statements per table
            // (`batch`). Whatever that path leaves alone, or an article that fails,
            // sends the batch, rolled back, to the writes below.
            {
                let mut tx = w.begin().await?;
                let mut touched = Touched::default();
                match self.ingest_planned(&mut tx, xs, &mut touched).await {
                    Ok(Some(out)) => {
                        if out.iter().any(|o| !o.duplicate) {
                            bump_version(&mut tx, &touched).await?;
                        }
                        tx.commit().await?;
                        w.finished = true;
                        self.keep(w, since);
                        return Ok(out.into_iter().map(Ok).collect());
                    }
                    Err(e) if e.is_store_fault() => return Err(e),
                    Ok(None) => {
                        self.written_again
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        tx.rollback().await?;
                    }
                    Err(e) => {
                        self.written_again
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        tracing::debug!(error = %e, "a batch is written again article by article");
                        tx.rollback().await?;
                    }
                }
            }
            // The batch is then written as it is, without a savepoint per article: on
            // SQLite each savepoint makes FTS5 write the terms it holds in memory out as
            // a segment of their own, and on PostgreSQL it is two round trips. A
            // duplicate writes nothing (its article row is the first statement, and a
            // conflict ends it there). An article that fails sends the whole batch back,
            // rolled back, to be written again with a savepoint per article.
            if xs.len() > 1 {
                let mut tx = w.begin().await?;
                let mut out = Vec::with_capacity(xs.len());
                let mut touched = Touched::default();
                let mut failed = false;
                for x in xs {
                    let mut mine = Touched::default();
                    match self.ingest_in(&mut tx, x, &mut mine, &touched).await {
                        Ok(o) => {
                            touched.absorb(mine);
                            out.push(Ok(o));
                        }
                        // No room, no permission: the next article would fail the same
                        // way, and SQLite may have rolled the whole batch back already.
                        Err(e) if e.is_store_fault() => return Err(e),
                        Err(_) => {
                            failed = true;
                            break;
                        }
                    }
                }
                if failed {
                    tx.rollback().await?;
                } else {
                    if out.iter().any(|o| o.as_ref().is_ok_and(|o| !o.duplicate)) {
                        bump_version(&mut tx, &touched).await?;
                    }
                    tx.commit().await?;
                    w.finished = true;
                    self.keep(w, since);
                    return Ok(out);
                }
            }
            let mut tx = w.begin().await?;
            let mut out = Vec::with_capacity(xs.len());
            let mut stored = false;
            let mut touched = Touched::default();
            for x in xs {
                // A savepoint per article: one that fails leaves the others in the batch.
                let mut sp = sqlx::Connection::begin(&mut *tx).await?;
                let mut mine = Touched::default();
                match self.ingest_in(&mut sp, x, &mut mine, &touched).await {
                    Ok(o) if !o.duplicate => {
                        sp.commit().await?;
                        touched.absorb(mine);
                        stored = true;
                        out.push(Ok(o));
                    }
                    // No room, no permission: the next article would fail the same way,
                    // and SQLite may have rolled the whole batch back already.
                    Err(e) if e.is_store_fault() => return Err(e),
                    other => {
                        sp.rollback().await?;
                        out.push(other);
                    }
                }
            }
            if stored {
                bump_version(&mut tx, &touched).await?;
            }
            tx.commit().await?;
            w.finished = true;
            self.keep(w, since);
            Ok(out)
        }
        .await;
        self.track(r)
    }

    async fn end_batches(&self) {
        // Closed rather than put back in the pool with its larger page cache.
        let kept = self.kept.lock().ok().and_then(|mut k| k.take());
        if let Some((mut w, _)) = kept {
            w.finished = false;
        }
    }

    async fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>, StoreError> {
        let s = self.list_sql(q).await?;
        let rows = query_with(&s).fetch_all(&self.pool).await?;
        self.events_from_rows(rows).await
    }

    async fn list_events_json(&self, q: &EventQuery) -> Result<EventsJson, StoreError> {
        let s = self.list_sql(q).await?;
        if let Some(readers) = &self.readers {
            let page = readers
                .query(s.clone(), Some(page_buffer(q)), page_row, |page| page)
                .await?;
            if let Some(page) = page {
                return Ok(page);
            }
        }
        if let Some(pages) = &self.pages
            && let Some(page) = pages.page(&s, page_buffer(q)).await?
        {
            return Ok(page);
        }
        let rows = query_with(&s).fetch_all(&self.pool).await?;
        let mut out = page_buffer(q);
        for r in &rows {
            let pushed = r.try_get::<i64, _>("doc_sources")? == 1 && {
                let doc: &str = r.try_get("doc")?;
                let status: &str = r.try_get("status")?;
                let created: &str = r.try_get("created_at")?;
                let updated: &str = r.try_get("updated_at")?;
                out.push_with(r.try_get("id")?, r.try_get("date_lo")?, |out| {
                    event_json(out, doc, status, created, updated)
                })
            };
            if !pushed {
                // A doc from before migration 0008 (or not as `event_doc` writes it):
                // the page is made the slow way.
                let mut out = EventsJson::default();
                for e in self.events_from_rows(rows).await? {
                    out.push_event(&e)?;
                }
                return Ok(out);
            }
        }
        Ok(out)
    }

    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM events e WHERE e.id = $1 AND e.status <> 'hidden'",
            sql::EVENT_COLUMNS
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(self.events_from_rows(rows).await?.pop())
    }

    async fn get_events(&self, ids: &[String]) -> Result<Vec<Event>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut s = Sql::default();
        let ph: Vec<String> = ids.iter().map(|i| s.bind(Bind::Text(i.clone()))).collect();
        s.text = format!(
            "SELECT {} FROM events e WHERE e.id IN ({}) AND e.status <> 'hidden'",
            sql::EVENT_COLUMNS,
            ph.join(", ")
        );
        let rows = query_with(&s).fetch_all(&self.pool).await?;
        let mut events = self.events_from_rows(rows).await?;
        events.sort_by_key(|e| ids.iter().position(|i| *i == e.id));
        Ok(events)
    }

    async fn get_article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT id, url, title, publisher, published_at, language, text, ingested_at FROM articles WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let event_ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT s.event_id FROM event_sources s JOIN events e ON e.id = s.event_id \
             WHERE s.article_id = $1 AND e.status <> 'hidden' ORDER BY s.event_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(ArticleRecord {
            id: r.try_get("id")?,
            url: r.try_get("url")?,
            title: r.try_get("title")?,
            publisher: r.try_get("publisher")?,
            published_at: r.try_get("published_at")?,
            language: r.try_get("language")?,
            text: r.try_get("text")?,
            ingested_at: r.try_get("ingested_at")?,
            event_ids,
        }))
    }

    async fn optimize_text(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            sqlx::query("INSERT INTO event_fts (event_fts) VALUES ('optimize')")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn counts(&self, q: &EventQuery, facet: Facet) -> Result<Vec<Count>, StoreError> {
        let week = match self.backend {
            Backend::Sqlite => "date({date}, '-6 days', 'weekday 1')",
            Backend::Postgres => "to_char(date_trunc('week', {date}::date), 'YYYY-MM-DD')",
        };
        if let Some(s) = super::counts::read_sql(q, facet) {
            let rows = query_with(&s).fetch_all(&self.pool).await?;
            let counts = rows
                .iter()
                .map(|r| {
                    Ok(Count {
                        key: r.try_get("k")?,
                        count: r.try_get("n")?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            return Ok(super::counts::finish(counts, facet));
        }
        // A count needs every match: the list of them is the cheaper way.
        let s = sql::facet_counts(
            q,
            facet,
            |sql, words| match (self.backend, sql::fts5_scope(q)) {
                // Words in a place: only the events of the place that hold them (migration
                // 0013), not every event that holds them.
                (Backend::Sqlite, Some(scope)) => {
                    let p = sql.bind(Bind::Text(format!("{scope} AND {}", fts5_query(words))));
                    format!(
                        "e.seq IN (SELECT rowid & {} FROM event_fts WHERE event_fts MATCH {p})",
                        sql::FTS_DAY - 1
                    )
                }
                _ => self.fts(sql, words, false),
            },
            week,
        );
        let rows = query_with(&s).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Count {
                    key: r.try_get("k")?,
                    count: r.try_get("n")?,
                })
            })
            .collect()
    }

    async fn get_event_any(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM events e WHERE e.id = $1",
            sql::EVENT_COLUMNS
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(self.events_from_rows(rows).await?.pop())
    }

    async fn update_event(
        &self,
        e: &Event,
        changes: &serde_json::Value,
        by: &str,
    ) -> Result<bool, StoreError> {
        let interval = EventDate::of_event(e)
            .ok_or_else(|| StoreError::Corrupt(format!("event {} has an invalid date", e.id)))?;
        let (lo, hi) = (interval.start.to_string(), interval.end.to_string());
        let ts = now();
        let r = async {
        let mut w = self.writer().await?;
        let mut tx = w.begin().await?;
        // The first correction of the date keeps the date as extracted beside it, for
        // merging later reports (locked as read on PostgreSQL, as a merge locks it).
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let old = sqlx::query(AssertSqlSafe(format!(
            "SELECT date_lo, date_hi, doc, status, extracted_lo FROM events WHERE id = $1{lock}"
        )))
        .bind(&e.id)
        .fetch_optional(&mut *tx)
        .await?;
        // The event as it was leaves the counts, as it is now enters them.
        let mut touched = Touched::default();
        if let Some(old) = &old {
            let was = event_from_row(old.try_get("doc")?, old.try_get("status")?, String::new(), String::new())?;
            touched.count(&was, old.try_get("date_lo")?, -1);
        }
        touched.count(e, &lo, 1);
        if let Some(old) = old {
            let was: Happening = serde_json::from_str(old.try_get("doc")?)
                .map_err(|err| StoreError::Corrupt(format!("event doc: {err}")))?;
            let (old_lo, old_hi): (String, String) = (old.try_get("date_lo")?, old.try_get("date_hi")?);
            let kept: Option<String> = old.try_get("extracted_lo")?;
            let changed = (old_lo.as_str(), old_hi.as_str(), was.date_precision)
                != (lo.as_str(), hi.as_str(), e.date_precision);
            if kept.is_none() && changed {
                sqlx::query(
                    "UPDATE events SET extracted_lo = $1, extracted_hi = $2, extracted_precision = $3 WHERE id = $4",
                )
                .bind(&old_lo)
                .bind(&old_hi)
                .bind(was.date_precision.as_str())
                .bind(&e.id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let updated = sqlx::query(
            "UPDATE events SET date_lo = $1, date_hi = $2, event_type = $3, confidence = $4, status = $5, updated_at = $6 \
             WHERE id = $7",
        )
        .bind(&lo)
        .bind(&hi)
        .bind(&e.event_type)
        .bind(e.confidence)
        .bind(e.status.as_str())
        .bind(&ts)
        .bind(&e.id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            w.finished = true;
            return Ok(false);
        }
        // Sources are not edited, but a merge may have added some since `e` was read:
        // the doc gets them as they are now (the row is locked from here on).
        self.write_doc(&mut tx, &mut e.clone(), &ts).await?;
        for table in ["event_regions", "event_countries", "event_actors"] {
            sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE event_id = $1"
            )))
            .bind(&e.id)
            .execute(&mut *tx)
            .await?;
        }
        let mut script = Script::new(self.backend);
        // The links again, with the default signature (every bit): the texts they
        // would be made of are in the store, not here.
        Self::insert_links(&mut script, e, &lo, &hi, None);
        script.run(&mut tx).await?;
        self.insert_text(&mut tx, &e.id, &format!("{}\n{}", e.title, e.summary))
            .await?;
        sqlx::query(
            "INSERT INTO event_history (event_id, at, by_key, changes) VALUES ($1, $2, $3, $4)",
        )
        .bind(&e.id)
        .bind(&ts)
        .bind(by)
        .bind(changes.to_string())
        .execute(&mut *tx)
        .await?;
        bump_version(&mut tx, &touched).await?;
        tx.commit().await?;
        w.finished = true;
        Ok(true)
        }
        .await;
        self.track(r)
    }

    async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, by_key, changes FROM event_history WHERE event_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let changes: String = r.try_get("changes")?;
                Ok(HistoryEntry {
                    at: r.try_get("at")?,
                    by: r.try_get("by_key")?,
                    changes: serde_json::from_str(&changes)
                        .map_err(|err| StoreError::Corrupt(format!("history: {err}")))?,
                })
            })
            .collect()
    }

    async fn tombstones(&self, since: &str, limit: u32) -> Result<Vec<Tombstone>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, status, updated_at FROM events WHERE status = 'hidden' AND updated_at >= $1 \
             ORDER BY updated_at, id LIMIT $2",
        )
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Tombstone {
                    id: r.try_get("id")?,
                    status: r.try_get("status")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    async fn create_key(&self, name: &str) -> Result<(KeyInfo, String), StoreError> {
        let secret = new_secret()?;
        let info = KeyInfo {
            id: format!("key_{}", &key_hash(&secret)[..12]),
            name: name.to_string(),
            created_at: now(),
            revoked_at: None,
        };
        let r = sqlx::query(
            "INSERT INTO api_keys (id, name, hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&info.id)
        .bind(&info.name)
        .bind(key_hash(&secret))
        .bind(&info.created_at)
        .execute(&self.pool)
        .await;
        self.track(r.map_err(StoreError::from))?;
        Ok((info, secret))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(key_from_row).collect()
    }

    async fn revoke_key(&self, id: &str) -> Result<bool, StoreError> {
        let r =
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(&self.pool)
                .await;
        let r = self.track(r.map_err(StoreError::from))?;
        Ok(r.rows_affected() > 0)
    }

    async fn put_timeline(&self, t: &Timeline) -> Result<bool, StoreError> {
        let r = async {
        let mut w = self.writer().await?;
        let mut tx = w.begin().await?;
        let updated = sqlx::query(
            "UPDATE timelines SET title = $1, description = $2, filter = $3, updated_at = $4 WHERE slug = $5",
        )
        .bind(&t.title)
        .bind(&t.description)
        .bind(&t.filter)
        .bind(&t.updated_at)
        .bind(&t.slug)
        .execute(&mut *tx)
        .await?;
        let created = updated.rows_affected() == 0;
        if created {
            sqlx::query(
                "INSERT INTO timelines (slug, title, description, filter, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&t.slug)
            .bind(&t.title)
            .bind(&t.description)
            .bind(&t.filter)
            .bind(&t.created_by)
            .bind(&t.created_at)
            .bind(&t.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        bump_version(&mut tx, &Touched::default()).await?;
        tx.commit().await?;
        w.finished = true;
        Ok(created)
        }
        .await;
        self.track(r)
    }

    async fn get_timeline(&self, slug: &str) -> Result<Option<Timeline>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TIMELINE_COLUMNS} FROM timelines WHERE slug = $1"
        )))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(timeline_from_row).transpose()
    }

    async fn list_timelines(&self) -> Result<Vec<Timeline>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TIMELINE_COLUMNS} FROM timelines ORDER BY slug"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(timeline_from_row).collect()
    }

    async fn delete_timeline(&self, slug: &str) -> Result<bool, StoreError> {
        let r = async {
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            let r = sqlx::query("DELETE FROM timelines WHERE slug = $1")
                .bind(slug)
                .execute(&mut *tx)
                .await?;
            bump_version(&mut tx, &Touched::default()).await?;
            tx.commit().await?;
            w.finished = true;
            Ok(r.rows_affected() > 0)
        }
        .await;
        self.track(r)
    }

    async fn data_version(&self) -> Result<i64, StoreError> {
        self.read_version(Sql {
            text: "SELECT version FROM data_version WHERE id = 1".into(),
            binds: Vec::new(),
        })
        .await
    }

    async fn scope_version(&self, scopes: &[String]) -> Result<i64, StoreError> {
        let mut s = Sql::default();
        let ph: Vec<String> = scopes
            .iter()
            .map(|x| s.bind(Bind::Text(x.clone())))
            .collect();
        s.text = format!(
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS version FROM scope_versions WHERE scope IN ({})",
            ph.join(", ")
        );
        self.read_version(s).await
    }

    async fn authenticate(&self, secret: &str) -> Result<Option<KeyInfo>, StoreError> {
        // Looked up by hash: the comparison is on a digest of the secret, so its timing
        // tells nothing about the stored keys.
        let row = sqlx::query("SELECT id, name, created_at, revoked_at FROM api_keys WHERE hash = $1 AND revoked_at IS NULL")
            .bind(key_hash(secret))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(key_from_row).transpose()
    }
}

const TIMELINE_COLUMNS: &str =
    "slug, title, description, filter, created_by, created_at, updated_at";

fn timeline_from_row(r: &AnyRow) -> Result<Timeline, StoreError> {
    Ok(Timeline {
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        filter: r.try_get("filter")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Increments the data version, and the versions and counts `touched` names.
async fn bump_version(tx: &mut Tx<'_>, touched: &Touched) -> Result<(), StoreError> {
    touched.apply(tx).await?;
    sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn key_from_row(r: &AnyRow) -> Result<KeyInfo, StoreError> {
    Ok(KeyInfo {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

/// The id of the stored article `x` repeats (same text, URL or id), if any.
async fn stored_article_id(tx: &mut Tx<'_>, x: &Extraction) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM articles WHERE content_hash = $1 OR url = $2 OR id = $3 LIMIT 1",
    )
    .bind(&x.content_hash)
    .bind(x.url.as_deref().unwrap_or(""))
    .bind(&x.article_id)
    .fetch_optional(&mut **tx)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn span(a: (i16, i8, i8), b: (i16, i8, i8)) -> EventDate {
        EventDate {
            start: date(a.0, a.1, a.2),
            end: date(b.0, b.1, b.2),
            precision: crate::domain::Precision::Day,
        }
    }

    fn source(article: &str, start: usize) -> Source {
        Source {
            article_id: article.into(),
            url: None,
            title: None,
            publisher: None,
            published_at: None,
            evidence: Evidence {
                text: format!("{article} {start}"),
                start,
                end: start + 10,
            },
        }
    }

    #[test]
    fn a_merge_appends_the_sources_not_held_by_article_and_evidence_start() {
        let keys = |v: Vec<Source>| -> Vec<(String, usize)> {
            v.into_iter()
                .map(|s| (s.article_id, s.evidence.start))
                .collect()
        };
        let have = vec![source("art_b", 40), source("art_a", 7)];
        // Held already (the insert skips it), twice in the report, and out of order.
        let new = [
            source("art_c", 90),
            source("art_a", 7),
            source("art_c", 12),
            source("art_c", 90),
        ];
        assert_eq!(
            keys(merged_sources(have, &new)),
            [("art_b", 40), ("art_a", 7), ("art_c", 12), ("art_c", 90)]
                .map(|(a, s)| (a.to_string(), s))
        );
        assert_eq!(keys(merged_sources(Vec::new(), &[])), []);
    }

    #[test]
    fn short_overlapping_intervals_are_one_time_and_periods_only_when_identical() {
        let headline = span((2025, 3, 14), (2025, 3, 15));
        let day = span((2025, 3, 14), (2025, 3, 14));
        assert!(same_time(&headline, &day));
        assert!(same_time(&day, &headline));
        assert!(!same_time(&day, &span((2025, 3, 7), (2025, 3, 7))));
        let period = span((2025, 3, 1), (2025, 3, 20));
        assert!(
            !same_time(&period, &day),
            "a period does not swallow its days"
        );
        assert!(same_time(&period, &period.clone()));
    }
}
