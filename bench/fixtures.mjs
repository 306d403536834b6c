// JWT-SVID fixtures of `make bench`, made with real node:crypto keys every run: one key and one
// token per algorithm (ES256, ES384, RS256 and PS256 with RSA-2048), a SPIFFE bundle holding the
// keys as JWT authorities, and the public JWKs for jose. benches/verify.rs (native RustCrypto)
// reads the same file, so every contender verifies the same tokens with the same keys.
//
//   node bench/fixtures.mjs target/bench/jwt.json
import * as crypto from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const out = process.argv[2];
if (!out) {
  console.error("usage: node bench/fixtures.mjs <out.json>");
  process.exit(2);
}

const NOW = Math.floor(Date.now() / 1000);
const TRUST_DOMAIN = "example.org";
const SPIFFE_ID = "spiffe://example.org/ns/prod/sa/api";
const AUDIENCE = "spiffe://example.org/ns/prod/sa/backend";

const ALGS = {
  ES256: { type: "ec", options: { namedCurve: "P-256" }, hash: "sha256", sign: { dsaEncoding: "ieee-p1363" } },
  ES384: { type: "ec", options: { namedCurve: "P-384" }, hash: "sha384", sign: { dsaEncoding: "ieee-p1363" } },
  RS256: { type: "rsa", options: { modulusLength: 2048 }, hash: "sha256", sign: { padding: crypto.constants.RSA_PKCS1_PADDING } },
  PS256: {
    type: "rsa",
    options: { modulusLength: 2048 },
    hash: "sha256",
    sign: { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  },
};

const b64u = (data) => Buffer.from(data).toString("base64url");

const tokens = {};
const keys = [];
for (const [alg, p] of Object.entries(ALGS)) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync(p.type, p.options);
  const kid = `bench-${alg.toLowerCase()}`;
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg };
  keys.push({ ...jwk, use: "jwt-svid" });
  // What SPIRE puts in a JWT-SVID.
  const header = { alg, kid, typ: "JWT" };
  const claims = { sub: SPIFFE_ID, aud: [AUDIENCE], exp: NOW + 3600, iat: NOW - 60 };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const signature = crypto.sign(p.hash, Buffer.from(input), { key: privateKey, ...p.sign });
  tokens[alg] = { token: `${input}.${b64u(signature)}`, jwk };
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      now: NOW,
      trustDomain: TRUST_DOMAIN,
      spiffeId: SPIFFE_ID,
      audience: AUDIENCE,
      bundle: JSON.stringify({ keys, spiffe_refresh_hint: 300, spiffe_sequence: 1 }),
      tokens,
    },
    null,
    2,
  ),
);
console.error(`bench/fixtures.mjs: wrote ${out}`);
