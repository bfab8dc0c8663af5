//! PostgreSQL: page reads on sqlx's PostgreSQL driver itself rather than through its
//! runtime-generic `Any` driver. `Any` turns every row into an `AnyRow` first, each
//! column copied into an owned value (a page's ~2 KB docs, a `String` apiece), and the
//! page then copied those again: at 100 events a page that was about half of serve's
//! instructions per request (session 18). Here each row's columns are read where the
//! driver received them and written into the page once.
//!
//! The pool connects lazily (no connection until the first page), with the session
//! settings and the health check of the store's own pool.

use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Column, Executor, Postgres, Row};

use super::health::Health;
use super::sql::{Bind, Sql};
use super::{EventsJson, StoreError};

/// The page reads' own pool.
pub(super) struct Pages {
    pool: PgPool,
}

impl Pages {
    /// A lazy pool on `url` of at most `max` connections, each set up by `session`'s
    /// statements; none when the URL is not one the driver takes.
    pub(super) fn for_url(
        url: &str,
        max: u32,
        session: Vec<String>,
        health: Arc<Health>,
    ) -> Option<Self> {
        let session = Arc::new(session);
        PgPoolOptions::new()
            .max_connections(max)
            // Fail fast when the database is away: callers answer 503, not hang.
            .acquire_timeout(Duration::from_secs(5))
            // A connection opened before a fault of the store is closed, not reused.
            .before_acquire(move |_conn, meta| {
                let usable = health.usable(meta.age);
                Box::pin(async move { Ok(usable) })
            })
            .after_connect(move |conn, _meta| {
                let session = session.clone();
                Box::pin(async move {
                    for s in session.iter() {
                        conn.execute(AssertSqlSafe(s.as_str())).await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy(url)
            .ok()
            .map(|pool| Pages { pool })
    }

    /// The page `s` selects (the columns of [`super::sql::EVENT_COLUMNS`] and `date_lo`),
    /// appended to `out`; none once a row's doc is not as `event_doc` writes it (the
    /// caller then makes the page the slow way).
    pub(super) async fn page(
        &self,
        s: &Sql,
        mut out: EventsJson,
    ) -> Result<Option<EventsJson>, StoreError> {
        let mut rows = query(s).fetch(&self.pool);
        // Where each column is, from the first row (every row of a result has the same).
        let mut at = None;
        while let Some(r) = rows.try_next().await? {
            let cols = match at {
                Some(c) => c,
                None => match Columns::of(&r) {
                    Some(c) => *at.insert(c),
                    None => return Ok(None),
                },
            };
            if !push(&mut out, &r, &cols)? {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }
}

/// The positions of a page's columns in its rows.
#[derive(Clone, Copy)]
struct Columns {
    id: usize,
    doc: usize,
    sources: usize,
    status: usize,
    created: usize,
    updated: usize,
    date_lo: usize,
}

impl Columns {
    /// None when a column is missing or one read as text is not of a text type.
    fn of(r: &PgRow) -> Option<Columns> {
        let text = |name: &str| {
            let c = r.try_column(name).ok()?;
            <&str as sqlx::Type<Postgres>>::compatible(c.type_info()).then_some(c.ordinal())
        };
        Some(Columns {
            id: text("id")?,
            doc: text("doc")?,
            sources: r.try_column("doc_sources").ok()?.ordinal(),
            status: text("status")?,
            created: text("created_at")?,
            updated: text("updated_at")?,
            date_lo: text("date_lo")?,
        })
    }
}

/// Column `i` of `r`, of a text type (see [`Columns::of`]), as it was received: the
/// bytes checked as UTF-8 (with SIMD: a page holds ~200 KB of mostly Cyrillic text),
/// not copied.
fn text(r: &PgRow, i: usize) -> Result<&str, StoreError> {
    let bytes = r
        .try_get_raw(i)?
        .as_bytes()
        .map_err(|e| StoreError::Corrupt(format!("column {i} of a page: {e}")))?;
    simdutf8::basic::from_utf8(bytes)
        .map_err(|_| StoreError::Corrupt(format!("column {i} of a page is not UTF-8")))
}

/// `s` with its binds, typed as the `Any` driver binds them on PostgreSQL (text, int8,
/// float8, text or NULL).
fn query(s: &Sql) -> sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments> {
    let mut q = sqlx::query(AssertSqlSafe(s.text.as_str()));
    for b in &s.binds {
        q = match b {
            Bind::Text(t) => q.bind(t.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Real(r) => q.bind(*r),
            Bind::OptText(t) => q.bind(t.as_deref()),
        };
    }
    q
}

/// One row into the page: false (nothing appended) for a doc from before migration
/// 0008 or not as `event_doc` writes it.
fn push(out: &mut EventsJson, r: &PgRow, at: &Columns) -> Result<bool, StoreError> {
    // `INTEGER` (migration 0008); a wider column is read as well.
    let sources = match r.try_get::<i32, _>(at.sources) {
        Ok(n) => i64::from(n),
        Err(_) => r.try_get::<i64, _>(at.sources)?,
    };
    if sources != 1 {
        return Ok(false);
    }
    let doc = text(r, at.doc)?;
    let status = text(r, at.status)?;
    let created = text(r, at.created)?;
    let updated = text(r, at.updated)?;
    Ok(out.push_with(text(r, at.id)?, text(r, at.date_lo)?, |out| {
        super::db::event_json(out, doc, status, created, updated)
    }))
}
