// Runs in Deno with no permissions: reads the vectors (a JSON array) from stdin, runs each through
// the package imported by name (the `deno` condition) on every verification path, prints one line per failing vector and
// "deno: N passed, M failed"; then checks which host answers a valid ES256 and RS256 token in the
// async and sync functions. Exits 1 on any failure.
import * as svidkit from "svidkit";
import { asyncApi, runVector, runVectorAsync, runVectorEveryPath, summary } from "./vectors.mjs";

// WebCrypto's verify, counted: the entry's async functions take ECDSA there (deno.js asyncWebCrypto).
let webVerifies = 0;
const realVerify = crypto.subtle.verify.bind(crypto.subtle);
crypto.subtle.verify = (...args) => {
  webVerifies++;
  return realVerify(...args);
};

const text = await new Response(Deno.stdin.readable).text();
const vectors = JSON.parse(text);
console.log(`deno ${Deno.version.deno}: svidkit from ${import.meta.resolve("svidkit")}`);
// Each vector through the sync API (Deno's node:crypto), the async API (ECDSA by WebCrypto, the
// rest by node:crypto) and pure Rust.
const results = [];
for (const v of vectors) results.push(await runVectorEveryPath(svidkit, v));
// Which host checks which algorithm: a valid token of each JWT-SVID algorithm among the vectors,
// through the async and then the sync API.
const algOf = (v) => JSON.parse(atob(v.input.token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))).alg;
const routed = [];
const misrouted = [];
for (const alg of ["ES256", "RS256"]) {
  const v = vectors.find((x) => x.kind === "jwt-svid" && x.expect.ok === true && algOf(x) === alg);
  if (v === undefined) {
    misrouted.push(`no valid ${alg} token among the vectors`);
    continue;
  }
  const before = webVerifies;
  const async = await runVectorAsync(asyncApi(svidkit), v);
  const viaWeb = webVerifies - before;
  const sync = runVector(svidkit, v);
  const viaWebSync = webVerifies - before - viaWeb;
  // At least one WebCrypto check for ES256 (a token without kid may try several keys), none for RS256.
  const web = alg.startsWith("ES");
  routed.push(`${alg}: WebCrypto ×${viaWeb} async, ×${viaWebSync} sync`);
  if (!(async.pass && sync.pass && (web ? viaWeb >= 1 : viaWeb === 0) && viaWebSync === 0)) {
    misrouted.push(`${alg}: want WebCrypto ×${web ? "≥ 1" : 0} async and ×0 sync, got ×${viaWeb} and ×${viaWebSync} ${async.detail} ${sync.detail}`);
  }
}
console.log(`deno: ${routed.join("; ")}`);
for (const line of misrouted) console.log(`FAIL routing ${line}`);
const s = summary(results);
for (const line of s.lines) console.log(line);
console.log(`deno: ${s.last}`);
Deno.exit(s.failed === 0 && misrouted.length === 0 && vectors.length > 0 ? 0 : 1);
