-- Date windows at archive density (issue 19). Migration 0014's first range read every
-- event whose first day falls in the window or in the 31 days before it, fetching each
-- row to check `date_hi >= from`: at 1M events a month holds ~20,000 events, and the
-- window `from=2024-01&to=2024-03` took 40–60 ms (4 ms at 60,000 events). An event that
-- begins before the window reaches it only if it lasts more than one day, so the 31
-- days before `from` are read through this index of events longer than a day, which
-- also holds `date_hi` (the check needs no row); the window itself, from `from` on,
-- needs no check at all. An event whose first day is before year 0 is in it too.
CREATE INDEX events_multi ON events (date_lo, id, date_hi)
    WHERE (date_hi > date_lo OR date_lo < '0');
