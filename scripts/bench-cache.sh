#!/usr/bin/env bash
# Prints the cache figures (release build, headless Chromium):
# - SDK level: `getMessageList` of 15 from an IndexedDB cache of 100 000 messages (200
#   conversations of 500), p50/p99, beside a raw IndexedDB read of the same 15 records in the
#   same run; against a live server (tests/cache_bench.rs).
# - Store level: IdbStore's newest 15 from the same size of cache (tests/cache_store.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
export TIM_SDKAPPID=1400000001 TIM_SECRET_KEY=test-secret-key-0123456789abcdef
cargo build -q --profile server -p tim-server
data=$(mktemp -d)
port=$(free_port)
trap 'stop_server; rm -rf "$data"' EXIT
start_server target/server/tim-server "$port" "$data" >/dev/null 2>&1
export TIM_TEST_SERVER="127.0.0.1:$port" TIM_TEST_SDKAPPID="$TIM_SDKAPPID" TIM_TEST_SECRET="$TIM_SECRET_KEY"
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-900} CHROMEDRIVER="$(command -v chromedriver)"
for t in cache_bench cache_store; do
  wasm-pack test --headless --chrome --release -- \
    --test "$t" -- --include-ignored --nocapture bench_ 2>&1 | grep -E "BENCH|test result|FAIL|panicked"
done
