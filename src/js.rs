//! The wasm-bindgen adapter (feature `js`) under the npm package `svidkit` (js/). Thin on purpose:
//! js/src/api.js checks JS types and hands over bytes; these exports decode them as the core does
//! (strictly), call the core, and answer with one JSON envelope —
//! `{"ok":true,"value":…}` or `{"ok":false,"code":"…","message":"…"}` — that api.js turns into a
//! result or a thrown `SvidError`.
//!
//! Why JSON strings and not `serde-wasm-bindgen`/`js-sys` objects: the core already reads and
//! writes JSON (bundles and tokens are JSON; `crate::json`), so answering in JSON adds almost no
//! code to the .wasm and no JS imports at all, while building JS objects field by field would pull in js-sys glue and one
//! import per operation. Verify results are small; one `JSON.parse` per call costs microseconds.
//! Nothing here throws into JS: a wasm-bindgen `Result<_, JsValue>` would need JS-side error glue.
//!
//! Signatures: the module imports nothing — not even a callback for host crypto, since V8 (Node
//! 20) compiles a wrapper for every function import when it compiles the module, ≈ 1 ms of a
//! ≈ 3 ms cold start. With `host` flags a verify call defers each ECDSA and RSA check (and
//! Ed25519 with [`HOST_ED25519`]; src/crypto.rs `host_may_verify` decides which may go) to the
//! host: it takes the answer its check session holds, or records the check there (see
//! [`CheckRecord`]) and assumes an answer for the rest of the run. js/src/host-crypto.js
//! `settle`/`replay` answer the recorded checks with node:crypto or WebCrypto and keep the run's
//! answer when every assumption was right — a run depends only on its input and its answers, so
//! another run would give the same — else run again with the answers known (see
//! [`with_crypto`]). Without a host every check is pure Rust. Parsing, rules and policy are the
//! core's either way.
//!
//! Text arrives as UTF-8 bytes (`&[u8]`), never as `&str`: wasm-bindgen's string passing would
//! replace a lone surrogate by U+FFFD, and JS `Uint8Array` inputs may hold any bytes. Invalid
//! UTF-8 is `malformed`, like every other undecodable input.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use spin::Mutex;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::bundle::Bundle;
use crate::crypto::host_may_verify;
use crate::error::{Error, Result};
use crate::json::{object, JsonText, ObjectWriter, Value};
use crate::key::{PublicKey, SignatureAlgorithm};
use crate::x509::{self, CertSummary};
use crate::{BundleSet, Options, Policy};

/// Chain element kinds of [`verify_x509_svid`]; js/src/api.js uses the same numbers.
const KIND_DER: u8 = 0;
const KIND_BASE64: u8 = 1;
const KIND_PEM: u8 = 2;
const KIND_DER_CHAIN: u8 = 3;

/// Largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The algorithm numbers of [`CheckRecord`]s; js/src/host-crypto.js uses the same table.
fn alg_code(alg: SignatureAlgorithm) -> u8 {
    use SignatureAlgorithm as A;
    match alg {
        A::Es256 => 0,
        A::Es384 => 1,
        A::Es512 => 2,
        A::Rs256 => 3,
        A::Rs384 => 4,
        A::Rs512 => 5,
        A::Ps256 => 6,
        A::Ps384 => 7,
        A::Ps512 => 8,
        A::Ed25519 => 9,
    }
}

/// A number for a key of the set's bundles (1, 2, ... in trust-domain order, X.509 authorities
/// before JWT authorities), 0 for any other key (an intermediate of the presented chain). The
/// numbering only holds until the set changes; api.js drops the host keys it imported under
/// these numbers whenever it does.
fn bundle_key_id(bundles: &BundleSet, key: &PublicKey) -> u32 {
    let mut id = 0u32;
    for bundle in bundles.bundles() {
        for a in bundle.x509_authorities() {
            id += 1;
            if core::ptr::eq(&a.cert().key, key) {
                return id;
            }
        }
        for a in bundle.jwt_authorities() {
            id += 1;
            if core::ptr::eq(a.key(), key) {
                return id;
            }
        }
    }
    0
}

/// `host` flags of the verify exports (api.js uses the same numbers). Without [`HOST`] every
/// check is pure Rust. [`HOST`]: ECDSA and RSA checks go to the host; with [`HOST_ED25519`],
/// Ed25519 too.
/// [`HOST_FRESH`]: the first run of a verification (the session forgets earlier checks).
/// [`HOST_ASSUME_FAILS`]: a check the host has not answered yet is taken as failing in this
/// run, not as verifying.
pub const HOST: u8 = 1;
pub const HOST_ED25519: u8 = 2;
pub const HOST_ASSUME_FAILS: u8 = 4;
pub const HOST_FRESH: u8 = 8;

/// Answers in a [`CheckRecord`]: 1 verifies, 0 does not, anything else "not handled by the host"
/// (the core then checks in pure Rust). A pending record carries what the run assumed instead.
const ASSUMED_VERIFIES: u8 = 0xff;
const ASSUMED_FAILS: u8 = 0xfe;

