// `svidkit/gate`: admit or refuse HTTP requests by the caller's SPIFFE identity, for edge functions
// (Cloudflare Workers / workerd, Deno, Node, service workers). createGate(config) returns an async
// function Request → decision; withGate(config, handler) wraps a Workers `fetch(request, env, ctx)`.
//
// The API comes from "svidkit" itself — the package importing itself by name — so the gate uses
// the very module instance (and .wasm) the application gets from `import … from "svidkit"`,
// whichever `exports` condition the runtime or bundler picked (workerd: the Wasm module import,
// never compiled from bytes; node; deno; browser). A BundleSet the application built is therefore
// the gate's BundleSet too. This file must import nothing else: with plain workerd the package's
// files are modules named "svidkit", "svidkit/gate", "api.js", … and only the bare name resolves.
//
// What it does per request, in this order (every step is bounded by the header sizes):
//  1. picks the route: the first rule whose path (exact, "/prefix/*" or "*") and methods match;
//  2. reads the credential from the first enabled source whose header is present (that source
//     alone decides: a failing token is never rescued by a certificate header, or vice versa);
//  3. verifies it with the core, with the route's `allow` and the gate's deny lists as the policy:
//     no credential or a failed verification → 401; verified but refused by the policy (or no
//     route matched) → 403; otherwise allowed;
//  4. writes one audit record (never the token or certificate).
// It never throws for a request: a malformed header is a 401, a bug is a 500 decision.

import * as svidkit from "svidkit";

const { BundleSet, parseSpiffeId, SvidError } = svidkit;
// The asynchronous verify functions, where the package has them, check signatures with the host's
// crypto where only an asynchronous one exists (WebCrypto: workerd, browsers), several times faster
// than the core's pure-Rust checks; the verdict is the same. The synchronous ones otherwise.
const verifyJwtSvid = svidkit.verifyJwtSvidAsync ?? svidkit.verifyJwtSvid;
const verifyX509Svid = svidkit.verifyX509SvidAsync ?? svidkit.verifyX509Svid;

/** The credential sources, by the names `config.sources` uses. */
export const SOURCES = Object.freeze(["bearer", "client-cert", "xfcc", "cf-client-cert"]);

/**
 * Only `Authorization: Bearer` unless configured: the certificate sources carry a *certificate*
 * (public data, no proof of the private key), so they are safe only behind a proxy that verified
 * the client's TLS certificate and removes client-supplied copies of the header.
 */
export const DEFAULT_SOURCES = Object.freeze(["bearer"]);

/** Codes the gate adds to the core's: no credential at all, and a failure of the gate itself. */
export const GATE_CODES = Object.freeze(["no-credential", "internal-error"]);

/** Thrown by createGate / withGate for a configuration it cannot use. */
export class GateConfigError extends Error {
  constructor(message, options) {
    super(`svidkit/gate: ${message}`, options);
    this.name = "GateConfigError";
  }
}

// Headers each source reads (lower-case; fetch Headers are case-insensitive).
const SOURCE_HEADERS = {
  bearer: ["authorization"],
  "client-cert": ["client-cert", "client-cert-chain"],
  xfcc: ["x-forwarded-client-cert"],
  "cf-client-cert": ["cf-client-cert-der-base64"],
};
const SOURCE_LABEL = {
  bearer: "Authorization: Bearer",
  "client-cert": "Client-Cert",
  xfcc: "X-Forwarded-Client-Cert",
  "cf-client-cert": "Cf-Client-Cert-Der-Base64",
};

// A credential header longer than this is refused before it is parsed. The core's own limits are
// lower (a 16 KiB token; 16 certificates of 64 KiB): this only bounds the gate's parsing.
const MAX_HEADER_LEN = 2 * 1024 * 1024;
const MAX_CHAIN_LEN = 16;
const MAX_REASON_LEN = 300;

const CONFIG_KEYS = [
  "bundles",
  "audience",
  "routes",
  "deny",
  "denySerials",
  "denyJti",
  "sources",
  "audit",
  "now",
  "skew",
  "realm",
];
const ROUTE_KEYS = ["path", "methods", "allow"];
// The request methods the fetch standard upper-cases (not PATCH); a rule naming them in any case
// means them. Other methods match exactly, as the fetch standard leaves them.
const NORMALISED_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// ---------------------------------------------------------------------------------------------
// Configuration

