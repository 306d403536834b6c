// Test fixtures for the gate, made fresh on every run with real keys (node:crypto), valid around the
// real current time — nothing is hand-written or stored:
//   - city.gov: a P-256 root CA, an intermediate CA under it, X.509-SVID leaves for
//     traffic-agent/north-1 (via the intermediate) and energy-agent/grid-7 (directly under the root),
//     and a JWT-SVID signing key; the city's SPIFFE bundle holds the root and the JWT key;
//   - riverside.example: its own CA and JWT key, not in any bundle the gate trusts.
// Certificates are built with a small DER writer below and signed by node:crypto (ECDSA P-256 with
// SHA-256): no openssl CLI, no Rust build, and the clock is the real one, so the example worker runs
// exactly as deployed (no test-only `now`). JWTs are ES256 with IEEE P1363 signatures.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

// ---- DER -------------------------------------------------------------------------------------
function len(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts) => tlv(0x30, ...parts);
const set = (...parts) => tlv(0x31, ...parts);
const explicit = (n, ...parts) => tlv(0xa0 | n, ...parts);
const bool = (b) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b) => tlv(0x04, b);
const bitString = (b) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s) => tlv(0x0c, Buffer.from(s, "utf8"));
function integer(bytes) {
  let b = Buffer.from(bytes);
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  if (b[0] >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
function oid(dotted) {
  const parts = dotted.split(".").map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) stack.unshift(0x80 | (v & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
function time(unix) {
  const d = new Date(unix * 1000);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  const y = d.getUTCFullYear();
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(`${p(y % 100)}${body}`)) : tlv(0x18, Buffer.from(`${p(y, 4)}${body}`));
}
const name = (cn) => seq(set(seq(oid("2.5.4.10"), utf8("svidkit gate tests"))), set(seq(oid("2.5.4.3"), utf8(cn))));
const ext = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

/** An X.509 certificate (DER) for `subjectKey`, signed by `issuer` ({ key, cn }) or self-signed. */
export function certificate({ cn, subjectKey, issuer, ca, spiffeId, notBefore, notAfter }) {
  const spki = subjectKey.publicKey.export({ type: "spki", format: "der" });
  const ski = createHash("sha1").update(spki).digest();
  const extensions = [
    ext("2.5.29.19", true, ca ? seq(bool(true)) : seq()), // basicConstraints
    // keyUsage: CA keyCertSign + cRLSign (bits 5, 6); leaf digitalSignature (bit 0)
    ext("2.5.29.15", true, ca ? tlv(0x03, Buffer.from([1, 0x06])) : tlv(0x03, Buffer.from([7, 0x80]))),
    ext("2.5.29.14", false, octets(ski)),
  ];
  if (spiffeId) extensions.push(ext("2.5.29.17", false, seq(tlv(0x86, Buffer.from(spiffeId)))));
  if (!ca) extensions.push(ext("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.2"), oid("1.3.6.1.5.5.7.3.1"))));
  const signer = issuer ?? { key: subjectKey, cn };
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_SHA256,
    name(signer.cn),
    seq(time(notBefore), time(notAfter)),
    name(cn),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign("sha256", tbs, signer.key.privateKey);
  return seq(tbs, ECDSA_SHA256, bitString(signature));
}

export const b64 = (der) => Buffer.from(der).toString("base64");
export const pem = (der) => `-----BEGIN CERTIFICATE-----\n${b64(der).replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;
const b64url = (data) => Buffer.from(data).toString("base64url");
export const p256 = () => generateKeyPairSync("ec", { namedCurve: "P-256" });

/** A compact ES256 JWS. */
export function signJwt(key, kid, claims, header = {}) {
  const h = b64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid, ...header }));
  const p = b64url(JSON.stringify(claims));
  const s = sign("sha256", Buffer.from(`${h}.${p}`), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${h}.${p}.${b64url(s)}`;
}

export function jwk(key, extra) {
  const { kty, crv, x, y } = key.publicKey.export({ format: "jwk" });
  return { kty, crv, x, y, ...extra };
}

/**
 * Everything the gate tests need. `now` is Unix seconds (default: the current time).
 * `audience` is the audience the gate expects.
 */
