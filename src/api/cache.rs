//! HTTP caching for reads: a strong `ETag` made from the data version (a counter every
//! write increments, shared by all instances on one database) and the normalised
//! request (path, sorted query, `Accept`, `Accept-Encoding`). A matching
//! `If-None-Match` is answered 304 before any query runs.
//!
//! Two in-process caches sit behind it, both keyed so that a write makes them miss:
//!
//! - [`VersionCache`]: the data version, re-read at most once per `version_ttl` (0 =
//!   every request). A write through this instance forgets it at once; a write through
//!   another instance (or the CLI) is seen within the TTL.
//! - [`ResponseCache`]: whole bounded responses (pages, facets, menus — never the
//!   streamed exports), compressed once per encoding, keyed by the `ETag`, which holds
//!   the data version. A dashboard polling the same page costs a hash and a copy of
//!   a reference, not a query; memory is bounded by `response_cache_bytes`. Requests
//!   that miss on the same key at the same time run the handler once: the others wait
//!   for that one and are served its entry (a poll of a slow page by many dashboards
//!   right after a write costs one query, not one per dashboard).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;
use crate::store::{Store, StoreError};

pub const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300";

/// The largest single response kept in the [`ResponseCache`].
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// Routes whose answers depend on more than the stored data, or must never be cached.
fn uncached(route: &str) -> bool {
    matches!(route, "/healthz" | "/readyz" | "/metrics") || route.starts_with("/events/stream")
}

fn etag_for(version: i64, req: &Request) -> String {
    let mut pairs: Vec<(String, String)> = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.sort();
    let mut h = Sha256::new();
    h.update(req.uri().path().as_bytes());
    for (k, v) in &pairs {
        h.update([0]);
        h.update(k.as_bytes());
        h.update([1]);
        h.update(v.as_bytes());
    }
    for name in [header::ACCEPT, header::ACCEPT_ENCODING] {
        h.update([2]);
        h.update(req.headers().get(&name).map_or(&b""[..], |v| v.as_bytes()));
    }
    let d = h.finalize();
    let hex: String = d[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{version}-{hex}\"")
}

fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == tag)
}

/// The data version, read from the store at most once per TTL.
pub struct VersionCache {
    ttl: Duration,
    current: Mutex<Option<(i64, Instant)>>,
    /// Bumped by every local write: a read that started before it is not kept.
    generation: AtomicU64,
    refresh: tokio::sync::Mutex<()>,
}

impl VersionCache {
    pub fn new(ttl: Duration) -> Self {
        VersionCache {
            ttl,
            current: Mutex::new(None),
            generation: AtomicU64::new(0),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self) -> Option<i64> {
        let cur = *self.current.lock().unwrap_or_else(|p| p.into_inner());
        cur.filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v)
    }

    pub async fn get(&self, store: &dyn Store) -> Result<i64, StoreError> {
        if self.ttl.is_zero() {
            return store.data_version().await;
        }
        if let Some(v) = self.fresh() {
            return Ok(v);
        }
        // One reader refreshes; the others wait for its answer instead of querying too.
        let _one = self.refresh.lock().await;
        if let Some(v) = self.fresh() {
            return Ok(v);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let v = store.data_version().await?;
        if self.generation.load(Ordering::SeqCst) == generation {
            *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some((v, Instant::now()));
        }
        Ok(v)
    }

    /// Forgets the version: the next read asks the store.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// A response as served, without the per-request headers the outer layers add.
struct Cached {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Cached {
    fn response(&self) -> Response {
        let mut res = Response::new(Body::from(self.body.clone()));
        *res.status_mut() = self.status;
        *res.headers_mut() = self.headers.clone();
        res
    }

    fn cost(&self, key: &str) -> usize {
        self.body.len() + key.len() + 64 * (self.headers.len() + 1)
    }
}

#[derive(Default)]
struct Entries {
    /// The newest data version seen; entries of older versions are dropped.
    version: i64,
    bytes: usize,
    map: HashMap<String, std::sync::Arc<Cached>>,
    /// Insertion order, for eviction.
    order: VecDeque<String>,
}

/// Bounded responses by `ETag`, evicted oldest first; 0 bytes turns it off.
pub struct ResponseCache {
    max_bytes: usize,
    entries: Mutex<Entries>,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    /// Requests served the entry another request was computing when they missed.
    pub coalesced: AtomicU64,
    /// Keys being computed now; a receiver wakes when its computation ends.
    inflight: Mutex<HashMap<String, tokio::sync::watch::Receiver<()>>>,
}

/// The one request computing a key's response; dropping it (done, failed or cancelled)
/// wakes the requests waiting for it.
pub struct Flight<'a> {
    cache: &'a ResponseCache,
    tag: String,
    _done: tokio::sync::watch::Sender<()>,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        self.cache
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.tag);
    }
}

