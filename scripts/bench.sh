#!/usr/bin/env bash
# Prints the figures of the closing notes: release pkg/ size (raw and gzip), and message
# latency/throughput between two SDK instances in headless Chromium through a release server,
# beside plain browser WebSockets doing the same through the same server in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
export TIM_SDKAPPID=1400000002 TIM_SECRET_KEY=bench-secret-key
scripts/build-pkg.sh
cargo build --profile server -p tim-server
[ -d bench/node_modules/playwright-core ] || (cd bench && npm install --silent --no-audit --no-fund)
data=$(mktemp -d)
port=$(free_port)
trap 'stop_server; rm -rf "$data"' EXIT
start_server target/server/tim-server "$port" "$data" --debug-endpoints --www bench
node bench/run.mjs "http://127.0.0.1:$port" "$TIM_SDKAPPID"
