// Cloudflare Workers / workerd entry (`workerd` condition): the .wasm is imported as a module
// (a WebAssembly.Module, as wrangler and workerd provide it) and instantiated at load time.
import wasmModule from "./svidkit_bg.wasm";
import * as glue from "./svidkit_web.js";
import { createApi } from "./api.js";

const wasm = glue.initSync({ module: wasmModule });

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
} = createApi(glue, { memory: () => wasm.memory, webCryptoEd25519: true }); // workerd's WebCrypto is BoringSSL
export { SvidError, ERROR_CODES } from "./error.js";