impl ResponseCache {
    pub fn new(max_bytes: usize) -> Self {
        ResponseCache {
            max_bytes,
            entries: Mutex::new(Entries::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            coalesced: AtomicU64::new(0),
            inflight: Mutex::new(HashMap::new()),
        }
    }

    /// After a miss: the flight computing `tag` when this request is first to miss
    /// it, or the cached entry once the request computing it is done (`None` if that
    /// one produced nothing cacheable: then compute it yourself, unshared).
    async fn join(&self, tag: &str) -> Result<Flight<'_>, Option<std::sync::Arc<Cached>>> {
        let mut rx = {
            let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            match inflight.get(tag) {
                Some(rx) => rx.clone(),
                None => {
                    let (tx, rx) = tokio::sync::watch::channel(());
                    inflight.insert(tag.to_string(), rx);
                    return Ok(Flight {
                        cache: self,
                        tag: tag.to_string(),
                        _done: tx,
                    });
                }
            }
        };
        // Ends with an error when the flight is dropped: that is the signal.
        while rx.changed().await.is_ok() {}
        let hit = self.lock().map.get(tag).cloned();
        if hit.is_some() {
            self.coalesced.fetch_add(1, Ordering::Relaxed);
        }
        Err(hit)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    fn get(&self, tag: &str) -> Option<std::sync::Arc<Cached>> {
        if self.max_bytes == 0 {
            return None;
        }
        let hit = self.lock().map.get(tag).cloned();
        let counter = if hit.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        hit
    }

    fn put(&self, version: i64, tag: String, entry: Cached) {
        let cost = entry.cost(&tag);
        if cost > self.max_bytes.min(MAX_ENTRY_BYTES) {
            return;
        }
        let mut e = self.lock();
        if version > e.version {
            *e = Entries {
                version,
                ..Entries::default()
            };
        } else if version < e.version {
            return;
        }
        while e.bytes + cost > self.max_bytes {
            let Some(old) = e.order.pop_front() else {
                break;
            };
            if let Some(gone) = e.map.remove(&old) {
                e.bytes -= gone.cost(&old);
            }
        }
        if let Some(prev) = e.map.insert(tag.clone(), std::sync::Arc::new(entry)) {
            e.bytes -= prev.cost(&tag);
        } else {
            e.order.push_back(tag);
        }
        e.bytes += cost;
    }

    /// Entries and bytes held, for `/metrics`.
    pub fn size(&self) -> (usize, usize) {
        let e = self.lock();
        (e.map.len(), e.bytes)
    }
}

/// Marks responses whose whole body is already in memory (and so may be cached),
/// before compression hides that: streamed exports are never marked.
pub async fn mark_bounded(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n as usize <= MAX_ENTRY_BYTES)
    {
        res.extensions_mut().insert(Bounded);
    }
    res
}

#[derive(Debug, Clone, Copy)]
pub struct Bounded;

