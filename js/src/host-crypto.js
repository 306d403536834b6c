// The runtime's native signature checks behind the core's signature trait (src/crypto.rs,
// src/js.rs `with_crypto`). The .wasm imports nothing (a function import costs V8 a compiled
// wrapper when it compiles the module), so the core cannot call out for a check: a run with host
// flags takes ECDSA and RSA checks, and Ed25519 checks whose answer no verifier's rules could
// change (src/crypto.rs `host_may_verify`: never for small-order or non-canonical points, nor for
// id-RSASSA-PSS keys: those stay in Rust), from the answers its check session holds, and records
// any other one there with an assumed answer. `settle` (node:crypto, synchronous) and `replay`
// (WebCrypto) answer the recorded checks — 1 verifies, 0 does not, 2 "not handled here" (the
// core then checks in pure Rust) — and keep the run's answer when every assumption held: a run
// depends only on its input and its answers, so another run would ask the same checks and give
// the same answer. Otherwise they run the core again with the answers known. The first run
// assumes "verifies", so a valid SVID costs one run; later ones assume "fails", so each tries
// every remaining candidate issuer at once and the runs are bounded by the chain's depth. The
// verdict is always the core's.
//
// Ed25519 goes only to host libraries whose verdicts were compared with the core's on crafted
// keys and signatures: OpenSSL (Node), Deno's and BoringSSL (workerd); libgcrypt (WebKitGTK's
// WebCrypto) hashes without reducing mod L, so a key with a small-order component gets other
// verdicts there, and browsers are not all known.
// `keyId` is non-zero for a key of the BundleSet's bundles (its number until the set changes),
// 0 for a key of the presented chain; imported host keys are cached under it per BundleSet and
// dropped when the set changes (api.js). Keys of presented chains (intermediates: importing one
// costs more than a signature check in Node) are cached by their exact SPKI bytes, at most
// PRESENTED_KEYS of them per set, the least recently used dropped first.

/** The algorithm numbers of src/js.rs `alg_code`. */
export const ALGORITHMS = [
  { name: "ES256", hash: "SHA-256", ec: "P-256" },
  { name: "ES384", hash: "SHA-384", ec: "P-384" },
  { name: "ES512", hash: "SHA-512", ec: "P-521" },
  { name: "RS256", hash: "SHA-256", rsa: "RSASSA-PKCS1-v1_5" },
  { name: "RS384", hash: "SHA-384", rsa: "RSASSA-PKCS1-v1_5" },
  { name: "RS512", hash: "SHA-512", rsa: "RSASSA-PKCS1-v1_5" },
  { name: "PS256", hash: "SHA-256", rsa: "RSA-PSS", saltLength: 32 },
  { name: "PS384", hash: "SHA-384", rsa: "RSA-PSS", saltLength: 48 },
  { name: "PS512", hash: "SHA-512", rsa: "RSA-PSS", saltLength: 64 },
  { name: "EdDSA", ed: "Ed25519" },
];

const VERIFIES = 1;
const FAILS = 0;
const NOT_HANDLED = 2;

/** src/js.rs `host` flags: pure Rust; ECDSA and RSA to the host; Ed25519 too; assume unanswered
 * checks fail (not verify); the first run of a verification. */
export const HOST_NONE = 0;
const HOST = 1;
const HOST_ED25519 = 2;
const HOST_ASSUME_FAILS = 4;
const HOST_FRESH = 8;

/** What a run assumed of a check it left for the host (the answer byte of a pending record). */
const ASSUMED_VERIFIES = 0xff;

/** No pending checks. */
export const NO_PENDING = new Uint8Array(0);

/** Whether the host's `answer` is what the run assumed. */
function asAssumed(assumed, answer) {
  return assumed === ASSUMED_VERIFIES ? answer === VERIFIES : answer === FAILS;
}

/**
 * The check records of `bytes` (src/js.rs `CheckRecord`: alg, answer, key id as u32 LE, then
 * SPKI, message and signature, each a u32 LE length and its bytes), as views into `bytes`; `at`
 * is where a record starts (its answer byte is at `at + 1`).
 */
function checksOf(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checks = [];
  for (let at = 0; at + 6 <= bytes.length; ) {
    const start = at;
    const spkiLen = view.getUint32(at + 6, true);
    const spki = bytes.subarray(at + 10, at + 10 + spkiLen);
    at += 10 + spkiLen;
    const messageLen = view.getUint32(at, true);
    const message = bytes.subarray(at + 4, at + 4 + messageLen);
    at += 4 + messageLen;
    const signatureLen = view.getUint32(at, true);
    const signature = bytes.subarray(at + 4, at + 4 + signatureLen);
    at += 4 + signatureLen;
    checks.push({ at: start, alg: bytes[start], assumed: bytes[start + 1], keyId: view.getUint32(start + 2, true), spki, message, signature, generation: 0 });
  }
  return checks;
}

