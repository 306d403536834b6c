// Browser entry (`browser` and `default` conditions): fetches and instantiates the .wasm with
// top-level await, so the API is ready once the import resolves. Bundlers that understand
// `new URL("…", import.meta.url)` (Vite, webpack 5, esbuild with a loader) copy the .wasm along.
import init, * as glue from "./svidkit_web.js";
import { createApi } from "./api.js";

const wasm = await init({ module_or_path: new URL("./svidkit_bg.wasm", import.meta.url) });

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
