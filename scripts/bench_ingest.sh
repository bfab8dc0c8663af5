#!/usr/bin/env bash
# The bulk-ingest benchmark of BENCHMARKS.md: BENCH_ARTICLES (default 10,000) generated
# articles through `linimasa ingest` (the whole pipeline: extraction on every core, batches
# of up to 64 articles per transaction)
# into a fresh SQLite file and, when one answers on 127.0.0.1:5432 (or at
# BENCH_POSTGRES, an admin URL ending in /postgres), a fresh PostgreSQL database that
# is dropped afterwards.
#
#   scripts/bench_ingest.sh
#
# BENCH_BIN picks the binary (default target/release/linimasa, built here), so that two
# binaries can be run alternately; BENCH_LABEL names the run in the output;
# BENCH_PG_DB names the PostgreSQL database (default linimasa_bench_ingest_<pid>). Each
# run prints the load average before it (on a shared machine, read ratios of paired runs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ARTICLES:-10000}
OUT=target/bench
mkdir -p "$OUT"
ARTICLES="$OUT/articles-$N.jsonl"
PG_ADMIN=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}

echo "== machine: $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
BIN=${BENCH_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/linimasa
fi
TAG=${BENCH_LABEL:-}
[ -s "$ARTICLES" ] || python3 scripts/bench_articles.py "$N" "$ARTICLES"

timed() { # label command...
  local label=$1
  shift
  local start end
  echo "   ($label: load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s.%N)
  "$@" >"$OUT/ingest-$label.log" 2>"$OUT/ingest-$label.err" || echo "($label: some articles failed; see $OUT/ingest-$label.err)"
  end=$(date +%s.%N)
  python3 - "$label" "$start" "$end" "$N" "$OUT/ingest-$label.log" <<'PY'
import sys
label, start, end, n, log = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
secs = end - start
summary = open(log).read().strip().splitlines()[-1]
print(f"{label}: {n} articles in {secs:.1f} s = {n / secs:.0f} articles/s  ({summary})")
PY
}

rm -f "$OUT/ingest.db" "$OUT/ingest.db-wal" "$OUT/ingest.db-shm"
timed "sqlite$TAG" "$BIN" ingest --database-url "sqlite://$OUT/ingest.db" "$ARTICLES"

if python3 -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then
  DBNAME=${BENCH_PG_DB:-linimasa_bench_ingest_$$}
  PG_URL="${PG_ADMIN%/*}/$DBNAME"
  psql -q "$PG_ADMIN" -c "CREATE DATABASE $DBNAME" >/dev/null
  trap 'psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null' EXIT
  timed "postgres$TAG" "$BIN" ingest --database-url "$PG_URL" "$ARTICLES"
else
  echo "NOTICE: no PostgreSQL on 127.0.0.1:5432; PostgreSQL ingest not measured"
fi
