//! `GET /events`, `GET /events/{id}` and `GET /articles/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, Problem};
use super::formats::{self, Format};
use super::params::{self, EventsParams, encode_cursor};
use crate::domain::{Event, EventDate};
use crate::headline::{self, Lang};
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
///
/// Other formats, by `Accept` or path: `/events.csv` (RFC 4180), `/events.ndjson` and
/// `/events.ics` (iCalendar) stream every matching event (up to an explicit `limit`);
/// `/events.geojson` (RFC 7946) and `/events.timeline.json` (TimelineJS3) are pages like
/// this one. `dl=1` makes any of them a download. Responses carry a strong `ETag`;
/// `If-None-Match` gets 304.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    operation_id = "list_events",
    params(EventsParams),
    responses(
        (status = 304, description = "Not modified since the `ETag` given in `If-None-Match`"),
        (status = 200, description = "A page of events (or, by `Accept`, CSV, NDJSON, GeoJSON or iCalendar)",
         content(
            (EventPage = "application/json"),
            (String = "text/csv"),
            (String = "application/x-ndjson"),
            (Object = "application/geo+json"),
            (String = "text/calendar")
         ),
         headers(("Link" = String, description = "`<next page URL>; rel=\"next\"` when there is one"))),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_events(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    events_as(
        st,
        Format::from_accept(accept),
        raw.as_deref(),
        &headers,
        true,
        &Target::events(),
    )
    .await
}

/// `/events.csv`, `/events.ndjson`, `/events.geojson`, `/events.timeline.json`,
/// `/events.ics`, `/events.json`: the same query in the format the extension names.
pub fn events_with_extension(
    format: Format,
) -> impl Fn(State<AppState>, HeaderMap, RawQuery) -> BoxFuture<Result<Response, ApiError>> + Clone
{
    move |State(st), headers, RawQuery(raw)| {
        Box::pin(async move {
            events_as(
                st,
                format,
                raw.as_deref(),
                &headers,
                false,
                &Target::events(),
            )
            .await
        })
    }
}

type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Where a list of events is served from: `/events`, or a saved timeline whose filter
/// comes before the request's own parameters.
pub struct Target {
    /// The path without extension (`/events`, `/timelines/kursk`).
    pub path: String,
    /// The saved filter, as a query string.
    pub filter: Option<String>,
    pub name: String,
    /// The title slide's headline, for TimelineJS.
    pub title: Option<String>,
}

impl Target {
    pub fn events() -> Self {
        Target {
            path: "/events".into(),
            filter: None,
            name: "linimasa-events".into(),
            title: None,
        }
    }
}

pub async fn events_as(
    st: AppState,
    format: Format,
    raw: Option<&str>,
    headers: &HeaderMap,
    negotiated: bool,
    target: &Target,
) -> Result<Response, ApiError> {
    let mut req = match &target.filter {
        None => params::parse(raw, &st.kb)?,
        Some(saved) => {
            let merged = match raw.filter(|r| !r.is_empty()) {
                Some(r) => format!("{saved}&{r}"),
                None => saved.clone(),
            };
            let mut req = params::parse(Some(&merged), &st.kb)?;
            // Links repeat only what the caller added to the saved filter.
            let own = params::parse(raw, &st.kb)?;
            req.pairs = own.pairs;
            req
        }
    };
    req.pairs.retain(|(k, _)| k != "cursor");
    let lang = params::reader_lang(req.lang, headers);
    let mut res = if format.is_export() {
        export(st, req, format, lang)
    } else {
        page(st, req, format, target, lang).await?
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if negotiated {
        h.append(header::VARY, HeaderValue::from_static("Accept"));
    }
    // Without `lang`, `Accept-Language` chooses the language.
    h.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    if raw.is_some_and(|r| r.split('&').any(|p| p == "dl=1" || p == "dl=true")) {
        let cd = format!(
            "attachment; filename=\"{}.{}\"",
            target.name,
            format.extension()
        );
        if let Ok(v) = HeaderValue::from_str(&cd) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}

/// One page (JSON, GeoJSON, TimelineJS) with its `next` link.
async fn page(
    st: AppState,
    req: params::EventsRequest,
    format: Format,
    target: &Target,
    lang: Option<Lang>,
) -> Result<Response, ApiError> {
    let mut q = req.query.clone();
    let limit = q.limit as usize;
    q.limit += 1;
    if format == Format::Json && lang.is_none() {
        // The usual request: events as the store serialises them, into the page as
        // they are.
        let mut events = st.store.list_events_json(&q).await?;
        let more = events.len() > limit;
        events.truncate(limit);
        let last = events.last_key().filter(|_| more);
        let (headers, next_cursor, next) = next_link(&req, format, target, last);
        let deleted = match (&req.query.updated_since, &req.query.after) {
            (Some(since), None) => Some(st.store.tombstones(since, 10_000).await?),
            _ => None,
        };
        let tail = page_tail(next_cursor.as_deref(), next.as_deref(), deleted.as_deref())
            .map_err(|e| ApiError::Internal(format!("page: {e}")))?;
        let body = Pieces::new([
            Bytes::from_static(PAGE_HEAD.as_bytes()),
            Bytes::from(events.into_joined()),
            Bytes::from(tail),
        ]);
        // The type first, as a `String` body would have it (the headers in the same order).
        let kind = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(format.content_type()),
        )];
        return Ok((kind, headers, axum::body::Body::new(body)).into_response());
    }
    let mut events = st.store.list_events(&q).await?;
    let more = events.len() > limit;
    events.truncate(limit);
    localize_all(&mut events, &st, lang);
    let last = match events.last().filter(|_| more) {
        Some(e) => Some((
            first_day(e)
                .ok_or_else(|| ApiError::Internal(format!("event {} has an invalid date", e.id)))?,
            e.id.as_str(),
        )),
        None => None,
    };
    let (headers, next_cursor, next) = next_link(
        &req,
        format,
        target,
        last.as_ref().map(|(lo, id)| (lo.as_str(), *id)),
    );
    Ok(match format {
        Format::Json => {
            let deleted = match (&req.query.updated_since, &req.query.after) {
                (Some(since), None) => Some(st.store.tombstones(since, 10_000).await?),
                _ => None,
            };
            let page = EventPage {
                events,
                next_cursor,
                next,
                deleted,
            };
            (headers, Json(page)).into_response()
        }
        Format::GeoJson => {
            (headers, Json(formats::geojson(&events, next.as_deref()))).into_response()
        }
        _ => {
            let headline = target
                .title
                .clone()
                .unwrap_or_else(|| timeline_headline(&req));
            (headers, Json(formats::timelinejs(&events, &headline))).into_response()
        }
    })
}

/// Events in the reader's language, when the request names one.
fn localize_all(events: &mut [Event], st: &AppState, lang: Option<Lang>) {
    if let Some(lang) = lang {
        for e in events {
            headline::localize(e, &st.kb, lang);
        }
    }
}

/// An event's first day, as a cursor holds it.
fn first_day(e: &Event) -> Option<String> {
    EventDate::of_event(e).map(|d| d.start.to_string())
}

/// The cursor and URL of the page after the one ending with `last` (its first day and
/// id), and the `Link` header naming it; none on the last page.
fn next_link(
    req: &params::EventsRequest,
    format: Format,
    target: &Target,
    last: Option<(&str, &str)>,
) -> (HeaderMap, Option<String>, Option<String>) {
    let mut headers = HeaderMap::new();
    let Some((lo, id)) = last else {
        return (headers, None, None);
    };
    let cursor = encode_cursor(req.query.descending, lo, id);
    let mut pairs = req.pairs.clone();
    pairs.push(("cursor".into(), cursor.clone()));
    let path = match format {
        Format::Json => target.path.clone(),
        f => format!("{}.{}", target.path, f.extension()),
    };
    let url = format!(
        "{path}?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    );
    if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
        headers.insert(header::LINK, v);
    }
    (headers, Some(cursor), Some(url))
}

/// How an [`EventPage`] as serde writes it starts: its events follow.
const PAGE_HEAD: &str = "{\"events\":[";

/// What follows a page's events, as serde writes an [`EventPage`].
fn page_tail(
    next_cursor: Option<&str>,
    next: Option<&str>,
    deleted: Option<&[Tombstone]>,
) -> serde_json::Result<String> {
    let mut out = String::with_capacity(256);
    out.push_str("],\"next_cursor\":");
    out.push_str(&serde_json::to_string(&next_cursor)?);
    out.push_str(",\"next\":");
    out.push_str(&serde_json::to_string(&next)?);
    if let Some(d) = deleted {
        out.push_str(",\"deleted\":");
        out.push_str(&serde_json::to_string(d)?);
    }
    out.push('}');
    Ok(out)
}

/// A body sent in a few pieces, one after another, its length known: a page's events go
/// out in the buffer the store wrote them into, not copied after the page's head (~200
/// KB a page of 100 events). The length makes `Content-Length` as for one buffer; hyper
/// writes the pieces together.
struct Pieces {
    pieces: std::collections::VecDeque<Bytes>,
    left: u64,
}

impl Pieces {
    fn new<const N: usize>(pieces: [Bytes; N]) -> Self {
        let pieces: std::collections::VecDeque<Bytes> =
            pieces.into_iter().filter(|b| !b.is_empty()).collect();
        let left = pieces.iter().map(|b| b.len() as u64).sum();
        Pieces { pieces, left }
    }
}

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.pieces.pop_front();
        if let Some(b) = &next {
            self.left = self.left.saturating_sub(b.len() as u64);
        }
        std::task::Poll::Ready(next.map(|b| Ok(http_body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

/// "linimasa: kursk, 2024" from the filter, for a timeline's title slide.
fn timeline_headline(req: &params::EventsRequest) -> String {
    let parts: Vec<&str> = req
        .pairs
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "region" | "country" | "actor" | "type" | "q" | "from" | "to"
            )
        })
        .map(|(_, v)| v.as_str())
        .collect();
    if parts.is_empty() {
        "linimasa".to_string()
    } else {
        format!("linimasa: {}", parts.join(", "))
    }
}

/// Events per chunk of an export.
const EXPORT_CHUNK: u32 = 500;

/// Every matching event (up to an explicit `limit`), streamed a chunk at a time.
fn export(
    st: AppState,
    req: params::EventsRequest,
    format: Format,
    lang: Option<Lang>,
) -> Response {
    let cap = req
        .pairs
        .iter()
        .any(|(k, _)| k == "limit")
        .then_some(req.query.limit as usize);
    struct Cursor {
        q: crate::store::EventQuery,
        sent: usize,
        started: bool,
        done: bool,
    }
    let start = Cursor {
        q: req.query,
        sent: 0,
        started: false,
        done: false,
    };
    // Fused: the compression layer may poll once more after the end, which a bare
    // `unfold` answers with a panic.
    let stream =
        futures_util::StreamExt::fuse(futures_util::stream::unfold(start, move |mut c| {
            let st = st.clone();
            async move {
                if c.done {
                    return None;
                }
                let mut out: Vec<u8> = Vec::new();
                let first = !c.started;
                c.started = true;
                if first && format == Format::Ical {
                    out.extend_from_slice(formats::ICS_HEAD.as_bytes());
                }
                let want = cap.map_or(EXPORT_CHUNK as usize, |cap| {
                    (cap - c.sent).min(EXPORT_CHUNK as usize)
                });
                c.q.limit = want as u32;
                let chunk = if want == 0 {
                    Ok((0, None))
                } else {
                    export_chunk(&st, &c.q, format, first, lang, &mut out).await
                };
                let (n, last) = match chunk {
                    Ok(c) => c,
                    Err(e) => {
                        // The status line is sent; all that is left is to stop short.
                        tracing::error!(error = %e, "export failed mid-stream");
                        return Some((
                            Err(std::io::Error::other("export failed")),
                            Cursor { done: true, ..c },
                        ));
                    }
                };
                c.sent += n;
                if n < want || want == 0 {
                    c.done = true;
                    if format == Format::Ical {
                        out.extend_from_slice(formats::ICS_TAIL.as_bytes());
                    }
                } else if let Some(last) = last {
                    c.q.after = Some(last);
                }
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(out)), c))
            }
        }));
    Response::new(axum::body::Body::from_stream(stream))
}