/// One signature check as bytes, the form in which checks go to the host and come back answered:
/// `alg` (1 byte, [`alg_code`]), answer (1), key id (u32 LE, [`bundle_key_id`]), then the SPKI,
/// the message and the signature, each as a u32 LE length and its bytes.
struct CheckRecord<'a> {
    /// Where the record starts in its buffer.
    at: usize,
    alg: u8,
    answer: u8,
    spki: &'a [u8],
    message: &'a [u8],
    signature: &'a [u8],
}

impl<'a> CheckRecord<'a> {
    /// The records of `bytes`, up to the first that is cut short.
    fn all(bytes: &'a [u8]) -> impl Iterator<Item = CheckRecord<'a>> {
        let whole = bytes.len();
        let mut bytes = bytes;
        core::iter::from_fn(move || {
            let at = whole - bytes.len();
            let (head, rest) = bytes.split_at_checked(6)?;
            let mut rest = rest;
            let mut field = || -> Option<&'a [u8]> {
                let (len, tail) = rest.split_at_checked(4)?;
                let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
                let (value, tail) = tail.split_at_checked(len)?;
                rest = tail;
                Some(value)
            };
            let (spki, message, signature) = (field()?, field()?, field()?);
            bytes = rest;
            Some(CheckRecord {
                at,
                alg: head[0],
                answer: head[1],
                spki,
                message,
                signature,
            })
        })
    }

    fn is(&self, alg: u8, spki: &[u8], message: &[u8], signature: &[u8]) -> bool {
        // The signature first: it tells two checks apart in its first bytes; the message (up to
        // a 64 KiB TBSCertificate) last.
        self.alg == alg
            && self.signature == signature
            && self.spki == spki
            && self.message == message
    }

    fn len(spki: &[u8], message: &[u8], signature: &[u8]) -> usize {
        6 + 12 + spki.len() + message.len() + signature.len()
    }

