//! The HTTP layer: routes, query parsing, the problem+json error shape and the OpenAPI
//! document (generated from the handlers with utoipa). It talks to the store only
//! through the `Store` trait and knows no SQL.

pub mod annotate;
pub mod cache;
pub mod embed;
pub mod error;
pub mod events;
pub mod facets;
pub mod feeds;
pub mod formats;
pub mod meta;
pub mod ops;
pub mod params;
pub mod server;
pub mod stream;
pub mod timelines;
pub mod write;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, header};
use axum::middleware;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::knowledge::Knowledge;
use crate::pipeline::Extractor;
use crate::store::Store;
use error::ApiError;

/// The largest request body accepted: an article's limit plus room for its JSON fields.
pub const MAX_BODY_BYTES: usize = crate::ingest::MAX_ARTICLE_BYTES + 64 * 1024;

/// The longest query string accepted (414 beyond): every filter fits many times over.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub kb: Arc<Knowledge>,
    pub extractor: Arc<Extractor>,
    pub ops: Arc<ops::Ops>,
    /// False until the database is migrated (`serve` migrates in the background).
    pub ready: Arc<std::sync::atomic::AtomicBool>,
    /// The data version, re-read at most once per `version_ttl`.
    pub versions: Arc<cache::VersionCache>,
    /// Whole read responses by `ETag`.
    pub responses: Arc<cache::ResponseCache>,
    /// Permits to extract an article (`OpsConfig::extraction_slots`).
    pub extractions: Arc<tokio::sync::Semaphore>,
    /// What the feed poller did, per feed (`/metrics`).
    pub feed_metrics: Arc<crate::feeds::FeedMetrics>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, kb: Arc<Knowledge>) -> Self {
        Self::with_ops(store, kb, ops::OpsConfig::default())
    }

    pub fn with_ops(store: Arc<dyn Store>, kb: Arc<Knowledge>, config: ops::OpsConfig) -> Self {
        AppState {
            store,
            extractor: Arc::new(Extractor::new(kb.clone())),
            kb,
            versions: Arc::new(cache::VersionCache::new(config.version_ttl)),
            responses: Arc::new(cache::ResponseCache::new(config.response_cache_bytes)),
            extractions: Arc::new(tokio::sync::Semaphore::new(config.extraction_slots.max(1))),
            ops: Arc::new(ops::Ops::new(config)),
            feed_metrics: Arc::default(),
            ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }
}

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A key from `linimasa keys create --name NAME`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&SecurityAddon),
    info(
        title = "linimasa",
        description = "Dated, located, sourced events extracted from news articles about armed conflicts, served as filtered timelines.\n\nEvery error is an RFC 9457 `application/problem+json` document; a 400 names the parameter at fault. A query string longer than 8 KiB is refused with 414.",
        license(name = "Apache-2.0"),
    ),
    tags(
        (name = "events", description = "The timeline"),
        (name = "facets", description = "Gazetteer, actors and event types for filter menus"),
        (name = "articles", description = "Ingested articles"),
        (name = "timelines", description = "Saved timelines: named filters for dashboards"),
        (name = "feeds", description = "Feeds that `serve` follows: new items are ingested as `POST /articles` ingests them"),
        (name = "operations", description = "Health and the API description")
    )
)]
struct ApiDoc;

fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(events::list_events))
        .routes(routes!(events::get_event, write::update_event))
        .routes(routes!(stream::stream_events))
        .routes(routes!(write::get_event_history))
        .routes(routes!(write::create_article))
        .routes(routes!(annotate::annotate_article))
        .routes(routes!(meta::list_regions))
        .routes(routes!(meta::get_region))
        .routes(routes!(meta::list_actors))
        .routes(routes!(meta::list_event_types))
        .routes(routes!(facets::facets))
        .routes(routes!(facets::histogram))
        .routes(routes!(timelines::list_timelines))
        .routes(routes!(
            timelines::get_timeline,
            timelines::put_timeline,
            timelines::delete_timeline
        ))
        .routes(routes!(feeds::list_feeds, feeds::create_feed))
        .routes(routes!(feeds::get_feed, feeds::delete_feed))
        .routes(routes!(events::get_article))
        .routes(routes!(meta::healthz))
        .routes(routes!(meta::readyz))
        .split_for_parts()
}

/// The OpenAPI 3.1 document, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    parts().1
}

