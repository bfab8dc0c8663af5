-- An editor's date correction used to stop later reports of the same happening from
-- merging into the event: they carry the date as extracted, which the event no longer
-- had. The interval and precision as extracted are kept here when a correction first
-- changes them (NULL while the date is the extracted one), and merging matches on
-- either. Few events are corrected: the index holds only those.
ALTER TABLE events ADD COLUMN extracted_lo TEXT;
ALTER TABLE events ADD COLUMN extracted_hi TEXT;
ALTER TABLE events ADD COLUMN extracted_precision TEXT;
CREATE INDEX events_by_extracted ON events (event_type, extracted_lo, extracted_hi)
    WHERE extracted_lo IS NOT NULL;
