// The section layout of a wasm module, for the build steps that edit custom sections
// (scripts/inline-multiply.mjs, scripts/target-features.mjs).

/**
 * The sections of `bytes` (a Buffer holding a module): `{ id, start, bodyAt, end }` — the
 * section's first byte, its body's first byte, and the byte after it — and, for a custom section
 * (id 0), `name` and `contentAt` (the byte after the name).
 */
export function sections(bytes) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error("wasm-sections: not a wasm module");
  const found = [];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at];
    const [size, bodyAt] = readUleb(bytes, at + 1);
    const end = bodyAt + size;
    if (end > bytes.length) throw new Error("wasm-sections: truncated section");
    const section = { id, start, bodyAt, end };
    if (id === 0) {
      const [nameLen, nameAt] = readUleb(bytes, bodyAt);
      section.name = bytes.toString("utf8", nameAt, nameAt + nameLen);
      section.contentAt = nameAt + nameLen;
    }
    found.push(section);
    at = end;
  }
  return found;
}

/** The unsigned LEB128 at `at`: `[value, the byte after it]`. */
export function readUleb(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++];
    if (b === undefined) throw new Error("wasm-sections: truncated LEB128");
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, at];
  }
}

export function encodeUleb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}
