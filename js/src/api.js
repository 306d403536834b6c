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
//  - turns the core's answer (a JSON envelope) into a result object or a thrown SvidError;
//  - picks the signature checks (host-crypto.js): node:crypto where the entry has it (node.js,
//    deno.js), WebCrypto for the async variants elsewhere, the core's pure Rust otherwise.

import { SvidError } from "./error.js";
import { HOST_NONE, NO_PENDING, algorithmCodes, replay, settle } from "./host-crypto.js";

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
// What detect and inspect read: the largest input any SVID or bundle function takes (a PEM chain).
const MAX_INSPECT_LEN = Math.max(MAX_PEM_CHAIN_LEN, MAX_BUNDLE_LEN);

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
const NO_POLICY = { json: "", bytes: EMPTY };

/** `{ json, bytes }` of the policy option (`json` "" without one). */
function policyOf(policy) {
  if (policy === undefined) return NO_POLICY;
  if (!isPlainObject(policy)) throw malformed(`options.policy: expected an object, got ${describe(policy)}`);
  const out = {};
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.includes(key)) {
      throw malformed(`options.policy.${key}: unknown member (expected ${POLICY_KEYS.join(", ")})`);
    }
    if (policy[key] !== undefined) out[key] = stringList(policy[key], `options.policy.${key}`);
  }
  const json = JSON.stringify(out);
  return { json, bytes: encoder.encode(json) };
}

const X509_OPTIONS = ["now", "skew", "policy"];
const JWT_OPTIONS = ["audience", ...X509_OPTIONS];

function policyFields(p) {
  return { policy: p.bytes, policyJson: p.json };
}

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
    ...policyFields(policyOf(options.policy)),
  };
}

/**
 * One chain item, checked now (type, limit, well-formed text) and encoded only when needed: a
 * string short enough that its UTF-8 can't exceed the limit (≤ 3 bytes per UTF-16 unit) stays a
 * string until the core runs, so a cache hit never encodes it. The checks, and their order, are
 * textBytes's.
 */
function chainItem(value, what, limit) {
  if (typeof value === "string" && value.length * 3 <= limit) {
    if (!isWellFormed(value)) throw malformed(`${what} is not well-formed Unicode: it contains a lone UTF-16 surrogate`);
    return value;
  }
  return textBytes(value, what, limit);
}

/**
 * The chain argument of verifyX509Svid → `data`, `lens`, `kinds` for the raw export (made on first
 * use) and `key`, text that names the input for the result cache.
 * PEM string | Uint8Array (DER, one certificate or several concatenated) | array of DER/base64.
 */
class ChainParts {
  constructor(items, kinds) {
    this.items = items; // strings (not yet encoded) and Uint8Arrays
    this.kinds = kinds;
    this.encoded = null;
    this.comparedItems = undefined;
  }

  get data() {
    return this.encode().data;
  }

  get lens() {
    return this.encode().lens;
  }

  encode() {
    if (this.encoded === null) {
      const bytes = this.items.map((item) => (typeof item === "string" ? encoder.encode(item) : item));
      const lens = Uint32Array.from(bytes, (b) => b.length);
      this.encoded = { data: bytes.length === 1 ? bytes[0] : concat(bytes), lens };
    }
    return this.encoded;
  }

  /** The caller's Uint8Arrays copied, so that changing them later (while an async verify waits) changes nothing here. */
  own() {
    this.items = this.items.map((item) => (typeof item === "string" ? item : item.slice()));
    this.encoded = null;
    this.comparedItems = undefined;
    return this;
  }

  /**
   * Cache key. A PEM string is its own key (a Map compares strings whole); any other input is
   * keyed by a hash (a number, so never equal to a PEM key), and `compared()` is what a hit then
   * compares with the entry: the kinds, then every item.
   */
  get key() {
    if (this.kinds[0] === KIND_PEM && typeof this.items[0] === "string") return this.items[0];
    let h = 0;
    for (const item of this.compared()) h = sampledHash(item, Math.imul(h ^ item.length, 0x01000193));
    return h;
  }

