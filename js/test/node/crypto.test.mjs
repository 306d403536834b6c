// The signature paths of the Node entry give the core's verdicts exactly:
//  - every conformance vector through node:crypto (sync and async), WebCrypto (the async replay)
//    and pure Rust (sync and async);
//  - the same verdict from every path for JWT-SVIDs of every algorithm with well-formed and
//    mangled signatures (high-S, r or s zero or ≥ n, wrong PSS salt, PKCS#1 under a PS header, ...);
//  - the host is really used (for Ed25519 only where its rules can't change the answer), imported
//    keys are cached per bundle key and dropped when the set changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { loadVectors } from "../lib/load-vectors.mjs";
import { replay, settle } from "../../src/host-crypto.js";
import { asyncApi, runVector, runVectorAsync, summary, verifierApi } from "../lib/vectors.mjs";
import { NOW, bundleOf, makeKey, sign, signingInput, token, TRUST_DOMAIN } from "../lib/jwt-fixtures.mjs";

// Count the host's work: node:crypto is patched before svidkit imports it (the ESM namespace of a
// builtin follows its CJS exports after syncBuiltinESMExports), WebCrypto on the instance.
const require = createRequire(import.meta.url);
const nodeCrypto = require("node:crypto");
const calls = { verify: 0, createPublicKey: 0, subtleVerify: 0, importKey: 0 };
for (const [name, counter] of [["verify", "verify"], ["createPublicKey", "createPublicKey"]]) {
  const real = nodeCrypto[name];
  nodeCrypto[name] = function (...args) {
    calls[counter]++;
    return real.apply(this, args);
  };
}
syncBuiltinESMExports();
const subtle = globalThis.crypto.subtle;
for (const [name, counter] of [["verify", "subtleVerify"], ["importKey", "importKey"]]) {
  const real = subtle[name].bind(subtle);
  subtle[name] = (...args) => {
    calls[counter]++;
    return real(...args);
  };
}
const svidkit = await import("svidkit");

function counted(fn) {
  const before = { ...calls };
  const result = fn();
  const delta = {};
  for (const k of Object.keys(calls)) delta[k] = calls[k] - before[k];
  return { result, delta };
}

async function countedAsync(fn) {
  const before = { ...calls };
  const result = await fn();
  const delta = {};
  for (const k of Object.keys(calls)) delta[k] = calls[k] - before[k];
  return { result, delta };
}

const vectors = loadVectors();

const PATHS = [
  { name: "node:crypto, sync (default)", api: svidkit, async: false, host: "node" },
  { name: "node:crypto, async", api: asyncApi(svidkit), async: true, host: "node" },
  { name: "WebCrypto replay, async", api: verifierApi(svidkit, { crypto: "webcrypto" }, { async: true }), async: true, host: "web" },
  { name: "pure Rust, sync", api: verifierApi(svidkit, { crypto: "wasm" }), async: false, host: null },
  { name: "pure Rust, async", api: verifierApi(svidkit, { crypto: "wasm" }, { async: true }), async: true, host: null },
];

for (const path of PATHS) {
  test(`every conformance vector: ${path.name}`, async () => {
    const { result: results, delta } = await countedAsync(async () => {
      const out = [];
      for (const v of vectors) out.push(path.async ? await runVectorAsync(path.api, v) : runVector(path.api, v));
      return out;
    });
    const s = summary(results);
    assert.equal(s.failed, 0, s.lines.join("\n"));
    console.log(`${path.name}: ${s.last}; node:crypto verify ×${delta.verify}, WebCrypto verify ×${delta.subtleVerify}`);
    assert.equal(delta.verify > 0, path.host === "node", "node:crypto used exactly on the node paths");
    assert.equal(delta.subtleVerify > 0, path.host === "web", "WebCrypto used exactly on the WebCrypto path");
  });
}

// --- every path agrees with pure Rust on mangled signatures ------------------------------------

const ORDERS = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512:
    0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
