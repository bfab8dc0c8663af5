//! The poller `serve` runs: every `tick` it claims the feeds that are due (a lease in
//! the store, so that of several instances on one PostgreSQL only one polls a feed),
//! fetches each, and for each item nobody has seen fetches its page (or takes the
//! feed's full content) and ingests it as `POST /articles` does. A feed that fails
//! records why and waits twice as long each time, at most a day; the others keep
//! their schedule.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::fetch::{FetchConfig, FetchError, Fetched, Fetcher, Kind};
use super::parse::{self, Item};
use crate::api::AppState;
use crate::ingest::ArticleJson;
use crate::store::{ClaimedFeed, PollOutcome, Validators, now};

/// How the poller behaves.
#[derive(Debug, Clone)]
pub struct PollConfig {
    /// No feed is polled more often than this, whatever its `interval_s`.
    pub min_interval: Duration,
    /// How often due feeds are looked for.
    pub tick: Duration,
    /// Feeds polled at once.
    pub parallel: usize,
    /// How long a claimed feed is held before another poller may take it over.
    pub lease: Duration,
    pub fetch: FetchConfig,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            min_interval: Duration::from_secs(60),
            tick: Duration::from_secs(1),
            parallel: 16,
            lease: Duration::from_secs(15 * 60),
            fetch: FetchConfig::default(),
        }
    }
}

/// Starts polling in the background, once the store is ready; the task runs until
/// the runtime ends (or it is aborted).
pub fn spawn(st: AppState, config: PollConfig) -> Result<tokio::task::JoinHandle<()>, FetchError> {
    let fetcher = Arc::new(Fetcher::new(config.fetch.clone())?);
    Ok(tokio::spawn(run(st, fetcher, config)))
}

async fn run(st: AppState, fetcher: Arc<Fetcher>, config: PollConfig) {
    let config = Arc::new(config);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.parallel.max(1)));
    let mut last_expiry = None::<std::time::Instant>;
    loop {
        tokio::time::sleep(config.tick).await;
        if !st.ready.load(std::sync::atomic::Ordering::SeqCst) {
            continue;
        }
        if last_expiry.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
            last_expiry = Some(std::time::Instant::now());
            // A claim older than two leases belongs to a poller that stopped mid-poll.
            let before = later(&now(), -2 * config.lease.as_secs() as i64);
            if let Err(e) = st.store.expire_item_claims(&before).await {
                tracing::warn!(error = %e, "feed items: stale claims not cleared");
            }
        }
        let free = slots.available_permits();
        if free == 0 {
            continue;
        }
        let at = now();
        let until = later(&at, config.lease.as_secs() as i64);
        let due = match st.store.claim_due_feeds(&at, &until, free as i64).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "feeds: could not look for due feeds");
                continue;
            }
        };
        for feed in due {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let (st, fetcher, config) = (st.clone(), fetcher.clone(), config.clone());
            tokio::spawn(async move {
                let _permit = permit;
                poll_feed(&st, &fetcher, &config, feed).await;
            });
        }
    }
}

/// `at` (RFC 3339, seconds) plus `secs`.
fn later(at: &str, secs: i64) -> String {
    let t = at
        .parse::<jiff::Timestamp>()
        .unwrap_or_else(|_| jiff::Timestamp::now());
    jiff::Timestamp::from_second(t.as_second().saturating_add(secs))
        .unwrap_or(t)
        .to_string()
}

/// The wait after a poll: the feed's interval (at least `min_interval`), doubled per
/// failure in a row, at most a day (or the interval when that is longer), and never
/// less than the server's `Retry-After`.
pub fn next_wait(
    interval_s: i64,
    min_interval: Duration,
    failures: i64,
    retry_after: Option<Duration>,
) -> i64 {
    let base = interval_s.max(min_interval.as_secs() as i64).max(1);
    let cap = base.max(86_400);
    let doubled = base.saturating_mul(1i64 << failures.clamp(0, 30)).min(cap);
    doubled.max(retry_after.map_or(0, |d| d.as_secs() as i64))
}

