//! The write API: `POST /articles` and `PATCH /events/{id}`, for holders of an API key
//! (`Authorization: Bearer KEY`), and the public history of corrections.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, Problem};
use crate::domain::Event;
use crate::domain::patch::{self, EventPatch, HistoryEntry};
use crate::ingest::{ArticleJson, Defaults};
use crate::pipeline::bounds::{Stop, StopOnDrop};
use crate::pipeline::events::ExtractError;
use crate::store::{ArticleRecord, IngestOutcome, KeyInfo};

/// The key a write request was made with.
pub struct ApiKey(pub KeyInfo);

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "this request needs an API key: Authorization: Bearer KEY".into(),
                )
            })?;
        let secret = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("use Authorization: Bearer KEY".into()))?;
        match st.store.authenticate(secret).await? {
            Some(k) => Ok(ApiKey(k)),
            None => Err(ApiError::Unauthorized(
                "the API key is unknown or revoked".into(),
            )),
        }
    }
}

/// `Json` whose rejections are problem+json (400, 413, 415).
pub struct Body<T>(pub T);

impl<T, S> FromRequest<S> for Body<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, st: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, st).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => Err(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
                    "the body is larger than {} bytes",
                    super::MAX_BODY_BYTES
                )),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
                _ => ApiError::param("body", e.body_text()),
            }),
        }
    }
}

/// What `POST /articles` stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCreated {
    pub outcome: IngestOutcome,
    pub article: ArticleRecord,
    /// The events this article is a source of.
    pub events: Vec<Event>,
    /// What the pipeline could not do with this article (no publication date, a work
    /// bound reached: only part of it was read), in words a user can act on.
    pub warnings: Vec<String>,
}

/// Runs `work` (an article's extraction, HTML parsing included: CPU work) on the
/// blocking pool, at most `extraction_slots` at a time, so reads and `/healthz` keep
/// their threads and a core. When the request is dropped (its timeout, or the client
/// going away) the guard stops the extraction at its next sentence; the deadline does
/// the same if it is still running when the request would have timed out. The slot is
/// held until the extraction really ends, not only its request.
pub(crate) async fn in_extraction_slot<T: Send + 'static>(
    st: &AppState,
    work: impl FnOnce(&Stop) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = st
        .extractions
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::Internal(format!("extraction slots: {e}")))?;
    let stop = Stop::at(std::time::Instant::now() + st.ops.config.request_timeout);
    let guard = StopOnDrop(stop.clone());
    let out = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&stop)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("extraction task: {e}")))?;
    drop(guard);
    out
}

/// One article through the pipeline (in an extraction slot) into the store, as
/// `POST /articles` and the feed poller (`crate::feeds`) both ingest it: merged,
/// corrections kept, listeners of `/events/stream` told. Returns what was stored and
/// the pipeline's warnings.
pub(crate) async fn ingest_article(
    st: &AppState,
    article: ArticleJson,
) -> Result<(IngestOutcome, Vec<String>), ApiError> {
    article
        .check_fields()
        .map_err(|e| ApiError::param(e.field, e.detail))?;
    let extractor = st.extractor.clone();
    let x = in_extraction_slot(st, move |stop| {
        let input = article
            .into_input(&Defaults::default())
            .map_err(|e| ApiError::param("body", e))?;
        match extractor.extract_until(&input, stop) {
            Ok(x) => Ok(x),
            Err(ExtractError::Stopped) => Err(ApiError::Timeout),
            Err(e) => Err(ApiError::param("body", e.to_string())),
        }
    })
    .await?;
    if !x.warnings.is_empty() {
        tracing::warn!(article.id = %x.article_id, warnings = ?x.warnings, "article read with warnings");
    }
    let outcome = st.store.ingest(&x).await?;
    if !outcome.duplicate {
        st.versions.invalidate();
    }
    Ok((outcome, x.warnings))
}

/// Ingest one article: it and its events are stored in one transaction; the same
/// article again (same URL or same text) changes nothing (200 instead of 201).
#[utoipa::path(
    post,
    path = "/articles",
    tag = "articles",
    operation_id = "create_article",
    request_body(content = inline(ArticleInputDoc), description = "The article: `text` (or `html`), and what is known of it",
                 example = json!({"url": "https://example.org/kursk", "title": "Kursk incursion", "published_at": "2024-08-08", "language": "en",
                                  "text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region."})),
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Stored", body = ArticleCreated),
        (status = 200, description = "Already stored; nothing changed", body = ArticleCreated),
        (status = 400, description = "Malformed article; `parameter` names the field at fault (a field over its size limit, a NUL character, a bad date)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Article too large", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn create_article(
    State(st): State<AppState>,
    ApiKey(key): ApiKey,
    Body(article): Body<ArticleJson>,
) -> Result<impl IntoResponse, ApiError> {
    let (outcome, warnings) = ingest_article(&st, article).await?;
    let article = st
        .store
        .get_article(&outcome.article_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("article {} vanished", outcome.article_id)))?;
    let events = st.store.get_events(&article.event_ids).await?;
    tracing::info!(article.id = %outcome.article_id, key.name = %key.name, duplicate = outcome.duplicate, "article ingested");
    let status = if outcome.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(ArticleCreated {
            outcome,
            article,
            events,
            warnings,
        }),
    ))
}

/// The JSON article form, for the OpenAPI document (parsing is `ingest::ArticleJson`).
/// Written as JSON Schema by hand (`article_input.schema.json`) because what it must
/// say, `text` or `html` but not both, is a `oneOf` that no derive states.
pub struct ArticleInputDoc;

impl utoipa::PartialSchema for ArticleInputDoc {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        serde_json::from_str(include_str!("article_input.schema.json"))
            .expect("a valid built-in schema")
    }
}

impl ToSchema for ArticleInputDoc {}

/// Correct an event: date, precision, type, regions, actors, title, summary, or its
/// status (`verified`, `hidden`). Corrections are kept when articles are ingested again.
#[utoipa::path(
    patch,
    path = "/events/{id}",
    tag = "events",
    operation_id = "update_event",
    params(("id" = String, Path, description = "Event id")),
    request_body = EventPatch,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The corrected event", body = Event),
        (status = 400, description = "The correction is invalid; `parameter` names the field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn update_event(
    State(st): State<AppState>,
    ApiKey(key): ApiKey,
    Path(id): Path<String>,
    Body(p): Body<EventPatch>,
) -> Result<Json<Event>, ApiError> {
    let current = st
        .store
        .get_event_any(&id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no event with id {id:?}")))?;
    let (next, changes) =
        patch::apply(&current, &p, &st.kb).map_err(|e| ApiError::InvalidParameter {
            parameter: e.field,
            detail: e.detail,
            suggestions: e.suggestions,
        })?;
    if !st.store.update_event(&next, &changes, &key.name).await? {
        return Err(ApiError::NotFound(format!("no event with id {id:?}")));
    }
    tracing::info!(event.id = %id, key.name = %key.name, "event corrected");
    let stored = st
        .store
        .get_event_any(&id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("event {id} vanished")))?;
    Ok(Json(stored))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub event_id: String,
    pub entries: Vec<HistoryEntry>,
}

/// Who corrected what, oldest first.
#[utoipa::path(
    get,
    path = "/events/{id}/history",
    tag = "events",
    operation_id = "get_event_history",
    params(("id" = String, Path, description = "Event id")),
    responses(
        (status = 200, description = "The corrections", body = History),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_event_history(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<History>, ApiError> {
    if st.store.get_event(&id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no event with id {id:?}")));
    }
    Ok(Json(History {
        entries: st.store.history(&id).await?,
        event_id: id,
    }))
}
