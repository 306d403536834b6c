// Error paths and input forms of the package API in Node: wrong JS types, oversized inputs,
// non-UTF-8 bytes and lone surrogates, strict (untrimmed) decoding, the other accepted input forms,
// BundleSet behaviour, policies, `now`, and the `svidkit/web` entry. Expected codes come from
// DESIGN.md; the valid inputs are taken from the conformance vectors.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as svidkit from "svidkit";
import { VECTORS_DIR } from "../lib/load-vectors.mjs";

const { BundleSet, SvidError, ERROR_CODES, parseSpiffeId, verifyJwtSvid, verifyX509Svid } = svidkit;

const vector = (name) => JSON.parse(readFileSync(join(VECTORS_DIR, name), "utf8"));
const X509 = vector("x509-svid/ok-leaf-with-intermediate.json");
const JWT = vector("jwt-svid/ok-es256.json");
const BUNDLE = vector("bundle/x509-and-jwt-authorities.json");
const NOW = X509.now;
const TD = "example.org";

const x509Bundles = () => BundleSet.from(X509.input.bundles);
const jwtBundles = () => BundleSet.from(JWT.input.bundles);
const jwtOptions = (extra = {}) => ({ audience: JWT.input.audience, now: JWT.now, ...extra });

// Test-side decoding of known-good base64 (the package itself never decodes base64).
const der = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const pem = (b64s) =>
  b64s.map((b) => `-----BEGIN CERTIFICATE-----\n${b.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`).join("");