async fn poll_feed(st: &AppState, fetcher: &Fetcher, config: &PollConfig, claimed: ClaimedFeed) {
    let ClaimedFeed { feed, validators } = claimed;
    let fetched = fetcher.get(&feed.url, Kind::Feed, &validators).await;
    st.feed_metrics.add(&feed.id, |c| c.fetches += 1);
    let mut outcome = PollOutcome {
        fetched_at: now(),
        status: None,
        error: None,
        validators: validators.clone(),
        failures: 0,
        new_items: 0,
        new_articles: 0,
        next_fetch_at: String::new(),
    };
    let mut retry_after = None;
    // The feed failed (not one of its items): backoff.
    let mut failed = true;
    match fetched {
        Ok(Fetched::NotModified) => {
            st.feed_metrics.add(&feed.id, |c| c.not_modified += 1);
            outcome.status = Some(304);
            failed = false;
        }
        Ok(Fetched::Full(body)) => {
            outcome.status = Some(i64::from(body.status));
            match parse::items(&body.bytes, body.content_type.as_deref()) {
                Err(e) => outcome.error = Some(e),
                Ok(items) => {
                    // Validators only once the items are read: a feed that failed to
                    // parse is asked for in full again.
                    outcome.validators = body.validators;
                    failed = false;
                    let mut item_error = None;
                    for item in items {
                        let (taken, error) = take_item(st, fetcher, &feed, item).await;
                        if let Taken::New { ingested } = taken {
                            outcome.new_items += 1;
                            outcome.new_articles += i64::from(ingested);
                        }
                        item_error = error.or(item_error);
                    }
                    st.feed_metrics
                        .add(&feed.id, |c| c.ingested += outcome.new_articles as u64);
                    // The feed itself is fine; an item's failure is still worth saying.
                    if let Some(e) = item_error {
                        tracing::info!(feed.id = %feed.id, error = %e, "feed item not ingested");
                        outcome.error = Some(e);
                    }
                }
            }
        }
        Err(e) => {
            if let FetchError::Status { status, .. } = &e {
                outcome.status = Some(i64::from(*status));
            }
            retry_after = e.retry_after();
            outcome.error = Some(e.to_string());
        }
    }
    if failed {
        outcome.failures = feed.failures + 1;
        st.feed_metrics.add(&feed.id, |c| c.errors += 1);
        tracing::warn!(feed.id = %feed.id, feed.url = %feed.url, error = outcome.error.as_deref().unwrap_or(""), failures = outcome.failures, "feed poll failed");
    }
    let wait = next_wait(
        feed.interval_s,
        config.min_interval,
        outcome.failures,
        retry_after,
    );
    outcome.next_fetch_at = later(&outcome.fetched_at, wait);
    if let Err(e) = st.store.finish_poll(&feed.id, &outcome).await {
        tracing::warn!(feed.id = %feed.id, error = %e, "feed poll not recorded");
    }
}

enum Taken {
    /// Seen before (by GUID, URL or content), claimed by another poller, or to be
    /// tried again at the next poll.
    NotNew,
    /// Seen for the first time, and done with: its article stored or not.
    New { ingested: bool },
}

