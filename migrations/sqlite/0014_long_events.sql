-- Date windows without reading the archive before them (issue 19). A page of
-- `from=…&to=…` with no region, country or actor read `events_by_date` from the first
-- event on, fetching each row to check `date_hi >= from`: at 1M events, 0.6 s for a
-- window in 2024. `sql::list_events_unlinked` reads three ranges of first days instead:
-- the window and the 31 days before it through `events_by_date`, the year before that
-- through `events_long` (only events longer than 31 days can reach the window from
-- there), and everything earlier through `events_longer` (longer than 366 days). Most
-- events are a day, a week or a month, so both indexes are small. An event whose first
-- day is before year 0 (which `date()` cannot read) is in both.
CREATE INDEX events_long ON events (date_lo, id)
    WHERE (date_hi > date(date_lo, '+31 days') OR date_lo < '0');
CREATE INDEX events_longer ON events (date_lo, id)
    WHERE (date_hi > date(date_lo, '+366 days') OR date_lo < '0');
