//! Facets for filter menus (`/regions`, `/actors`, `/event-types`) and health.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::error::{ApiError, Problem};
use crate::domain::{PLOVER_TYPES, plover_description};
use crate::knowledge::{Region, suggest};
use crate::store::{EventQuery, Facet};

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionEntry {
    pub slug: String,
    pub iso_code: String,
    pub name: String,
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Visible events located in this region.
    pub event_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: RegionEntry,
    /// Every name the gazetteer knows for it, in any language.
    pub names: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    pub regions: Vec<RegionEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorEntry {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub event_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorList {
    pub actors: Vec<ActorEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeEntry {
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub event_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeList {
    pub event_types: Vec<EventTypeEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// Query of `GET /regions`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionsParams {
    /// ISO 3166-1 alpha-2 code (or a country name): every first-level region of this
    /// country, with or without events.
    #[param(example = "UA", min_length = 1)]
    pub country: Option<String>,
    /// `true`: every first-level region of the gazetteer, not only those with events.
    pub all: Option<bool>,
}

fn counts(list: Vec<crate::store::Count>) -> HashMap<String, i64> {
    list.into_iter().map(|c| (c.key, c.count)).collect()
}

fn entry(r: &Region, n: i64) -> RegionEntry {
    RegionEntry {
        slug: r.slug.clone(),
        iso_code: r.iso_code.clone(),
        name: r.name.clone(),
        country: r.country.clone(),
        lat: r.lat,
        lon: r.lon,
        event_count: n,
    }
}

/// Gazetteer regions with event counts: by default every region with events; with
/// `country`, every first-level region of that country; with `all=true`, every region.
#[utoipa::path(
    get,
    path = "/regions",
    tag = "facets",
    operation_id = "list_regions",
    params(RegionsParams),
    responses(
        (status = 200, description = "Regions, most events first", body = RegionList),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_regions(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RegionList>, ApiError> {
    let pairs = super::params::query_pairs(raw.as_deref())?;
    let mut country = None;
    let mut all = false;
    for (k, v) in &pairs {
        match k.as_str() {
            "country" => {
                let c = st
                    .kb
                    .lookup_country(v)
                    .ok_or_else(|| ApiError::InvalidParameter {
                        parameter: "country".into(),
                        detail: format!("unknown country {v:?}"),
                        suggestions: suggest(v, st.kb.countries.iter().map(|c| c.name.as_str())),
                    })?;
                country = Some(c.code.clone());
            }
            "all" => {
                all = match v.as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(ApiError::param("all", "all is true or false")),
                }
            }
            other => {
                return Err(ApiError::InvalidParameter {
                    parameter: other.to_string(),
                    detail: format!("unknown parameter {other:?}; known: country, all"),
                    suggestions: suggest(other, ["country", "all"].into_iter()),
                });
            }
        }
    }
    let n = counts(
        st.store
            .counts(&EventQuery::default(), Facet::Region)
            .await?,
    );
    let mut regions: Vec<RegionEntry> = st
        .kb
        .regions
        .iter()
        .filter(|r| country.as_ref().is_none_or(|c| &r.country == c))
        .filter(|r| all || country.is_some() || n.contains_key(&r.iso_code))
        .map(|r| entry(r, n.get(&r.iso_code).copied().unwrap_or(0)))
        .collect();
    regions.sort_by(|a, b| {
        b.event_count
            .cmp(&a.event_count)
            .then(a.iso_code.cmp(&b.iso_code))
    });
    Ok(Json(RegionList { regions }))
}

/// One region by slug, ISO 3166-2 code or name, with all its names.
#[utoipa::path(
    get,
    path = "/regions/{slug}",
    tag = "facets",
    operation_id = "get_region",
    params(("slug" = String, Path, description = "Slug, ISO 3166-2 code or name", example = "kursk")),
    responses(
        (status = 200, description = "The region", body = RegionDetail),
        (status = 404, description = "No such region", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_region(
    State(st): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<RegionDetail>, ApiError> {
    let found = st.kb.lookup_regions(&slug);
    let Some(r) = found.first() else {
        let s = st.kb.suggest_regions(&slug);
        let hint = if s.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", s.join(", "))
        };
        return Err(ApiError::NotFound(format!("no region {slug:?}{hint}")));
    };
    let n = counts(
        st.store
            .counts(&EventQuery::default(), Facet::Region)
            .await?,
    );
    Ok(Json(RegionDetail {
        region: entry(r, n.get(&r.iso_code).copied().unwrap_or(0)),
        names: r.aliases.clone(),
    }))
}

/// The actor registry with event counts, most events first.
#[utoipa::path(
    get,
    path = "/actors",
    tag = "facets",
    operation_id = "list_actors",
    responses((status = 200, description = "Actors", body = ActorList))
)]
pub async fn list_actors(State(st): State<AppState>) -> Result<Json<ActorList>, ApiError> {
    let n = counts(
        st.store
            .counts(&EventQuery::default(), Facet::Actor)
            .await?,
    );
    let mut actors: Vec<ActorEntry> = st
        .kb
        .actors
        .iter()
        .map(|a| ActorEntry {
            slug: a.slug.clone(),
            name: a.name.clone(),
            kind: a.kind.clone(),
            country: a.country.clone(),
            wikidata: a.wikidata.clone(),
            event_count: n.get(&a.slug).copied().unwrap_or(0),
        })
        .collect();
    actors.sort_by(|a, b| b.event_count.cmp(&a.event_count).then(a.slug.cmp(&b.slug)));
    Ok(Json(ActorList { actors }))
}

/// The PLOVER event types with descriptions and event counts.
#[utoipa::path(
    get,
    path = "/event-types",
    tag = "facets",
    operation_id = "list_event_types",
    responses((status = 200, description = "Event types in PLOVER order", body = EventTypeList))
)]
pub async fn list_event_types(State(st): State<AppState>) -> Result<Json<EventTypeList>, ApiError> {
    let n = counts(st.store.counts(&EventQuery::default(), Facet::Type).await?);
    Ok(Json(EventTypeList {
        event_types: PLOVER_TYPES
            .iter()
            .map(|t| EventTypeEntry {
                kind: t.to_string(),
                description: plover_description(t).to_string(),
                event_count: n.get(*t).copied().unwrap_or(0),
            })
            .collect(),
    }))
}

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    operation_id = "get_healthz",
    responses((status = 200, description = "Alive", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: the database answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    operation_id = "get_readyz",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn readyz(State(st): State<AppState>) -> Result<Json<Health>, ApiError> {
    if !st.ready.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(ApiError::Unavailable(
            "the database is not migrated yet".into(),
        ));
    }
    // With its schema, and (after a write failed for want of room or permission) a
    // probe write going through.
    st.store
        .ready()
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(Json(Health {
        status: "ready".into(),
    }))
}
