#!/usr/bin/env python3
"""The Datasette side of scripts/bench_api.sh: a flat SQLite table of the same events.

    bench_export_datasette.py STORE.db FLAT.db

One row per (event, region), with the columns a newsroom would publish (id, dates,
type, region, country, title, summary, confidence, location, sources count) and the
event JSON, indexed on (region, date) so that Datasette's
`events.json?region=RU-KRS&_sort=date&_size=100&_nocount=1` is an index range, like ours.
"""

import os
import sqlite3
import sys
import time


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    tmp = dst + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    t = time.time()
    c = sqlite3.connect(tmp)
    c.execute("PRAGMA journal_mode = OFF")
    c.execute("PRAGMA synchronous = OFF")
    c.execute(f"ATTACH DATABASE '{src}' AS s")
    c.executescript(
        """
        CREATE TABLE events (
            id TEXT, date TEXT, date_hi TEXT, date_precision TEXT, event_type TEXT,
            region TEXT, country TEXT, title TEXT, summary TEXT, language TEXT,
            confidence REAL, lat REAL, lon REAL, sources INTEGER, doc TEXT
        );
        INSERT INTO events
        SELECT e.id, e.date_lo, e.date_hi, json_extract(e.doc, '$.date_precision'), e.event_type,
               r.iso_code, substr(r.iso_code, 1, 2), json_extract(e.doc, '$.title'),
               json_extract(e.doc, '$.summary'), json_extract(e.doc, '$.language'),
               e.confidence, json_extract(e.doc, '$.location.lat'),
               json_extract(e.doc, '$.location.lon'),
               (SELECT COUNT(*) FROM s.event_sources x WHERE x.event_id = e.id), e.doc
        FROM s.events e JOIN s.event_regions r ON r.event_id = e.id
        WHERE e.status <> 'hidden'
        ORDER BY r.iso_code, e.date_lo, e.id;
        CREATE INDEX events_by_region_date ON events (region, date);
        CREATE INDEX events_by_date ON events (date);
        ANALYZE;
        """
    )
    c.commit()
    n = c.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    c.execute("DETACH DATABASE s")
    c.close()
    os.replace(tmp, dst)
    print(f"{n} rows in {dst} in {time.time() - t:.1f} s")


if __name__ == "__main__":
    main()