function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return value.constructor?.name ? `a ${value.constructor.name}` : "an object";
  return `a ${typeof value}`;
}

function stringArray(value, what, { allowEmpty = true } = {}) {
  if (!Array.isArray(value)) throw new GateConfigError(`${what}: expected an array of strings, got ${describe(value)}`);
  if (!allowEmpty && value.length === 0) throw new GateConfigError(`${what}: must not be empty`);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw new GateConfigError(`${what}[${i}]: expected a string, got ${describe(item)}`);
  });
  return [...value];
}

// The core's pattern grammar (src/policy.rs Pattern::parse): "spiffe://td/exact", "spiffe://td/prefix/*",
// "spiffe://td/*". Checked here with the core's own SPIFFE-ID parser so a typo fails at start-up
// rather than as a 401 on every request.
function checkPattern(pattern, what) {
  const base = pattern.endsWith("/*") ? pattern.slice(0, -2) : pattern;
  try {
    parseSpiffeId(base);
  } catch (e) {
    throw new GateConfigError(`${what}: ${JSON.stringify(pattern)} is not a SPIFFE ID pattern (${e.message})`, { cause: e });
  }
  return pattern;
}

function patterns(value, what) {
  return stringArray(value, what).map((p, i) => checkPattern(p, `${what}[${i}]`));
}

// src/policy.rs normalize_serial accepts hex with ":" separators, an even number of digits.
function serials(value, what) {
  return stringArray(value, what).map((s, i) => {
    const digits = s.replaceAll(":", "");
    if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) {
      throw new GateConfigError(`${what}[${i}]: ${JSON.stringify(s)} is not an even number of hex digits`);
    }
    return s;
  });
}

function compileRoute(route, i) {
  const what = `routes[${i}]`;
  if (!isPlainObject(route)) throw new GateConfigError(`${what}: expected an object, got ${describe(route)}`);
  for (const key of Object.keys(route)) {
    if (!ROUTE_KEYS.includes(key)) throw new GateConfigError(`${what}.${key}: unknown member (expected ${ROUTE_KEYS.join(", ")})`);
  }
  const { path } = route;
  let match;
  if (path === "*") match = () => true;
  else if (typeof path === "string" && path.startsWith("/")) {
    const star = path.indexOf("*");
    if (star === -1) match = (p) => p === path;
    else if (star === path.length - 1 && path.endsWith("/*")) {
      const prefix = path.slice(0, -1); // keeps the "/": "/energy/*" matches "/energy/…", not "/energy"
      match = (p) => p.startsWith(prefix);
    } else {
      throw new GateConfigError(`${what}.path: ${JSON.stringify(path)}: "*" may only end a path, as "/prefix/*", or be the whole path`);
    }
  } else {
    throw new GateConfigError(`${what}.path: expected "*", an exact path or "/prefix/*" (starting with "/"), got ${JSON.stringify(path)}`);
  }
  let methods = null;
  if (route.methods !== undefined) {
    methods = stringArray(route.methods, `${what}.methods`, { allowEmpty: false }).map((m, j) => {
      if (!TOKEN_CHARS.test(m)) throw new GateConfigError(`${what}.methods[${j}]: ${JSON.stringify(m)} is not an HTTP method`);
      const upper = m.toUpperCase();
      return NORMALISED_METHODS.includes(upper) ? upper : m;
    });
  }
  if (route.allow === undefined) throw new GateConfigError(`${what}.allow: required (the SPIFFE ID patterns this route admits)`);
  const allow = patterns(route.allow, `${what}.allow`);
  return { path, methods, allow, match };
}

