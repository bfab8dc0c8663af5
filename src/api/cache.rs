//! HTTP caching for reads: a strong `ETag` made from the data version (a counter every
//! write increments, shared by all instances on one database) and the normalised
//! request (path, sorted query, `Accept`, `Accept-Encoding`). A matching
//! `If-None-Match` is answered 304 before any query runs.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;

pub const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300";

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

pub async fn middleware(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let cacheable = matches!(*req.method(), Method::GET | Method::HEAD)
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|p| !uncached(p.as_str()));
    if !cacheable {
        return next.run(req).await;
    }
    // Without a version (database away) the handler answers for itself.
    let Ok(version) = st.store.data_version().await else {
        return next.run(req).await;
    };
    let tag = etag_for(version, &req);
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut res = if inm.as_deref().is_some_and(|v| matches(v, &tag)) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        next.run(req).await
    };
    if res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED {
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&tag) {
            h.insert(header::ETAG, v);
        }
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
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
}
