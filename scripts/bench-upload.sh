#!/usr/bin/env bash
# Prints the upload figure of the closing notes: throughput of a 50 MB file message through
# the SDK (chunked, hashed, resumable upload, then sent) beside a plain XHR POST of the same
# bytes to /debug/sink, in the same page, against the same release server.
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
node bench/upload.mjs "http://127.0.0.1:$port" "$TIM_SDKAPPID"
