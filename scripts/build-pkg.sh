#!/usr/bin/env bash
# Builds the release SDK into pkg/ (ES module + wasm) and checks the gzip size budget.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
budget=${PKG_GZIP_BUDGET:-130000}   # bytes, wasm + JS glue, gzip -9 (Foundation: <= 100 KB; full message + conversation surface ~124 KB)

wasm-pack --quiet build --release --target web --out-dir pkg
read -r wasm_raw wasm_gz < <(sizes pkg/tim_sdk_bg.wasm)
read -r js_raw js_gz < <(sizes pkg/tim_sdk.js)
total=$((wasm_gz + js_gz))
printf 'pkg size: wasm %d B raw / %d B gzip; js glue %d B raw / %d B gzip; total gzip %d B (budget %d B)\n' \
  "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" "$total" "$budget"
if [ "$total" -gt "$budget" ]; then echo "pkg/ is over its gzip budget" >&2; exit 1; fi
