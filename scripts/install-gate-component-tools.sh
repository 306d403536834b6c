#!/usr/bin/env bash
# Installs what `make gate-component` and `make test-gate-component` need (scripts/install.sh runs
# this). Idempotent: a second run takes well under a second.
#   - the wasm32-wasip2 Rust target: the gate component is built for it (rustc links wasip2
#     binaries into components itself, with the wasm-component-ld that ships with the target).
# Nothing else: the test host is the Cargo workspace member hosts/wasmtime (wasmtime, wasmtime-wasi,
# wasmtime-wasi-http crates, built by cargo); neither the wasmtime CLI nor wasm-tools is needed.
set -euo pipefail

rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2
