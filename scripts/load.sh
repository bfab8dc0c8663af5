#!/usr/bin/env bash
# A mixed load run: reads at high concurrency (wrk, rotating over dashboard-style
# queries, facets, histograms, CSV exports and single events) while a writer POSTs
# new articles, against a release `linimasa serve` on a synthetic store. Reports the
# read latency (p50, p90, p99, max), every status other than 2xx/304 (429 is allowed
# but the run disables the rate limit, so every read does real work), the writes'
# statuses, and the server's RSS sampled every 10 s (flat = no leak).
#
#   scripts/load.sh            # LOAD_SECONDS=300 LOAD_CONNECTIONS=64 LOAD_EVENTS=50000
#
# Loopback only; everything it starts it stops. Needs wrk (Debian; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${LOAD_SECONDS:-300}
CONN=${LOAD_CONNECTIONS:-64}
N=${LOAD_EVENTS:-50000}
PORT=${LOAD_PORT:-18180}
OUT=target/load
mkdir -p "$OUT"
DB="$OUT/load-$N.db"

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
cargo build --release --quiet
BIN=target/release/linimasa

echo "== store: $N synthetic events plus the demo articles ($DB, fresh each run)"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" demo --synthetic "$N" --database-url "sqlite://$DB" >/dev/null 2>"$OUT/fill.log"
KEY=$("$BIN" keys --database-url "sqlite://$DB" create --name load 2>/dev/null)

"$BIN" serve --demo --rate-limit 0 --bind "127.0.0.1:$PORT" --database-url "sqlite://$DB" \
  >"$OUT/serve.log" 2>&1 &
SERVE=$!
PIDS+=("$SERVE")
BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 300); do
  python3 -c "import urllib.request as u; u.urlopen('$BASE/readyz', timeout=5)" 2>/dev/null && break
  sleep 0.2
  [ "$i" = 300 ] && { echo "serve did not start; see $OUT/serve.log"; exit 1; }
done
EVENT=$(python3 -c "import json,urllib.request as u; print(json.load(u.urlopen('$BASE/events?limit=1'))['events'][0]['id'])")

cat >"$OUT/mix.lua" <<LUA
local paths = {
  "/events?region=kursk&limit=100",
  "/events?country=UA&sort=-date&limit=50",
  "/events?region=donetsk&from=2023-01&to=2023-06",
  "/events?type=assault&country=RU&limit=20",
  "/events?q=drone&limit=100",
  "/facets?country=UA",
  "/facets?region=kharkiv",
  "/histogram?region=kursk&interval=week&from=2024&to=2024",
  "/events.csv?region=zaporizhzhia&limit=200",
  "/events.geojson?region=kherson&limit=100",
  "/events/$EVENT",
  "/regions?country=UA",
  "/actors",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Accept-Encoding"] = "gzip" })
end
counts = {}
response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function() counts = {} end
done = function(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for s, n in pairs(c) do all[s] = (all[s] or 0) + n end
  end
  io.write("statuses:")
  for s, n in pairs(all) do io.write(string.format(" %d=%d", s, n)) end
  io.write("\n")
  io.write(string.format("requests %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

# The writer: one new article every 0.5 s for the whole run.
python3 - "$BASE" "$KEY" "$SECS" >"$OUT/writer.txt" 2>&1 <<'PY' &
import json, sys, time, urllib.request, urllib.error, collections
base, key, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
regions = ["Russia's Kursk region", "Ukraine's Sumy region", "the Kharkiv region", "the Donetsk region"]
months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
statuses, lat = collections.Counter(), []
end, i = time.time() + secs, 0
while time.time() < end:
    i += 1
    text = (f"On {1 + i % 28} {months[i % 12]} 2024, Russian forces shelled villages in {regions[i % 4]}. "
            f"Load-test report {i} from the wire desk.")
    body = json.dumps({"url": f"https://load.linimasa.example/{time.time_ns()}", "language": "en",
                       "published_at": "2024-12-31", "text": text}).encode()
    req = urllib.request.Request(base + "/articles", body, {"content-type": "application/json",
                                 "authorization": "Bearer " + key}, method="POST")
    t = time.time()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            statuses[r.status] += 1
    except urllib.error.HTTPError as e:
        statuses[e.code] += 1
    except Exception as e:
        statuses[type(e).__name__] += 1
    lat.append(time.time() - t)
    time.sleep(0.5)
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"writes: {sum(statuses.values())} ({dict(statuses)}); latency ms p50 {p(0.5):.1f} p99 {p(0.99):.1f} max {lat[-1]*1000:.1f}")
PY
WRITER=$!
PIDS+=("$WRITER")

# RSS every 10 s.
(
  while kill -0 "$SERVE" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/{print $2}' /proc/$SERVE/status)"
    sleep 10
  done
) >"$OUT/rss.txt" &
PIDS+=("$!")

echo "== $SECS s: wrk, $CONN connections, 2 threads, 13 URLs in turn; a write every 0.5 s"
wrk -t2 -c"$CONN" -d"${SECS}s" --timeout 35s --latency -s "$OUT/mix.lua" "$BASE" | tee "$OUT/wrk.txt" || true
wait "$WRITER" || true
cat "$OUT/writer.txt"
echo "== response cache (from /metrics)"
python3 -c "import urllib.request as u; print(u.urlopen('$BASE/metrics').read().decode())" \
  | grep '^linimasa_response_cache' || true
echo "== RSS (KiB) every 10 s"
python3 - "$OUT/rss.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) == 2]
kib = [int(r[1]) for r in rows]
print(" ".join(str(k // 1024) + "M" for k in kib))
if kib:
    half = kib[len(kib) // 2:]
    print(f"RSS: start {kib[0]//1024} MiB, max {max(kib)//1024} MiB, end {kib[-1]//1024} MiB; "
          f"second half {min(half)//1024}..{max(half)//1024} MiB")
PY
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -c '"level":"ERROR"\| ERROR ' "$OUT/serve.log" | sed 's/^/server error log lines: /' || true