function toBytes(n, len) {
  const hex = n.toString(16).padStart(len * 2, "0");
  return hex.length > len * 2 ? null : new Uint8Array(Buffer.from(hex, "hex"));
}
const concat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
function flip(bytes, bit) {
  const out = bytes.slice();
  out[bit >> 3] ^= 0x80 >> (bit & 7);
  return out;
}

/** [label, signature] variants of a valid signature. */
function mangled(key, input, sig) {
  const out = [["valid", sig], ["last bit flipped", flip(sig, sig.length * 8 - 1)], ["first bit flipped", flip(sig, 0)]];
  out.push(["empty", new Uint8Array(0)], ["one byte short", sig.slice(1)], ["one byte long", concat([0], sig)]);
  out.push(["all zero", new Uint8Array(sig.length)], ["all 0xff", new Uint8Array(sig.length).fill(0xff)]);
  const n = ORDERS[key.alg];
  if (n !== undefined) {
    const len = sig.length / 2;
    const r = sig.slice(0, len);
    const s = sig.slice(len);
    const one = toBytes(1n, len);
    const N = toBytes(n, len);
    out.push(["high S (n − s)", concat(r, toBytes(n - toBig(s), len))]);
    out.push(["r = 0", concat(new Uint8Array(len), s)], ["s = 0", concat(r, new Uint8Array(len))]);
    out.push(["r = n", concat(N, s)], ["s = n", concat(r, N)], ["r = s = 1", concat(one, one)]);
    out.push(["r and s swapped", concat(s, r)]);
    const rPlusN = toBytes(toBig(r) + n, len);
    if (rPlusN) out.push(["r + n", concat(rPlusN, s)]);
    out.push(["DER instead of r‖s", new Uint8Array(nodeCrypto.sign(`sha${key.alg.slice(2)}`, Buffer.from(input), key.privateKey))]);
  } else {
    const modulus = toBig(Buffer.from(key.jwk.n, "base64url"));
    out.push(["= modulus", toBytes(modulus, sig.length)], ["= modulus − 1", toBytes(modulus - 1n, sig.length)]);
    out.push(["= 1", toBytes(1n, sig.length)], ["+ modulus (too long)", toBytes(toBig(sig) + modulus, sig.length + 1)]);
    // A signature that begins with 00, without that byte: OpenSSL reads the shorter string as the
    // same number, RFC 8017 §8.2.2 wants exactly k octets (the core checks the length before any
    // host sees it). A token of its own, found by trying jti values (~1 in 200 signatures).
    let zeroInput;
    let zeroSig;
    for (let i = 0; zeroSig === undefined || zeroSig[0] !== 0; i++) {
      zeroInput = signingInput(key, { jti: `leading-zero-${i}` });
      zeroSig = sign(key, zeroInput);
    }
    out.push(["leading 00 (valid)", zeroSig, zeroInput], ["leading 00 dropped", zeroSig.slice(1), zeroInput]);
    if (key.alg.startsWith("PS")) {
      out.push(["PSS salt 0", sign(key, input, { saltLength: 0 })], ["PSS salt 20", sign(key, input, { saltLength: 20 })]);
      out.push(["PSS max salt", sign(key, input, { saltLength: nodeCrypto.constants.RSA_PSS_SALTLEN_MAX_SIGN })]);
      out.push(["PKCS#1 v1.5 under a PS header", sign(key, input, { padding: nodeCrypto.constants.RSA_PKCS1_PADDING })]);
    } else {
      out.push(["PSS under an RS header", sign(key, input, { padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })]);
    }
  }
  return out;
}

const verdict = (fn) => {
  try {
    const r = fn();
    return `ok ${r.spiffeId}`;
  } catch (e) {
    return e instanceof svidkit.SvidError ? e.code : `exception ${e && e.message}`;
  }
};
const verdictAsync = async (fn) => {
  try {
    const r = await fn();
    return `ok ${r.spiffeId}`;
  } catch (e) {
    return e instanceof svidkit.SvidError ? e.code : `exception ${e && e.message}`;
  }
};

