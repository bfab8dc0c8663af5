//! Operations middleware: request ids, an access log line per request, a request
//! timeout, a per-client rate limit on reads, and Prometheus metrics. Each answers
//! with the same problem+json as the handlers.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;

pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Operational settings of `serve`.
#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// Longest a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Reads per client address per minute; 0 = unlimited.
    pub reads_per_minute: u32,
    /// How often `/events/stream` looks for changes.
    pub stream_poll: Duration,
    /// How long a read of the data version is trusted (0 = ask the store every
    /// request). Writes through this instance are seen at once; other instances'
    /// writes within this time.
    pub version_ttl: Duration,
    /// Memory for whole cached responses (0 = none).
    pub response_cache_bytes: usize,
    /// Longest a request body may take to arrive, from the end of its head (408).
    pub body_timeout: Duration,
    /// Articles extracted at once (`POST /articles`); more wait their turn, so that
    /// extraction never takes every core from reads and `/healthz`.
    pub extraction_slots: usize,
}

/// One core fewer than the machine has, and at least one.
fn default_extraction_slots() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

impl Default for OpsConfig {
    fn default() -> Self {
        OpsConfig {
            request_timeout: Duration::from_secs(30),
            reads_per_minute: 0,
            stream_poll: Duration::from_secs(2),
            version_ttl: Duration::ZERO,
            response_cache_bytes: 32 * 1024 * 1024,
            body_timeout: Duration::from_secs(30),
            extraction_slots: default_extraction_slots(),
        }
    }
}

/// Shared operational state: config, limiter, metrics.
pub struct Ops {
    pub config: OpsConfig,
    limiter: Mutex<HashMap<IpAddr, Bucket>>,
    metrics: Mutex<HashMap<(String, String, u16), Series>>,
    next_id: AtomicU64,
    id_prefix: String,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Latency histogram bounds, seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Ops {
    pub fn new(config: OpsConfig) -> Self {
        let mut seed = [0u8; 4];
        let _ = getrandom::fill(&mut seed);
        Ops {
            config,
            limiter: Mutex::new(HashMap::new()),
            metrics: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            id_prefix: seed.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    /// Takes one read from `client`'s bucket: Ok(remaining) or Err(seconds to wait).
    fn take(&self, client: IpAddr) -> Result<u32, u64> {
        let limit = f64::from(self.config.reads_per_minute);
        let per_sec = limit / 60.0;
        let now = Instant::now();
        let mut map = self.limiter.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Forget clients that are back to a full bucket, so memory stays bounded.
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < limit);
        }
        let b = map.entry(client).or_insert(Bucket {
            tokens: limit,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(limit);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(b.tokens.floor() as u32)
        } else {
            Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }

    fn observe(&self, method: &Method, route: &str, status: u16, secs: f64) {
        let mut m = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        let s = m
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        s.count += 1;
        s.sum += secs;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    /// The metrics in Prometheus' text exposition format.
    pub fn render(&self) -> String {
        let m = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        let mut keys: Vec<_> = m.keys().cloned().collect();
        keys.sort();
        let mut out = String::from(
            "# HELP linimasa_http_requests_total HTTP requests answered.\n# TYPE linimasa_http_requests_total counter\n",
        );
        for k in &keys {
            out += &format!(
                "linimasa_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                k.0, k.1, k.2, m[k].count
            );
        }
        out += "# HELP linimasa_http_request_duration_seconds Time to answer.\n# TYPE linimasa_http_request_duration_seconds histogram\n";
        for k in &keys {
            let s = &m[k];
            let labels = format!("method=\"{}\",route=\"{}\",status=\"{}\"", k.0, k.1, k.2);
            for (i, bound) in BUCKETS.iter().enumerate() {
                out += &format!(
                    "linimasa_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}\n",
                    s.buckets[i]
                );
            }
            out += &format!(
                "linimasa_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n",
                s.count
            );
            out += &format!(
                "linimasa_http_request_duration_seconds_sum{{{labels}}} {}\n",
                s.sum
            );
            out += &format!(
                "linimasa_http_request_duration_seconds_count{{{labels}}} {}\n",
                s.count
            );
        }
        out
    }
}

fn client_of(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

/// Request id (kept from the client when sane), access log, metrics, timeout and the
/// read rate limit, in that order around the handler.
pub async fn middleware(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let ops = &st.ops;
    let started = Instant::now();
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "{}-{}",
                ops.id_prefix,
                ops.next_id.fetch_add(1, Ordering::Relaxed)
            )
        });
    if let Ok(v) = HeaderValue::from_str(&id) {
        req.headers_mut().insert(X_REQUEST_ID.clone(), v);
    }
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched".to_string(), |p| p.as_str().to_string());
    // `POST /annotate` writes nothing and needs no key: it is limited as a read.
    let is_read = matches!(method, Method::GET | Method::HEAD) || route == "/annotate";
    let mut limit_headers = None;
    let mut res = 'answer: {
        if is_read
            && ops.config.reads_per_minute > 0
            && route != "/healthz"
            && route != "/readyz"
            && route != "/metrics"
        {
            match ops.take(client_of(&req)) {
                Ok(remaining) => limit_headers = Some(remaining),
                Err(wait) => {
                    let mut r = ApiError::RateLimited(wait).into_response();
                    set_limit_headers(&mut r, ops.config.reads_per_minute, 0, wait);
                    break 'answer r;
                }
            }
        }
        match tokio::time::timeout(ops.config.request_timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => ApiError::Timeout.into_response(),
        }
    };
    if let Some(remaining) = limit_headers {
        set_limit_headers(&mut res, ops.config.reads_per_minute, remaining, 60);
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID.clone(), v);
    }
    let secs = started.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    ops.observe(&method, &route, status, secs);
    tracing::info!(
        request.id = %id,
        http.method = %method,
        http.route = %route,
        http.status = status,
        duration_ms = (secs * 1000.0 * 10.0).round() / 10.0,
        "request"
    );
    res
}