  /** Null when the key is the input itself, else the kinds (the same text as base64 or as DER are different inputs) and the items. */
  compared() {
    if (this.kinds[0] === KIND_PEM && typeof this.items[0] === "string") return null;
    // Asked for the key and again for the entry's comparison: made once per item list.
    this.comparedItems ??= [this.kinds, ...this.items];
    return this.comparedItems;
  }
}

function chainParts(chain) {
  if (typeof chain === "string") {
    return new ChainParts([chainItem(chain, "chain (PEM)", MAX_PEM_CHAIN_LEN)], Uint8Array.of(KIND_PEM));
  }
  if (chain instanceof Uint8Array) {
    return new ChainParts([textBytes(chain, "chain (DER)", MAX_CHAIN_LEN * MAX_CERT_LEN)], Uint8Array.of(KIND_DER_CHAIN));
  }
  if (Array.isArray(chain)) {
    if (chain.length > MAX_CHAIN_LEN) {
      throw malformed(`chain has ${chain.length} certificates, over the limit of ${MAX_CHAIN_LEN}`);
    }
    const kinds = new Uint8Array(chain.length);
    const items = chain.map((item, i) => {
      if (typeof item === "string") {
        kinds[i] = KIND_BASE64;
        return chainItem(item, `chain[${i}] (base64)`, MAX_CERT_B64_LEN);
      }
      if (item instanceof Uint8Array) {
        kinds[i] = KIND_DER;
        return textBytes(item, `chain[${i}] (DER)`, MAX_CERT_LEN);
      }
      throw malformed(`chain[${i}]: expected a base64 string or a Uint8Array of DER, got ${describe(item)}`);
    });
    return new ChainParts(items, kinds);
  }
  throw malformed(
    `chain: expected a PEM string, a Uint8Array of DER or an array of base64 strings / DER Uint8Arrays, got ${describe(chain)}`,
  );
}

/**
 * Checks the audience option (a string or a non-empty array of strings); returns text that names
 * it exactly (for cache keys): `s` + the string, or `a` + the array as JSON.
 */
function audienceKey(audience) {
  if (typeof audience === "string") {
    if (!isWellFormed(audience)) throw malformed("options.audience[0] contains a lone UTF-16 surrogate");
    return `s${audience}`;
  }
  if (!Array.isArray(audience)) {
    throw malformed(`options.audience: expected a string or an array of strings, got ${describe(audience)}`);
  }
  // An empty list is a caller's mistake, but a well-formed one: like the core on every other surface,
  // it admits no token (audience-mismatch, after the token's own checks).
  stringList(audience, "options.audience");
  return `a${JSON.stringify(audience)}`;
}

/** The audience as the core takes it: JSON text of an array of strings (an array's is in its key). */
function audienceJson(audKey) {
  if (audKey === lastAudience.key) return lastAudience.json;
  const json = audKey[0] === "a" ? audKey.slice(1) : JSON.stringify([audKey.slice(1)]);
  lastAudience = { key: audKey, json };
  return json;
}
// A service checks most tokens against the same audience: its JSON is made once.
let lastAudience = { key: null, json: null };

/** The core answers with a JSON envelope: {"ok":true,"value":…} or {"ok":false,"code":…,"message":…}. */
function unwrap(envelope) {
  const answer = JSON.parse(envelope);
  if (answer.ok) return answer.value;
  throw new SvidError(answer.code, answer.message);
}

/** Values of the `crypto` option of createVerifier. */
const CRYPTO_MODES = ["auto", "wasm", "webcrypto"];

// Argument checks in the order the sync functions always made them: the SVID, the bundles, the options.
// A string token short enough that its UTF-8 can't exceed the limit (≤ 3 bytes per UTF-16 unit)
// is encoded only when the core runs (a cache hit never needs the bytes); the checks, and their
// order, are requireText's.
function jwtRequest(token, stOf, options, what) {
  let bytes = null;
  if (typeof token === "string" && token.length * 3 <= MAX_TOKEN_LEN) {
    if (!isWellFormed(token)) throw malformed("token is not well-formed Unicode: it contains a lone UTF-16 surrogate");
  } else {
    bytes = requireText(token, "token", MAX_TOKEN_LEN);
  }
  const st = stOf();
  if (!isPlainObject(options)) {
    throw malformed(`${what} options: expected an object with an audience, got ${describe(options)}`);
  }
  const audKey = audienceKey(options.audience);
  const o = commonOptions(options, `${what} options`, JWT_OPTIONS);
  return { st, token, bytes, audKey, o };
}

