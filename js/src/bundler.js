// ESM-integration bundlers: the .wasm is imported as an ES module
// (Deno's native Wasm imports need no permissions) by wasm-bindgen's bundler glue.
import * as glue from "./svidkit_bundler.js";
// The same instance the glue links to (one ES module per specifier), for its memory.
import * as wasm from "./svidkit_bg.wasm";
import { createApi } from "./api.js";

export const {
  BundleSet,
  parseSpiffeId,
  verifyX509Svid,
  verifyJwtSvid,
  verifyX509SvidAsync,
  verifyJwtSvidAsync,
  createVerifier,
  detect,
  inspect,
  inspectBundle,
} = createApi(glue, { memory: () => wasm.memory });
export { SvidError, ERROR_CODES } from "./error.js";
