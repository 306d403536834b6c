// One cold measurement in a fresh Node process (bench/run.mjs starts several and takes medians);
// prints one JSON line.
//   node cold.mjs compile <fixtures dir>     WebAssembly.compile + instantiate of svidkit_bg.wasm
//   node cold.mjs compile-sync <fixtures dir> the same with new WebAssembly.Module (the node entry's way)
//   node cold.mjs first <fixtures dir>       import "svidkit" → BundleSet → first ES256 verify (node:crypto)
//   node cold.mjs first-wasm <fixtures dir>  the same with crypto "wasm" (what workerd and browsers run sync)
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [mode, dir] = process.argv.slice(2);
const jwt = JSON.parse(readFileSync(join(dir, "jwt.json"), "utf8"));

if (mode === "compile" || mode === "compile-sync") {
  const wasmPath = new URL(import.meta.resolve("svidkit/svidkit_bg.wasm"));
  const bytes = readFileSync(wasmPath);
  const web = await import("svidkit/web");
  const t0 = performance.now();
  const module = mode === "compile" ? await WebAssembly.compile(bytes) : new WebAssembly.Module(bytes);
  const t1 = performance.now();
  web.initSync({ module });
  const t2 = performance.now();
  console.log(JSON.stringify({ compileMs: t1 - t0, instantiateMs: t2 - t1, totalMs: t2 - t0 }));
} else if (mode === "first" || mode === "first-wasm") {
  const t0 = performance.now();
  const svidkit = await import("svidkit");
  const t1 = performance.now();
  const bundles = svidkit.BundleSet.from({ [jwt.trustDomain]: jwt.bundle });
  const t2 = performance.now();
  const options = { audience: jwt.audience, now: jwt.now };
  const r =
    mode === "first"
      ? svidkit.verifyJwtSvid(jwt.tokens.ES256.token, bundles, options)
      : svidkit.createVerifier({ bundles, crypto: "wasm" }).verifyJwtSvid(jwt.tokens.ES256.token, options);
  const t3 = performance.now();
  if (r.spiffeId !== jwt.spiffeId) throw new Error(`verified ${r.spiffeId}`);
  console.log(JSON.stringify({ importMs: t1 - t0, bundleMs: t2 - t1, firstVerifyMs: t3 - t2, totalMs: t3 - t0 }));
} else {
  console.error(`cold.mjs: unknown mode ${mode}`);
  process.exit(2);
}
