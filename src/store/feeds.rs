//! The feeds `serve` follows and the items seen in them. A poller claims a due feed
//! for a while (a lease; on PostgreSQL the due rows are picked with `FOR UPDATE SKIP
//! LOCKED`, so two instances never claim the same feed), and claims an item by storing
//! every key it is known by (GUID, URL, content hash) at once: the item is fetched by
//! whoever stored them, and by nobody when one of them was there already.

use async_trait::async_trait;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use utoipa::ToSchema;

use super::db::{Backend, SqlStore};
use super::{StoreError, now};

/// A feed as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Feed {
    pub id: String,
    pub url: String,
    /// The language of its articles (id, en, ru, uk); detected per article when null.
    pub language: Option<String>,
    /// Seconds between polls.
    pub interval_s: i64,
    pub created_at: String,
    /// When it was last polled (RFC 3339), null before the first poll.
    pub last_fetched_at: Option<String>,
    /// The HTTP status of the last poll (304 when unchanged); null when no answer came.
    pub last_status: Option<i64>,
    /// Why the last poll failed ("HTTP 500", "not a feed: text/html", "XML error at
    /// line 3", "timed out after 30 s"); null when it went well.
    pub last_error: Option<String>,
    /// Failed polls in a row; each doubles the wait before the next (at most a day).
    pub failures: i64,
    /// Items first seen in this feed.
    pub items_seen: i64,
    /// Articles stored from its items.
    pub articles_ingested: i64,
    /// When it is polled next (RFC 3339).
    pub next_fetch_at: String,
}

/// A feed to follow.
#[derive(Debug, Clone)]
pub struct NewFeed {
    pub url: String,
    pub language: Option<String>,
    pub interval_s: i64,
}

/// What a conditional request sends back: the last full answer's validators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A feed a poller holds until its lease ends.
#[derive(Debug, Clone)]
pub struct ClaimedFeed {
    pub feed: Feed,
    pub validators: Validators,
}

/// How a poll ended.
#[derive(Debug, Clone)]
pub struct PollOutcome {
    pub fetched_at: String,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub validators: Validators,
    pub failures: i64,
    /// Added to the feed's counts.
    pub new_items: i64,
    pub new_articles: i64,
    pub next_fetch_at: String,
}

#[async_trait]
pub trait FeedStore: Send + Sync {
    /// Follows a feed; the existing one (false) when its URL is already followed.
    async fn add_feed(&self, f: &NewFeed) -> Result<(Feed, bool), StoreError>;
    async fn list_feeds(&self) -> Result<Vec<Feed>, StoreError>;
    async fn get_feed(&self, id: &str) -> Result<Option<Feed>, StoreError>;
    /// Stops following a feed (and forgets its items); false when there was none.
    async fn delete_feed(&self, id: &str) -> Result<bool, StoreError>;
    /// Claims at most `limit` feeds due at `now` that nobody holds, until `lease_until`.
    async fn claim_due_feeds(
        &self,
        now: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<ClaimedFeed>, StoreError>;
    /// Records a poll and releases the feed.
    async fn finish_poll(&self, id: &str, o: &PollOutcome) -> Result<(), StoreError>;
    /// Stores every key of an item as claimed by `feed_id`: true when none was known
    /// (the caller fetches the item), false (nothing stored) when one was.
    async fn claim_item(&self, feed_id: &str, keys: &[String]) -> Result<bool, StoreError>;
    /// Ends a claim: `done` keeps the keys for good; otherwise they are forgotten and
    /// the item is tried again at the next poll.
    async fn settle_item(&self, keys: &[String], done: bool) -> Result<(), StoreError>;
    /// Forgets claims older than `before` (a poller that stopped mid-poll).
    async fn expire_item_claims(&self, before: &str) -> Result<u64, StoreError>;
}

const FEED_COLUMNS: &str = "id, url, language, interval_s, created_at, last_fetched_at, last_status, last_error, failures, items_seen, articles_ingested, next_fetch_at, etag, last_modified";

fn feed_from_row(r: &AnyRow) -> Result<ClaimedFeed, StoreError> {
    Ok(ClaimedFeed {
        feed: Feed {
            id: r.try_get("id")?,
            url: r.try_get("url")?,
            language: r.try_get("language")?,
            interval_s: r.try_get("interval_s")?,
            created_at: r.try_get("created_at")?,
            last_fetched_at: r.try_get("last_fetched_at")?,
            last_status: r.try_get("last_status")?,
            last_error: r.try_get("last_error")?,
            failures: r.try_get("failures")?,
            items_seen: r.try_get("items_seen")?,
            articles_ingested: r.try_get("articles_ingested")?,
            next_fetch_at: r.try_get("next_fetch_at")?,
        },
        validators: Validators {
            etag: r.try_get("etag")?,
            last_modified: r.try_get("last_modified")?,
        },
    })
}

/// `feed_` + 64 random bits, hex.
fn new_feed_id() -> Result<String, StoreError> {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
    Ok(format!(
        "feed_{}",
        buf.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

impl SqlStore {
    async fn feed_where(&self, cond: &str, value: &str) -> Result<Option<Feed>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {FEED_COLUMNS} FROM feeds WHERE {cond} = $1"
        )))
        .bind(value)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(feed_from_row).transpose()?.map(|c| c.feed))
    }
}

