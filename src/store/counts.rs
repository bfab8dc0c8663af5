//! What a write changes, kept for the readers: the versions of the regions and
//! countries it touched (ETags of answers filtered by them) and the facet counts of the
//! events it added, changed or hid (migration 0011).
//!
//! A writer collects both in a [`Touched`] while it writes, and applies them when it
//! commits, in one pass sorted by key: on PostgreSQL two writers then lock the rows
//! they share in the same order, and an article rolled back (a duplicate, a failed
//! savepoint) leaves nothing behind, since its `Touched` is dropped with it.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use sqlx::AssertSqlSafe;

use super::sql::{Bind, Facet, Sql};
use super::{Count, EventQuery, StoreError};
use crate::domain::Event;

/// Rows per multi-row statement: 256 bound values (sqlx's SQLite driver finds each `$n`
/// by a walk over the names, so a statement's cost grows with the square of its binds).
const CHUNK: usize = 64;

/// The scope key of a region's events.
pub fn region_scope(iso_code: &str) -> String {
    format!("r:{iso_code}")
}

/// The scope key of a country's events.
pub fn country_scope(country: &str) -> String {
    format!("c:{country}")
}

/// The scopes an `/events` filter stays within, when it names regions (or else
/// countries): every answer to it is made of their events only. None when the filter
/// may match events anywhere.
pub fn scopes_of(q: &EventQuery) -> Option<Vec<String>> {
    let mut scopes: Vec<String> = if !q.regions.is_empty() {
        q.regions.iter().map(|r| region_scope(r)).collect()
    } else if !q.countries.is_empty() {
        q.countries.iter().map(|c| country_scope(c)).collect()
    } else {
        return None;
    };
    scopes.sort();
    scopes.dedup();
    Some(scopes)
}

/// The one scope whose kept counts answer `q` exactly: none, one region or one country,
/// and no other filter. `Some("")` is every visible event.
fn counted_scope(q: &EventQuery) -> Option<String> {
    let plain = q.actors.is_empty()
        && q.types.is_empty()
        && q.from.is_none()
        && q.to.is_none()
        && q.q.is_empty()
        && q.sources.is_empty()
        && q.min_confidence.is_none()
        && q.updated_since.is_none();
    match (q.regions.as_slice(), q.countries.as_slice()) {
        _ if !plain => None,
        ([], []) => Some(String::new()),
        ([r], []) => Some(region_scope(r)),
        ([], [c]) => Some(country_scope(c)),
        _ => None,
    }
}

/// What the stored facet for `facet` is, and how its keys are folded into `facet`'s.
fn stored(facet: Facet) -> &'static str {
    match facet {
        Facet::Region => "region",
        Facet::Country => "country",
        Facet::Actor => "actor",
        Facet::Type => "type",
        Facet::Day | Facet::Week | Facet::Month | Facet::Year => "day",
    }
}

/// A day's bucket for a date facet, as the SQL of `sql::facet_counts` names it.
fn bucket(day: &str, facet: Facet) -> Option<String> {
    Some(match facet {
        Facet::Week => {
            let d: Date = day.parse().ok()?;
            let back = i64::from(d.weekday().to_monday_zero_offset());
            d.checked_sub(jiff::Span::new().days(back))
                .ok()?
                .to_string()
        }
        Facet::Month => day.get(..7)?.to_string(),
        Facet::Year => day.get(..4)?.to_string(),
        _ => day.to_string(),
    })
}

/// The query reading the kept counts that answer `q` by `facet`, and how to finish
/// them ([`finish`]); none when they cannot answer it.
pub fn read_sql(q: &EventQuery, facet: Facet) -> Option<Sql> {
    let scope = counted_scope(q)?;
    let mut sql = Sql::default();
    let s = sql.bind(Bind::Text(scope));
    let f = sql.bind(Bind::Text(stored(facet).into()));
    sql.text =
        format!("SELECT key AS k, n FROM facet_counts WHERE scope = {s} AND facet = {f} AND n > 0");
    Some(sql)
}

