//! Saved timelines: editors (API key) name a filter once — `kursk-2024` =
//! `region=kursk&from=2024` — and dashboards use it at `/timelines/{slug}` in every
//! format (`/timelines/kursk-2024.csv`, `.geojson`, `.ics`, …).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, Problem};
use super::events::{Target, events_as};
use super::formats::Format;
use super::params;
use super::write::{ApiKey, Body};
use crate::store::{Timeline, now};

/// What an editor saves.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Kursk, 2024", "description": "The incursion and its aftermath", "filter": "region=kursk&from=2024"}))]
pub struct TimelineInput {
    /// One line, 1 to 200 characters besides the spaces around them.
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub title: String,
    /// Lines of text, at most 2,000 characters.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub description: String,
    /// An `/events` query string (without `cursor`, `limit`, `sort`).
    pub filter: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineList {
    pub timelines: Vec<Timeline>,
}

/// Parameters a request may add to a saved filter.
const ADDABLE: [&str; 6] = ["limit", "cursor", "sort", "dl", "updated_since", "lang"];

fn valid_slug(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `kursk-2024.csv` → (`kursk-2024`, Csv).
fn split_extension(s: &str) -> (String, Option<Format>) {
    for ext in ["timeline.json", "json", "csv", "ndjson", "geojson", "ics"] {
        if let Some(slug) = s.strip_suffix(&format!(".{ext}")) {
            return (slug.to_string(), Format::from_extension(ext));
        }
    }
    (s.to_string(), None)
}

/// Saved timelines, by slug.
#[utoipa::path(
    get,
    path = "/timelines",
    tag = "timelines",
    operation_id = "list_timelines",
    responses((status = 200, description = "Saved timelines", body = TimelineList))
)]
pub async fn list_timelines(State(st): State<AppState>) -> Result<Json<TimelineList>, ApiError> {
    Ok(Json(TimelineList {
        timelines: st.store.list_timelines().await?,
    }))
}

/// A saved timeline's events, with its filter; append `.csv`, `.ndjson`, `.geojson`,
/// `.timeline.json` or `.ics` to the slug for those formats. `limit`, `cursor`, `sort`,
/// `dl` and `updated_since` may be added to the saved filter.
#[utoipa::path(
    get,
    path = "/timelines/{slug}",
    tag = "timelines",
    operation_id = "get_timeline",
    params(("slug" = String, Path, description = "The timeline's slug, optionally with a format extension", example = "kursk-2024")),
    responses(
        (status = 200, description = "The timeline's events (as `/events`)", body = super::events::EventPage),
        (status = 400, description = "A parameter is malformed, unknown, or fixed by the saved filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such timeline", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_timeline(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (slug, ext) = split_extension(&slug);
    let t = st
        .store
        .get_timeline(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no timeline {slug:?}")))?;
    let own = super::params::query_pairs(raw.as_deref())?;
    if let Some((k, _)) = own.iter().find(|(k, _)| !ADDABLE.contains(&k.as_str())) {
        return Err(ApiError::param(
            k,
            format!(
                "a saved timeline's filter is fixed; only {} may be added (use /events to filter freely)",
                ADDABLE.join(", ")
            ),
        ));
    }
    let (format, negotiated) = match ext {
        Some(f) => (f, false),
        None => (
            Format::from_accept(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())),
            true,
        ),
    };
    let target = Target {
        path: format!("/timelines/{}", t.slug),
        filter: Some(t.filter.clone()),
        name: t.slug.clone(),
        title: Some(t.title.clone()),
    };
    events_as(st, format, raw.as_deref(), &headers, negotiated, &target).await
}

/// Create or replace a saved timeline (API key).
#[utoipa::path(
    put,
    path = "/timelines/{slug}",
    tag = "timelines",
    operation_id = "put_timeline",
    params(("slug" = String, Path, description = "Lower-case letters, digits and dashes", example = "kursk-2024", pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")),
    request_body = TimelineInput,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Created", body = Timeline),
        (status = 200, description = "Replaced", body = Timeline),
        (status = 400, description = "Bad slug or filter; `parameter` names it", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn put_timeline(
    State(st): State<AppState>,
    ApiKey(key): ApiKey,
    Path(slug): Path<String>,
    Body(input): Body<TimelineInput>,
) -> Result<impl IntoResponse, ApiError> {
    if !valid_slug(&slug) {
        return Err(ApiError::param(
            "slug",
            "a slug has 1 to 64 lower-case letters, digits and inner dashes",
        ));
    }
    {
        use crate::domain::fields::{Kind, check};
        for (field, value, kind) in [
            ("title", &input.title, Kind::Line),
            ("description", &input.description, Kind::Text),
            ("filter", &input.filter, Kind::Line),
        ] {
            check(field, value, kind).map_err(|d| ApiError::param(field, d))?;
        }
    }
    let title = input.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(ApiError::param(
            "title",
            "title must have 1 to 200 characters",
        ));
    }
    if input.description.chars().count() > 2000 {
        return Err(ApiError::param(
            "description",
            "description must have at most 2000 characters",
        ));
    }
    // The filter must be one /events accepts, without paging.
    let filter = input.filter.trim().trim_start_matches('?').to_string();
    let req = params::parse(Some(&filter), &st.kb).map_err(|e| match e {
        ApiError::InvalidParameter {
            parameter,
            detail,
            suggestions,
        } => ApiError::InvalidParameter {
            parameter: format!("filter.{parameter}"),
            detail,
            suggestions,
        },
        other => other,
    })?;
    if let Some((k, _)) = req
        .pairs
        .iter()
        .find(|(k, _)| ADDABLE.contains(&k.as_str()))
    {
        return Err(ApiError::param(
            "filter",
            format!("{k} is for requests, not for a saved filter"),
        ));
    }
    if filter.contains("cursor=") {
        return Err(ApiError::param(
            "filter",
            "cursor is for requests, not for a saved filter",
        ));
    }
    let ts = now();
    let existing = st.store.get_timeline(&slug).await?;
    let t = Timeline {
        slug: slug.clone(),
        title,
        description: input.description.trim().to_string(),
        filter,
        created_by: existing
            .as_ref()
            .map_or(key.name.clone(), |e| e.created_by.clone()),
        created_at: existing
            .as_ref()
            .map_or(ts.clone(), |e| e.created_at.clone()),
        updated_at: ts,
    };
    let created = st.store.put_timeline(&t).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(t)))
}

/// Delete a saved timeline (API key).
#[utoipa::path(
    delete,
    path = "/timelines/{slug}",
    tag = "timelines",
    operation_id = "delete_timeline",
    params(("slug" = String, Path, description = "The timeline's slug")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or wrong API key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such timeline", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn delete_timeline(
    State(st): State<AppState>,
    ApiKey(_key): ApiKey,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    if st.store.delete_timeline(&slug).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no timeline {slug:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_extensions() {
        assert!(valid_slug("kursk-2024"));
        assert!(!valid_slug("Kursk") && !valid_slug("-x") && !valid_slug("a.b") && !valid_slug(""));
        assert_eq!(
            split_extension("kursk-2024.timeline.json"),
            ("kursk-2024".into(), Some(Format::TimelineJs))
        );
        assert_eq!(
            split_extension("kursk.csv"),
            ("kursk".into(), Some(Format::Csv))
        );
        assert_eq!(split_extension("kursk"), ("kursk".into(), None));
    }
}
