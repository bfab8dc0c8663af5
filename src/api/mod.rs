//! The HTTP layer: routes, query parsing, the problem+json error shape and the OpenAPI
//! document (generated from the handlers with utoipa). It talks to the store only
//! through the `Store` trait and knows no SQL.

pub mod error;
pub mod events;
pub mod meta;
pub mod params;
pub mod write;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::knowledge::Knowledge;
use crate::pipeline::Extractor;
use crate::store::Store;
use error::ApiError;

/// The largest request body accepted: an article's limit plus room for its JSON fields.
pub const MAX_BODY_BYTES: usize = crate::ingest::MAX_ARTICLE_BYTES + 64 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub kb: Arc<Knowledge>,
    pub extractor: Arc<Extractor>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, kb: Arc<Knowledge>) -> Self {
        AppState {
            store,
            extractor: Arc::new(Extractor::new(kb.clone())),
            kb,
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
        description = "Dated, located, sourced events extracted from news articles about armed conflicts, served as filtered timelines.\n\nEvery error is an RFC 9457 `application/problem+json` document; a 400 names the parameter at fault.",
        license(name = "Apache-2.0"),
    ),
    tags(
        (name = "events", description = "The timeline"),
        (name = "facets", description = "Gazetteer, actors and event types for filter menus"),
        (name = "articles", description = "Ingested articles"),
        (name = "operations", description = "Health and the API description")
    )
)]
struct ApiDoc;

fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(events::list_events))
        .routes(routes!(events::get_event, write::update_event))
        .routes(routes!(write::get_event_history))
        .routes(routes!(write::create_article))
        .routes(routes!(meta::list_regions))
        .routes(routes!(meta::get_region))
        .routes(routes!(meta::list_actors))
        .routes(routes!(meta::list_event_types))
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
        .fallback(|| async { ApiError::NotFound("no such resource".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
