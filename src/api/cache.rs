//! HTTP caching for reads: a strong `ETag` made from the data version (a counter every
//! write increments, shared by all instances on one database) and the normalised
//! request (path, sorted query, `Accept`, `Accept-Encoding`, and the language
//! `Accept-Language` chooses). A matching
//! `If-None-Match` is answered 304 before any query runs.
//!
//! An answer made only of some regions' (or countries') events — `/events`, its
//! formats, `/facets` and `/histogram` filtered by `region` (or `country`), without
//! `updated_since`, whose tombstones come from anywhere — takes the version of those
//! scopes instead ([`Store::scope_version`]): a write elsewhere leaves its `ETag` and
//! its cached entry as they are, so the Gaza page stays cached while Kursk articles
//! stream in. Its tag is marked (`"s…"`) so it never equals a data-version tag.
//!
//! Two in-process caches sit behind it, both keyed so that a write makes them miss:
//!
//! - [`VersionCache`]: the data version, re-read at most once per `version_ttl` (0 =
//!   every request). A write through this instance forgets it at once; a write through
//!   another instance (or the CLI) is seen within the TTL.
//! - [`ResponseCache`]: whole bounded responses (pages, facets, menus — never the
//!   streamed exports), compressed once per encoding, keyed by the `ETag`, which holds
//!   the data version. A dashboard polling the same page costs a hash and a copy of
//!   a reference, not a query; memory is bounded by `response_cache_bytes`.
//!
//! One request at a time computes a given request's response (its "flight"): others
//! that miss it meanwhile wait for that one and are served its entry (a poll of a slow
//! page by many dashboards right after a write costs one query, not one per
//! dashboard). If the wait passes [`STALE_WAIT`] and an entry of an older data version
//! is at hand, they are served that entry at once, with its own `ETag`: under writes
//! that come faster than a page can be computed, each page is recomputed by one request
//! at a time and readers see answers at most one computation old, instead of every new
//! version starting more computations of the same page until the pool is exhausted.
//! Without contention (a computation shorter than [`STALE_WAIT`]) a read after a write
//! always sees the write.

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

/// How long a request waits for another one computing the same response before it
/// takes the older entry at hand, if any.
pub const STALE_WAIT: Duration = Duration::from_millis(100);

/// Routes whose answers depend on more than the stored data, or must never be cached.
fn uncached(route: &str) -> bool {
    // Feeds change without the data version (and their lists are private).
    matches!(route, "/healthz" | "/readyz" | "/metrics")
        || route.starts_with("/events/stream")
        || route.starts_with("/feeds")
}

/// The request's identity in the response cache: path, sorted query, `Accept` and
/// `Accept-Encoding`, hashed.
fn request_key(req: &Request) -> String {
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
    // `Accept-Language` by the language it chooses, so that browsers' many spellings
    // of one preference share an entry.
    h.update([3]);
    h.update(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::headline::Lang::from_accept_language)
            .map_or("", |l| l.code())
            .as_bytes(),
    );
    let d = h.finalize();
    d[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// Routes whose answers are made of the events their filter matches, and nothing else.
fn scoped_route(route: &str) -> bool {
    matches!(route, "/facets" | "/histogram") || route == "/events" || route.starts_with("/events.")
}

/// The scopes a request's answer stays within (its `region`s, or else its `country`s),
/// or none when it may hold any event.
fn request_scopes(req: &Request, kb: &crate::knowledge::Knowledge) -> Option<Vec<String>> {
    let route = req.extensions().get::<MatchedPath>()?;
    if !scoped_route(route.as_str()) {
        return None;
    }
    let pairs = super::params::query_pairs(req.uri().query()).ok()?;
    if pairs.iter().any(|(k, _)| k == "updated_since") {
        return None;
    }
    let filter: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k == "region" || k == "country")
        .collect();
    if filter.is_empty() {
        return None;
    }
    let raw = serde_urlencoded::to_string(filter).ok()?;
    // A filter that does not parse is a 400, which is not cached.
    let q = super::params::parse(Some(&raw), kb).ok()?.query;
    crate::store::counts::scopes_of(&q)
}

