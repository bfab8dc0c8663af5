//! The store: one trait, one implementation per backend, chosen from the database URL
//! at start-up. An article and its events are written in one transaction; the same
//! article again changes nothing; the same happening from another article becomes one
//! more source of the existing event.

pub mod counts;
pub mod db;
pub mod feeds;
mod health;
mod pg_read;
pub mod sql;
mod sqlite_read;
mod sqlite_timeout;
pub mod words;

use std::sync::Arc;

use async_trait::async_trait;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Event;
use crate::domain::patch::HistoryEntry;
use crate::pipeline::Extraction;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// From the SQLite C API (the page reads of `sqlite_read`): its extended result code.
    #[error("database error: {message} (SQLite code {code})")]
    Sqlite { code: i32, message: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    Url(String),
}

impl StoreError {
    /// The SQLite result code (extended), when the error is SQLite's.
    pub fn sqlite_code(&self) -> Option<i32> {
        match self {
            StoreError::Sqlite { code, .. } => Some(*code),
            StoreError::Database(sqlx::Error::Database(db))
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() =>
            {
                db.code()?.parse().ok()
            }
            _ => None,
        }
    }

    /// Whether the store, not the request, is at fault in a way that lasts: no room,
    /// no permission to write, the file unreadable or gone, PostgreSQL out of disk or
    /// read-only. Such a fault makes the store unready until a write succeeds.
    pub fn is_store_fault(&self) -> bool {
        if let Some(code) = self.sqlite_code() {
            // SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN,
            // SQLITE_NOTADB: the primary code is the low byte of the extended one.
            return matches!(code & 0xff, 8 | 10 | 11 | 13 | 14 | 26);
        }
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => {
                matches!(db.code().as_deref(), Some("53100" | "25006"))
            }
            StoreError::Database(sqlx::Error::Io(_)) => true,
            _ => false,
        }
    }
}

/// The filters of `GET /events`, already validated and resolved to codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    /// ISO 3166-2 codes; any of.
    pub regions: Vec<String>,
    /// ISO 3166-1 alpha-2 codes; any of.
    pub countries: Vec<String>,
    /// Actor slugs; any of.
    pub actors: Vec<String>,
    /// PLOVER types; any of.
    pub types: Vec<String>,
    /// The event's interval must end on or after this day.
    pub from: Option<Date>,
    /// The event's interval must start on or before this day.
    pub to: Option<Date>,
    /// Full-text words, all of which must occur.
    pub q: Vec<String>,
    /// Publisher domains of a source; any of.
    pub sources: Vec<String>,
    pub min_confidence: Option<f64>,
    pub descending: bool,
    /// Only events changed at or after this RFC 3339 instant (`YYYY-MM-DDTHH:MM:SSZ`).
    pub updated_since: Option<String>,
    /// Continue after this (date_lo, id) key.
    pub after: Option<(String, String)>,
    pub limit: u32,
}

/// The events of a page, serialised: their JSON one after another, separated by commas,
/// in one buffer (a page copies it once, as it is).
#[derive(Debug, Default, Clone)]
pub struct EventsJson {
    text: String,
    /// Each event's id and first day, one after the other.
    key_text: String,
    keys: Vec<Key>,
}

/// Where an event's JSON ends in `text`, and its id and first day in `key_text`.
#[derive(Debug, Clone, Copy)]
struct Key {
    end: usize,
    id_end: usize,
    date_end: usize,
}

