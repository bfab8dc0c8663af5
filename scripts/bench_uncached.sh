#!/usr/bin/env bash
# The uncached questions of issue 19: `linimasa serve` with both caches off
# (`--response-cache-mb 0 --version-ttl-ms 0`: every request runs its queries) on the
# synthetic store of scripts/bench_api.sh (BENCH_EVENTS, default 1,000,000) or on
# BENCH_DATABASE_URL, then for each URL the median of five single requests (curl) and
# wrk at BENCH_CONNECTIONS (default 64) for BENCH_SECONDS (default 10).
#
#   scripts/bench_uncached.sh
#
# BENCH_BIN picks the binary (default target/release/linimasa, built here); BENCH_PORT
# (default 19101); BENCH_ONLY, an extended regular expression, runs only the targets
# whose names match it (e.g. `word|region page`). cpu_ms is serve's own CPU per request
# during the wrk run (from /proc; PostgreSQL's backends not included). Appends JSON lines to
# target/bench/uncached-results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_EVENTS:-1000000}
SECS=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-64}
SEED=${BENCH_SEED:-1}
PORT=${BENCH_PORT:-19101}
OUT=target/bench
mkdir -p "$OUT"
BIN=${BENCH_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/linimasa
fi
DB_URL=${BENCH_DATABASE_URL:-sqlite://$OUT/synthetic-$N-seed$SEED.db}
LABEL=${BENCH_LABEL:-$(basename "$BIN") on ${DB_URL%%:*}}
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
if [[ $DB_URL == sqlite://* ]] && [ ! -s "${DB_URL#sqlite://}" ]; then
  echo "== store: $N synthetic events (${DB_URL#sqlite://})"
  "$BIN" demo --synthetic "$N" --seed "$SEED" --database-url "$DB_URL" 2>"$OUT/fill.log"
fi

"$BIN" serve --rate-limit 0 --response-cache-mb 0 --version-ttl-ms 0 --bind "127.0.0.1:$PORT" \
  --database-url "$DB_URL" >"$OUT/serve-uncached.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; wait $SERVE 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 600); do
  curl -sf "$BASE/readyz" >/dev/null && break
  sleep 0.5
  [ "$i" = 600 ] && { echo "serve did not start; see $OUT/serve-uncached.log"; exit 1; }
done

URLS=(
  "region + common word|/events?region=kursk&q=drone&limit=100"
  "region + common word, Donetsk|/events?region=donetsk&q=drone&limit=100"
  "country + common word|/events?country=UA&q=drone&limit=100"
  "region + rare word|/events?region=kursk&q=sudzha&limit=100"
  "facets, country|/facets?country=UA"
  "facets, region|/facets?region=kursk"
  "weekly histogram, country|/histogram?country=UA&interval=week"
  "weekly histogram, region|/histogram?region=kursk&interval=week"
  "country + type|/events?country=UA&type=assault&limit=100"
  "date window|/events?from=2024-01&to=2024-03&limit=100"
  "actor|/events?actor=russia-military&limit=100"
  "GeoJSON, region|/events.geojson?region=kursk&limit=100"
  "regions menu|/regions"
  "region page|/events?region=kursk&limit=100"
)
echo "== machine: $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %9s %8s %8s %8s %8s  %s\n' target single_ms req/s p50_ms p99_ms cpu_ms load
for u in "${URLS[@]}"; do
  name=${u%%|*}
  path=${u#*|}
  if [ -n "${BENCH_ONLY:-}" ] && ! grep -Eq "$BENCH_ONLY" <<<"$name"; then
    continue
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
  [ "$code" = 200 ] || { echo "$path answers $code"; exit 1; }
  single=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$path"; done | sort -n | sed -n 3p)
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu_before=$(awk '{print $14 + $15}' "/proc/$SERVE/stat")
  wrk -d "${SECS}s" -c "$CONN" -t 2 --latency -H "Accept: application/json" -H "Accept-Encoding: identity" \
    "$BASE$path" >"$OUT/uncached-wrk.txt" 2>&1
  cpu_after=$(awk '{print $14 + $15}' "/proc/$SERVE/stat")
  python3 - "$LABEL" "$name" "$path" "$single" "$load" "$OUT/uncached-wrk.txt" "$OUT/uncached-results.jsonl" \
    "$((cpu_after - cpu_before))" "$(getconf CLK_TCK)" <<'PY'
import json, re, sys
label, name, path, single, load, wrk, results, ticks, hz = sys.argv[1:]
text = open(wrk).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
row = {"run": label, "target": name, "path": path, "single_ms": float(single) * 1000, "rps": rps,
       "p50_ms": lat.get("50", 0.0), "p99_ms": lat.get("99", 0.0), "requests": total,
       "non_2xx_3xx": int(bad.group(1)) if bad else 0, "load": float(load),
       # serve's own CPU (user + system) per request over the wrk run: steadier than
       # req/s on a shared machine (PostgreSQL's backends are not in it).
       "serve_cpu_ms": int(ticks) * 1000.0 / int(hz) / max(total, 1)}
open(results, "a").write(json.dumps(row) + "\n")
print(f"{name:32} {row['single_ms']:9.1f} {rps:8.0f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} {row['serve_cpu_ms']:8.3f}  {load}"
      + (f"  ({row['non_2xx_3xx']} of {total} not 2xx/3xx)" if row["non_2xx_3xx"] else ""))
PY
done
