#!/usr/bin/env bash
# Prints the upload figure of the closing notes: throughput of a 50 MB file message through
# the SDK (chunked, hashed, resumable upload, then sent) beside a plain XHR POST of the same
# bytes to /debug/sink, in the same page, against the same release server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
run_bench bench/upload.mjs
