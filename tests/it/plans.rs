//! Query plans of `GET /events` (issue 7): the SQL that `store::sql::list_events`
//! really builds, for a region, a date window, a type, a full-text word and a cursor,
//! is served by indexes on both backends — no full scan of `events`, and for one
//! region, country, actor or type no sort of every match: a page is an index range.
//!
//! SQLite is asked with `EXPLAIN QUERY PLAN`; PostgreSQL with `EXPLAIN` after
//! `ANALYZE` on synthetic events and with `enable_seqscan`, `enable_bitmapscan` and
//! `enable_sort` off, which shows that an index CAN serve the query in page order (the
//! planner still picks a sequential scan or a sort when nothing else can).

use jiff::civil::date;
use linimasa::store::sql::{self, Bind, Sql};
use linimasa::store::{EventQuery, Facet, counts, db, words};
use linimasa::synthetic::{self, Options};
use sqlx::{Connection, Row};

use crate::common::{TestApp, app, postgres_app};

const EVENTS: u64 = 4_000;

/// The reads of kept facet counts (a country's months; every event's types) and the
/// writer's merge candidates, as the store runs them.
fn kept_and_candidates() -> Vec<(&'static str, Sql)> {
    let country = EventQuery {
        countries: vec!["UA".into()],
        ..Default::default()
    };
    vec![
        (
            "kept counts, a country by month",
            counts::read_sql(&country, Facet::Month).expect("a plain scope"),
        ),
        (
            "kept counts, every event by type",
            counts::read_sql(&EventQuery::default(), Facet::Type).expect("a plain scope"),
        ),
        (
            "merge candidates, a report in regions",
            db::merge_candidates(
                &db::Place {
                    event_type: "assault",
                    regions: vec!["RU-KRS", "UA-63"],
                    countries: vec!["RU", "UA"],
                    actors: vec!["kpa"],
                },
                "2024-07-06",
                "2024-08-06",
                "2024-08-06",
            )
            .expect("a place"),
        ),
        (
            "merge candidates, a report in a country, no region",
            db::merge_candidates(
                &db::Place {
                    event_type: "assault",
                    regions: vec![],
                    countries: vec!["UA"],
                    actors: vec!["kpa", "ru-army"],
                },
                "2024-07-06",
                "2024-08-06",
                "2024-08-06",
            )
            .expect("a place"),
        ),
    ]
}

/// The merge candidates of a batch's reports in one statement (`db::batch_candidates`):
/// a report in regions and one in a country only.
fn batch_candidates(backend: db::Backend) -> Sql {
    let report = |regions: Vec<&'static str>, actors: Vec<&'static str>| db::Report {
        place: db::Place {
            event_type: "assault",
            regions,
            countries: vec!["UA"],
            actors,
        },
        reach: "2024-07-06",
        lo: "2024-08-06",
        hi: "2024-08-06",
    };
    db::batch_candidates(
        backend,
        &[
            report(vec!["RU-KRS", "UA-63"], vec!["kpa"]),
            report(vec![], vec!["kpa", "ru-army"]),
        ],
    )
    .expect("reports with places")
}

/// The queries to check, by name, and whether a page must come without a sort of
/// every match (one code or type, ascending or descending).
fn queries() -> Vec<(&'static str, EventQuery, bool)> {
    let base = EventQuery {
        limit: 101,
        ..Default::default()
    };
    let kursk = EventQuery {
        regions: vec!["RU-KRS".into()],
        ..base.clone()
    };
    vec![
        ("region", kursk.clone(), true),
        (
            "region, newest first",
            EventQuery {
                descending: true,
                ..kursk.clone()
            },
            true,
        ),
        (
            "region and date window",
            EventQuery {
                from: Some(date(2024, 1, 1)),
                to: Some(date(2024, 6, 30)),
                ..kursk.clone()
            },
            true,
        ),
        (
            "region, cursor",
            EventQuery {
                after: Some(("2024-09-01".into(), "evt_m".into())),
                ..kursk.clone()
            },
            true,
        ),
        (
            "region, type and cursor",
            EventQuery {
                types: vec!["assault".into()],
                after: Some(("2024-09-01".into(), "evt_m".into())),
                ..kursk.clone()
            },
            true,
        ),
        (
            "two regions",
            EventQuery {
                regions: vec!["RU-KRS".into(), "RU-BEL".into()],
                ..base.clone()
            },
            false,
        ),
        (
            "country",
            EventQuery {
                countries: vec!["UA".into()],
                ..base.clone()
            },
            true,
        ),
        (
            "actor",
            EventQuery {
                actors: vec!["kpa".into()],
                ..base.clone()
            },
            true,
        ),
        (
            "type",
            EventQuery {
                types: vec!["assault".into()],
                ..base.clone()
            },
            true,
        ),
        (
            "type, cursor",
            EventQuery {
                types: vec!["assault".into()],
                after: Some(("2024-09-01".into(), "evt_m".into())),
                ..base.clone()
            },
            true,
        ),
        (
            "date window",
            EventQuery {
                from: Some(date(2024, 1, 1)),
                to: Some(date(2024, 6, 30)),
                ..base.clone()
            },
            true,
        ),
        ("everything", base.clone(), true),
        (
            "everything, cursor",
            EventQuery {
                after: Some(("2024-09-01".into(), "evt_m".into())),
                ..base.clone()
            },
            true,
        ),
        (
            "everything, cursor, newest first",
            EventQuery {
                after: Some(("2024-09-01".into(), "evt_m".into())),
                descending: true,
                ..base.clone()
            },
            true,
        ),
        (
            "full text",
            EventQuery {
                q: vec!["sudzha".into()],
                ..base.clone()
            },
            false,
        ),
        (
            "region and full text",
            EventQuery {
                q: vec!["drone".into()],
                ..kursk
            },
            false,
        ),
    ]
}

fn sqlite_fts(sql: &mut Sql, words: &[String]) -> String {
    let p = sql.bind(Bind::Text(sql::fts5_all_words(words)));
    format!(
        "e.seq IN (SELECT rowid & {} FROM event_fts WHERE event_fts MATCH {p})",
        sql::FTS_DAY - 1
    )
}

fn postgres_fts(sql: &mut Sql, words: &[String]) -> String {
    let p = sql.bind(Bind::Text(words.join(" ")));
    format!("e.id IN (SELECT event_id FROM event_text WHERE tsv @@ plainto_tsquery('simple', {p}))")
}

fn bind_all<'q, DB: sqlx::Database>(
    mut q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    f64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for b in binds {
        q = match b {
            Bind::Text(t) => q.bind(t.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Real(r) => q.bind(*r),
            Bind::OptText(t) => q.bind(t.as_deref()),
        };
    }
    q
}

