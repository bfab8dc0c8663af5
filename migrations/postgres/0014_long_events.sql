-- Date windows without reading the archive before them (issue 19), as SQLite's 0014.
-- A page of `from=…&to=…` with no region, country or actor read `events_by_date` from
-- the first event on, fetching each row to check `date_hi >= from`.
-- `sql::list_events_unlinked` reads four ranges of first days instead, as SQLite's 0014
-- and 0015: the window through `events_by_date`, the 31 days before it through
-- `events_multi` (only events longer than a day can reach the window from there), the
-- year before that through `events_long` (longer than 31 days), and everything earlier
-- through `events_longer` (longer than 366 days).
--
-- The dates are text; a cast to `date` is not immutable (it depends on DateStyle), so
-- an index cannot use it. `linimasa_day` numbers a `YYYY-MM-DD…` text as if every month
-- had 31 days and every year 372 (SQLite's full-text rowids use the same numbering):
-- it never decreases as the text grows, and from one day to the next it grows by at
-- least 1, so the difference of two such numbers is never less than the days between
-- the dates. An event longer than 31 (366) days therefore always passes the predicate
-- below; a few shorter ones across short months pass too, which costs nothing, as every
-- range still checks `date_hi >= from`. A text before year 0 is 0 (an event that begins
-- there and ends in our era is in both indexes); any other text that is not a date is
-- 4,000,000 (after every date).
CREATE FUNCTION linimasa_day(t text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN t ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]'
            THEN substr(t, 1, 4)::integer * 372 + substr(t, 6, 2)::integer * 31
                 + substr(t, 9, 2)::integer
        WHEN t < '0' COLLATE "C" THEN 0
        ELSE 4000000
    END
    $$;

-- Each index ends with date_hi, after (date_lo, id), which keep the page order: the
-- range checks `date_hi >= from` in the index, fetching only the rows that reach the
-- window (and the planner sees that this is cheaper than `events_by_interval`, whose
-- date_hi it could check in the same way across the whole index). An event that begins
-- before the window and reaches it ends after it begins: `date_hi > date_lo`, compared
-- as the pages compare dates.
CREATE INDEX events_multi ON events (date_lo, id, date_hi)
    WHERE date_hi > date_lo;
CREATE INDEX events_long ON events (date_lo, id, date_hi)
    WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 31;
CREATE INDEX events_longer ON events (date_lo, id, date_hi)
    WHERE linimasa_day(date_hi) - linimasa_day(date_lo) > 366;
