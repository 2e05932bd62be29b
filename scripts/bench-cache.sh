#!/usr/bin/env bash
# Prints the cache figures: `newest 15 of a conversation` from an IndexedDB cache of 100 000
# messages, p50/p99, beside a raw IndexedDB getAll of the same 15 records in the same run
# (release build, headless Chromium; no server needed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-900} CHROMEDRIVER="$(command -v chromedriver)" \
  wasm-pack test --headless --chrome --release -- \
  --test cache_store -- --include-ignored --nocapture bench_ 2>&1 | grep -E "BENCH|test result|FAIL|panicked"
