// Verify JWT-SVIDs with the svidkit component in JavaScript, after jco transpiled it to an ES module:
//   npx @bytecodealliance/jco transpile svidkit.component.wasm --name svidkit -o svidkit
import { types, verifier } from "./svidkit/svidkit.js";

const bundles = new types.BundleSet();

/** Trusts the SPIFFE bundle (JSON text) of a trust domain; returns its authority counts. */
export function trust(trustDomain, bundleJson) {
  const info = bundles.add(trustDomain, bundleJson);
  return { x509: info.x509Authorities.length, jwt: info.jwtAuthorities.length };
}

/** The caller's SPIFFE ID from an `Authorization: Bearer <JWT-SVID>` header, or an Error whose
 * `code` is svidkit's error code. Only IDs under spiffe://example.org/ns/payments/ are admitted. */
export function authenticate(authorization, audience, now = Math.floor(Date.now() / 1000)) {
  const token = authorization.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : "";
  const policy = { allow: ["spiffe://example.org/ns/payments/*"], deny: [], denySerials: [], denyJti: [] };
  try {
    // u64 parameters are BigInts in JS: now (Unix seconds) and skew (seconds).
    const svid = verifier.verifyJwtSvid(token, [audience], bundles, BigInt(now), 30n, policy);
    return svid.spiffeId;
  } catch (e) {
    const err = e.payload ?? e; // jco throws the WIT `error` record: { code, message }
    throw Object.assign(new Error(err.message), { code: err.code });
  }
}
