# The wasi:http gate component (examples/wasi-http-gate): svidkit's edge gate as a WebAssembly
# component exporting wasi:http/incoming-handler, for `wasmtime serve` and other wasi:http hosts.
#   make gate-component        dist/svidkit-gate.component.wasm (cargo, target wasm32-wasip2, which
#                              links the component itself: no wasm-tools, no adapter)
#   make test-gate-component   the gate crate's lints and native unit tests, then the component end
#                              to end over real HTTP on 127.0.0.1: served by a wasi:http host on the
#                              wasmtime crates (hosts/wasmtime/tests/gate, sharing target/host with
#                              test-component-wasmtime) in front of an echo upstream
# Tools: the wasm32-wasip2 Rust target (scripts/install-gate-component-tools.sh). No wasmtime CLI.

GATE_COMPONENT       := dist/svidkit-gate.component.wasm
GATE_COMPONENT_BUILD := target/gate/wasm32-wasip2/release/svidkit_gate.wasm

.PHONY: gate-component gate-component-build test-gate-component test-gate-component-unit test-gate-component-e2e
TEST_TARGETS += test-gate-component

gate-component: $(GATE_COMPONENT)

# Cargo decides whether the component is stale. `-C strip=debuginfo` on the final crate only: the
# workspace's release profile keeps debug sections for wasm-bindgen (strip = false), and the
# precompiled std's DWARF would otherwise be 2.6 of the component's 3.4 MB. The name section stays
# (readable traps).
gate-component-build:
	cargo rustc -p svidkit-gate --lib --release --target wasm32-wasip2 --target-dir target/gate \
	  --crate-type cdylib -- -C strip=debuginfo

$(GATE_COMPONENT_BUILD): gate-component-build ;

$(GATE_COMPONENT): $(GATE_COMPONENT_BUILD)
	@mkdir -p $(@D)
	cmp -s $< $@ || cp $< $@

test-gate-component: test-gate-component-unit test-gate-component-e2e

# The gate's logic (configuration, credential headers, decisions, audit lines) natively; clippy on
# both builds (the wasi:http glue, src/component.rs, exists only in the wasm32 one).
test-gate-component-unit:
	cargo clippy -p svidkit-gate --all-targets -- -D warnings
	cargo clippy -p svidkit-gate --target wasm32-wasip2 --target-dir target/gate -- -D warnings
	cargo test -p svidkit-gate

test-gate-component-e2e: gate-component
	cargo test -p svidkit-wasmtime-host --target-dir target/host --test gate
