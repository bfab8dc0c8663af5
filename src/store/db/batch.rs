//! A batch of articles written in a few statements (issue 19 target 5).
//!
//! `ingest_in` writes an article as it decides it: per event a query for the merge
//! candidates, then an insert or a merge, each a round trip (about 7 statements per
//! article on PostgreSQL, whose backend then spends its time starting and finishing
//! small statements). Here the whole batch is decided first and written after:
//!
//! 1. the articles, one multi-row insert (a duplicate writes nothing, as before);
//! 2. PostgreSQL: every merge lock the batch needs, in one statement, in key order;
//! 3. the merge candidates of every event of the batch in one statement
//!    ([`batch_candidates`]: the rows [`merge_candidates`] gives each event), against the
//!    store as it was before the batch;
//! 4. each event decided in the batch's order, exactly as `ingest_in` decides it: the
//!    stored candidates together with the events this batch adds before it (what
//!    `ingest_in` would read back from the tables), ranked and checked the same way;
//! 5. the writes, a multi-row statement per table: the new events (each with its doc
//!    as the batch's later merges leave it) and their links; every source, the new
//!    events' and the merges', at the positions `ingest_in` gives them; the merged docs;
//!    the full text.
//!
//! What a merge changes (a doc's sources) is never what a later candidate query
//! selects on (type, dates, links), so deciding against the store as it was before the
//! batch plus the batch's own new events gives the rows `ingest_in` gives. Whatever this
//! path does not handle (a pre-0008 doc, an event with more rows than one insert takes,
//! an id taken twice) makes it give up before committing; the caller then writes the
//! batch the old way.

use std::collections::HashMap;

use super::*;

/// Bound values per statement this path builds, by backend: sqlx's SQLite driver finds
/// each placeholder by a walk over the names (see [`SCRIPT_VALUES`]); PostgreSQL takes up
/// to 65,535 per statement and pays per statement, not per value.
fn values_per_statement(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 256,
        Backend::Postgres => 8_000,
    }
}

/// One event of the batch, as decided.
struct Planned<'a> {
    /// Index of its article in the batch.
    article: usize,
    ev: &'a Event,
    interval: EventDate,
    lo: String,
    hi: String,
    reach: String,
}

/// An event the batch adds.
struct Fresh<'a> {
    ev: &'a Event,
    lo: String,
    hi: String,
    created: String,
    updated: String,
    /// Its doc, as the batch's merges into it leave it.
    doc: String,
}

/// A stored event as one candidate row read it (dates parsed only if it is looked at,
/// as in `ingest_in`).
struct Stored {
    id: String,
    doc: String,
    created: String,
    rank: i32,
    dates: [Option<String>; 4],
    extracted_precision: Option<String>,
}

impl Stored {
    /// Its interval as it is (precision from its doc) and as it was extracted.
    fn intervals(&self, precision: crate::domain::Precision) -> Result<Vec<EventDate>, StoreError> {
        let date = |i: usize| -> Result<Option<jiff::civil::Date>, StoreError> {
            let Some(d) = &self.dates[i] else {
                return Ok(None);
            };
            d.parse()
                .map(Some)
                .map_err(|err| StoreError::Corrupt(format!("date {d:?}: {err}")))
        };
        let mut intervals = Vec::with_capacity(2);
        if let (Some(start), Some(end)) = (date(0)?, date(1)?) {
            intervals.push(EventDate {
                start,
                end,
                precision,
            });
        }
        if let (Some(start), Some(end), Some(p)) =
            (date(2)?, date(3)?, self.extracted_precision.as_deref())
        {
            intervals.push(EventDate {
                start,
                end,
                precision: precision_of(p)?,
            });
        }
        Ok(intervals)
    }
}

/// Rows of `event_sources` for `event`, all at `position` or (`None`) the `i`th at `i`.
struct SourceRows<'a> {
    event: String,
    position: Option<i64>,
    sources: &'a [Source],
}

/// The rows `sources` put in `event_sources` (its key: article and evidence start).
fn distinct_rows(sources: &[Source]) -> i64 {
    let mut keys: Vec<(&str, usize)> = sources
        .iter()
        .map(|s| (s.article_id.as_str(), s.evidence.start))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len() as i64
}

