#!/usr/bin/env bash
# Crash consistency at full size: a clean `linimasa ingest` of ARTICLES generated
# articles, then RUNS runs that are killed with SIGKILL at points spread over the
# ingest and resumed, each compared with the clean run (counts, every event id and its
# number of sources; no article without its events). SQLite always, PostgreSQL when one
# answers on 127.0.0.1:5432 (or LINIMASA_TEST_POSTGRES). It is the CI test
# (tests/it/crash.rs) at a larger size.
#
#   scripts/crash_ingest.sh [ARTICLES] [RUNS]      # default 2000 5
set -euo pipefail
cd "$(dirname "$0")/.."
export LINIMASA_CRASH_ARTICLES=${1:-2000}
export LINIMASA_CRASH_RUNS=${2:-5}
start=$(date +%s)
cargo test --quiet --test it crash:: -- --nocapture --test-threads 1 2>&1 | grep -oE 'crash\[.*|test result.*|panicked.*|NOTICE.*'
echo "crash_ingest: $LINIMASA_CRASH_ARTICLES articles, $LINIMASA_CRASH_RUNS killed runs per backend, $(( $(date +%s) - start )) s"
