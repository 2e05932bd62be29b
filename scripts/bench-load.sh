#!/usr/bin/env bash
# Prints load-time ratios against tim-js-sdk 2.27.6 measured in the same run: navigation →
# TIM.create returned, and → the SDK usable (our wasm instantiated), on loopback, emulated 4G and
# 3G, for our classic tim-js.js, our ES module tim.js and a wasm-inline classic variant, plus the
# gzip sizes. Needs no chat server. BENCH_LOAD_ROUNDS (default 7) sets the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg_whole() { [ -f pkg/tim-js.js ] && [ -f pkg/tim.js ] && [ -f pkg/tim_sdk_bg.wasm ]; }
# pkg/ may be missing for a moment while it is rebuilt (rm -rf pkg && mv): wait, then build it.
for _ in $(seq 1 20); do pkg_whole && break; sleep 1; done
if ! pkg_whole; then
  timeout 3600 scripts/setup.sh
  timeout 3600 scripts/build-pkg.sh
fi
command -v chromium >/dev/null || [ -n "${CHROMIUM:-}" ] || timeout 1800 scripts/setup.sh
if [ ! -f bench/load/node_modules/tim-js-sdk/tim-js.js ] || [ ! -d bench/load/node_modules/playwright-core ]; then
  (cd bench/load && timeout 600 npm install --silent --no-audit --no-fund)
fi
# Bounded: node stops itself after BENCH_LOAD_TIMEOUT s; timeout(1) kills it and Chromium a minute later.
export BENCH_LOAD_TIMEOUT=${BENCH_LOAD_TIMEOUT:-$((120 + 60 * ${BENCH_LOAD_ROUNDS:-7}))}
exec timeout -k 10 $((BENCH_LOAD_TIMEOUT + 60)) node bench/load/run.mjs
