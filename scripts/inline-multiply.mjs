// Inlines compiler-builtins' `__multi3` (128-bit multiply) into its callers, except P-521's
// arithmetic, before wasm-opt -Oz: in the npm package's .wasm (js/scripts/build.mjs step 3) and
// the component's core module (tests/component/build.mjs step 1).
//
// Why: crypto-bigint's limbs are 64-bit on wasm32, and every limb product is a u64×u64→u128
// multiply. wasm has no widening multiply, so LLVM lowers each to a call of `__multi3`, which
// computes a full 128×128-bit product through a stack slot. compiler-builtins is never inlined by
// LLVM (it is outside LTO) and -Oz's inliner keeps a function this size out of line. Inlined, the
// zero upper halves fold away (6 multiplies become 4) and the call and its stack slot go. Measured
// (pure-wasm, Node 20): ES256 −20 %, RS256/PS256 −20 %, ES384 −11 %, the P-256 chain −18 %, for
// ~6.8 kB gzip. P-521's field code alone has a third of the call sites (~3 kB) and ES512 is rare in
// SPIFFE deployments, so its calls stay calls.
//
// How: binaryen.js (npm binaryen 132, the caller's: each build has its own pinned copy) prints
// the module as text; calls of `__multi3`
// in the chosen callers are pointed at a copy, `__multi3_inline`; every other function is marked
// no-inline (binaryen's `no-inline` pass takes one name wildcard per run, so it runs once per name
// prefix that differs from the copy's); then one `inlining-optimizing` pass inlines the copy.
// The step fails the build when it finds nothing to do, so a toolchain change that makes it
// obsolete is noticed rather than silently carried.

import { sections } from "./wasm-sections.mjs";

const MULTIPLY = "__multi3";
const COPY = "__multi3_inline";
/** Callers whose calls stay calls (see above). */
const KEEP_CALLS = /p521/; // demangled (`p521::…`, after wasm-bindgen) or mangled (`_ZN4p521…`)
/** Fewer call sites than this means the code changed shape: look before building on. */
const MIN_SITES = 100;

/** binaryen.js's features for each wasm-opt `--enable-…` flag the builds pass. */
const FEATURE_FLAGS = {
  "--enable-bulk-memory": ["BulkMemory", "BulkMemoryOpt"], // the flag includes its -opt subset
  "--enable-sign-ext": ["SignExt"],
  "--enable-mutable-globals": ["MutableGlobals"],
  "--enable-nontrapping-float-to-int": ["NontrappingFPToInt"],
  "--enable-multivalue": ["Multivalue"],
  "--enable-reference-types": ["ReferenceTypes"],
};

/**
 * `binaryen`: the binaryen.js module; `enableFlags`: the caller's wasm-opt `--enable-…` flags, so
 * both tools see the same features. Returns the module and how many call sites were inlined.
 */
