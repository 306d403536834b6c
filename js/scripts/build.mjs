#!/usr/bin/env node
// Builds the npm package into js/dist/:
//   1. cargo build --release --target wasm32-unknown-unknown --features js --lib (target dir target/js),
//      with core and alloc built from source so panics abort without formatting (see stdFromSource)
//   2. wasm-bindgen 0.2.130 --target web and --target bundler (the glue; the .wasm is the same for both),
//      on the module without its multivalue target feature (../scripts/target-features.mjs)
//   3. __multi3 inlined into the big-integer arithmetic (../scripts/inline-multiply.mjs), then
//      wasm-opt -Oz -Oz from npm binaryen 132 (never Debian's binaryen 108: TOOLCHAIN.md G3), G4 feature flags
//   4. copies the hand-written sources (js/src) next to the glue, checks the wasm's imports against the
//      bundler glue, prints raw and gzip sizes.
// `node scripts/build.mjs --js-only` only re-copies js/src into an existing dist/ (for editing the JS layer).
// Environment: CARGO (default "cargo"), WASM_BINDGEN (default "wasm-bindgen"); for debugging only:
// SVIDKIT_WASM=<file.wasm> skips step 1 and uses that module, SVIDKIT_SKIP_WASM_OPT=1 skips step 3,
// SVIDKIT_PRECOMPILED_STD=1 links the toolchain's precompiled core and alloc instead (no rust-src,
// no unstable flags; a ~12 kB gzip larger module, which the size-budget test refuses).

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants as zlib } from "node:zlib";
import { withoutTargetFeature } from "../../scripts/target-features.mjs";

const JS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(JS_DIR, "..");
const TARGET_DIR = join(ROOT, "target", "js");
const WASM_IN = process.env.SVIDKIT_WASM
  ? resolve(process.env.SVIDKIT_WASM)
  : join(TARGET_DIR, "wasm32-unknown-unknown", "release", "svidkit.wasm");
const BINDGEN_DIR = join(TARGET_DIR, "bindgen");
const DIST = join(JS_DIR, "dist");
const WASM_BINDGEN_VERSION = "0.2.130";
// TOOLCHAIN.md G4's flags without multivalue: the module no longer uses it (step 1b), and
// wasm-opt's validation holds it to that.
const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-nontrapping-float-to-int",
  "--enable-reference-types",
];