test("every path agrees with pure Rust on valid and mangled signatures of every JWT-SVID algorithm", async () => {
  const algs = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
  const keys = algs.map((alg) => makeKey(alg));
  const bundles = svidkit.BundleSet.from({ [TRUST_DOMAIN]: bundleOf(keys) });
  const wasm = svidkit.createVerifier({ bundles, crypto: "wasm" });
  const web = svidkit.createVerifier({ bundles, crypto: "webcrypto" });
  const options = { audience: "api", now: NOW };
  let cases = 0;
  let valid = 0;
  for (const key of keys) {
    const input = signingInput(key);
    const variants = mangled(key, input, sign(key, input));
    // The payload changed under a valid signature, and a kid-less token (every key of the alg tried).
    variants.push(["payload changed", null]);
    const kidless = signingInput(key, {}, { kid: undefined });
    for (const [label, sig, ownInput] of variants) {
      const t = sig === null ? token(signingInput(key, { exp: NOW + 301 }), sign(key, input)) : token(ownInput ?? input, sig);
      const want = verdict(() => wasm.verifyJwtSvid(t, options));
      const got = {
        "node:crypto": verdict(() => svidkit.verifyJwtSvid(t, bundles, options)),
        "node:crypto async": await verdictAsync(() => svidkit.verifyJwtSvidAsync(t, bundles, options)),
        WebCrypto: await verdictAsync(() => web.verifyJwtSvidAsync(t, options)),
      };
      for (const [name, v] of Object.entries(got)) assert.equal(v, want, `${key.alg} ${label}: ${name} says ${v}, pure Rust ${want}`);
      if (want.startsWith("ok")) valid++;
      cases++;
    }
    const t = token(kidless, sign(key, kidless));
    assert.equal(verdict(() => svidkit.verifyJwtSvid(t, bundles, options)), `ok spiffe://${TRUST_DOMAIN}/ns/prod/sa/api`);
    assert.equal(await verdictAsync(() => web.verifyJwtSvidAsync(t, options)), `ok spiffe://${TRUST_DOMAIN}/ns/prod/sa/api`);
  }
  console.log(`${cases} signatures, ${valid} valid (the genuine ones, ECDSA high-S, RSA with a leading 00), same verdict on every path`);
  assert.ok(valid >= algs.length + 3 + 6, "the genuine ones, ECDSA high-S and the RSA leading-00 ones");
});

test("node:crypto keys are imported once per bundle key and dropped when the set changes", () => {
  const key = makeKey("ES256");
  const other = makeKey("RS256");
  const bundles = svidkit.BundleSet.from({ [TRUST_DOMAIN]: bundleOf([key, other]) });
  const t = token(signingInput(key), sign(key, signingInput(key)));
  const options = { audience: "api", now: NOW };
  const first = counted(() => svidkit.verifyJwtSvid(t, bundles, options));
  assert.deepEqual([first.delta.createPublicKey, first.delta.verify], [1, 1]);
  const again = counted(() => {
    svidkit.verifyJwtSvid(t, bundles, options);
    svidkit.verifyJwtSvid(t, bundles, options);
  });
  assert.deepEqual([again.delta.createPublicKey, again.delta.verify], [0, 2], "cached KeyObject");
  // Another set with the same bundle has its own keys.
  const bundles2 = svidkit.BundleSet.from({ [TRUST_DOMAIN]: bundleOf([key, other]) });
  assert.equal(counted(() => svidkit.verifyJwtSvid(t, bundles2, options)).delta.createPublicKey, 1);
  // A changed set numbers its keys afresh: the cache is dropped, and the new key is the one used.
  const replacement = makeKey("ES256", key.kid);
  bundles.add(TRUST_DOMAIN, bundleOf([replacement]));
  const changed = counted(() => verdict(() => svidkit.verifyJwtSvid(t, bundles, options)));
  assert.equal(changed.result, "bad-signature");
  assert.equal(changed.delta.createPublicKey, 1);
  const t2 = token(signingInput(replacement), sign(replacement, signingInput(replacement)));
  const after = counted(() => svidkit.verifyJwtSvid(t2, bundles, options));
  assert.deepEqual([after.delta.createPublicKey, after.delta.verify], [0, 1]);
  bundles.addJwks("other.org", { keys: [] });
  assert.equal(counted(() => svidkit.verifyJwtSvid(t2, bundles, options)).delta.createPublicKey, 1, "addJwks drops the cache too");
});

