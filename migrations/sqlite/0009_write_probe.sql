-- After a write failed for a fault of the store (no room, no permission), readiness
-- checks that a write goes through again by storing a row here and deleting it in the
-- same transaction: the table is empty at rest.
CREATE TABLE write_probe (
    id   INTEGER PRIMARY KEY,
    pad  TEXT NOT NULL
);
