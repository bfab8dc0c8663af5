//! `GET /events`, `GET /events/{id}` and `GET /articles/{id}`.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, Problem};
use super::params::{self, EventsParams, encode_cursor};
use crate::domain::{Event, EventDate};
use crate::store::{ArticleRecord, Tombstone};

/// One page of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<Event>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// The next page's URL (relative), also sent as `Link: <…>; rel="next"`.
    pub next: Option<String>,
    /// With `updated_since`: events hidden since then (tombstones), on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Vec<Tombstone>>,
}

/// The timeline: events matching the filters, sorted by date (ties by id), a page at a time.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    operation_id = "list_events",
    params(EventsParams),
    responses(
        (status = 200, description = "A page of events", body = EventPage,
         headers(("Link" = String, description = "`<next page URL>; rel=\"next\"` when there is one"))),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_events(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    let req = params::parse(raw.as_deref(), &st.kb)?;
    let mut q = req.query.clone();
    let limit = q.limit as usize;
    q.limit += 1;
    let mut events = st.store.list_events(&q).await?;
    let mut headers = HeaderMap::new();
    let (next_cursor, next) = if events.len() > limit {
        events.truncate(limit);
        let last = events.last().expect("a full page has a last event");
        let lo = EventDate::of_event(last)
            .map(|d| d.start.to_string())
            .ok_or_else(|| ApiError::Internal(format!("event {} has an invalid date", last.id)))?;
        let cursor = encode_cursor(req.query.descending, &lo, &last.id);
        let mut pairs = req.pairs.clone();
        pairs.push(("cursor".into(), cursor.clone()));
        let url = format!(
            "/events?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        );
        if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
            headers.insert(header::LINK, v);
        }
        (Some(cursor), Some(url))
    } else {
        (None, None)
    };
    let deleted = match (&req.query.updated_since, &req.query.after) {
        (Some(since), None) => Some(st.store.tombstones(since, 10_000).await?),
        _ => None,
    };
    Ok((
        headers,
        Json(EventPage {
            events,
            next_cursor,
            next,
            deleted,
        }),
    ))
}

/// One event with all its sources and their evidence.
#[utoipa::path(
    get,
    path = "/events/{id}",
    tag = "events",
    operation_id = "get_event",
    params(("id" = String, Path, description = "Event id", example = "evt_5k2m9q7w3x1c8v4b")),
    responses(
        (status = 200, description = "The event", body = Event),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_event(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Event>, ApiError> {
    st.store
        .get_event(&id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no event with id {id:?}")))
}

/// An ingested article: its cleaned text (which evidence offsets point into) and its events.
#[utoipa::path(
    get,
    path = "/articles/{id}",
    tag = "articles",
    operation_id = "get_article",
    params(("id" = String, Path, description = "Article id", example = "art_0c1d2e3f4a5b6c7d")),
    responses(
        (status = 200, description = "The article", body = ArticleRecord),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_article(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ArticleRecord>, ApiError> {
    st.store
        .get_article(&id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no article with id {id:?}")))
}