test("keys of presented chains (intermediates) are imported once too, by their SPKI bytes", async () => {
  const vector = vectors.find((v) => v.name === "x509-svid/ok-leaf-with-intermediate.json");
  const bundles = svidkit.BundleSet.from(vector.input.bundles);
  const options = { now: vector.now };
  const first = counted(() => svidkit.verifyX509Svid(vector.input.chain, bundles, options));
  assert.deepEqual([first.delta.createPublicKey, first.delta.verify], [2, 2], "the intermediate's key and the root's");
  const again = counted(() => svidkit.verifyX509Svid(vector.input.chain, bundles, options));
  assert.deepEqual([again.delta.createPublicKey, again.delta.verify], [0, 2]);
  // A change of the set drops the bundle keys only.
  bundles.add("other.org", { keys: [] });
  assert.equal(counted(() => svidkit.verifyX509Svid(vector.input.chain, bundles, options)).delta.createPublicKey, 1);
  const web = svidkit.createVerifier({ bundles, crypto: "webcrypto" });
  const w1 = await countedAsync(() => web.verifyX509SvidAsync(vector.input.chain, options));
  const w2 = await countedAsync(() => web.verifyX509SvidAsync(vector.input.chain, options));
  assert.deepEqual([w1.delta.importKey, w2.delta.importKey, w2.delta.subtleVerify], [2, 0, 2]);
});

test("Ed25519 checks go to the host only where no verifier's rules could change the answer", async () => {
  // tests/gen/ed25519_vectors.py: a genuine signature, and forgeries OpenSSL's cofactorless check
  // accepts but the core's strict rules refuse (R = identity, a small-order root or intermediate key).
  const byName = (n) => vectors.find((v) => v.name === `x509-svid/${n}.json`);
  const web = (v) => svidkit.createVerifier({ bundles: svidkit.BundleSet.from(v.input.bundles), crypto: "webcrypto" });
  const cases = [
    ["edge-ed25519-genuine-signature-ok", 1, 1, "ok"],
    ["edge-ed25519-mixed-order-intermediate-ok", 2, 2, "ok"],
    ["edge-ed25519-r-plus-torsion", 1, 1, "bad-signature"],
    // A first run takes every host answer as "verifies", so it asks for the whole path (the
    // module imports nothing: the core can't wait for an answer).
    ["edge-ed25519-mixed-order-intermediate-cofactored-only", 2, 2, "bad-signature"],
    ["edge-ed25519-identity-r", 0, 0, "bad-signature"],
    ["edge-ed25519-identity-r-noncanonical", 0, 0, "bad-signature"],
    ["edge-ed25519-identity-root-key", 0, 0, "bad-signature"],
    ["edge-ed25519-order-8-root-key", 0, 0, "bad-signature"],
    ["edge-ed25519-identity-intermediate-key", 0, 0, "bad-signature"],
    ["edge-ed25519-s-plus-order", 0, 0, "bad-signature"],
  ];
  for (const [name, nodeChecks, webChecks, want] of cases) {
    const v = byName(name);
    assert.ok(v, name);
    const bundles = svidkit.BundleSet.from(v.input.bundles);
    const options = { now: v.now };
    const node = counted(() => verdict(() => svidkit.verifyX509Svid(v.input.chain, bundles, options)));
    assert.equal(node.result.split(" ")[0], want, `${name}: node:crypto`);
    assert.equal(node.delta.verify, nodeChecks, `${name}: node:crypto checks`);
    const w = await countedAsync(() => verdictAsync(() => web(v).verifyX509SvidAsync(v.input.chain, options)));
    assert.equal(w.result.split(" ")[0], want, `${name}: WebCrypto`);
    assert.equal(w.delta.subtleVerify, webChecks, `${name}: WebCrypto checks`);
  }
});