/// `EVENTS` synthetic events (seed 3) into the app's store.
async fn fill_synthetic(app: &TestApp) {
    synthetic::fill(
        &app.database_url,
        &Options {
            events: EVENTS,
            seed: 3,
            ..Options::default()
        },
    )
    .await
    .expect("synthetic events");
}

/// A SQLite store of `EVENTS` synthetic events (seed 3) and a connection to it.
async fn synthetic_store() -> (TestApp, sqlx::SqliteConnection) {
    let app = app().await;
    fill_synthetic(&app).await;
    let c = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    (app, c)
}

/// The same synthetic store on PostgreSQL, when a server answers.
async fn postgres_synthetic_store() -> Option<(TestApp, sqlx::PgConnection)> {
    let app = postgres_app().await?;
    fill_synthetic(&app).await;
    let c = sqlx::PgConnection::connect(&app.database_url)
        .await
        .expect("postgres");
    Some((app, c))
}

#[tokio::test]
async fn sqlite_plans_use_indexes() {
    let (_app, mut c) = synthetic_store().await;
    let mut failures = Vec::new();
    for (name, q, ordered) in queries() {
        let s = sql::list_events(&q, true, sqlite_fts);
        let text = format!("EXPLAIN QUERY PLAN {}", s.text);
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", s.text));
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>("detail")).collect();
        let shown = plan.join("\n  ");
        // A full scan reads every row: `SCAN e` / `SCAN l` without an index, or through
        // an index but then sorted (an ordered index scan under the LIMIT stops early).
        let scan = |d: &String| d == "SCAN e" || d == "SCAN l";
        let sorted = plan.iter().any(|d| d.contains("TEMP B-TREE FOR ORDER BY"));
        let index_scan =
            |d: &String| d.starts_with("SCAN e USING") || d.starts_with("SCAN l USING");
        if plan.iter().any(scan) || (sorted && plan.iter().any(index_scan)) {
            failures.push(format!("{name}: full scan\n  {shown}"));
        }
        if ordered && sorted {
            failures.push(format!("{name}: sorts every match\n  {shown}"));
        }
        // The page must actually be answered (and the query valid).
        let n = bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .len();
        eprintln!("sqlite {name}: {n} rows\n  {shown}");
    }
    // A common word with a region: each event of the region's range, read in page
    // order, is checked with one doclist seek (`rowid = seq`); nothing is sorted and
    // the word's matches are not listed first.
    let common = EventQuery {
        regions: vec!["RU-KRS".into()],
        q: vec!["drone".into()],
        limit: 101,
        ..Default::default()
    };
    let s = sql::list_events(&common, true, |sql, words| {
        let p = sql.bind(Bind::Text(sql::fts5_all_words(words)));
        format!(
            "EXISTS (SELECT 1 FROM event_fts WHERE event_fts MATCH {p} AND event_fts.rowid = {})",
            sql::fts_key_of_event()
        )
    });
    let plan = sqlite_plan(&mut c, &s).await;
    assert!(
        plan[0].starts_with("SEARCH l USING PRIMARY KEY")
            && plan
                .iter()
                // SQLite 3.54 runs the EXISTS as a join and words the step
                // `SCAN event_fts EXISTS VIRTUAL TABLE INDEX 0:=M1`; 3.46 had no `EXISTS`.
                .any(|d| d.contains("event_fts") && d.contains("VIRTUAL TABLE INDEX 0:=M"))
            && !plan.iter().any(|d| d.contains("TEMP B-TREE")),
        "region and a common word:\n  {}",
        plan.join("\n  ")
    );
    let page = sqlite_ids(&mut c, &s).await;
    assert!(!page.is_empty(), "drone is in the synthetic Kursk events");
    let same = sqlite_ids(&mut c, &sql::list_events(&common, true, sqlite_fts)).await;
    assert_eq!(page, same, "both ways to match a word give the same page");
    // A rare word: its few matches drive the page, each checked against the filters
    // by key lookups, and are sorted — the same page as the ordinary plan.
    for rare in [
        EventQuery {
            q: vec!["sudzha".into()],
            limit: 20,
            ..Default::default()
        },
        EventQuery {
            countries: vec!["RU".into()],
            types: vec!["assault".into()],
            q: vec!["sudzha".into()],
            descending: true,
            after: Some(("2025-01-01".into(), "evt_m".into())),
            limit: 20,
            ..Default::default()
        },
        EventQuery {
            countries: vec!["UA".into()],
            q: vec!["sudzha".into()],
            limit: 20,
            ..Default::default()
        },
    ] {
        let s = sql::list_events_by_words(&rare, |sql, words| {
            let p = sql.bind(Bind::Text(sql::fts5_all_words(words)));
            format!(
                "SELECT rowid & {} AS seq FROM event_fts WHERE event_fts MATCH {p}",
                sql::FTS_DAY - 1
            )
        });
        let plan = sqlite_plan(&mut c, &s).await;
        assert!(
            plan[0].contains("event_fts VIRTUAL TABLE")
                && plan.iter().any(|d| d.contains("USING INDEX events_by_seq"))
                && !plan
                    .iter()
                    .any(|d| d == "SCAN e" || d.starts_with("SCAN e USING")),
            "{rare:?}:\n  {}",
            plan.join("\n  ")
        );
        let driven = sqlite_ids(&mut c, &s).await;
        let same = sqlite_ids(&mut c, &sql::list_events(&rare, true, sqlite_fts)).await;
        assert_eq!(driven, same, "{rare:?}");
        assert!(
            !driven.is_empty() || !rare.countries.is_empty(),
            "sudzha is in the synthetic events"
        );
    }
    // Words in a region or country (issue 19): one FTS5 query of the words and the
    // places, its matches in date order (migration 0013) — no range of the region read
    // and checked event by event, no event table scanned — and the same page as the
    // ordinary plan, in every order, from cursors, with windows and other filters, and
    // for pages that end inside a day (small limits).
    let words_in = |regions: &[&str], countries: &[&str], q: &[&str]| EventQuery {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        q: q.iter().map(|w| w.to_string()).collect(),
        limit: 101,
        ..Default::default()
    };
    let kursk_drone = words_in(&["RU-KRS"], &[], &["drone"]);
    let mut scoped_cases = vec![
        kursk_drone.clone(),
        words_in(&["UA-14"], &[], &["drone"]),
        words_in(&["RU-KRS", "RU-BEL"], &[], &["drone"]),
        words_in(&[], &["UA"], &["drone"]),
        words_in(&["UA-14"], &["UA"], &["drone", "strike"]),
        words_in(&["RU-KRS"], &[], &["sudzha"]),
        words_in(&["RU-KRS"], &[], &["no-such-word-anywhere"]),
        EventQuery {
            descending: true,
            ..kursk_drone.clone()
        },
        EventQuery {
            from: Some(date(2024, 8, 1)),
            to: Some(date(2024, 12, 31)),
            ..kursk_drone.clone()
        },
        EventQuery {
            types: vec!["assault".into()],
            min_confidence: Some(0.5),
            ..words_in(&[], &["UA"], &["drone"])
        },
    ];
    for limit in [1, 2, 3, 7, 20] {
        for descending in [false, true] {
            scoped_cases.push(EventQuery {
                limit,
                descending,
                ..words_in(&[], &["UA"], &["drone"])
            });
        }
    }
    // Cursors: from the middle of a page, both directions, including the same day.
    let ua_drone = words_in(&[], &["UA"], &["drone"]);
    let first = sqlite_pairs(&mut c, &sql::list_events(&ua_drone, true, sqlite_fts)).await;
    assert!(
        first.len() > 50,
        "drone is common in the synthetic Ukrainian events"
    );
    for (date_lo, id) in [&first[10], &first[50], &first[first.len() - 1]] {
        for descending in [false, true] {
            for limit in [1, 5, 101] {
                scoped_cases.push(EventQuery {
                    after: Some((date_lo.clone(), id.clone())),
                    descending,
                    limit,
                    ..ua_drone.clone()
                });
            }
        }
    }
    let mut nonempty = 0;
    for q in &scoped_cases {
        let scope = sql::fts5_scope(q).expect("a region or country");
        let folded: Vec<String> = q.q.clone();
        let s = sql::list_events_scoped(q, &scope, &sql::fts5_all_words(&folded));
        let plan = sqlite_plan(&mut c, &s).await;
        let shown = plan.join("\n  ");
        // FTS5 drives (inside the subquery that sorts the keys), each match's event is
        // found by its seq, and the page's rows are then read by rowid.
        if !(plan
            .iter()
            .any(|d| d.starts_with("SCAN f VIRTUAL TABLE INDEX"))
            && plan.iter().any(|d| d.contains("USING INDEX events_by_seq"))
            && plan
                .iter()
                .any(|d| d.starts_with("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"))
            && !plan.iter().any(|d| {
                d == "SCAN e" || d.starts_with("SCAN e USING") || d.starts_with("SEARCH l")
            }))
        {
            failures.push(format!("words in a place {q:?}: plan\n  {shown}"));
        }
        let scoped = sqlite_pairs(&mut c, &s).await;
        let ordinary = sqlite_pairs(&mut c, &sql::list_events(q, true, sqlite_fts)).await;
        assert_eq!(scoped, ordinary, "{q:?}\n  {shown}");
        nonempty += usize::from(!scoped.is_empty());
    }
    assert!(
        nonempty + 4 >= scoped_cases.len(),
        "most cases have matches ({nonempty} of {})",
        scoped_cases.len()
    );
    for (name, q, facet) in facet_queries() {
        let s = sql::facet_counts(&q, facet, sqlite_fts, SQLITE_WEEK);
        let text = format!("EXPLAIN QUERY PLAN {}", s.text);
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", s.text));
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>("detail")).collect();
        let shown = plan.join("\n  ");
        // Counting one code's events reads that code's index range and looks the
        // rest up by event id: no scan of a whole table or index (the hidden-id list
        // is read from its own partial index).
        if plan
            .iter()
            .any(|d| d.starts_with("SCAN") && !d.contains("events_hidden"))
        {
            failures.push(format!("{name}: scan\n  {shown}"));
        }
        let counted = bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!counted.is_empty(), "{name}: no counts");
        eprintln!("sqlite {name}: {} keys\n  {shown}", counted.len());
    }
    for (name, s) in kept_and_candidates() {
        let plan = sqlite_plan(&mut c, &s).await;
        // Every step a search on a key or index: no table scanned.
        if plan.iter().any(|d| d.starts_with("SCAN")) {
            failures.push(format!("{name}: scan\n  {}", plan.join("\n  ")));
        }
        eprintln!("sqlite {name}:\n  {}", plan.join("\n  "));
    }
    // A batch's candidates: the reports (a JSON list) drive, each probing the interval
    // indexes as `merge_candidates` does; no table of the store scanned.
    let plan = sqlite_plan(&mut c, &batch_candidates(db::Backend::Sqlite)).await;
    let shown = plan.join("\n  ");
    if plan
        .iter()
        .any(|d| d.starts_with("SCAN") && !d.contains("json_each") && d != "SCAN q")
        || !["events_by_interval", "events_by_extracted"]
            .iter()
            .all(|i| plan.iter().any(|d| d.contains(i)))
    {
        failures.push(format!("batch candidates: \n  {shown}"));
    }
    eprintln!("sqlite batch candidates:\n  {shown}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// PostgreSQL's plan of `s` (named `name` in a failure), one line per row of `EXPLAIN`.
async fn postgres_plan(c: &mut sqlx::PgConnection, name: &str, s: &Sql) -> Vec<String> {
    let text = format!("EXPLAIN {}", s.text);
    bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
        .fetch_all(c)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}\n{}", s.text))
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

/// SQLite's plan of `s`, one line per step.
async fn sqlite_plan(c: &mut sqlx::SqliteConnection, s: &Sql) -> Vec<String> {
    let text = format!("EXPLAIN QUERY PLAN {}", s.text);
    bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
        .fetch_all(c)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", s.text))
        .iter()
        .map(|r| r.get::<String, _>("detail"))
        .collect()
}

/// The (date_lo, id) of the events `s` pages, in order.
async fn sqlite_pairs(c: &mut sqlx::SqliteConnection, s: &Sql) -> Vec<(String, String)> {
    bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
        .fetch_all(c)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", s.text))
        .iter()
        .map(|r| (r.get::<String, _>("date_lo"), r.get::<String, _>("id")))
        .collect()
}

/// The ids of the events `s` pages.
async fn sqlite_ids(c: &mut sqlx::SqliteConnection, s: &Sql) -> Vec<String> {
    bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
        .fetch_all(c)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", s.text))
        .iter()
        .map(|r| r.get::<String, _>("id"))
        .collect()
}

const SQLITE_WEEK: &str = "date({date}, '-6 days', 'weekday 1')";
const POSTGRES_WEEK: &str = "to_char(date_trunc('week', {date}::date), 'YYYY-MM-DD')";

/// Facet counts for one code (the filter menus of a region's or country's page).
fn facet_queries() -> Vec<(String, EventQuery, Facet)> {
    let country = EventQuery {
        countries: vec!["UA".into()],
        ..Default::default()
    };
    let window = EventQuery {
        regions: vec!["RU-KRS".into()],
        from: Some(date(2024, 1, 1)),
        to: Some(date(2024, 6, 30)),
        ..Default::default()
    };
    let actor = EventQuery {
        actors: vec!["kpa".into()],
        ..Default::default()
    };
    let mut out = Vec::new();
    for (label, q) in [
        ("country", country),
        ("region and window", window),
        ("actor", actor),
    ] {
        for facet in [
            Facet::Region,
            Facet::Country,
            Facet::Actor,
            Facet::Type,
            Facet::Month,
            Facet::Week,
        ] {
            out.push((format!("facet {facet:?} of {label}"), q.clone(), facet));
        }
    }
    out
}

#[tokio::test]
async fn postgres_plans_use_indexes() {
    let Some((_app, mut c)) = postgres_synthetic_store().await else {
        return;
    };
    sqlx::query("ANALYZE")
        .execute(&mut c)
        .await
        .expect("analyze");
    // With a few thousand rows a sort of every match is cheap and PostgreSQL rightly
    // picks it; turning sequential scans, bitmap scans and sorts off shows whether an
    // index can serve the page in order, as the planner chooses at archive scale.
    for set in [
        "SET enable_seqscan = off",
        "SET enable_bitmapscan = off",
        "SET enable_sort = off",
    ] {
        sqlx::query(set).execute(&mut c).await.expect("set");
    }
    let mut failures = Vec::new();
    for (name, q, ordered) in queries() {
        let s = sql::list_events(&q, false, postgres_fts);
        let plan = postgres_plan(&mut c, name, &s).await;
        let shown = plan.join("\n  ");
        if plan.iter().any(|l| {
            l.contains("Seq Scan on events ")
                || l.contains("Seq Scan on event_regions")
                || l.contains("Seq Scan on event_countries")
                || l.contains("Seq Scan on event_actors")
        }) {
            failures.push(format!("{name}: sequential scan\n  {shown}"));
        }
        // A region's page is read in order from the region's link rows only if the
        // planner expects as many events as links (each link row is one event): an
        // estimate of a handful (two join conditions taken as independent) made it sort
        // every match of the region instead — 250 ms a page at 1M events.
        if name == "region" {
            let rows = |pat: &str| -> Option<f64> {
                let line = plan.iter().find(|l| l.contains(pat))?;
                line.split("rows=").nth(1)?.split(' ').next()?.parse().ok()
            };
            let join = rows("Nested Loop").or_else(|| rows(" Join"));
            match (join, rows(" on event_regions")) {
                (Some(j), Some(l)) if j * 2.0 >= l => {}
                (j, l) => failures.push(format!(
                    "{name}: the join is estimated at {j:?} rows for {l:?} link rows\n  {shown}"
                )),
            }
        }
        // The top of the plan is the LIMIT; right below it a Sort means every match
        // is sorted before the page is cut.
        if ordered
            && plan.iter().take(3).any(|l| {
                l.trim_start()
                    .trim_start_matches("->  ")
                    .starts_with("Sort")
            })
        {
            failures.push(format!("{name}: sorts every match\n  {shown}"));
        }
        let n = bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .len();
        eprintln!("postgres {name}: {n} rows\n  {shown}");
    }
    for (name, q, facet) in facet_queries() {
        let s = sql::facet_counts(&q, facet, postgres_fts, POSTGRES_WEEK);
        let text = format!("EXPLAIN {}", s.text);
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", s.text));
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
        let shown = plan.join("\n  ");
        if plan.iter().any(|l| l.contains("Seq Scan on")) {
            failures.push(format!("{name}: sequential scan\n  {shown}"));
        }
        let counted = bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!counted.is_empty(), "{name}: no counts");
        eprintln!("postgres {name}: {} keys\n  {shown}", counted.len());
    }
    for (name, s) in kept_and_candidates() {
        let plan = postgres_plan(&mut c, name, &s).await;
        if plan.iter().any(|l| l.contains("Seq Scan")) {
            failures.push(format!("{name}: sequential scan\n  {}", plan.join("\n  ")));
        }
        eprintln!("postgres {name}:\n  {}", plan.join("\n  "));
    }
    let name = "batch candidates";
    let plan = postgres_plan(&mut c, name, &batch_candidates(db::Backend::Postgres)).await;
    let shown = plan.join("\n  ");
    if plan.iter().any(|l| l.contains("Seq Scan"))
        || !["events_by_interval", "events_by_extracted"]
            .iter()
            .all(|i| plan.iter().any(|l| l.contains(i)))
    {
        failures.push(format!("{name}:\n  {shown}"));
    }
    eprintln!("postgres {name}:\n  {shown}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Migration 0013 on a store that has events (the upgrade path): a store is brought
/// back to the full-text layout of migrations 0007–0012 (one row per event keyed by its
/// `seq`, no places), the store is opened again, and the migration rebuilds the rows —
/// the same number, each now keyed by day and seq with its places — so that words in a
/// region give the same pages as the ordinary plan, and a text written after the
/// upgrade is found in its place.
#[tokio::test]
async fn sqlite_full_text_with_places_is_built_for_an_existing_store() {
    let app = app().await;
    synthetic::fill(
        &app.database_url,
        &Options {
            events: 1_500,
            seed: 5,
            ..Options::default()
        },
    )
    .await
    .expect("synthetic events");
    let mut c = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    let before = fts_rows(&mut c).await;
    assert!(before > 1_000, "{before} full-text rows");
    for stmt in [
        "DROP TRIGGER events_fts_rekey",
        "DROP VIEW event_text",
        "CREATE VIRTUAL TABLE fts_0007 USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2')",
        "INSERT INTO fts_0007 (rowid, body) SELECT rowid & 4294967295, body FROM event_fts",
        "DROP TABLE event_fts",
        "ALTER TABLE fts_0007 RENAME TO event_fts",
        "CREATE VIEW event_text (event_id, body) AS SELECT e.id, f.body FROM event_fts f JOIN events e ON e.seq = f.rowid",
        "DELETE FROM _sqlx_migrations WHERE version = 13",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(stmt))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let old_key: i64 = sqlx::query_scalar("SELECT MAX(rowid) FROM event_fts")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert!(old_key < sql::FTS_DAY, "keyed by seq before the upgrade");
    drop(c);

    let store = linimasa::store::connect(&app.database_url)
        .await
        .expect("the store opens and migrates");
    let mut c = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    assert_eq!(
        fts_rows(&mut c).await,
        before,
        "one row per event, as before"
    );
    for q in [
        EventQuery {
            regions: vec!["RU-KRS".into()],
            q: vec!["drone".into()],
            limit: 50,
            ..Default::default()
        },
        EventQuery {
            countries: vec!["UA".into()],
            q: vec!["drone".into()],
            descending: true,
            limit: 7,
            ..Default::default()
        },
    ] {
        let scope = sql::fts5_scope(&q).unwrap();
        let scoped = sqlite_pairs(
            &mut c,
            &sql::list_events_scoped(&q, &scope, &sql::fts5_all_words(&q.q)),
        )
        .await;
        let ordinary = sqlite_pairs(&mut c, &sql::list_events(&q, true, sqlite_fts)).await;
        assert!(!scoped.is_empty(), "{q:?}");
        assert_eq!(scoped, ordinary, "{q:?}");
        // And through the store, as the API asks.
        let page = store.list_events(&q).await.unwrap();
        let ids: Vec<&str> = page.iter().map(|e| e.id.as_str()).collect();
        let want: Vec<&str> = ordinary.iter().map(|(_, i)| i.as_str()).collect();
        assert_eq!(ids, want, "{q:?}");
    }
}

async fn fts_rows(c: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM event_fts")
        .fetch_one(c)
        .await
        .unwrap()
}

/// A country or region with one type, and a date window with no place (issue 19: at 1M
/// events the first took 2.8 s, SQLite starting from the type's index and sorting every
/// event of the type, and the second 0.6 s, reading every event before the window).
/// Each is checked both ways it can be read — from the place's link range (`CROSS
/// JOIN`) or from the type's index with the place looked up per event, and the window
/// as four ranges of first days — for its plan (an index range in page order, no sort
/// of the matches, the multi-day and long-event indexes for the earlier ranges) and for giving the
/// same page as the plain join, over windows, orders, cursors, limits and other
/// filters, on a store where some events span years and one begins before year 0.
/// Date windows with no place, for both backends' window tests: a quarter, a few
/// days, one day, open-ended ones, one that ends as the archive begins and one in
/// years 2–3 (before any event), each a page of 101.
fn window_bases() -> Vec<EventQuery> {
    [
        (date(2024, 1, 1), Some(date(2024, 3, 31))),
        (date(2022, 3, 15), Some(date(2022, 3, 20))),
        (date(2023, 3, 12), Some(date(2023, 3, 12))),
        (date(2023, 7, 1), None),
        (date(2025, 12, 1), Some(date(2026, 1, 31))),
        (date(2026, 6, 1), None),
        (date(1990, 1, 1), Some(date(2022, 3, 1))),
        (date(2, 6, 1), Some(date(3, 1, 1))),
    ]
    .into_iter()
    .map(|(from, to)| EventQuery {
        from: Some(from),
        to,
        limit: 101,
        ..Default::default()
    })
    .collect()
}

/// A window and its variants: newest first with limits 1 and 7, a type with a
/// confidence floor, two regions, a word, and cursors both ways from the middle and
/// the end of `first` (the window's own first page).
fn window_variants(base: &EventQuery, first: &[(String, String)]) -> Vec<EventQuery> {
    let mut windows = vec![base.clone()];
    for limit in [1, 7] {
        windows.push(EventQuery {
            limit,
            descending: true,
            ..base.clone()
        });
    }
    windows.push(EventQuery {
        types: vec!["assault".into()],
        min_confidence: Some(0.5),
        ..base.clone()
    });
    windows.push(EventQuery {
        regions: vec!["RU-KRS".into(), "RU-BEL".into()],
        ..base.clone()
    });
    windows.push(EventQuery {
        q: vec!["drone".into()],
        ..base.clone()
    });
    for at in [first.len() / 2, first.len().saturating_sub(1)] {
        if let Some((d, id)) = first.get(at) {
            for descending in [false, true] {
                windows.push(EventQuery {
                    after: Some((d.clone(), id.clone())),
                    descending,
                    limit: 20,
                    ..base.clone()
                });
            }
        }
    }
    windows
}

#[tokio::test]
async fn sqlite_place_and_type_and_date_windows_give_the_plain_pages() {
    let (app, mut c) = synthetic_store().await;
    // Long events: some that end years after they begin (every 97th), and one that
    // begins before year 0, which SQLite's date() cannot read.
    for stmt in [
        "UPDATE events SET date_hi = '2026-06-30' WHERE seq % 97 = 0",
        "UPDATE events SET date_hi = '2025-03-01' WHERE seq % 89 = 0 AND date_lo < '2023-06-01'",
        "UPDATE events SET date_lo = '-000100-01-01' WHERE seq = 500",
        // The link rows carry copies of the dates.
        "UPDATE event_regions SET date_lo = (SELECT e.date_lo FROM events e WHERE e.id = event_id), date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_id)",
        "UPDATE event_countries SET date_lo = (SELECT e.date_lo FROM events e WHERE e.id = event_id), date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_id)",
        "UPDATE event_actors SET date_lo = (SELECT e.date_lo FROM events e WHERE e.id = event_id), date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_id)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(stmt))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let longer: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events e INDEXED BY events_longer \
         WHERE (e.date_hi > date(e.date_lo, '+366 days') OR e.date_lo < '0')",
    )
    .fetch_one(&mut c)
    .await
    .expect("count of long events");
    assert!(longer > 20, "{longer} events longer than a year");
    let plain = |q: &EventQuery| sql::list_events(q, false, sqlite_fts);

    // A place and one type.
    let mut place_type = Vec::new();
    for (regions, countries, kind) in [
        (vec![], vec!["UA"], "assault"),
        (vec![], vec!["RU"], "assault"),
        (vec![], vec!["UA"], "protest"),
        (vec!["UA-14"], vec![], "assault"),
        (vec!["RU-KRS"], vec![], "coerce"),
    ] {
        let base = EventQuery {
            regions: regions.iter().map(|r: &&str| r.to_string()).collect(),
            countries: countries.iter().map(|c: &&str| c.to_string()).collect(),
            types: vec![kind.into()],
            limit: 101,
            ..Default::default()
        };
        place_type.push(base.clone());
        place_type.push(EventQuery {
            descending: true,
            limit: 7,
            ..base.clone()
        });
        place_type.push(EventQuery {
            after: Some(("2024-03-01".into(), "evt_m".into())),
            ..base.clone()
        });
        place_type.push(EventQuery {
            from: Some(date(2024, 2, 1)),
            to: Some(date(2024, 9, 30)),
            min_confidence: Some(0.3),
            ..base
        });
    }
    let mut nonempty = 0;
    for q in &place_type {
        let want = sqlite_pairs(&mut c, &plain(q)).await;
        nonempty += usize::from(!want.is_empty());
        let linked = sql::list_events(q, true, sqlite_fts);
        let plan = sqlite_plan(&mut c, &linked).await;
        assert!(
            plan[0].starts_with("SEARCH l USING PRIMARY KEY")
                && !plan.iter().any(|d| d.contains("TEMP B-TREE")),
            "{q:?} from the place:\n  {}",
            plan.join("\n  ")
        );
        assert_eq!(
            sqlite_pairs(&mut c, &linked).await,
            want,
            "{q:?} from the place"
        );
        let typed = sql::list_events_unlinked(q, false, sqlite_fts);
        let plan = sqlite_plan(&mut c, &typed).await;
        assert!(
            plan.iter().any(|d| d.contains("events_by_type"))
                && !plan
                    .iter()
                    .any(|d| d == "SCAN e" || d.starts_with("SCAN e USING INDEX events_by_date")),
            "{q:?} from the type:\n  {}",
            plan.join("\n  ")
        );
        if q.from.is_none() {
            assert!(
                !plan.iter().any(|d| d.contains("TEMP B-TREE")),
                "{q:?} from the type, sorted:\n  {}",
                plan.join("\n  ")
            );
        }
        assert_eq!(
            sqlite_pairs(&mut c, &typed).await,
            want,
            "{q:?} from the type"
        );
        eprintln!("sqlite {q:?} from the type:\n  {}", plan.join("\n  "));
    }
    assert!(
        nonempty * 2 > place_type.len(),
        "{nonempty} pages with events"
    );

    // Date windows with no place.
    let mut windows = Vec::new();
    for base in window_bases() {
        let first = sqlite_pairs(&mut c, &plain(&base)).await;
        windows.extend(window_variants(&base, &first));
    }
    let mut nonempty = 0;
    // Pages that hold an event begun in the month before the window (the multi-day
    // range's own rows), and one begun a month to a year before it (the long range's).
    let (mut began_just_before, mut began_long_before) = (0, 0);
    for q in &windows {
        let want = sqlite_pairs(&mut c, &plain(q)).await;
        nonempty += usize::from(!want.is_empty());
        if let Some(from) = q.from {
            let month_before = from
                .checked_sub(jiff::Span::new().days(31))
                .map(|d| d.to_string())
                .unwrap_or_default();
            let from = from.to_string();
            began_just_before +=
                usize::from(want.iter().any(|(lo, _)| *lo < from && *lo >= month_before));
            began_long_before += usize::from(
                want.iter()
                    .any(|(lo, _)| *lo < month_before && !lo.starts_with('-')),
            );
        }
        let s = sql::list_events_unlinked(q, false, sqlite_fts);
        let plan = sqlite_plan(&mut c, &s).await;
        let shown = plan.join("\n  ");
        if q.from.is_some_and(|f| f.year() > 1) {
            assert!(
                plan.iter().any(|d| d.contains("INDEX events_multi "))
                    && plan.iter().any(|d| d.contains("INDEX events_long "))
                    && plan.iter().any(|d| d.contains("INDEX events_longer "))
                    && !plan.iter().any(
                        |d| d == "SCAN e" || d.starts_with("SCAN e USING INDEX events_by_date")
                    ),
                "{q:?}:\n  {shown}"
            );
        }
        assert_eq!(sqlite_pairs(&mut c, &s).await, want, "{q:?}\n  {shown}");
        eprintln!("sqlite {q:?}:\n  {shown}");
    }
    assert!(
        nonempty * 2 > windows.len(),
        "{nonempty} windows with events"
    );
    assert!(
        began_just_before > 0 && began_long_before > 0,
        "pages with events begun in the month before the window: {began_just_before}; \
         a month to years before it: {began_long_before}"
    );

    // Through the store, which picks the way by the kept counts (recounted here, as
    // the updates above bypassed the writer).
    drop(c);
    let store = linimasa::store::connect(&app.database_url)
        .await
        .expect("store");
    let mut c = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    for q in place_type.iter().chain(&windows) {
        let want = sqlite_ids(&mut c, &plain(q)).await;
        let got: Vec<String> = store
            .list_events(q)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want, "{q:?} through the store");
    }
}

/// The (date_lo, id) of the events `s` pages, on PostgreSQL.
async fn postgres_pairs(c: &mut sqlx::PgConnection, s: &Sql) -> Vec<(String, String)> {
    bind_all(sqlx::query(sqlx::AssertSqlSafe(s.text.as_str())), &s.binds)
        .fetch_all(c)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", s.text))
        .iter()
        .map(|r| (r.get::<String, _>("date_lo"), r.get::<String, _>("id")))
        .collect()
}

/// Whether a PostgreSQL plan reads `events_by_date` without a lower bound on the first
/// day: from the first event in the archive (or, newest first, down to it).
fn reads_dates_from_the_start(plan: &[String]) -> bool {
    plan.iter().enumerate().any(|(i, l)| {
        l.contains("using events_by_date ")
            && !plan[i + 1..]
                .iter()
                .take_while(|n| !n.contains("->"))
                .any(|n| n.contains("Index Cond") && n.contains("date_lo >="))
    })
}

/// PostgreSQL's date windows with no place (migration 0014): the three ranges of first
/// days, the long-event ranges from their partial indexes and no read of the archive
/// from its first event, giving the plain query's page, over windows, orders, cursors,
/// limits and other filters, on a store where some events span years and one begins
/// before year 0; and the store itself gives the same pages.
#[tokio::test]
async fn postgres_date_windows_give_the_plain_pages() {
    let Some((app, mut c)) = postgres_synthetic_store().await else {
        return;
    };
    for stmt in [
        "UPDATE events SET date_hi = '2026-06-30' WHERE id IN \
         (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) x WHERE n % 97 = 0)",
        "UPDATE events SET date_hi = '2025-03-01' WHERE date_lo < '2023-06-01' AND id IN \
         (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) x WHERE n % 89 = 0)",
        "UPDATE events SET date_lo = '-000100-01-01' WHERE id = (SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 499)",
        // A month and a day across February: shorter than 31 days by the calendar.
        "UPDATE events SET date_lo = '2023-02-10', date_hi = '2023-03-12' WHERE id = (SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 700)",
        "UPDATE event_regions l SET date_lo = e.date_lo, date_hi = e.date_hi FROM events e WHERE e.id = l.event_id",
        "UPDATE event_countries l SET date_lo = e.date_lo, date_hi = e.date_hi FROM events e WHERE e.id = l.event_id",
        "UPDATE event_actors l SET date_lo = e.date_lo, date_hi = e.date_hi FROM events e WHERE e.id = l.event_id",
        "ANALYZE",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(stmt))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    // Every event longer than a year by the calendar is in `events_longer`.
    let (longer, missed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 366), \
                COUNT(*) FILTER (WHERE NOT (linimasa_day(date_hi) - linimasa_day(date_lo) > 366)) \
         FROM events WHERE date_lo < '0' OR date_hi::date > date_lo::date + 366",
    )
    .fetch_one(&mut c)
    .await
    .expect("count of long events");
    assert!(longer > 20 && missed == 0, "{longer} long, {missed} missed");
    // With a few thousand rows PostgreSQL rightly scans; without scans it shows which
    // indexes serve each range, as it picks them at archive scale.
    for set in ["SET enable_seqscan = off", "SET enable_bitmapscan = off"] {
        sqlx::query(set).execute(&mut c).await.expect("set");
    }
    let plain = |q: &EventQuery| sql::list_events(q, false, postgres_fts);

    let mut windows = Vec::new();
    for base in window_bases() {
        let first = postgres_pairs(&mut c, &plain(&base)).await;
        windows.extend(window_variants(&base, &first));
    }
    let mut nonempty = 0;
    for q in &windows {
        let want = postgres_pairs(&mut c, &plain(q)).await;
        nonempty += usize::from(!want.is_empty());
        let s = sql::list_events_unlinked(q, true, postgres_fts);
        let plan = postgres_plan(&mut c, "window", &s).await;
        let shown = plan.join("\n  ");
        // With a type, a word or places the planner may read other indexes for the
        // long ranges at this size (the type's, or the whole of `events_by_interval`,
        // small here); the plans at 1M events are in BENCHMARKS.md §6.
        let only_dates = q.types.is_empty() && q.q.is_empty() && q.regions.is_empty();
        if q.from.is_some_and(|f| f.year() > 1) {
            assert!(
                (!only_dates
                    || plan.iter().any(|l| l.contains("using events_multi "))
                        && plan.iter().any(|l| l.contains("using events_long "))
                        && plan.iter().any(|l| l.contains("using events_longer ")))
                    && !plan.iter().any(|l| l.contains("Seq Scan on events"))
                    && !reads_dates_from_the_start(&plan),
                "{q:?}:\n  {shown}"
            );
        }
        assert_eq!(postgres_pairs(&mut c, &s).await, want, "{q:?}\n  {shown}");
        eprintln!("postgres {q:?}:\n  {shown}");
    }
    assert!(
        nonempty * 2 > windows.len(),
        "{nonempty} windows with events"
    );
    // The plain query reads the archive from its start: the check above can fail.
    assert!(reads_dates_from_the_start(
        &postgres_plan(&mut c, "plain window", &plain(&windows[0])).await
    ));

    // Through the store.
    for q in &windows {
        let want: Vec<String> = postgres_pairs(&mut c, &plain(q))
            .await
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let got: Vec<String> = app
            .store
            .list_events(q)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want, "{q:?} through the store");
    }
}

