-- An event's doc holds its sources too (1), written with every change to them, so a
-- page of events is read from `events` alone. Events stored before this migration
-- have 0 until `linimasa migrate` (or any start) rewrites their docs from
-- `event_sources`; until then they are read with their sources from that table.
ALTER TABLE events ADD COLUMN doc_sources INTEGER NOT NULL DEFAULT 0;
-- The events still to rewrite: empty once they are done, so a start finds none at once.
CREATE INDEX events_doc_v1 ON events (id) WHERE doc_sources = 0;