/// The rows of [`read_sql`] as `facet`'s counts: days summed into weeks, months or
/// years; date facets oldest first, as the counting query orders them.
pub fn finish(rows: Vec<Count>, facet: Facet) -> Vec<Count> {
    if !matches!(facet, Facet::Day | Facet::Week | Facet::Month | Facet::Year) {
        return rows;
    }
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        if let Some(k) = bucket(&r.key, facet) {
            *sums.entry(k).or_default() += r.count;
        }
    }
    sums.into_iter()
        .map(|(key, count)| Count { key, count })
        .collect()
}

/// The scopes a write touched and the facet counts it changed, applied at commit.
#[derive(Debug, Default)]
pub struct Touched {
    scopes: BTreeSet<String>,
    counts: BTreeMap<(String, &'static str, String), i64>,
    /// PostgreSQL: the event types whose merge lock (`pg_advisory_xact_lock`) the
    /// transaction holds; the lock is held to its end, so it is taken once per type.
    locked: BTreeSet<String>,
    /// SQLite: full-text rows (event id, folded text) for `event_text`, in the order
    /// written, inserted at commit (see [`Touched::defer_text`]).
    texts: Vec<(String, String)>,
}

impl Touched {
    /// `ev`, starting on `date_lo`, counted once more (`sign` 1) or once less (-1), and
    /// its scopes touched. A hidden event is touched but not counted.
    pub fn count(&mut self, ev: &Event, date_lo: &str, sign: i64) {
        let mut regions: Vec<&str> = ev.regions.iter().map(|r| r.iso_code.as_str()).collect();
        let mut countries: Vec<&str> = ev.countries.iter().map(String::as_str).collect();
        let mut actors: Vec<&str> = ev.actors.iter().map(|a| a.slug.as_str()).collect();
        for v in [&mut regions, &mut countries, &mut actors] {
            v.sort_unstable();
            v.dedup();
        }
        self.touch(regions.iter().copied(), countries.iter().copied());
        if ev.status == crate::domain::Status::Hidden {
            return;
        }
        let scopes = std::iter::once(String::new())
            .chain(regions.iter().map(|r| region_scope(r)))
            .chain(countries.iter().map(|c| country_scope(c)));
        let keys: Vec<(&'static str, &str)> = regions
            .iter()
            .map(|r| ("region", *r))
            .chain(countries.iter().map(|c| ("country", *c)))
            .chain(actors.iter().map(|a| ("actor", *a)))
            .chain([("type", ev.event_type.as_str()), ("day", date_lo)])
            .collect();
        for scope in scopes {
            for (facet, key) in &keys {
                *self
                    .counts
                    .entry((scope.clone(), facet, key.to_string()))
                    .or_default() += sign;
            }
        }
    }

    /// The scopes of an event's regions and countries, touched (its answers change).
    pub fn touch<'a>(
        &mut self,
        regions: impl IntoIterator<Item = &'a str>,
        countries: impl IntoIterator<Item = &'a str>,
    ) {
        self.scopes.extend(regions.into_iter().map(region_scope));
        self.scopes.extend(countries.into_iter().map(country_scope));
    }

    /// SQLite: a full-text row written at commit rather than now. FTS5 writes the terms
    /// it holds in memory out as a segment of their own whenever a later statement of the
    /// transaction opens its statement journal (`xSavepoint`): with the texts written as
    /// they came, every article's statements flushed a few terms each, and FTS5 then
    /// merged the small segments (a profile of the writer's SQLite thread: 13 % in the
    /// flushes, 6.5 % in merges). Written together at commit, in their order, the rows
    /// are the same: nothing in the transaction reads the full text before then, and
    /// the trigger of `event_text` reads only the event's row and its links, which the
    /// transaction has written by then.
    pub fn defer_text(&mut self, event_id: &str, body: String) {
        self.texts.push((event_id.to_string(), body));
    }

    /// Adds another write's changes (an article of a batch, once its savepoint holds).
    pub fn absorb(&mut self, other: Touched) {
        self.scopes.extend(other.scopes);
        self.locked.extend(other.locked);
        self.texts.extend(other.texts);
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
    }

    /// Whether the merge lock of `kind` is held, here or by `earlier` (the articles
    /// committed before in the same transaction); if not, it is noted as taken now.
    pub fn lock_merges(&mut self, kind: &str, earlier: &Touched) -> bool {
        if self.locked.contains(kind) || earlier.locked.contains(kind) {
            return false;
        }
        self.locked.insert(kind.to_string());
        true
    }

