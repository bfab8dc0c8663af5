#!/usr/bin/env bash
# The dashboard mix under writes (issue 19), a companion of scripts/bench_api.sh:
#
#   scripts/bench_mixed.sh
#
# starts `linimasa serve --rate-limit 0` as deployed (response cache, 1 s version TTL)
# on the synthetic store scripts/bench_api.sh makes (BENCH_EVENTS, default 1,000,000;
# made here with `linimasa demo --synthetic` when missing) or on BENCH_DATABASE_URL
# (a PostgreSQL database filled the same way), and for BENCH_SECONDS (default 20) runs
# ten URLs a newsroom dashboard calls at once — one wrk per URL, BENCH_CONNECTIONS
# (default 64) connections shared between them — while one generated article
# (scripts/bench_articles.py, made unique per run) is posted every BENCH_WRITE_EVERY
# seconds (default 1) through POST /articles; before that, the same ten URLs run for
# BENCH_SECONDS with no writes (BENCH_READ_ONLY_PASS=0 skips it). Prints p50/p99/req/s per
# URL and overall for both passes side by side,
# and the writes' statuses; appends JSON lines to target/bench/mixed-results.jsonl.
#
# BENCH_BIN picks the binary (default target/release/linimasa, built here), so that
# two binaries can be run alternately on the same store; BENCH_PORT (default 19100).
# Loopback only; the server it starts it stops.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_EVENTS:-1000000}
SECS=${BENCH_SECONDS:-20}
CONN=${BENCH_CONNECTIONS:-64}
SEED=${BENCH_SEED:-1}
PORT=${BENCH_PORT:-19100}
EVERY=${BENCH_WRITE_EVERY:-1}
OUT=target/bench
mkdir -p "$OUT"
BIN=${BENCH_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/linimasa
fi
DB_URL=${BENCH_DATABASE_URL:-sqlite://$OUT/synthetic-$N-seed$SEED.db}
LABEL=${BENCH_LABEL:-$(basename "$BIN") on ${DB_URL%%:*}}
RESULTS="$OUT/mixed-results.jsonl"
ARTICLES="$OUT/articles-mixed.jsonl"
rm -f "$OUT"/mixed-wrk-*.txt
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)

if [[ $DB_URL == sqlite://* ]] && [ ! -s "${DB_URL#sqlite://}" ]; then
  echo "== store: $N synthetic events (${DB_URL#sqlite://})"
  "$BIN" demo --synthetic "$N" --seed "$SEED" --database-url "$DB_URL" 2>"$OUT/fill.log"
fi
[ -s "$ARTICLES" ] || python3 scripts/bench_articles.py 2000 "$ARTICLES" 7

PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== machine: $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
KEY=$("$BIN" keys create --name bench-mixed --database-url "$DB_URL" 2>/dev/null)
"$BIN" serve --rate-limit 0 --bind "127.0.0.1:$PORT" --database-url "$DB_URL" >"$OUT/serve-mixed.log" 2>&1 &
PIDS+=("$!")
BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 240); do
  curl -sf "$BASE/readyz" >/dev/null && break
  sleep 0.5
  [ "$i" = 240 ] && { echo "serve did not start; see $OUT/serve-mixed.log"; exit 1; }
done

# What a newsroom dashboard calls: region pages, a country and type, facets, a weekly
# histogram, a region and a common word, a map, the region menu, a date window, an actor.
URLS=(
  "region Kursk|/events?region=kursk&limit=100"
  "region Donetsk|/events?region=donetsk&limit=100"
  "country UA + type|/events?country=UA&type=assault&limit=100"
  "facets UA|/facets?country=UA"
  "weekly histogram Kursk|/histogram?region=kursk&interval=week"
  "region + word|/events?region=kursk&q=drone&limit=100"
  "GeoJSON Kursk|/events.geojson?region=kursk&limit=100"
  "regions menu|/regions"
  "date window|/events?from=2024-01&to=2024-03&limit=100"
  "actor|/events?actor=russia-military&limit=100"
)
for u in "${URLS[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE${u#*|}")
  [ "$code" = 200 ] || { echo "${u#*|} answers $code"; exit 1; }
done

# Ten wrk at once, one per URL, sharing CONN connections; their outputs go to
# mixed-wrk-PHASE-i.txt.
load() { # phase
  echo "== load ($1): ${#URLS[@]} URLs at once, $CONN connections in all, ${SECS} s"
  local per=$((CONN / ${#URLS[@]})) i=0 pids=()
  [ "$per" -ge 1 ] || per=1
  for u in "${URLS[@]}"; do
    wrk -d "${SECS}s" -c "$per" -t 1 --latency -H "Accept: application/json" -H "Accept-Encoding: identity" \
      "$BASE${u#*|}" >"$OUT/mixed-wrk-$1-$i.txt" 2>&1 &
    pids+=("$!")
    i=$((i + 1))
  done
  wait "${pids[@]}" 2>/dev/null || true
}

# The same mix first with no writes (what the response cache gives when nothing
# changes), then while articles stream in.
[ "${BENCH_READ_ONLY_PASS:-1}" = 0 ] || load read

echo "== writes: one article every ${EVERY} s for ${SECS} s"
python3 - "$BASE" "$KEY" "$ARTICLES" "$EVERY" "$SECS" >"$OUT/mixed-writes.json" <<'PY' &
import json, sys, time, urllib.request, urllib.error
base, key, path, every, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
run = int(time.time())
statuses, lat = {}, []
end = time.monotonic() + secs
for i, line in enumerate(open(path)):
    t0 = time.monotonic()
    if t0 >= end:
        break
    a = json.loads(line)
    # Unique per run: another URL and one more sentence (another content hash).
    a["url"] = f"{a['url']}?run={run}"
    a["text"] += f"\n\nUpdated {run}-{i}."
    req = urllib.request.Request(base + "/articles", data=json.dumps(a).encode(), method="POST",
                                 headers={"content-type": "application/json", "authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:  # a refused or timed-out write counts as a failure
        code = type(e).__name__
    lat.append((time.monotonic() - t0) * 1000)
    statuses[str(code)] = statuses.get(str(code), 0) + 1
    time.sleep(max(0.0, every - (time.monotonic() - t0)))
lat.sort()
print(json.dumps({"writes": len(lat), "statuses": statuses,
                  "p50_ms": lat[len(lat) // 2] if lat else 0, "max_ms": lat[-1] if lat else 0}))
PY
WRITER=$!
PIDS+=("$WRITER")
load write
wait "$WRITER" 2>/dev/null || true

python3 - "$LABEL" "$RESULTS" "$OUT/mixed-writes.json" "${URLS[@]}" <<'PY'
import json, os, re, sys
label, results, writes, urls = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
def phase(name):
    rows = []
    for i, u in enumerate(urls):
        path = f"target/bench/mixed-wrk-{name}-{i}.txt"
        if not os.path.exists(path):
            return None
        text = open(path).read()
        lat = {p: ms(v, un) for p, v, un in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
        rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
        total = re.search(r"(\d+) requests in", text)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errs = re.search(r"Socket errors: (.*)", text)
        rows.append({"run": label, "phase": name, "target": u.split("|")[0],
                     "rps": float(rps.group(1)) if rps else 0.0,
                     "p50_ms": lat.get("50", 0.0), "p99_ms": lat.get("99", 0.0),
                     "requests": int(total.group(1)) if total else 0,
                     "non_2xx_3xx": int(bad.group(1)) if bad else 0,
                     "errors": errs.group(1).strip() if errs else ""})
    # Overall p50/p99: the worst URL's, the honest single figure for a mix.
    rows.append({"run": label, "phase": name, "target": "overall", "rps": sum(r["rps"] for r in rows),
                 "p50_ms": max(r["p50_ms"] for r in rows), "p99_ms": max(r["p99_ms"] for r in rows),
                 "requests": sum(r["requests"] for r in rows),
                 "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in rows),
                 "errors": "; ".join(r["errors"] for r in rows if r["errors"])})
    return rows
read, write = phase("read"), phase("write")
w = json.load(open(writes))
write[-1]["writes"] = w
with open(results, "a") as f:
    for r in (read or []) + write:
        f.write(json.dumps(r) + "\n")
print(f"\n{label}")
head = f"{'target':26}"
if read:
    head += f" {'read-only req/s':>15} {'p50':>7} {'p99 ms':>8} |"
head += f" {'under writes req/s':>18} {'p50':>7} {'p99 ms':>8}  answers under writes"
print(head)
for k, r in enumerate(write):
    line = f"{r['target']:26}"
    if read:
        o = read[k]
        line += f" {o['rps']:15.0f} {o['p50_ms']:7.2f} {o['p99_ms']:8.2f} |"
    line += f" {r['rps']:18.0f} {r['p50_ms']:7.2f} {r['p99_ms']:8.2f}  {r['requests']} requests, {r['non_2xx_3xx']} not 2xx/3xx"
    if r["errors"]:
        line += "  socket errors: " + r["errors"]
    if read and (read[k]["non_2xx_3xx"] or read[k]["errors"]):
        line += f"  (read-only: {read[k]['non_2xx_3xx']} not 2xx/3xx, {read[k]['errors'] or 'no socket errors'})"
    print(line)
print("(overall p50/p99: the worst URL's)")
print(f"writes: {w['writes']} posted, statuses {w['statuses']}, p50 {w['p50_ms']:.0f} ms, max {w['max_ms']:.0f} ms")
PY