/** The audience's JSON for the core (JSON.stringify's output is well-formed, so passed as a string). */
function jwtAudience(r) {
  if (r.audience === undefined) r.audience = audienceJson(r.audKey);
  return r;
}

function x509Request(chain, stOf, options, what) {
  const parts = chainParts(chain);
  const st = stOf();
  return { st, parts, o: commonOptions(options, `${what} options`, X509_OPTIONS) };
}

// --- the verified-result cache of createVerifier({ cache }) ------------------------------------

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Successful verifications by input: a repeat of the same token (or chain) with the same audience
 * and policy answers from here without running the core, as long as `now` (widened by the call's
 * `skew`) is inside the validity window of the first answer — the token's nbf..exp, the
 * intersection of the verified path's certificate validities. Outside it, or after the BundleSet
 * changed, the core verifies again. Failures are never cached. At most `maxEntries` tokens or
 * chains, each with the answers for up to VARIANTS audience/policy combinations (the latest);
 * when full, the oldest entry not used since it was last passed over goes (second chance, an
 * approximation of least-recently-used that costs nothing on a hit). Answers are copies: a caller
 * changing one changes no other.
 */
const VARIANTS = 4;

class ResultCache {
  constructor(maxEntries, equalBytes) {
    this.maxEntries = maxEntries;
    this.equalBytes = equalBytes;
    this.entries = new Map(); // input key → { used, variants: [{ key, value, from, until, exclusiveUntil }] }
    this.generation = -1;
    this.hits = 0;
    this.misses = 0;
  }

  sync(generation) {
    if (this.generation !== generation) {
      this.entries.clear();
      this.generation = generation;
    }
  }

  get(st, key, bytes, variant, now, skew) {
    this.sync(st.generation);
    const e = this.entries.get(key);
    if (e !== undefined && (bytes === null || sameItems(e.bytes, bytes, this.equalBytes))) {
      for (const v of e.variants) {
        if (v.key === variant && now >= v.from - skew && (v.exclusiveUntil ? now < v.until + skew : now <= v.until + skew)) {
          e.used = true;
          this.hits++;
          return cloneJson(v.value);
        }
      }
    }
    this.misses++;
    return undefined;
  }

  /** Keeps `value`, verified against the set as it was at `generation`. */
  set(st, generation, key, bytes, variant, value, window) {
    if (generation !== st.generation) return; // the set changed meanwhile: the answer may be stale
    this.sync(generation);
    let e = this.entries.get(key);
    if (e !== undefined && bytes !== null && !sameItems(e.bytes, bytes, this.equalBytes)) {
      this.entries.delete(key); // another input with the same hash: the newer one takes the place
      e = undefined;
    }
    if (e === undefined) {
      while (this.entries.size >= this.maxEntries) {
        const [oldestKey, oldest] = this.entries.entries().next().value;
        this.entries.delete(oldestKey);
        if (!oldest.used) break;
        oldest.used = false; // a second chance: to the back of the line
        this.entries.set(oldestKey, oldest);
      }
      e = { used: false, bytes: bytes === null ? null : storedItems(bytes), variants: [] };
      this.entries.set(key, e);
    }
    e.variants = [{ key: variant, value: cloneJson(value), ...window }, ...e.variants.filter((v) => v.key !== variant)].slice(0, VARIANTS);
  }

  stats() {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, maxEntries: this.maxEntries };
  }
}

/** A copy of a value made of JSON types (what the core answers). */
function cloneJson(v) {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneJson(v[i]);
    return out;
  }
  const out = { ...v };
  for (const k in out) {
    const x = out[k];
    if (typeof x === "object" && x !== null) out[k] = cloneJson(x);
  }
  return out;
}

/** When a JWT-SVID answer holds: nbf ≤ now < exp (each widened by the call's skew). */
function jwtWindow(result) {
  return { from: result.notBefore === undefined ? -Infinity : result.notBefore, until: result.expiresAt, exclusiveUntil: true };
}