/// The application's routes, ready for `oneshot` in tests or `axum::serve`.
pub fn router(state: AppState) -> Router {
    let (routes, doc) = parts();
    let doc = Arc::new(doc);
    routes
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .route("/metrics", get(ops::metrics))
        .route(
            "/events.json",
            get(events::events_with_extension(formats::Format::Json)),
        )
        .route(
            "/events.csv",
            get(events::events_with_extension(formats::Format::Csv)),
        )
        .route(
            "/events.ndjson",
            get(events::events_with_extension(formats::Format::Ndjson)),
        )
        .route(
            "/events.geojson",
            get(events::events_with_extension(formats::Format::GeoJson)),
        )
        .route(
            "/events.timeline.json",
            get(events::events_with_extension(formats::Format::TimelineJs)),
        )
        .route(
            "/events.ics",
            get(events::events_with_extension(formats::Format::Ical)),
        )
        // Innermost first: mark bodies that are whole in memory, compress (so the
        // cache keeps each encoding's bytes; the outer layer leaves encoded bodies
        // alone), then the ETag and response cache.
        .route_layer(middleware::from_fn(cache::mark_bounded))
        .route_layer(CompressionLayer::new())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            cache::middleware,
        ))
        // The widget's page and assets: outside the data-version ETag, so a new
        // release's script is never revalidated as unchanged.
        .route("/embed/timeline", get(embed::timeline))
        .route("/embed/timeline.js", get(embed::script))
        .route("/embed/timeline.css", get(embed::style))
        .route("/embed/timelines/{slug}", get(embed::saved_timeline))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            ops::middleware,
        ))
        .fallback(|| async { ApiError::NotFound("no such resource".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), read_body))
        .layer(middleware::from_fn(request_line_limits))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(cors())
        .layer(middleware::from_fn(no_cors_on_writes))
        .with_state(state)
}

/// Before any routing: a query string over [`MAX_QUERY_BYTES`] is 414, and a path
/// that decodes to a NUL character names nothing (404; no store ever sees it).
async fn request_line_limits(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = req.uri();
    if uri.query().is_some_and(|q| q.len() > MAX_QUERY_BYTES) {
        return ApiError::UriTooLong.into_response();
    }
    if uri.path().contains("%00") {
        return ApiError::NotFound("no such resource".into()).into_response();
    }
    next.run(req).await
}

/// Before any routing, a request that carries a body has it read whole here, so
/// that no handler's early answer (a 401 before the JSON is parsed) leaves unread
/// bytes on a keep-alive connection: a `Content-Length` past [`MAX_BODY_BYTES`] is 413
/// at once, without waiting for the bytes; a body that has not arrived within the
/// body timeout is 408; a gzip body is decoded, its decoded size capped like any
/// other (a small bomb is 413, not a full memory); any other content coding is 415.
/// The refusals close the connection: its unread bytes cannot be told from the next
/// request.
async fn read_body(
    axum::extract::State(st): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    if length.unwrap_or(0) == 0 && !chunked {
        return next.run(req).await;
    }
    let closing = |e: ApiError| {
        let mut res = e.into_response();
        res.headers_mut().insert(
            header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
        res
    };
    if length.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return closing(ApiError::TooLarge(format!(
            "the body is larger than {MAX_BODY_BYTES} bytes"
        )));
    }
    let coding = match headers.get(header::CONTENT_ENCODING).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) if v.trim().eq_ignore_ascii_case("identity") => None,
        Some(Ok(v))
            if v.trim().eq_ignore_ascii_case("gzip") || v.trim().eq_ignore_ascii_case("x-gzip") =>
        {
            Some(())
        }
        Some(v) => {
            let named = v.unwrap_or("(not text)").chars().take(40).collect();
            return closing(ApiError::UnsupportedEncoding(named));
        }
    };
    let (mut parts, body) = req.into_parts();
    let too_large =
        || ApiError::TooLarge(format!("the body is larger than {MAX_BODY_BYTES} bytes"));
    let read = async {
        use futures_util::StreamExt;
        let mut stream = body.into_data_stream();
        let mut buf = Vec::with_capacity(length.unwrap_or(0) as usize);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                ApiError::BadBody(format!("the request body could not be read: {e}"))
            })?;
            if buf.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(axum::body::Bytes::from(buf))
    };
    let bytes = match tokio::time::timeout(st.ops.config.body_timeout, read).await {
        Err(_) => return closing(ApiError::BodyTimeout),
        Ok(Err(e)) => return closing(e),
        Ok(Ok(b)) => b,
    };
    let bytes = if coding.is_some() {
        use std::io::Read;
        let mut out = Vec::new();
        let decoded = flate2::read::MultiGzDecoder::new(&bytes[..])
            .take(MAX_BODY_BYTES as u64 + 1)
            .read_to_end(&mut out);
        match decoded {
            Err(e) => {
                return ApiError::BadBody(format!("the body is not valid gzip: {e}"))
                    .into_response();
            }
            Ok(n) if n > MAX_BODY_BYTES => {
                return ApiError::TooLarge(format!(
                    "the body decodes to more than {MAX_BODY_BYTES} bytes"
                ))
                .into_response();
            }
            Ok(_) => {}
        }
        parts.headers.remove(header::CONTENT_ENCODING);
        axum::body::Bytes::from(out)
    } else {
        bytes
    };
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        axum::http::HeaderValue::from(bytes.len()),
    );
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// CORS for reads from any origin, exposing the headers dashboards page and cache with.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
        .allow_headers([header::IF_NONE_MATCH, header::ACCEPT])
        .expose_headers([
            header::LINK,
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
            HeaderName::from_static("ratelimit-policy"),
            ops::X_REQUEST_ID.clone(),
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

/// Writes are for holders of a key, not for pages in other origins: no CORS headers.
async fn no_cors_on_writes(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = next.run(req).await;
    if write {
        let cors: Vec<HeaderName> = res
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .cloned()
            .collect();
        for k in cors {
            res.headers_mut().remove(k);
        }
    }
    res
}