test("where WebCrypto's Ed25519 is not known to agree (the browser and ./web entries), Ed25519 stays in Rust", async () => {
  // The ./web entry is what a browser app without a bundler loads; Node's WebCrypto stands in for
  // a browser's here, and the counters show which checks reach it.
  const web = await import("svidkit/web");
  const wasm = readFileSync(new URL(import.meta.resolve("svidkit/svidkit_bg.wasm")));
  web.initSync({ module: new WebAssembly.Module(wasm) });
  const ed = vectors.find((v) => v.name === "x509-svid/edge-ed25519-genuine-signature-ok.json");
  const ec = vectors.find((v) => v.name === "x509-svid/ok-leaf-with-intermediate.json");
  for (const [v, hostChecks] of [[ed, 0], [ec, 2]]) {
    const verifier = web.createVerifier({ bundles: web.BundleSet.from(v.input.bundles), crypto: "webcrypto" });
    const r = await countedAsync(() => verifier.verifyX509SvidAsync(v.input.chain, { now: v.now }));
    assert.equal(r.result.spiffeId, v.expect.spiffe_id, v.name);
    assert.equal(r.delta.subtleVerify, hostChecks, `${v.name}: WebCrypto checks`);
  }
});

/**
 * A stand-in for the core's runs in one check session (src/js.rs `with_crypto`): each run needs
 * the checks `checks` (ES256, a key of the presented chain), takes the answers the session holds
 * and assumes the others (verifies, or fails with flag 4), leaving them as check records whose
 * answer bytes the host overwrites in place; its envelope is the answers it used.
 */