/** Runs `cmd`; `hint` (lines) is printed after the failure message if it fails. */
function run(cmd, args, opts = {}, hint = []) {
  const shown = [cmd, ...args].map((a) => (a.startsWith(ROOT) ? a.slice(ROOT.length + 1) : a)).join(" ");
  console.log(`$ ${opts.env?.RUSTC_BOOTSTRAP ? `RUSTC_BOOTSTRAP=${opts.env.RUSTC_BOOTSTRAP} ` : ""}${shown}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    console.error(`build: ${shown} failed with exit status ${r.status}`);
    for (const line of hint) console.error(`       ${line}`);
    process.exit(1);
  }
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function checkWasmBindgen(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    console.error(`build: ${bin} not found; install it with: cargo install wasm-bindgen-cli --version ${WASM_BINDGEN_VERSION}`);
    process.exit(1);
  }
  const version = r.stdout.trim().split(/\s+/).pop();
  if (version !== WASM_BINDGEN_VERSION) {
    console.error(`build: ${bin} is ${version}; the crate pins wasm-bindgen =${WASM_BINDGEN_VERSION}, the CLI must match`);
    process.exit(1);
  }
}

// Removes wasm-bindgen's `@ts-self-types` directive (it names a .d.ts we don't ship under that name).
function glueText(file) {
  return readFileSync(file, "utf8").replace(/^\/\* @ts-self-types="[^"]*" \*\/\n/, "");
}

function copySources() {
  for (const name of readdirSync(join(JS_DIR, "src"))) {
    if (name.endsWith(".js") || name.endsWith(".d.ts")) copyFileSync(join(JS_DIR, "src", name), join(DIST, name));
  }
}

if (process.argv.includes("--js-only")) {
  if (!existsSync(join(DIST, "svidkit_bg.wasm"))) {
    console.error("build --js-only: no dist/ yet; run the full build first");
    process.exit(1);
  }
  copySources();
  console.log("js/dist: sources re-copied from js/src");
  process.exit(0);
}

const cargo = process.env.CARGO || "cargo";
const wasmBindgen = process.env.WASM_BINDGEN || "wasm-bindgen";
checkWasmBindgen(wasmBindgen);

// Panic locations name source files; without remapping the .wasm would carry this machine's
// absolute paths (CARGO_HOME, the checkout), so the same sources would build a different module
// elsewhere. Remapped, they read `crypto-bigint-0.7.11/src/…` and `svidkit/src/…`. With core built
// from source none is left (a size test checks), but a SVIDKIT_PRECOMPILED_STD=1 build has them.
// Passed as a --config array, appended to .cargo/config.toml's rustflags for the target (which it
// keeps).
function remapFlags() {
  const cargoHome = process.env.CARGO_HOME || join(homedir(), ".cargo");
  const registry = join(cargoHome, "registry", "src");
  const flags = [`--remap-path-prefix=${ROOT}=svidkit`];
  if (existsSync(registry)) {
    for (const index of readdirSync(registry)) flags.push(`--remap-path-prefix=${join(registry, index)}/=`);
  }
  return flags;
}

// A panic in the .wasm is a bug and only ever traps (src/wasm_rt.rs's handler ignores its
// message), but the precompiled core still formats it first: the formatting machinery, every
// panic message and location, and the Debug impls they reach were ~12 kB of the gzip (158.8 →
// 146.5 kB). Building core and alloc from source with the immediate-abort panic strategy leaves
// them out; the module behaves the same (a panic is an `unreachable` trap either way).
// These are unstable options, enabled for this one cargo run with RUSTC_BOOTSTRAP=1 (as the Linux
// kernel builds its Rust), checked on rustc 1.95; they need the rust-src component
// (scripts/install.sh). core and compiler_builtins at opt-level 3, as the precompiled ones are:
// at the release profile's "z", P-256 and RSA verified ~25 % slower in pure wasm (measured).
function stdFromSource() {
  const sysroot = spawnSync("rustc", ["--print", "sysroot"], { encoding: "utf8" }).stdout?.trim();
  const src = sysroot ? join(sysroot, "lib", "rustlib", "src", "rust", "library", "core") : null;
  if (src === null || !existsSync(src)) {
    console.error("build: the rust-src component is missing (core is built from source): rustup component add rust-src");
    console.error("       (or SVIDKIT_PRECOMPILED_STD=1 for the larger module built from the precompiled core)");
    process.exit(1);
  }
  return {
    args: [
      "-Zbuild-std=core,alloc",
      "--config", "profile.release.package.core.opt-level=3",
      "--config", "profile.release.package.compiler_builtins.opt-level=3",
    ],
    rustflags: ["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none"],
    env: { ...process.env, RUSTC_BOOTSTRAP: "1" },
    hint: [
      "(core is built from source with unstable options checked on rustc 1.95; on another toolchain",
      "SVIDKIT_PRECOMPILED_STD=1 builds with the precompiled core, a larger module)",
    ],
  };
}

// 1. The core + src/js.rs, for the browser/JS wasm target.
if (process.env.SVIDKIT_WASM) {
  console.warn(`build: SVIDKIT_WASM set, using ${WASM_IN} instead of building the crate`);
} else {
  let std = { args: [], rustflags: [], env: process.env, hint: [] };
  if (process.env.SVIDKIT_PRECOMPILED_STD === "1") {
    console.warn("build: SVIDKIT_PRECOMPILED_STD=1, linking the precompiled core (a larger module)");
  } else {
    std = stdFromSource();
  }
  const rustflags = [...remapFlags(), ...std.rustflags];
  run(cargo, [
    "build", "--release", "--target", "wasm32-unknown-unknown", "--features", "js", "--lib",
    "--target-dir", TARGET_DIR, ...std.args,
    "--config", `target.wasm32-unknown-unknown.rustflags=${JSON.stringify(rustflags)}`,
  ], { env: std.env }, std.hint);
}

// 1b. No multi-value returns from the exports (../scripts/target-features.mjs: they cost V8 a compiled
//     wrapper per signature at WebAssembly.compile).
//     No reference-types either: wasm-bindgen would add a table of JS values and an import to
//     initialise it, and an import costs V8 a compiled wrapper at WebAssembly.compile too (no JS
//     value crosses the boundary: src/js.rs passes bytes, numbers and strings only).
let bindgenIn = readFileSync(WASM_IN);
for (const feature of ["multivalue", "reference-types"]) {
  const without = withoutTargetFeature(bindgenIn, feature);
  if (!without.found) console.warn(`build: the module's target_features did not list ${feature} (nothing to remove)`);
  bindgenIn = without.wasm;
}
const BINDGEN_IN = join(TARGET_DIR, "svidkit.single-value.wasm");
writeFileSync(BINDGEN_IN, bindgenIn);

// 2. Glue for the web target (init/initSync: node, workerd, browser, ./web) and the bundler target
//    (ESM-integration import of the .wasm: deno).
for (const target of ["web", "bundler"]) {
  rmSync(join(BINDGEN_DIR, target), { recursive: true, force: true });
  run(wasmBindgen, ["--target", target, "--out-name", "svidkit", "--out-dir", join(BINDGEN_DIR, target), BINDGEN_IN]);
}
const webWasm = readFileSync(join(BINDGEN_DIR, "web", "svidkit_bg.wasm"));
const bundlerWasm = readFileSync(join(BINDGEN_DIR, "bundler", "svidkit_bg.wasm"));
if (!webWasm.equals(bundlerWasm)) {
  console.error("build: wasm-bindgen produced different .wasm files for --target web and bundler; one .wasm can't serve both glues");
  process.exit(1);
}

// 3. Optimise.
rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST, { recursive: true });
const wasmOut = join(DIST, "svidkit_bg.wasm");
if (process.env.SVIDKIT_SKIP_WASM_OPT === "1") {
  console.warn("build: SVIDKIT_SKIP_WASM_OPT=1, shipping the unoptimised .wasm");
  copyFileSync(join(BINDGEN_DIR, "web", "svidkit_bg.wasm"), wasmOut);
} else {
  const wasmOpt = join(JS_DIR, "node_modules", ".bin", "wasm-opt");
  if (!existsSync(wasmOpt)) {
    console.error("build: js/node_modules/.bin/wasm-opt missing; run scripts/install-node-tools.sh (npm ci in js/)");
    process.exit(1);
  }
  // -Oz twice: the second round finds what the first one's inlining and merging exposed (~0.9 kB
  // gzip, a few seconds; a third finds nothing). --low-memory-unused (~0.9 kB) lets address
  // constants fold into load/store offsets; that is only wrong for an address that wraps past
  // 4 GiB into the first 1 KiB, which Rust never computes (rustc puts the 1 MiB stack first and
  // all data above it).
  // Loaded here: `--js-only` and a missing js/node_modules get the message above, not an import error.
  const { default: binaryen } = await import("binaryen");
  const { inlineWideMultiply } = await import("../../scripts/inline-multiply.mjs");
  const started = Date.now();
  const inlined = inlineWideMultiply(binaryen, webWasm, WASM_FEATURES);
  const inlinedFile = join(BINDGEN_DIR, "svidkit_inlined.wasm");
  writeFileSync(inlinedFile, inlined.wasm);
  console.log(`inline-multiply: __multi3 inlined at ${inlined.sites} call sites (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  run(wasmOpt, ["--low-memory-unused", "-Oz", "-Oz", ...WASM_FEATURES, "--strip-debug", "--strip-producers",
    inlinedFile, "-o", wasmOut]);
}

// 4. Assemble dist/.
writeFileSync(join(DIST, "svidkit_web.js"), glueText(join(BINDGEN_DIR, "web", "svidkit.js")));
writeFileSync(join(DIST, "svidkit_bundler.js"), glueText(join(BINDGEN_DIR, "bundler", "svidkit.js")));
writeFileSync(join(DIST, "svidkit_bg.js"), glueText(join(BINDGEN_DIR, "bundler", "svidkit_bg.js")));
copySources();

// The optimised module imports nothing (src/js.rs: an import costs every cold start a compiled
// wrapper in V8), so no glue has anything to provide to it.
const imported = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmOut)));
if (imported.length > 0) {
  console.error(`build: the .wasm imports ${imported.map((i) => `${i.module}.${i.name}`).join(", ")}; it must import nothing`);
  process.exit(1);
}

const raw = statSync(wasmOut).size;
const gzip = gzipSync(readFileSync(wasmOut), { level: zlib.Z_BEST_COMPRESSION }).length;
const unopt = webWasm.length;
console.log(`svidkit_bg.wasm: ${raw} bytes raw, ${gzip} bytes gzip -9 (wasm-bindgen output ${unopt} bytes)`);
console.log(`js/dist ready: ${readdirSync(DIST).sort().join(" ")}`);
