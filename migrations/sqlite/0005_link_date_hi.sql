-- The link tables carry their event's date_hi as well as date_lo: a date window on a
-- region, country or actor is then decided while the (code, date_lo, event_id) range
-- is read, without fetching the events that ended before the window. (The tables are
-- WITHOUT ROWID: the column lives in the key's B-tree leaves.)
ALTER TABLE event_regions ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
ALTER TABLE event_countries ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
ALTER TABLE event_actors ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
UPDATE event_regions SET date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_regions.event_id);
UPDATE event_countries SET date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_countries.event_id);
UPDATE event_actors SET date_hi = (SELECT e.date_hi FROM events e WHERE e.id = event_actors.event_id);