/// PostgreSQL: writing an event runs no SQL function for the predicates of
/// `events_long` and `events_longer` (migration 0016): `linimasa_day` is inlined into
/// them. Declared STRICT over a CASE (migration 0014), it could not be, and every insert
/// and every update of an event's row (a merge rewrites its doc) ran the function's
/// executor four times, set up anew for each statement: PostgreSQL's share of a bulk
/// ingest doubled. The function's calls are counted by PostgreSQL itself
/// (`track_functions`), in the writing transaction.
#[tokio::test]
async fn postgres_writing_an_event_calls_no_function() {
    let Some(app) = postgres_app().await else {
        return;
    };
    let mut c = sqlx::PgConnection::connect(&app.database_url)
        .await
        .expect("postgres");
    sqlx::query("SET track_functions = 'all'")
        .execute(&mut c)
        .await
        .expect("track functions");
    let mut tx = c.begin().await.expect("begin");
    for stmt in [
        // Longer than a year: both partial indexes hold it.
        "INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, created_at, updated_at) \
         VALUES ('evt_long', '2023-01-01', '2024-06-30', 'assault', 0.9, 'extracted', '{}', 't', 't')",
        "INSERT INTO events (id, date_lo, date_hi, event_type, confidence, status, doc, created_at, updated_at) \
         VALUES ('evt_day', '2024-06-30', '2024-06-30', 'assault', 0.9, 'extracted', '{}', 't', 't')",
        "UPDATE events SET doc = '{\"a\":1}', updated_at = 'u' WHERE id IN ('evt_long', 'evt_day')",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(stmt))
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let calls: Option<i64> =
        sqlx::query_scalar("SELECT pg_stat_get_xact_function_calls('linimasa_day'::regproc)")
            .fetch_one(&mut *tx)
            .await
            .expect("function calls");
    // The rows are in the indexes that hold them, and only there.
    let (long, longer): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 31), \
                COUNT(*) FILTER (WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 366) \
         FROM events",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("long events");
    tx.rollback().await.expect("rollback");
    assert_eq!(calls.unwrap_or(0), 0, "linimasa_day run as a function");
    assert_eq!((long, longer), (1, 1));
}