/** Rounds before giving up on the host and running the core in pure Rust (never reached in practice). */
const MAX_ROUNDS = 100;

/**
 * Runs `run(flags)` (one synchronous call of the core, in one check session, that returns its JSON
 * envelope) with `check(alg, keyId, spki, message, signature)` (node:crypto) answering the checks
 * each run leaves (`pendingChecks()`: the session's records in place in wasm memory, where the
 * answers are written), until a run's assumptions all hold or it leaves no check; returns that
 * run's envelope. The first run assumes unanswered checks verify (a valid SVID: one run), later
 * ones that they fail (each then tries every remaining candidate at once: src/js.rs
 * `with_crypto`).
 */
export function settle(run, pendingChecks, check) {
  let flags = HOST | HOST_ED25519 | HOST_FRESH;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const envelope = run(flags);
    const pending = pendingChecks();
    if (pending.length === 0) return envelope;
    let held = true;
    for (const c of checksOf(pending)) {
      const answer = check(c.alg, c.keyId, c.spki, c.message, c.signature);
      if (!asAssumed(c.assumed, answer)) held = false;
      pending[c.at + 1] = answer;
    }
    if (held) return envelope;
    flags = HOST | HOST_ED25519 | HOST_ASSUME_FAILS;
  }
  return run(HOST_NONE);
}

/** How many keys of presented chains a BundleSet keeps imported. */
export const PRESENTED_KEYS = 64;

const latin1 = new TextDecoder("latin1"); // one code point per byte: a Map key for bytes

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The imported key cached for (`keyId`, `spki`, `variant`), or undefined. `keys` is the set's Map
 * for bundle keys (by id), `presented` its LRU Map for other keys (by SPKI bytes).
 */
function cachedKey(keys, presented, keyId, spki, variant) {
  if (keyId !== 0) {
    // The SPKI is compared too: a key number is only ever meant for one key of one set.
    const entry = keys.get(variant === "" ? keyId : `${keyId}:${variant}`);
    return entry !== undefined && sameBytes(entry.spki, spki) ? entry.key : undefined;
  }
  const k = `${variant}:${latin1.decode(spki)}`;
  const key = presented.get(k);
  if (key !== undefined) {
    presented.delete(k);
    presented.set(k, key);
  }
  return key;
}

function cacheKey(keys, presented, keyId, spki, variant, key) {
  if (keyId !== 0) {
    keys.set(variant === "" ? keyId : `${keyId}:${variant}`, { spki: spki.slice(), key });
    return;
  }
  presented.set(`${variant}:${latin1.decode(spki)}`, key);
  if (presented.size > PRESENTED_KEYS) presented.delete(presented.keys().next().value);
}

/**
 * node:crypto checks (synchronous): `crypto.verify` with IEEE P1363 (r‖s) ECDSA signatures and
 * PSS with a salt as long as the hash. Returns `(keys, presented) => check` where `keys` and
 * `presented` are one BundleSet's Maps of imported KeyObjects (see cachedKey).
 */
export function nodeCrypto(crypto) {
  const { createPublicKey, verify, constants } = crypto;
  // Ed25519 hashes inside the signature scheme: node:crypto takes no digest name for it.
  const hashes = ALGORITHMS.map((a) => (a.ed ? null : a.hash.replace("SHA-", "sha")));
  const options = ALGORITHMS.map((a) =>
    a.ed
      ? {}
      : a.ec
        ? { dsaEncoding: "ieee-p1363" }
        : a.saltLength
          ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: a.saltLength }
          : { padding: constants.RSA_PKCS1_PADDING },
  );
  return (keys, presented) =>
    function check(alg, keyId, spki, message, signature) {
      try {
        let key = cachedKey(keys, presented, keyId, spki, "");
        if (key === undefined) {
          try {
            key = createPublicKey({ key: spki, format: "der", type: "spki" });
          } catch {
            key = null; // the host can't import it: the core checks it in Rust
          }
          cacheKey(keys, presented, keyId, spki, "", key);
        }
        if (key === null || options[alg] === undefined) return NOT_HANDLED;
        return verify(hashes[alg], message, { key, ...options[alg] }, signature) ? VERIFIES : FAILS;
      } catch {
        return NOT_HANDLED;
      }
    };
}