/** Asserts `fn` throws a SvidError with `code` (and a message matching `message`, if given). */
function throwsCode(fn, code, message) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected SvidError ${code}, nothing was thrown`);
  assert.ok(thrown instanceof SvidError, `expected SvidError ${code}, got ${thrown && thrown.name}: ${thrown && thrown.message}`);
  assert.ok(thrown instanceof Error);
  assert.equal(thrown.code, code, `code (message: ${thrown.message})`);
  assert.equal(typeof thrown.message, "string");
  assert.ok(thrown.message.length > 0);
  if (message) assert.match(thrown.message, message);
  return thrown;
}

describe("SvidError", () => {
  test("is an Error subclass with a stable code", () => {
    const e = new SvidError("expired", "the leaf expired");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "SvidError");
    assert.equal(e.code, "expired");
    assert.equal(e.message, "the leaf expired");
    assert.match(String(e), /^SvidError: the leaf expired$/);
  });
  test("ERROR_CODES lists the 13 codes of DESIGN.md", () => {
    assert.deepEqual([...ERROR_CODES].sort(), [
      "audience-mismatch", "bad-signature", "expired", "invalid-bundle", "invalid-spiffe-id",
      "invalid-svid", "malformed", "no-bundle", "not-yet-valid", "revoked", "unauthorized",
      "unsupported-algorithm", "untrusted",
    ]);
  });
  test("a verification failure from the core is a SvidError", () => {
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: "other" })), "audience-mismatch");
  });
  test("an empty audience list admits no token: audience-mismatch, as the core gives it on every surface", () => {
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: [] })), "audience-mismatch", /no expected audience/);
  });
});

describe("wrong JS types are `malformed`, saying what was expected", () => {
  const set = () => x509Bundles();
  const cases = [
    ["parseSpiffeId(undefined)", () => parseSpiffeId(undefined), /expected a string/],
    ["parseSpiffeId(42)", () => parseSpiffeId(42), /expected a string, got a number/],
    ["parseSpiffeId(bytes)", () => parseSpiffeId(new TextEncoder().encode("spiffe://a/b")), /expected a string/],
    ["BundleSet.from(null)", () => BundleSet.from(null), /expected an object/],
    ["BundleSet.from(array)", () => BundleSet.from([["example.org", "{}"]]), /expected an object/],
    ["BundleSet.from({td: 42})", () => BundleSet.from({ "example.org": 42 }), /expected a JSON string, Uint8Array or plain object/],
    ["add(42, doc)", () => new BundleSet().add(42, BUNDLE.input.document), /trust domain: expected a string/],
    ["add(td, undefined)", () => new BundleSet().add(TD), /expected a JSON string/],
    ["add(td, null)", () => new BundleSet().add(TD, null), /got null/],
    ["add(td, array)", () => new BundleSet().add(TD, [{ keys: [] }]), /got an array/],
    ["add(td, Map)", () => new BundleSet().add(TD, new Map([["keys", []]])), /got a Map/],
    ["add(td, BigInt member)", () => new BundleSet().add(TD, { keys: [], spiffe_sequence: 1n }), /JSON/],
    ["addPem(td, object)", () => new BundleSet().addPem(TD, {}), /expected a string or Uint8Array/],
    ["addJwks(td, 42)", () => new BundleSet().addJwks(TD, 42), /expected a JSON string/],
    ["get(42)", () => new BundleSet().get(42), /expected a string/],
    ["verifyX509Svid(42, …)", () => verifyX509Svid(42, set(), { now: NOW }), /chain: expected a PEM string/],
    ["verifyX509Svid([42], …)", () => verifyX509Svid([42], set(), { now: NOW }), /chain\[0\]: expected a base64 string or a Uint8Array/],
    ["verifyX509Svid(ArrayBuffer)", () => verifyX509Svid(new ArrayBuffer(4), set(), { now: NOW }), /got an ArrayBuffer/],
    ["verifyX509Svid(chain, {})", () => verifyX509Svid(X509.input.chain, {}, { now: NOW }), /expected a BundleSet/],
    ["verifyX509Svid(chain, bundle doc)", () => verifyX509Svid(X509.input.chain, X509.input.bundles, { now: NOW }), /expected a BundleSet/],
    ["verifyX509Svid(chain, set, 'x')", () => verifyX509Svid(X509.input.chain, set(), "x"), /options object/],
    ["now: string", () => verifyX509Svid(X509.input.chain, set(), { now: String(NOW) }), /options.now: expected a Date or Unix seconds/],
    ["now: NaN", () => verifyX509Svid(X509.input.chain, set(), { now: NaN }), /options.now/],
    ["now: -1", () => verifyX509Svid(X509.input.chain, set(), { now: -1 }), /options.now/],
    ["now: 1.5", () => verifyX509Svid(X509.input.chain, set(), { now: NOW + 0.5 }), /options.now/],
    ["now: 2^53", () => verifyX509Svid(X509.input.chain, set(), { now: 2 ** 53 }), /options.now/],
    ["now: BigInt", () => verifyX509Svid(X509.input.chain, set(), { now: BigInt(NOW) }), /options.now/],
    ["now: invalid Date", () => verifyX509Svid(X509.input.chain, set(), { now: new Date(NaN) }), /options.now/],
    ["skew: string", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, skew: "5" }), /options.skew/],
    ["skew: -5", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, skew: -5 }), /options.skew/],
    ["policy: string", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, policy: "spiffe://example.org/*" }), /options.policy/],
    ["policy.allow: string", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, policy: { allow: "spiffe://example.org/*" } }), /options.policy.allow: expected an array/],
    ["policy.allow: [42]", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, policy: { allow: [42] } }), /options.policy.allow\[0\]/],
    ["options: unknown member (x509)", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, polciy: { allow: [] } }), /unknown option polciy/],
    ["options: audience is not an X.509 option", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, audience: "x" }), /unknown option audience/],
    ["options: unknown member (jwt)", () => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ skwe: 5 })), /unknown option skwe/],
    ["policy: unknown member", () => verifyX509Svid(X509.input.chain, set(), { now: NOW, policy: { alow: [] } }), /unknown member/],
    ["verifyJwtSvid(42, …)", () => verifyJwtSvid(42, jwtBundles(), jwtOptions()), /token: expected a string or Uint8Array/],
    ["verifyJwtSvid(token, null, …)", () => verifyJwtSvid(JWT.input.token, null, jwtOptions()), /expected a BundleSet/],
    ["verifyJwtSvid without options", () => verifyJwtSvid(JWT.input.token, jwtBundles()), /audience/],
    ["verifyJwtSvid without audience", () => verifyJwtSvid(JWT.input.token, jwtBundles(), { now: JWT.now }), /options.audience/],
    ["audience: 42", () => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: 42 })), /options.audience/],
    ["audience: [42]", () => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: [42] })), /options.audience\[0\]/],
  ];
  for (const [name, fn, message] of cases) test(name, () => throwsCode(fn, "malformed", message));

  test("a BundleSet method called on another object", () => {
    throwsCode(() => BundleSet.prototype.get.call({}, TD), "malformed", /expected a BundleSet/);
    throwsCode(() => BundleSet.prototype.add.call(Object.create(BundleSet.prototype), TD, "{}"), "malformed", /expected a BundleSet/);
  });
});

describe("oversized inputs are `malformed`", () => {
  const LIMIT_TOKEN = 16 * 1024;
  const LIMIT_BUNDLE = 1024 * 1024;
  test("token over 16 KiB (string)", () => {
    throwsCode(() => verifyJwtSvid("a".repeat(LIMIT_TOKEN + 1), jwtBundles(), jwtOptions()), "malformed");
  });
  test("token over 16 KiB in UTF-8 bytes though under 16 Ki characters", () => {
    throwsCode(() => verifyJwtSvid("é".repeat(LIMIT_TOKEN / 2 + 1), jwtBundles(), jwtOptions()), "malformed", /over the limit/);
  });
  test("token over 16 KiB (Uint8Array)", () => {
    throwsCode(() => verifyJwtSvid(new Uint8Array(LIMIT_TOKEN + 1).fill(0x61), jwtBundles(), jwtOptions()), "malformed");
  });
  test("a huge token is refused before it reaches wasm memory", () => {
    const before = process.memoryUsage().arrayBuffers;
    throwsCode(() => verifyJwtSvid("a".repeat(64 * 1024 * 1024), jwtBundles(), jwtOptions()), "malformed", /over the limit/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024);
  });
  test("chain of 17 certificates (array)", () => {
    throwsCode(() => verifyX509Svid(Array(17).fill(X509.input.chain[0]), x509Bundles(), { now: NOW }), "malformed");
  });
  test("chain of 17 certificates (concatenated DER)", () => {
    const leaf = der(X509.input.chain[0]);
    throwsCode(() => verifyX509Svid(concat(...Array(17).fill(leaf)), x509Bundles(), { now: NOW }), "malformed");
  });
  test("chain of 17 certificates (PEM)", () => {
    throwsCode(() => verifyX509Svid(pem(Array(17).fill(X509.input.chain[0])), x509Bundles(), { now: NOW }), "malformed");
  });
  test("chain of 16 certificates is not refused for its length", () => {
    // The leaf plus its intermediate repeated: longer than needed, within the limit.
    const chain = [X509.input.chain[0], ...Array(15).fill(X509.input.chain[1])];
    let code = "ok";
    try {
      verifyX509Svid(chain, x509Bundles(), { now: NOW });
    } catch (e) {
      code = e.code;
    }
    assert.notEqual(code, "malformed");
  });
  test("empty chain", () => {
    throwsCode(() => verifyX509Svid([], x509Bundles(), { now: NOW }), "malformed");
  });
  const bigDoc = (size) => {
    const head = '{"keys": [], "padding": "';
    const tail = '"}';
    return head + "x".repeat(size - head.length - tail.length) + tail;
  };
  test("bundle document of exactly 1 MiB is accepted", () => {
    const doc = bigDoc(LIMIT_BUNDLE);
    assert.equal(doc.length, LIMIT_BUNDLE);
    const info = new BundleSet().add(TD, doc).get(TD);
    assert.equal(info.x509Authorities.length, 0);
  });
  test("bundle document over 1 MiB (string)", () => {
    throwsCode(() => new BundleSet().add(TD, bigDoc(LIMIT_BUNDLE + 1)), "malformed");
  });
  test("bundle document over 1 MiB (Uint8Array)", () => {
    throwsCode(() => new BundleSet().add(TD, new TextEncoder().encode(bigDoc(LIMIT_BUNDLE + 1))), "malformed");
  });
  test("bundle document over 1 MiB (parsed object)", () => {
    throwsCode(() => new BundleSet().add(TD, JSON.parse(bigDoc(LIMIT_BUNDLE + 10))), "malformed");
  });
  test("JWK Set over 1 MiB", () => {
    throwsCode(() => new BundleSet().addJwks(TD, bigDoc(LIMIT_BUNDLE + 1)), "malformed");
  });
  test("PEM over 1 MiB", () => {
    throwsCode(() => new BundleSet().addPem(TD, pem([X509.input.chain[1]]) + "#".repeat(LIMIT_BUNDLE)), "malformed");
  });
  test("SPIFFE ID over 2048 bytes is `invalid-spiffe-id`", () => {
    throwsCode(() => parseSpiffeId(`spiffe://example.org/${"a".repeat(2048)}`), "invalid-spiffe-id");
  });
  test("SPIFFE ID of 2048 bytes is accepted", () => {
    const id = `spiffe://example.org/${"a".repeat(2048 - "spiffe://example.org/".length)}`;
    assert.equal(id.length, 2048);
    assert.equal(parseSpiffeId(id).trustDomain, "example.org");
  });
});

