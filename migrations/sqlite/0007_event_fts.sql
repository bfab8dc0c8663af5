-- Full text keyed by event. Before, `events_fts` held one row per source with the
-- event id UNINDEXED: a region page with a common word had to list every event that
-- holds the word (hundreds of thousands) before it could read the region's range.
-- Now each event's texts are one FTS5 row whose rowid is the event's `seq`, so a
-- candidate event can be checked with `MATCH … AND rowid = seq` (a doclist seek), and
-- a rare word still lists its few events.
--
-- `seq` is an explicit column (SQLite may renumber implicit rowids on VACUUM), set by a
-- trigger for rows inserted without one.
ALTER TABLE events ADD COLUMN seq INTEGER;
UPDATE events SET seq = rowid;
CREATE UNIQUE INDEX events_by_seq ON events (seq);
CREATE TRIGGER events_seq AFTER INSERT ON events WHEN NEW.seq IS NULL BEGIN
    UPDATE events SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM events) WHERE rowid = NEW.rowid;
END;

CREATE VIRTUAL TABLE event_fts USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO event_fts (rowid, body)
    SELECT e.seq, group_concat(f.body, char(10))
    FROM events_fts f JOIN events e ON e.id = f.event_id
    GROUP BY e.seq;
DROP TABLE events_fts;

-- Writers add a text to an event by inserting (event_id, body) here, as on PostgreSQL's
-- `event_text` table; the trigger appends it to the event's row.
CREATE VIEW event_text (event_id, body) AS
    SELECT e.id, f.body FROM event_fts f JOIN events e ON e.seq = f.rowid;
CREATE TRIGGER event_text_insert INSTEAD OF INSERT ON event_text BEGIN
    INSERT OR REPLACE INTO event_fts (rowid, body)
        SELECT e.seq,
               COALESCE((SELECT f.body || char(10) FROM event_fts f WHERE f.rowid = e.seq), '')
                   || NEW.body
        FROM events e WHERE e.id = NEW.event_id;
END;