impl EventsJson {
    /// Room for `n` events of about `size` bytes each.
    pub fn with_capacity(n: usize, size: usize) -> Self {
        EventsJson {
            text: String::with_capacity(n.saturating_mul(size + 1)),
            key_text: String::with_capacity(n * 32),
            keys: Vec::with_capacity(n),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The events' JSON separated by commas: the inside of a JSON array.
    pub fn joined(&self) -> &str {
        &self.text
    }

    /// [`EventsJson::joined`], without copying it.
    pub fn into_joined(self) -> String {
        self.text
    }

    /// Event `i`'s JSON, as serde writes an [`Event`].
    pub fn json(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.keys[i - 1].end + 1 };
        &self.text[start..self.keys[i].end]
    }

    /// The last event's first day and id (where a cursor continues from).
    pub fn last_key(&self) -> Option<(&str, &str)> {
        let n = self.keys.len();
        let k = self.keys.last()?;
        let start = if n > 1 { self.keys[n - 2].date_end } else { 0 };
        Some((
            &self.key_text[k.id_end..k.date_end],
            &self.key_text[start..k.id_end],
        ))
    }

    /// Keeps the first `n` events.
    pub fn truncate(&mut self, n: usize) {
        if n < self.keys.len() {
            self.keys.truncate(n);
            let last = self.keys.last();
            self.text.truncate(last.map_or(0, |k| k.end));
            self.key_text.truncate(last.map_or(0, |k| k.date_end));
        }
    }

    /// Appends an event whose JSON `write` appends to the buffer it is given; when
    /// `write` says no (false), nothing is appended.
    pub fn push_with(
        &mut self,
        id: &str,
        date_lo: &str,
        write: impl FnOnce(&mut String) -> bool,
    ) -> bool {
        let mark = self.text.len();
        if !self.keys.is_empty() {
            self.text.push(',');
        }
        if !write(&mut self.text) {
            self.text.truncate(mark);
            return false;
        }
        self.key_text.push_str(id);
        let id_end = self.key_text.len();
        self.key_text.push_str(date_lo);
        self.keys.push(Key {
            end: self.text.len(),
            id_end,
            date_end: self.key_text.len(),
        });
        true
    }

    /// Appends an event serialised now.
    pub fn push_event(&mut self, e: &Event) -> Result<(), StoreError> {
        let date_lo = crate::domain::EventDate::of_event(e)
            .map(|d| d.start.to_string())
            .ok_or_else(|| StoreError::Corrupt(format!("event {} has an invalid date", e.id)))?;
        let json = serde_json::to_string(e)
            .map_err(|err| StoreError::Corrupt(format!("event {}: {err}", e.id)))?;
        self.push_with(&e.id, &date_lo, |out| {
            out.push_str(&json);
            true
        });
        Ok(())
    }
}

/// What ingesting one article did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct IngestOutcome {
    pub article_id: String,
    /// True when the article (same URL or same text) was already stored; nothing changed.
    pub duplicate: bool,
    /// Events created from this article.
    pub added: Vec<String>,
    /// Existing events this article became one more source of.
    pub merged: Vec<String>,
}

/// An ingested article as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ArticleRecord {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published_at: Option<String>,
    pub language: String,
    /// The cleaned text that evidence offsets point into.
    pub text: String,
    pub ingested_at: String,
    /// Ids of the events this article is a source of.
    pub event_ids: Vec<String>,
}

/// A facet value and how many visible events carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A hidden event, for clients that sync with `updated_since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Tombstone {
    pub id: String,
    pub status: String,
    pub updated_at: String,
}

pub use feeds::{ClaimedFeed, Feed, FeedStore, NewFeed, PollOutcome, Validators};
pub use sql::Facet;

