-- Full text that knows where and when (issue 19). An event's FTS5 row now has two
-- columns, `body` (its texts, as before) and `scope` (a token per region, `xr` + its ISO
-- 3166-2 code without the hyphen, `xrrukrs`, and per country, `xc` + code), one token
-- each so that FTS5 reads one short doclist per place (a code kept whole would be a
-- phrase of two tokens, `xrua` in every Ukrainian event), and its rowid orders it by
-- date:
--
--     rowid = day(date_lo) * 2^32 + seq
--
-- where day() is year * 372 + month * 31 + day of a `YYYY-MM-DD` date (0 for a date_lo
-- that sorts before '0', 4,000,000 for any other form): it never decreases as date_lo
-- grows, so the rows of one day are together and the days are in page order. A region
-- page with a word is then one FTS5 query, `scope : ("xrRUKRS") AND body : ("drone")`,
-- whose matches come out in rowid (date) order: FTS5 intersects the two doclists and
-- stops after a page, instead of checking every event of the region's range against
-- the word's doclist. Within a day the page is sorted by (date_lo, id) as before
-- (`sql::list_events_scoped` reads the whole last day).
--
-- Written by triggers only: the `event_text` view's insert trigger computes the scope
-- from the event's links (writers insert an event's links before its texts, and an
-- edit re-inserts its text after its new links), and a change of date_lo moves the row
-- to its new key.
DROP VIEW event_text;

CREATE VIRTUAL TABLE event_fts_dated USING fts5 (
    body,
    scope,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO event_fts_dated (rowid, body, scope)
    SELECT ((CASE WHEN e.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(e.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(e.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(e.date_lo, 9, 2) AS INTEGER) WHEN e.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + e.seq),
           f.body,
           COALESCE((SELECT group_concat('xr' || replace(r.iso_code, '-', ''), ' ') FROM event_regions r WHERE r.event_id = e.id), '') || ' ' || COALESCE((SELECT group_concat('xc' || replace(c.country, '-', ''), ' ') FROM event_countries c WHERE c.event_id = e.id), '')
    FROM event_fts f JOIN events e ON e.seq = f.rowid;
DROP TABLE event_fts;
ALTER TABLE event_fts_dated RENAME TO event_fts;

CREATE VIEW event_text (event_id, body) AS
    SELECT e.id, f.body FROM event_fts f JOIN events e ON e.seq = (f.rowid & 4294967295);
CREATE TRIGGER event_text_insert INSTEAD OF INSERT ON event_text BEGIN
    INSERT OR REPLACE INTO event_fts (rowid, body, scope)
        SELECT ((CASE WHEN e.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(e.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(e.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(e.date_lo, 9, 2) AS INTEGER) WHEN e.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + e.seq),
               COALESCE((SELECT f.body || char(10) FROM event_fts f
                         WHERE f.rowid = ((CASE WHEN e.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(e.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(e.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(e.date_lo, 9, 2) AS INTEGER) WHEN e.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + e.seq)), '') || NEW.body,
               COALESCE((SELECT group_concat('xr' || replace(r.iso_code, '-', ''), ' ') FROM event_regions r WHERE r.event_id = e.id), '') || ' ' || COALESCE((SELECT group_concat('xc' || replace(c.country, '-', ''), ' ') FROM event_countries c WHERE c.event_id = e.id), '')
        FROM events e WHERE e.id = NEW.event_id;
END;
CREATE TRIGGER events_fts_rekey AFTER UPDATE OF date_lo ON events
    WHEN (CASE WHEN OLD.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(OLD.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(OLD.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(OLD.date_lo, 9, 2) AS INTEGER) WHEN OLD.date_lo < '0' THEN 0 ELSE 4000000 END) <> (CASE WHEN NEW.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(NEW.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(NEW.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(NEW.date_lo, 9, 2) AS INTEGER) WHEN NEW.date_lo < '0' THEN 0 ELSE 4000000 END)
BEGIN
    INSERT OR REPLACE INTO event_fts (rowid, body, scope)
        SELECT ((CASE WHEN NEW.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(NEW.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(NEW.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(NEW.date_lo, 9, 2) AS INTEGER) WHEN NEW.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + NEW.seq), f.body, f.scope
        FROM event_fts f WHERE f.rowid = ((CASE WHEN OLD.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(OLD.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(OLD.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(OLD.date_lo, 9, 2) AS INTEGER) WHEN OLD.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + OLD.seq);
    DELETE FROM event_fts WHERE rowid = ((CASE WHEN OLD.date_lo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' THEN CAST(substr(OLD.date_lo, 1, 4) AS INTEGER) * 372 + CAST(substr(OLD.date_lo, 6, 2) AS INTEGER) * 31 + CAST(substr(OLD.date_lo, 9, 2) AS INTEGER) WHEN OLD.date_lo < '0' THEN 0 ELSE 4000000 END) * 4294967296 + OLD.seq);
END;