fn hash_key(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    format!(
        "hash:{}",
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// One item: claimed by every key it is known by, its article fetched (or taken
/// from the feed) and ingested. The note says why it was not, as `last_error` shows it.
async fn take_item(
    st: &AppState,
    fetcher: &Fetcher,
    feed: &crate::store::Feed,
    item: Item,
) -> (Taken, Option<String>) {
    let url = item
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(str::to_string);
    let named = url.clone().unwrap_or_else(|| item.guid.clone());
    let failed = |e: String| (Taken::NotNew, Some(format!("item {named}: {e}")));
    let mut keys = vec![format!("guid:{}:{}", feed.id, item.guid)];
    if let Some(u) = &url {
        keys.push(format!("url:{u}"));
    }
    match st.store.claim_item(&feed.id, &keys).await {
        Ok(true) => {}
        Ok(false) => return (Taken::NotNew, None),
        Err(e) => return failed(e.to_string()),
    }
    let language = feed.language.clone().or_else(|| {
        item.language
            .as_deref()
            .and_then(crate::pipeline::lang::normalise)
            .map(str::to_string)
    });
    let mut article = ArticleJson {
        url: url.clone(),
        title: item.title.clone(),
        publisher: None,
        published_at: None,
        language,
        text: None,
        html: None,
        feed_date: item.date,
    };
    let mut extra = Vec::new();
    if let Some(html) = item.content_html {
        extra.push(hash_key(html.as_bytes()));
        article.html = Some(html);
    } else if let Some(u) = &url {
        match fetcher.get(u, Kind::Page, &Validators::default()).await {
            Ok(Fetched::Full(page)) => {
                if page.url != *u {
                    extra.push(format!("url:{}", page.url));
                    article.url = Some(page.url.clone());
                }
                extra.push(hash_key(&page.bytes));
                let (html, _) = crate::pipeline::charset::decode_html(
                    &page.bytes,
                    page.content_type.as_deref(),
                );
                article.html = Some(html);
            }
            Ok(Fetched::NotModified) => {
                settle(st, &keys, true).await;
                return (Taken::New { ingested: false }, None);
            }
            // Not ours to read: seen, and not an error of the feed.
            Err(FetchError::Disallowed) => {
                tracing::info!(feed.id = %feed.id, item.url = %named, "robots.txt disallows the page");
                settle(st, &keys, true).await;
                return (Taken::New { ingested: false }, None);
            }
            Err(e) if e.is_transient() => {
                settle(st, &keys, false).await;
                return failed(e.to_string());
            }
            Err(e) => {
                settle(st, &keys, true).await;
                return (
                    Taken::New { ingested: false },
                    Some(format!("item {named}: {e}")),
                );
            }
        }
    } else {
        // Neither a link nor the article itself: nothing to read.
        settle(st, &keys, true).await;
        return (Taken::New { ingested: false }, None);
    }
    // The same page under another URL, or the same text again: seen.
    match st.store.claim_item(&feed.id, &extra).await {
        Ok(true) => {}
        Ok(false) => {
            settle(st, &keys, true).await;
            return (Taken::New { ingested: false }, None);
        }
        Err(e) => {
            settle(st, &keys, false).await;
            return failed(e.to_string());
        }
    }
    let all: Vec<String> = keys.into_iter().chain(extra).collect();
    match crate::api::write::ingest_article(st, article).await {
        Ok((outcome, _)) => {
            settle(st, &all, true).await;
            tracing::info!(feed.id = %feed.id, article.id = %outcome.article_id, duplicate = outcome.duplicate, "feed item ingested");
            (
                Taken::New {
                    ingested: !outcome.duplicate,
                },
                None,
            )
        }
        // The store or the machine at fault: tried again at the next poll.
        Err(e) if e.status_code().is_server_error() => {
            settle(st, &all, false).await;
            failed(e.to_string())
        }
        // The article at fault: not again.
        Err(e) => {
            settle(st, &all, true).await;
            (
                Taken::New { ingested: false },
                Some(format!("item {named}: {e}")),
            )
        }
    }
}

async fn settle(st: &AppState, keys: &[String], done: bool) {
    if let Err(e) = st.store.settle_item(keys, done).await {
        tracing::warn!(error = %e, "feed item claim not settled");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_failure_up_to_a_day_and_honours_retry_after() {
        let min = Duration::from_secs(60);
        assert_eq!(next_wait(900, min, 0, None), 900);
        assert_eq!(next_wait(10, min, 0, None), 60, "the floor");
        assert_eq!(next_wait(900, min, 1, None), 1800);
        assert_eq!(next_wait(900, min, 3, None), 7200);
        assert_eq!(next_wait(900, min, 40, None), 86_400);
        assert_eq!(
            next_wait(900, min, 1, Some(Duration::from_secs(5000))),
            5000
        );
        assert_eq!(later("2024-08-06T10:00:00Z", 90), "2024-08-06T10:01:30Z");
    }
}
