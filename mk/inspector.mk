# The SVID inspector page (www/): `make www` builds it — the page, a copy of the npm package's
# browser build and a freshly generated sample gallery — into www/dist; `make serve-www` serves that
# folder on 127.0.0.1:$(PORT); `make test-inspector` fuzzes the share-link decoder (Node), then runs
# the browser tests (playwright-core driving Debian's headless Chromium).
# Tools: scripts/install-inspector-tools.sh (run by `make setup`).
.PHONY: www serve-www test-inspector inspector-screenshots

WWW_OUT := www/dist
PLAYWRIGHT := www/node_modules/playwright-core/package.json

# js/dist/svidkit_bg.wasm: the npm package's build (rule in mk/npm.mk), rebuilt when its sources change.
www: js/dist/svidkit_bg.wasm
	cargo run --quiet --example samples -- $(WWW_OUT)/samples.json
	node www/tools/build.mjs --out $(WWW_OUT) --dist js/dist

serve-www:
	node www/tools/serve.mjs --dir $(WWW_OUT) --port $(PORT)

# Screenshots go to www/dist/screenshots; `make inspector-screenshots` refreshes the committed ones.
test-inspector: www $(PLAYWRIGHT)
	$(TEST_TIMEOUT) node --test --test-reporter=spec www/test/share.test.mjs
	$(TEST_TIMEOUT) node www/test/inspector.test.mjs --dir $(WWW_OUT) --screenshots $(WWW_OUT)/screenshots

inspector-screenshots: www $(PLAYWRIGHT)
	node www/test/inspector.test.mjs --dir $(WWW_OUT) --screenshots www/screenshots

$(PLAYWRIGHT): www/package.json www/package-lock.json
	npm --prefix www ci --no-audit --no-fund
	touch $@

TEST_TARGETS += test-inspector