/// Multi-row `head VALUES (…), (…) tail` statements of `rows`, each within `limit`
/// bound values, added to `script`.
fn add_rows(script: &mut Script, limit: usize, head: &str, tail: &str, rows: Vec<Vec<Bind>>) {
    add_rows_shaped(script, limit, head, tail, rows, |ph| ph.to_vec());
}

/// [`add_rows`], each row's placeholders written as `shape` places them among literals.
fn add_rows_shaped(
    script: &mut Script,
    limit: usize,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Bind>>,
    shape: impl Fn(&[String]) -> Vec<String>,
) {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        script.add(|sql| {
            let mut out = Vec::new();
            let mut n = 0;
            while let Some(row) = rows.peek() {
                if !out.is_empty() && n + row.len() > limit {
                    break;
                }
                let Some(row) = rows.next() else { break };
                n += row.len();
                let ph: Vec<String> = row.into_iter().map(|b| sql.bind(b)).collect();
                out.push(format!("({})", shape(&ph).join(", ")));
            }
            format!("{head} VALUES {}{tail}", out.join(", "))
        });
    }
}

fn happening_of(ev: &Event) -> Happening {
    Happening {
        id: ev.id.clone(),
        event_type: ev.event_type.clone(),
        date_precision: ev.date_precision,
        regions: ev
            .regions
            .iter()
            .map(|r| IsoCode {
                iso_code: r.iso_code.clone(),
            })
            .collect(),
        countries: ev.countries.clone(),
        actors: ev
            .actors
            .iter()
            .map(|a| Slug {
                slug: a.slug.clone(),
            })
            .collect(),
    }
}

/// Is `stored`, an event of this batch, a row [`merge_candidates`] gives for `p` (type,
/// the window, the place as the link tables hold it)? Its rank, if so.
fn batch_candidate(stored: &Fresh<'_>, p: &Planned<'_>) -> Option<i32> {
    let (s, ev) = (stored.ev, p.ev);
    if s.event_type != ev.event_type || stored.lo < p.reach || stored.lo > p.hi || stored.hi < p.lo
    {
        return None;
    }
    let shared_region = ev
        .regions
        .iter()
        .any(|r| s.regions.iter().any(|x| x.iso_code == r.iso_code));
    let place = if !ev.regions.is_empty() {
        shared_region
    } else {
        s.regions.is_empty()
            && (ev.countries.iter().any(|c| s.countries.contains(c))
                || ev
                    .actors
                    .iter()
                    .any(|a| s.actors.iter().any(|x| x.slug == a.slug)))
    };
    place.then_some(if stored.lo == p.lo && stored.hi == p.hi {
        0
    } else {
        1
    })
}

/// A report of a batch whose stored merge candidates are read, with the window its
/// candidates' intervals must start in ([`reach`, `hi`]) and reach (`lo`).
pub struct Report<'a> {
    pub place: Place<'a>,
    pub reach: &'a str,
    pub lo: &'a str,
    pub hi: &'a str,
}

