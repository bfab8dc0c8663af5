-- Feeds that `serve` follows (RSS, Atom, JSON Feed, news sitemaps), and the items it
-- has seen in them, so that nothing is fetched twice, across restarts and instances.
CREATE TABLE feeds (
    id                 TEXT PRIMARY KEY,
    url                TEXT NOT NULL UNIQUE,
    language           TEXT,
    interval_s         BIGINT NOT NULL,
    created_at         TEXT NOT NULL,
    -- The validators of the last full answer, sent back as If-None-Match /
    -- If-Modified-Since.
    etag               TEXT,
    last_modified      TEXT,
    last_fetched_at    TEXT,
    last_status        BIGINT,
    last_error         TEXT,
    -- Failed polls in a row: the backoff doubles with each.
    failures           BIGINT NOT NULL DEFAULT 0,
    items_seen         BIGINT NOT NULL DEFAULT 0,
    articles_ingested  BIGINT NOT NULL DEFAULT 0,
    next_fetch_at      TEXT NOT NULL,
    -- A poller that claimed the feed holds it until then (one poller per feed).
    lease_until        TEXT
);
CREATE INDEX feeds_due ON feeds (next_fetch_at);

-- One row per way an item is known: `guid:<feed id>:<guid>`, `url:<url>` (as listed
-- and after redirects), `hash:<sha-256 of the content>`. An item any of whose keys is
-- here is not fetched again. `claimed` rows belong to a poll in progress.
CREATE TABLE feed_items (
    key      TEXT PRIMARY KEY,
    feed_id  TEXT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    state    TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
    seen_at  TEXT NOT NULL
);
CREATE INDEX feed_items_by_feed ON feed_items (feed_id);