describe("bytes that are not UTF-8, strings that are not Unicode: `malformed`", () => {
  const bad = new Uint8Array([0x65, 0x79, 0xff, 0xfe, 0x2e]);
  test("token bytes", () => throwsCode(() => verifyJwtSvid(bad, jwtBundles(), jwtOptions()), "malformed", /UTF-8/));
  test("bundle document bytes", () => {
    const doc = new TextEncoder().encode(BUNDLE.input.document);
    const broken = concat(doc.subarray(0, 20), new Uint8Array([0xc3, 0x28]), doc.subarray(20));
    throwsCode(() => new BundleSet().add(TD, broken), "malformed");
  });
  test("JWK Set bytes", () => throwsCode(() => new BundleSet().addJwks(TD, new Uint8Array([0x7b, 0x80, 0x7d])), "malformed"));
  test("PEM bytes", () => throwsCode(() => new BundleSet().addPem(TD, new Uint8Array([0x2d, 0xff, 0x2d])), "malformed", /UTF-8/));
  test("PEM chain with a lone surrogate", () => {
    throwsCode(() => verifyX509Svid(pem([X509.input.chain[0]]) + "\uD800", x509Bundles(), { now: NOW }), "malformed", /surrogate/);
  });
  test("SPIFFE ID with a lone surrogate", () => {
    throwsCode(() => parseSpiffeId("spiffe://example.org/a\uDC00"), "malformed", /surrogate/);
  });
  test("token with a lone surrogate", () => {
    throwsCode(() => verifyJwtSvid(JWT.input.token + "\uD83D", jwtBundles(), jwtOptions()), "malformed", /surrogate/);
  });
  test("audience with a lone surrogate", () => {
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: ["\uD800x"] })), "malformed", /surrogate/);
  });
  test("trust domain with a lone surrogate", () => {
    throwsCode(() => new BundleSet().add("example.org\uD800", BUNDLE.input.document), "malformed", /surrogate/);
  });
  test("chain element with a lone surrogate", () => {
    throwsCode(() => verifyX509Svid([X509.input.chain[0] + "\uDFFF"], x509Bundles(), { now: NOW }), "malformed", /surrogate/);
  });
  test("a well-formed astral character is not a lone surrogate", () => {
    throwsCode(() => parseSpiffeId("spiffe://example.org/😀"), "invalid-spiffe-id");
  });
});