/// The stored merge candidates of every report of a batch in one statement whose text
/// is always the same (prepared once, planned once): the reports go in as one JSON
/// value, each row comes out with `q`, the index of its report in `reports`. The rows
/// are those [`merge_candidates`] gives for each report: its type; an interval, as it is
/// or as extracted, that starts in [reach, hi] and ends on or after lo; a shared region
/// when the report names regions, else no region and a shared country or actor. None
/// when no report names a place.
pub fn batch_candidates(backend: Backend, reports: &[Report<'_>]) -> Option<Sql> {
    let events: Vec<serde_json::Value> = reports
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let p = &r.place;
            !(p.regions.is_empty() && p.countries.is_empty() && p.actors.is_empty())
        })
        .map(|(i, r)| {
            serde_json::json!({
                "i": i,
                "kind": r.place.event_type,
                "reach": r.reach,
                "lo": r.lo,
                "hi": r.hi,
                "regions": r.place.regions,
                "countries": r.place.countries,
                "actors": r.place.actors,
            })
        })
        .collect();
    if events.is_empty() {
        return None;
    }
    let mut sql = Sql::default();
    let json = sql.bind(Bind::Text(serde_json::Value::Array(events).to_string()));
    let half = |from: &str, lo: &str, hi: &str, place: &str, join: &str| {
        format!(
            "SELECT q.i AS q, e.id, e.doc, e.doc_sources, e.date_lo, e.date_hi, e.extracted_lo, \
             e.extracted_hi, e.extracted_precision, e.created_at, \
             CASE WHEN e.{lo} = q.lo AND e.{hi} = q.hi THEN 0 ELSE 1 END AS rank \
             FROM {from} {join} events e WHERE e.event_type = q.kind AND e.{lo} >= q.reach \
             AND e.{lo} <= q.hi AND e.{hi} >= q.lo AND {place}"
        )
    };
    // SQLite reads the reports once into a table of their own (`MATERIALIZED`): a
    // subquery in FROM would be flattened, and each probe would read its fields out of
    // the batch's JSON again.
    let with = match backend {
        Backend::Sqlite => format!(
            "WITH q AS MATERIALIZED (SELECT json_extract(value, '$.i') AS i, json_extract(value, '$.kind') AS kind, \
             json_extract(value, '$.reach') AS reach, json_extract(value, '$.lo') AS lo, \
             json_extract(value, '$.hi') AS hi, json_extract(value, '$.regions') AS regions, \
             json_extract(value, '$.countries') AS countries, json_extract(value, '$.actors') AS actors \
             FROM json_each({json})) "
        ),
        Backend::Postgres => String::new(),
    };
    let (from, join, place) = match backend {
        Backend::Postgres => (
            format!(
                "jsonb_to_recordset({json}::jsonb) AS q (i BIGINT, kind TEXT, reach TEXT, lo TEXT, hi TEXT, \
                 regions TEXT[], countries TEXT[], actors TEXT[])"
            ),
            "CROSS JOIN",
            "CASE WHEN cardinality(q.regions) > 0 \
             THEN EXISTS (SELECT 1 FROM event_regions p WHERE p.event_id = e.id AND p.iso_code = ANY (q.regions)) \
             ELSE NOT EXISTS (SELECT 1 FROM event_regions p WHERE p.event_id = e.id) \
             AND (EXISTS (SELECT 1 FROM event_countries p WHERE p.event_id = e.id AND p.country = ANY (q.countries)) \
             OR EXISTS (SELECT 1 FROM event_actors p WHERE p.event_id = e.id AND p.actor = ANY (q.actors))) END"
                .to_string(),
        ),
        Backend::Sqlite => (
            "q".to_string(),
            // CROSS JOIN: SQLite keeps the reports as the outer loop.
            "CROSS JOIN",
            "CASE WHEN json_array_length(q.regions) > 0 \
             THEN EXISTS (SELECT 1 FROM event_regions p WHERE p.event_id = e.id AND p.iso_code IN (SELECT value FROM json_each(q.regions))) \
             ELSE NOT EXISTS (SELECT 1 FROM event_regions p WHERE p.event_id = e.id) \
             AND (EXISTS (SELECT 1 FROM event_countries p WHERE p.event_id = e.id AND p.country IN (SELECT value FROM json_each(q.countries))) \
             OR EXISTS (SELECT 1 FROM event_actors p WHERE p.event_id = e.id AND p.actor IN (SELECT value FROM json_each(q.actors)))) END"
                .to_string(),
        ),
    };
    sql.text = format!(
        "{with}{} UNION ALL {}",
        half(&from, "date_lo", "date_hi", &place, join),
        half(&from, "extracted_lo", "extracted_hi", &place, join)
    );
    Some(sql)
}

fn stored_from_row(r: &AnyRow) -> Result<Stored, StoreError> {
    let text = |c: &str| -> Result<Option<String>, StoreError> { Ok(r.try_get(c)?) };
    Ok(Stored {
        id: r.try_get("id")?,
        doc: r.try_get("doc")?,
        created: r.try_get("created_at")?,
        rank: r.try_get("rank")?,
        dates: [
            text("date_lo")?,
            text("date_hi")?,
            text("extracted_lo")?,
            text("extracted_hi")?,
        ],
        extracted_precision: text("extracted_precision")?,
    })
}