/// PostgreSQL: words in one region, country or actor (`sql::list_events_linked_words`).
/// The place's link range is read in page order, each event's words are checked by its
/// id before its row is read, and only the page's events are fetched (at most `limit`
/// lookups of `events`, with no sort), giving the plain join's page: common, rare, two
/// and missing words, newest first, date windows, limits and cursors; and the store
/// itself gives the same pages. The words' signature on each link row (migration 0018)
/// is checked in the link index's range, and passes over most events without the words
/// before their texts are read.
#[tokio::test]
async fn postgres_words_in_a_place_read_only_the_page_events() {
    let Some((app, mut c)) = postgres_synthetic_store().await else {
        return;
    };
    // One event hidden: it must not take a place in a page.
    sqlx::query(
        "UPDATE events SET status = 'hidden' WHERE id = (SELECT l.event_id FROM event_regions l \
         JOIN event_text t ON t.event_id = l.event_id WHERE l.iso_code = 'RU-KRS' \
         AND t.tsv @@ plainto_tsquery('simple', 'drone') ORDER BY l.date_lo, l.event_id LIMIT 1 OFFSET 3)",
    )
    .execute(&mut c)
    .await
    .expect("hide one");
    sqlx::query("ANALYZE")
        .execute(&mut c)
        .await
        .expect("analyze");
    for set in [
        "SET enable_seqscan = off",
        "SET enable_bitmapscan = off",
        "SET enable_sort = off",
    ] {
        sqlx::query(set).execute(&mut c).await.expect("set");
    }
    let tsquery = |sql: &mut Sql, words: &[String]| {
        let p = sql.bind(Bind::Text(words.join(" ")));
        format!("plainto_tsquery('simple', {p})")
    };
    let mut queries = Vec::new();
    for (regions, countries, actors) in [
        (vec!["RU-KRS"], vec![], vec![]),
        (vec!["UA-14"], vec![], vec![]),
        (vec![], vec!["UA"], vec![]),
        (vec![], vec![], vec!["russia-military"]),
    ] {
        for words in [
            vec!["drone"],
            vec!["sudzha"],
            vec!["drone", "shelling"],
            vec!["nowordlikethis"],
        ] {
            let base = EventQuery {
                regions: regions.iter().map(|s: &&str| s.to_string()).collect(),
                countries: countries.iter().map(|s: &&str| s.to_string()).collect(),
                actors: actors.iter().map(|s: &&str| s.to_string()).collect(),
                q: words.iter().map(|s| s.to_string()).collect(),
                limit: 101,
                ..Default::default()
            };
            queries.push(base.clone());
            for limit in [1, 7] {
                queries.push(EventQuery {
                    limit,
                    descending: true,
                    ..base.clone()
                });
            }
            queries.push(EventQuery {
                from: Some(date(2024, 1, 1)),
                to: Some(date(2024, 9, 30)),
                ..base.clone()
            });
            let first = postgres_pairs(&mut c, &sql::list_events(&base, false, postgres_fts)).await;
            for at in [first.len() / 2, first.len().saturating_sub(1)] {
                if let Some((d, id)) = first.get(at) {
                    for descending in [false, true] {
                        queries.push(EventQuery {
                            after: Some((d.clone(), id.clone())),
                            descending,
                            limit: 20,
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    let mut nonempty = 0;
    // Link entries read, and of them those whose event's texts were read.
    let (mut read, mut probed) = (0u64, 0u64);
    // Pages of one exact word (migration 0019), and the texts read for them.
    let (mut exact_rows, mut exact_probed) = (0u64, 0u64);
    for q in &queries {
        let want = postgres_pairs(&mut c, &sql::list_events(q, false, postgres_fts)).await;
        nonempty += usize::from(!want.is_empty());
        let s = sql::list_events_linked_words(q, words::mask(&q.q), words::exact(&q.q), tsquery)
            .expect("words in one place");
        let text = format!("EXPLAIN (ANALYZE) {}", s.text);
        let plan: Vec<String> = bind_all(sqlx::query(sqlx::AssertSqlSafe(text.as_str())), &s.binds)
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{q:?}: {e}"))
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        let shown = plan.join("\n  ");
        let fetched: Option<u32> = plan
            .iter()
            .find(|l| l.contains("using events_pkey on events e"))
            .and_then(|l| {
                if l.contains("(never executed)") {
                    return Some(0);
                }
                l.split("loops=").nth(1)?.trim_end_matches(')').parse().ok()
            });
        assert!(
            fetched.is_some_and(|n| n <= q.limit)
                && plan.iter().any(|l| l.contains("using event_text_by_event"))
                && !plan.iter().any(|l| {
                    let l = l.trim_start().trim_start_matches("->  ");
                    l.starts_with("Sort") || l.starts_with("Seq Scan")
                }),
            "{q:?}: {fetched:?} events read\n  {shown}"
        );
        assert_eq!(postgres_pairs(&mut c, &s).await, want, "{q:?}\n  {shown}");
        // The link range checks the signature in the index.
        let range = plan
            .iter()
            .position(|l| l.contains("Index Only Scan") && l.contains(" l "))
            .unwrap_or_else(|| panic!("{q:?}: no index-only link range\n  {shown}"));
        let count = |l: &str, key: &str| -> u64 {
            l.split(key)
                .nth(1)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let after = &plan[range + 1..];
        let filter_end = after
            .iter()
            .position(|l| l.contains("->"))
            .unwrap_or(after.len());
        assert!(
            after[..filter_end]
                .iter()
                .any(|l| l.contains("Filter:") && l.contains("w0")),
            "{q:?}: the signature is not checked in the link range\n  {shown}"
        );
        let probes = plan
            .iter()
            .filter(|l| l.contains("using event_text_by_event"))
            .map(|l| {
                if l.contains("(never executed)") {
                    0
                } else {
                    count(l, "loops=")
                }
            })
            .sum::<u64>();
        if words::exact(&q.q).is_some() {
            // One word of the exact list: the exact bit in the link range answers it
            // (the synthetic texts hold their words between spaces); only the hashed
            // signature's few false positives still have their texts read.
            assert!(
                after[..filter_end]
                    .iter()
                    .any(|l| l.contains("Filter:") && l.contains("w4")),
                "{q:?}: the exact bit is not checked in the link range\n  {shown}"
            );
            exact_probed += probes;
            exact_rows += want.len() as u64;
        }
        read += count(plan[range].split("actual").nth(1).unwrap_or(""), "rows=")
            + after[..filter_end]
                .iter()
                .map(|l| count(l, "Rows Removed by Filter: "))
                .sum::<u64>();
        probed += probes;
    }
    assert!(
        probed * 3 < read,
        "{probed} events' texts read of {read} link entries"
    );
    assert!(
        exact_rows >= 100 && exact_probed * 20 < exact_rows,
        "{exact_probed} texts read for {exact_rows} events of pages of one exact word"
    );
    // A missing word's pages are empty by design, and "sudzha" is rare at this size.
    assert!(
        nonempty * 4 >= queries.len(),
        "{nonempty} of {} pages with events",
        queries.len()
    );
    // Other filters keep the plain join.
    assert!(
        sql::list_events_linked_words(
            &EventQuery {
                types: vec!["assault".into()],
                ..queries[0].clone()
            },
            None,
            None,
            tsquery
        )
        .is_none()
    );
    for q in &queries {
        let want: Vec<String> = postgres_pairs(&mut c, &sql::list_events(q, false, postgres_fts))
            .await
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let got: Vec<String> = app
            .store
            .list_events(q)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want, "{q:?} through the store");
    }
}