    /// Writes the deferred full-text rows, increments the touched scopes' versions and
    /// applies the count changes, in `tx`.
    pub async fn apply(&self, tx: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
        // An event's texts as one row, joined by newlines as the trigger of `event_text`
        // joins them (its row's body, a newline, the new text): one FTS5 replace per
        // event instead of one per text, each of which reads and removes the terms of
        // the row before it (`sqlite3Fts5StorageDelete`).
        // Anonymous placeholders on SQLite (see `Sql::positional`).
        let sqlite = tx.backend_name() == "SQLite";
        let mut texts: Vec<(&str, String)> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (id, body) in &self.texts {
            match at.get(id.as_str()) {
                Some(&i) => {
                    texts[i].1.push('\n');
                    texts[i].1.push_str(body);
                }
                None => {
                    at.insert(id, texts.len());
                    texts.push((id, body.clone()));
                }
            }
        }
        if sqlite && !texts.is_empty() {
            // One statement, the rows in the order of their FTS5 rowids (migration 0013's
            // key: the day of `date_lo`, then `seq`). FTS5 keeps a transaction's new terms
            // in memory only while rowids ascend: a row whose rowid is below the one
            // written before makes it write them out as a segment of their own first
            // (`fts5IndexBeginWrite`), and the batch's events come in article order, not
            // date order, so about every other row flushed (with the merges of the small
            // segments, 4 % of a bulk ingest's CPU). The rows are the same: each is one
            // event's, and none reads another's.
            let rows = serde_json::to_string(&texts)
                .map_err(|e| StoreError::Corrupt(format!("full text: {e}")))?;
            sqlx::query(
                "INSERT INTO event_text (event_id, body) \
                 SELECT t.value ->> 0, t.value ->> 1 FROM json_each($1) t \
                 JOIN events e ON e.id = t.value ->> 0 \
                 ORDER BY (CASE WHEN e.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(e.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(e.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(e.date_lo, 9, 2) AS INTEGER) WHEN e.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + e.seq",
            )
            .bind(rows)
            .execute(&mut *tx)
            .await?;
        }
        for chunk in texts.chunks(CHUNK).filter(|_| !sqlite) {
            let mut sql = Sql::default();
            let rows: Vec<String> = chunk
                .iter()
                .map(|(id, body)| {
                    format!(
                        "({}, {})",
                        sql.bind(Bind::Text(id.to_string())),
                        sql.bind(Bind::Text(body.clone()))
                    )
                })
                .collect();
            sql.text = format!(
                "INSERT INTO event_text (event_id, body) VALUES {}",
                rows.join(", ")
            );
            super::db::query_with(&sql).execute(&mut *tx).await?;
        }
        let scopes: Vec<&String> = self.scopes.iter().collect();
        for chunk in scopes.chunks(CHUNK) {
            let mut sql = Sql::default();
            let rows: Vec<String> = chunk
                .iter()
                .map(|s| format!("({}, 1)", sql.bind(Bind::Text((*s).clone()))))
                .collect();
            sql.text = format!(
                "INSERT INTO scope_versions (scope, version) VALUES {} \
                 ON CONFLICT (scope) DO UPDATE SET version = scope_versions.version + 1",
                rows.join(", ")
            );
            if sqlite {
                sql = sql.positional();
            }
            super::db::query_with(&sql).execute(&mut *tx).await?;
        }
        let counts: Vec<_> = self.counts.iter().filter(|(_, n)| **n != 0).collect();
        for chunk in counts.chunks(CHUNK) {
            let mut sql = Sql::default();
            let rows: Vec<String> = chunk
                .iter()
                .map(|((scope, facet, key), n)| {
                    format!(
                        "({}, {}, {}, {})",
                        sql.bind(Bind::Text(scope.clone())),
                        sql.bind(Bind::Text((*facet).into())),
                        sql.bind(Bind::Text(key.clone())),
                        sql.bind(Bind::Int(**n)),
                    )
                })
                .collect();
            sql.text = format!(
                "INSERT INTO facet_counts (scope, facet, key, n) VALUES {} \
                 ON CONFLICT (scope, facet, key) DO UPDATE SET n = facet_counts.n + excluded.n",
                rows.join(", ")
            );
            if sqlite {
                sql = sql.positional();
            }
            super::db::query_with(&sql).execute(&mut *tx).await?;
        }
        Ok(())
    }
}

/// Counts every visible event again into `facet_counts` (after a bulk load, or for an
/// archive stored before migration 0011) and marks the counts fresh, in one transaction.
pub async fn recount(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    use sqlx::Connection;
    let visible =
        |id: &str| format!("{id} NOT IN (SELECT h.id FROM events h WHERE h.status = 'hidden')");
    // (scope expression, FROM, the event id and first day there)
    let scopes = [
        ("''", "events e", "e.id", "e.date_lo"),
        (
            "'r:' || s.iso_code",
            "event_regions s JOIN events e ON e.id = s.event_id",
            "s.event_id",
            "s.date_lo",
        ),
        (
            "'c:' || s.country",
            "event_countries s JOIN events e ON e.id = s.event_id",
            "s.event_id",
            "s.date_lo",
        ),
    ];
    let mut tx = conn.begin().await?;
    sqlx::query("DELETE FROM facet_counts")
        .execute(&mut *tx)
        .await?;
    for (scope, from, id, day) in scopes {
        for (facet, join, key) in [
            (
                "region",
                "JOIN event_regions f ON f.event_id = {id}",
                "f.iso_code",
            ),
            (
                "country",
                "JOIN event_countries f ON f.event_id = {id}",
                "f.country",
            ),
            (
                "actor",
                "JOIN event_actors f ON f.event_id = {id}",
                "f.actor",
            ),
            ("type", "", "e.event_type"),
            ("day", "", day),
        ] {
            let join = join.replace("{id}", id);
            // PostgreSQL refuses a constant in GROUP BY: the overall scope groups by key.
            let group = if scope == "''" {
                key.to_string()
            } else {
                format!("{scope}, {key}")
            };
            // Table and column names from the fixed lists above; no value is inlined.
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO facet_counts (scope, facet, key, n) \
                 SELECT {scope}, '{facet}', {key}, COUNT(*) FROM {from} {join} \
                 WHERE {} GROUP BY {group}",
                visible(id)
            )))
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query("UPDATE facet_counts_state SET fresh = 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `facet_counts` agrees with the events.
pub async fn fresh(conn: &mut sqlx::AnyConnection) -> Result<bool, StoreError> {
    let f: i64 = sqlx::query_scalar("SELECT fresh FROM facet_counts_state WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(f == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_months_and_years_sum_days() {
        let rows = vec![
            Count {
                key: "2024-08-06".into(),
                count: 2,
            },
            Count {
                key: "2024-08-05".into(),
                count: 1,
            },
            Count {
                key: "2024-08-12".into(),
                count: 4,
            },
        ];
        let keys = |f| {
            finish(rows.clone(), f)
                .into_iter()
                .map(|c| (c.key, c.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(Facet::Week),
            [("2024-08-05".to_string(), 3), ("2024-08-12".to_string(), 4)]
        );
        assert_eq!(keys(Facet::Month), [("2024-08".to_string(), 7)]);
        assert_eq!(keys(Facet::Year), [("2024".to_string(), 7)]);
    }

    #[test]
    fn only_a_plain_scope_is_answered_from_kept_counts() {
        let q = |f: fn(&mut EventQuery)| {
            let mut q = EventQuery::default();
            f(&mut q);
            read_sql(&q, Facet::Type).is_some()
        };
        assert!(q(|_| ()));
        assert!(q(|q| q.regions = vec!["RU-KRS".into()]));
        assert!(q(|q| q.countries = vec!["UA".into()]));
        assert!(!q(|q| q.regions = vec!["RU-KRS".into(), "RU-BEL".into()]));
        assert!(!q(|q| {
            q.regions = vec!["RU-KRS".into()];
            q.countries = vec!["RU".into()];
        }));
        assert!(!q(|q| q.q = vec!["drone".into()]));
        assert!(!q(|q| q.from = Some(jiff::civil::date(2024, 1, 1))));
    }
}
