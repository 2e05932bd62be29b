#!/usr/bin/env bash
# Builds the release SDK into pkg/, an npm package (`tim-wasm`): the ES module `tim.js` (default
# export TIM), the classic script `tim-js.js` (defines window.TIM), the wasm, the types and
# package.json. Checks the gzip size budget of what an ES-module user downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
budget=${PKG_GZIP_BUDGET:-155350}   # bytes, tim.js + wasm, gzip -9. History: Foundation <= 100 KB; messages + conversations ~124 KB; + rich messages, uploads and the IndexedDB cache 142.7 KB, cut to 132.8 KB (BTree maps/sets, std sort and serde-wasm-bindgen views replaced); drop-in loader, 3.x engine calls and profile 134.4 KB (TIM.EVENT/TYPES moved from the wasm to the JS loader: -2.9 KB), batch deleteConversation 135.5 KB; restructure (rules moved into the core: batchSendMessage, cache-first connect, the file-content fill, the send/modify rejection rules, the serverURL rule) 137.0 KB; the server's input rules and frame limit checked before queueing (issue 12: validate's JSON-free rules, the frame measure, the outbox filter) 139.0 KB; groups step 1 (issue 13: 15 group calls through one option reader, the group frames' codec, the core's groups part, group tips, Conversation.groupProfile) 154.5 KB; the codec of the step-2 group frames (roles, mute, applications, online count; their calls come next) 155.1 KB; ~0.25 KB headroom

stage=target/pkg-stage            # wasm-bindgen's output + the loader sources, bundled from here
out=target/pkg-out                # the package, moved to pkg/ once whole
rm -rf "$stage" "$out"
mkdir -p "$out"
wasm-pack --quiet build --release --target web --no-pack --out-dir "$stage"
cargo run --quiet --example js_tables > "$stage/tables.js"
# The wasm class's methods, split into those returning a Promise and the synchronous ones: the
# loader forwards exactly these (read from wasm-bindgen's declarations, so nothing is listed twice).
python3 - "$stage/tim_sdk.d.ts" > "$stage/methods.js" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
body = re.search(r'export class TIM \{(.*?)\n\}', text, re.S).group(1)
body = re.sub(r'/\*\*.*?\*/', '', body, flags=re.S)
asyncs, syncs = [], []
for m in re.finditer(r'^ +(?!static |private |free\(|\[Symbol)(\w+)\((.*?)\): ([^;]+);', body, re.M | re.S):
    (asyncs if m.group(3).startswith('Promise') else syncs).append(m.group(1))
assert 'login' in asyncs and 'on' in syncs, 'TIM methods not found in tim_sdk.d.ts'
print('export const ASYNC = %s;\nexport const SYNC = %s;' % (asyncs, syncs))
PY
cp js/facade.js js/index.js js/global.js "$stage/"
esbuild=.tools/node_modules/.bin/esbuild
# wasm-bindgen 0.2.130 lists one snippet twice in its imports object (harmless: same module).
common=(--bundle --minify --legal-comments=none --log-level=warning --log-override:duplicate-object-key=silent --target=es2020)
"$esbuild" "$stage/index.js" "${common[@]}" --format=esm --outfile="$out/tim.js"
# import.meta exists only in modules; the classic build never takes that path (it passes a URL).
"$esbuild" "$stage/global.js" "${common[@]}" --format=iife --define:import.meta.url=undefined --outfile="$out/tim-js.js"
cp "$stage/tim_sdk_bg.wasm" js/package.json js/README.md js/index.d.ts LICENSE-MIT LICENSE-APACHE "$out/"
version=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "tim-sdk"))')
(cd "$out" && npm pkg set "version=$version")
rm -rf pkg && mv "$out" pkg

read -r wasm_raw wasm_gz < <(sizes pkg/tim_sdk_bg.wasm)
read -r js_raw js_gz < <(sizes pkg/tim.js)
read -r classic_raw classic_gz < <(sizes pkg/tim-js.js)
total=$((wasm_gz + js_gz))
printf 'pkg size: wasm %d B raw / %d B gzip; tim.js (ES module) %d B raw / %d B gzip; tim-js.js (classic) %d B raw / %d B gzip; total gzip (module + wasm) %d B (budget %d B)\n' \
  "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" "$classic_raw" "$classic_gz" "$total" "$budget"
if [ "$total" -gt "$budget" ]; then echo "pkg/ is over its gzip budget" >&2; exit 1; fi
