#!/usr/bin/env bash
# The samples as a user would build them: packs pkg/ (npm pack), installs the tarball into each
# sample under samples/ with its pinned bundler, builds it, serves it on its own port, and runs
# samples/run.mjs in headless Chromium against a live tim-server (fresh temp data dir): two users
# per sample log in and exchange messages. Prints `sample NAME: ok|FAILED (...)` per sample, then
# `N passed, M failed`; exits non-zero when any failed.
#
#   scripts/test-samples.sh [--engine] [--only NAME,NAME]
#
# Samples: vite-dev (vite 7 dev server), vite-build (vite 7 build + preview), vite5-dev and
# vite6-dev (samples/vite under vite 5 and 6, dev server), webpack (webpack 5, static server),
# script-tag (tim-js.js from a <script> tag, static server). --engine (or TIM_SAMPLES_ENGINE=1)
# adds tuikit-engine (@tencentcloud/chat-uikit-engine on tim-wasm, vite build + preview).
# Expects pkg/ and target/debug/tim-server (scripts/test.sh builds them; built here if missing;
# TIM_SAMPLES_PKG and TIM_SERVER_BIN name others).
# Installs and builds are skipped when their inputs (package.json, sources, tarball) are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

engine=${TIM_SAMPLES_ENGINE:-0}
only=
while [ $# -gt 0 ]; do
  case $1 in
    --engine) engine=1 ;;
    --only) only=,$2,; shift ;;
    *) echo "usage: $0 [--engine] [--only NAME,NAME]" >&2; exit 2 ;;
  esac
  shift
done

export TIM_SDKAPPID=${TIM_SDKAPPID:-1400000001}
export TIM_SECRET_KEY=${TIM_SECRET_KEY:-test-secret-key-0123456789abcdef}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
VITE_OLD=(5.4.21 6.4.6)   # vite versions whose dev server also runs samples/vite (vite 7 is samples/vite's own)
NPM_INSTALL=(npm install --no-save --prefer-offline --no-audit --no-fund --loglevel=error)
S=samples
started=$SECONDS
phase() { echo "== $* ($((SECONDS - started)) s)"; }

pkg=${TIM_SAMPLES_PKG:-pkg}                              # the package directory to pack
server_bin=${TIM_SERVER_BIN:-target/debug/tim-server}
[ -f "$pkg/package.json" ] || scripts/build-pkg.sh
[ -x "$server_bin" ] || cargo build -p tim-server

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # so that cleanup runs then too
trap 'echo "test-samples.sh: command failed at line $LINENO" >&2' ERR

