# The WebAssembly component `svidkit:verify` (wit/, src/component.rs, feature `component`).
#   make component        dist/svidkit.component.wasm (+ build/component/: its WIT, the jco-transpiled ES module)
#   make test-component   every conformance vector through the component in wasmtime (Rust host,
#                         hosts/wasmtime) and in Node (jco transpile, tests/component), plus API,
#                         WIT and README-example tests
# Tools: npm packages pinned in tests/component/package-lock.json (binaryen 132 for wasm-opt,
# jco-transpile for `component new`, `component wit` and `transpile`); no wasm-tools or wasmtime CLI.

COMPONENT          := dist/svidkit.component.wasm
COMPONENT_CORE     := target/component/wasm32-unknown-unknown/release/svidkit.wasm
COMPONENT_WORK     := build/component
COMPONENT_NPM      := tests/component/node_modules/.package-lock.json
COMPONENT_JS       := $(COMPONENT_WORK)/svidkit/svidkit.js
COMPONENT_REPORTER := ./tests/component/lib/reporter.mjs

.PHONY: component component-core test-component test-component-wasmtime test-component-jco
TEST_TARGETS += test-component

component: $(COMPONENT) $(COMPONENT_JS)

# Cargo decides whether the core module is stale; it leaves the file alone when it is not, so the
# steps below rerun only when it changed. `--cap-lints warn`: the crate root says
# `#![forbid(unsafe_code)]`, which no `allow` can lift, and wit-bindgen's generated glue (the
# canonical-ABI exports) is necessarily unsafe; capped, those show as warnings for this build only.
component-core:
	cargo rustc --lib --release --target wasm32-unknown-unknown --features component \
	  --target-dir target/component -- --cap-lints warn

$(COMPONENT_CORE): component-core ;

# __multi3 inlined, wasm-opt -Oz, component new, a no-imports check of its WIT, jco transpile.
$(COMPONENT) $(COMPONENT_JS) &: $(COMPONENT_CORE) tests/component/build.mjs tests/component/lib/wit.mjs \
    scripts/inline-multiply.mjs scripts/wasm-sections.mjs $(COMPONENT_NPM)
	node tests/component/build.mjs $(COMPONENT_CORE) $(COMPONENT) $(COMPONENT_WORK)

$(COMPONENT_NPM): tests/component/package.json tests/component/package-lock.json
	npm --prefix tests/component install --no-audit --no-fund  # not `npm ci`: see scripts/install-component-tools.sh
	@touch $@

test-component: test-component-wasmtime test-component-jco

# Rust host on the wasmtime crate (bindgen! from wit/): conformance vectors + README example.
test-component-wasmtime: component
	cargo test -p svidkit-wasmtime-host --target-dir target/host

# jco-transpiled component in Node: conformance vectors, API, WIT checks, README example.
test-component-jco: component
	$(TEST_TIMEOUT) node --test --test-reporter=$(COMPONENT_REPORTER) tests/component/*.test.mjs