/** When an X.509-SVID answer holds: every certificate of the verified path valid, bounds inclusive. */
function x509Window(result) {
  let from = -Infinity;
  let until = Infinity;
  for (const c of result.chain) {
    from = Math.max(from, c.notBefore);
    until = Math.min(until, c.notAfter);
  }
  return { from, until, exclusiveUntil: false };
}

// Cache keys name the core's whole input but the BundleSet, `now` and `skew`: the token or chain
// (the entry), and the audience and policy (the variant).
/** A Uint32Array over the whole words of `bytes`, when they are 4-byte aligned (else null). */
function words(bytes) {
  return bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) : null;
}

/** One copy of the items, end to end. */
function concat(items) {
  const out = new Uint8Array(items.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of items) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** A cache entry's own copy of the items: strings as they are, bytes copied to offset 0 with a word view. */
function storedItems(items) {
  return items.map((item) => {
    if (typeof item === "string") return { str: item };
    const u8 = item.slice();
    return { u8, u32: words(u8) };
  });
}

/** Whether bytes equal a stored copy, in JS: a word at a time when both are aligned. */
function storedEqual(stored, b) {
  const { u8, u32 } = stored;
  if (u8.length !== b.length) return false;
  let i = 0;
  const w = words(b);
  if (w !== null) {
    for (let j = 0; j < w.length; j++) if (w[j] !== u32[j]) return false;
    i = w.length * 4;
  }
  for (; i < b.length; i++) if (b[i] !== u8[i]) return false;
  return true;
}

/**
 * Whether the items are those of a stored entry, item by item; `equal(stored, bytes)` compares
 * bytes (storedEqual, or the runtime's native compare: createApi's `equalBytes`).
 */
function sameItems(stored, items, equal) {
  if (stored.length !== items.length) return false;
  for (let k = 0; k < items.length; k++) {
    const s = stored[k];
    const b = items[k];
    if (typeof b === "string" || s.str !== undefined) {
      if (b !== s.str) return false;
    } else if (!equal(s, b)) {
      return false;
    }
  }
  return true;
}

/**
 * FNV-1a over the length, 8 units spread over the item (bytes, or UTF-16 units of a string) and
 * its last 32, chained over the items: the key of an X.509 entry. A hit compares every item with
 * the entry's copy, so a collision is only ever a miss (and only successful answers are kept:
 * colliding inputs must verify to evict one another). Certificates end in their signature, which
 * the last units cover; their first bytes are the same DER header everywhere, so they are sampled
 * no more densely than the middle.
 */
function sampledHash(item, seed) {
  const n = item.length;
  let h = Math.imul(seed ^ 0x811c9dc5 ^ n, 0x01000193);
  const tail = Math.max(0, n - 32);
  const step = Math.max(1, Math.floor(tail / 8));
  if (typeof item === "string") {
    for (let i = 0; i < tail; i += step) h = Math.imul(h ^ item.charCodeAt(i), 0x01000193);
    for (let i = tail; i < n; i++) h = Math.imul(h ^ item.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < tail; i += step) h = Math.imul(h ^ item[i], 0x01000193);
    for (let i = tail; i < n; i++) h = Math.imul(h ^ item[i], 0x01000193);
  }
  return h >>> 0;
}

// A Uint8Array token keys the cache by its text: the core sees the same UTF-8 bytes for both.
// Bytes that are not UTF-8 are never cached (the core says malformed).
function jwtKey(r) {
  if (typeof r.token === "string") return r.token;
  try {
    return utf8.decode(r.bytes);
  } catch {
    return null;
  }
}

function jwtVariant(r) {
  return `${r.audKey}\u0000${r.o.policyJson}`;
}

function x509Key(r) {
  return r.parts.key;
}

function x509Variant(r) {
  return r.o.policyJson;
}

function cacheOf(config, equalBytes) {
  if (config === undefined) return null;
  if (!isPlainObject(config)) throw malformed(`createVerifier: cache: expected { maxEntries }, got ${describe(config)}`);
  for (const key of Object.keys(config)) {
    if (key !== "maxEntries") throw malformed(`createVerifier: cache: unknown option ${key} (expected maxEntries)`);
  }
  const max = config.maxEntries === undefined ? 1000 : config.maxEntries;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw malformed(`createVerifier: cache.maxEntries: expected a positive integer, got ${describeNumber(max)}`);
  }
  return new ResultCache(max, equalBytes);
}