describe("nothing is trimmed or repaired", () => {
  const tok = JWT.input.token;
  for (const [name, token] of [
    ["trailing newline", `${tok}\n`],
    ["leading space", ` ${tok}`],
    ["Bearer prefix left on", `Bearer ${tok}`],
    ["padding on the signature", `${tok}=`],
  ]) {
    test(`token: ${name}`, () => throwsCode(() => verifyJwtSvid(token, jwtBundles(), jwtOptions()), "malformed"));
  }
  const b64 = X509.input.chain[0];
  for (const [name, element] of [
    ["trailing newline", `${b64}\n`],
    ["leading space", ` ${b64}`],
    ["line-wrapped", b64.match(/.{1,64}/g).join("\n")],
    ["url-safe alphabet", b64.replace(/\+/g, "-").replace(/\//g, "_")],
    ["padding removed", b64.replace(/=+$/, "")],
    ["PEM inside the base64", pem([b64])],
  ]) {
    test(`chain element: ${name}`, () => {
      assert.notEqual(element, b64);
      throwsCode(() => verifyX509Svid([element, X509.input.chain[1]], x509Bundles(), { now: NOW }), "malformed");
    });
  }
  test("chain element with trailing bytes after the DER certificate", () => {
    throwsCode(() => verifyX509Svid([concat(der(b64), new Uint8Array([0])), X509.input.chain[1]], x509Bundles(), { now: NOW }), "malformed");
  });
  test("SPIFFE ID with a trailing space", () => throwsCode(() => parseSpiffeId("spiffe://example.org/a "), "invalid-spiffe-id"));
  test("SPIFFE ID in upper case", () => throwsCode(() => parseSpiffeId("SPIFFE://example.org/a"), "invalid-spiffe-id"));
  test("audience is matched exactly", () => {
    throwsCode(() => verifyJwtSvid(tok, jwtBundles(), jwtOptions({ audience: `${JWT.input.audience[0]} ` })), "audience-mismatch");
  });
});

describe("every accepted input form gives the vector's verdict", () => {
  const want = X509.expect;
  const check = (result) => {
    assert.equal(result.spiffeId, want.spiffe_id);
    assert.equal(result.expiresAt, want.expires_at);
  };
  test("chain as base64 strings", () => check(verifyX509Svid(X509.input.chain, x509Bundles(), { now: NOW })));
  test("chain as DER Uint8Arrays", () => check(verifyX509Svid(X509.input.chain.map(der), x509Bundles(), { now: NOW })));
  test("chain mixing DER and base64", () => check(verifyX509Svid([der(X509.input.chain[0]), X509.input.chain[1]], x509Bundles(), { now: NOW })));
  test("chain as concatenated DER (Workload API form)", () => check(verifyX509Svid(concat(...X509.input.chain.map(der)), x509Bundles(), { now: NOW })));
  test("chain as PEM", () => check(verifyX509Svid(pem(X509.input.chain), x509Bundles(), { now: NOW })));
  test("a Node Buffer is a Uint8Array", () => check(verifyX509Svid(Buffer.from(concat(...X509.input.chain.map(der))), x509Bundles(), { now: NOW })));
  test("now as a Date", () => check(verifyX509Svid(X509.input.chain, x509Bundles(), { now: new Date(NOW * 1000 + 999) })));
  test("bundle as a parsed object", () => {
    const set = new BundleSet().add(TD, JSON.parse(X509.input.bundles[TD]));
    check(verifyX509Svid(X509.input.chain, set, { now: NOW }));
  });
  test("bundle as UTF-8 bytes", () => {
    const set = new BundleSet().add(TD, new TextEncoder().encode(X509.input.bundles[TD]));
    check(verifyX509Svid(X509.input.chain, set, { now: NOW }));
  });
  test("BundleSet.from a Map", () => check(verifyX509Svid(X509.input.chain, BundleSet.from(new Map(Object.entries(X509.input.bundles))), { now: NOW })));
  test("token as UTF-8 bytes, audience as a string", () => {
    const r = verifyJwtSvid(new TextEncoder().encode(JWT.input.token), jwtBundles(), jwtOptions({ audience: JWT.input.audience[0] }));
    assert.equal(r.spiffeId, JWT.expect.spiffe_id);
    assert.equal(r.expiresAt, JWT.expect.expires_at);
  });
  test("audience: any of several", () => {
    const r = verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ audience: ["other", ...JWT.input.audience] }));
    assert.equal(r.spiffeId, JWT.expect.spiffe_id);
  });
});

