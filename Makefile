# svidkit — `make demo` builds everything and serves the inspector; `make test` runs every check.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080
# A test step that hangs fails, named, after this long instead of using up CI's time.
TEST_TIMEOUT := timeout -k 10 10m

.PHONY: all setup test test-rust lint fmt-check clippy doc test-core no-std wasm-core-imports demo

all: test

setup:
	bash scripts/install.sh

# Each surface's targets live in mk/: npm (js/), component (wit/), inspector (www/), gate, fuzz.
include $(wildcard mk/*.mk)

test: setup test-rust $(TEST_TARGETS)

test-rust: lint test-core no-std wasm-core-imports

lint: fmt-check clippy doc

fmt-check:
	cargo fmt --all --check

# The adapters' features too (src/js.rs, src/component.rs): one pass lints everything; a second
# one for wasm32, where the npm .wasm's own runtime (src/wasm_rt.rs) is compiled.
clippy:
	cargo clippy --all-targets --features js,component -- -D warnings
	cargo clippy --lib --features js --target wasm32-unknown-unknown --target-dir target/js -- -D warnings

# The API docs as docs.rs would build them: a broken or private intra-doc link fails. (Their
# examples run as doctests in test-core.)
doc:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --features js,component

# With the js feature, so src/js.rs's unit tests run in the same build (the feature only adds
# that module; the core is the same).
test-core:
	cargo test --features js

# The core's code must build without std: wasm32v1-none has none (a check finds any use of it;
# as an rlib, since the cdylib crate type would also ask for an allocator and a panic handler).
no-std:
	cargo rustc --lib --target wasm32v1-none --crate-type rlib --profile check --target-dir target/nostd -q

# The core, built for the web, must import nothing from its host: checked on the component's core
# module (the core plus wit-bindgen's exports, built anyway): nothing from a host, only the
# canonical built-ins of its own exported resource.
wasm-core-imports: component-core
	node scripts/wasm-imports.mjs --expect-none --allow-own-resources $(COMPONENT_CORE)

# The main job: build everything, then serve the inspector (www/) on 127.0.0.1:$(PORT).
demo: setup npm www serve-www