function toBundleSet(bundles) {
  if (bundles instanceof BundleSet) return bundles;
  if (bundles instanceof Map || isPlainObject(bundles)) {
    const count = bundles instanceof Map ? bundles.size : Object.keys(bundles).length;
    if (count === 0) throw new GateConfigError("bundles: holds no trust domain");
    try {
      return BundleSet.from(bundles);
    } catch (e) {
      throw new GateConfigError(`bundles: ${e.code ? `${e.code}: ` : ""}${e.message}`, { cause: e });
    }
  }
  if (bundles !== null && typeof bundles === "object" && bundles.constructor?.name === "BundleSet") {
    throw new GateConfigError(
      'bundles: this BundleSet comes from another copy of svidkit than the one "svidkit/gate" imports ' +
        '(import BundleSet from "svidkit", not "svidkit/web", and make sure one copy of the package is installed), ' +
        "or pass the bundle documents as { trustDomain: document }",
    );
  }
  throw new GateConfigError(`bundles: expected a BundleSet or { trustDomain: bundleDocument }, got ${describe(bundles)}`);
}

function compileNow(now) {
  if (now === undefined) return () => Math.floor(Date.now() / 1000);
  const check = (value) => {
    if (value instanceof Date) {
      const ms = value.getTime();
      if (Number.isFinite(ms) && ms >= 0) return Math.floor(ms / 1000);
    } else if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new GateConfigError(`now: expected a Date or Unix seconds (or a function returning one), got ${describe(value)}`);
  };
  if (typeof now === "function") return () => check(now());
  const fixed = check(now);
  return () => fixed;
}

function compile(config) {
  if (!isPlainObject(config)) throw new GateConfigError(`config: expected an object, got ${describe(config)}`);
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) throw new GateConfigError(`config.${key}: unknown option (expected ${CONFIG_KEYS.join(", ")})`);
  }
  const sources = config.sources === undefined ? [...DEFAULT_SOURCES] : stringArray(config.sources, "sources", { allowEmpty: false });
  sources.forEach((s, i) => {
    if (!SOURCES.includes(s)) throw new GateConfigError(`sources[${i}]: unknown source ${JSON.stringify(s)} (expected ${SOURCES.join(", ")})`);
    if (sources.indexOf(s) !== i) throw new GateConfigError(`sources[${i}]: ${JSON.stringify(s)} is listed twice`);
  });

  let audience;
  if (config.audience !== undefined) {
    audience = typeof config.audience === "string" ? [config.audience] : stringArray(config.audience, "audience", { allowEmpty: false });
    audience.forEach((a, i) => {
      if (a.length === 0) throw new GateConfigError(`audience[${i}]: must not be empty`);
    });
  } else if (sources.includes("bearer")) {
    throw new GateConfigError('audience: required when the "bearer" source is enabled (the audience JWT-SVIDs must name)');
  }

  if (config.routes === undefined) throw new GateConfigError("routes: required (first match wins; a request no route matches is refused)");
  if (!Array.isArray(config.routes)) throw new GateConfigError(`routes: expected an array, got ${describe(config.routes)}`);
  const routes = config.routes.map(compileRoute);

  if (config.bundles === undefined) throw new GateConfigError("bundles: required (a BundleSet or { trustDomain: bundleDocument })");
  const bundles = toBundleSet(config.bundles);

  const policy = {};
  if (config.deny !== undefined) policy.deny = patterns(config.deny, "deny");
  if (config.denySerials !== undefined) policy.denySerials = serials(config.denySerials, "denySerials");
  if (config.denyJti !== undefined) policy.denyJti = stringArray(config.denyJti, "denyJti");

  if (config.audit !== undefined && typeof config.audit !== "function") {
    throw new GateConfigError(`audit: expected a function receiving one record per decision, got ${describe(config.audit)}`);
  }
  let skew = 0;
  if (config.skew !== undefined) {
    if (!Number.isSafeInteger(config.skew) || config.skew < 0) throw new GateConfigError("skew: expected seconds (a non-negative integer)");
    skew = config.skew;
  }
  let realm = "svidkit";
  if (config.realm !== undefined) {
    if (typeof config.realm !== "string" || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(config.realm)) {
      throw new GateConfigError("realm: expected a string of printable ASCII without '\"' or '\\'");
    }
    realm = config.realm;
  }
  return { sources, audience, routes, bundles, policy, audit: config.audit, now: compileNow(config.now), skew, realm };
}

