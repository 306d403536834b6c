// The shipped .wasm must stay within the gzip budget committed in js/size-budget.json
// (the size measured when the budget was set, plus 10%).
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
