-- Date windows at archive density (issue 19). Migration 0014's ranges fetched each
-- event's row to check `date_hi >= from`: at 1M events, the year before a window holds
-- ~8,000 events longer than 31 days, and `from=2024-01&to=2024-03` took 40–60 ms
-- (4 ms at 60,000 events), nearly all of it reading rows that end before the window.
-- Each index below holds `date_hi`, so the check needs no row and only events that
-- reach the window are read. And an event that begins in the 31 days before the window
-- reaches it only if it lasts more than one day: that range is read through
-- `events_multi`, so the window itself, from `from` on, needs no check at all. An
-- event whose first day is before year 0 (which `date()` cannot read) is in all three.
CREATE INDEX events_multi ON events (date_lo, id, date_hi)
    WHERE (date_hi > date_lo OR date_lo < '0');
DROP INDEX events_long;
CREATE INDEX events_long ON events (date_lo, id, date_hi)
    WHERE (date_hi > date(date_lo, '+31 days') OR date_lo < '0');
DROP INDEX events_longer;
CREATE INDEX events_longer ON events (date_lo, id, date_hi)
    WHERE (date_hi > date(date_lo, '+366 days') OR date_lo < '0');
