-- Exact words (issue 19 target 3): a fifth signature word `w4` on every link row, one bit
-- per word of data/lexicon/exact-words.txt (bit i: word i, as listed below; a test checks
-- the two lists agree). A set bit says the event holds that word as a lexeme of one of
-- its texts, so a page of that one word passes its link without reading the texts
-- (`sql::list_events_linked_words`). 0 is "not known": the default, so rows an older
-- binary writes and the links a correction writes again are read as before. The
-- writers set the bits where they are certain of PostgreSQL's parse (`store::words::
-- certain`); this fill uses PostgreSQL's own lexemes (`event_text.tsv`), the same
-- answer or more bits, each true.
ALTER TABLE event_regions ADD COLUMN w4 bigint NOT NULL DEFAULT 0;
ALTER TABLE event_countries ADD COLUMN w4 bigint NOT NULL DEFAULT 0;
ALTER TABLE event_actors ADD COLUMN w4 bigint NOT NULL DEFAULT 0;

CREATE TEMP TABLE linimasa_exact_words ON COMMIT DROP AS
    SELECT u.word, (u.n - 1)::integer AS bit FROM unnest(ARRAY[
    'erupted', 'broken', 'senjata', 'control', 'drone', 'protest', 'rallies', 'weapons', 'attacks',
    'down', 'fighting', 'fire', 'hostilities', 'bombs', 'broke', 'captured', 'clashes', 'killed',
    'perang', 'protests', 'bomb', 'cluster', 'demonstrations', 'offensive', 'bersenjata',
    'missile', 'mundur', 'pecah', 'pesawat', 'release', 'riots', 'unrest', 'bantuan', 'chemical',
    'darat', 'protes', 'rocket', 'rudal', 'shoot', 'artileri', 'bebas', 'drones', 'mass', 'order',
    'pertukaran', 'power', 'raid', 'rasa', 'strikes', 'armed', 'artillery', 'assault', 'death',
    'exchange', 'fired', 'ground', 'hostages', 'kimia', 'mine', 'missiles', 'munitions',
    'pertempuran', 'plant'
    ]::text[]) WITH ORDINALITY AS u (word, n);

-- An existing store: each event's bits from its texts' lexemes.
CREATE TEMP TABLE linimasa_event_exact ON COMMIT DROP AS
    SELECT t.event_id, bit_or(1::bigint << x.bit) AS w4
    FROM event_text t
    CROSS JOIN LATERAL unnest(t.tsv) AS u
    JOIN linimasa_exact_words x ON x.word = u.lexeme
    GROUP BY t.event_id;
ANALYZE linimasa_event_exact;

-- Each table without its primary key while it is rewritten; the key comes back with
-- w4 included, so that the page's check stays in the index.
ALTER TABLE event_regions DROP CONSTRAINT event_regions_pkey;
UPDATE event_regions l SET w4 = x.w4 FROM linimasa_event_exact x WHERE x.event_id = l.event_id;
CREATE UNIQUE INDEX event_regions_key ON event_regions (iso_code, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3, w4);
ALTER TABLE event_regions ADD CONSTRAINT event_regions_pkey PRIMARY KEY USING INDEX event_regions_key;

ALTER TABLE event_countries DROP CONSTRAINT event_countries_pkey;
UPDATE event_countries l SET w4 = x.w4 FROM linimasa_event_exact x WHERE x.event_id = l.event_id;
CREATE UNIQUE INDEX event_countries_key ON event_countries (country, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3, w4);
ALTER TABLE event_countries ADD CONSTRAINT event_countries_pkey PRIMARY KEY USING INDEX event_countries_key;

ALTER TABLE event_actors DROP CONSTRAINT event_actors_pkey;
UPDATE event_actors l SET w4 = x.w4 FROM linimasa_event_exact x WHERE x.event_id = l.event_id;
CREATE UNIQUE INDEX event_actors_key ON event_actors (actor, date_lo, event_id) INCLUDE (date_hi, w0, w1, w2, w3, w4);
ALTER TABLE event_actors ADD CONSTRAINT event_actors_pkey PRIMARY KEY USING INDEX event_actors_key;
