//! The HTTP layer: routes, query parsing, the problem+json error shape and the OpenAPI
//! document (generated from the handlers with utoipa). It talks to the store only
//! through the `Store` trait and knows no SQL.

pub mod error;
pub mod events;
pub mod meta;
pub mod params;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::knowledge::Knowledge;
use crate::store::Store;
use error::ApiError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub kb: Arc<Knowledge>,
}

#[derive(OpenApi)]
#[openapi(
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
        .routes(routes!(events::get_event))
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
        .with_state(state)
}
