// The verified-result cache of createVerifier({ cache }): a repeat answers without verifying again,
// time is still checked against `now`, it is bounded, a bundle change invalidates it, failures are
// not kept, and answers are copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { VECTORS_DIR } from "../lib/load-vectors.mjs";
import { NOW, SPIFFE_ID, TRUST_DOMAIN, bundleOf, makeKey, signJwt } from "../lib/jwt-fixtures.mjs";

// Count node:crypto signature checks (patched before svidkit imports node:crypto).
const require = createRequire(import.meta.url);
const nodeCrypto = require("node:crypto");
let checks = 0;
const realVerify = nodeCrypto.verify;
nodeCrypto.verify = function (...args) {
  checks++;
  return realVerify.apply(this, args);
};
syncBuiltinESMExports();
const svidkit = await import("svidkit");
const { BundleSet, SvidError, createVerifier } = svidkit;

const key = makeKey("ES256");
const bundleDoc = bundleOf([key]);
const code = (fn) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    assert.ok(e instanceof SvidError, `${e}`);
    return e.code;
  }
};

function setup(maxEntries = 10) {
  const bundles = BundleSet.from({ [TRUST_DOMAIN]: bundleDoc });
  const v = createVerifier({ bundles, cache: { maxEntries } });
  return { bundles, v };
}

function counting(fn) {
  const before = checks;
  const result = fn();
  return { result, checks: checks - before };
}

test("a repeat answers from the cache, without a signature check, with an equal result", () => {
  const { v } = setup();
  const t = signJwt(key, { nbf: NOW - 10 });
  const first = counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW }));
  assert.equal(first.checks, 1);
  assert.equal(first.result.spiffeId, SPIFFE_ID);
  const second = counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW + 5 }));
  assert.equal(second.checks, 0, "no signature check on a hit");
  assert.deepEqual(second.result, first.result);
  // The same token as UTF-8 bytes (what the core sees either way), and the async variant, share the entry.
  const bytes = new TextEncoder().encode(t);
  assert.equal(counting(() => v.verifyJwtSvid(bytes, { audience: "api", now: NOW })).checks, 0);
  assert.deepEqual(v.cacheStats(), { hits: 2, misses: 1, entries: 1, maxEntries: 10 });
  // Bytes that are not UTF-8 are never cached (the core says malformed).
  const invalid = Uint8Array.of(...bytes.slice(0, 10), 0xff);
  assert.equal(code(() => v.verifyJwtSvid(invalid, { audience: "api", now: NOW })), "malformed");
  return v.verifyJwtSvidAsync(t, { audience: "api", now: NOW }).then((r) => {
    assert.deepEqual(r, first.result);
    assert.equal(v.cacheStats().hits, 3);
  });
});

test("audience and policy are part of the key; a cached answer still gets the policy's verdict", () => {
  const { v } = setup();
  const t = signJwt(key, { aud: ["api", "web"] });
  v.verifyJwtSvid(t, { audience: "api", now: NOW });
  assert.equal(counting(() => v.verifyJwtSvid(t, { audience: "web", now: NOW })).checks, 1, "other audience: verified");
  assert.equal(code(() => v.verifyJwtSvid(t, { audience: "admin", now: NOW })), "audience-mismatch");
  assert.equal(code(() => v.verifyJwtSvid(t, { audience: "api", now: NOW, policy: { deny: [SPIFFE_ID] } })), "revoked");
  assert.equal(code(() => v.verifyJwtSvid(t, { audience: "api", now: NOW, policy: { allow: ["spiffe://other.org/*"] } })), "unauthorized");
  const policy = { allow: [`spiffe://${TRUST_DOMAIN}/ns/prod/*`] };
  v.verifyJwtSvid(t, { audience: "api", now: NOW, policy });
  assert.equal(counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW, policy: { ...policy } })).checks, 0, "equal policy: hit");
  // The answers of up to 4 audience/policy combinations are kept per token; a 5th drops the oldest.
  const variants = [["api"], ["web"], ["api", "web"], ["web", "api"], "api"];
  for (const audience of variants) v.verifyJwtSvid(t, { audience, now: NOW });
  for (const audience of variants.slice(1)) {
    assert.equal(counting(() => v.verifyJwtSvid(t, { audience, now: NOW })).checks, 0, JSON.stringify(audience));
  }
  assert.equal(counting(() => v.verifyJwtSvid(t, { audience: ["api"], now: NOW })).checks, 1, "the oldest variant went");
  // Options are still checked on a hit.
  assert.equal(code(() => v.verifyJwtSvid(t, { audience: "api", now: NOW, polciy: {} })), "malformed");
});