describe("results", () => {
  test("X.509-SVID result fields", () => {
    const r = verifyX509Svid(X509.input.chain, x509Bundles(), { now: NOW });
    assert.equal(r.spiffeId, X509.expect.spiffe_id);
    assert.equal(`spiffe://${r.trustDomain}${r.path}`, X509.expect.spiffe_id);
    assert.ok(Array.isArray(r.chain) && r.chain.length >= 2);
    assert.equal(r.chain[0].notAfter, X509.expect.expires_at);
    for (const c of r.chain) {
      for (const k of ["subject", "issuer", "keyAlgorithm", "serial"]) assert.equal(typeof c[k], "string", k);
      for (const k of ["notBefore", "notAfter"]) assert.ok(Number.isSafeInteger(c[k]), k);
    }
    assert.equal(r.chain[0].spiffeId, X509.expect.spiffe_id);
  });
  test("JWT-SVID result fields", () => {
    const r = verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions());
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(JWT.input.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
    assert.equal(r.spiffeId, claims.sub);
    assert.equal(r.expiresAt, claims.exp);
    assert.equal(r.issuedAt, claims.iat);
    assert.deepEqual(r.audience, claims.aud);
    assert.deepEqual(r.claims, claims);
    assert.equal(r.algorithm, "ES256");
  });
  test("bundle info", () => {
    const info = new BundleSet().add(TD, BUNDLE.input.document).get(TD);
    assert.equal(info.trustDomain, TD);
    assert.equal(info.x509Authorities.length, BUNDLE.expect.x509_authorities);
    assert.equal(info.jwtAuthorities.length, BUNDLE.expect.jwt_authorities);
    assert.equal(info.refreshHint, BUNDLE.expect.refresh_hint);
    assert.equal(info.sequence, BUNDLE.expect.sequence);
    const doc = JSON.parse(BUNDLE.input.document);
    const jwk = doc.keys.find((k) => k.use === "jwt-svid");
    assert.equal(info.jwtAuthorities[0].kid, jwk.kid);
    assert.equal(info.jwtAuthorities[0].kty, jwk.kty);
    assert.equal(typeof info.x509Authorities[0].subject, "string");
  });
  test("spiffe_sequence beyond 2^53 is a number, rounded", () => {
    const info = new BundleSet().add(TD, '{"spiffe_sequence": 18446744073709551615, "keys": []}').get(TD);
    assert.equal(typeof info.sequence, "number");
    assert.equal(info.sequence, 18446744073709551615);
    const exact = new BundleSet().add(TD, '{"spiffe_sequence": 9007199254740991, "keys": []}').get(TD);
    assert.equal(exact.sequence, Number.MAX_SAFE_INTEGER);
  });
});

