#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test the project; skips what is present,
# so a warm machine pays nothing. Facts behind each step: shared/reference/toolchain.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.28.2

say() { echo "setup: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock, or wasm-pack tries to
# download a matching one, which fails offline.
pinned=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$pinned" ]; then
  say "installing wasm-bindgen-cli $pinned (a few minutes)"
  cargo install wasm-bindgen-cli --version "$pinned" --force   # not --locked: see toolchain.md
fi
if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (a few minutes)"
  cargo install wasm-pack --locked
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# Debian's wasm-opt (binaryen 108) emits a wasm that fails at init with wasm-bindgen 0.2.130
# (reference types): use the npm build of a newer binaryen, which wasm-pack finds on PATH.
if [ ! -x .tools/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into .tools/"
  npm install --prefix .tools --silent --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

# esbuild bundles the JS loader, wasm-bindgen's glue and its snippets into one file per build.
if [ ! -x .tools/node_modules/.bin/esbuild ]; then
  say "installing esbuild $ESBUILD_VERSION from npm into .tools/"
  npm install --prefix .tools --silent --no-audit --no-fund "esbuild@$ESBUILD_VERSION"
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
