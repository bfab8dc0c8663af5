//! `POST /annotate`: what the pipeline reads in an article, for anyone asking "why no
//! event?" or measuring its parts. It takes what `POST /articles` takes, within the
//! same limits, but needs no key and stores nothing; it counts as a read for the rate
//! limit.

use axum::Json;
use axum::extract::State;

use super::AppState;
use super::error::{ApiError, Problem};
use super::write::{ArticleInputDoc, Body, in_extraction_slot};
use crate::ingest::{ArticleJson, Defaults};
use crate::pipeline::annotate::{self, Annotation};
use crate::pipeline::events::{ArticleInput, ExtractError};

/// Annotate one article: its cleaned text, each time expression with its TIMEX3 type
/// and value, each place and actor, each sentence with the events made from it or why
/// none, and the events as `POST /articles` would store them. Offsets are Unicode code
/// points of `text`. Nothing is stored; no key is needed.
#[utoipa::path(
    post,
    path = "/annotate",
    tag = "articles",
    operation_id = "annotate_article",
    request_body(content = inline(ArticleInputDoc), description = "The article, as `POST /articles` takes it",
                 example = json!({"published_at": "2024-08-08", "language": "en",
                                  "text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region."})),
    responses(
        (status = 200, description = "What the pipeline read", body = Annotation),
        (status = 400, description = "Malformed article; `parameter` names the field at fault (a field over its size limit, a NUL character, a bad date, an unsupported language)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Article too large", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn annotate_article(
    State(st): State<AppState>,
    Body(article): Body<ArticleJson>,
) -> Result<Json<Annotation>, ApiError> {
    let input = input_of(article)?;
    // As `POST /articles`: in one of the extraction slots, stopped with its request.
    let extractor = st.extractor.clone();
    let a = in_extraction_slot(&st, move |stop| {
        annotate::annotate_until(&extractor, &input, stop).map_err(|e| match e {
            ExtractError::Language(_) => ApiError::param("language", e.to_string()),
            ExtractError::Empty => ApiError::param("body", e.to_string()),
            ExtractError::Stopped => ApiError::Timeout,
        })
    })
    .await?;
    Ok(Json(a))
}

/// The article of a request body, with the field at fault named when it is refused.
fn input_of(article: ArticleJson) -> Result<ArticleInput, ApiError> {
    article
        .check_fields()
        .map_err(|e| ApiError::param(e.field, e.detail))?;
    if let Some(p) = &article.published_at {
        crate::ingest::parse_published(p).map_err(|e| ApiError::param("published_at", e))?;
    }
    if let Some(l) = &article.language
        && crate::pipeline::lang::normalise(l).is_none()
    {
        return Err(ApiError::param(
            "language",
            format!("unsupported language {l:?}: use one of id, en, ru, uk"),
        ));
    }
    article
        .into_input(&Defaults::default())
        .map_err(|e| ApiError::param("body", e))
}