/**
 * `glue`'s functions, stopped for good by the first trap: a WebAssembly trap (out of memory, or a
 * bug) can leave the module's state half-updated, so after one no call goes into it again — each
 * throws an Error saying so (a set's or a session's release does nothing), rather than answering
 * from a broken module or waiting on a lock the trap left held.
 */
function untilTrapped(glue) {
  let trap = null;
  const out = {};
  for (const [name, f] of Object.entries(glue)) {
    if (typeof f !== "function") {
      out[name] = f;
      continue;
    }
    const releases = name.endsWith("Free");
    out[name] = (...args) => {
      if (trap !== null) {
        if (releases) return undefined;
        throw new Error("svidkit: the WebAssembly module trapped earlier and can't be used any more; load svidkit again", { cause: trap });
      }
      try {
        return f(...args);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) trap = e;
        throw e;
      }
    };
  }
  return out;
}

/**
 * @param {object} glue the wasm-bindgen glue (bundleSetNew, parseSpiffeId, verifyX509Svid, verifyJwtSvid, ...)
 * @param {object} [host]
 * @param {() => void} [host.ready] throws if the module is not initialised yet (the `./web` entry)
 * @param {(keys: Map) => Function} [host.nodeCrypto] node:crypto checks (host-crypto.js nodeCrypto), where the runtime has them
 * @param {(stored: {u8: Uint8Array}, bytes: Uint8Array) => boolean} [host.equalBytes] a native
 *   byte compare for result-cache hits (host-crypto.js bufferEqualBytes), where the runtime has one
 * @param {() => WebAssembly.Memory} host.memory the module's memory (host checks are read there)
 * @param {boolean} [host.webCryptoEd25519] whether the runtime's WebCrypto Ed25519 is one known to
 *   give the core's verdicts (Node's OpenSSL, Deno's, workerd's BoringSSL); elsewhere (browsers)
 *   Ed25519 stays in Rust. node:crypto, where given, is always such a host.
 * @param {string[]} [host.asyncWebCrypto] algorithms ("ES256", ...) that the async functions check
 *   with WebCrypto even where node:crypto is given, because this runtime's WebCrypto is quicker at
 *   them (measured: bench/edge.mjs); the rest stay on node:crypto.
 */
