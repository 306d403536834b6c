# The npm package `svidkit` (js/): `make npm` builds js/dist (cargo → wasm-bindgen → wasm-opt),
# `make test-npm` runs its suites: every conformance vector in Node, workerd, Deno and headless
# Chromium, the error-path tests, the READMEs' JavaScript examples, tsc on the types, the packed
# tarball in a scratch project, and the gzip size budget. Tools come from scripts/install-node-tools.sh (run by `make setup`).
.PHONY: npm test-npm test-js-adapter

NPM_WASM := js/dist/svidkit_bg.wasm
NPM_INPUTS := Cargo.toml Cargo.lock $(wildcard src/*.rs src/**/*.rs) $(wildcard js/src/*) js/scripts/build.mjs \
  scripts/target-features.mjs scripts/inline-multiply.mjs scripts/wasm-sections.mjs js/package.json

npm:
	npm --prefix js run build

# Rebuilt only when the crate or the JS sources changed since the last build.
$(NPM_WASM): $(NPM_INPUTS)
	npm --prefix js run build

test-npm: $(NPM_WASM)
	npm --prefix js test

# src/js.rs (feature `js`): its lints and unit tests run in `make clippy` and `make test-core`.
test-js-adapter:
	cargo clippy --features js --lib --tests -- -D warnings
	cargo test --features js --lib js::

TEST_TARGETS += test-npm
