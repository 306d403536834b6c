// The test worker: imports the package by name, as a user's Worker does, and runs each vector
// POSTed to it through the package: sync (pure Rust), async (WebCrypto) and crypto "wasm".
import * as svidkit from "svidkit";
import { runVectorEveryPath } from "./vectors.mjs";

export default {
  async fetch(request) {
    if (request.method !== "POST") {
      return Response.json({ ready: true, exports: Object.keys(svidkit).sort() });
    }
    const vector = await request.json();
    return Response.json(await runVectorEveryPath(svidkit, vector));
  },
};