// ---------------------------------------------------------------------------------------------
// Reading credentials. Each reader returns null (nothing presented), { chain | token } or throws a
// CredentialError (presented but unusable). Base64 is never decoded here (the core decodes strictly),
// except Cf-Client-Cert-Der-Base64 for its fingerprint check, with the same strict rules.

class CredentialError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const malformed = (message) => new CredentialError("malformed", message);

function header(request, name) {
  const value = request.headers.get(name);
  if (value !== null && value.length > MAX_HEADER_LEN) {
    throw malformed(`the ${name} header is ${value.length} characters, over the gate's limit of ${MAX_HEADER_LEN}`);
  }
  return value;
}

// RFC 6750 §2.1: `Authorization: Bearer <token>`. The scheme is case-insensitive (RFC 9110 §11.1);
// exactly "Bearer " (7 characters) is removed and nothing is trimmed, so "Bearer  t" hands " t"
// to the core (malformed). Another scheme (Basic, DPoP…) is not a credential of this source.
function readBearer(request) {
  const auth = header(request, "authorization");
  if (auth === null || !/^bearer(?: |$)/i.test(auth)) return null;
  return { token: auth.slice(7) };
}

// An RFC 8941 Byte Sequence item with no parameters: ":" base64 ":".
function byteSequence(text, what) {
  if (text.length < 2 || text[0] !== ":" || text[text.length - 1] !== ":" || text.indexOf(":", 1) !== text.length - 1) {
    throw malformed(`${what} is not a structured-field byte sequence (":base64:", no parameters)`);
  }
  return text.slice(1, -1);
}

// RFC 9440: Client-Cert is one Byte Sequence (the leaf's DER); Client-Cert-Chain a List of them (the
// rest of the chain, leaf-adjacent first). List members are separated by "," with optional spaces
// or tabs around it (RFC 8941 §4.2.1); an empty member is an error, an empty field an empty list.
function readClientCert(request) {
  const cert = header(request, "client-cert");
  const chain = header(request, "client-cert-chain");
  if (cert === null && chain === null) return null;
  if (cert === null) throw malformed("Client-Cert-Chain is present without Client-Cert");
  const out = [byteSequence(cert, "Client-Cert")];
  if (chain !== null && chain !== "") {
    const members = chain.split(",");
    if (members.length + 1 > MAX_CHAIN_LEN) {
      throw malformed(`Client-Cert-Chain has ${members.length} members; with the leaf that is over ${MAX_CHAIN_LEN} certificates`);
    }
    members.forEach((m, i) => out.push(byteSequence(m.replace(/^[ \t]+|[ \t]+$/g, ""), `Client-Cert-Chain member ${i + 1}`)));
  }
  return { chain: out };
}

// Envoy's x-forwarded-client-cert: elements separated by ",", each `key=value` pairs separated by
// ";"; a value holding , ; or = is double-quoted with \" for a quote inside. Keys are
// case-insensitive. Returns [{ key → [values] }] in header order.
function parseXfcc(text) {
  const elements = [];
  let pairs = new Map();
  let i = 0;
  const n = text.length;
  const fail = (why) => {
    throw malformed(`X-Forwarded-Client-Cert: ${why} at character ${i}`);
  };
  for (;;) {
    // An element: key=value (";" key=value)*. Spaces are allowed only before an element (after a
    // "," that joined two header lines or elements).
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
    for (;;) {
      const eq = text.indexOf("=", i);
      if (eq === -1) fail("a key without '='");
      const key = text.slice(i, eq);
      if (!TOKEN_CHARS.test(key)) fail(`bad key ${JSON.stringify(key.slice(0, 40))}`);
      i = eq + 1;
      let value = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) fail("an unterminated quoted value");
          const c = text[i];
          if (c === '"') break;
          if (c === "\\" && text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            value += c;
            i++;
          }
        }
        i++; // the closing quote
        if (i < n && text[i] !== ";" && text[i] !== ",") fail("text after a quoted value");
      } else {
        let end = i;
        while (end < n && text[end] !== ";" && text[end] !== ",") end++;
        value = text.slice(i, end);
        if (value.includes('"')) fail("a quote inside an unquoted value");
        i = end;
      }
      const k = key.toLowerCase();
      if (!pairs.has(k)) pairs.set(k, []);
      pairs.get(k).push(value);
      if (i < n && text[i] === ";") {
        i++;
        continue;
      }
      break;
    }
    elements.push(pairs);
    pairs = new Map();
    if (i >= n) return elements;
    i++; // ","
    if (elements.length > 64) fail("more than 64 elements");
  }
}