export function makeFixtures({ now = Math.floor(Date.now() / 1000), audience = "spiffe://city.gov/edge-gateway" } = {}) {
  const window = { notBefore: now - 3600, notAfter: now + 3600 };
  const root = { key: p256(), cn: "city.gov root CA" };
  const rootDer = certificate({ cn: root.cn, subjectKey: root.key, ca: true, spiffeId: "spiffe://city.gov", ...window });
  const inter = { key: p256(), cn: "city.gov traffic intermediate CA" };
  const interDer = certificate({ cn: inter.cn, subjectKey: inter.key, issuer: root, ca: true, spiffeId: "spiffe://city.gov", ...window });

  const leaf = (id, issuer, extra = {}) => {
    const key = p256();
    return certificate({ cn: id.split("/").pop(), subjectKey: key, issuer, ca: false, spiffeId: id, ...window, ...extra });
  };
  const trafficLeaf = leaf("spiffe://city.gov/traffic-agent/north-1", inter);
  const energyLeaf = leaf("spiffe://city.gov/energy-agent/grid-7", root);
  const expiredLeaf = leaf("spiffe://city.gov/energy-agent/grid-8", root, { notBefore: now - 7200, notAfter: now - 3600 });

  const riverRoot = { key: p256(), cn: "riverside.example root CA" };
  const riverLeaf = leaf("spiffe://riverside.example/traffic-agent/bridge", riverRoot);

  const jwtKey = p256();
  const kid = `city-${randomBytes(4).toString("hex")}`;
  const riverJwtKey = p256();

  const bundle = {
    keys: [
      { use: "x509-svid", x5c: [b64(rootDer)], ...jwk(root.key) },
      { use: "jwt-svid", ...jwk(jwtKey, { kid }) },
    ],
    spiffe_sequence: 1,
    spiffe_refresh_hint: 300,
  };

  const jwt = (sub, extra = {}) => signJwt(jwtKey, kid, { sub, aud: [audience], exp: now + 600, iat: now, ...extra });
  const tamper = (token) => {
    // Flip one bit in the payload's first character: the signature no longer matches.
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url"));
    claims.sub = claims.sub.replace("traffic-agent", "energy-agent");
    return `${h}.${b64url(JSON.stringify(claims))}.${s}`;
  };

  const tokens = {
    traffic: jwt("spiffe://city.gov/traffic-agent/north-1", { jti: "t-1" }),
    energy: jwt("spiffe://city.gov/energy-agent/grid-7"),
    expired: jwt("spiffe://city.gov/traffic-agent/north-1", { exp: now - 60, iat: now - 660 }),
    wrongAudience: jwt("spiffe://city.gov/traffic-agent/north-1", { aud: ["spiffe://city.gov/somewhere-else"] }),
    unknownDomain: signJwt(riverJwtKey, "river-1", { sub: "spiffe://riverside.example/traffic-agent/bridge", aud: [audience], exp: now + 600 }),
  };
  tokens.tampered = tamper(tokens.traffic);

  const der = { root: rootDer, inter: interDer, traffic: trafficLeaf, energy: energyLeaf, expired: expiredLeaf, riverside: riverLeaf };
  return {
    now,
    audience,
    kid,
    bundle,
    bundles: { "city.gov": bundle },
    tokens,
    der,
    b64: Object.fromEntries(Object.entries(der).map(([k, v]) => [k, b64(v)])),
    pem: Object.fromEntries(Object.entries(der).map(([k, v]) => [k, pem(v)])),
    sha256: Object.fromEntries(Object.entries(der).map(([k, v]) => [k, createHash("sha256").update(v).digest("hex")])),
  };
}

// ---- Header encodings, as the proxies write them ---------------------------------------------

/** RFC 9440 Client-Cert / Client-Cert-Chain values. */
export const sfBinary = (b64Text) => `:${b64Text}:`;
export const sfChain = (b64s) => b64s.map(sfBinary).join(", ");

/** Envoy's URL encoding of PEM (every byte outside unreserved is %XX). */
export const urlEncodePem = (text) => encodeURIComponent(text);

/** One XFCC element as Envoy writes it with set_current_client_cert_details cert + chain + uri. */
export function xfccElement({ by = "spiffe://city.gov/edge-gateway", certPem, chainPem, uri, hash = "0".repeat(64) }) {
  const parts = [`By=${by}`, `Hash=${hash}`];
  if (certPem !== undefined) parts.push(`Cert="${urlEncodePem(certPem)}"`);
  if (chainPem !== undefined) parts.push(`Chain="${urlEncodePem(chainPem)}"`);
  if (uri) parts.push(`URI=${uri}`);
  return parts.join(";");
}
