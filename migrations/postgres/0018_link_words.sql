-- Words in one place (issue 19 target 3). A page of `region=…&q=…` reads the region's
-- link range in page order and checks each event's words through `event_text`: at 1M
-- events, ~800 events of Kursk were checked (an index probe, one to four text rows, a
-- tsvector match each) to find the 101 with "drone". Each link row now carries a
-- 256-bit signature of its event's words in four `bigint`s (`src/store/words.rs`): a
-- word is a maximal run of ASCII letters, or of digits, of a text, and sets five bits, the
-- first five bytes of its SHA-256 (byte p: bit p & 63 of w(p >> 6), never bit 63). The
-- signature is in the primary key's index, so a page passes over the events that lack a
-- bit of its words' mask without reading their texts; the rest are checked as before.
--
-- The writers write the signature themselves (no trigger: session 14's triggers cost
-- 25–45 % of PostgreSQL's bulk ingest): a new event's links with the signature of its
-- texts, a merge's new texts OR-ed into its event's links. A link row whose signature
-- is not known holds -1 (every bit: it passes every check, and its event's texts are
-- read), the default: rows written by an older binary, and the links a correction
-- writes again.
ALTER TABLE event_regions ADD COLUMN w0 bigint NOT NULL DEFAULT -1, ADD COLUMN w1 bigint NOT NULL DEFAULT -1,
    ADD COLUMN w2 bigint NOT NULL DEFAULT -1, ADD COLUMN w3 bigint NOT NULL DEFAULT -1;
ALTER TABLE event_countries ADD COLUMN w0 bigint NOT NULL DEFAULT -1, ADD COLUMN w1 bigint NOT NULL DEFAULT -1,
    ADD COLUMN w2 bigint NOT NULL DEFAULT -1, ADD COLUMN w3 bigint NOT NULL DEFAULT -1;
ALTER TABLE event_actors ADD COLUMN w0 bigint NOT NULL DEFAULT -1, ADD COLUMN w1 bigint NOT NULL DEFAULT -1,
    ADD COLUMN w2 bigint NOT NULL DEFAULT -1, ADD COLUMN w3 bigint NOT NULL DEFAULT -1;

-- Byte p of a word's hash as a bit of w(j).
CREATE FUNCTION linimasa_word_bit(p integer, j integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN p >> 6 = j AND p & 63 <> 63 THEN 1::bigint << (p & 63) ELSE 0 END;

-- An existing store: every event's signature once (an event whose texts hold no ASCII
-- word keeps -1), then the three tables, each without its primary key while it is
-- rewritten; the key comes back with the signature included.
CREATE TEMP TABLE linimasa_event_words ON COMMIT DROP AS
    SELECT t.event_id,
        bit_or(linimasa_word_bit(b.p0, 0) | linimasa_word_bit(b.p1, 0) | linimasa_word_bit(b.p2, 0)
            | linimasa_word_bit(b.p3, 0) | linimasa_word_bit(b.p4, 0)) AS w0,
        bit_or(linimasa_word_bit(b.p0, 1) | linimasa_word_bit(b.p1, 1) | linimasa_word_bit(b.p2, 1)
            | linimasa_word_bit(b.p3, 1) | linimasa_word_bit(b.p4, 1)) AS w1,
        bit_or(linimasa_word_bit(b.p0, 2) | linimasa_word_bit(b.p1, 2) | linimasa_word_bit(b.p2, 2)
            | linimasa_word_bit(b.p3, 2) | linimasa_word_bit(b.p4, 2)) AS w2,
        bit_or(linimasa_word_bit(b.p0, 3) | linimasa_word_bit(b.p1, 3) | linimasa_word_bit(b.p2, 3)
            | linimasa_word_bit(b.p3, 3) | linimasa_word_bit(b.p4, 3)) AS w3
    FROM event_text t
    CROSS JOIN LATERAL regexp_matches(t.body, '[A-Za-z]+|[0-9]+', 'g') AS x (word)
    CROSS JOIN LATERAL (SELECT sha256(convert_to(x.word[1], 'UTF8')) AS h) d
    CROSS JOIN LATERAL (SELECT get_byte(d.h, 0) AS p0, get_byte(d.h, 1) AS p1, get_byte(d.h, 2) AS p2,
        get_byte(d.h, 3) AS p3, get_byte(d.h, 4) AS p4) b
    GROUP BY t.event_id;
ANALYZE linimasa_event_words;

ALTER TABLE event_regions DROP CONSTRAINT event_regions_pkey;
UPDATE event_regions l SET w0 = w.w0, w1 = w.w1, w2 = w.w2, w3 = w.w3
    FROM linimasa_event_words w WHERE w.event_id = l.event_id;
CREATE UNIQUE INDEX event_regions_key ON event_regions (iso_code, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3);
ALTER TABLE event_regions ADD CONSTRAINT event_regions_pkey PRIMARY KEY USING INDEX event_regions_key;

ALTER TABLE event_countries DROP CONSTRAINT event_countries_pkey;
UPDATE event_countries l SET w0 = w.w0, w1 = w.w1, w2 = w.w2, w3 = w.w3
    FROM linimasa_event_words w WHERE w.event_id = l.event_id;
CREATE UNIQUE INDEX event_countries_key ON event_countries (country, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3);
ALTER TABLE event_countries ADD CONSTRAINT event_countries_pkey PRIMARY KEY USING INDEX event_countries_key;

ALTER TABLE event_actors DROP CONSTRAINT event_actors_pkey;
UPDATE event_actors l SET w0 = w.w0, w1 = w.w1, w2 = w.w2, w3 = w.w3
    FROM linimasa_event_words w WHERE w.event_id = l.event_id;
CREATE UNIQUE INDEX event_actors_key ON event_actors (actor, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3);
ALTER TABLE event_actors ADD CONSTRAINT event_actors_pkey PRIMARY KEY USING INDEX event_actors_key;
