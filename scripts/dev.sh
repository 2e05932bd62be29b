#!/usr/bin/env bash
# The main job: builds the SDK into pkg/, then runs the server on an embedded SQLite file in
# ./data, serving the demo (www/) and the SDK (pkg/) on the same origin.
# Open http://127.0.0.1:8080/?user=alice and http://127.0.0.1:8080/?user=bob to chat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-pkg.sh
cargo build --profile server -p tim-server
listen=${TIM_LISTEN:-127.0.0.1:8080}
echo "demo: http://$listen/?user=alice and http://$listen/?user=bob; playground: http://$listen/playground.html"
# --debug-endpoints lets the demo page fetch dev UserSigs; never use it in production.
exec target/server/tim-server --listen "$listen" --data-dir "${TIM_DATA_DIR:-data}" --debug-endpoints "$@"
