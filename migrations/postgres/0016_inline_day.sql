-- `linimasa_day` (migration 0014) inlined where it is used, instead of called as a SQL
-- function (issue 19: PostgreSQL's share of a bulk ingest doubled with 0014).
--
-- Declared STRICT, with a body that is not (a CASE), PostgreSQL could not inline it,
-- so every row written to `events` (an insert, or an update of its doc after a merge)
-- ran the SQL function's executor four times for the predicates of `events_long` and
-- `events_longer`, setting the function up again for every statement: 5,000 one-row
-- inserts into a table with those two indexes took 0.9–1.5 s against 0.2–0.3 s
-- without them, and 0.3–0.4 s with the same indexes over the function below.
--
-- Without STRICT the body is inlined into the index predicates and into the queries
-- alike (the planner still proves that a window's range may read the partial index:
-- `tests/it/plans.rs`). The values are the same for every text; both columns are
-- NOT NULL, so a NULL argument (now 4,000,000 rather than NULL) never occurs.
CREATE OR REPLACE FUNCTION linimasa_day(t text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN t ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]'
            THEN substr(t, 1, 4)::integer * 372 + substr(t, 6, 2)::integer * 31
                 + substr(t, 9, 2)::integer
        WHEN t < '0' COLLATE "C" THEN 0
        ELSE 4000000
    END
    $$;

-- Made again so that every server process reads their predicates anew, inlined (an
-- index's predicate is kept as it was first read; the planner would otherwise not
-- match it with a query's inlined one until the connection closed).
DROP INDEX events_long;
DROP INDEX events_longer;
CREATE INDEX events_long ON events (date_lo, id, date_hi)
    WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 31;
CREATE INDEX events_longer ON events (date_lo, id, date_hi)
    WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 366;
