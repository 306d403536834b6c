// `svidkit/web`: manual initialisation for advanced users (custom fetch, caching, a Module they
// compiled themselves). Call `await init()` / `init({ module_or_path })` or `initSync({ module })`
// once before using the API; using it earlier throws.
import glueInit, * as glue from "./svidkit_web.js";
import { createApi } from "./api.js";

let initialised = false;
let wasm = null;

function ready() {
  if (!initialised) {
    throw new Error("svidkit/web: call init() or initSync() before using the API");
  }
}

export default async function init(moduleOrPath) {
  const exports = await glueInit(moduleOrPath);
  wasm = exports;
  initialised = true;
  return exports;
}

export function initSync(module) {
  const exports = glue.initSync(module);
  wasm = exports;
  initialised = true;
  return exports;
}

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
} = createApi(glue, { ready, memory: () => wasm.memory });
export { SvidError, ERROR_CODES } from "./error.js";
