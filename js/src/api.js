// The public JS API of svidkit (DESIGN.md "The JS surface"), on top of the raw wasm-bindgen exports
// of src/js.rs. Every entry point (node.js, workerd.js, browser.js, bundler.js, web.js) initialises
// the wasm module its own way and then calls createApi() with the raw glue.
//
// What this layer does, and nothing more:
//  - checks the JS *types* of the inputs and throws SvidError("malformed") naming what was expected;
//  - turns text into UTF-8 bytes without altering it (a string with a lone surrogate is rejected,
//    never replaced by U+FFFD; nothing is trimmed or normalised; base64 is never decoded here —
//    the core decodes it strictly);
//  - rejects inputs over the core's size limits before copying them into wasm memory (wasm memory
//    never shrinks, so a huge input must not reach it); the core checks the same limits again;
//  - turns the core's answer (a JSON envelope) into a result object or a thrown SvidError.

import { SvidError } from "./error.js";

// The core's limits (src/error.rs `limits`); over them is `malformed`.
const MAX_CHAIN_LEN = 16;
const MAX_TOKEN_LEN = 16 * 1024;
const MAX_BUNDLE_LEN = 1024 * 1024;
const MAX_CERT_LEN = 64 * 1024;
const MAX_SPIFFE_ID_LEN = 2048;
const MAX_TRUST_DOMAIN_LEN = 255;
// The core's bounds on chain text (src/x509.rs decode_base64_der, decode_pem_chain): a base64
// element over 2 × MAX_CERT_LEN characters, a PEM chain over 2 × 16 × MAX_CERT_LEN, is `malformed`.
const MAX_CERT_B64_LEN = MAX_CERT_LEN * 2;
const MAX_PEM_CHAIN_LEN = MAX_CHAIN_LEN * MAX_CERT_LEN * 2;

// Chain element kinds understood by the raw verifyX509Svid (src/js.rs).
const KIND_DER = 0; // one DER certificate
const KIND_BASE64 = 1; // standard padded base64 of one DER certificate
const KIND_PEM = 2; // PEM text, leaf first
const KIND_DER_CHAIN = 3; // concatenated DER certificates, leaf first (SPIFFE Workload API form)

const POLICY_KEYS = ["allow", "deny", "denySerials", "denyJti"];

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function malformed(message) {
  return new SvidError("malformed", message);
}

function article(noun) {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

function describe(value) {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = value.constructor && value.constructor.name;
    return name && name !== "Object" ? article(name) : "an object";
  }
  return article(typeof value);
}

function isWellFormed(s) {
  return typeof s.isWellFormed === "function" ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function limitError(what, size, limit, code) {
  return new SvidError(code, `${what} is ${size} bytes, over the limit of ${limit} bytes`);
}

/**
 * UTF-8 bytes of a string (checked to be well-formed UTF-16, so encoding loses nothing) or a copy-free
 * view of a Uint8Array (checked as UTF-8 by the core). `limit` is in bytes.
 */
function textBytes(value, what, limit, limitCode = "malformed") {
  if (typeof value === "string") {
    // Every UTF-16 code unit encodes to at least one UTF-8 byte: a longer string is over the limit.
    if (value.length > limit) throw limitError(what, `at least ${value.length}`, limit, limitCode);
    if (!isWellFormed(value)) {
      throw malformed(`${what} is not well-formed Unicode: it contains a lone UTF-16 surrogate`);
    }
    const bytes = encoder.encode(value);
    if (bytes.length > limit) throw limitError(what, bytes.length, limit, limitCode);
    return bytes;
  }
  if (value instanceof Uint8Array) {
    if (value.byteLength > limit) throw limitError(what, value.byteLength, limit, limitCode);
    return value;
  }
  return null;
}

function requireText(value, what, limit, limitCode, expected = "a string or Uint8Array") {
  const bytes = textBytes(value, what, limit, limitCode);
  if (bytes === null) throw malformed(`${what}: expected ${expected}, got ${describe(value)}`);
  return bytes;
}

function requireString(value, what, limit, limitCode) {
  if (typeof value !== "string") throw malformed(`${what}: expected a string, got ${describe(value)}`);
  return textBytes(value, what, limit, limitCode);
}

function trustDomainBytes(td) {
  return requireString(td, "trust domain", MAX_TRUST_DOMAIN_LEN, "invalid-spiffe-id");
}

/** A bundle document or JWK Set: JSON text (string or UTF-8 bytes) or an already parsed plain object. */
function jsonDocumentBytes(doc, what) {
  if (isPlainObject(doc)) {
    let text;
    try {
      text = JSON.stringify(doc);
    } catch (e) {
      throw new SvidError("malformed", `${what} cannot be serialised as JSON: ${e && e.message}`, { cause: e });
    }
    return requireText(text, what, MAX_BUNDLE_LEN);
  }
  return requireText(doc, what, MAX_BUNDLE_LEN, "malformed", "a JSON string, Uint8Array or plain object");
}

/** `now` → Unix seconds. */
function toUnixSeconds(value, what) {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms) || ms < 0) throw malformed(`${what}: the Date is invalid or before 1970`);
    return Math.floor(ms / 1000);
  }
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw malformed(`${what}: expected a Date or Unix seconds (a non-negative integer), got ${describeNumber(value)}`);
}

