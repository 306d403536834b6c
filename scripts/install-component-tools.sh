#!/usr/bin/env bash
# Installs what `make component` and `make test-component` need (scripts/install.sh runs this).
# Idempotent: each step checks first, so a second run takes about a second.
#   - the wasm32-unknown-unknown Rust target (the component is built from it, not wasip2, so it
#     imports nothing);
#   - tests/component's npm packages, exactly as package-lock.json pins them: binaryen 132
#     (wasm-opt) and @bytecodealliance/jco-transpile 0.15.0 (component new / wit / transpile).
# Nothing else: the wasmtime host is a Cargo workspace member (hosts/wasmtime) built by cargo, and
# neither the wasm-tools nor the wasmtime CLI is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

lock=tests/component/package-lock.json
installed=tests/component/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ] || [ tests/component/package.json -nt "$installed" ]; then
  # `npm install`, not `npm ci`: jco-transpile's jco-node-fs lists optional platform packages at a
  # version the registry does not have (linux-arm64-musl, win32-*), which npm leaves out of the lock
  # file and `npm ci` then rejects as "out of sync". With the lock file present, `npm install`
  # installs exactly the versions it pins (and leaves it unchanged).
  npm --prefix tests/component install --no-audit --no-fund
  touch "$installed"
fi