describe("BundleSet", () => {
  test("get of an unknown trust domain is undefined", () => {
    assert.equal(new BundleSet().get(TD), undefined);
    // Names no set can hold are not in this one either (the Rust API and the component say None).
    assert.equal(new BundleSet().get("Example.org"), undefined);
    assert.equal(new BundleSet().get("a".repeat(300)), undefined);
  });
  test("trustDomains lists what was added", () => {
    const set = new BundleSet().add("b.example", '{"keys": []}').add("a.example", '{"keys": []}');
    assert.deepEqual([...set.trustDomains()].sort(), ["a.example", "b.example"]);
  });
  test("add replaces the trust domain's bundle", () => {
    const set = new BundleSet().add(TD, BUNDLE.input.document).add(TD, '{"keys": []}');
    assert.equal(set.get(TD).x509Authorities.length, 0);
    assert.equal(set.get(TD).sequence, null);
  });
  test("a failed add leaves the set as it was", () => {
    const set = new BundleSet().add(TD, BUNDLE.input.document);
    throwsCode(() => set.add(TD, '{"keys": 5}'), "invalid-bundle");
    assert.equal(set.get(TD).x509Authorities.length, BUNDLE.expect.x509_authorities);
  });
  test("an invalid trust domain name is `invalid-spiffe-id`", () => {
    throwsCode(() => new BundleSet().add("Example.org", '{"keys": []}'), "invalid-spiffe-id");
    throwsCode(() => new BundleSet().add("spiffe://example.org", '{"keys": []}'), "invalid-spiffe-id");
    throwsCode(() => new BundleSet().add("x".repeat(256), '{"keys": []}'), "invalid-spiffe-id");
  });
  test("addPem adds X.509 authorities that verify", () => {
    const doc = JSON.parse(X509.input.bundles[TD]);
    const roots = doc.keys.filter((k) => k.use === "x509-svid").map((k) => k.x5c[0]);
    const set = new BundleSet().addPem(TD, pem(roots));
    assert.equal(set.get(TD).x509Authorities.length, roots.length);
    assert.equal(verifyX509Svid(X509.input.chain, set, { now: NOW }).spiffeId, X509.expect.spiffe_id);
  });
  test("addJwks adds JWT authorities without `use`", () => {
    const doc = JSON.parse(JWT.input.bundles[TD]);
    const keys = doc.keys.filter((k) => k.use === "jwt-svid").map(({ use, ...k }) => k);
    const set = new BundleSet().addJwks(TD, { keys });
    assert.equal(set.get(TD).jwtAuthorities.length, keys.length);
    assert.equal(verifyJwtSvid(JWT.input.token, set, jwtOptions()).spiffeId, JWT.expect.spiffe_id);
  });
});

