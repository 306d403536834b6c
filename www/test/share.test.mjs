// Share links are untrusted input: anyone can send one, and opening it runs decodeState in the
// viewer's tab. This fuzzes it in Node (share.js uses only web APIs Node has: CompressionStream,
// Blob, Response, atob): a link either restores inputs of the right types, or is reported as
// damaged (an Error), never anything else; a link that inflates past MAX_SHARED_BYTES stops there.
// The page's handling of a damaged link is checked in Chromium by inspector.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { decodeState, encodeState, MAX_SHARED_BYTES } from "../share.js";

const STATE = {
  svid: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  bundles: [
    { trustDomain: "city.gov", kind: "bundle", text: '{"keys":[]}', name: "city.gov.json" },
    { trustDomain: "transit.example", kind: "pem", text: "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n", name: "ca.pem" },
  ],
  asOf: 1767225600,
  skew: 30,
  audience: "spiffe://city.gov/edge",
  allow: "spiffe://city.gov/traffic/*",
  sample: "valid",
};

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const link = (json) => `#s=${b64url(deflateRawSync(Buffer.from(typeof json === "string" ? json : JSON.stringify(json))))}`;

/** What a restored state must look like, whatever the link held. */
function assertWellTyped(s) {
  assert.equal(typeof s.svid, "string");
  assert.ok(Array.isArray(s.bundles));
  for (const b of s.bundles) {
    assert.equal(typeof b.trustDomain, "string");
    assert.ok(b.kind === "pem" || b.kind === "bundle");
    assert.equal(typeof b.text, "string");
    assert.equal(typeof b.name, "string");
  }
  assert.ok(s.asOf === null || Number.isSafeInteger(s.asOf));
  assert.ok(Number.isSafeInteger(s.skew));
  assert.equal(typeof s.audience, "string");
  assert.equal(typeof s.allow, "string");
  assert.ok(s.sample === null || typeof s.sample === "string");
}

test("a share link restores exactly the inputs it was made from", async () => {
  const hash = await encodeState(STATE);
  assert.ok(hash.startsWith("#s="));
  assert.deepEqual(await decodeState(hash), STATE);
  assert.equal(await decodeState(""), null);
  assert.equal(await decodeState("#other"), null);
});

test("a link that inflates past the limit is refused; one just under it restores", async () => {
  // 64 MiB of zeros deflate to about 64 KB: a link a chat message can carry.
  const bomb = `#s=${b64url(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)))}`;
  assert.ok(bomb.length < 100_000, `${bomb.length} characters`);
  await assert.rejects(decodeState(bomb), /inflates to more than 8 MiB/);
  const big = { ...STATE, svid: "a".repeat(MAX_SHARED_BYTES - 1024) };
  assert.equal((await decodeState(await encodeState(big))).svid.length, big.svid.length);
});

test("links of the wrong shape: damaged (an Error) or sanitised, never anything else", async () => {
  const cases = [
    "#s=",
    "#s=!!!",
    "#s=AAAA",
    link("not json"),
    link("null"),
    link("[]"),
    link({ v: 2 }),
    link({ v: 1 }),
    link({ v: 1, svid: 42, bundles: "x", asOf: -1, skew: 1.5, audience: null, allow: {}, sample: 7 }),
    link({ v: 1, bundles: [null, 1, { text: 5 }, { text: "t", kind: "other", td: 3, name: "" }], asOf: 2 ** 53 }),
  ];
  for (const hash of cases) {
    let restored;
    try {
      restored = await decodeState(hash);
    } catch (e) {
      assert.ok(e instanceof Error, `${hash}: threw ${e}`);
      continue;
    }
    assert.notEqual(restored, null, hash);
    assertWellTyped(restored);
  }
  const sanitised = await decodeState(cases.at(-1));
  assert.deepEqual(sanitised.bundles, [{ trustDomain: "", kind: "bundle", text: "t", name: "shared link" }]);
  assert.equal(sanitised.asOf, null);
});

test("fuzz: 3,000 mutated links restore well-typed inputs or are reported damaged", async () => {
  const valid = (await encodeState(STATE)).slice(3);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%!~ ";
  let state = 0x5ba4e;
  const rand = (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
  let restored = 0;
  let damaged = 0;
  for (let i = 0; i < 3000; i++) {
    let s = valid;
    for (let n = 1 + rand(3); n > 0; n--) {
      const at = rand(s.length + 1);
      const op = rand(4);
      if (op === 0) s = s.slice(0, at) + alphabet[rand(alphabet.length)] + s.slice(at);
      else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
      else if (op === 2) s = s.slice(0, at) + alphabet[rand(alphabet.length)] + s.slice(at + 1);
      else s = s.slice(0, at);
    }
    try {
      const r = await decodeState(`#s=${s}`);
      assertWellTyped(r);
      restored++;
    } catch (e) {
      assert.ok(e instanceof Error, `link ${s}: threw ${e}`);
      damaged++;
    }
  }
  console.log(`fuzz: ${restored} restored, ${damaged} reported damaged`);
  assert.ok(damaged > 0);
});
