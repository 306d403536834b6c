#!/usr/bin/env bash
# Installs what `make test` and `make demo` need on a fresh machine of this kind. Idempotent:
# every step checks before it installs, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)

step() { printf '== %s\n' "$*"; }

step "rust targets"
installed=$(rustup target list --installed)
for t in wasm32-unknown-unknown wasm32v1-none; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
# The npm .wasm builds core and alloc from source (js/scripts/build.mjs stdFromSource).
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src

step "chromium (Debian)"
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's binaryen is deliberately not installed: its wasm-opt 108 corrupts wasm-bindgen output.
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  # No --locked: the CLI's lockfile pins a webpki-roots this registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

for s in scripts/install-*.sh; do
  [ -e "$s" ] || continue
  step "$s"
  bash "$s"
done
