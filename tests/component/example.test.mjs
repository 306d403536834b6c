// Runs the README's JS example (example.mjs) against the jco-transpiled component: the example
// imports "./svidkit/svidkit.js", so it is copied next to the transpiled output first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const jcoDir = resolve(root, process.env.SVIDKIT_JCO_DIR ?? "build/component/svidkit");
const copy = join(dirname(jcoDir), "example.mjs");
copyFileSync(join(here, "example.mjs"), copy);
const { trust, authenticate } = await import(pathToFileURL(copy).href);

const vector = (name) => JSON.parse(readFileSync(join(root, "tests/vectors/jwt-svid", name), "utf8"));

test("README JS example: trust a bundle, authenticate a bearer JWT-SVID", () => {
  const v = vector("ok-es256.json");
  const [[td, doc]] = Object.entries(v.input.bundles);
  assert.deepEqual(trust(td, doc), { x509: 1, jwt: 1 });
  const audience = v.input.audience[0];
  assert.equal(authenticate(`Bearer ${v.input.token}`, audience, v.now), v.expect.spiffe_id);
  // The example's skew of 30 s admits a token that expired 20 s ago, not one that expired 40 s ago.
  assert.equal(authenticate(`Bearer ${v.input.token}`, audience, v.expect.expires_at + 20), v.expect.spiffe_id);
  assert.throws(() => authenticate(`Bearer ${v.input.token}`, audience, v.expect.expires_at + 40), {
    code: "expired",
  });
  assert.throws(() => authenticate(`Bearer ${v.input.token}`, "another-audience", v.now), {
    code: "audience-mismatch",
  });
  assert.throws(() => authenticate(`Basic ${v.input.token}`, audience, v.now), { code: "malformed" });
});