/// One chunk of an export into `out`: how many events it held, and the last one's
/// first day and id (where the next chunk starts).
async fn export_chunk(
    st: &AppState,
    q: &crate::store::EventQuery,
    format: Format,
    first: bool,
    lang: Option<Lang>,
    out: &mut Vec<u8>,
) -> Result<(usize, Option<(String, String)>), crate::store::StoreError> {
    if format == Format::Ndjson && lang.is_none() {
        // A line per event: the JSON the store serialised, as it is.
        let events = st.store.list_events_json(q).await?;
        for i in 0..events.len() {
            out.extend_from_slice(events.json(i).as_bytes());
            out.push(b'\n');
        }
        return Ok((
            events.len(),
            events
                .last_key()
                .map(|(lo, id)| (lo.to_string(), id.to_string())),
        ));
    }
    let mut events = st.store.list_events(q).await?;
    localize_all(&mut events, st, lang);
    match format {
        Format::Csv => out.extend(formats::csv_chunk(&events, first)),
        Format::Ndjson => {
            for e in &events {
                if let Ok(line) = serde_json::to_vec(e) {
                    out.extend(line);
                    out.push(b'\n');
                }
            }
        }
        _ => out.extend(formats::ics_chunk(&events)),
    }
    let last = events
        .last()
        .map(|e| (first_day(e).unwrap_or_default(), e.id.clone()));
    Ok((events.len(), last))
}