export function createApi(
  glue,
  { memory, ready = () => {}, nodeCrypto = null, equalBytes = storedEqual, webCryptoEd25519 = false, asyncWebCrypto = [] } = {},
) {
  const raw = untilTrapped(glue);
  const asyncWebAlgs = algorithmCodes(asyncWebCrypto);
  const [ED25519] = algorithmCodes(["EdDSA"]);
  // Per BundleSet: the core's set, and the host keys imported for its bundle keys (dropped
  // whenever the set changes: the core numbers bundle keys afresh then).
  const stateOf = new WeakMap();

  function stateFor(bundles, what = "bundles") {
    const st = typeof bundles === "object" && bundles !== null ? stateOf.get(bundles) : undefined;
    if (st === undefined) throw malformed(`${what}: expected a BundleSet, got ${describe(bundles)}`);
    return st;
  }

  function changed(st) {
    st.generation++;
    st.keys.clear();
    st.cryptoKeys.clear();
  }

  // The core's sets behind the JS BundleSets, freed when a set's state is collected: not when
  // its BundleSet is, since a verification holds the state only (an async one across awaits,
  // after its caller may have dropped the BundleSet) and a freed handle is reused.
  const collected = new FinalizationRegistry((handle) => raw.bundleSetFree(handle));

  /**
   * The checks the last run left for the host (src/js.rs `checksLen`, `checksAt`), in place in
   * wasm memory: valid until the next call into the module.
   */
  function pendingChecks(session) {
    const len = raw.checksLen(session);
    return len === 0 ? NO_PENDING : new Uint8Array(memory().buffer, raw.checksAt(session), len);
  }

  // The check session of the synchronous functions: one is enough, since a synchronous
  // verification runs to its end before any other can start.
  let syncSession = 0;

  /** The synchronous host check for a set, or null (pure Rust). */
  function syncCheck(st, mode) {
    if (mode !== "auto" || nodeCrypto === null) return null;
    if (st.check === null) st.check = nodeCrypto(st.keys, st.presentedKeys);
    return st.check;
  }

  /** `run(host, session)` with the best synchronous checks: node:crypto, else pure Rust. */
  function runSync(st, mode, run) {
    const check = syncCheck(st, mode);
    if (check === null) return run(HOST_NONE, 0);
    if (syncSession === 0) syncSession = raw.checkSessionNew();
    const session = syncSession;
    return settle((flags) => run(flags, session), () => pendingChecks(session), check);
  }

  function subtle() {
    const c = globalThis.crypto;
    return c && typeof c.subtle === "object" && c.subtle !== null ? c.subtle : null;
  }

  /** `run(host, session)` with the best synchronous checks, or over WebCrypto. */
  async function runAsync(st, mode, run) {
    // "auto" with node:crypto: the runtime's synchronous checks, but for the algorithms its
    // WebCrypto is quicker at (asyncWebCrypto), when it has WebCrypto.
    const check = syncCheck(st, mode);
    if (check !== null && asyncWebAlgs.size === 0) return runSync(st, mode, run);
    const s = mode === "wasm" ? null : subtle();
    if (s === null) return check !== null ? runSync(st, mode, run) : run(HOST_NONE, 0);
    const session = raw.checkSessionNew();
    try {
      return await replay(s, st, (flags) => run(flags, session), () => pendingChecks(session), {
        // Ed25519 may go to node:crypto (always one known to agree) unless it is routed to WebCrypto.
        ed25519: webCryptoEd25519 || (check !== null && !asyncWebAlgs.has(ED25519)),
        check,
        webAlgs: asyncWebAlgs,
      });
    } finally {
      raw.checkSessionFree(session);
    }
  }

  class BundleSet {
    constructor() {
      ready();
      const st = {
        set: raw.bundleSetNew(),
        generation: 0,
        keys: new Map(),
        cryptoKeys: new Map(),
        // Keys of presented chains by SPKI bytes (host-crypto.js): kept across set changes.
        presentedKeys: new Map(),
        presentedCryptoKeys: new Map(),
        check: null,
      };
      collected.register(st, st.set);
      stateOf.set(this, st);
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
      const st = stateFor(this, "this");
      unwrap(raw.bundleSetAdd(st.set, td, doc));
      changed(st);
      return this;
    }

    /** Adds X.509 authorities of a trust domain from PEM text. */
    addPem(trustDomain, pem) {
      const td = trustDomainBytes(trustDomain);
      const bytes = requireText(pem, "PEM", MAX_BUNDLE_LEN);
      const st = stateFor(this, "this");
      unwrap(raw.bundleSetAddPem(st.set, td, bytes));
      changed(st);
      return this;
    }

    /** Adds JWT authorities of a trust domain from a plain JWK Set (no `use` needed). */
    addJwks(trustDomain, jwks) {
      const td = trustDomainBytes(trustDomain);
      const doc = jsonDocumentBytes(jwks, "JWK Set");
      const st = stateFor(this, "this");
      unwrap(raw.bundleSetAddJwks(st.set, td, doc));
      changed(st);
      return this;
    }

    /** What the set holds for a trust domain, or undefined. */
    get(trustDomain) {
      let td;
      try {
        td = trustDomainBytes(trustDomain);
      } catch (e) {
        // A name no set can hold (over 255 bytes) is not in this one, as "Example.org" is not;
        // a non-string is still an argument of the wrong type.
        if (e instanceof SvidError && e.code === "invalid-spiffe-id") return undefined;
        throw e;
      }
      const info = unwrap(raw.bundleSetGet(stateFor(this, "this").set, td));
      return info === null ? undefined : info;
    }

    /** The trust domains that have a bundle, sorted. */
    trustDomains() {
      return unwrap(raw.bundleSetTrustDomains(stateFor(this, "this").set));
    }
  }

  function parseSpiffeId(id) {
    ready();
    const bytes = requireString(id, "SPIFFE ID", MAX_SPIFFE_ID_LEN, "invalid-spiffe-id");
    return unwrap(raw.parseSpiffeId(bytes));
  }

  // The verify functions of one configuration: `mode` picks the signature checks, `cache` is a
  // ResultCache or null. `stOf()` gives the BundleSet's state (checked after the SVID argument,
  // before the options).
  function verifiers(mode, cache = null) {
    // One run of the core; `r.ranAt` records the set's generation it saw (for the cache).
    function x509Run(r) {
      const { st, parts, o } = r;
      return (host, session) => {
        r.ranAt = st.generation;
        return raw.verifyX509Svid(st.set, parts.data, parts.lens, parts.kinds, o.now, o.skew, o.policy, host, session);
      };
    }
    // A string token (checked well-formed: no lone surrogate) goes in as a string, which the
    // glue writes into wasm memory as UTF-8 directly; a Uint8Array as bytes.
    function jwtRun(r) {
      const { st, token, bytes, audience, o } = jwtAudience(r);
      return (host, session) => {
        r.ranAt = st.generation;
        return bytes === null
          ? raw.verifyJwtSvidText(st.set, token, audience, o.now, o.skew, o.policy, host, session)
          : raw.verifyJwtSvid(st.set, bytes, audience, o.now, o.skew, o.policy, host, session);
      };
    }
    // The async API may wait between core runs: inputs are copied so a caller changing its
    // Uint8Array meanwhile changes nothing.
    function own(r) {
      if (r.bytes !== undefined && r.bytes !== null) r.bytes = r.bytes.slice();
      if (r.parts !== undefined) r.parts.own();
      return r;
    }
    function cached(r, keyOf, variantOf) {
      if (cache === null) return undefined;
      r.key = keyOf(r);
      if (r.key === null) return undefined;
      r.variant = variantOf(r);
      return cache.get(r.st, r.key, keyBytes(r), r.variant, r.o.now, r.o.skew);
    }
    // The chain bytes an X.509 entry is compared by (after own(), the request's own copy).
    function keyBytes(r) {
      return r.parts === undefined ? null : r.parts.compared();
    }
    function remember(r, result, windowOf) {
      if (cache !== null && r.key !== null) cache.set(r.st, r.ranAt, r.key, keyBytes(r), r.variant, result, windowOf(result));
      return result;
    }
    return {
      verifyX509Svid(chain, stOf, options) {
        const r = x509Request(chain, stOf, options, "verifyX509Svid");
        const hit = cached(r, x509Key, x509Variant);
        if (hit !== undefined) return hit;
        return remember(r, unwrap(runSync(r.st, mode, x509Run(r))), x509Window);
      },
      verifyJwtSvid(token, stOf, options) {
        const r = jwtRequest(token, stOf, options, "verifyJwtSvid");
        const hit = cached(r, jwtKey, jwtVariant);
        if (hit !== undefined) return hit;
        return remember(r, unwrap(runSync(r.st, mode, jwtRun(r))), jwtWindow);
      },
      async verifyX509SvidAsync(chain, stOf, options) {
        const r = x509Request(chain, stOf, options, "verifyX509SvidAsync");
        const hit = cached(r, x509Key, x509Variant);
        if (hit !== undefined) return hit;
        own(r);
        return remember(r, unwrap(await runAsync(r.st, mode, x509Run(r))), x509Window);
      },
      async verifyJwtSvidAsync(token, stOf, options) {
        const r = jwtRequest(token, stOf, options, "verifyJwtSvidAsync");
        const hit = cached(r, jwtKey, jwtVariant);
        if (hit !== undefined) return hit;
        own(r);
        return remember(r, unwrap(await runAsync(r.st, mode, jwtRun(r))), jwtWindow);
      },
    };
  }

  const auto = verifiers("auto");

  function verifyX509Svid(chain, bundles, options) {
    ready();
    return auto.verifyX509Svid(chain, () => stateFor(bundles), options);
  }

  function verifyJwtSvid(token, bundles, options) {
    ready();
    return auto.verifyJwtSvid(token, () => stateFor(bundles), options);
  }

  /** verifyX509Svid with the host's asynchronous crypto (WebCrypto) where it has no synchronous one. */
  async function verifyX509SvidAsync(chain, bundles, options) {
    ready();
    return auto.verifyX509SvidAsync(chain, () => stateFor(bundles), options);
  }

  /** verifyJwtSvid with the host's asynchronous crypto (WebCrypto) where it has no synchronous one. */
  async function verifyJwtSvidAsync(token, bundles, options) {
    ready();
    return auto.verifyJwtSvidAsync(token, () => stateFor(bundles), options);
  }

  /**
   * A verifier bound to one BundleSet: `{ bundles, crypto?: "auto" | "wasm" | "webcrypto", cache?: { maxEntries? } }`.
   * crypto "auto" (the default) uses node:crypto where the entry has it, else WebCrypto in the
   * async methods and pure Rust in the sync ones; "wasm" always pure Rust; "webcrypto" WebCrypto
   * in the async methods (pure Rust in the sync ones) even where node:crypto exists.
   * cache: keep successful answers (ResultCache), at most maxEntries (default 1000).
   */
  function createVerifier(config) {
    ready();
    if (!isPlainObject(config)) throw malformed(`createVerifier: expected an options object, got ${describe(config)}`);
    for (const key of Object.keys(config)) {
      if (!["bundles", "crypto", "cache"].includes(key)) {
        throw malformed(`createVerifier: unknown option ${key} (expected bundles, crypto, cache)`);
      }
    }
    const bundles = config.bundles;
    const st = stateFor(bundles, "createVerifier: bundles");
    const mode = config.crypto === undefined ? "auto" : config.crypto;
    if (!CRYPTO_MODES.includes(mode)) {
      throw malformed(`createVerifier: crypto must be one of ${CRYPTO_MODES.join(", ")}, got ${typeof mode === "string" ? JSON.stringify(mode) : describe(mode)}`);
    }
    const cache = cacheOf(config.cache, equalBytes);
    const v = verifiers(mode, cache);
    const stOf = () => st;
    return Object.freeze({
      bundles,
      crypto: mode,
      /** `{ hits, misses, entries, maxEntries }` of the result cache, or null without one. */
      cacheStats: () => (cache === null ? null : cache.stats()),
      /** Forgets every cached answer. */
      clearCache: () => {
        if (cache !== null) cache.entries.clear();
      },
      verifyX509Svid: (chain, options) => v.verifyX509Svid(chain, stOf, options),
      verifyJwtSvid: (token, options) => v.verifyJwtSvid(token, stOf, options),
      verifyX509SvidAsync: async (chain, options) => v.verifyX509SvidAsync(chain, stOf, options),
      verifyJwtSvidAsync: async (token, options) => v.verifyJwtSvidAsync(token, stOf, options),
    });
  }

  /** What a piece of text is, for routing pasted input (the verify functions still decode strictly). */
  function detect(input) {
    ready();
    return unwrap(raw.detect(requireText(input, "input", MAX_INSPECT_LEN)));
  }

  /**
   * Decodes an X.509-SVID or JWT-SVID and explains the verdict: decoded fields plus the checklist
   * of every rule (pass / fail / not-reached / skipped). Does not throw for a bad SVID — the
   * report's `verdict` carries the code — only for arguments of the wrong type, and `malformed`
   * for text `detect` calls "unknown" or a bundle document (nothing to report a kind for) or text
   * over MAX_INSPECT_LEN (never copied into the module). A token over the core's 16 KiB limit is
   * an inspection with the verdict `malformed`, as on the other surfaces.
   */
  function inspect(input, bundles, options) {
    ready();
    const set = stateFor(bundles).set;
    const o = commonOptions(options, "inspect options", JWT_OPTIONS);
    const text = typeof input === "string" ? requireText(input, "input", MAX_INSPECT_LEN) : null;
    const kind = text === null ? "x509-svid" : unwrap(raw.detect(text));
    if (kind === "jwt-svid") {
      let audience = o.options.audience === undefined ? [] : o.options.audience;
      if (typeof audience === "string") audience = [audience];
      const aud = encoder.encode(JSON.stringify(stringList(audience, "options.audience")));
      // The core applies the token limit itself and reports an oversized token as malformed.
      const token = text;
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

  return {
    BundleSet,
    parseSpiffeId,
    verifyX509Svid,
    verifyJwtSvid,
    verifyX509SvidAsync,
    verifyJwtSvidAsync,
    createVerifier,
    detect,
    inspect,
    inspectBundle,
  };
}