function fakeCore(spki, checks) {
  let answered = [];
  let pending = new Uint8Array(0);
  let runs = 0;
  const u32 = (n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
  const key = (message, signature) => `${[...message]}|${[...signature]}`;
  const recordsOf = (bytes) => {
    const out = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (let at = 0; at < bytes.length; ) {
      const parts = [];
      let end = at + 6;
      for (let i = 0; i < 3; i++) {
        const len = view.getUint32(end, true);
        parts.push(bytes.slice(end + 4, end + 4 + len));
        end += 4 + len;
      }
      out.push({ key: key(parts[1], parts[2]), answer: bytes[at + 1] });
      at = end;
    }
    return out;
  };
  return {
    run(flags) {
      runs++;
      answered = flags & 8 ? [] : [...answered, ...recordsOf(pending)];
      pending = new Uint8Array(0);
      const assumed = flags & 4 ? 0xfe : 0xff;
      const out = [];
      for (const [message, signature] of checks) {
        const known = answered.find((r) => r.key === key(message, signature));
        if (known !== undefined) {
          out.push(known.answer);
          continue;
        }
        const rec = [0, assumed, ...u32(0), ...[spki, message, signature].flatMap((b) => [...u32(b.length), ...b])];
        pending = Uint8Array.from([...pending, ...rec]);
        out.push(assumed === 0xff ? 1 : 0);
      }
      return out.join("");
    },
    pendingChecks() {
      return pending;
    },
    get runs() {
      return runs;
    },
  };
}

test("the WebCrypto replay and node:crypto settle run the core once when every check verifies, again when one does not", async () => {
  // The second run assumes unanswered checks fail; here it has every answer already.
  const key = makeKey("ES256");
  const spki = new Uint8Array(key.publicKey.export({ format: "der", type: "spki" }));
  const m1 = new TextEncoder().encode("first");
  const m2 = new TextEncoder().encode("second");
  const good1 = sign(key, m1);
  const good2 = sign(key, m2);
  const state = () => ({ generation: 0, cryptoKeys: new Map(), presentedCryptoKeys: new Map() });
  const nodeCheck = (alg, keyId, spkiBytes, message, signature) =>
    nodeCrypto.verify("sha256", message, { key: nodeCrypto.createPublicKey({ key: Buffer.from(spkiBytes), format: "der", type: "spki" }), dsaEncoding: "ieee-p1363" }, signature) ? 1 : 0;
  async function runs(sig2) {
    const web = fakeCore(spki, [[m1, good1], [m2, sig2]]);
    const webEnvelope = await replay(globalThis.crypto.subtle, state(), web.run, web.pendingChecks);
    const node = fakeCore(spki, [[m1, good1], [m2, sig2]]);
    const nodeEnvelope = settle(node.run, node.pendingChecks, nodeCheck);
    return { web: [webEnvelope, web.runs], node: [nodeEnvelope, node.runs] };
  }
  assert.deepEqual(await runs(good2), { web: ["11", 1], node: ["11", 1] }, "both verify: the first run's answer stands");
  const bad = good2.slice();
  bad[bad.length - 1] ^= 1;
  assert.deepEqual(await runs(bad), { web: ["10", 2], node: ["10", 2] }, "one fails: the core runs again with the real answers");
});

test("WebCrypto keys are imported once per bundle key and algorithm", async () => {
  const key = makeKey("PS256");
  const bundles = svidkit.BundleSet.from({ [TRUST_DOMAIN]: bundleOf([key]) });
  const web = svidkit.createVerifier({ bundles, crypto: "webcrypto" });
  const t = token(signingInput(key), sign(key, signingInput(key)));
  const options = { audience: "api", now: NOW };
  const first = await countedAsync(() => web.verifyJwtSvidAsync(t, options));
  assert.deepEqual([first.delta.importKey, first.delta.subtleVerify], [1, 1]);
  const again = await countedAsync(() => web.verifyJwtSvidAsync(t, options));
  assert.deepEqual([again.delta.importKey, again.delta.subtleVerify], [0, 1]);
  bundles.add(TRUST_DOMAIN, bundleOf([key]));
  const changed = await countedAsync(() => web.verifyJwtSvidAsync(t, options));
  assert.deepEqual([changed.delta.importKey, changed.delta.subtleVerify], [1, 1]);
});

test("an entry whose WebCrypto is quicker at some algorithms (Deno: ECDSA) sends just those async checks there", async () => {
  // The Deno entry's configuration, on Node's node:crypto and WebCrypto (Deno itself runs every
  // vector through it in js/test/deno). Sync checks stay on node:crypto whatever the algorithm.
  const glue = await import("../../dist/svidkit_web.js");
  const { createApi } = await import("../../dist/api.js");
  const { nodeCrypto: nodeChecks } = await import("../../dist/host-crypto.js");
  const wasm = glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL("../../dist/svidkit_bg.wasm", import.meta.url))) });
  const api = createApi(glue, {
    memory: () => wasm.memory,
    nodeCrypto: nodeChecks(nodeCrypto),
    webCryptoEd25519: true,
    asyncWebCrypto: ["ES256", "ES384"],
  });
  const keys = ["ES256", "ES384", "ES512", "RS256", "PS256"].map((alg) => makeKey(alg));
  const bundles = api.BundleSet.from({ [TRUST_DOMAIN]: bundleOf(keys) });
  const options = { audience: "api", now: NOW };
  for (const key of keys) {
    const input = signingInput(key);
    const good = sign(key, input);
    const bad = good.slice();
    bad[bad.length - 1] ^= 1;
    const web = key.alg === "ES256" || key.alg === "ES384";
    for (const [sig, want] of [[good, "ok"], [bad, "bad-signature"]]) {
      const t = token(input, sig);
      const { result, delta } = await countedAsync(() => api.verifyJwtSvidAsync(t, bundles, options).then(() => "ok", (e) => e.code));
      assert.equal(result, want, `${key.alg} async`);
      // A bad signature: the first run assumed it verifies, the second has the answer.
      assert.deepEqual([delta.subtleVerify, delta.verify], web ? [1, 0] : [0, 1], `${key.alg} async (${want}): WebCrypto, node:crypto`);
      const sync = counted(() => verdict(() => api.verifyJwtSvid(t, bundles, options)));
      assert.equal(sync.result.split(" ")[0], want, `${key.alg} sync`);
      assert.deepEqual([sync.delta.subtleVerify, sync.delta.verify], [0, 1], `${key.alg} sync: node:crypto only`);
    }
  }
  // Ed25519 is not routed to WebCrypto: node:crypto checks it, even for an entry whose WebCrypto
  // Ed25519 is not one known to agree (webCryptoEd25519 unset).
  const v = vectors.find((x) => x.name === "x509-svid/edge-ed25519-genuine-signature-ok.json");
  for (const webCryptoEd25519 of [true, false]) {
    const edApi = createApi(glue, { memory: () => wasm.memory, nodeCrypto: nodeChecks(nodeCrypto), webCryptoEd25519, asyncWebCrypto: ["ES256"] });
    const edBundles = edApi.BundleSet.from(v.input.bundles);
    const { result, delta } = await countedAsync(() => verdictAsync(() => edApi.verifyX509SvidAsync(v.input.chain, edBundles, { now: v.now })));
    assert.equal(result.split(" ")[0], "ok", `Ed25519, webCryptoEd25519 ${webCryptoEd25519}`);
    assert.deepEqual([delta.subtleVerify, delta.verify], [0, 1], `Ed25519 (webCryptoEd25519 ${webCryptoEd25519}): WebCrypto, node:crypto`);
  }
  assert.throws(() => createApi(glue, { memory: () => wasm.memory, asyncWebCrypto: ["HS256"] }), /no algorithm HS256/);
});

