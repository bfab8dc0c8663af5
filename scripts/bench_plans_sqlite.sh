#!/usr/bin/env bash
# Issue 19, session 10: the two slow dashboard pages at scale, old and new SQL shape side
# by side on one SQLite store (same store, same sitting, alternating runs), with the
# sqlite3 CLI, so that no binary is involved:
#
#   scripts/bench_plans_sqlite.sh target/bench/synthetic-1000000-seed1.db [runs]
#
# * `country=UA&type=assault&limit=100`: the plain join (SQLite's planner starts from
#   the type's index and sorts every assault), the link range kept first (`CROSS JOIN`),
#   and the type's index with the country looked up per event;
# * `from=2024-01-01&to=2024-03-31&limit=100`: `events_by_date` from the first event
#   on, the three ranges of first days of session 10 (migration 0014), and the four of
#   `sql::list_events_unlinked` now (needs migrations 0014 and 0015's indexes: open the
#   store once with a binary that has them).
#
# Prints the median time of each (ms, sqlite3's `.timer`) over `runs` (default 5) and the load average.
set -euo pipefail
DB=${1:?a SQLite store}
RUNS=${2:-5}
COLS="e.id, e.doc, e.doc_sources, e.status, e.created_at, e.updated_at, e.date_lo"
LONG="(e.date_hi > date(e.date_lo, '+31 days') OR e.date_lo < '0')"
LONGER="(e.date_hi > date(e.date_lo, '+366 days') OR e.date_lo < '0')"
declare -A Q
Q[type_plain]="SELECT $COLS FROM event_countries l JOIN events e ON e.id = l.event_id WHERE l.country = 'UA' AND e.date_lo = l.date_lo AND e.status <> 'hidden' AND e.event_type IN ('assault') ORDER BY l.date_lo ASC, l.event_id ASC LIMIT 100"
Q[type_cross]="SELECT $COLS FROM event_countries l CROSS JOIN events e ON e.id = l.event_id WHERE l.country = 'UA' AND e.date_lo = l.date_lo AND e.status <> 'hidden' AND e.event_type IN ('assault') ORDER BY l.date_lo ASC, l.event_id ASC LIMIT 100"
Q[type_index]="SELECT $COLS FROM events e WHERE e.status <> 'hidden' AND EXISTS (SELECT 1 FROM event_countries x WHERE x.country IN ('UA') AND x.date_lo = e.date_lo AND x.event_id = e.id) AND e.event_type IN ('assault') ORDER BY e.date_lo ASC, e.id ASC LIMIT 100"
Q[window_plain]="SELECT $COLS FROM events e WHERE e.status <> 'hidden' AND e.date_hi >= '2024-01-01' AND e.date_lo <= '2024-03-31' ORDER BY e.date_lo ASC, e.id ASC LIMIT 100"
arm() { echo "SELECT * FROM (SELECT $COLS FROM events e $1 WHERE e.status <> 'hidden' AND $2 AND e.date_hi >= '2024-01-01' AND e.date_lo <= '2024-03-31' ORDER BY e.date_lo ASC, e.id ASC LIMIT 100)"; }
MULTI="(e.date_hi > e.date_lo OR e.date_lo < '0')"
Q[window_ranges3]="SELECT * FROM ($(arm "" "e.date_lo >= '2023-12-01'") UNION ALL $(arm "INDEXED BY events_long" "e.date_lo < '2023-12-01' AND e.date_lo >= '2022-12-30' AND $LONG") UNION ALL $(arm "INDEXED BY events_longer" "e.date_lo < '2022-12-30' AND $LONGER")) ORDER BY date_lo ASC, id ASC LIMIT 100"
Q[window_ranges]="SELECT * FROM ($(arm "" "e.date_lo >= '2024-01-01'") UNION ALL $(arm "INDEXED BY events_multi" "e.date_lo < '2024-01-01' AND e.date_lo >= '2023-12-01' AND $MULTI") UNION ALL $(arm "INDEXED BY events_long" "e.date_lo < '2023-12-01' AND e.date_lo >= '2022-12-30' AND $LONG") UNION ALL $(arm "INDEXED BY events_longer" "e.date_lo < '2022-12-30' AND $LONGER")) ORDER BY date_lo ASC, id ASC LIMIT 100"

echo "== $DB: $(sqlite3 "file:$DB?mode=ro" 'SELECT COUNT(*) FROM events') events; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for name in type_plain type_cross type_index window_plain window_ranges3 window_ranges; do
  sqlite3 "file:$DB?mode=ro" "SELECT COUNT(*) FROM (${Q[$name]})" >/dev/null # warm
done
# One sqlite3 process: `.timer on` gives each statement's own time (no process start).
SCRIPT=$(mktemp)
trap 'rm -f "$SCRIPT"' EXIT
{
  echo ".timer on"
  for r in $(seq 1 "$RUNS"); do
    for name in type_plain type_cross type_index window_plain window_ranges3 window_ranges; do
      echo "SELECT '$name', COUNT(*) FROM (${Q[$name]});"
    done
  done
} >"$SCRIPT"
sqlite3 "file:$DB?mode=ro" <"$SCRIPT" | python3 -c '
import sys, statistics
times, name = {}, None
for line in sys.stdin:
    if line.startswith("Run Time:"):
        real = float(line.split()[3])
        times.setdefault(name, []).append(real * 1000)
    elif "|" in line:
        name = line.split("|")[0]
for n, t in times.items():
    print(f"{n:<14} median {statistics.median(t):8.1f} ms   runs: " + " ".join(f"{x:.1f}" for x in t))
'
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