function urlDecode(value, what) {
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformed(`X-Forwarded-Client-Cert ${what} is not valid URL encoding`);
  }
}

// The element the gate uses is the LAST one: with forward_client_cert_details APPEND_FORWARD or
// SANITIZE_SET, the proxy in front of the gate appends its own element at the end (SANITIZE_SET
// leaves only that one). Earlier elements were written by earlier hops — or by the client.
// Chain (the whole chain, leaf first, URL-encoded PEM) is used when present, else Cert (the leaf).
function readXfcc(request) {
  const value = header(request, "x-forwarded-client-cert");
  if (value === null) return null;
  const elements = parseXfcc(value);
  const last = elements[elements.length - 1];
  const one = (key) => {
    const values = last.get(key);
    if (values === undefined) return null;
    if (values.length > 1) throw malformed(`X-Forwarded-Client-Cert: the last element has ${values.length} ${key} keys`);
    return values[0];
  };
  const cert = one("cert");
  const chain = one("chain");
  if (cert === null && chain === null) {
    throw malformed("X-Forwarded-Client-Cert: the last element has neither Cert nor Chain (set_current_client_cert_details: cert/chain)");
  }
  const certPem = cert === null ? null : urlDecode(cert, "Cert");
  const chainPem = chain === null ? null : urlDecode(chain, "Chain");
  if (certPem !== null && chainPem !== null && !chainPem.startsWith(certPem)) {
    throw malformed("X-Forwarded-Client-Cert: Chain does not start with the Cert of the same element");
  }
  return { chain: chainPem ?? certPem };
}

// Strict RFC 4648 §4 base64 (padded, no whitespace), for the fingerprint check only.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;

function strictBase64(text) {
  if (text.length % 4 !== 0 || text.length === 0) return null;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const v = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      if (last && text[i + j] === "=" && j >= 4 - pad) continue;
      v[j] = c < 128 ? B64_VALUE[c] : -1;
      if (v[j] < 0) return null;
    }
    const bits = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    // Non-zero bits under the padding make the encoding non-canonical.
    if (last && ((pad === 2 && (bits & 0xffff) !== 0) || (pad === 1 && (bits & 0xff) !== 0))) return null;
    out[o++] = bits >> 16;
    if (o < out.length) out[o++] = (bits >> 8) & 0xff;
    if (o < out.length) out[o++] = bits & 0xff;
  }
  return out;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Cloudflare's forwarded client certificate: base64 DER of the leaf (the leaf only: it must be
// issued directly by a bundle authority). On Cloudflare, `request.cf.tlsClientAuth` describes the
// TLS connection the request arrived on, which no header can forge: when it is there, the header's
// certificate must be the one this connection presented (same SHA-256), else `untrusted`.
async function readCfClientCert(request) {
  const value = header(request, "cf-client-cert-der-base64");
  if (value === null) return null;
  const tls = request.cf?.tlsClientAuth;
  if (tls && typeof tls === "object") {
    if (tls.certPresented !== "1") {
      throw new CredentialError("untrusted", "Cf-Client-Cert-Der-Base64 is present but this connection presented no client certificate (request.cf.tlsClientAuth)");
    }
    const expected = typeof tls.certFingerprintSHA256 === "string" ? tls.certFingerprintSHA256.toLowerCase() : "";
    if (expected !== "") {
      const der = strictBase64(value);
      if (der === null) throw malformed("Cf-Client-Cert-Der-Base64 is not standard padded base64");
      if ((await sha256Hex(der)) !== expected) {
        throw new CredentialError("untrusted", "Cf-Client-Cert-Der-Base64 is not the certificate this connection presented (request.cf.tlsClientAuth.certFingerprintSHA256)");
      }
    }
  }
  return { chain: [value] };
}

