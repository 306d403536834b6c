// The shipped .wasm must stay within the gzip budget committed in js/size-budget.json
// (issue #7's 150 kB target; the file records the size measured when it was set).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants as zlib } from "node:zlib";
import { JS_DIR } from "../lib/load-vectors.mjs";

const budget = JSON.parse(readFileSync(join(JS_DIR, "size-budget.json"), "utf8"));

test(`${budget.file} gzip size is within the budget`, () => {
  const bytes = readFileSync(join(JS_DIR, budget.file));
  const gzip = gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }).length;
  console.log(`${budget.file}: ${bytes.length} bytes raw, ${gzip} bytes gzip -9; budget ${budget.budget_gzip_bytes} (${((100 * gzip) / budget.budget_gzip_bytes).toFixed(1)}% used)`);
  assert.ok(Number.isSafeInteger(budget.budget_gzip_bytes) && budget.budget_gzip_bytes > 0, "size-budget.json budget_gzip_bytes");
  assert.ok(gzip <= budget.budget_gzip_bytes, `gzip size ${gzip} B is over the budget of ${budget.budget_gzip_bytes} B`);
});

// Panics abort without a message (js/scripts/build.mjs stdFromSource), so no panic location
// names a source file: none of this machine's paths (CARGO_HOME, the checkout) can reach the
// published module, and the formatting code such locations come with is gone.
test(`${budget.file} names no source file`, () => {
  const text = readFileSync(join(JS_DIR, budget.file)).toString("latin1");
  const paths = [...new Set(text.match(/[\w.\/-]*\.rs\b/g) ?? [])];
  assert.deepEqual(paths, [], `source paths in the module: ${paths.slice(0, 5).join(", ")}`);
});

// Every export returns at most one value: V8 calls such exports through its generic JS-to-wasm
// wrapper, but compiles a wrapper per multi-result signature when the module is compiled — about
// half of the module's first WebAssembly.compile in Node 20 (scripts/target-features.mjs).
test(`${budget.file} exports return at most one value each`, () => {
  const results = exportResultCounts(readFileSync(join(JS_DIR, budget.file)));
  assert.ok(results.size >= 10, `expected the module's exported functions, found ${results.size}`);
  const multi = [...results].filter(([, n]) => n > 1).map(([name, n]) => `${name} (${n} results)`);
  assert.deepEqual(multi, [], `exports with more than one result: ${multi.join(", ")}`);
});

// No imports at all: V8 (Node 20) compiles a wasm-to-JS wrapper for every imported function when
// it compiles the module — about 1 ms of a 3 ms cold start, measured — so host crypto is asked
// between runs of the core, not called from it (src/js.rs `with_crypto`).
test(`${budget.file} imports nothing`, () => {
  const module = new WebAssembly.Module(readFileSync(join(JS_DIR, budget.file)));
  assert.deepEqual(WebAssembly.Module.imports(module), []);
});

/** Exported function name → number of results, read from the type, import, function and export sections. */
function exportResultCounts(bytes) {
  let at = 8;
  const uleb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  const name = () => {
    const len = uleb();
    at += len;
  };
  const limits = () => {
    const flags = bytes[at++];
    uleb();
    if (flags & 1) uleb();
  };
  const types = [];
  const funcTypes = [];
  const exports = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = uleb();
    const end = at + size;
    if (id === 1) {
      for (let n = uleb(); n > 0; n--) {
        assert.equal(bytes[at++], 0x60, "function type");
        const params = uleb();
        at += params; // one byte each (numeric and reference types)
        const results = uleb();
        at += results;
        types.push(results);
      }
    } else if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) funcTypes.push(uleb());
        else if (kind === 1) (at++, limits());
        else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else assert.fail(`import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = uleb(); n > 0; n--) funcTypes.push(uleb());
    } else if (id === 7) {
      for (let n = uleb(); n > 0; n--) {
        const len = uleb();
        const exportName = bytes.toString("utf8", at, at + len);
        at += len;
        const kind = bytes[at++];
        const index = uleb();
        if (kind === 0) exports.push([exportName, index]);
      }
    }
    at = end;
  }
  return new Map(exports.map(([exportName, index]) => [exportName, types[funcTypes[index]]]));
}