    fn write(
        out: &mut Vec<u8>,
        (alg, assumed): (u8, u8),
        key_id: u32,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) {
        out.extend_from_slice(&[alg, assumed]);
        out.extend_from_slice(&key_id.to_le_bytes());
        for part in [spki, message, signature] {
            out.extend_from_slice(&(part.len() as u32).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
}

/// One verification's signature checks over its runs: those the host answered, and those the
/// last run left for it (answered in place by api.js, they join the others at the next run).
/// Kept in the module, so that a run's lookups need no copy of what earlier runs asked.
#[derive(Default)]
struct Session {
    answered: Vec<u8>,
    pending: Vec<u8>,
}

/// The sessions, by handle (index + 1), as [`SETS`]. Module state behind spin locks: the .wasm
/// runs on one thread and calls nothing outside itself, so they are never contended there
/// (native test builds run tests on several threads).
static SESSIONS: Table<Session> = Mutex::new(Vec::new());

/// Most bytes of check records one session keeps; past them, checks are made in Rust (a crafted
/// 16-certificate chain of 64 KiB certificates would otherwise record ≈ 9 MB a verification).
const MAX_SESSION_BYTES: usize = 2 << 20;

/// The module's state is only ever locked for the length of one call, and nothing in the module
/// calls out: a lock that is held can only be one a trap (out of memory) left behind. Never
/// spin on it — that would hang the caller's thread — fail instead.
fn locked<T>(m: &'static Mutex<T>) -> Option<spin::MutexGuard<'static, T>> {
    m.try_lock()
}

/// Values by handle (index + 1; 0 names none), freed slots reused: the bundle sets and the check
/// sessions.
type Table<T> = Mutex<Vec<Option<T>>>;

/// `value`'s new handle, or 0 if the table is locked (see [`locked`]).
fn table_insert<T>(table: &'static Table<T>, value: T) -> u32 {
    let Some(mut slots) = locked(table) else {
        return 0;
    };
    let i = match slots.iter().position(Option::is_none) {
        Some(i) => i,
        None => {
            slots.push(None);
            slots.len() - 1
        }
    };
    slots[i] = Some(value);
    i as u32 + 1
}

/// The value of `handle`, taken out of the table (dropped by the caller, after the lock is
/// released).
fn table_remove<T>(table: &'static Table<T>, handle: u32) -> Option<T> {
    let i = (handle as usize).checked_sub(1)?;
    locked(table)?.get_mut(i).and_then(Option::take)
}

/// `f` with the value of `handle`, if there is one and the table is not locked.
fn table_with<T, R>(
    table: &'static Table<T>,
    handle: u32,
    f: impl FnOnce(&mut T) -> R,
) -> Option<R> {
    let i = (handle as usize).checked_sub(1)?;
    locked(table)?.get_mut(i).and_then(Option::as_mut).map(f)
}

fn with_session<T>(handle: u32, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
    table_with(&SESSIONS, handle, f)
}

/// Readies `session` for a verify call, first of all (a call that fails before any signature
/// check must leave no check behind): the checks the host answered in place join the answered
/// ones, or, with [`HOST_FRESH`], all are forgotten.
fn begin_checks(host: u8, session: u32) {
    with_session(session, |s| {
        if host & HOST_FRESH != 0 {
            s.answered.clear();
        } else {
            s.answered.extend_from_slice(&s.pending);
        }
        s.pending.clear();
    });
}

/// Runs `f` with the signature checks of `host` flags: pure Rust, or host-first with the answers
/// `session` holds and every other check the host may take recorded there for it, and assumed to
/// verify (or, with [`HOST_ASSUME_FAILS`], to fail). api.js keeps a run's answer only when every
/// assumption was right — a run depends only on its input and its answers — and otherwise runs
/// again. Assuming "verifies" first makes a valid SVID one run; assuming "fails" after that lets
/// a run try every other candidate issuer at once, so the runs are bounded by the chain's depth,
/// not by the failing checks a crafted chain can make path building try one after another.
fn with_crypto<T>(
    bundles: &BundleSet,
    host: u8,
    session: u32,
    f: impl FnOnce(&dyn crate::SignatureVerifier) -> T,
) -> T {
    if host & HOST == 0 || with_session(session, |_| ()).is_none() {
        return f(&crate::RustCrypto);
    }
    let assumed = if host & HOST_ASSUME_FAILS != 0 {
        ASSUMED_FAILS
    } else {
        ASSUMED_VERIFIES
    };
    f(&Deferred {
        bundles,
        host,
        session,
        assumed,
    })
}

/// The signature checks of a run with host flags (see [`with_crypto`]).
struct Deferred<'a> {
    bundles: &'a BundleSet,
    host: u8,
    session: u32,
    assumed: u8,
}

impl crate::SignatureVerifier for Deferred<'_> {
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        let (code, spki) = (alg_code(alg), key.spki_der());
        let known = with_session(self.session, |s| {
            CheckRecord::all(&s.answered)
                .find(|r| r.is(code, spki, message, signature))
                .map(|r| (r.at, r.answer))
        })
        .flatten();
        match known {
            Some((_, 0)) => return false,
            Some((_, 1)) => return true,
            _ => {}
        }
        let to_host = known.is_none()
            && host_may_verify(alg, key, signature)
            && (alg != SignatureAlgorithm::Ed25519 || self.host & HOST_ED25519 != 0);
        if to_host {
            let recorded = with_session(self.session, |s| {
                if CheckRecord::all(&s.pending).any(|r| r.is(code, spki, message, signature)) {
                    return true;
                }
                let len = CheckRecord::len(spki, message, signature);
                if s.answered.len() + s.pending.len() + len > MAX_SESSION_BYTES {
                    return false;
                }
                let id = bundle_key_id(self.bundles, key);
                let pending = &mut s.pending;
                CheckRecord::write(pending, (code, self.assumed), id, spki, message, signature);
                true
            });
            if recorded == Some(true) {
                return self.assumed == ASSUMED_VERIFIES;
            }
        }
        // In Rust: a check the host may not take or declined (answer 2), or past the session's
        // size. The answer is kept, so that later runs of this verification don't redo it.
        let verified = crate::RustCrypto.verify(alg, key, message, signature);
        with_session(self.session, |s| match known {
            Some((at, _)) => s.answered[at + 1] = u8::from(verified),
            None => {
                let len = CheckRecord::len(spki, message, signature);
                if s.answered.len() + s.pending.len() + len <= MAX_SESSION_BYTES {
                    let answer = (code, u8::from(verified));
                    CheckRecord::write(&mut s.answered, answer, 0, spki, message, signature);
                }
            }
        });
        verified
    }
}

/// A new session for one verification's runs; its handle.
#[wasm_bindgen(js_name = checkSessionNew)]
pub fn check_session_new() -> u32 {
    table_insert(&SESSIONS, Session::default())
}

/// Frees a session (api.js, when its verification is over).
#[wasm_bindgen(js_name = checkSessionFree)]
pub fn check_session_free(handle: u32) {
    drop(table_remove(&SESSIONS, handle));
}

/// The length of the checks the session's last run left for the host ([`CheckRecord`]s; 0 when
/// none). api.js reads them in place, at [`checks_at`], and writes the host's answers there
/// (returned as a `Vec`, through wasm-bindgen's copy and free, they cost ≈ 3 µs a verify).
#[wasm_bindgen(js_name = checksLen)]
pub fn checks_len(session: u32) -> u32 {
    with_session(session, |s| s.pending.len() as u32).unwrap_or(0)
}

/// Where in wasm memory the checks of [`checks_len`] are, until the next call into the module
/// that may allocate.
#[wasm_bindgen(js_name = checksAt)]
pub fn checks_at(session: u32) -> u32 {
    with_session(session, |s| s.pending.as_ptr() as usize as u32).unwrap_or(0)
}

fn envelope(result: Result<Value>) -> String {
    answer(result, Value::write_text)
}

/// The envelope around what `write` makes of a success (written straight into the answer's text).
fn answer<T>(result: Result<T>, write: impl FnOnce(&T, &mut JsonText)) -> String {
    match result {
        Ok(value) => {
            let mut out = JsonText::with_capacity(512);
            out.str(r#"{"ok":true,"value":"#);
            write(&value, &mut out);
            out.ascii(b'}');
            out.into_string()
        }
        Err(e) => {
            object! { "ok": false, "code": e.code().as_str(), "message": e.message() }.to_json()
        }
    }
}

/// `what` names the input in the error; it is formatted only then.
fn text(bytes: &[u8], what: impl core::fmt::Display) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|e| {
        Error::malformed(format!(
            "{what} is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// A JS number that api.js checked to be a non-negative safe integer.
fn seconds(value: f64, what: &str) -> Result<u64> {
    if (0.0..=MAX_SAFE_INTEGER).contains(&value) && (value as u64) as f64 == value {
        Ok(value as u64)
    } else {
        Err(Error::malformed(format!(
            "{what} must be a non-negative integer number of seconds"
        )))
    }
}

fn cert_json(summary: CertSummary) -> Value {
    let mut m = object! {
        "subject": summary.subject,
        "issuer": summary.issuer,
        "serial": summary.serial,
        "notBefore": summary.not_before,
        "notAfter": summary.not_after,
        "keyAlgorithm": summary.key_algorithm,
        "isAuthority": summary.is_authority,
    };
    if let Some(id) = summary.spiffe_id {
        m.insert("spiffeId", id);
    }
    Value::Object(m)
}

fn bundle_json(bundle: &Bundle) -> Value {
    let x509: Vec<Value> = bundle
        .x509_authorities()
        .iter()
        .map(|a| cert_json(CertSummary::of(a.cert(), true)))
        .collect();
    let jwt: Vec<Value> = bundle
        .jwt_authorities()
        .iter()
        .map(|a| {
            let mut m = object! {
                "kty": a.key().kty(),
                "keyAlgorithm": a.key().description(),
            };
            if let Some(kid) = a.kid() {
                m.insert("kid", kid);
            }
            if let Some(alg) = a.alg() {
                m.insert("alg", alg);
            }
            Value::Object(m)
        })
        .collect();
    object! {
        "trustDomain": bundle.trust_domain().as_str(),
        "x509Authorities": x509,
        "jwtAuthorities": jwt,
        "refreshHint": bundle.refresh_hint(),
        "sequence": bundle.sequence(),
    }
    .into()
}

/// The `audience` option: a JSON array of strings (api.js made it).
fn audience_list(bytes: &[u8]) -> Result<Vec<String>> {
    let bad = || Error::malformed("options.audience is not an array of strings");
    match Value::parse(bytes).map_err(|_| bad())? {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

/// The `policy` option: empty bytes for none, else JSON `{allow?, deny?, denySerials?, denyJti?}`
/// (arrays of strings; api.js checked the shape). A present `allow` admits only what it lists.
fn policy(bytes: &[u8]) -> Result<Option<Policy>> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let value =
        Value::parse(bytes).map_err(|_| Error::malformed("options.policy is not a JSON object"))?;
    let list = |name: &str| -> Result<Option<Vec<&str>>> {
        match value.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().ok_or_else(|| {
                        Error::malformed(format!("options.policy.{name} holds a non-string"))
                    })
                })
                .collect::<Result<Vec<&str>>>()
                .map(Some),
            Some(_) => Err(Error::malformed(format!(
                "options.policy.{name} is not an array of strings"
            ))),
        }
    };
    let mut p = Policy::new();
    if let Some(allow) = list("allow")? {
        p = p.allow_none();
        for pattern in allow {
            p = p.allow(pattern)?;
        }
    }
    for pattern in list("deny")?.unwrap_or_default() {
        p = p.deny(pattern)?;
    }
    for serial in list("denySerials")?.unwrap_or_default() {
        p = p.deny_serial(serial)?;
    }
    for jti in list("denyJti")?.unwrap_or_default() {
        p = p.deny_jti(jti);
    }
    Ok(Some(p))
}

/// The presented chain, as DER certificates, from api.js's (data, lens, kinds) encoding.
fn chain_der(data: &[u8], lens: &[u32], kinds: &[u8]) -> Result<Vec<Vec<u8>>> {
    if lens.len() != kinds.len() {
        return Err(Error::malformed("chain: element lengths and kinds differ"));
    }
    let mut chain: Vec<Vec<u8>> = Vec::new();
    let mut rest = data;
    for (i, (&len, &kind)) in lens.iter().zip(kinds).enumerate() {
        let len = len as usize;
        if len > rest.len() {
            return Err(Error::malformed("chain: element lengths exceed the data"));
        }
        let (part, tail) = rest.split_at(len);
        rest = tail;
        match kind {
            KIND_DER => chain.push(part.to_vec()),
            KIND_BASE64 => chain.push(x509::decode_base64_der(text(
                part,
                format_args!("chain[{i}]"),
            )?)?),
            KIND_PEM => chain.extend(x509::decode_pem_chain(text(part, "chain PEM")?)?),
            KIND_DER_CHAIN => {
                chain.extend(x509::split_der_chain(part)?.into_iter().map(<[u8]>::to_vec))
            }
            _ => return Err(Error::malformed("chain: unknown element kind")),
        }
    }
    if !rest.is_empty() {
        return Err(Error::malformed(
            "chain: data left over after the last element",
        ));
    }
    Ok(chain)
}

/// The core's `BundleSet`s of the JS `BundleSet`s (js/src/api.js), by handle (index + 1). Not a
/// `#[wasm_bindgen]` struct: its exported methods borrow through a cell that throws into JS on
/// misuse, and that throw is an import (see the module docs). A freed slot is reused.
static SETS: Table<BundleSet> = Mutex::new(Vec::new());

/// `f` with the set of `handle`; a handle that names no set (freed) is `malformed`.
fn with_set<T>(handle: u32, f: impl FnOnce(&mut BundleSet) -> Result<T>) -> Result<T> {
    table_with(&SETS, handle, f).unwrap_or_else(|| {
        Err(Error::malformed(
            "bundle set: no such set (freed?), or the module's state is locked after a trap",
        ))
    })
}

/// A new, empty set; its handle.
#[wasm_bindgen(js_name = bundleSetNew)]
pub fn bundle_set_new() -> u32 {
    table_insert(&SETS, BundleSet::new())
}

/// Frees the set of `handle` (api.js, when its JS `BundleSet` is collected).
#[wasm_bindgen(js_name = bundleSetFree)]
pub fn bundle_set_free(handle: u32) {
    drop(table_remove(&SETS, handle));
}

/// Parses a SPIFFE bundle document and sets it as the trust domain's bundle.
#[wasm_bindgen(js_name = bundleSetAdd)]
pub fn bundle_set_add(set: u32, trust_domain: &[u8], document: &[u8]) -> String {
    envelope(with_set(set, |set| {
        let td = text(trust_domain, "trust domain")?;
        set.add(td, document).map(|_| Value::Null)
    }))
}

/// Adds X.509 authorities from PEM to the trust domain's bundle.
#[wasm_bindgen(js_name = bundleSetAddPem)]
pub fn bundle_set_add_pem(set: u32, trust_domain: &[u8], pem: &[u8]) -> String {
    envelope(with_set(set, |set| {
        let td = text(trust_domain, "trust domain")?;
        let pem = text(pem, "PEM")?;
        set.add_pem(td, pem).map(|_| Value::Null)
    }))
}

/// Adds the keys of a plain JWK Set to the trust domain's bundle.
#[wasm_bindgen(js_name = bundleSetAddJwks)]
pub fn bundle_set_add_jwks(set: u32, trust_domain: &[u8], jwks: &[u8]) -> String {
    envelope(with_set(set, |set| {
        let td = text(trust_domain, "trust domain")?;
        set.add_jwks(td, jwks).map(|_| Value::Null)
    }))
}

/// The trust domain's bundle as `BundleInfo`, or `null`.
#[wasm_bindgen(js_name = bundleSetGet)]
pub fn bundle_set_get(set: u32, trust_domain: &[u8]) -> String {
    envelope(with_set(set, |set| {
        let td = text(trust_domain, "trust domain")?;
        Ok(set.get(td).map_or(Value::Null, bundle_json))
    }))
}

/// The trust domains in the set, sorted.
#[wasm_bindgen(js_name = bundleSetTrustDomains)]
pub fn bundle_set_trust_domains(set: u32) -> String {
    envelope(with_set(set, |set| {
        Ok(set.trust_domains().collect::<Vec<&str>>().into())
    }))
}

/// `{trustDomain, path}` of a SPIFFE ID.
#[wasm_bindgen(js_name = parseSpiffeId)]
pub fn parse_spiffe_id(id: &[u8]) -> String {
    envelope(
        text(id, "SPIFFE ID")
            .and_then(crate::parse_spiffe_id)
            .map(|id| object! { "trustDomain": id.trust_domain(), "path": id.path() }.into()),
    )
}

/// Verifies an X.509-SVID. The chain is `data` cut into elements of `lens` bytes, each of a kind
/// in `kinds`: 0 DER, 1 base64 of DER, 2 PEM (any number of certificates), 3 concatenated DER.
/// `host` and `session`: the signature checks (see the module docs and [`with_crypto`]).
#[wasm_bindgen(js_name = verifyX509Svid)]
#[allow(clippy::too_many_arguments)] // one per argument of the JS call
pub fn verify_x509_svid(
    set: u32,
    data: &[u8],
    lens: &[u32],
    kinds: &[u8],
    now: f64,
    skew: f64,
    policy_json: &[u8],
    host: u8,
    session: u32,
) -> String {
    begin_checks(host, session);
    envelope((|| {
        let chain = chain_der(data, lens, kinds)?;
        let policy = policy(policy_json)?;
        let options = options_for(now, skew, &policy)?;
        let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
        let svid = with_set(set, |bundles| {
            with_crypto(bundles, host, session, |crypto| {
                crate::verify_x509_svid(&refs, bundles, &options.crypto(crypto))
            })
        })?;
        Ok(object! {
            "spiffeId": svid.spiffe_id.as_str(),
            "trustDomain": svid.spiffe_id.trust_domain(),
            "path": svid.spiffe_id.path(),
            "expiresAt": svid.expires_at,
            "chain": svid.chain.into_iter().map(cert_json).collect::<Vec<Value>>(),
        }
        .into())
    })())
}

/// Verifies a JWT-SVID given as UTF-8 bytes for any of `audience_json` (a JSON array of strings,
/// from `JSON.stringify`). `host` as in [`verify_x509_svid`].
#[wasm_bindgen(js_name = verifyJwtSvid)]
#[allow(clippy::too_many_arguments)] // one per argument of the JS call
pub fn verify_jwt_svid(
    set: u32,
    token: &[u8],
    audience_json: &str,
    now: f64,
    skew: f64,
    policy_json: &[u8],
    host: u8,
    session: u32,
) -> String {
    begin_checks(host, session);
    let checks = (host, session);
    answer(
        text(token, "token")
            .and_then(|token| jwt_svid(set, token, audience_json, now, skew, policy_json, checks)),
        write_jwt_svid,
    )
}

/// [`verify_jwt_svid`] for a token given as a JS string that api.js checked to be well-formed
/// (no lone surrogate), so wasm-bindgen's string passing hands over its exact UTF-8 — written
/// straight into wasm memory, without a `TextEncoder` copy first.
#[wasm_bindgen(js_name = verifyJwtSvidText)]
#[allow(clippy::too_many_arguments)] // one per argument of the JS call
pub fn verify_jwt_svid_text(
    set: u32,
    token: &str,
    audience_json: &str,
    now: f64,
    skew: f64,
    policy_json: &[u8],
    host: u8,
    session: u32,
) -> String {
    begin_checks(host, session);
    answer(
        jwt_svid(
            set,
            token,
            audience_json,
            now,
            skew,
            policy_json,
            (host, session),
        ),
        write_jwt_svid,
    )
}

fn jwt_svid(
    set: u32,
    token: &str,
    audience_json: &str,
    now: f64,
    skew: f64,
    policy_json: &[u8],
    (host, session): (u8, u32),
) -> Result<crate::JwtSvid> {
    let audience = audience_list(audience_json.as_bytes())?;
    let audience: Vec<&str> = audience.iter().map(String::as_str).collect();
    let policy = policy(policy_json)?;
    let options = options_for(now, skew, &policy)?;
    with_set(set, |bundles| {
        with_crypto(bundles, host, session, |crypto| {
            crate::verify_jwt_svid(token, &audience, bundles, &options.crypto(crypto))
        })
    })
}

fn write_jwt_svid(svid: &crate::JwtSvid, out: &mut JsonText) {
    let mut o = ObjectWriter::new(out);
    o.string("algorithm", svid.algorithm.name())
        .strings("audience", &svid.audience)
        .object("claims", &svid.claims)
        .integer("expiresAt", svid.expires_at);
    if let Some(iat) = svid.issued_at {
        o.integer("issuedAt", iat);
    }
    if let Some(jti) = &svid.jti {
        o.string("jti", jti);
    }
    if let Some(kid) = &svid.kid {
        o.string("kid", kid);
    }
    if let Some(nbf) = svid.not_before {
        o.integer("notBefore", nbf);
    }
    o.string("path", svid.spiffe_id.path())
        .string("spiffeId", svid.spiffe_id.as_str())
        .string("trustDomain", svid.spiffe_id.trust_domain())
        .end();
}

/// What a piece of text is: `x509-svid`, `pem-authorities`, `jwt-svid`, `bundle`, `base64-der`
/// or `unknown` (see `inspect::detect`).
#[wasm_bindgen]
pub fn detect(input: &[u8]) -> String {
    envelope(text(input, "input").map(|t| crate::inspect::detect(t).name().into()))
}

fn options_for<'a>(now: f64, skew: f64, policy: &'a Option<Policy>) -> Result<Options<'a>> {
    let mut options = Options::new(seconds(now, "now")?).skew(seconds(skew, "skew")?);
    if let Some(p) = policy {
        options = options.policy(p);
    }
    Ok(options)
}

/// Inspects an X.509-SVID chain (same chain encoding as [`verify_x509_svid`]): the report never
/// fails for a bad SVID — a chain that does not decode fails the report's `decode` rule.
#[wasm_bindgen(js_name = inspectX509)]
pub fn inspect_x509(
    set: u32,
    data: &[u8],
    lens: &[u32],
    kinds: &[u8],
    now: f64,
    skew: f64,
    policy_json: &[u8],
) -> String {
    envelope((|| {
        let policy = policy(policy_json)?;
        let options = options_for(now, skew, &policy)?;
        let chain = chain_der(data, lens, kinds);
        let refs: Result<Vec<&[u8]>> = chain
            .as_ref()
            .map(|c| c.iter().map(Vec::as_slice).collect())
            .map_err(Clone::clone);
        with_set(set, |bundles| {
            let chain = refs.as_deref().map_err(Clone::clone);
            Ok(crate::inspect::inspect_x509_decoded(chain, bundles, &options).to_json())
        })
    })())
}

/// Inspects a JWT-SVID; `audience_json` is a JSON array of strings (possibly empty).
#[wasm_bindgen(js_name = inspectJwt)]
pub fn inspect_jwt(
    set: u32,
    token: &[u8],
    audience_json: &[u8],
    now: f64,
    skew: f64,
    policy_json: &[u8],
) -> String {
    envelope((|| {
        let token = text(token, "token")?;
        let audience = audience_list(audience_json)?;
        let audience: Vec<&str> = audience.iter().map(String::as_str).collect();
        let policy = policy(policy_json)?;
        let options = options_for(now, skew, &policy)?;
        with_set(set, |bundles| {
            Ok(crate::inspect::inspect_jwt(token, &audience, bundles, &options).to_json())
        })
    })())
}

/// Describes a bundle document; `trust_domain` empty means "take it from the authorities".
#[wasm_bindgen(js_name = inspectBundle)]
pub fn inspect_bundle(document: &[u8], trust_domain: &[u8]) -> String {
    envelope((|| {
        let td = if trust_domain.is_empty() {
            None
        } else {
            Some(text(trust_domain, "trust domain")?)
        };
        crate::inspect::inspect_bundle(document, td)
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_records_round_trip_and_stop_at_a_cut() {
        let mut bytes = Vec::new();
        CheckRecord::write(
            &mut bytes,
            (0, ASSUMED_VERIFIES),
            7,
            b"spki",
            b"message",
            b"sig",
        );
        CheckRecord::write(&mut bytes, (9, ASSUMED_FAILS), 0, b"", b"m", &[1; 64]);
        let all: Vec<_> = CheckRecord::all(&bytes).collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].is(0, b"spki", b"message", b"sig"));
        assert!(!all[0].is(0, b"spki", b"message", b"sih"));
        assert!(all[1].is(9, b"", b"m", &[1; 64]));
        assert_eq!(
            (all[0].answer, all[1].answer),
            (ASSUMED_VERIFIES, ASSUMED_FAILS)
        );
        // Every cut short of the end yields the whole records before it, and no panic.
        let first = 6 + 4 * 3 + b"spkimessagesig".len();
        for cut in 0..bytes.len() {
            let n = CheckRecord::all(&bytes[..cut]).count();
            assert_eq!(n, usize::from(cut >= first), "cut at {cut}");
        }
    }

    /// The tests that use the module's state (SETS, SESSIONS) run one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn state_left_locked_by_a_trap_fails_calls_instead_of_hanging() {
        let _serial = SERIAL.lock();
        // In the .wasm only a trap can leave a lock held; a call must then answer, not spin.
        let a = bundle_set_new();
        {
            let _held = SETS.lock();
            assert!(bundle_set_trust_domains(a).contains(r#""code":"malformed""#));
            assert_eq!(bundle_set_new(), 0);
        }
        let session = check_session_new();
        {
            let _held = SESSIONS.lock();
            assert_eq!(checks_len(session), 0);
            assert_eq!(check_session_new(), 0);
        }
        check_session_free(session);
        bundle_set_free(a);
    }

    #[test]
    fn bundle_set_handles_are_reused_and_a_freed_one_is_malformed() {
        let _serial = SERIAL.lock();
        let a = bundle_set_new();
        assert!(bundle_set_trust_domains(a).contains(r#""ok":true"#));
        bundle_set_free(a);
        assert!(bundle_set_trust_domains(a).contains(r#""code":"malformed""#));
        assert!(bundle_set_trust_domains(0).contains(r#""code":"malformed""#));
        bundle_set_free(0); // nothing to free: no panic
                            // The freed slot is taken again (no other test here makes sets).
        let b = bundle_set_new();
        assert_eq!(b, a);
        bundle_set_free(b);
    }

    #[test]
    fn seconds_accepts_only_safe_integers() {
        assert_eq!(seconds(0.0, "now").unwrap(), 0);
        assert_eq!(seconds(1_767_225_600.0, "now").unwrap(), 1_767_225_600);
        assert_eq!(
            seconds(MAX_SAFE_INTEGER, "now").unwrap(),
            9_007_199_254_740_991
        );
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, MAX_SAFE_INTEGER + 2.0] {
            assert!(seconds(bad, "now").is_err(), "{bad}");
        }
    }

    fn svid(audience: &[&str]) -> crate::JwtSvid {
        let claims = Value::parse(br#"{"sub":"spiffe://td/a\"b","z":[1,{"y":null}]}"#).unwrap();
        crate::JwtSvid {
            spiffe_id: crate::SpiffeId::parse("spiffe://td/ns/a").unwrap(),
            expires_at: 1_795_496_253,
            issued_at: None,
            not_before: None,
            audience: audience.iter().map(|a| String::from(*a)).collect(),
            jti: None,
            algorithm: SignatureAlgorithm::Es256,
            kid: None,
            claims: claims.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn jwt_answer_is_the_svid_as_json() {
        let mut full = svid(&["a", "q\"uote"]);
        full.issued_at = Some(-5);
        full.not_before = Some(0);
        full.jti = Some("j\n".into());
        full.kid = Some("k".into());
        let text = answer(Ok(full), write_jwt_svid);
        let v = Value::parse(text.as_bytes()).unwrap();
        assert_eq!(v["ok"].as_bool(), Some(true));
        let v = &v["value"];
        assert_eq!(v["algorithm"].as_str(), Some("ES256"));
        assert_eq!(v["audience"][1].as_str(), Some("q\"uote"));
        assert_eq!(v["claims"]["sub"].as_str(), Some("spiffe://td/a\"b"));
        assert_eq!(v["claims"]["z"][1]["y"], Value::Null);
        assert_eq!(v["expiresAt"].as_i64(), Some(1_795_496_253));
        assert_eq!(v["issuedAt"].as_i64(), Some(-5));
        assert_eq!(v["notBefore"].as_i64(), Some(0));
        assert_eq!(v["jti"].as_str(), Some("j\n"));
        assert_eq!(v["kid"].as_str(), Some("k"));
        assert_eq!(v["path"].as_str(), Some("/ns/a"));
        assert_eq!(v["spiffeId"].as_str(), Some("spiffe://td/ns/a"));
        assert_eq!(v["trustDomain"].as_str(), Some("td"));
        // Written in the order an Object writes its members, so parsing and writing it again
        // gives the same text.
        assert_eq!(
            v.to_json(),
            text[r#"{"ok":true,"value":"#.len()..text.len() - 1]
        );

        let text = answer(Ok(svid(&["a"])), write_jwt_svid);
        let v = &Value::parse(text.as_bytes()).unwrap()["value"];
        for absent in ["issuedAt", "notBefore", "jti", "kid"] {
            assert!(v.get(absent).is_none(), "{absent}");
        }
        assert_eq!(v.as_object().unwrap().len(), 7);
    }

    #[test]
    fn envelope_shapes() {
        assert_eq!(envelope(Ok(Value::Null)), r#"{"ok":true,"value":null}"#);
        let e = envelope(Err(Error::malformed("x")));
        assert_eq!(e, r#"{"code":"malformed","message":"x","ok":false}"#);
        let v = Value::parse(e.as_bytes()).unwrap();
        assert_eq!(v["ok"].as_bool(), Some(false));
        assert_eq!(v["code"].as_str(), Some("malformed"));
        assert_eq!(v["message"].as_str(), Some("x"));
    }

    #[test]
    fn chain_encoding_is_checked() {
        assert!(chain_der(b"ab", &[1], &[KIND_DER, KIND_DER]).is_err());
        assert!(chain_der(b"ab", &[3], &[KIND_DER]).is_err());
        assert!(chain_der(b"ab", &[1], &[KIND_DER]).is_err()); // a byte left over
        assert!(chain_der(b"a", &[1], &[9]).is_err());
        assert_eq!(
            chain_der(b"ab", &[1, 1], &[KIND_DER, KIND_DER])
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn bundle_keys_are_numbered_and_other_keys_are_0() {
        let vector =
            Value::parse(include_bytes!("../tests/vectors/jwt-svid/ok-rs256.json")).unwrap();
        let mut set = BundleSet::new();
        for (td, doc) in vector["input"]["bundles"].as_object().unwrap() {
            set.add(td, doc.as_str().unwrap().as_bytes()).unwrap();
        }
        let bundle = set.get("example.org").unwrap();
        let x509 = &bundle.x509_authorities()[0].cert().key;
        let jwt = bundle.jwt_authorities()[0].key();
        assert_eq!(bundle_key_id(&set, x509), 1);
        assert_eq!(
            bundle_key_id(&set, jwt),
            1 + bundle.x509_authorities().len() as u32
        );
        // An equal key elsewhere (a presented certificate's) is not a bundle key.
        assert_eq!(bundle_key_id(&set, &jwt.clone()), 0);
        assert_eq!(alg_code(SignatureAlgorithm::Ps512), 8);
    }

    #[test]
    fn audience_is_an_array_of_strings() {
        assert_eq!(audience_list(br#"["a","b"]"#).unwrap(), ["a", "b"]);
        assert!(audience_list(br#"[]"#).unwrap().is_empty());
        for bad in [
            &br#""a""#[..],
            br#"[1]"#,
            br#"[1.5]"#,
            br#"{"a":1}"#,
            b"[",
            b"",
        ] {
            assert_eq!(
                audience_list(bad).unwrap_err().code(),
                crate::ErrorCode::Malformed
            );
        }
    }

    #[test]
    fn invalid_utf8_is_malformed() {
        let e = text(&[0x61, 0xff], "token").unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Malformed);
    }
}