#[async_trait]
pub trait Store: FeedStore + Send + Sync {
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<(), StoreError>;
    /// Succeeds when the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Succeeds when the store can serve: the database answers with its schema and,
    /// after a write failed for a fault of the store, a write goes through again.
    async fn ready(&self) -> Result<(), StoreError> {
        self.ping().await
    }
    /// Stores an article and its events atomically.
    async fn ingest(&self, x: &Extraction) -> Result<IngestOutcome, StoreError>;
    /// Stores several articles in one transaction, in order: an article that fails is
    /// rolled back alone (the batch is written again with a savepoint per article) and
    /// reported in its slot. The outer error means the batch as a whole was not stored.
    /// A store may keep what it wrote the batch with for the next one, until
    /// [`Store::end_batches`].
    async fn ingest_batch(
        &self,
        xs: &[&Extraction],
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        let mut out = Vec::with_capacity(xs.len());
        for x in xs {
            out.push(self.ingest(x).await);
        }
        Ok(out)
    }
    /// Lets go of what [`Store::ingest_batch`] kept for the next batch.
    async fn end_batches(&self) {}
    /// Visible events matching `q`, in order, at most `q.limit` of them.
    async fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>, StoreError>;
    /// [`Store::list_events`] as the API serves each event: its JSON, with what a page's
    /// cursor needs. Read without parsing the stored docs where they allow it.
    async fn list_events_json(&self, q: &EventQuery) -> Result<EventsJson, StoreError>;
    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError>;
    /// The visible events among `ids`, in `ids`' order, in one query.
    async fn get_events(&self, ids: &[String]) -> Result<Vec<Event>, StoreError>;
    async fn get_article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError>;
    /// Merges the full-text index into one segment after a bulk load (SQLite's FTS5
    /// `optimize`: a word's candidates are then checked with one seek each, not one
    /// per segment); nothing where the database keeps its index itself.
    async fn optimize_text(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Visible events matching `q` per facet value (`q`'s cursor and limit are ignored).
    async fn counts(&self, q: &EventQuery, facet: Facet) -> Result<Vec<Count>, StoreError>;
    /// An event whatever its status (for editors).
    async fn get_event_any(&self, id: &str) -> Result<Option<Event>, StoreError>;
    /// Replaces an event with its corrected form and records the change, atomically.
    /// False when the event does not exist.
    async fn update_event(
        &self,
        e: &Event,
        changes: &serde_json::Value,
        by: &str,
    ) -> Result<bool, StoreError>;
    async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, StoreError>;
    /// Hidden events changed at or after `since`, oldest first.
    async fn tombstones(&self, since: &str, limit: u32) -> Result<Vec<Tombstone>, StoreError>;
    /// Creates a key; returns it with its secret, which is shown once and stored hashed.
    async fn create_key(&self, name: &str) -> Result<(KeyInfo, String), StoreError>;
    async fn list_keys(&self) -> Result<Vec<KeyInfo>, StoreError>;
    /// False when no active key has that id.
    async fn revoke_key(&self, id: &str) -> Result<bool, StoreError>;
    /// The active key a presented secret belongs to.
    async fn authenticate(&self, secret: &str) -> Result<Option<KeyInfo>, StoreError>;
    /// A number every write increases: ETags are made from it.
    async fn data_version(&self) -> Result<i64, StoreError>;
    /// A number every write that touches one of `scopes` (see [`counts::scopes_of`])
    /// increases, and no other write changes: ETags of answers within them.
    async fn scope_version(&self, scopes: &[String]) -> Result<i64, StoreError>;
    /// Creates or replaces a saved timeline; true when it is new.
    async fn put_timeline(&self, t: &Timeline) -> Result<bool, StoreError>;
    async fn get_timeline(&self, slug: &str) -> Result<Option<Timeline>, StoreError>;
    async fn list_timelines(&self) -> Result<Vec<Timeline>, StoreError>;
    /// False when there was no such timeline.
    async fn delete_timeline(&self, slug: &str) -> Result<bool, StoreError>;
}

/// A saved timeline: a named `/events` filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Timeline {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The `/events` query string it serves, e.g. `region=kursk&from=2024`.
    pub filter: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A new API key: `lm_` + 256 random bits, base64url.
pub fn new_secret() -> Result<String, StoreError> {
    use base64::Engine;
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
    Ok(format!(
        "lm_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    ))
}

/// What is stored of a key: its SHA-256, hex.
pub fn key_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How the store's connections are set up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreOptions {
    /// The longest one SQL statement may run before the database stops it (PostgreSQL's
    /// `statement_timeout`; a stopped query is a 503). None = no limit. Migrations are
    /// never cut off.
    pub statement_timeout: Option<std::time::Duration>,
    /// SQLite only: the most pages the file may grow to (`PRAGMA max_page_count`);
    /// a write past it fails whole as "database full" (507). None = no cap.
    pub sqlite_max_pages: Option<u64>,
}

/// Opens the store a URL names (`sqlite://PATH`, created on first use, or
/// `postgres://…`) and migrates it.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    connect_with(url, &StoreOptions::default()).await
}

/// [`connect`] with connection options.
pub async fn connect_with(url: &str, opts: &StoreOptions) -> Result<Arc<dyn Store>, StoreError> {
    let store: Arc<dyn Store> = Arc::new(db::SqlStore::connect_with(url, opts).await?);
    store.migrate().await?;
    Ok(store)
}

/// Opens the store without waiting for the database; nothing is migrated. For
/// `serve`, which migrates in the background once the database answers.
pub fn connect_lazy(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    connect_lazy_with(url, &StoreOptions::default())
}

/// [`connect_lazy`] with connection options.
pub fn connect_lazy_with(url: &str, opts: &StoreOptions) -> Result<Arc<dyn Store>, StoreError> {
    Ok(Arc::new(db::SqlStore::connect_lazy_with(url, opts)?))
}

/// Now, to the second, as RFC 3339.
pub fn now() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string()
}
