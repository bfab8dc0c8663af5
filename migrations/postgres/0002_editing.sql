-- Editing: API keys (stored hashed), the history of corrections, and the index the
-- change feed (`updated_since`) reads.

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,     -- SHA-256 of the key; the key itself is never stored
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE event_history (
    id        BIGSERIAL PRIMARY KEY,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    by_key    TEXT NOT NULL,
    changes   TEXT NOT NULL
);
CREATE INDEX event_history_by_event ON event_history (event_id, id);

CREATE INDEX events_by_updated ON events (updated_at, id);
