#!/usr/bin/env bash
# Start-up and idle memory of `linimasa serve` with the whole worldwide gazetteer
# (issue 15's budgets, BENCHMARKS.md §7):
#
#   scripts/bench_startup.sh            # BENCH_BIN (default target/release/linimasa), BENCH_RUNS (5)
#
# For each run: a fresh SQLite file, `serve` started, the time until /healthz answers,
# the resident set size (VmRSS, /proc) once idle, then after one article has been posted
# and extracted (which builds the matchers made on first use), and idle again. Reports
# the median and the worst run. Loopback only; the servers it starts it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-target/release/linimasa}
RUNS=${BENCH_RUNS:-5}
PORT=${BENCH_PORT:-18090}
[ -x "$BIN" ] || cargo build --release --quiet
OUT=target/bench
mkdir -p "$OUT"
TMP=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
rss_mb() { awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$1/status"; }
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$OUT/startup.tsv"
for i in $(seq 1 "$RUNS"); do
  DB="$TMP/run$i.db"
  KEY=$("$BIN" keys create --name bench --database-url "sqlite://$DB?mode=rwc" 2>/dev/null)
  t0=$(date +%s%N)
  "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "sqlite://$DB?mode=rwc" >"$TMP/serve$i.log" 2>&1 &
  PID=$!
  until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.005; done
  t1=$(date +%s%N)
  sleep 1
  idle=$(rss_mb "$PID")
  curl -fs -X POST "http://127.0.0.1:$PORT/articles" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' \
    -d '{"text":"Israeli airstrikes hit Rafah in the Gaza Strip on 6 May 2024, killing 12 people. Russian forces shelled Sudzha in Kursk Oblast on 7 August 2024.","published_at":"2024-08-08T09:00:00Z","language":"en"}' >/dev/null
  after=$(rss_mb "$PID")
  sleep 1
  settled=$(rss_mb "$PID")
  ms=$(( (t1 - t0) / 1000000 ))
  printf '%s\t%s\t%s\t%s\n' "$ms" "$idle" "$after" "$settled" >>"$OUT/startup.tsv"
  echo "run $i: ready in $ms ms; RSS idle $idle MB, after one article $after MB, idle again $settled MB"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
python3 - "$OUT/startup.tsv" <<'PY'
import sys, statistics
rows = [list(map(float, l.split('\t'))) for l in open(sys.argv[1]) if l.strip()]
names = ["ready (ms)", "RSS idle (MB)", "RSS after one article (MB)", "RSS idle again (MB)"]
for i, n in enumerate(names):
    col = [r[i] for r in rows]
    print(f"{n}: median {statistics.median(col):.1f}, worst {max(col):.1f} over {len(col)} runs")
PY