test("the async variants reject (never throw) and copy their input", async () => {
  const key = makeKey("ES256");
  const bundles = svidkit.BundleSet.from({ [TRUST_DOMAIN]: bundleOf([key]) });
  const web = svidkit.createVerifier({ bundles, crypto: "webcrypto" });
  const p = svidkit.verifyJwtSvidAsync(42, bundles, { audience: "api" });
  assert.ok(p instanceof Promise);
  await assert.rejects(p, (e) => e instanceof svidkit.SvidError && e.code === "malformed");
  await assert.rejects(web.verifyX509SvidAsync("x", { now: NOW, bogus: 1 }), (e) => e.code === "malformed");
  // A Uint8Array token changed while the WebCrypto checks run does not change the verdict.
  const bytes = new TextEncoder().encode(token(signingInput(key), sign(key, signingInput(key))));
  const pending = web.verifyJwtSvidAsync(bytes, { audience: "api", now: NOW });
  bytes.fill(0x41);
  assert.equal((await pending).spiffeId, `spiffe://${TRUST_DOMAIN}/ns/prod/sa/api`);
});

test("createVerifier checks its options", () => {
  const bundles = new svidkit.BundleSet();
  assert.throws(() => svidkit.createVerifier({ bundles, crypto: "openssl" }), /crypto must be one of auto, wasm, webcrypto/);
  assert.throws(() => svidkit.createVerifier({ bundles: {} }), (e) => e.code === "malformed");
  assert.throws(() => svidkit.createVerifier({ bundles, cash: {} }), /unknown option cash/);
  assert.equal(svidkit.createVerifier({ bundles }).crypto, "auto");
});

// --- rounds of the core: bounded, and nothing left over between verifications -----------------

/** The package's API over glue whose verifyX509Svid counts its calls (runs of the core). */
async function countingApi() {
  const glue = await import("../../dist/svidkit_web.js");
  const { createApi } = await import("../../dist/api.js");
  const host = await import("../../dist/host-crypto.js");
  const wasm = glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL("../../dist/svidkit_bg.wasm", import.meta.url))) });
  const counter = { runs: 0 };
  const raw = {
    ...glue,
    verifyX509Svid: (...args) => {
      counter.runs++;
      return glue.verifyX509Svid(...args);
    },
  };
  const api = createApi(raw, { memory: () => wasm.memory, nodeCrypto: host.nodeCrypto(nodeCrypto), webCryptoEd25519: true });
  return { api, counter };
}

const maze = () => vectors.find((v) => v.name === "x509-svid/edge-bad-signature-candidate-maze.json");

