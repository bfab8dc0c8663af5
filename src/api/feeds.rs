//! `/feeds`: the feeds `serve` follows, for holders of an API key (a newsroom's list
//! of sources may be private): add, list, show (with how its last poll went), remove.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, Problem};
use super::write::{ApiKey, Body};
use crate::store::Feed;

/// A feed to follow.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedInput {
    /// RSS, Atom, JSON Feed or a Google News sitemap; http or https, at most 2,048 bytes.
    #[schema(max_length = 2048)]
    pub url: String,
    /// The language of its articles: id, en, ru or uk (or their ISO 639-2 codes or
    /// English names, any case); detected per article when absent.
    #[schema(
        max_length = 200,
        pattern = r"^\s*(?:[Ii][Nn][Dd][Oo][Nn][Ee][Ss][Ii][Aa][Nn]|[Bb][Aa][Hh][Aa][Ss][Aa]|[Ee][Nn][Gg][Ll][Ii][Ss][Hh]|[Rr][Uu][Ss][Ss][Ii][Aa][Nn]|[Uu][Kk][Rr][Aa][Ii][Nn][Ii][Aa][Nn]|[Ii][Nn][Dd]|[Ee][Nn][Gg]|[Rr][Uu][Ss]|[Uu][Kk][Rr]|[Ii][Dd]|[Ii][Nn]|[Ee][Nn]|[Rr][Uu]|[Uu][Kk])\s*$"
    )]
    pub language: Option<String>,
    /// Seconds between polls, 1 to 604800 (default 900); never more often than
    /// `serve --min-feed-interval`.
    #[schema(minimum = 1, maximum = 604800)]
    pub interval_s: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedList {
    pub feeds: Vec<Feed>,
}

/// Follow a feed: `serve` polls it every `interval_s` and ingests each new item's
/// article. The same URL again answers 200 with the feed already followed.
#[utoipa::path(
    post,
    path = "/feeds",
    tag = "feeds",
    operation_id = "create_feed",
    request_body(content = FeedInput, example = json!({"url": "https://example.org/world/rss.xml", "language": "en", "interval_s": 900})),
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Followed from now on", body = Feed),
        (status = 200, description = "Already followed", body = Feed),
        (status = 400, description = "A field is invalid; `parameter` names it", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn create_feed(
    State(st): State<AppState>,
    ApiKey(key): ApiKey,
    Body(input): Body<FeedInput>,
) -> Result<impl IntoResponse, ApiError> {
    let new = crate::feeds::new_feed(&input.url, input.language.as_deref(), input.interval_s)
        .map_err(|e| ApiError::param(e.field, e.detail))?;
    let (feed, created) = st.store.add_feed(&new).await?;
    if created {
        tracing::info!(feed.id = %feed.id, feed.url = %feed.url, key.name = %key.name, "feed followed");
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(feed)))
}

/// The feeds followed, oldest first, with how each one's last poll went.
#[utoipa::path(
    get,
    path = "/feeds",
    tag = "feeds",
    operation_id = "list_feeds",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The feeds", body = FeedList),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_feeds(
    State(st): State<AppState>,
    ApiKey(_key): ApiKey,
) -> Result<Json<FeedList>, ApiError> {
    Ok(Json(FeedList {
        feeds: st.store.list_feeds().await?,
    }))
}

/// One feed: when it was polled, what the server answered (`last_status`), why the
/// poll failed (`last_error`, null when it did not), and when it is polled next.
#[utoipa::path(
    get,
    path = "/feeds/{id}",
    tag = "feeds",
    operation_id = "get_feed",
    params(("id" = String, Path, description = "Feed id (feed_…)")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The feed", body = Feed),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such feed", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_feed(
    State(st): State<AppState>,
    ApiKey(_key): ApiKey,
    Path(id): Path<String>,
) -> Result<Json<Feed>, ApiError> {
    st.store
        .get_feed(&id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no feed with id {id:?}")))
}

/// Stop following a feed. The articles already ingested from it stay.
#[utoipa::path(
    delete,
    path = "/feeds/{id}",
    tag = "feeds",
    operation_id = "delete_feed",
    params(("id" = String, Path, description = "Feed id (feed_…)")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "No longer followed"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such feed", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn delete_feed(
    State(st): State<AppState>,
    ApiKey(key): ApiKey,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if st.store.delete_feed(&id).await? {
        tracing::info!(feed.id = %id, key.name = %key.name, "feed no longer followed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no feed with id {id:?}")))
    }
}
