// `make bench` inside workerd (bench/runtimes.mjs serves it): a POST of {jwt, chain, timing} runs
// bench/edge.mjs there and answers with its rows. The package is imported by name, its entry picked
// the way wrangler picks it, as in js/test/workerd.
import * as svidkit from "svidkit";
import * as jose from "jose/index.js";
import { edgeSuite } from "./edge.mjs";

export default {
  async fetch(request) {
    if (request.method !== "POST") return Response.json({ ready: true });
    try {
      return Response.json({ rows: await edgeSuite({ runtime: "workerd", svidkit, jose, ...(await request.json()) }) });
    } catch (e) {
      return Response.json({ error: String(e && e.stack ? e.stack : e) }, { status: 500 });
    }
  },
};