export function inlineWideMultiply(binaryen, wasm, enableFlags) {
  let features = binaryen.Features.MVP;
  for (const flag of enableFlags) {
    const names = FEATURE_FLAGS[flag];
    if (names === undefined) throw new Error(`inline-multiply: no binaryen.js feature known for ${flag}`);
    for (const name of names) features |= binaryen.Features[name];
  }
  const input = binaryen.readBinary(wasm);
  input.setFeatures(features);
  const lines = input.emitText().split("\n");
  input.dispose();

  let sites = 0;
  let redirect = false;
  let start = -1;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(" (func ")) {
      redirect = !KEEP_CALLS.test(line);
      if (line.startsWith(` (func $${MULTIPLY} `)) start = i;
    } else if (start >= 0 && end < 0 && line === " )") {
      end = i;
    }
    const call = `call $${MULTIPLY}`;
    const at = line.indexOf(call);
    if (redirect && at >= 0 && /^[\s)]*$/.test(line.slice(at + call.length))) {
      lines[i] = line.slice(0, at) + `call $${COPY}` + line.slice(at + call.length);
      sites++;
    }
  }
  if (start < 0 || end < 0 || sites < MIN_SITES) {
    throw new Error(`inline-multiply: found ${start < 0 ? "no" : "a"} ${MULTIPLY} and ${sites} call sites to inline (expected at least ${MIN_SITES}); the module changed shape, see scripts/inline-multiply.mjs`);
  }
  const copy = lines.slice(start, end + 1);
  copy[0] = copy[0].replace(`$${MULTIPLY} `, `$${COPY} `);
  lines.splice(lines.lastIndexOf(")"), 0, ...copy);

  const module = binaryen.parseText(lines.join("\n"));
  // binaryen.js's options are global: set for these passes, then put back (pass arguments can't
  // be read, so they are cleared; the callers set none).
  const saved = [binaryen.getAlwaysInlineMaxSize(), binaryen.getOptimizeLevel(), binaryen.getShrinkLevel(), binaryen.getDebugInfo()];
  let out;
  let left;
  try {
    module.setFeatures(features);
    const names = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
      names.push(binaryen.getFunctionInfo(module.getFunctionByIndex(i)).name);
    }
    for (const pattern of noInlinePatterns(names, COPY)) {
      binaryen.setPassArgument("no-inline", pattern);
      module.runPasses(["no-inline"]);
    }
    // Large enough for the copy (≈ 60 instructions); every other function is marked no-inline.
    binaryen.setAlwaysInlineMaxSize(100);
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(2);
    module.runPasses(["inlining-optimizing"]);
    left = module.emitText().includes(`call $${COPY}`);
    // Names kept (wasm-opt --strip-debug drops them from the shipped module): a profile of this
    // intermediate module, optimised with -g, still names its functions.
    binaryen.setDebugInfo(true);
    out = module.emitBinary();
  } finally {
    binaryen.clearPassArguments();
    binaryen.setAlwaysInlineMaxSize(saved[0]);
    binaryen.setOptimizeLevel(saved[1]);
    binaryen.setShrinkLevel(saved[2]);
    binaryen.setDebugInfo(saved[3]);
    module.dispose();
  }
  if (left) throw new Error(`inline-multiply: ${COPY} was not inlined everywhere`);
  return { wasm: withCustomSections(Buffer.from(out), Buffer.from(wasm)), sites };
}

/**
 * `out` with the custom sections of `original` that it lacks appended (the text round trip keeps
 * none; wit-bindgen's `component-type` section must survive for `component new`), except tool
 * metadata, which the shipped modules leave out anyway, and debug info, which no longer matches
 * the rewritten code.
 */
function withCustomSections(out, original) {
  const custom = (bytes) => sections(bytes).filter((s) => s.id === 0);
  const have = new Set([...custom(out).map((c) => c.name), "target_features", "producers"]);
  const stale = (name) => name.startsWith(".debug_") || name === "sourceMappingURL" || name === "external_debug_info";
  const kept = custom(original)
    .filter((c) => !have.has(c.name) && !stale(c.name))
    .map((c) => original.subarray(c.start, c.end));
  return Buffer.concat([out, ...kept]);
}

/**
 * Patterns for binaryen's `no-inline` (where `*`, and only `*`, is a wildcard) that together
 * match every name but `keep`: for each position of `keep` up to its end, its prefix up to there
 * followed by any other character some name has there and `*`; plus, by their exact text, the
 * names that are proper prefixes of `keep` or first differ from it by a `*`.
 */
function noInlinePatterns(names, keep) {
  const patterns = [];
  const others = names.filter((n) => n !== keep);
  for (let i = 0; i <= keep.length; i++) {
    const prefix = keep.slice(0, i);
    const next = new Set(others.filter((n) => n.startsWith(prefix) && n.length > i).map((n) => n[i]));
    next.delete(keep[i]);
    for (const c of next) {
      // A `*` there would be a wildcard: such names are marked by their exact text below.
      if (c !== "*") patterns.push(`${prefix}${c}*`);
    }
  }
  for (const n of others) {
    let differ = 0;
    while (differ < n.length && n[differ] === keep[differ]) differ++;
    // A `*` in such a name is a wildcard too; should it match `keep`, the build fails loudly.
    if (differ === n.length || n[differ] === "*") patterns.push(n);
  }
  return patterns;
}
