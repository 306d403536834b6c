// JWT-SVIDs signed at test time with node:crypto keys, for tests that need many tokens (the
// crypto-path equivalence test, the cache tests). Node only.
import * as crypto from "node:crypto";

export const TRUST_DOMAIN = "example.org";
export const SPIFFE_ID = "spiffe://example.org/ns/prod/sa/api";
export const NOW = 1767225600;

const b64u = (bytes) => Buffer.from(bytes).toString("base64url");

/** Node's sign/verify options for a JWS alg. */
export function jwsParams(alg) {
  const bits = alg.slice(2);
  const hash = `sha${bits}`;
  if (alg.startsWith("ES")) return { hash, options: { dsaEncoding: "ieee-p1363" } };
  if (alg.startsWith("PS")) {
    return { hash, options: { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 } };
  }
  return { hash, options: { padding: crypto.constants.RSA_PKCS1_PADDING } };
}

const CURVES = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };

/** A key pair for `alg` with its public JWK (`use` jwt-svid, `kid`). */
export function makeKey(alg, kid = `key-${alg.toLowerCase()}`) {
  const { privateKey, publicKey } = CURVES[alg]
    ? crypto.generateKeyPairSync("ec", { namedCurve: CURVES[alg] })
    : crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), use: "jwt-svid", kid };
  return { alg, kid, privateKey, publicKey, jwk };
}

/** A SPIFFE bundle document holding these keys as JWT authorities. */
export function bundleOf(keys) {
  return JSON.stringify({ keys: keys.map((k) => k.jwk) });
}

/** Header and payload segments plus the signing input. */
export function signingInput(key, claims = {}, header = {}) {
  const h = { alg: key.alg, kid: key.kid, typ: "JWT", ...header };
  for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
  const c = { sub: SPIFFE_ID, aud: ["api"], exp: NOW + 300, iat: NOW - 60, ...claims };
  return `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(c))}`;
}

/** The raw JWS signature of `input` (r‖s for ECDSA). `params` overrides Node's sign options. */
export function sign(key, input, params = {}) {
  const { hash, options } = jwsParams(key.alg);
  return new Uint8Array(crypto.sign(hash, Buffer.from(input), { key: key.privateKey, ...options, ...params }));
}

export function token(input, signature) {
  return `${input}.${b64u(signature)}`;
}

/** A signed JWT-SVID. */
export function signJwt(key, claims, header) {
  const input = signingInput(key, claims, header);
  return token(input, sign(key, input));
}
