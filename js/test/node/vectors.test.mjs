// Every conformance vector through the package as Node resolves it (`import "svidkit"`, the `node`
// condition → dist/node.js), one test per vector.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as svidkit from "svidkit";
import { loadVectors } from "../lib/load-vectors.mjs";
import { runVector, summary } from "../lib/vectors.mjs";

const results = [];

test("`svidkit` resolves to the node entry", () => {
  assert.match(import.meta.resolve("svidkit"), /\/dist\/node\.js$/);
});

for (const vector of loadVectors()) {
  test(vector.name, () => {
    const r = runVector(svidkit, vector);
    results.push(r);
    assert.ok(r.pass, r.detail);
  });
}

after(() => {
  const s = summary(results);
  for (const line of s.lines) console.log(line);
  console.log(`node: ${s.last}`);
});
