# `make bench`: svidkit against jose, @peculiar/x509 and Node's X509Certificate in one Node process
# (bench/run.mjs), then against jose in Deno and in workerd (npm `deno`, `workerd`; one process
# each), native RustCrypto with criterion (benches/verify.rs), the .wasm's size and cold
# start. Prints Markdown tables, then the performance targets next to the run's figures (met or
# not, for the reader); never part of `make test`, and nothing in it asserts a time.
# Fixtures are made fresh every run with real keys: the chain by examples/bench_fixtures.rs
# (rcgen), the JWT-SVIDs by bench/fixtures.mjs (node:crypto); both land in target/bench/.
# BENCH_QUICK=1 make bench: a short smoke run (fewer samples, no criterion).
.PHONY: bench bench-fixtures bench-native bench-js

BENCH_DIR := target/bench

# `setup` first, as `make demo` and `make test` do: on a fresh machine the npm build needs
# wasm-bindgen and the node tools.
bench: setup bench-fixtures bench-native bench-js

bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	npm --prefix bench ci --no-audit --no-fund

bench-fixtures:
	cargo run --quiet --example bench_fixtures -- $(BENCH_DIR)/chain.json
	node bench/fixtures.mjs $(BENCH_DIR)/jwt.json

# Natively curve25519-dalek picks its AVX2 backend at run time; on wasm32 it runs its serial 32-bit
# one. The Ed25519 chain is measured natively with that 32-bit backend too, so the report can tell
# the backend's share of pure wasm's gap to native from wasm's own. Its own target dir: the cfg
# rebuilds every crate (≈ 2.5 min on 2 cores).
BENCH_U32_DIR := target/bench-u32

bench-native: bench-fixtures
ifneq ($(BENCH_QUICK),1)
	SVIDKIT_BENCH_DIR=$(CURDIR)/$(BENCH_DIR) cargo bench --bench verify
	CARGO_TARGET_DIR=$(CURDIR)/$(BENCH_U32_DIR) \
	  RUSTFLAGS='--cfg curve25519_dalek_bits="32" --cfg curve25519_dalek_backend="serial"' \
	  SVIDKIT_BENCH_DIR=$(CURDIR)/$(BENCH_DIR) cargo bench --bench verify -- ed25519
endif

bench-js: bench-fixtures js/dist/svidkit_bg.wasm bench/node_modules/.package-lock.json
	node bench/run.mjs $(BENCH_DIR) target/criterion $(BENCH_U32_DIR)/criterion | tee $(BENCH_DIR)/report.md
	@echo "bench: the report is in $(BENCH_DIR)/report.md"
