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

const SECTION = "target_features";

/** `wasm` (bytes) without `feature` in its target_features section; `found` says whether it was there. */
export function withoutTargetFeature(wasm, feature) {
  const bytes = Buffer.from(wasm);
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error("target-features: not a wasm module");
  const parts = [bytes.subarray(0, 8)];
  let found = false;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, bodyAt] = uleb(bytes, at + 1);
    const end = bodyAt + size;
    if (end > bytes.length) throw new Error("target-features: truncated section");
    if (id === 0) {
      const [nameLen, nameAt] = uleb(bytes, bodyAt);
      if (bytes.toString("utf8", nameAt, nameAt + nameLen) === SECTION) {
        let [count, p] = uleb(bytes, nameAt + nameLen);
        const kept = [];
        for (let i = 0; i < count; i++) {
          // An entry: a prefix byte (+, - or =), then the feature's name; kept as its raw bytes.
          const entryAt = p;
          const [len, textAt] = uleb(bytes, p + 1);
          p = textAt + len;
          if (p > end) throw new Error("target-features: truncated target_features entry");
          if (bytes.toString("latin1", textAt, p) === feature) found = true;
          else kept.push(bytes.subarray(entryAt, p));
        }
        const name = Buffer.from(SECTION);
        const body = Buffer.concat([encodeUleb(name.length), name, encodeUleb(kept.length), ...kept]);
        parts.push(Buffer.from([0]), encodeUleb(body.length), body);
        at = end;
        continue;
      }
    }
    parts.push(bytes.subarray(at, end));
    at = end;
  }
  return { wasm: Buffer.concat(parts), found };
}

function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error("target-features: truncated LEB128");
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, at];
  }
}

function encodeUleb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}
