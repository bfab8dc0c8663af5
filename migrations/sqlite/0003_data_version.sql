-- One number that every write increments, in the same transaction: the "data version"
-- that ETags are made from, shared by every instance on the same database.
CREATE TABLE data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