test("expiry and nbf are checked against now on every hit, widened by skew", () => {
  const { v } = setup();
  const t = signJwt(key, { nbf: NOW - 100, exp: NOW + 300 });
  v.verifyJwtSvid(t, { audience: "api", now: NOW });
  const at = (now, skew = 0) => code(() => v.verifyJwtSvid(t, { audience: "api", now, skew }));
  assert.equal(at(NOW + 299), "ok");
  assert.equal(at(NOW + 300), "expired", "exp is exclusive");
  assert.equal(at(NOW + 330, 31), "ok");
  assert.equal(at(NOW + 331, 31), "expired");
  assert.equal(at(NOW - 100), "ok");
  assert.equal(at(NOW - 101), "not-yet-valid");
  assert.equal(at(NOW - 110, 10), "ok");
  assert.equal(at(new Date((NOW + 400) * 1000)), "expired");
  const { hits, misses } = v.cacheStats();
  assert.deepEqual({ hits, misses }, { hits: 4, misses: 5 }, "only in-window calls hit");
});

test("X.509: a repeated chain hits; the window is every certificate of the verified path", () => {
  const vector = JSON.parse(readFileSync(join(VECTORS_DIR, "x509-svid", "ok-leaf-with-intermediate.json"), "utf8"));
  const v = createVerifier({ bundles: BundleSet.from(vector.input.bundles), cache: {} });
  const first = v.verifyX509Svid(vector.input.chain, { now: vector.now });
  const hit = counting(() => v.verifyX509Svid(vector.input.chain, { now: vector.now + 60 }));
  assert.equal(hit.checks, 0);
  assert.deepEqual(hit.result, first);
  const notAfter = Math.min(...first.chain.map((c) => c.notAfter));
  const notBefore = Math.max(...first.chain.map((c) => c.notBefore));
  assert.equal(code(() => v.verifyX509Svid(vector.input.chain, { now: notAfter })), "ok", "notAfter is inclusive");
  assert.equal(code(() => v.verifyX509Svid(vector.input.chain, { now: notAfter + 1 })), "expired");
  assert.equal(code(() => v.verifyX509Svid(vector.input.chain, { now: notBefore - 1 })), "not-yet-valid");
  assert.equal(v.cacheStats().hits, 2);

  // An intermediate that expires before the leaf bounds the window.
  const expired = JSON.parse(readFileSync(join(VECTORS_DIR, "x509-svid", "expired-intermediate.json"), "utf8"));
  const v2 = createVerifier({ bundles: BundleSet.from(expired.input.bundles), cache: {} });
  const earlier = v2.verifyX509Svid(expired.input.chain, { now: expired.now - 1200 });
  const intermediateNotAfter = earlier.chain[1].notAfter;
  assert.ok(intermediateNotAfter < earlier.chain[0].notAfter, "the intermediate expires first");
  assert.equal(code(() => v2.verifyX509Svid(expired.input.chain, { now: intermediateNotAfter })), "ok");
  assert.equal(code(() => v2.verifyX509Svid(expired.input.chain, { now: intermediateNotAfter + 1 })), "expired");
  assert.equal(code(() => v2.verifyX509Svid(expired.input.chain, { now: expired.now })), "expired");
  assert.equal(code(() => v2.verifyX509Svid(expired.input.chain, { now: expired.now, skew: 60 })), "ok");
  assert.equal(v2.cacheStats().hits, 2);
});