test("a chain of many failing candidate issuers takes runs of the core bounded by its depth, not by its failures", async () => {
  // tests/gen/candidate_maze_vectors.py: 16 certificates all named like the root. Assuming
  // "verifies" in every run took 57 runs; each run after the first assumes "fails", so it tries
  // every remaining candidate at once (src/js.rs with_crypto).
  const v = maze();
  const { api, counter } = await countingApi();
  const bundles = api.BundleSet.from(v.input.bundles);
  for (const crypto of ["auto", "webcrypto"]) {
    counter.runs = 0;
    const verifier = api.createVerifier({ bundles, crypto });
    const r = await verdictAsync(() =>
      crypto === "auto" ? Promise.resolve().then(() => verifier.verifyX509Svid(v.input.chain, { now: v.now })) : verifier.verifyX509SvidAsync(v.input.chain, { now: v.now }),
    );
    assert.equal(r.split(" ")[0], "bad-signature", crypto);
    assert.ok(counter.runs <= v.input.chain.length + 1, `${crypto}: ${counter.runs} runs for ${v.input.chain.length} certificates`);
  }
});

test("a verification that fails before any signature check answers no check left by an earlier one", async () => {
  const v = maze();
  const { api, counter } = await countingApi();
  const bundles = api.BundleSet.from(v.input.bundles);
  // An async verification waits on WebCrypto while synchronous ones run.
  const pending = api.createVerifier({ bundles, crypto: "webcrypto" }).verifyX509SvidAsync(v.input.chain, { now: v.now });
  assert.equal(verdict(() => api.verifyX509Svid(v.input.chain, bundles, { now: v.now })).split(" ")[0], "bad-signature");
  counter.runs = 0;
  const bad = counted(() => verdict(() => api.verifyX509Svid(["!!!!"], bundles, { now: v.now })));
  assert.equal(bad.result.split(" ")[0], "malformed");
  assert.deepEqual([counter.runs, bad.delta.verify, bad.delta.createPublicKey], [1, 0, 0]);
  assert.equal((await verdictAsync(() => pending)).split(" ")[0], "bad-signature");
});

test("a BundleSet collected while an async verification waits on WebCrypto stays in the module until it ends", () => {
  // The core's set is freed when the set's state is collected, and its handle reused: were it
  // freed with the BundleSet, the verification's next run would find the set gone or another in
  // its place. Run with --expose-gc in a child process; the verifier and its set are dropped at once.
  const script = `
    const { readFileSync } = await import("node:fs");
    const svidkit = await import("svidkit");
    const v = JSON.parse(readFileSync(${JSON.stringify(new URL("../../../tests/vectors/x509-svid/edge-bad-signature-candidate-maze.json", import.meta.url).pathname)}, "utf8"));
    // Its verdict is taken at once: the verification may end while the loop still runs, and a
    // rejection nothing handled yet would end the process.
    const run = svidkit.createVerifier({ bundles: svidkit.BundleSet.from(v.input.bundles), crypto: "webcrypto" })
      .verifyX509SvidAsync(v.input.chain, { now: v.now })
      .then(() => "ok", (e) => e.code);
    const others = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      globalThis.gc();
      others.push(new svidkit.BundleSet(), new svidkit.BundleSet());
    }
    console.log(await run);
  `;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url),
    encoding: "utf8",
  });
  assert.equal(out.trim(), "bad-signature");
});

test("after a trap in the module (out of memory) every call says so at once; none waits on its state", async () => {
  // A trap can leave the module's state half-updated (src/js.rs holds a lock during each call):
  // the first trap stops all further calls into it. Stood in for by glue whose verify traps.
  const glue = await import("../../dist/svidkit_web.js");
  const { createApi } = await import("../../dist/api.js");
  const wasm = glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL("../../dist/svidkit_bg.wasm", import.meta.url))) });
  const trapping = {
    ...glue,
    verifyX509Svid: () => {
      throw new WebAssembly.RuntimeError("unreachable");
    },
  };
  const api = createApi(trapping, { memory: () => wasm.memory });
  const v = maze();
  const bundles = api.BundleSet.from(v.input.bundles);
  assert.throws(() => api.verifyX509Svid(v.input.chain, bundles, { now: v.now }), WebAssembly.RuntimeError);
  assert.throws(() => api.parseSpiffeId("spiffe://example.org/a"), /trapped earlier/);
  assert.throws(() => new api.BundleSet(), /trapped earlier/);
  assert.throws(() => bundles.trustDomains(), /trapped earlier/);
});
