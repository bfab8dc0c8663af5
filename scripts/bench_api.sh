#!/usr/bin/env bash
# The API benchmark of BENCHMARKS.md, in one command from a clean clone:
#
#   scripts/bench_api.sh
#
# builds release, makes (once; cached under target/bench/) a synthetic store of
# BENCH_EVENTS events (default 1,000,000) and a flat SQLite export of it for Datasette,
# starts `linimasa serve --rate-limit 0` twice — as deployed (response cache and a 1 s
# data-version TTL, the defaults) and with both caches off (every request queries the
# store: `--response-cache-mb 0 --version-ttl-ms 0`) — Datasette 0.65 and an axum
# "ceiling" serving the same page pre-serialised, and runs `wrk` against each
# (BENCH_CONNECTIONS connections, default 64, for BENCH_SECONDS, default 10, each; two
# wrk threads). Then it measures serve's RSS under that load and during a full NDJSON
# export. Loopback only; every server it starts it stops.
#
# Needs: cargo, python3, curl; wrk (Debian's package) and datasette
# (`pip install 'datasette>=0.65,<0.66'`) are installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_EVENTS:-1000000}
SECS=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-64}
SEED=${BENCH_SEED:-1}
OUT=target/bench
PORT=${BENCH_PORT:-18080}
DS_PORT=$((PORT + 1))
CEIL_PORT=$((PORT + 2))
COLD_PORT=$((PORT + 3))
mkdir -p "$OUT"
DB="$OUT/synthetic-$N-seed$SEED.db"
FLAT="$OUT/datasette-$N-seed$SEED.db"
RESULTS="$OUT/api-results.jsonl"
: >"$RESULTS"

PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== tools"
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
python3 -c 'import datasette' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'datasette>=0.65,<0.66'
wrk --version 2>&1 | head -n1 || true
python3 -m datasette --version

