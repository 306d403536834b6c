# The edge gate, `svidkit/gate` (js/src/gate.js) and its Cloudflare Worker example
# (examples/cloudflare-worker/). `make test-gate`: the gate's Node suite (configuration, every
# credential source, decisions, audit), the example Worker end to end in real workerd over HTTP
# on 127.0.0.1, "svidkit/gate" under the node, deno and browser (Chromium) conditions, and the
# differential fuzz of svidkit/gate against the Rust wasi:http gate (same requests, same decisions).
# `make bench-gate`: a bounded load run against the workerd gate (GATE_LOAD_REQUESTS requests at
# GATE_LOAD_CONCURRENCY; requests/s, p50/p99; fails on any wrong or missing answer).
# Both use the built package (js/dist), rebuilt first when the crate or js/ sources changed.
.PHONY: test-gate bench-gate

GATE_LOAD_REQUESTS ?= 2000
GATE_LOAD_CONCURRENCY ?= 16

# The literal path (not $(NPM_WASM)): mk/npm.mk, which defines it and its rule, is read after this file.
test-gate: js/dist/svidkit_bg.wasm
	@status=0; \
	$(TEST_TIMEOUT) node js/test/gate/gate.test.mjs || status=1; \
	$(TEST_TIMEOUT) node js/test/gate/e2e.mjs || status=1; \
	$(TEST_TIMEOUT) node js/test/gate/runtimes.mjs || status=1; \
	$(TEST_TIMEOUT) node js/test/gate/differential.mjs || status=1; \
	exit $$status

# `setup` first (it is not a test step, so nothing else installed the tools before it).
bench-gate: setup js/dist/svidkit_bg.wasm
	LOAD_REQUESTS=$(GATE_LOAD_REQUESTS) LOAD_CONCURRENCY=$(GATE_LOAD_CONCURRENCY) node js/test/gate/load.mjs

TEST_TARGETS += test-gate
test-gate: test-gate-component
