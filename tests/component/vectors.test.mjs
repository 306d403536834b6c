// All conformance vectors through the component, transpiled by jco, in Node.
// Run with lib/reporter.mjs (as `make test-component` does), it prints each failing vector and a
// final `N passed, M failed` line.
//
// SVIDKIT_JCO_DIR: the transpiled component (default build/component/svidkit, from `make component`).
// SVIDKIT_VECTORS: a folder of extra vectors to run as well (e.g. ../shared/conformance/vectors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expected, runVector, vectorFiles } from "./lib/vectors.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const jcoDir = resolve(root, process.env.SVIDKIT_JCO_DIR ?? "build/component/svidkit");
const api = await import(pathToFileURL(join(jcoDir, "svidkit.js")).href);

const files = vectorFiles(join(root, "tests/vectors"));
assert.ok(files.length > 0, "no vectors in tests/vectors");
if (process.env.SVIDKIT_VECTORS) files.push(...vectorFiles(resolve(process.env.SVIDKIT_VECTORS)));

for (const file of files) {
  test(relative(root, file), () => {
    const text = readFileSync(file, "utf8");
    const got = runVector(api, text);
    if (got !== null) assert.fail(`expected ${expected(text)}, got ${got}`);
  });
}
