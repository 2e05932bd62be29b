#!/usr/bin/env bash
# Builds the release SDK into pkg/ (ES module + wasm) and checks the gzip size budget.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
budget=${PKG_GZIP_BUDGET:-134000}   # bytes, wasm + JS glue + snippets, gzip -9. History: Foundation <= 100 KB; messages + conversations ~124 KB; + rich messages, uploads and the IndexedDB cache 142.7 KB, cut to 132.8 KB (BTree maps/sets, std sort and serde-wasm-bindgen views replaced); ~1 KB headroom

wasm-pack --quiet build --release --target web --out-dir pkg
# Comments ship as bytes: drop the JSDoc that wasm-bindgen copies from the Rust docs into the
# glue (tim_sdk.d.ts keeps it for editors), whole-line comments, and the snippets' indentation.
python3 - pkg/tim_sdk.js $(find pkg/snippets -name '*.js' 2>/dev/null) <<'PY'
import re, sys
for path in sys.argv[1:]:
    text = open(path, encoding='utf-8').read()
    text = re.sub(r'(?m)^[ \t]*/\*\*(?:[^*]|\*(?!/))*\*/[ \t]*\n', '', text)
    text = re.sub(r'(?m)^[ \t]*//.*\n', '', text)
    if '/snippets/' in path:  # hand-written, no multi-line strings: indentation is dead weight
        text = re.sub(r'(?m)^[ \t]+', '', text)
    open(path, 'w', encoding='utf-8').write(text)
PY
read -r wasm_raw wasm_gz < <(sizes pkg/tim_sdk_bg.wasm)
read -r js_raw js_gz < <(sizes pkg/tim_sdk.js)
# JS snippets (`#[wasm_bindgen(module = ...)]`) ship in pkg/snippets/ and count too.
snip_raw=0 snip_gz=0
while IFS= read -r -d '' f; do
  read -r r g < <(sizes "$f"); snip_raw=$((snip_raw + r)); snip_gz=$((snip_gz + g))
done < <(find pkg/snippets -type f -print0 2>/dev/null)
total=$((wasm_gz + js_gz + snip_gz))
printf 'pkg size: wasm %d B raw / %d B gzip; js glue %d B raw / %d B gzip; snippets %d B raw / %d B gzip; total gzip %d B (budget %d B)\n' \
  "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" "$snip_raw" "$snip_gz" "$total" "$budget"
if [ "$total" -gt "$budget" ]; then echo "pkg/ is over its gzip budget" >&2; exit 1; fi
