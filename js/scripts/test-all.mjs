#!/usr/bin/env node
// `npm test` (and `make test-npm`): every npm-package suite, one after another, each in its own
// process; all run even when one fails. Exit status 1 if any failed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const JS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SUITES = [
  ["node vectors", "test:node"],
  ["node errors", "test:errors"],
  ["node crypto paths", "test:crypto"],
  ["node result cache", "test:cache"],
  ["node inspect", "test:inspect"],
  ["README examples", "test:readme"],
  ["workerd vectors", "test:workerd"],
  ["deno vectors", "test:deno"],
  ["chromium vectors", "test:browser"],
  ["types (tsc)", "test:types"],
  ["tarball", "test:pack"],
  ["size budget", "test:size"],
];

if (!existsSync(join(JS_DIR, "dist", "svidkit_bg.wasm"))) {
  console.error("svidkit: js/dist is not built; run `make npm` (npm --prefix js run build) first");
  process.exit(1);
}

const SUITE_TIMEOUT_MS = 10 * 60 * 1000;
const results = [];
for (const [name, script] of SUITES) {
  console.log(`\n=== ${name} (npm run ${script})`);
  const started = Date.now();
  // A suite that hangs fails here, named, instead of eating CI's whole time budget.
  const r = spawnSync("npm", ["run", "--silent", script], { cwd: JS_DIR, stdio: "inherit", timeout: SUITE_TIMEOUT_MS, killSignal: "SIGKILL" });
  if (r.error?.code === "ETIMEDOUT") console.error(`svidkit: ${name} did not finish in ${SUITE_TIMEOUT_MS / 60000} min; stopped`);
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
}

console.log("\n=== npm package suites");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`npm-suites: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