echo "== build (release)"
# BENCH_BIN and BENCH_CEILING name binaries built already (two binaries can then be run
# on one store); otherwise both are built here.
BIN=${BENCH_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/linimasa
fi
CEILING=${BENCH_CEILING:-}
if [ -z "$CEILING" ]; then
  CEILING=$(cargo bench --bench ceiling --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("executable") and m.get("target", {}).get("name") == "ceiling":
        print(m["executable"])')
fi

echo "== store: $N synthetic events ($DB)"
if [ ! -s "$DB" ] || ! sqlite3_count=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$DB?mode=ro', uri=True).execute('select count(*) from events').fetchone()[0])" 2>/dev/null) || [ "$sqlite3_count" -lt "$N" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm" "$FLAT"
  start=$(date +%s.%N)
  "$BIN" demo --synthetic "$N" --seed "$SEED" --database-url "sqlite://$DB" 2>"$OUT/fill.log" | tee "$OUT/fill-summary.txt"
  echo "filled in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s; $(du -h "$DB" | cut -f1) on disk"
else
  echo "cached: $(cat "$OUT/fill-summary.txt" 2>/dev/null || echo "$sqlite3_count events")"
fi

echo "== Datasette export ($FLAT)"
if [ ! -s "$FLAT" ]; then
  python3 scripts/bench_export_datasette.py "$DB" "$FLAT"
fi

echo "== servers"
"$BIN" serve --rate-limit 0 --bind "127.0.0.1:$PORT" --database-url "sqlite://$DB" \
  >"$OUT/serve.log" 2>&1 &
SERVE=$!
PIDS+=("$SERVE")
"$BIN" serve --rate-limit 0 --response-cache-mb 0 --version-ttl-ms 0 --bind "127.0.0.1:$COLD_PORT" \
  --database-url "sqlite://$DB" >"$OUT/serve-uncached.log" 2>&1 &
PIDS+=("$!")
python3 -m datasette serve -i "$FLAT" --host 127.0.0.1 --port "$DS_PORT" \
  --setting sql_time_limit_ms 10000 --setting default_page_size 100 --setting suggest_facets off \
  >"$OUT/datasette.log" 2>&1 &
PIDS+=("$!")
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null &&
    curl -sf "http://127.0.0.1:$COLD_PORT/readyz" >/dev/null &&
    curl -sf "http://127.0.0.1:$DS_PORT/-/versions.json" >/dev/null && break
  sleep 0.5
  [ "$i" = 120 ] && { echo "servers did not start; see $OUT/*.log"; exit 1; }
done

BASE="http://127.0.0.1:$PORT"
COLD="http://127.0.0.1:$COLD_PORT"
REGION="/events?region=kursk&limit=100"
WINDOW="/events?region=kursk&from=2024-01&to=2024-06&limit=100"
QTEXT="/events?region=kursk&q=drone&limit=100"
QRARE="/events?q=sudzha&limit=100"
# A deep page: follow `next` 50 times.
DEEP=$(python3 - "$BASE" "$REGION" <<'PY'
import json, sys, urllib.request
base, url = sys.argv[1], sys.argv[2]
for _ in range(50):
    page = json.load(urllib.request.urlopen(base + url))
    if not page["next"]:
        break
    url = page["next"]
print(url)
PY
)
# The ETag depends on Accept and Accept-Encoding: ask with the headers wrk sends.
ETAG=$(curl -s -o /dev/null -D - -H "Accept: application/json" -H "Accept-Encoding: identity" "$BASE$REGION" |
  awk 'tolower($1)=="etag:"{sub(/\r$/,"",$2); print $2}')
curl -s "$BASE$REGION" -o "$OUT/page.json"
"$CEILING" "127.0.0.1:$CEIL_PORT" "$OUT/page.json" >"$OUT/ceiling.log" 2>&1 &
PIDS+=("$!")
for i in $(seq 1 40); do curl -sf "http://127.0.0.1:$CEIL_PORT/" >/dev/null && break; sleep 0.25; done
DS="http://127.0.0.1:$DS_PORT/$(basename "$FLAT" .db)/events.json?region=RU-KRS&_sort=date&_size=100&_nocount=1&_shape=objects"
echo "ours:      $(wc -c <"$OUT/page.json") bytes for 100 events"
echo "datasette: $(curl -s "$DS" | wc -c) bytes for the same 100 rows (check: $(curl -s "$DS" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))') rows)"
echo "deep page (50 pages in): $DEEP"
echo "etag: $ETAG"

# RSS of serve, sampled while the load runs.
RSS_LOG="$OUT/rss-under-load.txt"
: >"$RSS_LOG"
( while kill -0 "$SERVE" 2>/dev/null; do ps -o rss= -p "$SERVE" >>"$RSS_LOG" || true; sleep 0.5; done ) &
SAMPLER=$!
PIDS+=("$SAMPLER")

# Every client asks for JSON, uncompressed (Datasette does not compress; the cost of
# compression is the separate "region, br" line), unless a header given says otherwise.
run() { # name url [header...]
  local name=$1 url=$2
  shift 2
  local args=(-d "${SECS}s" -c "$CONN" -t 2 --latency -H "Accept: application/json")
  local h ae="Accept-Encoding: identity"
  for h in "$@"; do
    case "$h" in [Aa]ccept-[Ee]ncoding:*) ae=$h ;; *) args+=(-H "$h") ;; esac
  done
  args+=(-H "$ae")
  wrk "${args[@]}" "$url" >"$OUT/wrk.txt" 2>&1 || true
  python3 - "$name" "$OUT/wrk.txt" <<'PY' | tee -a "$RESULTS"
import json, re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
total = re.search(r"(\d+) requests in", text)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errs = re.search(r"Socket errors: (.*)", text)
print(json.dumps({"target": name, "rps": float(rps.group(1)) if rps else 0.0,
                  "p50_ms": lat.get("50", 0.0), "p99_ms": lat.get("99", 0.0),
                  "requests": int(total.group(1)) if total else 0,
                  "non_2xx_3xx": int(bad.group(1)) if bad else 0,
                  "errors": errs.group(1).strip() if errs else ""}))
PY
}

