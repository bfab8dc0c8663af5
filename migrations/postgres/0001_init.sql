-- linimasa on PostgreSQL: articles, events and the link tables the filters use.
-- Link tables carry the event's date_lo so that "region X, by date" is one index range.

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    url           TEXT UNIQUE,
    content_hash  TEXT NOT NULL UNIQUE,
    title         TEXT,
    publisher     TEXT,
    published_at  TEXT,
    language      TEXT NOT NULL,
    text          TEXT NOT NULL,
    ingested_at   TEXT NOT NULL
);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    date_lo     TEXT NOT NULL,           -- first day of the event's interval
    date_hi     TEXT NOT NULL,           -- last day, inclusive
    event_type  TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    status      TEXT NOT NULL DEFAULT 'extracted'
                CHECK (status IN ('extracted', 'edited', 'verified', 'hidden')),
    doc         TEXT NOT NULL,           -- the event JSON without sources and timestamps
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX events_by_date ON events (date_lo, id);
CREATE INDEX events_by_type ON events (event_type, date_lo, id);
CREATE INDEX events_by_interval ON events (event_type, date_lo, date_hi);

CREATE TABLE event_regions (
    iso_code  TEXT NOT NULL,
    date_lo   TEXT NOT NULL,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (iso_code, date_lo, event_id)
);
CREATE INDEX event_regions_by_event ON event_regions (event_id);

CREATE TABLE event_countries (
    country   TEXT NOT NULL,
    date_lo   TEXT NOT NULL,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (country, date_lo, event_id)
);
CREATE INDEX event_countries_by_event ON event_countries (event_id);

CREATE TABLE event_actors (
    actor     TEXT NOT NULL,
    date_lo   TEXT NOT NULL,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (actor, date_lo, event_id)
);
CREATE INDEX event_actors_by_event ON event_actors (event_id);

CREATE TABLE event_sources (
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id      TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    url             TEXT,
    title           TEXT,
    publisher       TEXT,
    published_at    TEXT,
    evidence_text   TEXT NOT NULL,
    evidence_start  BIGINT NOT NULL,
    evidence_end    BIGINT NOT NULL,
    PRIMARY KEY (event_id, article_id, evidence_start)
);
CREATE INDEX event_sources_by_article ON event_sources (article_id);

-- Full text over every source's title and evidence, folded (lower case, no accents) by
-- the application; the 'simple' configuration is language-neutral.
CREATE TABLE event_text (
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    body      TEXT NOT NULL,
    tsv       tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE INDEX event_text_tsv ON event_text USING GIN (tsv);
CREATE INDEX event_text_by_event ON event_text (event_id);
