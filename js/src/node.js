// Node entry (`node` condition): loads the .wasm synchronously, so `import` is all a user needs.
import { readFileSync } from "node:fs";
import * as glue from "./svidkit_web.js";
import { createApi } from "./api.js";

glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL("./svidkit_bg.wasm", import.meta.url))) });

export const { BundleSet, parseSpiffeId, verifyX509Svid, verifyJwtSvid, detect, inspect, inspectBundle } = createApi(glue);
export { SvidError, ERROR_CODES } from "./error.js";
