// Inlines compiler-builtins' `__multi3` (128-bit multiply) into its callers, except P-521's
// arithmetic, before wasm-opt -Oz (js/scripts/build.mjs step 3a).
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
// How: binaryen (npm, the version build.mjs uses) prints the module as text; calls of `__multi3`
// in the chosen callers are pointed at a copy, `__multi3_inline`; every other function is marked
// no-inline (binaryen's `no-inline` pass takes one name wildcard per run, so it runs once per name
// prefix that differs from the copy's); then one `inlining-optimizing` pass inlines the copy.
// The step fails the build when it finds nothing to do, so a toolchain change that makes it
// obsolete is noticed rather than silently carried.

import binaryen from "binaryen";

const MULTIPLY = "__multi3";
const COPY = "__multi3_inline";
/** Callers whose calls stay calls (see above). */
const KEEP_CALLS = /p521::/;
/** Fewer call sites than this means the code changed shape: look before building on. */
const MIN_SITES = 100;

/** `features`: binaryen.Features flags, the same as wasm-opt's --enable-… flags. */
export function inlineWideMultiply(wasm, features) {
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
    throw new Error(`inline-multiply: found ${start < 0 ? "no" : "a"} ${MULTIPLY} and ${sites} call sites to inline (expected at least ${MIN_SITES}); the module changed shape, see js/scripts/inline-multiply.mjs`);
  }
  const copy = lines.slice(start, end + 1);
  copy[0] = copy[0].replace(`$${MULTIPLY} `, `$${COPY} `);
  lines.splice(lines.lastIndexOf(")"), 0, ...copy);

  const module = binaryen.parseText(lines.join("\n"));
  module.setFeatures(features);
  const names = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    names.push(binaryen.getFunctionInfo(module.getFunctionByIndex(i)).name);
  }
  for (const pattern of noInlinePatterns(names, COPY)) {
    binaryen.setPassArgument("no-inline", pattern);
    module.runPasses(["no-inline"]);
  }
  binaryen.clearPassArguments();
  // Large enough for the copy (≈ 60 instructions); every other function is marked no-inline.
  binaryen.setAlwaysInlineMaxSize(100);
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2);
  module.runPasses(["inlining-optimizing"]);
  const left = module.emitText().includes(`call $${COPY}`);
  // Names kept (wasm-opt --strip-debug drops them from the shipped module): a profile of this
  // intermediate module, optimised with -g, still names its functions.
  binaryen.setDebugInfo(true);
  const out = module.emitBinary();
  binaryen.setDebugInfo(false);
  module.dispose();
  if (left) throw new Error(`inline-multiply: ${COPY} was not inlined everywhere`);
  return { wasm: out, sites };
}

/**
 * Wildcards (`prefix*`, or an exact name) that together match every name but `keep`: for each
 * position of `keep`, its prefix up to there followed by any other character that some name has
 * there, plus the names that are proper prefixes of `keep`.
 */
function noInlinePatterns(names, keep) {
  const patterns = [];
  const others = names.filter((n) => n !== keep);
  for (let i = 0; i < keep.length; i++) {
    const prefix = keep.slice(0, i);
    const next = new Set(others.filter((n) => n.startsWith(prefix) && n.length > i).map((n) => n[i]));
    next.delete(keep[i]);
    for (const c of next) {
      // `*` and `?` are the wildcards: a name with one there is marked by its exact name instead.
      if (c === "*" || c === "?") continue;
      patterns.push(`${prefix}${c}*`);
    }
  }
  if (others.some((n) => n.startsWith(keep))) patterns.push(`${keep}?*`);
  for (const n of others) {
    if (keep.startsWith(n) || /[*?]/.test(n.slice(0, keep.length))) patterns.push(n);
  }
  return patterns;
}
