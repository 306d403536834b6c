// Removes one feature from a wasm module's `target_features` custom section (js/scripts/build.mjs
// step 1b), so wasm-bindgen does not use it.
//
// Why `multivalue`: rustc (1.82+) marks every wasm32 module `+multivalue`, and wasm-bindgen then
// makes each export that returns a string or a Result return two values. V8 serves exports whose
// signature has at most one result with its generic JS-to-wasm wrapper, but compiles a wrapper
// per multi-result signature when the module is compiled: ≈ 2.5 ms of a ≈ 5.5 ms first
// `WebAssembly.compile` of svidkit's module in Node 20 (measured: 5–8 ms → 3–4.5 ms). Without the
// feature wasm-bindgen returns those values through memory (its shadow stack), for the same
// call-time cost (measured on the JWT path). The code itself never used multi-value.

import { encodeUleb, readUleb, sections } from "./wasm-sections.mjs";

const SECTION = "target_features";

/** `wasm` (bytes) without `feature` in its target_features section; `found` says whether it was there. */
export function withoutTargetFeature(wasm, feature) {
  const bytes = Buffer.from(wasm);
  const parts = [bytes.subarray(0, 8)];
  let found = false;
  for (const s of sections(bytes)) {
    if (s.name !== SECTION) {
      parts.push(bytes.subarray(s.start, s.end));
      continue;
    }
    let [count, at] = readUleb(bytes, s.contentAt);
    const kept = [];
    for (let i = 0; i < count; i++) {
      // An entry: a prefix byte (+, - or =), then the feature's name; kept as its raw bytes.
      const entryAt = at;
      const [len, textAt] = readUleb(bytes, at + 1);
      at = textAt + len;
      if (at > s.end) throw new Error("target-features: truncated target_features entry");
      if (bytes.toString("latin1", textAt, at) === feature) found = true;
      else kept.push(bytes.subarray(entryAt, at));
    }
    const name = Buffer.from(SECTION);
    const body = Buffer.concat([encodeUleb(name.length), name, encodeUleb(kept.length), ...kept]);
    parts.push(Buffer.from([0]), encodeUleb(body.length), body);
  }
  return { wasm: Buffer.concat(parts), found };
}
