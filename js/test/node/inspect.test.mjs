// `inspect`, `detect` and `inspectBundle` through the package in Node: for every X.509 and JWT
// conformance vector, inspect must reach the vector's verdict (the same as the verify functions)
// with exactly one failing rule when it fails; detect must route each input form; inspectBundle
// must count what the bundle vectors expect.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BundleSet, SvidError, detect, inspect, inspectBundle, verifyX509Svid } from "svidkit";
import { loadVectors } from "../lib/load-vectors.mjs";

const vectors = loadVectors();

for (const v of vectors.filter((v) => v.kind === "x509-svid" || v.kind === "jwt-svid")) {
  test(`inspect ${v.name}`, () => {
    let bundles;
    try {
      bundles = BundleSet.from(v.input.bundles);
    } catch (e) {
      // A bundle that doesn't load is the verdict (as in the vector runner): nothing to inspect.
      assert.ok(e instanceof SvidError, String(e));
      assert.equal(e.code, v.expect.error, e.message);
      return;
    }
    const input = v.kind === "jwt-svid" ? v.input.token : v.input.chain;
    const options = {
      now: v.now,
      ...(v.input.options?.skew !== undefined ? { skew: v.input.options.skew } : {}),
      ...(v.kind === "jwt-svid" ? { audience: v.input.audience } : {}),
    };
    let report;
    try {
      report = inspect(input, bundles, options);
    } catch (e) {
      // inspect refuses, as malformed, text not shaped like any SVID (detect: unknown, or a
      // bundle) and input over a limit; every shared vector is an SVID it reports on.
      assert.ok(e instanceof SvidError, String(e));
      assert.equal(e.code, "malformed", e.message);
      assert.equal(v.expect.error, "malformed");
      assert.match(v.name, /\/edge-/, "a shared vector is reported on, not refused");
      return;
    }
    // Text shaped like the other kind (a one-segment token reads as base64) is malformed as that.
    if (report.kind !== v.kind) assert.equal(v.expect.error, "malformed", `reported as ${report.kind}`);
    assert.equal(report.trusted, v.expect.ok);
    const failed = report.checks.filter((c) => c.status === "fail");
    if (v.expect.ok) {
      assert.equal(failed.length, 0);
      assert.equal(report.spiffeId.id, v.expect.spiffe_id);
      assert.equal(report.expiresAt, v.expect.expires_at);
    } else {
      assert.equal(report.verdict.code, v.expect.error);
      assert.equal(failed.length, 1, JSON.stringify(report.checks));
      assert.match(failed[0].detail, new RegExp(`^${v.expect.error}: `));
    }
    for (const c of report.checks) {
      assert.ok(c.id && c.rule && c.ref, `check ${JSON.stringify(c)} names its rule and reference`);
    }
  });
}

test("detect routes every input form", () => {
  const jwt = vectors.find((v) => v.kind === "jwt-svid" && v.expect.ok).input.token;
  const chain = vectors.find((v) => v.kind === "x509-svid" && v.expect.ok).input.chain;
  const pem = (b64) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`;
  assert.equal(detect(jwt), "jwt-svid");
  assert.equal(detect(chain[0]), "base64-der");
  assert.equal(detect(chain.map(pem).join("")), "x509-svid");
  assert.equal(detect('{"keys": []}'), "bundle");
  assert.equal(detect("hello world"), "unknown");
  // A CA certificate in PEM is an authority for a bundle, not an SVID.
  const bundle = JSON.parse(vectors.find((v) => v.name.endsWith("x509-and-jwt-authorities.json")).input.document);
  assert.equal(detect(pem(bundle.keys[0].x5c[0])), "pem-authorities");
});

test("inspect explains a chain that does not decode instead of throwing", () => {
  const report = inspect("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", new BundleSet(), { now: 0 });
  assert.equal(report.trusted, false);
  assert.equal(report.verdict.code, "malformed");
  assert.equal(report.checks[0].id, "decode");
  assert.equal(report.checks[0].status, "fail");
  assert.ok(report.checks.slice(1).every((c) => c.status === "not-reached" || c.status === "skipped"));
});

test("inspect takes what the verify functions take, and reports an oversized token instead of throwing", () => {
  const v = vectors.find((v) => v.kind === "x509-svid" && v.expect.ok && v.input.chain.length === 2);
  const bundles = BundleSet.from(v.input.bundles);
  const pem = v.input.chain.map((b64) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`).join("");
  // A PEM chain after 1.2 MB of other text: verifyX509Svid reads PEM text up to 2 MiB, and so does inspect.
  const long = `${"x".repeat(1_200_000)}\n${pem}`;
  assert.equal(verifyX509Svid(long, bundles, { now: v.now }).spiffeId, v.expect.spiffe_id);
  const report = inspect(long, bundles, { now: v.now });
  assert.equal(report.trusted, true);
  assert.equal(report.spiffeId.id, v.expect.spiffe_id);
  // A token over the 16 KiB limit is a bad SVID: an inspection whose verdict is malformed, as the
  // component's inspect-jwt-svid gives it, not a throw.
  const j = vectors.find((v) => v.kind === "jwt-svid" && v.expect.ok);
  const oversized = inspect(`${j.input.token}${"A".repeat(17_000)}`, BundleSet.from(j.input.bundles), { now: j.now, audience: j.input.audience });
  assert.equal(oversized.kind, "jwt-svid");
  assert.equal(oversized.trusted, false);
  assert.equal(oversized.verdict.code, "malformed");
  assert.match(oversized.verdict.message, /over the limit of 16384/);
  // Past what any function reads (2 MiB), text is refused before it is copied into the module.
  assert.throws(() => inspect("x".repeat(2 * 1024 * 1024 + 1), bundles), (e) => e instanceof SvidError && e.code === "malformed");
});

test("inspect refuses a bundle and arguments of the wrong type", () => {
  assert.throws(() => inspect('{"keys": []}', new BundleSet()), (e) => e instanceof SvidError && e.code === "malformed");
  assert.throws(() => inspect(42, new BundleSet()), (e) => e instanceof SvidError && e.code === "malformed");
  assert.throws(() => inspect("x", {}), (e) => e instanceof SvidError && e.code === "malformed");
});

for (const v of vectors.filter((v) => v.kind === "bundle")) {
  test(`inspectBundle ${v.name}`, () => {
    if (v.expect.ok) {
      const info = inspectBundle(v.input.document, v.input.trust_domain);
      assert.equal(info.trustDomain, v.input.trust_domain);
      assert.equal(info.x509Authorities.length, v.expect.x509_authorities);
      assert.equal(info.jwtAuthorities.length, v.expect.jwt_authorities);
      assert.equal(info.refreshHint, v.expect.refresh_hint);
      assert.equal(info.sequence, v.expect.sequence);
    } else {
      assert.throws(() => inspectBundle(v.input.document, v.input.trust_domain), (e) => e.code === v.expect.error);
    }
  });
}
