-- One index per link table where there were two (issue 19: bulk ingest). Migration 0005
-- added `event_*_window`, the primary key's columns with `date_hi` included, beside the
-- primary key itself: every link row written went into both. The primary key now
-- includes `date_hi` (still unique on its three columns, so `ON CONFLICT` is as
-- before), and the window index, which it now equals, is gone.
CREATE UNIQUE INDEX event_regions_key ON event_regions (iso_code, date_lo, event_id) INCLUDE (date_hi);
ALTER TABLE event_regions DROP CONSTRAINT event_regions_pkey;
DROP INDEX event_regions_window;
ALTER TABLE event_regions ADD CONSTRAINT event_regions_pkey PRIMARY KEY USING INDEX event_regions_key;

CREATE UNIQUE INDEX event_countries_key ON event_countries (country, date_lo, event_id) INCLUDE (date_hi);
ALTER TABLE event_countries DROP CONSTRAINT event_countries_pkey;
DROP INDEX event_countries_window;
ALTER TABLE event_countries ADD CONSTRAINT event_countries_pkey PRIMARY KEY USING INDEX event_countries_key;

CREATE UNIQUE INDEX event_actors_key ON event_actors (actor, date_lo, event_id) INCLUDE (date_hi);
ALTER TABLE event_actors DROP CONSTRAINT event_actors_pkey;
DROP INDEX event_actors_window;
ALTER TABLE event_actors ADD CONSTRAINT event_actors_pkey PRIMARY KEY USING INDEX event_actors_key;
