//! Following newsroom feeds: `serve` polls each feed it was given (`POST /feeds`,
//! `linimasa feeds add`) every `interval_s`, and ingests each new item's article as
//! `POST /articles` would. `fetch` is the polite HTTP client, `parse` reads feeds and
//! news sitemaps, `poll` is the loop that ties them to the store.

pub mod fetch;
pub mod parse;
pub mod poll;

use std::collections::HashMap;
use std::sync::Mutex;

use crate::ingest::FieldError;
use crate::store::NewFeed;

/// How often a feed is polled unless it says otherwise (seconds).
pub const DEFAULT_INTERVAL_S: i64 = 900;
/// The longest interval accepted: a week.
pub const MAX_INTERVAL_S: i64 = 7 * 24 * 3600;

/// A feed to follow, checked field by field (the API's 400s and the command line's
/// messages name the field).
pub fn new_feed(
    url: &str,
    language: Option<&str>,
    interval_s: Option<i64>,
) -> Result<NewFeed, FieldError> {
    let err = |field, detail: String| FieldError { field, detail };
    let url = url.trim();
    if url.len() > crate::ingest::MAX_URL_BYTES {
        return Err(err(
            "url",
            format!(
                "the URL is {} bytes long; the limit is {}",
                url.len(),
                crate::ingest::MAX_URL_BYTES
            ),
        ));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| err("url", format!("{url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(err(
            "url",
            format!("{url:?} is not an http:// or https:// URL"),
        ));
    }
    let language = match language {
        None => None,
        Some(l) => Some(
            crate::pipeline::lang::normalise(l)
                .ok_or_else(|| {
                    err(
                        "language",
                        format!("{l:?} is not supported: use id, en, ru or uk"),
                    )
                })?
                .to_string(),
        ),
    };
    let interval_s = interval_s.unwrap_or(DEFAULT_INTERVAL_S);
    if !(1..=MAX_INTERVAL_S).contains(&interval_s) {
        return Err(err(
            "interval_s",
            format!("{interval_s} is out of range: 1 to {MAX_INTERVAL_S} seconds"),
        ));
    }
    Ok(NewFeed {
        url: parsed.to_string(),
        language,
        interval_s,
    })
}

/// A metric's name, help text and value.
type Series = (&'static str, &'static str, fn(&Counts) -> u64);

/// Counts per feed, for `/metrics`.
#[derive(Debug, Default)]
pub struct FeedMetrics {
    by_feed: Mutex<HashMap<String, Counts>>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Requests for the feed itself.
    pub fetches: u64,
    /// Of which answered 304.
    pub not_modified: u64,
    /// Polls that failed.
    pub errors: u64,
    /// Articles stored from its items.
    pub ingested: u64,
}

impl FeedMetrics {
    pub fn add(&self, feed: &str, f: impl FnOnce(&mut Counts)) {
        let mut m = self.by_feed.lock().unwrap_or_else(|p| p.into_inner());
        f(m.entry(feed.to_string()).or_default());
    }

    pub fn get(&self, feed: &str) -> Counts {
        let m = self.by_feed.lock().unwrap_or_else(|p| p.into_inner());
        m.get(feed).copied().unwrap_or_default()
    }

    /// Prometheus' text format.
    pub fn render(&self) -> String {
        let m = self.by_feed.lock().unwrap_or_else(|p| p.into_inner());
        let mut feeds: Vec<_> = m.iter().collect();
        feeds.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        let series: [Series; 4] = [
            ("linimasa_feed_fetches_total", "Requests for a feed.", |c| {
                c.fetches
            }),
            (
                "linimasa_feed_not_modified_total",
                "Feed requests answered 304 Not Modified.",
                |c| c.not_modified,
            ),
            (
                "linimasa_feed_errors_total",
                "Feed polls that failed.",
                |c| c.errors,
            ),
            (
                "linimasa_feed_articles_ingested_total",
                "Articles stored from a feed's items.",
                |c| c.ingested,
            ),
        ];
        for (name, help, value) in series {
            out += &format!("# HELP {name} {help}\n# TYPE {name} counter\n");
            for (feed, c) in &feeds {
                out += &format!("{name}{{feed=\"{feed}\"}} {}\n", value(c));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_is_checked_field_by_field() {
        let f = new_feed("https://example.org/rss", Some("EN"), None).unwrap();
        assert_eq!(f.language.as_deref(), Some("en"));
        assert_eq!(f.interval_s, DEFAULT_INTERVAL_S);
        assert_eq!(new_feed("ftp://x/y", None, None).unwrap_err().field, "url");
        assert_eq!(new_feed("not a url", None, None).unwrap_err().field, "url");
        assert_eq!(
            new_feed("http://x/", Some("fr"), None).unwrap_err().field,
            "language"
        );
        assert_eq!(
            new_feed("http://x/", None, Some(0)).unwrap_err().field,
            "interval_s"
        );
    }
}