test("X.509: every chain form is keyed by its kind and its whole content", async () => {
  const vector = JSON.parse(readFileSync(join(VECTORS_DIR, "x509-svid", "ok-leaf-with-intermediate.json"), "utf8"));
  const b64 = vector.input.chain;
  assert.ok(Array.isArray(b64) && b64.every((c) => typeof c === "string"), "the vector's chain is base64 strings");
  const der = b64.map((c) => new Uint8Array(Buffer.from(c, "base64")));
  const pem = b64.map((c) => `-----BEGIN CERTIFICATE-----\n${c.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`).join("");
  const joined = new Uint8Array(Buffer.concat(der));
  const v = createVerifier({ bundles: BundleSet.from(vector.input.bundles), cache: {} });
  const options = { now: vector.now };
  for (const form of [b64, pem, der, joined]) {
    const first = counting(() => v.verifyX509Svid(form, options));
    assert.ok(first.checks > 0, "a new form is verified");
    const again = counting(() => v.verifyX509Svid(form, options));
    assert.equal(again.checks, 0, "and then answered from the cache");
    assert.deepEqual(again.result, first.result);
  }
  // The same text as another kind of input is another input: base64 text given as DER bytes, or as a PEM string.
  const asDer = b64.map((c) => new TextEncoder().encode(c));
  assert.equal(code(() => v.verifyX509Svid(asDer, options)), "malformed");
  assert.equal(code(() => v.verifyX509Svid(b64.join(""), options)), "malformed");
  // One byte changed anywhere (the key samples the bytes; a hit compares them all).
  for (const at of [1, 100, Math.floor(der[0].length / 2), der[0].length - 1]) {
    const changed = der.map((c) => c.slice());
    changed[0][at] ^= 0x01;
    assert.notEqual(code(() => v.verifyX509Svid(changed, options)), "ok", `byte ${at} of the leaf changed`);
  }
  // A Uint8Array changed while an async verify waits: what is kept is what was verified.
  const fresh = createVerifier({ bundles: BundleSet.from(vector.input.bundles), cache: {}, crypto: "webcrypto" });
  const mine = der.map((c) => c.slice());
  const pending = fresh.verifyX509SvidAsync(mine, options);
  mine[0][Math.floor(mine[0].length / 2)] ^= 0x01;
  assert.equal((await pending).spiffeId, vector.expect.spiffe_id);
  assert.notEqual(code(() => fresh.verifyX509Svid(mine, options)), "ok", "the changed bytes are not the cached input");
  assert.equal(code(() => fresh.verifyX509Svid(der, options)), "ok");
  assert.equal(fresh.cacheStats().hits, 1, "the unchanged chain hits");
});

test("bounded: at most maxEntries tokens, one not used since it was last passed over dropped first", () => {
  const { v } = setup(2);
  const tokens = [1, 2, 3].map((i) => signJwt(key, { jti: `t${i}` }));
  const verify = (t) => counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW })).checks;
  verify(tokens[0]);
  verify(tokens[1]);
  assert.equal(verify(tokens[0]), 0, "t1 hit: now the most recently used");
  verify(tokens[2]); // evicts t2
  assert.equal(v.cacheStats().entries, 2);
  assert.equal(verify(tokens[0]), 0);
  assert.equal(verify(tokens[2]), 0);
  assert.equal(verify(tokens[1]), 1, "t2 was evicted");
  for (let i = 0; i < 50; i++) verify(signJwt(key, { jti: `many${i}` }));
  assert.equal(v.cacheStats().entries, 2);
});

test("a change of the BundleSet invalidates every cached answer", () => {
  const { bundles, v } = setup();
  const t = signJwt(key);
  v.verifyJwtSvid(t, { audience: "api", now: NOW });
  assert.equal(counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW })).checks, 0);
  // The key is rotated out: the cached answer must not survive.
  bundles.add(TRUST_DOMAIN, bundleOf([makeKey("ES256", "rotated")]));
  assert.equal(code(() => v.verifyJwtSvid(t, { audience: "api", now: NOW })), "untrusted");
  assert.equal(v.cacheStats().entries, 0);
  // Any change counts, even of another trust domain.
  bundles.add(TRUST_DOMAIN, bundleDoc);
  v.verifyJwtSvid(t, { audience: "api", now: NOW });
  bundles.addJwks("other.org", { keys: [] });
  assert.equal(counting(() => v.verifyJwtSvid(t, { audience: "api", now: NOW })).checks, 1);
});