/**
 * node:buffer's native compare (Node, Deno) for the result cache's hits (api.js sameItems): a
 * cached chain is compared byte for byte with the presented one on every hit, and `Buffer.compare`
 * of a kilobyte costs a fraction of the JS loop (~60 vs ~200 ns per 400 bytes, measured;
 * `crypto.timingSafeEqual` ~300 ns: its argument checks cost more than the compare).
 */
export function bufferEqualBytes(Buffer) {
  const { compare } = Buffer;
  return (stored, bytes) => stored.u8.length === bytes.length && compare(stored.u8, bytes) === 0;
}

/** WebCrypto's parameters for each algorithm of ALGORITHMS: importKey's, verify's, made once. */
const IMPORT_PARAMS = ALGORITHMS.map((a) =>
  Object.freeze(a.ed ? { name: a.ed } : a.ec ? { name: "ECDSA", namedCurve: a.ec } : { name: a.rsa, hash: a.hash }),
);
const VERIFY_PARAMS = ALGORITHMS.map((a) =>
  Object.freeze(
    a.ed
      ? { name: a.ed }
      : a.ec
        ? { name: "ECDSA", hash: a.hash }
        : a.saltLength
          ? { name: "RSA-PSS", saltLength: a.saltLength }
          : { name: a.rsa },
  ),
);
/** Key-cache variants: a CryptoKey is bound to its algorithm. */
const VARIANTS = ALGORITHMS.map((_, i) => String(i));

/** One WebCrypto check; any failure of the host (import refused, operation error) → NOT_HANDLED. */
async function webCheck(subtle, state, c) {
  if (ALGORITHMS[c.alg] === undefined) return NOT_HANDLED;
  try {
    // A CryptoKey binds the algorithm (and the hash for RSA): cached per key and algorithm; a
    // bundle key only while the set has not changed since the check was recorded.
    const cacheable = c.keyId === 0 || c.generation === state.generation;
    const variant = VARIANTS[c.alg];
    let key = cacheable ? cachedKey(state.cryptoKeys, state.presentedCryptoKeys, c.keyId, c.spki, variant) : undefined;
    if (key === undefined) {
      key = subtle.importKey("spki", c.spki, IMPORT_PARAMS[c.alg], false, ["verify"]);
      if (cacheable) cacheKey(state.cryptoKeys, state.presentedCryptoKeys, c.keyId, c.spki, variant, key);
    }
    return (await subtle.verify(VERIFY_PARAMS[c.alg], await key, c.signature, c.message)) ? VERIFIES : FAILS;
  } catch {
    return NOT_HANDLED;
  }
}

/** The numbers (src/js.rs `alg_code`) of the algorithms named in `names` ("ES256", ...). */
export function algorithmCodes(names) {
  const codes = new Set();
  for (const name of names) {
    const code = ALGORITHMS.findIndex((a) => a.name === name);
    if (code < 0) throw new Error(`host-crypto: no algorithm ${name}`);
    codes.add(code);
  }
  return codes;
}

/**
 * `settle` over WebCrypto (asynchronous): `state` is the BundleSet's {generation, cryptoKeys,
 * presentedCryptoKeys}; `ed25519`, whether this WebCrypto's Ed25519 may be asked at all (see
 * createApi's `webCryptoEd25519`); if not, the core checks Ed25519 in Rust. With `check` (a
 * node:crypto check, see nodeCrypto), only the algorithms in `webAlgs` go to WebCrypto, the
 * others to `check`. The session is this verification's own: other verifications may run while
 * WebCrypto works.
 */
export async function replay(subtle, state, run, pendingChecks, { ed25519 = false, check = null, webAlgs = null } = {}) {
  const answer = (c) =>
    check !== null && !webAlgs.has(c.alg) ? check(c.alg, c.keyId, c.spki, c.message, c.signature) : webCheck(subtle, state, c);
  const base = ed25519 ? HOST | HOST_ED25519 : HOST;
  let flags = base | HOST_FRESH;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const envelope = run(flags);
    const pending = pendingChecks().slice(); // a copy: other runs may move wasm memory meanwhile
    if (pending.length === 0) return envelope;
    const checks = checksOf(pending);
    for (const c of checks) c.generation = state.generation;
    // One check (a token, most chains' runs): no Promise.all around it.
    const answers = checks.length === 1 ? [await answer(checks[0])] : await Promise.all(checks.map(answer));
    const inPlace = pendingChecks();
    let held = true;
    checks.forEach((c, i) => {
      if (!asAssumed(c.assumed, answers[i])) held = false;
      inPlace[c.at + 1] = answers[i];
    });
    if (held) return envelope;
    flags = base | HOST_ASSUME_FAILS;
  }
  return run(HOST_NONE);
}
