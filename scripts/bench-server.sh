#!/usr/bin/env bash
# Server load bench: builds the release server and the native load generator (bench/loadgen),
# which starts a fresh server per phase on a temporary data dir and prints durable ingest beside
# raw SQLite, idle sessions' RSS, group fan-out and a reconnect storm. Flags pass through:
#   scripts/bench-server.sh --big                  # + 50 000 idle sessions, a group of 5 000
#   scripts/bench-server.sh --phases ingest,storm  # a subset
#   scripts/bench-server.sh --help                 # every size and knob
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile server -p tim-server -p tim-loadgen
exec target/server/tim-loadgen --server target/server/tim-server "$@"
