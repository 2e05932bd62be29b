#!/usr/bin/env bash
# Prints the time from TIM.create to the first CONVERSATION_LIST_UPDATED with 1 000 cached
# conversations, beside a user with an empty cache, in the same run (median of 5; release
# build, headless Chromium against a live server).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
export TIM_SDKAPPID=1400000001 TIM_SECRET_KEY=test-secret-key-0123456789abcdef
cargo build -q -p tim-server
data=$(mktemp -d)
port=$(free_port)
trap 'stop_server; rm -rf "$data"' EXIT
start_server target/debug/tim-server "$port" "$data" >/dev/null 2>&1
export TIM_TEST_SERVER="127.0.0.1:$port" TIM_TEST_SDKAPPID="$TIM_SDKAPPID" TIM_TEST_SECRET="$TIM_SECRET_KEY"
WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-900} CHROMEDRIVER="$(command -v chromedriver)" \
  wasm-pack test --headless --chrome --release -- \
  --test cache_tabs -- --include-ignored --nocapture bench_ 2>&1 | grep -E "BENCH|test result|FAIL|panicked"
