-- Writes that do not empty every cache, and facets that are not recounted per read.
--
-- scope_versions: a counter per region ('r:' + ISO 3166-2 code) and per country ('c:' +
-- ISO 3166-1 code) that a write increments, in its transaction, for every region and
-- country whose events it adds, changes or gives a source (as it increments
-- data_version). An answer filtered by regions or countries is made only of their
-- events: its ETag is built from their counters, so a write elsewhere leaves it as it is.
CREATE TABLE scope_versions (
    scope    TEXT PRIMARY KEY,
    version  BIGINT NOT NULL
);

-- facet_counts: how many visible events each facet value has, overall (scope '') and
-- per region and country scope, kept by the writers in the same transaction. Facets:
-- 'region', 'country', 'actor', 'type' and 'day' (the event's first day; weeks, months
-- and years are summed from days).
CREATE TABLE facet_counts (
    scope  TEXT NOT NULL,
    facet  TEXT NOT NULL,
    key    TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (scope, facet, key)
) WITHOUT ROWID;

-- Whether facet_counts agrees with the events: 0 until the store recounts them (on the
-- next start for an archive stored before this migration, after a bulk load).
CREATE TABLE facet_counts_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    fresh  INTEGER NOT NULL
);
INSERT INTO facet_counts_state (id, fresh) VALUES (1, 0);
