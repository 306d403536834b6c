// Deno entry (`deno` condition): the .wasm is imported as an ES module (Deno's native Wasm
// imports need no permissions) by wasm-bindgen's bundler glue; signatures are checked with Deno's
// node:crypto (synchronously; host-crypto.js, no permissions needed either), P-256 and P-384 ECDSA
// in the async functions with its WebCrypto, the rest by the core.
import { Buffer } from "node:buffer";
import * as crypto from "node:crypto";
import * as glue from "./svidkit_bundler.js";
// The same instance the glue links to (one ES module per specifier), for its memory.
import * as wasm from "./svidkit_bg.wasm";
import { createApi } from "./api.js";
import { bufferEqualBytes, nodeCrypto } from "./host-crypto.js";

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
  // Deno 2.9's WebCrypto verifies P-256 and P-384 ECDSA 1.2–1.6× as fast as its node:crypto
  // (which is quicker for RSA; P-521 was not measured, and older Deno has no P-521 in WebCrypto):
  // the async functions take it for those (bench/edge.mjs, `make bench`).
  asyncWebCrypto: ["ES256", "ES384"],
});
export { SvidError, ERROR_CODES } from "./error.js";
