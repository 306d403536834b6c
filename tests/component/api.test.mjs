// The component's operations beyond what the conformance vectors check, through jco in Node:
// bundle-set methods, PEM input, returned records, policies and error records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { svidError } from "./lib/vectors.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const jcoDir = resolve(root, process.env.SVIDKIT_JCO_DIR ?? "build/component/svidkit");
const { types, verifier } = await import(pathToFileURL(join(jcoDir, "svidkit.js")).href);

const vector = (path) => JSON.parse(readFileSync(join(root, "tests/vectors", path), "utf8"));
const pem = (b64) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`;
/** The error code a call fails with. */
const codeOf = (f) => {
  try {
    f();
  } catch (e) {
    return svidError(e).code;
  }
  return "ok";
};
const NO_POLICY = undefined;
const policy = (p) => ({ allow: undefined, deny: [], denySerials: [], denyJti: [], ...p });

const x509 = vector("x509-svid/ok-leaf-with-intermediate.json");
const [[x509Td, x509Doc]] = Object.entries(x509.input.bundles);
const x509Now = BigInt(x509.now);
const jwt = vector("jwt-svid/ok-es256.json");
const [[jwtTd, jwtDoc]] = Object.entries(jwt.input.bundles);

function x509Bundles() {
  const set = new types.BundleSet();
  set.add(x509Td, x509Doc);
  return set;
}

test("parse-spiffe-id returns the whole ID, trust domain and path; errors are {code, message}", () => {
  assert.deepEqual(verifier.parseSpiffeId("spiffe://example.org/ns/a"), {
    id: "spiffe://example.org/ns/a",
    trustDomain: "example.org",
    path: "/ns/a",
  });
  assert.equal(verifier.parseSpiffeId("spiffe://example.org").path, "");
  try {
    verifier.parseSpiffeId("spiffe://Example.org/a");
    assert.fail("no error");
  } catch (e) {
    const err = svidError(e);
    assert.equal(err.code, "invalid-spiffe-id");
    assert.match(err.message, /\S/);
  }
});

test("bundle-set: add reports the bundle, get, trust-domains, remove; a failed add changes nothing", () => {
  const set = new types.BundleSet();
  const info = set.add("example.org", '{"keys": [], "spiffe_sequence": 18446744073709551615, "spiffe_refresh_hint": 60}');
  assert.deepEqual(info, {
    trustDomain: "example.org",
    x509Authorities: [],
    jwtAuthorities: [],
    refreshHint: 60n,
    sequence: 18446744073709551615n, // full 64-bit precision
  });
  set.add("a.test", '{"keys": []}');
  assert.deepEqual(set.trustDomains(), ["a.test", "example.org"]);
  assert.equal(codeOf(() => set.add("example.org", '{"keys": 1}')), "invalid-bundle");
  assert.equal(codeOf(() => set.add("Example.org", '{"keys": []}')), "invalid-spiffe-id");
  assert.equal(set.get("example.org").sequence, 18446744073709551615n);
  assert.equal(set.get("nope.test"), undefined);
  assert.equal(set.remove("a.test"), true);
  assert.equal(set.remove("a.test"), false);
  assert.deepEqual(set.trustDomains(), ["example.org"]);
});

test("bundle-set: X.509 and JWT authorities are described", () => {
  const set = new types.BundleSet();
  const info = set.add(jwtTd, jwtDoc);
  assert.equal(info.x509Authorities.length, 1);
  const ca = info.x509Authorities[0];
  assert.match(ca.subject, /\S/);
  assert.match(ca.serial, /^[0-9a-f]+$/);
  assert.equal(ca.isAuthority, true);
  assert.equal(typeof ca.notAfter, "bigint");
  assert.deepEqual(info.jwtAuthorities, [
    { kid: JSON.parse(jwtDoc).keys.find((k) => k.use === "jwt-svid").kid, alg: undefined, kty: "EC", keyAlgorithm: "EC P-256" },
  ]);
});

test("bundle-set: add-pem and add-jwks build the same trust as a SPIFFE bundle", () => {
  const keys = JSON.parse(x509Doc).keys;
  const set = new types.BundleSet();
  const info = set.addPem(x509Td, keys.filter((k) => k.use === "x509-svid").map((k) => pem(k.x5c[0])).join(""));
  assert.equal(info.x509Authorities.length, keys.filter((k) => k.use === "x509-svid").length);
  const chain = x509.input.chain.map((c) => verifier.decodeBase64Der(c));
  assert.equal(verifier.verifyX509Svid(chain, set, x509Now, 0n, NO_POLICY).spiffeId, x509.expect.spiffe_id);

  // A plain JWK Set (no `use`), as SPIRE's OIDC discovery provider serves it.
  const jwks = { keys: JSON.parse(jwtDoc).keys.filter((k) => k.use === "jwt-svid").map(({ use, ...k }) => k) };
  const jwtSet = new types.BundleSet();
  assert.equal(jwtSet.addJwks(jwtTd, JSON.stringify(jwks)).jwtAuthorities.length, 1);
  const svid = verifier.verifyJwtSvid(jwt.input.token, jwt.input.audience, jwtSet, BigInt(jwt.now), 0n, NO_POLICY);
  assert.equal(svid.spiffeId, jwt.expect.spiffe_id);
  assert.equal(codeOf(() => jwtSet.addJwks(jwtTd, "not json")), "malformed");
});

test("verify-x509-svid: the result describes the verified path, leaf first", () => {
  const chain = x509.input.chain.map((c) => verifier.decodeBase64Der(c));
  const svid = verifier.verifyX509Svid(chain, x509Bundles(), x509Now, 0n, NO_POLICY);
  assert.equal(svid.spiffeId, x509.expect.spiffe_id);
  assert.equal(svid.trustDomain, "example.org");
  assert.equal(svid.path, new URL(x509.expect.spiffe_id.replace("spiffe:", "http:")).pathname);
  assert.equal(svid.expiresAt, BigInt(x509.expect.expires_at));
  assert.equal(svid.chain.length, 3);
  assert.equal(svid.chain[0].spiffeId, x509.expect.spiffe_id);
  assert.equal(svid.chain[0].notAfter, svid.expiresAt);
  assert.deepEqual(svid.chain.map((c) => c.isAuthority), [false, false, true]);
  assert.equal(svid.chain[0].issuer, svid.chain[1].subject);
  assert.equal(svid.chain[1].issuer, svid.chain[2].subject);
});

test("verify-x509-svid-pem and decode-pem-chain accept the chain as PEM", () => {
  const text = x509.input.chain.map(pem).join("");
  const ders = verifier.decodePemChain(text);
  assert.deepEqual(ders, x509.input.chain.map((c) => verifier.decodeBase64Der(c)));
  assert.equal(verifier.verifyX509SvidPem(text, x509Bundles(), x509Now, 0n, NO_POLICY).spiffeId, x509.expect.spiffe_id);
  assert.equal(codeOf(() => verifier.decodePemChain("no PEM here")), "malformed");
  assert.equal(codeOf(() => verifier.verifyX509SvidPem("", x509Bundles(), x509Now, 0n, NO_POLICY)), "malformed");
  // Strict base64: the url-safe alphabet or missing padding is malformed.
  assert.equal(codeOf(() => verifier.decodeBase64Der("-_-_")), "malformed");
  assert.equal(codeOf(() => verifier.decodeBase64Der("QQ")), "malformed");
});

test("skew widens validity: an expired leaf passes with enough skew", () => {
  const chain = x509.input.chain.map((c) => verifier.decodeBase64Der(c));
  const after = BigInt(x509.expect.expires_at) + 10n;
  assert.equal(codeOf(() => verifier.verifyX509Svid(chain, x509Bundles(), after, 0n, NO_POLICY)), "expired");
  assert.equal(verifier.verifyX509Svid(chain, x509Bundles(), after, 10n, NO_POLICY).spiffeId, x509.expect.spiffe_id);
});

test("policy: allow, deny, deny-serials, deny-jti; deny wins; a bad pattern is invalid-spiffe-id", () => {
  const chain = x509.input.chain.map((c) => verifier.decodeBase64Der(c));
  const verify = (p) => codeOf(() => verifier.verifyX509Svid(chain, x509Bundles(), x509Now, 0n, policy(p)));
  const id = x509.expect.spiffe_id;
  assert.equal(verify({}), "ok");
  assert.equal(verify({ allow: [id] }), "ok");
  assert.equal(verify({ allow: ["spiffe://example.org/*"] }), "ok");
  assert.equal(verify({ allow: ["spiffe://example.org/ns/*"] }), "ok");
  assert.equal(verify({ allow: ["spiffe://example.org/other/*"] }), "unauthorized");
  assert.equal(verify({ allow: [] }), "unauthorized");
  assert.equal(verify({ deny: [id] }), "revoked");
  assert.equal(verify({ allow: [id], deny: ["spiffe://example.org/*"] }), "revoked");
  const serial = verifier.verifyX509Svid(chain, x509Bundles(), x509Now, 0n, NO_POLICY).chain[1].serial;
  assert.equal(verify({ denySerials: [serial.toUpperCase()] }), "revoked");
  assert.equal(verify({ allow: ["example.org/*"] }), "invalid-spiffe-id");

  const bundles = new types.BundleSet();
  bundles.add(jwtTd, jwtDoc);
  const verifyJwt = (p) =>
    codeOf(() => verifier.verifyJwtSvid(jwt.input.token, jwt.input.audience, bundles, BigInt(jwt.now), 0n, policy(p)));
  assert.equal(verifyJwt({ allow: [jwt.expect.spiffe_id] }), "ok");
  assert.equal(verifyJwt({ denyJti: ["some-other-jti"] }), "ok");
  assert.equal(verifyJwt({ allow: ["spiffe://other.org/*"] }), "unauthorized");
  assert.equal(verifyJwt({ deny: ["spiffe://example.org/*"] }), "revoked");
});

test("verify-jwt-svid: the result carries the token's claims", () => {
  const bundles = new types.BundleSet();
  bundles.add(jwtTd, jwtDoc);
  const svid = verifier.verifyJwtSvid(jwt.input.token, jwt.input.audience, bundles, BigInt(jwt.now), 0n, NO_POLICY);
  const claims = JSON.parse(Buffer.from(jwt.input.token.split(".")[1], "base64url").toString());
  assert.equal(svid.spiffeId, claims.sub);
  assert.equal(svid.trustDomain, "example.org");
  assert.equal(svid.expiresAt, BigInt(claims.exp));
  assert.equal(svid.issuedAt, BigInt(claims.iat));
  assert.equal(svid.notBefore, undefined);
  assert.deepEqual(svid.audience, claims.aud);
  assert.equal(svid.algorithm, "ES256");
  assert.equal(svid.kid, JSON.parse(Buffer.from(jwt.input.token.split(".")[0], "base64url").toString()).kid);
  assert.deepEqual(JSON.parse(svid.claims), claims);
  // At least one audience must be named.
  assert.equal(
    codeOf(() => verifier.verifyJwtSvid(jwt.input.token, [], bundles, BigInt(jwt.now), 0n, NO_POLICY)),
    "audience-mismatch",
  );
});

test("inspect-*: the verify verdict plus a checklist; a bad SVID is an inspection, not an error", () => {
  const chain = x509.input.chain.map((c) => verifier.decodeBase64Der(c));
  const ok = verifier.inspectX509Svid(chain, x509Bundles(), x509Now, 0n, NO_POLICY);
  assert.equal(ok.kind, "x509-svid");
  assert.equal(ok.error, undefined);
  assert.equal(ok.spiffeId.id, x509.expect.spiffe_id);
  assert.ok(ok.checks.length > 5);
  assert.ok(ok.checks.every((c) => c.status === "pass" || c.status === "skipped"), JSON.stringify(ok.checks));
  assert.ok(ok.checks.every((c) => c.id && c.rule && c.reference));
  const report = JSON.parse(ok.json);
  assert.equal(report.kind, "x509-svid");
  assert.equal(report.trusted, true);

  const late = BigInt(x509.expect.expires_at) + 1n;
  const expired = verifier.inspectX509Svid(chain, x509Bundles(), late, 0n, NO_POLICY);
  assert.equal(expired.error.code, "expired");
  assert.equal(expired.spiffeId.id, x509.expect.spiffe_id);
  const failing = expired.checks.filter((c) => c.status === "fail");
  assert.equal(failing.length, 1);
  assert.ok(failing[0].detail.includes(expired.error.message), failing[0].detail);

  // PEM that does not decode fails the inspection's first rule instead of the call.
  const bad = verifier.inspectX509SvidPem("not PEM", x509Bundles(), x509Now, 0n, NO_POLICY);
  assert.equal(bad.error.code, "malformed");
  assert.equal(bad.checks[0].status, "fail");
  const text = x509.input.chain.map(pem).join("");
  assert.equal(verifier.inspectX509SvidPem(text, x509Bundles(), x509Now, 0n, NO_POLICY).error, undefined);

  const bundles = new types.BundleSet();
  bundles.add(jwtTd, jwtDoc);
  const jwtReport = verifier.inspectJwtSvid(jwt.input.token, ["someone-else"], bundles, BigInt(jwt.now), 0n, NO_POLICY);
  assert.equal(jwtReport.kind, "jwt-svid");
  assert.equal(jwtReport.error.code, "audience-mismatch");
  assert.equal(jwtReport.spiffeId.id, jwt.expect.spiffe_id);

  // Only bad arguments fail the call itself.
  assert.equal(
    codeOf(() => verifier.inspectX509Svid(chain, x509Bundles(), x509Now, 0n, policy({ allow: ["nope"] }))),
    "invalid-spiffe-id",
  );
  assert.equal(
    verifier.inspectX509Svid(chain, x509Bundles(), x509Now, 0n, policy({ allow: ["spiffe://other.org/*"] })).error.code,
    "unauthorized",
  );
});