/// The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers).
fn set_limit_headers(r: &mut Response, limit: u32, remaining: u32, reset: u64) {
    let h = r.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", limit.to_string()),
        ("ratelimit-remaining", remaining.to_string()),
        ("ratelimit-reset", reset.to_string()),
        ("ratelimit-policy", format!("{limit};w=60")),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
    }
}

/// `/metrics`: Prometheus text format.
pub async fn metrics(State(st): State<AppState>) -> impl IntoResponse {
    let mut text = st.ops.render();
    text += &st.feed_metrics.render();
    let r = &st.responses;
    let (entries, bytes) = r.size();
    text += &format!(
        "# HELP linimasa_response_cache_lookups_total Reads looked up in the response cache.\n\
         # TYPE linimasa_response_cache_lookups_total counter\n\
         linimasa_response_cache_lookups_total{{result=\"hit\"}} {}\n\
         linimasa_response_cache_lookups_total{{result=\"miss\"}} {}\n\
         # HELP linimasa_response_cache_bytes Bytes held by the response cache.\n\
         # TYPE linimasa_response_cache_bytes gauge\n\
         linimasa_response_cache_bytes {bytes}\n\
         # HELP linimasa_response_cache_entries Responses held by the response cache.\n\
         # TYPE linimasa_response_cache_entries gauge\n\
         linimasa_response_cache_entries {entries}\n\
         # HELP linimasa_response_cache_coalesced_total Misses served the response a concurrent identical request computed.\n\
         # TYPE linimasa_response_cache_coalesced_total counter\n\
         linimasa_response_cache_coalesced_total {}\n\
         # HELP linimasa_response_cache_stale_total Misses served an older version's response while a concurrent request computed theirs.\n\
         # TYPE linimasa_response_cache_stale_total counter\n\
         linimasa_response_cache_stale_total {}\n",
        r.hits.load(Ordering::Relaxed),
        r.misses.load(Ordering::Relaxed),
        r.coalesced.load(Ordering::Relaxed),
        r.stale.load(Ordering::Relaxed),
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refuses_past_the_limit_and_says_how_long_to_wait() {
        let ops = Ops::new(OpsConfig {
            reads_per_minute: 3,
            ..Default::default()
        });
        let a = IpAddr::from([10, 0, 0, 1]);
        assert_eq!(ops.take(a), Ok(2));
        assert_eq!(ops.take(a), Ok(1));
        assert_eq!(ops.take(a), Ok(0));
        let wait = ops.take(a).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(
            ops.take(IpAddr::from([10, 0, 0, 2])),
            Ok(2),
            "clients are limited separately"
        );
    }

    #[test]
    fn metrics_render_counters_and_histograms() {
        let ops = Ops::new(OpsConfig::default());
        ops.observe(&Method::GET, "/events", 200, 0.004);
        let text = ops.render();
        assert!(text.contains(
            "linimasa_http_requests_total{method=\"GET\",route=\"/events\",status=\"200\"} 1"
        ));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.0025\"} 0"));
    }
}