#[async_trait]
impl FeedStore for SqlStore {
    async fn add_feed(&self, f: &NewFeed) -> Result<(Feed, bool), StoreError> {
        let id = new_feed_id()?;
        let at = now();
        let r = sqlx::query(
            "INSERT INTO feeds (id, url, language, interval_s, created_at, next_fetch_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url) DO NOTHING",
        )
        .bind(&id)
        .bind(&f.url)
        .bind(f.language.as_deref())
        .bind(f.interval_s)
        .bind(&at)
        .bind(&at)
        .execute(self.pool())
        .await;
        let created = self.track(r.map_err(StoreError::from))?.rows_affected() == 1;
        let feed = self
            .feed_where("url", &f.url)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("feed {} vanished", f.url)))?;
        Ok((feed, created))
    }

    async fn list_feeds(&self) -> Result<Vec<Feed>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {FEED_COLUMNS} FROM feeds ORDER BY created_at, id"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| feed_from_row(r).map(|c| c.feed))
            .collect()
    }

    async fn get_feed(&self, id: &str) -> Result<Option<Feed>, StoreError> {
        self.feed_where("id", id).await
    }

    async fn delete_feed(&self, id: &str) -> Result<bool, StoreError> {
        let r = sqlx::query("DELETE FROM feeds WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await;
        Ok(self.track(r.map_err(StoreError::from))?.rows_affected() > 0)
    }

    async fn claim_due_feeds(
        &self,
        at: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<ClaimedFeed>, StoreError> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let pick = format!(
            "SELECT id FROM feeds WHERE next_fetch_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) \
             ORDER BY next_fetch_at, id LIMIT $2{lock}"
        );
        let r = async {
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(pick))
                .bind(at)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                // The lease condition again: on SQLite another process may have claimed
                // the feed between the pick and this update.
                let row = sqlx::query(AssertSqlSafe(format!(
                    "UPDATE feeds SET lease_until = $1 WHERE id = $2 \
                     AND (lease_until IS NULL OR lease_until <= $3) RETURNING {FEED_COLUMNS}"
                )))
                .bind(lease_until)
                .bind(&id)
                .bind(at)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(r) = row {
                    out.push(feed_from_row(&r)?);
                }
            }
            tx.commit().await?;
            w.finished = true;
            Ok(out)
        }
        .await;
        self.track(r)
    }

    async fn finish_poll(&self, id: &str, o: &PollOutcome) -> Result<(), StoreError> {
        let r = sqlx::query(
            "UPDATE feeds SET last_fetched_at = $1, last_status = $2, last_error = $3, \
             etag = $4, last_modified = $5, failures = $6, items_seen = items_seen + $7, \
             articles_ingested = articles_ingested + $8, next_fetch_at = $9, lease_until = NULL \
             WHERE id = $10",
        )
        .bind(&o.fetched_at)
        .bind(o.status)
        .bind(o.error.as_deref())
        .bind(o.validators.etag.as_deref())
        .bind(o.validators.last_modified.as_deref())
        .bind(o.failures)
        .bind(o.new_items)
        .bind(o.new_articles)
        .bind(&o.next_fetch_at)
        .bind(id)
        .execute(self.pool())
        .await;
        self.track(r.map_err(StoreError::from))?;
        Ok(())
    }

    async fn claim_item(&self, feed_id: &str, keys: &[String]) -> Result<bool, StoreError> {
        let at = now();
        let r = async {
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            let mut fresh = true;
            for k in keys {
                let r = sqlx::query(
                    "INSERT INTO feed_items (key, feed_id, state, seen_at) \
                     VALUES ($1, $2, 'claimed', $3) ON CONFLICT (key) DO NOTHING",
                )
                .bind(k)
                .bind(feed_id)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
                if r.rows_affected() == 0 {
                    fresh = false;
                    break;
                }
            }
            if fresh {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            w.finished = true;
            Ok(fresh)
        }
        .await;
        self.track(r)
    }

    async fn settle_item(&self, keys: &[String], done: bool) -> Result<(), StoreError> {
        let sql = if done {
            "UPDATE feed_items SET state = 'done' WHERE key = $1"
        } else {
            "DELETE FROM feed_items WHERE key = $1 AND state = 'claimed'"
        };
        let r = async {
            let mut w = self.writer().await?;
            let mut tx = w.begin().await?;
            for k in keys {
                sqlx::query(sql).bind(k).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            w.finished = true;
            Ok(())
        }
        .await;
        self.track(r)
    }

    async fn expire_item_claims(&self, before: &str) -> Result<u64, StoreError> {
        let r = sqlx::query("DELETE FROM feed_items WHERE state = 'claimed' AND seen_at < $1")
            .bind(before)
            .execute(self.pool())
            .await;
        Ok(self.track(r.map_err(StoreError::from))?.rows_affected())
    }
}
