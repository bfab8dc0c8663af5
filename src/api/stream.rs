//! Live updates: `GET /events/stream` sends, as Server-Sent Events, every event that is
//! created or corrected while the client listens and matches its filter, and a
//! `deleted` message when one is hidden. Instances notice changes by polling the data
//! version the database shares, so a write on any instance reaches the listeners of
//! all of them. `Last-Event-ID` resumes after a reconnect.

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;

use super::AppState;
use super::error::{ApiError, Problem};
use super::params::{self, EventsParams};
use crate::store::{EventQuery, now};

/// Push new and changed events that match the filter (Server-Sent Events).
#[utoipa::path(
    get,
    path = "/events/stream",
    tag = "events",
    operation_id = "stream_events",
    params(EventsParams),
    responses(
        (status = 200, description = "`event: event` with an event's JSON, `event: deleted` with `{id}`; `id:` is the change time", content_type = "text/event-stream", body = String),
        (status = 400, description = "A parameter is malformed or unknown", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn stream_events(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let req = params::parse(raw.as_deref(), &st.kb)?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::ingest::parse_instant(v.trim()));
    let poll = st.ops.config.stream_poll;
    let lang = params::reader_lang(req.lang, &headers);
    let state = Listener {
        st,
        lang,
        filter: req.query,
        since: resume.unwrap_or_else(now),
        version: None,
        sent: HashSet::new(),
        queue: Vec::new(),
    };
    let stream = futures_util::stream::unfold(state, move |mut l| async move {
        loop {
            if let Some(ev) = l.queue.pop() {
                return Some((Ok(ev), l));
            }
            tokio::time::sleep(poll).await;
            l.refill().await;
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

struct Listener {
    st: AppState,
    /// The reader's language, when the request names one.
    lang: Option<crate::headline::Lang>,
    filter: EventQuery,
    /// Changes at or after this instant are still to be sent.
    since: String,
    version: Option<i64>,
    /// (id, updated_at, hidden) already sent, for changes within the same second.
    sent: HashSet<(String, String, bool)>,
    /// Messages ready to go, last first.
    queue: Vec<SseEvent>,
}

impl Listener {
    async fn refill(&mut self) {
        let Ok(v) = self.st.store.data_version().await else {
            return;
        };
        if self.version == Some(v) {
            return;
        }
        self.version = Some(v);
        let mut q = self.filter.clone();
        q.updated_since = Some(self.since.clone());
        q.after = None;
        q.limit = 1000;
        let changed = match self.st.store.list_events(&q).await {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "stream: listing changes failed");
                return;
            }
        };
        let hidden = self
            .st
            .store
            .tombstones(&self.since, 1000)
            .await
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut newest = self.since.clone();
        for mut e in changed {
            if let Some(lang) = self.lang {
                crate::headline::localize(&mut e, &self.st.kb, lang);
            }
            if self
                .sent
                .insert((e.id.clone(), e.updated_at.clone(), false))
            {
                newest = newest.max(e.updated_at.clone());
                if let Ok(data) = serde_json::to_string(&e) {
                    out.push(
                        SseEvent::default()
                            .event("event")
                            .id(e.updated_at.clone())
                            .data(data),
                    );
                }
            }
        }
        for t in hidden {
            if self.sent.insert((t.id.clone(), t.updated_at.clone(), true)) {
                newest = newest.max(t.updated_at.clone());
                out.push(
                    SseEvent::default()
                        .event("deleted")
                        .id(t.updated_at.clone())
                        .data(serde_json::json!({"id": t.id}).to_string()),
                );
            }
        }
        // Keep only what the next poll could see again.
        self.since = newest;
        let since = self.since.clone();
        self.sent.retain(|(_, at, _)| *at >= since);
        out.reverse();
        self.queue = out;
    }
}