impl SqlStore {
    /// Writes `xs` in `tx` as described in the module's comment. `Ok(None)`: the batch
    /// has something this path leaves to `ingest_in`; the caller rolls `tx` back.
    pub(super) async fn ingest_planned(
        &self,
        tx: &mut Tx<'_>,
        xs: &[&Extraction],
        touched: &mut Touched,
    ) -> Result<Option<Vec<IngestOutcome>>, StoreError> {
        let limit = values_per_statement(self.backend);
        // Shapes left to `ingest_in`: a date that does not parse fails its article
        // there, alone; more rows than one insert takes go in several statements there.
        for x in xs {
            for ev in &x.events {
                let links = ev
                    .regions
                    .len()
                    .max(ev.countries.len())
                    .max(ev.actors.len());
                if EventDate::of_event(ev).is_none()
                    || links > ROWS_PER_INSERT
                    || ev.sources.len() > ROWS_PER_INSERT
                {
                    return Ok(None);
                }
            }
        }

        // 1. The articles. Writing first takes SQLite's write lock at once, and on
        // PostgreSQL a concurrent insert of the same article waits here and then finds
        // the conflict. A row the insert does not return is a duplicate (of a stored
        // article or of an earlier one in this batch: rows go in in order, so of two
        // alike the first is the one returned).
        let stamps: Vec<String> = xs.iter().map(|_| now()).collect();
        let mut returned: Vec<(String, String, Option<String>)> = Vec::new();
        {
            let mut script = Script::with_limit(self.backend, 0);
            let rows = xs
                .iter()
                .zip(&stamps)
                .map(|(x, ts)| {
                    vec![
                        Bind::Text(x.article_id.clone()),
                        Bind::OptText(x.url.clone()),
                        Bind::Text(x.content_hash.clone()),
                        Bind::OptText(x.title.clone()),
                        Bind::OptText(x.publisher.clone()),
                        Bind::OptText(x.published.clone()),
                        Bind::Text(x.language.clone()),
                        Bind::Text(x.text.clone()),
                        Bind::Text(ts.clone()),
                    ]
                })
                .collect();
            add_rows(
                &mut script,
                limit,
                "INSERT INTO articles (id, url, content_hash, title, publisher, published_at, language, text, ingested_at)",
                " ON CONFLICT DO NOTHING RETURNING id, content_hash, url",
                rows,
            );
            script.cut();
            for s in &script.ready {
                for r in query_with(s).fetch_all(&mut **tx).await? {
                    returned.push((
                        r.try_get("id")?,
                        r.try_get("content_hash")?,
                        r.try_get("url")?,
                    ));
                }
            }
        }
        let mut fresh_article = vec![false; xs.len()];
        for (i, x) in xs.iter().enumerate() {
            let row = |r: &(String, String, Option<String>)| {
                r.0 == x.article_id && r.1 == x.content_hash && r.2 == x.url
            };
            if let Some(at) = returned.iter().position(row) {
                returned.swap_remove(at);
                fresh_article[i] = true;
            }
        }

        // The events to decide, in order.
        let mut plan: Vec<Planned<'_>> = Vec::new();
        for (i, x) in xs.iter().enumerate() {
            if !fresh_article[i] {
                continue;
            }
            let published = x.published.as_deref().and_then(|p| p.parse().ok());
            for ev in &x.events {
                let Some(interval) = EventDate::of_event(ev) else {
                    return Ok(None);
                };
                if let Some(why) = crate::pipeline::events::implausible_date(ev, published) {
                    tracing::warn!(event.id = %ev.id, article.id = %x.article_id, "event not stored: {why}");
                    continue;
                }
                let reach = interval
                    .start
                    .checked_sub(jiff::Span::new().days(MERGE_REACH_DAYS))
                    .unwrap_or(interval.start)
                    .to_string();
                plan.push(Planned {
                    article: i,
                    ev,
                    lo: interval.start.to_string(),
                    hi: interval.end.to_string(),
                    interval,
                    reach,
                });
            }
        }

        // 2. PostgreSQL: the merge locks (see `ingest_in`), every type at once, in key
        // order, before any candidate is read.
        if self.backend == Backend::Postgres {
            let mut kinds: Vec<&str> = plan.iter().map(|p| p.ev.event_type.as_str()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let kinds: Vec<&str> = kinds
                .into_iter()
                .filter(|k| touched.lock_merges(k, &Touched::default()))
                .collect();
            if !kinds.is_empty() {
                let mut sql = Sql::default();
                let v: Vec<String> = kinds
                    .iter()
                    .map(|k| format!("({})", sql.bind(Bind::Text(format!("merge|{k}")))))
                    .collect();
                // And no JIT for the rest of the transaction: the candidates' estimate
                // (a hundred reports assumed, each probing the interval index) passes
                // `jit_above_cost` on a large store, and compiling would cost more than
                // the query (set here, in a statement the batch sends anyway).
                sql.text = format!(
                    "SELECT set_config('jit', 'off', true), pg_advisory_xact_lock(hashtext(k)) \
                     FROM (VALUES {}) AS t (k)",
                    v.join(", ")
                );
                query_with(&sql).execute(&mut **tx).await?;
            }
        }

        // 3. The stored candidates of every event, by the event's index in `plan`.
        let mut stored: Vec<Vec<Stored>> = (0..plan.len()).map(|_| Vec::new()).collect();
        {
            let reports: Vec<Report<'_>> = plan
                .iter()
                .map(|p| Report {
                    place: Place::of(p.ev),
                    reach: &p.reach,
                    lo: &p.lo,
                    hi: &p.hi,
                })
                .collect();
            let queries: Vec<Sql> = batch_candidates(self.backend, &reports)
                .into_iter()
                .collect();
            for q in &queries {
                for r in query_with(q).fetch_all(&mut **tx).await? {
                    let i: i64 = r.try_get("q")?;
                    let slot = usize::try_from(i)
                        .ok()
                        .and_then(|i| stored.get_mut(i))
                        .ok_or_else(|| StoreError::Corrupt(format!("candidate of {i}")))?;
                    slot.push(stored_from_row(&r)?);
                }
            }
        }

        // 4. Decide, in order.
        let mut outcomes: Vec<IngestOutcome> = xs
            .iter()
            .map(|x| IngestOutcome {
                article_id: x.article_id.clone(),
                duplicate: false,
                added: vec![],
                merged: vec![],
            })
            .collect();
        let mut fresh: Vec<Fresh<'_>> = Vec::new();
        let mut fresh_ids: HashMap<&str, usize> = HashMap::new();
        // Merges, in order: (the event merged into, the merging report's index in
        // `plan`, its article's stamp); and the stored docs merged into, as read.
        let mut merges: Vec<(String, usize, String)> = Vec::new();
        let mut stored_targets: Vec<&str> = Vec::new();
        for (pi, p) in plan.iter().enumerate() {
            let ev = p.ev;
            // (rank, created, id) → a stored row, or an event of this batch.
            enum Cand<'s> {
                Stored(&'s Stored),
                Batch(usize),
            }
            let mut keyed: Vec<((i32, &str, &str), Cand<'_>)> = stored[pi]
                .iter()
                .map(|s| ((s.rank, s.created.as_str(), s.id.as_str()), Cand::Stored(s)))
                .collect();
            for (fi, f) in fresh.iter().enumerate() {
                if let Some(rank) = batch_candidate(f, p) {
                    keyed.push((
                        (rank, f.created.as_str(), f.ev.id.as_str()),
                        Cand::Batch(fi),
                    ));
                }
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            let mut target: Option<(Happening, Option<&Stored>)> = None;
            for (_, c) in keyed {
                match c {
                    Cand::Stored(s) => {
                        let other: Happening = serde_json::from_str(&s.doc)
                            .map_err(|err| StoreError::Corrupt(format!("event doc: {err}")))?;
                        let intervals = s.intervals(other.date_precision)?;
                        if intervals.iter().any(|stored| {
                            same_time(stored, &p.interval)
                                && other.same_happening_as(ev, stored.precision)
                        }) {
                            target = Some((other, Some(s)));
                            break;
                        }
                    }
                    Cand::Batch(fi) => {
                        let f = &fresh[fi];
                        let other = happening_of(f.ev);
                        let own = EventDate {
                            start: f.lo.parse().map_err(|err| {
                                StoreError::Corrupt(format!("date_lo {:?}: {err}", f.lo))
                            })?,
                            end: f.hi.parse().map_err(|err| {
                                StoreError::Corrupt(format!("date_hi {:?}: {err}", f.hi))
                            })?,
                            precision: other.date_precision,
                        };
                        if same_time(&own, &p.interval)
                            && other.same_happening_as(ev, own.precision)
                        {
                            target = Some((other, None));
                            break;
                        }
                    }
                }
            }
            let out = &mut outcomes[p.article];
            let Some((other, row)) = target else {
                // An id the article gave an event already written is taken (as in
                // `ingest_in`); an id another article of the batch took, or the store
                // holds, is left to `ingest_in` (it fails there, or is skipped).
                if out.added.contains(&ev.id) {
                    continue;
                }
                if fresh_ids.contains_key(ev.id.as_str()) {
                    return Ok(None);
                }
                fresh_ids.insert(&ev.id, fresh.len());
                let ts = &stamps[p.article];
                fresh.push(Fresh {
                    ev,
                    lo: p.lo.clone(),
                    hi: p.hi.clone(),
                    created: ts.clone(),
                    updated: ts.clone(),
                    doc: event_doc(ev)?,
                });
                touched.count(ev, &p.lo, 1);
                out.added.push(ev.id.clone());
                continue;
            };
            touched.touch(
                other.regions.iter().map(|r| r.iso_code.as_str()),
                other.countries.iter().map(String::as_str),
            );
            if let Some(s) = row {
                stored_targets.push(&s.id);
            }
            merges.push((other.id.clone(), pi, stamps[p.article].clone()));
            if !out.merged.contains(&other.id) {
                out.merged.push(other.id);
            }
        }

        // Duplicates: the stored article they repeat.
        for (i, x) in xs.iter().enumerate() {
            if fresh_article[i] {
                continue;
            }
            let existing = stored_article_id(tx, x).await?;
            outcomes[i] = IngestOutcome {
                article_id: existing.unwrap_or_else(|| x.article_id.clone()),
                duplicate: true,
                added: vec![],
                merged: vec![],
            };
        }

        // The stored events merged into, with the rows of `event_sources` they hold (a
        // merge's sources go after them). PostgreSQL locks them as it reads them (an
        // edit in another transaction is waited for, then read, not written over);
        // SQLite's writer has held the database since the articles went in.
        stored_targets.sort_unstable();
        stored_targets.dedup();
        let mut docs: HashMap<String, String> = HashMap::new();
        let mut rows_of: HashMap<String, i64> = HashMap::new();
        for chunk in stored_targets.chunks(limit) {
            let mut sql = Sql::default();
            let ids: Vec<String> = chunk
                .iter()
                .map(|id| sql.bind(Bind::Text((*id).to_string())))
                .collect();
            let lock = if self.backend == Backend::Postgres {
                " FOR UPDATE"
            } else {
                ""
            };
            sql.text = format!(
                "SELECT e.id, e.doc, e.doc_sources, (SELECT COUNT(*) FROM event_sources s WHERE s.event_id = e.id) AS n \
                 FROM events e WHERE e.id IN ({}) ORDER BY e.id{lock}",
                ids.join(", ")
            );
            if self.backend == Backend::Sqlite {
                sql = sql.positional();
            }
            for r in query_with(&sql).fetch_all(&mut **tx).await? {
                // A doc from before migration 0008 reads its sources from the table:
                // left to `ingest_in`.
                if r.try_get::<i64, _>("doc_sources")? != 1 {
                    return Ok(None);
                }
                let id: String = r.try_get("id")?;
                rows_of.insert(id.clone(), r.try_get("n")?);
                docs.insert(id, r.try_get("doc")?);
            }
        }
        for f in &fresh {
            rows_of.insert(f.ev.id.clone(), distinct_rows(&f.ev.sources));
        }

        // The merges, in order: each target's doc with the new sources, and the rows
        // they add, after those it holds (its own and the batch's earlier merges').
        let mut updated: HashMap<String, String> = HashMap::new();
        let mut source_rows: Vec<SourceRows<'_>> = Vec::new();
        // Full text, in the order `ingest_in` writes it: each event's own sources when it
        // is added, each merge's when it merges.
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut merge_at = merges.iter().peekable();
        for (pi, p) in plan.iter().enumerate() {
            if let Some(&fi) = fresh_ids.get(p.ev.id.as_str())
                && std::ptr::eq(fresh[fi].ev, p.ev)
            {
                for s in &p.ev.sources {
                    texts.push((p.ev.id.clone(), fold(&text_body(&p.ev.title, s))));
                }
                source_rows.push(SourceRows {
                    event: p.ev.id.clone(),
                    position: None,
                    sources: &p.ev.sources,
                });
            }
            let Some((target, _, ts)) = merge_at.next_if(|m| m.1 == pi) else {
                continue;
            };
            let doc = match fresh_ids.get(target.as_str()) {
                Some(&fi) => &mut fresh[fi].doc,
                None => docs
                    .get_mut(target)
                    .ok_or_else(|| StoreError::Corrupt(format!("merge into {target}")))?,
            };
            let mut e = event_from_row(doc, "extracted", String::new(), String::new())?;
            let before = e.sources.len();
            e.sources = merged_sources(std::mem::take(&mut e.sources), &p.ev.sources);
            let added = (e.sources.len() - before) as i64;
            *doc = event_doc(&e)?;
            let held = rows_of
                .get_mut(target)
                .ok_or_else(|| StoreError::Corrupt(format!("merge into {target}")))?;
            source_rows.push(SourceRows {
                event: target.clone(),
                position: Some(*held),
                sources: &p.ev.sources,
            });
            *held += added;
            match fresh_ids.get(target.as_str()) {
                Some(&fi) => fresh[fi].updated = ts.clone(),
                None => {
                    updated.insert(target.clone(), ts.clone());
                }
            }
            for s in &p.ev.sources {
                texts.push((target.clone(), fold(&text_body(&p.ev.title, s))));
            }
        }

        // PostgreSQL: each event's word signature (migration 0018) from the texts the
        // batch writes for it: a new event's links are written with it, a stored
        // event's links have the words of its merges OR-ed in.
        let mut words: HashMap<&str, Signature> = HashMap::new();
        if self.backend == Backend::Postgres {
            for (id, body) in &texts {
                let w = words.entry(id.as_str()).or_insert([0; 5]);
                *w = words::or(*w, words::signature([body.as_str()]));
            }
        }

        // 5. The writes.
        let mut script = Script::with_limit(self.backend, limit);
        if !fresh.is_empty() {
            // SQLite: `seq` as the `events_seq` trigger would number the events one by
            // one (see `insert_event`).
            let seq = if self.backend == Backend::Sqlite {
                let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
                    .fetch_one(&mut **tx)
                    .await?;
                Some(max)
            } else {
                None
            };
            let rows = fresh
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    let mut row = vec![
                        Bind::Text(f.ev.id.clone()),
                        Bind::Text(f.lo.clone()),
                        Bind::Text(f.hi.clone()),
                        Bind::Text(f.ev.event_type.clone()),
                        Bind::Real(f.ev.confidence),
                        Bind::Text(f.doc.clone()),
                        Bind::Text(f.created.clone()),
                        Bind::Text(f.updated.clone()),
                    ];
                    if let Some(base) = seq {
                        row.push(Bind::Int(base + 1 + k as i64));
                    }
                    row
                })
                .collect();
            // No `ON CONFLICT`: an id the store holds fails the batch, which is then
            // written by `ingest_in` (which skips or fails that article alone).
            let seq_col = if seq.is_some() { ", seq" } else { "" };
            add_rows_shaped(
                &mut script,
                limit,
                &format!(
                    "INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, doc_sources, created_at, updated_at{seq_col})"
                ),
                "",
                rows,
                |ph| {
                    // id, lo, hi, type, confidence, then the literal status, the doc, the
                    // marker that it holds its sources, the stamps (and seq).
                    let mut v: Vec<String> = ph[..5].to_vec();
                    v.push("'extracted'".into());
                    v.push(ph[5].clone());
                    v.push("1".into());
                    v.extend(ph[6..].iter().cloned());
                    v
                },
            );
            for (table, col) in [
                ("event_regions", "iso_code"),
                ("event_countries", "country"),
                ("event_actors", "actor"),
            ] {
                let mut rows = Vec::new();
                for f in &fresh {
                    let keys: Vec<(String, Option<String>)> = match table {
                        "event_regions" => {
                            f.ev.regions
                                .iter()
                                .map(|r| (r.iso_code.clone(), None))
                                .collect()
                        }
                        "event_countries" => {
                            f.ev.countries.iter().map(|c| (c.clone(), None)).collect()
                        }
                        _ => {
                            f.ev.actors
                                .iter()
                                .map(|a| (a.slug.clone(), Some(a.role.clone())))
                                .collect()
                        }
                    };
                    let w = (self.backend == Backend::Postgres)
                        .then(|| words.get(f.ev.id.as_str()).copied().unwrap_or([0; 5]));
                    for (key, role) in keys {
                        let mut row = vec![
                            Bind::Text(key),
                            Bind::Text(f.lo.clone()),
                            Bind::Text(f.hi.clone()),
                            Bind::Text(f.ev.id.clone()),
                        ];
                        if let Some(r) = role {
                            row.push(Bind::Text(r));
                        }
                        if let Some(w) = w {
                            row.extend(w.map(Bind::Int));
                        }
                        rows.push(row);
                    }
                }
                let role = if table == "event_actors" {
                    ", role"
                } else {
                    ""
                };
                let w = if self.backend == Backend::Postgres {
                    ", w0, w1, w2, w3, w4"
                } else {
                    ""
                };
                add_rows(
                    &mut script,
                    limit,
                    &format!("INSERT INTO {table} ({col}, date_lo, date_hi, event_id{role}{w})"),
                    " ON CONFLICT DO NOTHING",
                    rows,
                );
            }
        }
        // Every source, in the order `ingest_in` writes them (of two with one key the
        // first stays). PostgreSQL: a statement per chunk, so that a later chunk's
        // conflict with an earlier one's row is seen (the `WITH`s of one statement do
        // not see each other's rows).
        let rows: Vec<Vec<Bind>> = source_rows
            .iter()
            .flat_map(|m| {
                m.sources.iter().enumerate().map(|(i, s)| {
                    std::iter::once(Bind::Text(m.event.clone()))
                        .chain(source_binds(s, m.position.unwrap_or(i as i64)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut chunk = Vec::new();
            let mut n = 0;
            while let Some(r) = rows.next_if(|r| chunk.is_empty() || n + r.len() <= limit) {
                n += r.len();
                chunk.push(r);
            }
            add_rows(
                &mut script,
                limit,
                "INSERT INTO event_sources (event_id, article_id, position, url, title, publisher, published_at, evidence_text, evidence_start, evidence_end)",
                " ON CONFLICT DO NOTHING",
                chunk,
            );
            if self.backend == Backend::Postgres {
                script.cut();
            }
        }
        if !updated.is_empty() {
            let mut ids: Vec<&String> = updated.keys().collect();
            ids.sort_unstable();
            let rows = ids
                .iter()
                .map(|id| {
                    vec![
                        Bind::Text((*id).clone()),
                        Bind::Text(docs.get(*id).cloned().unwrap_or_default()),
                        Bind::Text(updated.get(*id).cloned().unwrap_or_default()),
                    ]
                })
                .collect();
            add_rows(
                &mut script,
                limit,
                "UPDATE events SET doc = v.column2, doc_sources = 1, updated_at = v.column3 FROM (",
                ") AS v WHERE events.id = v.column1",
                rows,
            );
        }
        // PostgreSQL: the merges' words into their stored events' links.
        if self.backend == Backend::Postgres && !updated.is_empty() {
            let mut ids: Vec<&String> = updated.keys().collect();
            ids.sort_unstable();
            let rows: Vec<(String, Signature)> = ids
                .into_iter()
                .filter_map(|id| words.get(id.as_str()).map(|w| (id.clone(), *w)))
                .collect();
            or_link_words(&mut script, &rows);
        }
        // Full text: SQLite's waits for the commit (`Touched::defer_text`).
        if self.backend == Backend::Sqlite {
            for (id, body) in texts {
                touched.defer_text(&id, body);
            }
        } else if !texts.is_empty() {
            let rows = texts
                .into_iter()
                .map(|(id, body)| vec![Bind::Text(id), Bind::Text(body)])
                .collect();
            add_rows(
                &mut script,
                limit,
                "INSERT INTO event_text (event_id, body)",
                "",
                rows,
            );
        }
        script.run(tx).await?;
        Ok(Some(outcomes))
    }
}
