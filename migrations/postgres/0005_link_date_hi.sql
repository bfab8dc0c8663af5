-- The link tables carry their event's date_hi as well as date_lo: a date window on a
-- region, country or actor is then decided from the index alone (date_hi is an
-- INCLUDE column of the page-order index), without fetching the events that ended
-- before the window.
ALTER TABLE event_regions ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
ALTER TABLE event_countries ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
ALTER TABLE event_actors ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
UPDATE event_regions l SET date_hi = e.date_hi FROM events e WHERE e.id = l.event_id;
UPDATE event_countries l SET date_hi = e.date_hi FROM events e WHERE e.id = l.event_id;
UPDATE event_actors l SET date_hi = e.date_hi FROM events e WHERE e.id = l.event_id;
CREATE INDEX event_regions_window ON event_regions (iso_code, date_lo, event_id) INCLUDE (date_hi);
CREATE INDEX event_countries_window ON event_countries (country, date_lo, event_id) INCLUDE (date_hi);
CREATE INDEX event_actors_window ON event_actors (actor, date_lo, event_id) INCLUDE (date_hi);
