#!/usr/bin/env bash
# Prints the figures of the closing notes: release pkg/ size (raw and gzip), and message
# latency/throughput between two SDK instances in headless Chromium through a release server,
# beside plain browser WebSockets doing the same through the same server in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
run_bench bench/run.mjs