/// One event with all its sources and their evidence.
#[utoipa::path(
    get,
    path = "/events/{id}",
    tag = "events",
    operation_id = "get_event",
    params(
        ("id" = String, Path, description = "Event id", example = "evt_5k2m9q7w3x1c8v4b"),
        ("lang" = Option<String>, Query, pattern = "^\\s*(id|en|ru|uk)\\s*$", description = "The reader's language (`id`, `en`, `ru`, `uk`), as for `GET /events`; without it, `Accept-Language`", example = "id")
    ),
    responses(
        (status = 200, description = "The event", body = Event),
        (status = 400, description = "An unknown parameter or language", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut lang = None;
    for (k, v) in params::query_pairs(raw.as_deref())? {
        match k.as_str() {
            "lang" if lang.is_none() => lang = Some(params::parse_lang(&v)?),
            "lang" => return Err(ApiError::param("lang", "lang is given more than once")),
            other => {
                return Err(ApiError::InvalidParameter {
                    parameter: other.to_string(),
                    detail: format!("unknown parameter {other:?}; known: lang"),
                    suggestions: crate::knowledge::suggest(other, ["lang"].into_iter()),
                });
            }
        }
    }
    let mut e = st
        .store
        .get_event(&id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no event with id {id:?}")))?;
    if let Some(l) = params::reader_lang(lang, &headers) {
        headline::localize(&mut e, &st.kb, l);
    }
    let mut res = Json(e).into_response();
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language"));
    Ok(res)
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