phase "packing $pkg/"
(cd "$pkg" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tgz=$(echo "$tmp"/tim-wasm-*.tgz)
[ -f "$tgz" ] || { echo "npm pack of pkg/ produced no tim-wasm-*.tgz in $tmp" >&2; exit 1; }
tgz_sum=$(sha256sum "$tgz" | cut -c1-64)

# A hash of a sample's inputs (files outside node_modules/ and dist/), the tarball and $1.
inputs_hash() {
  local dir=$1; shift
  { echo "$tgz_sum $*"; find "$dir" \( -name node_modules -o -name dist \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-64
}

# The samples: NAME -> its directory under samples/ (vite 5 and 6 run copies of samples/vite).
declare -A DIR=([vite-dev]=vite [vite-build]=vite [webpack]=webpack [script-tag]=script-tag [tuikit-engine]=tuikit-engine)
names=(vite-dev vite-build)
for v in "${VITE_OLD[@]}"; do names+=("vite${v%%.*}-dev"); DIR[vite${v%%.*}-dev]=.cache/vite${v%%.*}; done
names+=(webpack script-tag)
[ "$engine" = 1 ] && names+=(tuikit-engine)
selected=()
for n in "${names[@]}"; do if [ -z "$only" ] || [[ $only == *",$n,"* ]]; then selected+=("$n"); fi; done
for n in ${only//,/ }; do
  [[ " ${names[*]} " == *" $n "* ]] || { echo "--only: no sample $n here (samples: ${names[*]})" >&2; exit 2; }
done

# A failure is a file $tmp/failed/NAME holding its reason (so background jobs can record one).
mkdir -p "$tmp/failed"
fail() { [ -f "$tmp/failed/$1" ] || echo "$2" >"$tmp/failed/$1"; }
failed() { [ -f "$tmp/failed/$1" ]; }
log_tail() { tail -n 30 "$1" | sed 's/^/    /' >&2; }

# samples/.cache/viteN/: samples/vite's sources with package.json pinning vite N, kept between
# runs so a warm machine installs nothing.
for v in "${VITE_OLD[@]}"; do
  major=${v%%.*}; dir=$S/.cache/vite$major
  [[ " ${selected[*]} " == *" vite$major-dev "* ]] || continue
  mkdir -p "$dir"
  cp $S/vite/index.html $S/vite/main.js "$dir/"
  sed "s/\"vite\": \"[^\"]*\"/\"vite\": \"$v\"/; s/tim-wasm-sample-vite/tim-wasm-sample-vite$major/" $S/vite/package.json >"$dir/package.json.new"
  if cmp -s "$dir/package.json.new" "$dir/package.json"; then rm "$dir/package.json.new"; else mv "$dir/package.json.new" "$dir/package.json"; fi
done

installs=(.)   # the runner's own (playwright-core), then each directory in use once
for n in "${selected[@]}"; do [[ " ${installs[*]} " == *" ${DIR[$n]} "* ]] || installs+=("${DIR[$n]}"); done
phase "npm install in ${installs[*]}"
ipids=()
for d in "${installs[@]}"; do
  dir=$S/$d
  want=$({ cat "$dir/package.json"; cat "$dir/package-lock.json" 2>/dev/null || true; } | sha256sum | cut -c1-64)
  [ "$d" = . ] || want=$want-$tgz_sum
  if [ "$(cat "$dir/node_modules/.tim-samples-installed" 2>/dev/null)" = "$want" ]; then ipids+=(0); continue; fi
  (
    cd "$dir"
    rm -f node_modules/.tim-samples-installed
    if [ "$d" = . ]; then "${NPM_INSTALL[@]}"; else "${NPM_INSTALL[@]}" "$tgz"; fi
    # vite's dev server keeps pre-bundled deps in node_modules/.vite/ and vite 5 does not see
    # that tim-wasm changed (no package-lock.json: it is installed --no-save): start afresh.
    rm -rf node_modules/.vite
    echo "$want" >node_modules/.tim-samples-installed
  ) >"$tmp/install-${d//\//_}.log" 2>&1 &
  ipids+=($!)
done
for i in "${!installs[@]}"; do
  d=${installs[$i]}
  [ "${ipids[$i]}" = 0 ] && continue
  wait "${ipids[$i]}" && continue
  echo "npm install in $S/$d failed:" >&2; log_tail "$tmp/install-${d//\//_}.log"
  [ "$d" = . ] && exit 1
  for n in "${selected[@]}"; do [ "${DIR[$n]}" != "$d" ] || fail "$n" "npm install in samples/$d failed"; done
done

server_port=$(free_port)
server_url="ws://127.0.0.1:$server_port"

# build NAME [ENV=VALUE...]: `npm run build` in the sample's directory unless its inputs (and
# the ENV given) are those of the last successful build there.
build() {
  local name=$1; shift
  local dir=$S/${DIR[$name]}
  failed "$name" && return 0
  local want; want=$(inputs_hash "$dir" "$@")
  [ "$(cat "$dir/dist/.tim-samples-built" 2>/dev/null)" = "$want" ] && return 0
  rm -f "$dir/dist/.tim-samples-built"
  local t0=$SECONDS
  if (cd "$dir" && env "$@" npm run --silent build) >"$tmp/build-$name.log" 2>&1; then
    echo "$want" >"$dir/dist/.tim-samples-built"
    echo "   built $name in $((SECONDS - t0)) s"
  else
    echo "build of $name failed:" >&2; log_tail "$tmp/build-$name.log"
    fail "$name" "build failed: $(grep -m1 -iE 'error' "$tmp/build-$name.log" | cut -c1-300)"
  fi
}
mkdir -p "$tmp/data"
start_server "$server_bin" "$server_port" "$tmp/data" --debug-endpoints >"$tmp/tim-server.log" 2>&1

# serve NAME: starts the sample's HTTP server on a free port in the background.
vite=(node node_modules/vite/bin/vite.js)
serving=()   # NAME:PORT:PID
serve() {
  local n=$1 port cmd
  failed "$n" && return 0
  port=$(free_port)
  case $n in
    vite*-dev) cmd=("${vite[@]}" --host 127.0.0.1 --port "$port" --strictPort) ;;
    vite-build|tuikit-engine) cmd=("${vite[@]}" preview --host 127.0.0.1 --port "$port" --strictPort) ;;
    webpack) cmd=(node ../serve.mjs . "$port") ;;
    script-tag) cmd=(node ../serve.mjs dist "$port") ;;
  esac
  (cd "$S/${DIR[$n]}" && exec "${cmd[@]}") >"$tmp/serve-$n.log" 2>&1 &
  pids+=($!)
  serving+=("$n:$port:$!")
}

phase "building, while tim-server, the vite dev servers and the static servers start"
for n in "${selected[@]}"; do case $n in vite*-dev|webpack|script-tag) serve "$n" ;; esac; done
bpids=()
for n in "${selected[@]}"; do
  case $n in
    vite-build|webpack|tuikit-engine) build "$n" & bpids+=($!) ;;
    script-tag) build "$n" TIM_SERVER_URL="$server_url" ;;   # a copy and a substitution
  esac
done
for p in "${bpids[@]}"; do wait "$p" || true; done
for n in "${selected[@]}"; do case $n in vite-build|tuikit-engine) serve "$n" ;; esac; done

phase "waiting for the sample servers"
# Every sample server gets 60 s to open its port; one that does not fails its sample.
declare -A url=()
for s in "${serving[@]}"; do
  IFS=: read -r name port pid <<<"$s"
  up=0
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ $up = 1 ]; then url[$name]=http://127.0.0.1:$port/; else
    echo "the server of $name did not open port $port:" >&2; log_tail "$tmp/serve-$name.log"; fail "$name" "its server did not start"
  fi
done
targets=()
for n in "${selected[@]}"; do if ! failed "$n" && [ -n "${url[$n]:-}" ]; then targets+=("$n=${url[$n]}"); fi; done

phase "running the samples in headless Chromium"
fargs=()
for n in "${selected[@]}"; do failed "$n" && fargs+=(--failed "$n=$(cat "$tmp/failed/$n")"); done
status=0
node $S/run.mjs --server "$server_url" --sdkappid "$TIM_SDKAPPID" "${fargs[@]}" "${targets[@]}" || status=$?
if [ $status != 0 ]; then
  for s in "${serving[@]}"; do
    name=${s%%:*}
    if grep -qiE 'error|fail' "$tmp/serve-$name.log"; then echo "-- $name server log:"; log_tail "$tmp/serve-$name.log" 2>&1; fi
  done
fi
echo "== samples done in $((SECONDS - started)) s"
exit $status