fn etag(version: i64, scoped: bool, key: &str) -> String {
    let mark = if scoped { "s" } else { "" };
    format!("\"{mark}{version}-{key}\"")
}

#[cfg(test)]
fn etag_for(version: i64, req: &Request) -> String {
    etag(version, false, &request_key(req))
}

fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == tag)
}

/// Versions read, by scopes (`None`: the data version), with when they were read.
type Versions = HashMap<Option<Vec<String>>, (i64, Instant)>;

/// Versions kept at most: past this the map starts again.
const MAX_VERSIONS: usize = 4096;

/// The data version, and the versions of scopes, each read from the store at most once
/// per TTL.
pub struct VersionCache {
    ttl: Duration,
    /// By scopes; `None` is the data version.
    current: Mutex<Versions>,
    /// Bumped by every local write: a read that started before it is not kept.
    generation: AtomicU64,
    refresh: tokio::sync::Mutex<()>,
}

impl VersionCache {
    pub fn new(ttl: Duration) -> Self {
        VersionCache {
            ttl,
            current: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Versions> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fresh(&self, scopes: &Option<Vec<String>>) -> Option<i64> {
        self.lock()
            .get(scopes)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| *v)
    }

    async fn read(store: &dyn Store, scopes: &Option<Vec<String>>) -> Result<i64, StoreError> {
        match scopes {
            Some(s) => store.scope_version(s).await,
            None => store.data_version().await,
        }
    }

    /// The version of `scopes`, or the data version for none.
    pub async fn get(
        &self,
        store: &dyn Store,
        scopes: &Option<Vec<String>>,
    ) -> Result<i64, StoreError> {
        if self.ttl.is_zero() {
            return Self::read(store, scopes).await;
        }
        if let Some(v) = self.fresh(scopes) {
            return Ok(v);
        }
        // One reader refreshes; the others wait for its answer instead of querying too.
        let _one = self.refresh.lock().await;
        if let Some(v) = self.fresh(scopes) {
            return Ok(v);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let v = Self::read(store, scopes).await?;
        if self.generation.load(Ordering::SeqCst) == generation {
            let mut cur = self.lock();
            if cur.len() >= MAX_VERSIONS {
                cur.clear();
            }
            cur.insert(scopes.clone(), (v, Instant::now()));
        }
        Ok(v)
    }

    /// Forgets every version: the next read asks the store.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.lock().clear();
    }
}

/// A response as served, without the per-request headers the outer layers add.
struct Cached {
    /// The data version it was computed at, and so its `ETag`.
    version: i64,
    tag: String,
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

/// A kept response, shared by the requests it is served to.
type Entry = std::sync::Arc<Cached>;

/// The newest entry of each request key.
#[derive(Default)]
struct Entries {
    bytes: usize,
    map: HashMap<String, Entry>,
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
    /// Requests served an older version's entry while another request computed theirs.
    pub stale: AtomicU64,
    /// Request keys being computed now; a receiver wakes when its computation ends.
    inflight: Mutex<HashMap<String, tokio::sync::watch::Receiver<()>>>,
}

/// The one request computing a key's response; dropping it (done, failed or cancelled)
/// wakes the requests waiting for it.
pub struct Flight<'a> {
    cache: &'a ResponseCache,
    key: String,
    _done: tokio::sync::watch::Sender<()>,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        self.cache
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
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
            stale: AtomicU64::new(0),
            inflight: Mutex::new(HashMap::new()),
        }
    }

    /// After a miss: the flight computing `key` when no other request is computing
    /// it, or else the entry that request keeps once it is done (`None` if it kept
    /// nothing: then compute it yourself, unshared) — or `stale`, if given, once the
    /// wait has lasted [`STALE_WAIT`].
    async fn join(&self, key: &str, stale: Option<Entry>) -> Result<Flight<'_>, Option<Entry>> {
        let mut rx = {
            let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            match inflight.get(key) {
                Some(rx) => rx.clone(),
                None => {
                    let (tx, rx) = tokio::sync::watch::channel(());
                    inflight.insert(key.to_string(), rx);
                    return Ok(Flight {
                        cache: self,
                        key: key.to_string(),
                        _done: tx,
                    });
                }
            }
        };
        // Ends with an error when the flight is dropped: that is the signal.
        let done = async { while rx.changed().await.is_ok() {} };
        if let Some(old) = stale {
            if tokio::time::timeout(STALE_WAIT, done).await.is_err() {
                self.stale.fetch_add(1, Ordering::Relaxed);
                return Err(Some(old));
            }
        } else {
            done.await;
        }
        let hit = self.lock().map.get(key).cloned();
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

    /// The entry of `key` at `version`, or `Err` with the older one at hand (if any).
    fn get(&self, key: &str, version: i64) -> Result<Entry, Option<Entry>> {
        if self.max_bytes == 0 {
            return Err(None);
        }
        let found = self.lock().map.get(key).cloned();
        match found {
            Some(hit) if hit.version >= version => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(hit)
            }
            other => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                Err(other)
            }
        }
    }

    fn put(&self, key: String, entry: Cached) {
        let cost = entry.cost(&key);
        if cost > self.max_bytes.min(MAX_ENTRY_BYTES) {
            return;
        }
        let mut e = self.lock();
        if e.map
            .get(&key)
            .is_some_and(|old| old.version > entry.version)
        {
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
        if let Some(prev) = e.map.insert(key.clone(), std::sync::Arc::new(entry)) {
            e.bytes -= prev.cost(&key);
        } else {
            e.order.push_back(key);
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
    let route = req.extensions().get::<MatchedPath>();
    let cacheable = matches!(method, Method::GET | Method::HEAD)
        && route.is_some_and(|p| !uncached(p.as_str()));
    // `POST /annotate` writes nothing.
    let writes = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS)
        && route.is_none_or(|p| p.as_str() != "/annotate");
    if !cacheable {
        let res = next.run(req).await;
        if writes {
            // A write through this instance: its readers see it at once.
            st.versions.invalidate();
        }
        return res;
    }
    // Without a version (database away) the handler answers for itself.
    let scopes = request_scopes(&req, &st.kb);
    let Ok(version) = st.versions.get(&*st.store, &scopes).await else {
        return next.run(req).await;
    };
    let key = request_key(&req);
    let mut tag = etag(version, scopes.is_some(), &key);
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let not_modified = |t: &str| inm.as_deref().is_some_and(|v| matches(v, t));
    // Held while this request computes the response others may be waiting for.
    let mut flight = None;
    let mut res = if not_modified(&tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let shared = match st.responses.get(&key, version) {
            Ok(hit) => Some(hit),
            Err(older) if st.responses.enabled() => match st.responses.join(&key, older).await {
                Ok(f) => {
                    flight = Some(f);
                    None
                }
                Err(entry) => entry,
            },
            Err(_) => None,
        };
        match shared {
            // Served with the tag of the version it was computed at (older than
            // `version` when another request is still computing this one).
            Some(hit) => {
                tag = hit.tag.clone();
                if not_modified(&tag) {
                    StatusCode::NOT_MODIFIED.into_response()
                } else {
                    hit.response()
                }
            }
            None => {
                let res = next.run(req).await;
                // Without a cache (`--response-cache-mb 0`) a body of known length goes
                // out as the handler made it, not gathered into one buffer first; a
                // compressed one (its length unknown until compressed) is still
                // gathered, so that it keeps its `Content-Length`.
                let gather =
                    st.responses.enabled() || res.headers().contains_key(header::CONTENT_ENCODING);
                if method == Method::GET
                    && gather
                    && res.status() == StatusCode::OK
                    && res.extensions().get::<Bounded>().is_some()
                {
                    keep(&st, version, key, tag.clone(), res).await
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
async fn keep(st: &AppState, version: i64, key: String, tag: String, res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            return super::error::ApiError::Internal(format!("reading a response: {e}"))
                .into_response();
        }
    };
    let entry = Cached {
        version,
        tag,
        status: parts.status,
        headers: parts.headers,
        body,
    };
    let res = entry.response();
    st.responses.put(key, entry);
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

    fn entry(version: i64, n: usize) -> Cached {
        Cached {
            version,
            tag: etag(version, false, "k"),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        }
    }

    #[test]
    fn the_response_cache_stays_within_its_bound_and_keeps_the_newest_per_request() {
        let c = ResponseCache::new(10_000);
        for i in 0..20 {
            c.put(format!("k{i}"), entry(1, 1_000));
            assert!(c.size().1 <= 10_000, "{:?}", c.size());
        }
        assert!(c.get("k0", 1).is_err(), "the oldest entries went first");
        assert!(c.get("k19", 1).is_ok());
        // After a write, the entry is a miss that offers itself as the older answer.
        match c.get("k19", 2) {
            Err(Some(old)) => assert_eq!(old.version, 1),
            _ => panic!("an older entry is offered, not served"),
        }
        c.put("k19".into(), entry(2, 10));
        assert_eq!(c.get("k19", 2).map(|e| e.version).ok(), Some(2));
        c.put("k19".into(), entry(1, 10));
        assert_eq!(
            c.get("k19", 2).map(|e| e.version).ok(),
            Some(2),
            "a late older version does not replace a newer one"
        );
        c.put("big".into(), entry(2, 20_000));
        assert!(c.get("big", 2).is_err(), "larger than the whole cache");
        assert!(matches!(ResponseCache::new(0).get("k19", 2), Err(None)));
    }

    #[tokio::test]
    async fn a_second_miss_waits_for_the_first_and_gets_its_entry() {
        let c = std::sync::Arc::new(ResponseCache::new(10_000));
        let Ok(flight) = c.join("a", None).await else {
            panic!("the first miss computes");
        };
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { c.join("a", None).await.err().flatten().is_some() })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "the second miss waits");
        c.put("a".into(), entry(1, 100));
        drop(flight);
        assert!(waiter.await.unwrap(), "served the entry the first one kept");
        assert_eq!(c.coalesced.load(Ordering::Relaxed), 1);
        // A flight that ends with nothing kept lets the waiter compute for itself.
        let Ok(flight) = c.join("b", None).await else {
            panic!("a new key computes");
        };
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { matches!(c.join("b", None).await, Err(None)) })
        };
        tokio::task::yield_now().await;
        drop(flight);
        assert!(waiter.await.unwrap());
        assert!(c.join("b", None).await.is_ok(), "and the key is free again");
    }

    #[tokio::test(start_paused = true)]
    async fn a_miss_with_an_older_entry_waits_at_most_the_stale_bound() {
        let c = std::sync::Arc::new(ResponseCache::new(10_000));
        c.put("p".into(), entry(1, 100));
        let Err(older) = c.get("p", 2) else {
            panic!("version 2 is not cached yet");
        };
        let Ok(flight) = c.join("p", older.clone()).await else {
            panic!("the first miss computes");
        };
        // A quick computation: the waiter gets the new entry, not the old one.
        let waiter = {
            let (c, older) = (c.clone(), older.clone());
            tokio::spawn(async move { c.join("p", older).await.err().flatten().map(|e| e.version) })
        };
        tokio::time::sleep(STALE_WAIT / 2).await;
        c.put("p".into(), entry(2, 100));
        drop(flight);
        assert_eq!(waiter.await.unwrap(), Some(2));
        // A slow one: after STALE_WAIT the waiter takes the older entry.
        let Ok(flight) = c.join("p", older.clone()).await else {
            panic!("free again");
        };
        let waiter = {
            let (c, older) = (c.clone(), older.clone());
            tokio::spawn(async move { c.join("p", older).await.err().flatten().map(|e| e.version) })
        };
        tokio::time::sleep(STALE_WAIT * 3).await;
        assert!(waiter.is_finished(), "it did not wait for the computation");
        assert_eq!(waiter.await.unwrap(), Some(1));
        assert_eq!(c.stale.load(Ordering::Relaxed), 1);
        drop(flight);
    }
}