echo "== load: $CONN connections, ${SECS} s each"
run "healthz" "$BASE/healthz"
run "region" "$BASE$REGION"
run "region, br" "$BASE$REGION" "Accept-Encoding: br"
run "region+window" "$BASE$WINDOW"
run "region+q" "$BASE$QTEXT"
run "q (rare word, no region)" "$BASE$QRARE"
run "deep cursor (page 51)" "$BASE$DEEP"
run "304 revalidation" "$BASE$REGION" "If-None-Match: $ETAG"
run "uncached: region" "$COLD$REGION"
run "uncached: region+window" "$COLD$WINDOW"
run "uncached: region+q" "$COLD$QTEXT"
run "uncached: q (rare word)" "$COLD$QRARE"
run "uncached: deep cursor" "$COLD$DEEP"
run "uncached: 304" "$COLD$REGION" "If-None-Match: $ETAG"
run "datasette" "$DS"
run "ceiling" "http://127.0.0.1:$CEIL_PORT/"
kill "$SAMPLER" 2>/dev/null || true

echo "== NDJSON export of every event"
RSS0=$(ps -o rss= -p "$SERVE")
: >"$OUT/rss-export.txt"
( while kill -0 "$SERVE" 2>/dev/null; do ps -o rss= -p "$SERVE" >>"$OUT/rss-export.txt" || true; sleep 0.5; done ) &
SAMPLER=$!
PIDS+=("$SAMPLER")
EXPORT_START=$(date +%s.%N)
LINES=$(curl -s --max-time 1200 "$BASE/events.ndjson" | wc -l)
EXPORT_SECS=$(python3 -c "print(round($(date +%s.%N) - $EXPORT_START, 1))")
kill "$SAMPLER" 2>/dev/null || true

python3 - "$RESULTS" "$RSS_LOG" "$OUT/rss-export.txt" "$RSS0" "$LINES" "$EXPORT_SECS" "$N" <<'PY'
import json, sys
results, rss_load, rss_export, rss0, lines, secs, n = sys.argv[1:]
rows = {}
for l in open(results):
    r = json.loads(l)
    rows[r["target"]] = r
def mb(kb): return int(kb) / 1024
load = [int(x) for x in open(rss_load).read().split()] or [0]
export = [int(x) for x in open(rss_export).read().split()] or [int(rss0)]
print()
print(f"{'target':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  answers")
for t, r in rows.items():
    print(f"{t:28} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}  {r['requests']} requests, {r['non_2xx_3xx']} not 2xx/3xx{'  socket errors: ' + r['errors'] if r['errors'] else ''}")
def ratio(a, b):
    return rows[a]["rps"] / rows[b]["rps"] if a in rows and b in rows and rows[b]["rps"] else float("nan")
print()
print(f"ours (region page) / Datasette: {ratio('region', 'datasette'):.1f}x   (target >= 30x)")
print(f"ours (region page) / ceiling:   {ratio('region', 'ceiling'):.2f}")
print(f"uncached region page / Datasette: {ratio('uncached: region', 'datasette'):.1f}x")
print(f"304 / healthz:                  {ratio('304 revalidation', 'healthz'):.2f}   (target >= 0.5)")
worst = max((r["p99_ms"], t) for t, r in rows.items() if t not in ("datasette", "ceiling") and not t.startswith("uncached"))
print(f"worst p99 of ours: {worst[0]:.1f} ms ({worst[1]})   (target < 20 ms)")
print(f"serve RSS under load: max {mb(max(load)):.0f} MB, median {mb(sorted(load)[len(load)//2]):.0f} MB   (target < 150 MB)")
print(f"NDJSON export: {lines} lines of {n} events in {secs} s; RSS {mb(rss0):.0f} MB before, max {mb(max(export)):.0f} MB during: growth {mb(max(export)) - mb(rss0):.0f} MB   (target < 50 MB)")
PY
