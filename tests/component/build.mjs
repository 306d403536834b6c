// Builds the svidkit WebAssembly component from the core module that
// `cargo build --target wasm32-unknown-unknown --features component` leaves behind:
//
//   1. __multi3 inlined into the big-integer arithmetic (scripts/inline-multiply.mjs: pure-Rust
//      signature checks, all the component has, ~20 % faster), then wasm-opt -Oz (npm binaryen 132,
//      with the features Rust's wasm32 target enables)
//   2. component new   (jco-transpile's wasm-tools, the Bytecode Alliance's wasm-tools compiled to a component)
//   3. component wit   → <work>/svidkit.component.wit; fails if the world imports anything
//   4. jco transpile   → <work>/svidkit/ (an ES module for Node, browsers, Deno, workerd)
//
// usage: node tests/component/build.mjs <core.wasm> <out.component.wasm> <work dir>
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transpileBytes, writeFiles } from "@bytecodealliance/jco-transpile";
import { componentNew, componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import binaryen from "binaryen";
import { inlineWideMultiply } from "../../scripts/inline-multiply.mjs";
import { witImports } from "./lib/wit.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [core, out, work] = process.argv.slice(2);
if (!core || !out || !work) {
  console.error("usage: node build.mjs <core.wasm> <out.component.wasm> <work dir>");
  process.exit(2);
}

// Rust >= 1.82 enables these wasm features by default; wasm-opt must be told (TOOLCHAIN.md G4).
const FEATURES = [
  "--enable-bulk-memory",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-nontrapping-float-to-int",
  "--enable-multivalue",
  "--enable-reference-types",
];
const kb = (file) => `${(statSync(file).size / 1024).toFixed(1)} KiB`;
const time = async (what, f) => {
  const t = performance.now();
  const r = await f();
  console.log(`component: ${what} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  return r;
};

mkdirSync(work, { recursive: true });
mkdirSync(dirname(out), { recursive: true });

// 1. Inline the multiply, then wasm-opt the core module (before `component new`: the component is
//    then ~40 % smaller).
const inlined = join(work, "svidkit.core.inlined.wasm");
await time(`inline __multi3 ${core} → ${inlined}`, () => {
  const r = inlineWideMultiply(binaryen, readFileSync(core), FEATURES);
  writeFileSync(inlined, r.wasm);
  console.log(`component: __multi3 inlined at ${r.sites} call sites`);
});
const opt = join(work, "svidkit.core.opt.wasm");
await time(`wasm-opt -Oz ${inlined} (${kb(inlined)}) → ${opt}`, () => {
  const wasmOpt = join(here, "node_modules", ".bin", "wasm-opt");
  const r = spawnSync(wasmOpt, ["-Oz", ...FEATURES, "--strip-debug", "--strip-producers", inlined, "-o", opt], {
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error(`wasm-opt failed (${r.error ?? `exit ${r.status}`})`);
});

// 2. component new: the core module carries its WIT (wit-bindgen's custom section); no adapter needed
//    because the module imports nothing.
const component = await time(`component new → ${out}`, async () => {
  const bytes = await componentNew(readFileSync(opt));
  writeFileSync(out, bytes);
  return bytes;
});
console.log(`component: ${out} is ${kb(out)}`);

// 3. The component's own WIT: it must export the svidkit world and import nothing.
const wit = await componentWit(component);
writeFileSync(join(work, "svidkit.component.wit"), wit);
const imports = witImports(wit);
if (imports.length > 0) {
  console.error(`component: the component imports ${imports.join(", ")}; it must import nothing`);
  process.exit(1);
}
console.log(`component: WIT has no imports (${join(work, "svidkit.component.wit")})`);

// 4. jco transpile → an ES module the node tests (and the README's JS example) import.
const jcoDir = join(work, "svidkit");
await time(`jco transpile → ${jcoDir}`, async () => {
  const { files } = await transpileBytes(component, { name: "svidkit", emitTypescriptDeclarations: true });
  rmSync(jcoDir, { recursive: true, force: true });
  await writeFiles(files, { baseDir: jcoDir });
  // jco emits ES modules; say so, or Node warns (and reparses) when a parent package.json has no "type".
  writeFileSync(join(jcoDir, "package.json"), '{ "type": "module" }\n');
});
