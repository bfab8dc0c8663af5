//! Facets for filter menus and charts: counts by region, country, type, actor and month
//! for the current filter, and a date histogram (day, week, month, year) for sparklines.
//! Both take the same filter parameters as `/events`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{RawQuery, State};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::error::{ApiError, Problem};
use super::params::{self, EventsParams};
use crate::headline::{self, names};
use crate::store::{Count, Facet};

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    /// Slug, ISO code, PLOVER type or `YYYY-MM`.
    pub key: String,
    /// Display name where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Facets {
    /// Matching visible events.
    pub total: i64,
    pub regions: Vec<FacetValue>,
    pub countries: Vec<FacetValue>,
    pub event_types: Vec<FacetValue>,
    pub actors: Vec<FacetValue>,
    /// By the month the event starts in, oldest first.
    pub months: Vec<FacetValue>,
}

fn sorted(mut v: Vec<FacetValue>) -> Vec<FacetValue> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    v
}

/// Counts by region, country, type, actor and month for the events a filter matches.
#[utoipa::path(
    get,
    path = "/facets",
    tag = "facets",
    operation_id = "list_facets",
    params(EventsParams),
    responses(
        (status = 200, description = "Counts for filter menus", body = Facets),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn facets(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let req = params::parse(raw.as_deref(), &st.kb)?;
    let q = req.query;
    // The reader's language (`lang`, else `Accept-Language`) names regions, countries,
    // actors and types as the events of that language name them.
    let lang = params::reader_lang(req.lang, &headers);
    let kb = &st.kb;
    let named = |counts: Vec<Count>, name: &dyn Fn(&str) -> Option<String>| -> Vec<FacetValue> {
        sorted(
            counts
                .into_iter()
                .map(|c| FacetValue {
                    name: name(&c.key),
                    key: c.key,
                    count: c.count,
                })
                .collect(),
        )
    };
    let types = named(st.store.counts(&q, Facet::Type).await?, &|k| {
        lang.and_then(|l| headline::type_label(k, l).map(str::to_string))
    });
    let total = types.iter().map(|t| t.count).sum();
    let body = Json(Facets {
        total,
        regions: named(st.store.counts(&q, Facet::Region).await?, &|k| match lang {
            Some(l) => names::region(kb, k, l).or_else(|| kb.region(k).map(|r| r.name.clone())),
            None => kb.region(k).map(|r| r.name.clone()),
        }),
        countries: named(
            st.store.counts(&q, Facet::Country).await?,
            &|k| match lang {
                Some(l) => {
                    names::country(kb, k, l).or_else(|| kb.country(k).map(|c| c.name.clone()))
                }
                None => kb.country(k).map(|c| c.name.clone()),
            },
        ),
        actors: named(st.store.counts(&q, Facet::Actor).await?, &|k| match lang {
            Some(l) => names::actor(kb, k, l)
                .map(|n| n.name)
                .or_else(|| kb.actor(k).map(|a| a.name.clone())),
            None => kb.actor(k).map(|a| a.name.clone()),
        }),
        months: st
            .store
            .counts(&q, Facet::Month)
            .await?
            .into_iter()
            .map(|c| FacetValue {
                key: c.key,
                name: None,
                count: c.count,
            })
            .collect(),
        event_types: types,
    });
    Ok((
        [(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("Accept-Language"),
        )],
        body,
    ))
}

/// Query of `GET /histogram`: `interval` plus the `/events` filters.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistogramParams {
    /// `day`, `week` (buckets start on Monday), `month` (default) or `year`.
    #[param(example = "month", pattern = "^(?:day|week|month|year)$")]
    pub interval: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Bucket {
    /// `YYYY-MM-DD` (day, week), `YYYY-MM` or `YYYY`.
    pub start: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Histogram {
    pub interval: String,
    /// Every bucket from the first to the last event, empty ones included.
    pub buckets: Vec<Bucket>,
}

/// At most this many buckets; a wider span asks for a coarser interval.
const MAX_BUCKETS: usize = 5000;

/// Events per day, week, month or year, by the day each event starts, for sparklines.
#[utoipa::path(
    get,
    path = "/histogram",
    tag = "facets",
    operation_id = "get_histogram",
    params(HistogramParams, EventsParams),
    responses(
        (status = 200, description = "Counts per interval", body = Histogram),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn histogram(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Histogram>, ApiError> {
    let pairs = super::params::query_pairs(raw.as_deref())?;
    let mut interval = "month".to_string();
    let mut rest = Vec::new();
    for (k, v) in pairs {
        if k == "interval" {
            interval = v;
        } else {
            rest.push((k, v));
        }
    }
    let facet = match interval.as_str() {
        "day" => Facet::Day,
        "week" => Facet::Week,
        "month" => Facet::Month,
        "year" => Facet::Year,
        other => {
            return Err(ApiError::InvalidParameter {
                parameter: "interval".into(),
                detail: format!("{other:?} is not an interval: use day, week, month or year"),
                suggestions: crate::knowledge::suggest(
                    other,
                    ["day", "week", "month", "year"].into_iter(),
                ),
            });
        }
    };
    let raw = serde_urlencoded::to_string(&rest).unwrap_or_default();
    let q = params::parse(Some(&raw), &st.kb)?.query;
    let counts: HashMap<String, i64> = st
        .store
        .counts(&q, facet)
        .await?
        .into_iter()
        .map(|c| (c.key, c.count))
        .collect();
    let buckets = fill(&counts, facet).ok_or_else(|| {
        ApiError::param(
            "interval",
            format!(
                "more than {MAX_BUCKETS} buckets: use a coarser interval or a narrower from/to"
            ),
        )
    })?;
    Ok(Json(Histogram { interval, buckets }))
}

/// Every bucket between the first and last key, zeros included.
fn fill(counts: &HashMap<String, i64>, facet: Facet) -> Option<Vec<Bucket>> {
    let (Some(first), Some(last)) = (counts.keys().min(), counts.keys().max()) else {
        return Some(Vec::new());
    };
    let parse = |k: &str| -> Option<Date> {
        match facet {
            Facet::Year => Date::new(k.parse().ok()?, 1, 1).ok(),
            Facet::Month => format!("{k}-01").parse().ok(),
            _ => k.parse().ok(),
        }
    };
    let (mut d, end) = (parse(first)?, parse(last)?);
    let mut out = Vec::new();
    while d <= end {
        let key = match facet {
            Facet::Year => format!("{:04}", d.year()),
            Facet::Month => format!("{:04}-{:02}", d.year(), d.month()),
            _ => d.to_string(),
        };
        out.push(Bucket {
            count: counts.get(&key).copied().unwrap_or(0),
            start: key,
        });
        if out.len() > MAX_BUCKETS {
            return None;
        }
        d = match facet {
            Facet::Day => d.checked_add(1.day()).ok()?,
            Facet::Week => d.checked_add(1.week()).ok()?,
            Facet::Month => d.checked_add(1.month()).ok()?,
            _ => d.checked_add(1.year()).ok()?,
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_buckets_are_filled() {
        let counts: HashMap<String, i64> =
            [("2024-06".to_string(), 2), ("2024-09".to_string(), 1)].into();
        let b = fill(&counts, Facet::Month).unwrap();
        let got: Vec<(&str, i64)> = b.iter().map(|b| (b.start.as_str(), b.count)).collect();
        assert_eq!(
            got,
            [
                ("2024-06", 2),
                ("2024-07", 0),
                ("2024-08", 0),
                ("2024-09", 1)
            ]
        );
        let weeks: HashMap<String, i64> =
            [("2024-08-05".to_string(), 1), ("2024-08-19".to_string(), 3)].into();
        assert_eq!(fill(&weeks, Facet::Week).unwrap().len(), 3);
        let wide: HashMap<String, i64> =
            [("1900-01-01".to_string(), 1), ("2024-01-01".to_string(), 1)].into();
        assert!(fill(&wide, Facet::Day).is_none());
    }
}
