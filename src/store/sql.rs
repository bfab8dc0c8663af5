//! SQL shared by the backends: the `GET /events` query, built from validated filters
//! with `$n` placeholders (valid in SQLite and PostgreSQL) and bound values only:
//! user input never becomes SQL text.

use super::EventQuery;

#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
    /// Text or NULL.
    OptText(Option<String>),
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    /// Adds a bound value and returns its placeholder.
    pub fn bind(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    /// The same statement for SQLite with anonymous `?` placeholders, its values in the
    /// order the placeholders appear (a `$n` used twice binds its value twice). sqlx's
    /// SQLite driver asks SQLite the name of every placeholder it binds, and SQLite finds
    /// a name by a walk over the statement's names, so a statement of 256 values made
    /// 33,000 steps (3 % of a bulk ingest's CPU); an anonymous placeholder has no name.
    /// `$n` inside a quoted literal or identifier, or a comment, is left as it is; a
    /// placeholder numbered beyond the values leaves the statement unchanged.
    pub fn positional(&self) -> Sql {
        let b = self.text.as_bytes();
        let mut text = String::with_capacity(self.text.len());
        let mut binds = Vec::with_capacity(self.binds.len());
        let mut i = 0;
        let mut from = 0;
        while i < b.len() {
            match b[i] {
                q @ (b'\'' | b'"') => {
                    // A doubled quote inside closes and reopens: the same as skipping both.
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'$' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                    let start = i;
                    i += 1;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    let n: Option<usize> = self.text[start + 1..i].parse().ok();
                    let Some(v) = n
                        .and_then(|n| n.checked_sub(1))
                        .and_then(|n| self.binds.get(n))
                    else {
                        return self.clone();
                    };
                    text.push_str(&self.text[from..start]);
                    text.push('?');
                    binds.push(v.clone());
                    from = i;
                }
                _ => i += 1,
            }
        }
        text.push_str(&self.text[from.min(self.text.len())..]);
        Sql { text, binds }
    }

    fn list(&mut self, values: &[String]) -> String {
        values
            .iter()
            .map(|v| self.bind(Bind::Text(v.clone())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The columns every event read selects, in this order.
pub const EVENT_COLUMNS: &str = "e.id, e.doc, e.doc_sources, e.status, e.created_at, e.updated_at";

/// `fts` turns the query words into a condition on `e` for the backend's full-text index.
/// `date_join`: join a link row's event on its date too (SQLite, whose plan then reads
/// the event through `events_by_date`). Not on PostgreSQL: its planner takes the two
/// join conditions as independent, estimates a region's page at a handful of rows, and
/// sorts every match of the region instead of reading the link index in order (at 1M
/// events: 250 ms a page instead of 7 ms).
pub fn list_events(
    q: &EventQuery,
    date_join: bool,
    fts: impl Fn(&mut Sql, &[String]) -> String,
) -> Sql {
    let mut sql = Sql::default();
    // One region, country or actor (the usual request) drives the query from its link
    // table, whose key (code, date_lo, event_id) holds that code's events in page order:
    // a page is an index range from the cursor on, not a sort of every match. The link
    // row carries its event's date_lo, so the order is the same.
    let (link, rest) = Link::driver(q, &mut sql);
    let (from, mut conds, key) = match link {
        Some(l) => {
            let mut conds = l.conds;
            if date_join {
                conds.push("e.date_lo = l.date_lo".into());
            }
            // SQLite: `CROSS JOIN` keeps the link's range first. Left to itself, SQLite
            // starts a country + type page from the type's index and sorts every event
            // of the type (issue 19: 2.8 s at 1M events); `list_sql` drives from the
            // type instead only when the type has fewer events than the place.
            let join = if date_join { "CROSS JOIN" } else { "JOIN" };
            (
                format!("{} l {join} events e ON e.id = l.event_id", l.table),
                conds,
                ("l.date_lo", "l.event_id"),
            )
        }
        None => ("events e".to_string(), Vec::new(), ("e.date_lo", "e.id")),
    };
    conds.push("e.status <> 'hidden'".into());
    conds.extend(filter(&rest, fts, &mut sql));
    page(q, &from, conds, key, sql)
}

/// PostgreSQL: a page of one region's, country's or actor's events that hold words, when
/// no other filter needs the event row. The link's range is read in page order and each
/// link row's event is checked for the words (`event_text` by event id) before its row
/// is fetched: only the page's events are read from `events`. The plain join fetched
/// every event of the range it passed over (at 1M events, ~800 for a page of Kursk and
/// "drone") before checking its words. Hidden events are left out by their small
/// partial index (migration 0006), as counts do. `tsquery` gives the words' `tsquery`
/// expression. `mask` ([`super::words::mask`] of the folded words): each link row's
/// word signature (migration 0018, in the link index) is checked against it before the
/// event's texts are read, so that most events without the words are passed over in
/// the index. `exact` ([`super::words::exact`]): the exact bit (migration 0019) that
/// answers the words by itself, checked before the texts. None when the query is not of
/// this shape.
pub fn list_events_linked_words(
    q: &EventQuery,
    mask: Option<super::words::Signature>,
    exact: Option<i64>,
    tsquery: impl Fn(&mut Sql, &[String]) -> String,
) -> Option<Sql> {
    let mut sql = Sql::default();
    let (link, rest) = Link::driver(q, &mut sql);
    let link = link?;
    let plain = rest.regions.is_empty()
        && rest.countries.is_empty()
        && rest.actors.is_empty()
        && rest.types.is_empty()
        && rest.sources.is_empty()
        && rest.updated_since.is_none()
        && rest.min_confidence.is_none();
    if !plain || q.q.is_empty() {
        return None;
    }
    let (cmp, dir) = if q.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let mut conds = link.conds;
    conds.push(format!("l.event_id {NOT_HIDDEN}"));
    if let Some(m) = mask {
        let m: Vec<String> = m[..4].iter().map(|w| sql.bind(Bind::Int(*w))).collect();
        conds.push(super::words::check(&m));
    }
    let t = tsquery(&mut sql, &q.q);
    let probe = format!(
        "EXISTS (SELECT 1 FROM event_text t WHERE t.event_id = l.event_id AND t.tsv @@ {t})"
    );
    // One word of the exact list: a link whose exact bit is set holds it (migration
    // 0019), its texts are not read; the others are checked as before. `OFFSET 0` keeps
    // the check a probe by event id: without it PostgreSQL may plan the `EXISTS` under
    // `OR` as a hashed subplan, every text with the word read by a scan of `event_text`
    // at the first link without the bit.
    conds.push(match exact {
        Some(bit) => format!(
            "((l.w4 & {}) <> 0 OR {} OFFSET 0))",
            sql.bind(Bind::Int(bit)),
            probe.strip_suffix(')').unwrap_or(&probe)
        ),
        None => probe,
    });
    if let Some((date, id)) = &q.after {
        let d = sql.bind(Bind::Text(date.clone()));
        let i = sql.bind(Bind::Text(id.clone()));
        conds.push(format!("(l.date_lo, l.event_id) {cmp} ({d}, {i})"));
    }
    let limit = sql.bind(Bind::Int(i64::from(q.limit)));
    sql.text = format!(
        "SELECT {EVENT_COLUMNS}, e.date_lo FROM (SELECT l.date_lo, l.event_id FROM {} l WHERE {} \
         ORDER BY l.date_lo {dir}, l.event_id {dir} LIMIT {limit}) m JOIN events e ON e.id = m.event_id \
         WHERE e.status <> 'hidden' ORDER BY m.date_lo {dir}, m.event_id {dir}",
        link.table,
        conds.join(" AND ")
    );
    Some(sql)
}

/// Days of an event's interval that the partial indexes of migrations 0014 and 0015 tell
/// apart (SQLite): `events_multi` holds events longer than a day, `events_long` those
/// whose last day is more than 31 days after their first, `events_longer` more than
/// 366 (and each any whose first day is before year 0).
const MULTI: &str = "(e.date_hi > e.date_lo OR e.date_lo < '0')";
const LONG: &str = "(e.date_hi > date(e.date_lo, '+31 days') OR e.date_lo < '0')";
const LONGER: &str = "(e.date_hi > date(e.date_lo, '+366 days') OR e.date_lo < '0')";
/// The same on PostgreSQL (its migration 0014): an event that begins before `from` and
/// reaches it ends after it begins (as text, as the pages compare dates); and
/// `linimasa_day` differences are never less than the days between two dates, so the
/// long ones hold every event the SQLite ones do (and a few shorter ones). Written as
/// the indexes' predicates, so that the planner proves each range may read its partial
/// index.
const PG_MULTI: &str = "e.date_hi > e.date_lo";
const PG_LONG: &str = "linimasa_day(e.date_hi) - linimasa_day(e.date_lo) > 31";
const PG_LONGER: &str = "linimasa_day(e.date_hi) - linimasa_day(e.date_lo) > 366";

/// A page of events driven from the `events` table itself, not from a link: the region,
/// country, actor and source filters check each event by a key lookup (`per_event`).
/// For a page of one type in a region or country whose type has fewer events than the
/// place (SQLite): `events_by_type` is read in page order.
///
/// With a date window (SQLite), the page is the union of four ranges of first days,
/// each read in page order and cut at the page's length, so that the events that began
/// before the window are not all read to find the few that reach into it:
///
/// * first day in `[from, to]`: every event (all reach the window; nothing to reject);
/// * first day in `[from − 31 days, from)`: only events longer than a day can reach
///   `from`: `events_multi`'s range, whose entries hold `date_hi` for the check;
/// * first day in `[from − 366 days, from − 31 days)`: only events longer than 31 days:
///   `events_long`'s range;
/// * first day before `from − 366 days`: only events longer than 366 days:
///   `events_longer`'s range.
///
/// Every event that ends on or after `from` is in exactly one of them; each still
/// checks `date_hi >= from`. Without a window, or when `from` is too early to subtract
/// a year, it is one query.
///
/// `postgres`: the ranges in PostgreSQL's words (its migration 0014's predicates, the
/// same four indexes; its planner picks them itself, and a subquery in `FROM` needs a
/// name).
pub fn list_events_unlinked(
    q: &EventQuery,
    postgres: bool,
    fts: impl Fn(&mut Sql, &[String]) -> String,
) -> Sql {
    let mut sql = Sql::default();
    let arm = |sql: &mut Sql, extra: Vec<String>| -> String {
        let mut conds = vec!["e.status <> 'hidden'".to_string()];
        conds.extend(extra);
        conds.extend(filter_with(q, &fts, sql, true));
        let page = page(
            q,
            "events e",
            conds,
            ("e.date_lo", "e.id"),
            std::mem::take(sql),
        );
        *sql = Sql {
            text: String::new(),
            binds: page.binds,
        };
        page.text
    };
    let bounds = q.from.and_then(|from| {
        let before = |days: i64| {
            from.checked_sub(jiff::Span::new().days(days))
                .ok()
                .filter(|d| d.year() >= 1)
                .map(|d| d.to_string())
        };
        Some((from.to_string(), before(31)?, before(366)?))
    });
    let Some((from_day, short, year)) = bounds else {
        sql.text = arm(&mut sql, Vec::new());
        return sql;
    };
    let (multi, long, longer) = if postgres {
        (PG_MULTI, PG_LONG, PG_LONGER)
    } else {
        (MULTI, LONG, LONGER)
    };
    // SQLite is told which partial index to read; PostgreSQL's planner proves it may.
    let hint = |arm: String, index: &str| {
        if postgres {
            arm
        } else {
            arm.replacen(
                "FROM events e",
                &format!("FROM events e INDEXED BY {index}"),
                1,
            )
        }
    };
    let mut arms = Vec::new();
    let f = sql.bind(Bind::Text(from_day.clone()));
    arms.push(arm(&mut sql, vec![format!("e.date_lo >= {f}")]));
    let (f, p) = (
        sql.bind(Bind::Text(from_day)),
        sql.bind(Bind::Text(short.clone())),
    );
    arms.push(hint(
        arm(
            &mut sql,
            vec![
                format!("e.date_lo < {f}"),
                format!("e.date_lo >= {p}"),
                multi.to_string(),
            ],
        ),
        "events_multi",
    ));
    let (p, y) = (
        sql.bind(Bind::Text(short)),
        sql.bind(Bind::Text(year.clone())),
    );
    arms.push(hint(
        arm(
            &mut sql,
            vec![
                format!("e.date_lo < {p}"),
                format!("e.date_lo >= {y}"),
                long.to_string(),
            ],
        ),
        "events_long",
    ));
    let y = sql.bind(Bind::Text(year));
    arms.push(hint(
        arm(
            &mut sql,
            vec![format!("e.date_lo < {y}"), longer.to_string()],
        ),
        "events_longer",
    ));
    let dir = if q.descending { "DESC" } else { "ASC" };
    let limit = sql.bind(Bind::Int(i64::from(q.limit)));
    let union = arms
        .iter()
        .enumerate()
        .map(|(i, a)| format!("SELECT * FROM ({a}) AS r{i}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    sql.text =
        format!("SELECT * FROM ({union}) AS w ORDER BY date_lo {dir}, id {dir} LIMIT {limit}");
    sql
}

/// A page of events whose words match few of them: `matches` lists those events'
/// `seq` (SQLite's full-text index), the list drives the query (`CROSS JOIN` keeps it
/// first), each match is checked against the other filters by key lookups, and the
/// few that pass are sorted. Driving from a region's or country's range instead would
/// read every event of the range to find the few that hold the word.
pub fn list_events_by_words(
    q: &EventQuery,
    matches: impl Fn(&mut Sql, &[String]) -> String,
) -> Sql {
    let mut sql = Sql::default();
    let list = matches(&mut sql, &q.q);
    let from = format!("({list}) m CROSS JOIN events e ON e.seq = m.seq");
    let rest = EventQuery {
        q: Vec::new(),
        ..q.clone()
    };
    let mut conds = vec!["e.status <> 'hidden'".to_string()];
    conds.extend(filter_with(&rest, |_, _| String::new(), &mut sql, true));
    page(q, &from, conds, ("e.date_lo", "e.id"), sql)
}

/// One day's width in the rowids of SQLite's full-text table (migration 0013): an
/// event's row is `fts_day(date_lo) * FTS_DAY + seq`.
pub const FTS_DAY: i64 = 1 << 32;

/// The day part of an event's full-text rowid on SQLite, as migration 0013's SQL computes
/// it: `year * 372 + month * 31 + day` of a `YYYY-MM-DD…` date, 0 for a text that sorts
/// before `'0'`, 4,000,000 for any other. It never decreases as the text grows (for the
/// dates the store writes), which is all the page queries rely on.
pub fn fts_day(date: &str) -> i64 {
    let b = date.as_bytes();
    let digit = |i: usize, max: u8| b.get(i).is_some_and(|c| (b'0'..=max).contains(c));
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0'));
    if (0..4).all(|i| digit(i, b'9'))
        && b.get(4) == Some(&b'-')
        && digit(5, b'1')
        && digit(6, b'9')
        && b.get(7) == Some(&b'-')
        && digit(8, b'3')
        && digit(9, b'9')
    {
        num(0..4) * 372 + num(5..7) * 31 + num(8..10)
    } else if date < "0" {
        0
    } else {
        4_000_000
    }
}

/// SQLite: the full-text rowid of event `e`, as migration 0013 computes it.
pub fn fts_key_of_event() -> String {
    let x = "e.date_lo";
    format!(
        "((CASE WHEN {x} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' \
         THEN CAST(substr({x}, 1, 4) AS INTEGER) * 372 + CAST(substr({x}, 6, 2) AS INTEGER) * 31 \
         + CAST(substr({x}, 9, 2) AS INTEGER) WHEN {x} < '0' THEN 0 ELSE 4000000 END) * {FTS_DAY} + e.seq)"
    )
}

/// The FTS5 condition on the `scope` column for `q`'s regions and countries (migration
/// 0013), or `None` when it names neither.
pub fn fts5_scope(q: &EventQuery) -> Option<String> {
    let mut parts = Vec::new();
    for (codes, prefix) in [(&q.regions, "xr"), (&q.countries, "xc")] {
        if !codes.is_empty() {
            let any: Vec<String> = codes
                .iter()
                .map(|c| format!("\"{prefix}{}\"", c.replace('-', "").replace('"', "\"\"")))
                .collect();
            parts.push(format!("scope : ({})", any.join(" OR ")));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// A page of events with words in a region or country (SQLite): one FTS5 query whose
/// `scope` and `body` conditions FTS5 intersects itself, its matches in rowid order —
/// the order of their days (migration 0013). The first `limit` matches that pass the
/// other filters end on some day D; the page is every match up to the end of D, sorted
/// by (date_lo, id) — at most the page and the rest of day D. Every filter is still
/// checked on the event (region and country included), so the index only has to hold
/// at least the matches.
///
/// `words_match` is the FTS5 query of the words (`body : (…)`).
pub fn list_events_scoped(q: &EventQuery, scope: &str, words_match: &str) -> Sql {
    let mut sql = Sql::default();
    let (cmp, dir) = if q.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let rest = EventQuery {
        q: Vec::new(),
        ..q.clone()
    };
    let matching = format!("{scope} AND {words_match}");
    // The conditions on one FTS row `f` and its event `e`: the words and places, the
    // rowids the cursor and the date window leave, the other filters, the cursor.
    let conds = |sql: &mut Sql, f: &str| -> Vec<String> {
        let m = sql.bind(Bind::Text(matching.clone()));
        let mut c = vec![format!("{f}.event_fts MATCH {m}")];
        if let Some((date, _)) = &q.after {
            let day = fts_day(date);
            c.push(if q.descending {
                format!("{f}.rowid < {}", (day + 1) * FTS_DAY)
            } else {
                format!("{f}.rowid >= {}", day * FTS_DAY)
            });
        }
        if let Some(to) = q.to {
            c.push(format!(
                "{f}.rowid < {}",
                (fts_day(&to.to_string()) + 1) * FTS_DAY
            ));
        }
        c.push("e.status <> 'hidden'".into());
        c.extend(filter_with(&rest, |_, _| String::new(), sql, true));
        if let Some((date, id)) = &q.after {
            let d = sql.bind(Bind::Text(date.clone()));
            let i = sql.bind(Bind::Text(id.clone()));
            c.push(format!("(e.date_lo, e.id) {cmp} ({d}, {i})"));
        }
        c
    };
    let join = |f: &str| {
        format!(
            "event_fts {f} CROSS JOIN events e ON e.seq = ({f}.rowid & {})",
            FTS_DAY - 1
        )
    };
    let inner = conds(&mut sql, "f2");
    let nth = i64::from(q.limit.max(1)) - 1;
    let last_day = format!(
        "(SELECT f2.rowid / {FTS_DAY} FROM {} WHERE {} ORDER BY f2.rowid {dir} LIMIT 1 OFFSET {nth})",
        join("f2"),
        inner.join(" AND ")
    );
    let mut outer = conds(&mut sql, "f");
    outer.push(if q.descending {
        format!("f.rowid >= COALESCE({last_day} * {FTS_DAY}, {})", i64::MIN)
    } else {
        format!(
            "f.rowid < COALESCE(({last_day} + 1) * {FTS_DAY}, {})",
            i64::MAX
        )
    });
    let limit = sql.bind(Bind::Int(i64::from(q.limit)));
    // The matches up to the end of day D are sorted by their keys alone, and only the
    // page's rows are then read whole (by rowid): a day can hold hundreds of matches
    // (at 1M events, Donetsk's first day, where the events dated only to the year
    // begin, holds 189 with "drone"), and sorting them with their documents took a
    // quarter of the query's CPU (1.9 ms against 1.45 ms this way).
    sql.text = format!(
        "SELECT {EVENT_COLUMNS}, e.date_lo FROM (SELECT e.rowid AS r, e.date_lo AS d, e.id AS i FROM {} WHERE {} \
         ORDER BY e.date_lo {dir}, e.id {dir} LIMIT {limit}) p CROSS JOIN events e ON e.rowid = p.r \
         ORDER BY p.d {dir}, p.i {dir}",
        join("f"),
        outer.join(" AND ")
    );
    sql
}

/// The cursor, order and limit of a page over `from` ordered by `key`.
fn page(
    q: &EventQuery,
    from: &str,
    mut conds: Vec<String>,
    key: (&str, &str),
    mut sql: Sql,
) -> Sql {
    let (cmp, dir) = if q.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some((date, id)) = &q.after {
        // A row-value comparison: an index range on both backends (the columns are NOT NULL).
        let d = sql.bind(Bind::Text(date.clone()));
        let i = sql.bind(Bind::Text(id.clone()));
        conds.push(format!("({}, {}) {cmp} ({d}, {i})", key.0, key.1));
    }
    let limit = sql.bind(Bind::Int(i64::from(q.limit)));
    sql.text = format!(
        "SELECT {EVENT_COLUMNS}, e.date_lo FROM {from} WHERE {} ORDER BY {} {dir}, {} {dir} LIMIT {limit}",
        conds.join(" AND "),
        key.0,
        key.1
    );
    sql
}

/// What to count visible matching events by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Region,
    Country,
    Actor,
    Type,
    /// Buckets of the event's first day: `YYYY-MM-DD`, the week's Monday, `YYYY-MM`, `YYYY`.
    Day,
    Week,
    Month,
    Year,
}

/// Leaves hidden events out of counts: the ids come from a small partial index, so the
/// counted rows need not be fetched to read their status.
const NOT_HIDDEN: &str = "NOT IN (SELECT h.id FROM events h WHERE h.status = 'hidden')";

/// `SELECT k, n` counting the events `q` matches by `facet`; `week` is the backend's
/// expression for the Monday of the week of the date column it is given (`{date}`).
///
/// Like a page, the count is driven from one region's, country's or actor's link
/// table when the filter names one: its (code, date_lo, event_id) range holds the
/// matching events and their dates, and the facet's own link table is joined by
/// event id. The events table is read only for a type facet or for filters that need
/// it; with no filter at all, a region, country or actor facet reads only its link
/// table.
pub fn facet_counts(
    q: &EventQuery,
    facet: Facet,
    fts: impl Fn(&mut Sql, &[String]) -> String,
    week: &str,
) -> Sql {
    let mut sql = Sql::default();
    let (link, rest) = Link::driver(q, &mut sql);
    let other = filter(&rest, fts, &mut sql);
    let facet_table = match facet {
        Facet::Region => Some(("event_regions", "iso_code")),
        Facet::Country => Some(("event_countries", "country")),
        Facet::Actor => Some(("event_actors", "actor")),
        _ => None,
    };
    let needs_events = !other.is_empty() || facet == Facet::Type;
    // One row per matching event: the FROM clause, its conditions, and the
    // expressions of the event's id and first day.
    let driven = link.is_some();
    let (mut from, mut conds, id, date) = match link {
        Some(l) => (format!("{} l", l.table), l.conds, "l.event_id", "l.date_lo"),
        None => match facet_table {
            // Every event: the facet's link table alone.
            Some((table, col)) if !needs_events => {
                let conds = format!("f.event_id {NOT_HIDDEN}");
                sql.text = format!(
                    "SELECT f.{col} AS k, COUNT(*) AS n FROM {table} f WHERE {conds} GROUP BY f.{col}"
                );
                return sql;
            }
            _ => ("events e".to_string(), Vec::new(), "e.id", "e.date_lo"),
        },
    };
    if driven && needs_events {
        from.push_str(" JOIN events e ON e.id = l.event_id");
    }
    conds.push(format!("{id} {NOT_HIDDEN}"));
    conds.extend(other);
    let conds = conds.join(" AND ");
    sql.text = match (facet, facet_table) {
        (_, Some((table, col))) => format!(
            "SELECT f.{col} AS k, COUNT(*) AS n FROM {from} JOIN {table} f ON f.event_id = {id} WHERE {conds} GROUP BY f.{col}"
        ),
        (Facet::Type, _) => format!(
            "SELECT e.event_type AS k, COUNT(*) AS n FROM {from} WHERE {conds} GROUP BY e.event_type"
        ),
        _ => {
            let key = match facet {
                Facet::Day => date.to_string(),
                Facet::Week => week.replace("{date}", date),
                Facet::Month => format!("substr({date}, 1, 7)"),
                _ => format!("substr({date}, 1, 4)"),
            };
            format!(
                "SELECT {key} AS k, COUNT(*) AS n FROM {from} WHERE {conds} GROUP BY {key} ORDER BY 1"
            )
        }
    };
    sql
}

/// Whether one region, country or actor drives `q`'s page from its link table.
pub fn has_link(q: &EventQuery) -> bool {
    q.regions.len() == 1 || q.countries.len() == 1 || q.actors.len() == 1
}

/// The link table that drives a query naming exactly one region, country or actor
/// (the usual request), with its conditions; the date window is decided on the link
/// row's copies of the event's dates.
struct Link {
    table: &'static str,
    conds: Vec<String>,
}

impl Link {
    /// The driving link, if any, and the filters left to apply to `events e`.
    fn driver(q: &EventQuery, sql: &mut Sql) -> (Option<Link>, EventQuery) {
        let mut rest = q.clone();
        let (table, col, code) = if q.regions.len() == 1 {
            rest.regions.clear();
            ("event_regions", "iso_code", &q.regions[0])
        } else if q.countries.len() == 1 {
            rest.countries.clear();
            ("event_countries", "country", &q.countries[0])
        } else if q.actors.len() == 1 {
            rest.actors.clear();
            ("event_actors", "actor", &q.actors[0])
        } else {
            return (None, rest);
        };
        let c = sql.bind(Bind::Text(code.clone()));
        let mut conds = vec![format!("l.{col} = {c}")];
        if let Some(to) = q.to {
            let p = sql.bind(Bind::Text(to.to_string()));
            conds.push(format!("l.date_lo <= {p}"));
        }
        // The link row's copy of date_hi drops events that ended before the window
        // while the index range is read, before any event row is fetched.
        if let Some(from) = q.from {
            let p = sql.bind(Bind::Text(from.to_string()));
            conds.push(format!("l.date_hi >= {p}"));
        }
        rest.from = None;
        rest.to = None;
        (Some(Link { table, conds }), rest)
    }
}

/// The conditions of `q`'s filters (not its cursor, not the status) on `events e`.
fn filter(
    q: &EventQuery,
    fts: impl Fn(&mut Sql, &[String]) -> String,
    sql: &mut Sql,
) -> Vec<String> {
    filter_with(q, fts, sql, false)
}

/// `per_event`: the region, country, actor and source filters check each event by a
/// key lookup (for few candidates) instead of listing every event of their codes.
fn filter_with(
    q: &EventQuery,
    fts: impl Fn(&mut Sql, &[String]) -> String,
    sql: &mut Sql,
    per_event: bool,
) -> Vec<String> {
    let mut conds = Vec::new();
    for (codes, table, col) in [
        (&q.regions, "event_regions", "iso_code"),
        (&q.countries, "event_countries", "country"),
        (&q.actors, "event_actors", "actor"),
    ] {
        if codes.is_empty() {
            continue;
        }
        let l = sql.list(codes);
        conds.push(if per_event {
            // The link's key is (code, date_lo, event_id): a point lookup.
            format!(
                "EXISTS (SELECT 1 FROM {table} x WHERE x.{col} IN ({l}) AND x.date_lo = e.date_lo AND x.event_id = e.id)"
            )
        } else {
            format!("e.id IN (SELECT event_id FROM {table} WHERE {col} IN ({l}))")
        });
    }
    if !q.types.is_empty() {
        let l = sql.list(&q.types);
        conds.push(format!("e.event_type IN ({l})"));
    }
    if let Some(from) = q.from {
        let p = sql.bind(Bind::Text(from.to_string()));
        conds.push(format!("e.date_hi >= {p}"));
    }
    if let Some(to) = q.to {
        let p = sql.bind(Bind::Text(to.to_string()));
        conds.push(format!("e.date_lo <= {p}"));
    }
    if !q.sources.is_empty() {
        let l = sql.list(&q.sources);
        conds.push(if per_event {
            format!(
                "EXISTS (SELECT 1 FROM event_sources x WHERE x.event_id = e.id AND x.publisher IN ({l}))"
            )
        } else {
            format!("e.id IN (SELECT event_id FROM event_sources WHERE publisher IN ({l}))")
        });
    }
    if let Some(t) = &q.updated_since {
        let p = sql.bind(Bind::Text(t.clone()));
        conds.push(format!("e.updated_at >= {p}"));
    }
    if let Some(c) = q.min_confidence {
        let p = sql.bind(Bind::Real(c));
        conds.push(format!("e.confidence >= {p}"));
    }
    if !q.q.is_empty() {
        let c = fts(sql, &q.q);
        conds.push(c);
    }
    conds
}

/// An FTS5 query that matches documents holding every word (each quoted, so no word
/// is read as an operator).
pub fn fts5_all_words(words: &[String]) -> String {
    let all = words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ");
    // Only in the texts: SQLite's full-text rows also hold their places (`scope`).
    format!("body : ({all})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_placeholders_follow_the_text_and_skip_literals() {
        let mut sql = Sql::default();
        let a = sql.bind(Bind::Text("a".into()));
        let b = sql.bind(Bind::Int(2));
        sql.text =
            format!("SELECT '{a}', \"x{b}\", {b} -- {a}\n, {a}, {b}; SELECT {a}, $ 1, 'it''s {b}'");
        let p = sql.positional();
        assert_eq!(
            p.text,
            "SELECT '$1', \"x$2\", ? -- $1\n, ?, ?; SELECT ?, $ 1, 'it''s $2'"
        );
        assert_eq!(
            p.binds,
            [
                Bind::Int(2),
                Bind::Text("a".into()),
                Bind::Int(2),
                Bind::Text("a".into())
            ]
        );
        // A placeholder without its value is left for SQLite to refuse.
        sql.text = "SELECT $3".into();
        assert_eq!(sql.positional().text, "SELECT $3");
        sql.text = "SELECT $0".into();
        assert_eq!(sql.positional().text, "SELECT $0");
        sql.text = "SELECT '$1".into();
        assert_eq!(sql.positional().text, "SELECT '$1");
    }

    #[test]
    fn every_value_is_bound_never_inlined() {
        let q = EventQuery {
            regions: vec!["RU-KRS'; DROP TABLE events; --".into()],
            types: vec!["assault".into()],
            after: Some(("2024-08-06".into(), "evt_x".into())),
            limit: 10,
            ..Default::default()
        };
        let s = list_events(&q, true, |_, _| unreachable!());
        assert!(!s.text.contains("DROP"));
        assert_eq!(s.binds.len(), 5);
        assert!(
            s.text
                .contains("ORDER BY l.date_lo ASC, l.event_id ASC LIMIT $5")
        );
    }

    #[test]
    fn full_text_days_never_decrease_as_dates_grow() {
        let mut dates: Vec<String> = vec![
            "".into(),
            "-000500-01-01".into(),
            "+010000-01-01".into(),
            "0001-01-01".into(),
            "1999-12-31".into(),
            "2024-02-29".into(),
            "2024-02-29T12:00".into(),
            "2024-03-01".into(),
            "2024-12-31".into(),
            "2025-01-01".into(),
            "9999-12-31".into(),
        ];
        for y in [2022, 2023, 2024] {
            for m in 1..=12 {
                for d in 1..=31 {
                    dates.push(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        dates.sort();
        for w in dates.windows(2) {
            assert!(
                fts_day(&w[0]) <= fts_day(&w[1]),
                "{} ({}) then {} ({})",
                w[0],
                fts_day(&w[0]),
                w[1],
                fts_day(&w[1])
            );
        }
        assert!(fts_day("2024-08-06") < fts_day("2024-08-07"));
        assert_eq!(fts_day("2024-08-06"), 2024 * 372 + 8 * 31 + 6);
    }

    #[test]
    fn places_are_one_token_each() {
        let q = EventQuery {
            regions: vec!["RU-KRS".into(), "UA-14".into()],
            countries: vec!["UA".into()],
            ..Default::default()
        };
        assert_eq!(
            fts5_scope(&q).as_deref(),
            Some("scope : (\"xrRUKRS\" OR \"xrUA14\") AND scope : (\"xcUA\")")
        );
        assert_eq!(fts5_scope(&EventQuery::default()), None);
    }

    #[test]
    fn fts_words_are_quoted() {
        assert_eq!(
            fts5_all_words(&["kursk".into(), "a\"b".into()]),
            "body : (\"kursk\" \"a\"\"b\")"
        );
    }
}