pub async fn middleware(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let cacheable = matches!(method, Method::GET | Method::HEAD)
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|p| !uncached(p.as_str()));
    if !cacheable {
        let res = next.run(req).await;
        if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
            // A write through this instance: its readers see it at once.
            st.versions.invalidate();
        }
        return res;
    }
    // Without a version (database away) the handler answers for itself.
    let Ok(version) = st.versions.get(&*st.store).await else {
        return next.run(req).await;
    };
    let tag = etag_for(version, &req);
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Held while this request computes the response others may be waiting for.
    let mut flight = None;
    let mut res = if inm.as_deref().is_some_and(|v| matches(v, &tag)) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if let Some(hit) = st.responses.get(&tag) {
        hit.response()
    } else {
        let shared = if st.responses.enabled() {
            match st.responses.join(&tag).await {
                Ok(f) => {
                    flight = Some(f);
                    None
                }
                Err(hit) => hit,
            }
        } else {
            None
        };
        match shared {
            Some(hit) => hit.response(),
            None => {
                let res = next.run(req).await;
                if method == Method::GET
                    && res.status() == StatusCode::OK
                    && res.extensions().get::<Bounded>().is_some()
                {
                    keep(&st, version, tag.clone(), res).await
                } else {
                    res
                }
            }
        }
    };
    drop(flight);
    if res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED {
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&tag) {
            h.insert(header::ETAG, v);
        }
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        if !h
            .get_all(header::VARY)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"))
        {
            h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
    }
    res
}

/// Reads the (bounded) body, stores the response and serves it.
async fn keep(st: &AppState, version: i64, tag: String, res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            return super::error::ApiError::Internal(format!("reading a response: {e}"))
                .into_response();
        }
    };
    let entry = Cached {
        status: parts.status,
        headers: parts.headers,
        body,
    };
    let res = entry.response();
    st.responses.put(version, tag, entry);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_forms() {
        assert!(matches("\"3-ab\"", "\"3-ab\""));
        assert!(matches("\"1-x\", W/\"3-ab\"", "\"3-ab\""));
        assert!(matches("*", "\"3-ab\""));
        assert!(!matches("\"2-ab\"", "\"3-ab\""));
    }

    #[test]
    fn the_tag_ignores_parameter_order_but_not_values() {
        let r = |uri: &str| Request::get(uri).body(axum::body::Body::empty()).unwrap();
        assert_eq!(
            etag_for(1, &r("/events?a=1&b=2")),
            etag_for(1, &r("/events?b=2&a=1"))
        );
        assert_ne!(
            etag_for(1, &r("/events?a=1")),
            etag_for(1, &r("/events?a=2"))
        );
        assert_ne!(
            etag_for(1, &r("/events?a=1")),
            etag_for(2, &r("/events?a=1"))
        );
    }

    fn entry(n: usize) -> Cached {
        Cached {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        }
    }

    #[test]
    fn the_response_cache_stays_within_its_bound_and_drops_old_versions() {
        let c = ResponseCache::new(10_000);
        for i in 0..20 {
            c.put(1, format!("\"1-{i}\""), entry(1_000));
            assert!(c.size().1 <= 10_000, "{:?}", c.size());
        }
        assert!(c.get("\"1-0\"").is_none(), "the oldest entries went first");
        assert!(c.get("\"1-19\"").is_some());
        c.put(2, "\"2-a\"".into(), entry(10));
        assert_eq!(c.size().0, 1, "a newer version empties the cache");
        c.put(1, "\"1-late\"".into(), entry(10));
        assert!(c.get("\"1-late\"").is_none(), "a stale version is not kept");
        c.put(2, "\"2-big\"".into(), entry(20_000));
        assert!(c.get("\"2-big\"").is_none(), "larger than the whole cache");
        assert!(ResponseCache::new(0).get("\"2-a\"").is_none());
    }

    #[tokio::test]
    async fn a_second_miss_waits_for_the_first_and_gets_its_entry() {
        let c = std::sync::Arc::new(ResponseCache::new(10_000));
        let Ok(flight) = c.join("\"1-a\"").await else {
            panic!("the first miss computes");
        };
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { c.join("\"1-a\"").await.err().flatten().is_some() })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "the second miss waits");
        c.put(1, "\"1-a\"".into(), entry(100));
        drop(flight);
        assert!(waiter.await.unwrap(), "served the entry the first one kept");
        assert_eq!(c.coalesced.load(Ordering::Relaxed), 1);
        // A flight that ends with nothing kept lets the waiter compute for itself.
        let Ok(flight) = c.join("\"1-b\"").await else {
            panic!("a new key computes");
        };
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { matches!(c.join("\"1-b\"").await, Err(None)) })
        };
        tokio::task::yield_now().await;
        drop(flight);
        assert!(waiter.await.unwrap());
        assert!(c.join("\"1-b\"").await.is_ok(), "and the key is free again");
    }
}