const READERS = { bearer: readBearer, "client-cert": readClientCert, xfcc: readXfcc, "cf-client-cert": readCfClientCert };

// ---------------------------------------------------------------------------------------------
// Decisions

// RFC 6750 §3: error_description is a quoted-string of %x20-21 / %x23-5B / %x5D-7E.
function quotable(text) {
  const clean = String(text).replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, (c) => (c === '"' ? "'" : c === "\\" ? "/" : "?"));
  return clean.length > MAX_REASON_LEN ? `${clean.slice(0, MAX_REASON_LEN - 3)}...` : clean;
}

function challenge(gate, source, code, reason, status) {
  if (!gate.sources.includes("bearer")) {
    // RFC 9110 §11.6.1 requires a challenge on every 401; TLS client certificates have no
    // registered scheme, so the gate names one (clients ignore schemes they don't know).
    return status === 401 ? `ClientCert realm="${gate.realm}"` : undefined;
  }
  if (status === 403) {
    return source === "bearer" ? `Bearer realm="${gate.realm}", error="insufficient_scope", error_description="${quotable(reason)}"` : undefined;
  }
  // RFC 6750 §3.1: no error code when the request carried no bearer token.
  if (source !== "bearer") return `Bearer realm="${gate.realm}"`;
  return `Bearer realm="${gate.realm}", error="invalid_token", error_description="${quotable(`${code}: ${reason}`)}"`;
}

function refuse(gate, status, code, reason, extra = {}) {
  const decision = { allow: false, status, code, reason, ...extra };
  const c = challenge(gate, extra.source, code, reason, status);
  if (c !== undefined) decision.challenge = c;
  return decision;
}

function requestPath(request) {
  try {
    return new URL(request.url).pathname;
  } catch {
    return null;
  }
}

async function decide(gate, request, method, path, now) {
  const route = path === null ? undefined : gate.routes.find((r) => r.match(path) && (r.methods === null || r.methods.includes(method)));
  const routeName = route ? route.path : null;

  // The credential: the first enabled source that presents one.
  let credential = null;
  let source = null;
  for (const s of gate.sources) {
    try {
      credential = await READERS[s](request);
    } catch (e) {
      if (!(e instanceof CredentialError)) throw e;
      return refuse(gate, 401, e.code, e.message, { source: s, route: routeName });
    }
    if (credential !== null) {
      source = s;
      break;
    }
  }
  if (credential === null) {
    const ignored = SOURCES.filter((s) => !gate.sources.includes(s) && SOURCE_HEADERS[s].some((h) => request.headers.has(h)));
    const hint = ignored.length > 0 ? `; ignored ${ignored.map((s) => SOURCE_LABEL[s]).join(", ")} (source not enabled)` : "";
    return refuse(gate, 401, "no-credential", `no credential: expected ${gate.sources.map((s) => SOURCE_LABEL[s]).join(" or ")}${hint}`, {
      route: routeName,
    });
  }

  // Verify, with the route's allow list (empty when no route matched: nothing is admitted).
  const policy = { ...gate.policy, allow: route ? route.allow : [] };
  const verify = (p) =>
    credential.token !== undefined
      ? verifyJwtSvid(credential.token, gate.bundles, { audience: gate.audience, now, skew: gate.skew, policy: p })
      : verifyX509Svid(credential.chain, gate.bundles, { now, skew: gate.skew, policy: p });
  const kind = credential.token !== undefined ? "jwt-svid" : "x509-svid";
  let result;
  try {
    result = await verify(policy);
  } catch (e) {
    if (!(e instanceof SvidError)) throw e;
    if (e.code !== "unauthorized" && e.code !== "revoked") {
      return refuse(gate, 401, e.code, e.message, { source, route: routeName });
    }
    // Verified but refused by the policy: verify again without it (same `now`: same verdict) for
    // the SPIFFE ID, which the 403 names. Costs a second verification on refused requests only.
    let spiffeId;
    try {
      spiffeId = (await verify(undefined)).spiffeId;
    } catch {
      spiffeId = undefined;
    }
    const reason =
      e.code === "revoked"
        ? e.message
        : route
          ? `${spiffeId ?? "the SPIFFE ID"} is not admitted by the rule of route ${route.path}`
          : `no route rule matches ${method} ${path}`;
    return refuse(gate, 403, e.code, reason, { source, route: routeName, ...(spiffeId ? { spiffeId } : {}) });
  }
  const identity = { ...result, kind, source };
  return {
    allow: true,
    status: 200,
    spiffeId: result.spiffeId,
    source,
    route: routeName,
    reason: `${result.spiffeId} admitted by route ${routeName}`,
    identity,
  };
}

