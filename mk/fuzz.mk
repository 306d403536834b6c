# Fuzzing svidkit's parsers of untrusted input (fuzz/, its own cargo workspace). Not part of
# `make test`.
#
#   make fuzz              every target for FUZZ_SECONDS (default 60) each, with libFuzzer via
#                          cargo-fuzz (installed if missing). cargo-fuzz needs nightly flags; the
#                          machine has stable only, so RUSTC_BOOTSTRAP=1 lets stable accept them.
#                          New inputs go to fuzz/corpus/<target>, crashes to fuzz/artifacts/<target>
#                          (both git-ignored); fuzz/seeds/<target> is the committed starting corpus.
#   make fuzz-run-jwt      one target (any of FUZZ_TARGETS).
#   make fuzz-smoke        the same target logic (fuzz/src/lib.rs) as a plain stable test: seeds,
#                          any corpus, and FUZZ_SMOKE_ITERS deterministic mutations of each. No
#                          cargo-fuzz, no nightly flags; a few seconds. (`cargo test` runs it too,
#                          with fewer mutations.)
#   make fuzz-seeds        regenerate fuzz/seeds (new keys, same shape).

FUZZ_TARGETS := spiffe_id bundle jwks pem x509_chain jwt json cert_differential base64 der_chain inspect
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_ITERS ?= 500
FUZZ_FLAGS ?= -max_len=20000 -timeout=10

.PHONY: fuzz fuzz-tool fuzz-build fuzz-smoke fuzz-seeds

fuzz-tool:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

fuzz-build: fuzz-tool
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build

fuzz: fuzz-build $(addprefix fuzz-run-,$(FUZZ_TARGETS))

fuzz-run-%: fuzz-tool
	mkdir -p fuzz/corpus/$*
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run $* corpus/$* seeds/$* -- -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS)

fuzz-smoke:
	FUZZ_SMOKE_ITERS=$(FUZZ_SMOKE_ITERS) cargo test --test fuzz_smoke

fuzz-seeds:
	cargo test --test fuzz_seeds -- --ignored
