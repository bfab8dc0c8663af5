-- Hidden events are few; counts leave them out with `id NOT IN (hidden ids)`, read
-- from this small index, instead of checking the status of every counted event. The
-- counts are then answered from the link tables' and events' covering indexes alone.
CREATE INDEX events_hidden ON events (id) WHERE status = 'hidden';
