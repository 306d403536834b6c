// Node entry (`node` condition): loads the .wasm synchronously, so `import` is all a user needs.
// Signatures are checked with node:crypto (synchronously; host-crypto.js), the rest by the core.
import { Buffer } from "node:buffer";
import * as crypto from "node:crypto";
import { readFileSync } from "node:fs";
import * as glue from "./svidkit_web.js";
import { createApi } from "./api.js";
import { bufferEqualBytes, nodeCrypto } from "./host-crypto.js";

const wasm = glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL("./svidkit_bg.wasm", import.meta.url))) });

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
} = createApi(glue, {
  memory: () => wasm.memory,
  nodeCrypto: nodeCrypto(crypto),
  equalBytes: bufferEqualBytes(Buffer),
  webCryptoEd25519: true,
});
export { SvidError, ERROR_CODES } from "./error.js";