describe("policy", () => {
  const run = (policy) => verifyX509Svid(X509.input.chain, x509Bundles(), { now: NOW, policy });
  test("allow admits a matching ID", () => assert.equal(run({ allow: ["spiffe://example.org/ns/payments/*"] }).spiffeId, X509.expect.spiffe_id));
  test("allow refuses others: `unauthorized`", () => throwsCode(() => run({ allow: ["spiffe://example.org/ns/billing/*"] }), "unauthorized"));
  test("deny wins: `revoked`", () => throwsCode(() => run({ allow: ["spiffe://example.org/*"], deny: [X509.expect.spiffe_id] }), "revoked"));
  test("denySerials: `revoked`", () => {
    const serial = run(undefined).chain[0].serial;
    throwsCode(() => run({ denySerials: [serial] }), "revoked");
  });
  test("JWT: allow and deny", () => {
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ policy: { allow: ["spiffe://other.org/*"] } })), "unauthorized");
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ policy: { deny: ["spiffe://example.org/*"] } })), "revoked");
  });
  test("an invalid pattern is a SvidError", () => {
    assert.throws(() => run({ allow: ["https://example.org/*"] }), SvidError);
  });
});

describe("time", () => {
  test("`now` defaults to the current time", () => {
    // The vector's token expired on 2026-01-01; any clock after that gives `expired`.
    assert.ok(Date.now() / 1000 > JWT.expect.expires_at, "this test assumes a clock after the vector's exp");
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), { audience: JWT.input.audience }), "expired");
  });
  test("`exp` is exclusive, skew widens it", () => {
    const exp = JWT.expect.expires_at;
    throwsCode(() => verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ now: exp })), "expired");
    assert.equal(verifyJwtSvid(JWT.input.token, jwtBundles(), jwtOptions({ now: exp, skew: 1 })).expiresAt, exp);
  });
  test("notAfter is inclusive for certificates", () => {
    const end = X509.expect.expires_at;
    assert.equal(verifyX509Svid(X509.input.chain, x509Bundles(), { now: end }).expiresAt, end);
    throwsCode(() => verifyX509Svid(X509.input.chain, x509Bundles(), { now: end + 1 }), "expired");
    assert.equal(verifyX509Svid(X509.input.chain, x509Bundles(), { now: end + 60, skew: 60 }).expiresAt, end);
  });
});

describe("svidkit/web", () => {
  test("the API throws until init, then works", async () => {
    const web = await import("svidkit/web");
    assert.throws(() => web.parseSpiffeId("spiffe://example.org/a"), /call init\(\) or initSync\(\)/);
    const bytes = readFileSync(new URL(import.meta.resolve("svidkit/svidkit_bg.wasm")));
    web.initSync({ module: bytes });
    assert.deepEqual(web.parseSpiffeId("spiffe://example.org/a"), { trustDomain: "example.org", path: "/a" });
    // One SvidError class for every entry point.
    assert.equal(web.SvidError, SvidError);
    assert.throws(() => web.parseSpiffeId("spiffe://Example.org/a"), (e) => e instanceof SvidError && e.code === "invalid-spiffe-id");
  });
});