test("failures are not cached", () => {
  const { v } = setup();
  const t = signJwt(key);
  const bad = `${t.slice(0, -4)}AAAA`;
  assert.equal(code(() => v.verifyJwtSvid(bad, { audience: "api", now: NOW })), "bad-signature");
  assert.equal(counting(() => code(() => v.verifyJwtSvid(bad, { audience: "api", now: NOW }))).checks, 1);
  assert.equal(v.cacheStats().entries, 0);
});

test("answers are copies: changing one changes no other", () => {
  const { v } = setup();
  const t = signJwt(key, { extra: { nested: [1, 2] } });
  const a = v.verifyJwtSvid(t, { audience: "api", now: NOW });
  a.claims.extra.nested.push(3);
  a.audience.length = 0;
  const b = v.verifyJwtSvid(t, { audience: "api", now: NOW });
  assert.deepEqual(b.claims.extra.nested, [1, 2]);
  assert.deepEqual(b.audience, ["api"]);
  b.spiffeId = "changed";
  assert.equal(v.verifyJwtSvid(t, { audience: "api", now: NOW }).spiffeId, SPIFFE_ID);
});

test("the cache option is checked; a verifier without one has no stats", () => {
  const bundles = new BundleSet();
  for (const cache of [{ maxEntries: 0 }, { maxEntries: 1.5 }, { maxEntries: "10" }, { size: 1 }, 10]) {
    assert.throws(() => createVerifier({ bundles, cache }), (e) => e instanceof SvidError && e.code === "malformed", JSON.stringify(cache));
  }
  assert.equal(createVerifier({ bundles }).cacheStats(), null);
  assert.equal(createVerifier({ bundles, cache: {} }).cacheStats().maxEntries, 1000);
});

test("X.509 hits compare every byte with the JS compare too (svidkit/web: no node:buffer)", async () => {
  const web = await import("svidkit/web");
  web.initSync({ module: readFileSync(new URL(import.meta.resolve("svidkit/svidkit_bg.wasm"))) });
  const vector = JSON.parse(readFileSync(join(VECTORS_DIR, "x509-svid", "ok-leaf-with-intermediate.json"), "utf8"));
  const der = vector.input.chain.map((c) => new Uint8Array(Buffer.from(c, "base64")));
  // Unaligned views too: the JS compare reads words only when both sides are 4-byte aligned.
  const unaligned = der.map((c) => {
    const buf = new Uint8Array(c.length + 1);
    buf.set(c, 1);
    return buf.subarray(1);
  });
  const v = web.createVerifier({ bundles: web.BundleSet.from(vector.input.bundles), cache: {} });
  const options = { now: vector.now };
  assert.equal(v.verifyX509Svid(der, options).spiffeId, vector.expect.spiffe_id);
  assert.equal(v.verifyX509Svid(der, options).spiffeId, vector.expect.spiffe_id);
  assert.equal(v.verifyX509Svid(unaligned, options).spiffeId, vector.expect.spiffe_id);
  assert.equal(v.cacheStats().hits, 2, "the same chain hits, aligned or not");
  for (const c of [0, der.length - 1]) {
    for (const at of [1, 100, Math.floor(der[c].length / 2), der[c].length - 2, der[c].length - 1]) {
      const changed = der.map((d) => d.slice());
      changed[c][at] ^= 0x01;
      const webCode = (() => {
        try {
          v.verifyX509Svid(changed, options);
          return "ok";
        } catch (e) {
          return e.code;
        }
      })();
      assert.notEqual(webCode, "ok", `byte ${at} of certificate ${c} changed`);
    }
  }
  assert.equal(v.cacheStats().hits, 2, "no changed chain hit");
});
