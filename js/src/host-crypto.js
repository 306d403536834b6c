// The runtime's native signature checks behind the core's signature trait (src/crypto.rs,
// src/js.rs `HostCrypto`). The core calls `check(alg, keyId, spki, message, signature)` for every
// ECDSA and RSA check and for Ed25519 checks whose answer no verifier's rules could change
// (src/crypto.rs `host_may_verify`: never for small-order or non-canonical points, nor for
// id-RSASSA-PSS keys: those stay in Rust) and reads the answer: 1 verifies, 0 does not, 2 "not
// handled here" (the core then checks in pure Rust). Ed25519 goes only to host libraries whose
// verdicts were compared with the core's on crafted keys and signatures: OpenSSL (Node), Deno's
// and BoringSSL (workerd); libgcrypt (WebKitGTK's WebCrypto) hashes without reducing mod L, so a
// key with a small-order component gets other verdicts there, and browsers are not all known.
// `spki`, `message` and `signature` are views of wasm memory, valid only during the call.
// `keyId` is non-zero for a key of the BundleSet's bundles (its number until the set changes),
// 0 for a key of the presented chain; imported host keys are cached under it per BundleSet and
// dropped when the set changes (api.js). Keys of presented chains (intermediates: importing one
// costs more than a signature check in Node) are cached by their exact SPKI bytes, at most
// PRESENTED_KEYS of them per set, the least recently used dropped first.
//
// Two hosts:
//  - node:crypto (Node, Deno): synchronous, so the sync API uses it directly.
//  - WebCrypto (`crypto.subtle`; workerd, browsers): asynchronous, so only the async API uses it,
//    by replaying the core: `replay` runs the core with a check that answers from the WebCrypto
//    results it already has and records the checks it still needs (answering them "verifies"),
//    computes those, and runs the core again, until a run needs nothing new or every answer it
//    assumed was right. That run's answers are all real, so its verdict is exactly the core's
//    (path building may try several candidates; the core decides).

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

/** How many keys of presented chains a BundleSet keeps imported. */
export const PRESENTED_KEYS = 64;

const latin1 = new TextDecoder("latin1"); // one code point per byte: a Map key for bytes

/**
 * The imported key cached for (`keyId`, `spki`, `variant`), or undefined. `keys` is the set's Map
 * for bundle keys (by id), `presented` its LRU Map for other keys (by SPKI bytes).
 */
function cachedKey(keys, presented, keyId, spki, variant) {
  if (keyId !== 0) return keys.get(variant === "" ? keyId : `${keyId}:${variant}`);
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
    keys.set(variant === "" ? keyId : `${keyId}:${variant}`, key);
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

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCheck(c, alg, spki, message, signature) {
  return c.alg === alg && equalBytes(c.signature, signature) && equalBytes(c.message, message) && equalBytes(c.spki, spki);
}

/** One WebCrypto check; any failure of the host (import refused, operation error) → NOT_HANDLED. */
async function webCheck(subtle, state, c) {
  const a = ALGORITHMS[c.alg];
  if (a === undefined) return NOT_HANDLED;
  try {
    const importParams = a.ed ? { name: a.ed } : a.ec ? { name: "ECDSA", namedCurve: a.ec } : { name: a.rsa, hash: a.hash };
    // A CryptoKey binds the algorithm (and the hash for RSA): cached per key and algorithm; a
    // bundle key only while the set has not changed since the check was recorded.
    const cacheable = c.keyId === 0 || c.generation === state.generation;
    let key = cacheable ? cachedKey(state.cryptoKeys, state.presentedCryptoKeys, c.keyId, c.spki, String(c.alg)) : undefined;
    if (key === undefined) {
      key = subtle.importKey("spki", c.spki, importParams, false, ["verify"]);
      if (cacheable) cacheKey(state.cryptoKeys, state.presentedCryptoKeys, c.keyId, c.spki, String(c.alg), key);
    }
    const params = a.ed
      ? { name: a.ed }
      : a.ec
        ? { name: "ECDSA", hash: a.hash }
        : a.saltLength
          ? { name: "RSA-PSS", saltLength: a.saltLength }
          : { name: a.rsa };
    return (await subtle.verify(params, await key, c.signature, c.message)) ? VERIFIES : FAILS;
  } catch {
    return NOT_HANDLED;
  }
}

/** Rounds before giving up on WebCrypto and running the core in pure Rust (never reached in practice). */
const MAX_ROUNDS = 100;

/** The algorithm number of Ed25519 (src/js.rs `alg_code`). */
const ED25519 = ALGORITHMS.findIndex((a) => a.ed !== undefined);

/**
 * Runs `run(host)` (one synchronous call of the core that returns its JSON envelope) until a run
 * needs no signature check that WebCrypto has not answered yet, and returns that run's envelope.
 * `state` is the BundleSet's {generation, cryptoKeys, presentedCryptoKeys}. `ed25519`: whether
 * this WebCrypto's Ed25519 may be asked at all (see createApi's `webCryptoEd25519`); if not, the
 * core checks Ed25519 in Rust.
 */
export async function replay(subtle, state, run, { ed25519 = false } = {}) {
  const known = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pending = [];
    const host = {
      check(alg, keyId, spki, message, signature) {
        if (alg === ED25519 && !ed25519) return NOT_HANDLED;
        for (const c of known) if (sameCheck(c, alg, spki, message, signature)) return c.answer;
        if (!pending.some((c) => sameCheck(c, alg, spki, message, signature))) {
          pending.push({
            alg,
            keyId,
            generation: state.generation,
            spki: spki.slice(),
            message: message.slice(),
            signature: signature.slice(),
          });
        }
        // Provisional: assume it verifies, so the core goes on and asks for the rest of the path in
        // this round too. The verdict of a round with pending checks is discarded.
        return VERIFIES;
      },
    };
    const envelope = run(host);
    if (pending.length === 0) return envelope;
    await Promise.all(
      pending.map(async (c) => {
        c.answer = await webCheck(subtle, state, c);
        known.push(c);
      }),
    );
    // A run of the core depends only on its input and the answers it gets: when every pending
    // check verified, as this round assumed, another run would ask the same checks, get the same
    // answers and return this envelope. So a valid SVID costs one run, not two.
    if (pending.every((c) => c.answer === VERIFIES)) return envelope;
  }
  return run(undefined);
}
