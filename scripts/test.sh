#!/usr/bin/env bash
# The whole test suite: native tests (core, protocol, server integration), the release SDK
# package within its size budget, and browser tests in headless Chromium against a live
# server on a real SQLite file. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export TIM_SDKAPPID=1400000001
export TIM_SECRET_KEY=test-secret-key-0123456789abcdef

echo "== native tests: core, protocol, server (real server on port 0, temp SQLite)"
cargo test --workspace

echo "== release package and its size budget"
scripts/build-pkg.sh

echo "== package types: an app typed for tim-js-sdk compiles against ours (tsc --strict)"
scripts/test-types.sh

echo "== package in Node: import, create, login rejections"
timeout 120 node --test tests/package/node.test.mjs

echo "== browser tests: headless Chromium against a live server"
cargo build -p tim-server
data=$(mktemp -d)
port=$(free_port)
trap 'stop_server; rm -rf "$data"' EXIT
# A 3-second revoke window lets the browser tests check refusals after it without waiting 2 minutes.
start_server target/debug/tim-server "$port" "$data" --debug-endpoints --revoke-window 3
# The test binary reads these at compile time (the test page is served from another port).
export TIM_TEST_SERVER="127.0.0.1:$port" TIM_TEST_SDKAPPID="$TIM_SDKAPPID" TIM_TEST_SECRET="$TIM_SECRET_KEY"
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
# A hard bound per file: a hung page fails its file by name instead of the whole run.
# The test runner's HTTP server (tiny_http 0.12) can lose a wake-up and leave a request of the
# test page queued behind Chrome's idle keep-alive connections until one closes (minutes): the
# page stays at "Loading scripts..." (wasm-pack#783). Opening and closing a connection to it
# starts a fresh worker, which serves the queued request, so a nudger does that every second
# while the file runs; the runner listens on a port we choose for that.
browser_test() {
  local page_port nudger status=0
  page_port=$(free_port)
  (while (exec 3<>"/dev/tcp/127.0.0.1/$page_port") 2>/dev/null || true; do sleep 1; done) &
  nudger=$!
  WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$page_port" CHROMEDRIVER="$(command -v chromedriver)" \
    timeout 900 wasm-pack test --headless --chrome -- --test "$1" || status=$?
  kill "$nudger" 2>/dev/null; wait "$nudger" 2>/dev/null || true
  return "$status"
}
# One file at a time, so one failure names its file and the others still run. A file whose
# page never loaded (no test of it ran) runs once more.
failed=()
for file in tests/*.rs; do
  name=$(basename "$file" .rs)
  out=$(mktemp)
  if browser_test "$name" 2>&1 | tee "$out"; then continue; fi
  if ! grep -qE '^running [0-9]+ tests?' "$out"; then
    echo "== $name: the test page never loaded; running that file once more"
    browser_test "$name" && continue
  fi
  failed+=("$name")
done

echo "== the package's loaders and the demo in Chromium (node:test + playwright-core)"
(cd tests/package && npm install --prefer-offline --silent --no-audit --no-fund)
for file in tests/package/*.test.mjs; do
  case $file in */node.test.mjs) continue ;; esac
  timeout 300 node --test "$file" || failed+=("$(basename "$file")")
done
if [ ${#failed[@]} -gt 0 ]; then echo "browser tests failed: ${failed[*]}" >&2; exit 1; fi

echo "== samples: vite (build and dev), webpack, script tag, from the packed package"
scripts/test-samples.sh --engine