function describeNumber(value) {
  return typeof value === "number" ? String(value) : describe(value);
}

function seconds(value, what) {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw malformed(`${what}: expected seconds (a non-negative integer), got ${describeNumber(value)}`);
}

function stringList(value, what) {
  if (!Array.isArray(value)) throw malformed(`${what}: expected an array of strings, got ${describe(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw malformed(`${what}[${i}]: expected a string, got ${describe(item)}`);
    if (!isWellFormed(item)) throw malformed(`${what}[${i}] contains a lone UTF-16 surrogate`);
  });
  return value;
}

const EMPTY = new Uint8Array(0);

function policyBytes(policy) {
  if (policy === undefined) return EMPTY;
  if (!isPlainObject(policy)) throw malformed(`options.policy: expected an object, got ${describe(policy)}`);
  const out = {};
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.includes(key)) {
      throw malformed(`options.policy.${key}: unknown member (expected ${POLICY_KEYS.join(", ")})`);
    }
    if (policy[key] !== undefined) out[key] = stringList(policy[key], `options.policy.${key}`);
  }
  return encoder.encode(JSON.stringify(out));
}

const X509_OPTIONS = ["now", "skew", "policy"];
const JWT_OPTIONS = ["audience", ...X509_OPTIONS];

function commonOptions(options, what, known) {
  if (options === undefined) options = {};
  else if (!isPlainObject(options)) throw malformed(`${what}: expected an options object, got ${describe(options)}`);
  // A misspelt option (`polciy`) must not silently verify without it.
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw malformed(`${what}: unknown option ${key} (expected ${known.join(", ")})`);
  }
  return {
    options,
    now: options.now === undefined ? Math.floor(Date.now() / 1000) : toUnixSeconds(options.now, "options.now"),
    skew: options.skew === undefined ? 0 : seconds(options.skew, "options.skew"),
    policy: policyBytes(options.policy),
  };
}

/**
 * The chain argument of verifyX509Svid → { data, lens, kinds } for the raw export.
 * PEM string | Uint8Array (DER, one certificate or several concatenated) | array of DER/base64.
 */
function chainParts(chain) {
  if (typeof chain === "string") {
    const bytes = textBytes(chain, "chain (PEM)", MAX_PEM_CHAIN_LEN);
    return { data: bytes, lens: Uint32Array.of(bytes.length), kinds: Uint8Array.of(KIND_PEM) };
  }
  if (chain instanceof Uint8Array) {
    const bytes = textBytes(chain, "chain (DER)", MAX_CHAIN_LEN * MAX_CERT_LEN);
    return { data: bytes, lens: Uint32Array.of(bytes.length), kinds: Uint8Array.of(KIND_DER_CHAIN) };
  }
  if (Array.isArray(chain)) {
    if (chain.length > MAX_CHAIN_LEN) {
      throw malformed(`chain has ${chain.length} certificates, over the limit of ${MAX_CHAIN_LEN}`);
    }
    const parts = chain.map((item, i) => {
      if (typeof item === "string") {
        return { kind: KIND_BASE64, bytes: textBytes(item, `chain[${i}] (base64)`, MAX_CERT_B64_LEN) };
      }
      if (item instanceof Uint8Array) {
        return { kind: KIND_DER, bytes: textBytes(item, `chain[${i}] (DER)`, MAX_CERT_LEN) };
      }
      throw malformed(`chain[${i}]: expected a base64 string or a Uint8Array of DER, got ${describe(item)}`);
    });
    const data = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p.bytes, at);
      at += p.bytes.length;
    }
    return {
      data,
      lens: Uint32Array.from(parts, (p) => p.bytes.length),
      kinds: Uint8Array.from(parts, (p) => p.kind),
    };
  }
  throw malformed(
    `chain: expected a PEM string, a Uint8Array of DER or an array of base64 strings / DER Uint8Arrays, got ${describe(chain)}`,
  );
}

function audienceBytes(audience) {
  if (typeof audience === "string") audience = [audience];
  else if (!Array.isArray(audience)) {
    throw malformed(`options.audience: expected a string or an array of strings, got ${describe(audience)}`);
  }
  if (audience.length === 0) throw malformed("options.audience: name at least one audience");
  stringList(audience, "options.audience");
  return encoder.encode(JSON.stringify(audience));
}

/** The core answers with a JSON envelope: {"ok":true,"value":…} or {"ok":false,"code":…,"message":…}. */
function unwrap(envelope) {
  const answer = JSON.parse(envelope);
  if (answer.ok) return answer.value;
  throw new SvidError(answer.code, answer.message);
}

/**
 * @param {object} raw the wasm-bindgen glue (RawBundleSet, parseSpiffeId, verifyX509Svid, verifyJwtSvid)
 * @param {() => void} [ready] throws if the module is not initialised yet (the `./web` entry)
 */
export function createApi(raw, ready = () => {}) {
  const rawOf = new WeakMap();

  function rawSet(bundles, what = "bundles") {
    const r = typeof bundles === "object" && bundles !== null ? rawOf.get(bundles) : undefined;
    if (r === undefined) throw malformed(`${what}: expected a BundleSet, got ${describe(bundles)}`);
    return r;
  }

  class BundleSet {
    constructor() {
      ready();
      rawOf.set(this, new raw.RawBundleSet());
    }

    /** A BundleSet from `{ "example.org": bundleDocument, ... }` (or a Map of the same). */
    static from(bundles) {
      const entries =
        bundles instanceof Map ? [...bundles] : isPlainObject(bundles) ? Object.entries(bundles) : null;
      if (entries === null) {
        throw malformed(`BundleSet.from: expected an object mapping trust domains to bundles, got ${describe(bundles)}`);
      }
      const set = new BundleSet();
      for (const [td, doc] of entries) set.add(td, doc);
      return set;
    }

    /** Adds (replaces) the SPIFFE bundle of a trust domain: JSON text, UTF-8 bytes or a parsed object. */
    add(trustDomain, bundle) {
      const td = trustDomainBytes(trustDomain);
      const doc = jsonDocumentBytes(bundle, "bundle document");
      unwrap(rawSet(this, "this").add(td, doc));
      return this;
    }

    /** Adds X.509 authorities of a trust domain from PEM text. */
    addPem(trustDomain, pem) {
      const td = trustDomainBytes(trustDomain);
      const bytes = requireText(pem, "PEM", MAX_BUNDLE_LEN);
      unwrap(rawSet(this, "this").addPem(td, bytes));
      return this;
    }

    /** Adds JWT authorities of a trust domain from a plain JWK Set (no `use` needed). */
    addJwks(trustDomain, jwks) {
      const td = trustDomainBytes(trustDomain);
      const doc = jsonDocumentBytes(jwks, "JWK Set");
      unwrap(rawSet(this, "this").addJwks(td, doc));
      return this;
    }

    /** What the set holds for a trust domain, or undefined. */
    get(trustDomain) {
      const td = trustDomainBytes(trustDomain);
      const info = unwrap(rawSet(this, "this").get(td));
      return info === null ? undefined : info;
    }

    /** The trust domains that have a bundle, sorted. */
    trustDomains() {
      return unwrap(rawSet(this, "this").trustDomains());
    }
  }

  function parseSpiffeId(id) {
    ready();
    const bytes = requireString(id, "SPIFFE ID", MAX_SPIFFE_ID_LEN, "invalid-spiffe-id");
    return unwrap(raw.parseSpiffeId(bytes));
  }

  function verifyX509Svid(chain, bundles, options) {
    ready();
    const parts = chainParts(chain);
    const set = rawSet(bundles);
    const o = commonOptions(options, "verifyX509Svid options", X509_OPTIONS);
    return unwrap(raw.verifyX509Svid(set, parts.data, parts.lens, parts.kinds, o.now, o.skew, o.policy));
  }

  function verifyJwtSvid(token, bundles, options) {
    ready();
    const bytes = requireText(token, "token", MAX_TOKEN_LEN);
    const set = rawSet(bundles);
    if (!isPlainObject(options)) {
      throw malformed(`verifyJwtSvid options: expected an object with an audience, got ${describe(options)}`);
    }
    const audience = audienceBytes(options.audience);
    const o = commonOptions(options, "verifyJwtSvid options", JWT_OPTIONS);
    return unwrap(raw.verifyJwtSvid(set, bytes, audience, o.now, o.skew, o.policy));
  }

  /** What a piece of text is, for routing pasted input (the verify functions still decode strictly). */
  function detect(input) {
    ready();
    return unwrap(raw.detect(requireText(input, "input", MAX_BUNDLE_LEN)));
  }

  /**
   * Decodes an X.509-SVID or JWT-SVID and explains the verdict: decoded fields plus the checklist
   * of every rule (pass / fail / not-reached / skipped). Does not throw for a bad SVID — the
   * report's `verdict` carries the code — only for arguments of the wrong type.
   */
  function inspect(input, bundles, options) {
    ready();
    const set = rawSet(bundles);
    const o = commonOptions(options, "inspect options", JWT_OPTIONS);
    const kind = typeof input === "string" ? unwrap(raw.detect(requireText(input, "input", MAX_BUNDLE_LEN))) : "x509-svid";
    if (kind === "jwt-svid") {
      let audience = o.options.audience === undefined ? [] : o.options.audience;
      if (typeof audience === "string") audience = [audience];
      const aud = encoder.encode(JSON.stringify(stringList(audience, "options.audience")));
      const token = requireText(input, "token", MAX_TOKEN_LEN);
      return unwrap(raw.inspectJwt(set, token, aud, o.now, o.skew, o.policy));
    }
    if (kind === "bundle" || kind === "unknown") {
      throw malformed(
        kind === "bundle"
          ? "input is a bundle document, not an SVID: use inspectBundle"
          : "input is neither a PEM or base64 certificate chain nor a JWT-SVID",
      );
    }
    const parts = chainParts(kind === "base64-der" ? [input] : input);
    return unwrap(raw.inspectX509(set, parts.data, parts.lens, parts.kinds, o.now, o.skew, o.policy));
  }

  /** Describes a bundle document (authorities, kids, refresh hint, sequence); throws SvidError if it is invalid. */
  function inspectBundle(document, trustDomain) {
    ready();
    const doc = jsonDocumentBytes(document, "bundle document");
    const td = trustDomain === undefined ? EMPTY : trustDomainBytes(trustDomain);
    return unwrap(raw.inspectBundle(doc, td));
  }

  return { BundleSet, parseSpiffeId, verifyX509Svid, verifyJwtSvid, detect, inspect, inspectBundle };
}
