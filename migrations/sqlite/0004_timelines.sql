-- Saved timelines: a named filter that editors define and dashboards embed.
CREATE TABLE timelines (
    slug         TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    filter       TEXT NOT NULL,           -- the /events query string, validated when saved
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
