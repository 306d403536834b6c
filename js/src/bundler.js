// ESM-integration bundlers: the .wasm is imported as an ES module
// (Deno's native Wasm imports need no permissions) by wasm-bindgen's bundler glue.
import * as glue from "./svidkit_bundler.js";
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
} = createApi(glue);
export { SvidError, ERROR_CODES } from "./error.js";
