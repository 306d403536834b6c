// The part of `make bench` that runs in the other runtimes the package serves — Deno
// (bench/in-deno.mjs) and workerd (bench/edge-worker.mjs), each in one process — on the fixtures
// of the Node run: JWT-SVIDs against jose (WebCrypto in both), and the P-256 chain through
// svidkit's paths (no incumbent runs unchanged in workerd). Nothing here is runtime-specific: the
// caller passes the modules in, and bytes are decoded without Buffer.
import { contest } from "./contest.mjs";

const base64 = (b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));

function expect(cond, what) {
  if (!cond) throw new Error(`bench (edge): ${what}`);
}

/**
 * Runs the operations in `runtime` ("deno" or "workerd") and returns rows {group, name, us,
 * baseline?}. `svidkit` and `jose` are the imported modules, `jwt` and `chain` the fixtures
 * (target/bench/*.json), `timing` contest()'s samples/sampleMs/warmupMs.
 */
export async function edgeSuite({ runtime, svidkit, jose, jwt, chain, timing }) {
  // workerd has no synchronous crypto: its sync functions run every check in pure wasm.
  const sync = runtime === "workerd" ? "pure wasm: workerd has no synchronous crypto" : "node:crypto, sync";
  // The async functions as a user calls them: WebCrypto in workerd; in Deno P-256 and P-384 ECDSA by WebCrypto
  // and the rest by node:crypto (src/deno.js asyncWebCrypto).
  const asyncHost = runtime === "workerd" ? "WebCrypto" : "P-256/P-384 ECDSA by WebCrypto, the rest by node:crypto";
  const combined = JSON.parse(jwt.bundle);
  combined.keys.push(...JSON.parse(chain.bundle).keys);
  const bundles = svidkit.BundleSet.from({ [jwt.trustDomain]: JSON.stringify(combined) });
  const wasm = svidkit.createVerifier({ bundles, crypto: "wasm" });
  const now = Math.min(jwt.now, chain.now) + 1;
  const rows = [];

  for (const alg of ["ES256", "RS256"]) {
    const { token, jwk } = jwt.tokens[alg];
    const group = `JWT-SVID ${alg}`;
    const options = { audience: jwt.audience, now };
    const ok = (r, who) => expect(r.spiffeId === jwt.spiffeId, `${alg}: ${who} verified ${r.spiffeId}`);
    ok(svidkit.verifyJwtSvid(token, bundles, options), "sync");
    ok(await svidkit.verifyJwtSvidAsync(token, bundles, options), "async");
    ok(wasm.verifyJwtSvid(token, options), "wasm");
    const key = await jose.importJWK(jwk, alg);
    const joseOptions = { audience: jwt.audience, algorithms: [alg], currentDate: new Date(now * 1000) };
    expect((await jose.jwtVerify(token, key, joseOptions)).payload.sub === jwt.spiffeId, `${alg}: jose`);
    const contenders = [
      [`svidkit \`verifyJwtSvid\` (${sync})`, () => svidkit.verifyJwtSvid(token, bundles, options)],
      [`svidkit \`verifyJwtSvidAsync\` (${asyncHost})`, () => svidkit.verifyJwtSvidAsync(token, bundles, options), { async: true }],
      ["jose `jwtVerify`, pre-imported key", () => jose.jwtVerify(token, key, joseOptions), { async: true, baseline: true }],
    ];
    if (runtime !== "workerd") {
      contenders.splice(2, 0, ["svidkit pure wasm (`crypto: \"wasm\"`)", () => wasm.verifyJwtSvid(token, options)]);
    }
    for (const r of await contest(contenders, timing)) rows.push({ group, name: r.name, us: r.us, ...r.extra });
  }

  {
    const group = "X.509-SVID, 3-certificate P-256 chain";
    const der = chain.chain.map(base64);
    const options = { now };
    const ok = (r, who) => expect(r.spiffeId === chain.spiffeId && r.chain.length === 3, `chain: ${who} verified ${r.spiffeId}`);
    ok(svidkit.verifyX509Svid(der, bundles, options), "sync");
    ok(await svidkit.verifyX509SvidAsync(der, bundles, options), "async");
    ok(wasm.verifyX509Svid(der, options), "wasm");
    const contenders = [
      [`svidkit \`verifyX509Svid\` (${sync})`, () => svidkit.verifyX509Svid(der, bundles, options)],
      [`svidkit \`verifyX509SvidAsync\` (${asyncHost})`, () => svidkit.verifyX509SvidAsync(der, bundles, options), { async: true }],
    ];
    if (runtime !== "workerd") {
      contenders.push(["svidkit pure wasm (`crypto: \"wasm\"`)", () => wasm.verifyX509Svid(der, options)]);
    }
    for (const r of await contest(contenders, timing)) rows.push({ group, name: r.name, us: r.us, ...r.extra });
  }
  return rows;
}