function writeAudit(gate, record) {
  if (gate.audit === undefined) return;
  try {
    const r = gate.audit(record);
    if (r && typeof r.then === "function") r.then(undefined, (e) => console.error(`svidkit/gate: audit failed: ${e && e.message}`));
  } catch (e) {
    console.error(`svidkit/gate: audit failed: ${e && e.message}`);
  }
}

/**
 * Compiles `config` (throws GateConfigError if it is unusable) and returns the gate:
 * `async (request) => decision`. The gate never throws.
 */
export function createGate(config) {
  const gate = compile(config);
  return async function svidGate(request) {
    let method = "";
    let path = null;
    let now = null;
    let decision;
    try {
      method = typeof request?.method === "string" ? request.method : "";
      path = typeof request?.url === "string" ? requestPath(request) : null;
      now = gate.now();
      decision = await decide(gate, request, method, path, now);
    } catch (e) {
      decision = { allow: false, status: 500, code: "internal-error", reason: `the gate failed: ${e && e.message}` };
      console.error(`svidkit/gate: internal error: ${e && e.stack ? e.stack : e}`);
    }
    writeAudit(gate, {
      time: new Date((now ?? Math.floor(Date.now() / 1000)) * 1000).toISOString(),
      method,
      path,
      route: decision.route ?? null,
      spiffeId: decision.spiffeId ?? null,
      source: decision.source ?? null,
      verdict: decision.allow ? "allow" : "deny",
      status: decision.status,
      code: decision.code ?? null,
    });
    return decision;
  };
}

/**
 * The HTTP response for a refused request: the decision's status, `WWW-Authenticate` when it has
 * a challenge, and a JSON body `{ status, code, spiffeId, reason }`.
 */
export function refusalResponse(decision) {
  const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
  if (decision.challenge) headers["www-authenticate"] = decision.challenge;
  const body = { status: decision.status, code: decision.code, spiffeId: decision.spiffeId ?? null, reason: decision.reason };
  return new Response(JSON.stringify(body), { status: decision.status, headers });
}

/**
 * Wraps a Workers `fetch(request, env, ctx)` handler: allowed requests reach
 * `handler(request, env, ctx, identity)`; refused ones get refusalResponse(decision).
 * `config` is the createGate config, or a function `(env) => config` (it may return a promise),
 * called once per `env` object — so bundles can come from a secret or variable.
 */
export function withGate(config, handler) {
  if (typeof handler !== "function") throw new GateConfigError(`withGate: expected a handler function, got ${describe(handler)}`);
  let fixed = null;
  if (typeof config !== "function") fixed = Promise.resolve(createGate(config));
  const byEnv = new WeakMap();
  const noEnv = {};
  const gateFor = (env) => {
    if (fixed) return fixed;
    const key = typeof env === "object" && env !== null ? env : noEnv;
    let gate = byEnv.get(key);
    if (gate === undefined) {
      gate = Promise.resolve()
        .then(() => config(env))
        .then(createGate);
      byEnv.set(key, gate);
      gate.catch(() => byEnv.delete(key)); // a failed configuration is retried by the next request
    }
    return gate;
  };
  return async function fetch(request, env, ctx) {
    let gate;
    try {
      gate = await gateFor(env);
    } catch (e) {
      console.error(`svidkit/gate: configuration failed: ${e && e.message}`);
      return refusalResponse({ status: 500, code: "internal-error", reason: "the gate is not configured correctly" });
    }
    const decision = await gate(request);
    if (!decision.allow) return refusalResponse(decision);
    return handler(request, env, ctx, decision.identity);
  };
}
