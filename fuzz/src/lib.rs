//! The logic of svidkit's fuzz targets, one function per parser of untrusted input. Each feeds
//! the bytes to the core and checks what must hold whatever the input: no panic (libFuzzer reports
//! it), only the error codes that input kind can produce, the same verdict twice, and the basic
//! promises of a success (a verified SVID names its trust domain, is inside its validity, ...).
//!
//! The functions are plain Rust, so `tests/fuzz_smoke.rs` at the repository root runs them on
//! stable over the seeds and deterministic mutations of them (`make fuzz-smoke`), and
//! `fuzz_targets/*.rs` hand them to libFuzzer (`make fuzz`).

use svidkit::{BundleSet, ErrorCode, Options, Policy, SpiffeId, TrustDomain};

/// The verifier's clock for every target (2026-01-01T00:00:00Z): the seeds are valid then.
pub const NOW: u64 = 1_767_225_600;
/// The trust domain of the fixed bundles.
pub const TD: &str = "example.org";

/// The fixed X.509 authority (a P-256 root, CN=fuzz-root) the chain target verifies against.
pub const ROOT_DER: &[u8] = include_bytes!("../seeds/fixed/root.der");
/// The fixed JWT authorities (P-256 kid k1, P-384 kid k2, RSA 2048 kid k3) of the token target.
pub const JWT_BUNDLE: &[u8] = include_bytes!("../seeds/fixed/jwt-bundle.json");

fn x509_bundles() -> BundleSet {
    let doc = format!(
        r#"{{"keys":[{{"kty":"EC","use":"x509-svid","x5c":["{}"]}}]}}"#,
        <base64ct::Base64 as base64ct::Encoding>::encode_string(ROOT_DER)
    );
    let mut set = BundleSet::new();
    set.add(TD, doc.as_bytes())
        .expect("the fixed X.509 bundle parses");
    set
}

fn jwt_bundles() -> BundleSet {
    let mut set = BundleSet::new();
    set.add(TD, JWT_BUNDLE)
        .expect("the fixed JWT bundle parses");
    set
}

/// Codes a parser of trust material may fail with (a trust domain key of the wrong syntax is
/// the only other one, and the targets use fixed valid names).
const BUNDLE_CODES: [ErrorCode; 2] = [ErrorCode::Malformed, ErrorCode::InvalidBundle];

fn assert_code_in(code: ErrorCode, allowed: &[ErrorCode], what: &str) {
    assert!(
        allowed.contains(&code),
        "{what} failed with {code}, which it never may"
    );
}

/// SPIFFE IDs, trust domain names and policy patterns.
pub fn spiffe_id(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match SpiffeId::parse(text) {
        Ok(id) => {
            assert_eq!(id.as_str(), text);
            assert_eq!(format!("spiffe://{}{}", id.trust_domain(), id.path()), text);
            assert!(text.len() <= 2048);
            let td = id.trust_domain();
            assert!(!td.is_empty() && td.len() <= 255);
            assert!(td
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_')));
            if !id.path().is_empty() {
                for segment in id.path()[1..].split('/') {
                    assert!(!segment.is_empty() && segment != "." && segment != "..");
                    assert!(segment
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')));
                }
            }
            assert_eq!(SpiffeId::parse(id.as_str()).as_ref(), Ok(&id));
        }
        Err(e) => assert_code_in(e.code(), &[ErrorCode::InvalidSpiffeId], "SpiffeId::parse"),
    }
    match TrustDomain::new(text) {
        Ok(td) => {
            let id =
                SpiffeId::parse(&format!("spiffe://{text}")).expect("a trust domain's ID parses");
            assert_eq!(id, td.id());
            assert_eq!(id.path(), "");
        }
        Err(e) => assert_code_in(e.code(), &[ErrorCode::InvalidSpiffeId], "TrustDomain::new"),
    }
    if let Err(e) = Policy::new().allow(text) {
        assert_code_in(e.code(), &[ErrorCode::InvalidSpiffeId], "Policy::allow");
    }
}

/// SPIFFE bundle documents.
pub fn bundle(data: &[u8]) {
    let mut set = BundleSet::new();
    let first = set.add(TD, data).map(|b| {
        (
            b.x509_authorities().len(),
            b.jwt_authorities().len(),
            b.sequence(),
            b.refresh_hint(),
        )
    });
    match &first {
        Ok(_) => {}
        Err(e) => assert_code_in(e.code(), &BUNDLE_CODES, "BundleSet::add"),
    }
    let again = BundleSet::new().add(TD, data).map(|b| {
        (
            b.x509_authorities().len(),
            b.jwt_authorities().len(),
            b.sequence(),
            b.refresh_hint(),
        )
    });
    assert_eq!(first, again, "bundle parsing is deterministic");
}

/// Plain JWK Sets (`BundleSet::add_jwks`).
pub fn jwks(data: &[u8]) {
    let mut set = BundleSet::new();
    match set.add_jwks(TD, data) {
        Ok(b) => {
            for a in b.jwt_authorities() {
                let _ = (
                    a.kid(),
                    a.alg(),
                    a.key().description(),
                    a.key().spki_der().len(),
                );
            }
        }
        Err(e) => assert_code_in(e.code(), &BUNDLE_CODES, "add_jwks"),
    }
}

/// PEM: bundles of authorities and presented chains.
pub fn pem(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = BundleSet::new().add_pem(TD, text) {
        assert_code_in(e.code(), &BUNDLE_CODES, "add_pem");
    }
    match svidkit::x509::decode_pem_chain(text) {
        Ok(ders) => {
            assert!(!ders.is_empty() && ders.len() <= 16);
            let refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
            check_chain(&refs);
        }
        Err(e) => assert_code_in(e.code(), &[ErrorCode::Malformed], "decode_pem_chain"),
    }
}

/// Splits fuzz input into chain elements: each a big-endian u16 length and that many bytes (the
/// last one takes what is left). At most 20, so the chain-length limit is reachable.
pub fn split_chain(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !data.is_empty() && out.len() < 20 {
        if data.len() < 2 {
            out.push(data);
            break;
        }
        let len = usize::from(u16::from_be_bytes([data[0], data[1]])).min(data.len() - 2);
        out.push(&data[2..2 + len]);
        data = &data[2 + len..];
    }
    out
}

/// The inverse of [`split_chain`], for making seeds.
pub fn join_chain(certs: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in certs {
        out.extend_from_slice(&(c.len() as u16).to_be_bytes());
        out.extend_from_slice(c);
    }
    out
}

/// X.509-SVID chains, verified against the fixed root.
pub fn x509_chain(data: &[u8]) {
    check_chain(&split_chain(data));
}

/// Concatenated DER (`x509::split_der_chain`, the npm package's `Uint8Array` chain): the parts
/// are the input cut into whole TLVs, in order, at most 16; the chain they make is verified.
pub fn der_chain(data: &[u8]) {
    match svidkit::x509::split_der_chain(data) {
        Ok(parts) => {
            assert!(parts.len() <= 16);
            assert_eq!(parts.concat(), data, "the parts are the input, in order");
            for part in &parts {
                assert_eq!(
                    svidkit::x509::split_der_chain(part).as_deref(),
                    Ok(&[*part][..]),
                    "each part is one TLV"
                );
            }
            check_chain(&parts);
        }
        Err(e) => assert_code_in(e.code(), &[ErrorCode::Malformed], "split_der_chain"),
    }
}

fn check_chain(chain: &[&[u8]]) {
    let bundles = x509_bundles();
    let opts = Options::new(NOW);
    let first = svidkit::verify_x509_svid(chain, &bundles, &opts);
    match &first {
        Ok(svid) => {
            assert_eq!(
                svid.spiffe_id.trust_domain(),
                TD,
                "only the leaf's trust domain's bundle is used"
            );
            assert!(!svid.spiffe_id.path().is_empty(), "a leaf's ID has a path");
            assert!(svid.chain.len() >= 2 && svid.chain.len() <= 17);
            assert!(svid.chain.last().is_some_and(|c| c.is_authority));
            assert!(svid.chain[..svid.chain.len() - 1]
                .iter()
                .all(|c| !c.is_authority));
            assert_eq!(svid.expires_at, svid.chain[0].not_after);
            for c in &svid.chain {
                assert!(
                    c.not_before <= NOW as i64 && NOW as i64 <= c.not_after,
                    "every certificate is valid now"
                );
            }
            let policy = Policy::new().allow("spiffe://example.org/*").unwrap();
            policy
                .admit_x509(svid)
                .expect("the trust domain pattern admits its IDs");
        }
        Err(e) => assert_code_in(
            e.code(),
            &[
                ErrorCode::Malformed,
                ErrorCode::InvalidSpiffeId,
                ErrorCode::NoBundle,
                ErrorCode::InvalidSvid,
                ErrorCode::UnsupportedAlgorithm,
                ErrorCode::Untrusted,
                ErrorCode::BadSignature,
                ErrorCode::Expired,
                ErrorCode::NotYetValid,
            ],
            "verify_x509_svid",
        ),
    }
    let again = svidkit::verify_x509_svid(chain, &bundles, &opts);
    assert_eq!(first, again, "X.509 verification is deterministic");
}

/// JWT-SVIDs, verified against the fixed JWT authorities for audience `api`.
pub fn jwt(data: &[u8]) {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let bundles = jwt_bundles();
    let opts = Options::new(NOW);
    let first = svidkit::verify_jwt_svid(token, &["api"], &bundles, &opts);
    match &first {
        Ok(svid) => {
            assert_eq!(svid.spiffe_id.trust_domain(), TD);
            assert!(svid.expires_at > NOW as i64, "now < exp");
            assert!(
                svid.not_before.is_none_or(|nbf| nbf <= NOW as i64),
                "now >= nbf"
            );
            assert!(svid.audience.iter().any(|a| a == "api"));
            assert!(svid::alg_allowed(svid.algorithm));
            assert!(token.len() <= 16 * 1024);
        }
        Err(e) => assert_code_in(
            e.code(),
            &[
                ErrorCode::Malformed,
                ErrorCode::InvalidSpiffeId,
                ErrorCode::NoBundle,
                ErrorCode::InvalidSvid,
                ErrorCode::UnsupportedAlgorithm,
                ErrorCode::Untrusted,
                ErrorCode::BadSignature,
                ErrorCode::Expired,
                ErrorCode::NotYetValid,
                ErrorCode::AudienceMismatch,
            ],
            "verify_jwt_svid",
        ),
    }
    let again = svidkit::verify_jwt_svid(token, &["api"], &bundles, &opts);
    assert_eq!(first, again, "JWT verification is deterministic");
    // The decoder alone must agree with the verifier about malformed input.
    if svidkit::jwt::decode(token).is_err() {
        assert_eq!(
            first.as_ref().map_err(|e| e.code()).err(),
            Some(ErrorCode::Malformed)
        );
    }
}

mod svid {
    pub fn alg_allowed(alg: svidkit::SignatureAlgorithm) -> bool {
        svidkit::SignatureAlgorithm::JWT_SVID.contains(&alg)
    }
}

/// svidkit's base64 decoders (`svidkit::encoding`, under every JWS segment, JWK member, `x5c`
/// and PEM body) against base64ct's strict ones, which they replaced: the same accept/reject and
/// the same bytes, for standard padded base64 and unpadded base64url.
pub fn base64(data: &[u8]) {
    use base64ct::{Base64, Base64UrlUnpadded, Encoding};
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    assert_eq!(
        svidkit::encoding::base64_std(text).ok(),
        Base64::decode_vec(text).ok(),
        "standard base64 of {text:?}"
    );
    assert_eq!(
        svidkit::encoding::base64url(text).ok(),
        Base64UrlUnpadded::decode_vec(text).ok(),
        "base64url of {text:?}"
    );
}

/// svidkit's JSON reader (`svidkit::json`, under every token and bundle) against serde_json, the
/// reader it replaced: the same accept/reject, the same values, the same error message and
/// position; and what it parses, it writes back as JSON that parses to the same value.
pub fn json(data: &[u8]) {
    use svidkit::json::Value;
    let mine = Value::parse(data);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&mine, &theirs) {
        (Ok(m), Ok(t)) => assert!(json_same(m, t), "values differ: {m:?} vs {t:?}"),
        (Err(m), Err(t)) => assert_eq!(m.to_string(), t.to_string()),
        _ => panic!(
            "accept/reject differs: svidkit {:?}, serde_json {:?}",
            mine.as_ref().map(|_| ()),
            theirs.as_ref().map(|_| ())
        ),
    }
    if let Ok(value) = mine {
        let text = value.to_json();
        let again = Value::parse(text.as_bytes()).expect("written JSON parses");
        assert_eq!(again, value, "parse → write → parse keeps the value");
        assert_eq!(again.to_json(), text, "writing is stable");
    }
}

fn json_same(mine: &svidkit::json::Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as S;
    use svidkit::json::Value as V;
    match (mine, theirs) {
        (V::Null, S::Null) => true,
        (V::Bool(a), S::Bool(b)) => a == b,
        (V::String(a), S::String(b)) => a == b,
        (V::Number(n), S::Number(m)) if m.is_u64() || m.is_i64() => {
            n.is_integer() && n.as_u64() == m.as_u64() && n.as_i64() == m.as_i64()
        }
        (V::Number(n), S::Number(m)) => {
            // A float to serde_json: not an integer here, and the same value to its precision
            // (serde_json's float parsing may be a few ULPs off; at f64::MAX it stays finite).
            let (f, g) = (
                n.as_f64().unwrap_or(f64::NAN),
                m.as_f64().unwrap_or(f64::NAN),
            );
            !n.is_integer()
                && (f == g
                    || (f - g).abs() <= 1e-12 * f.abs().max(g.abs())
                    || (f.abs() < 1e-290 && g.abs() < 1e-290)
                    || (f.is_infinite() && g.abs() == f64::MAX && f.signum() == g.signum()))
        }
        (V::Array(a), S::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_same(x, y))
        }
        (V::Object(a), S::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((k, v), (l, w))| k == l && json_same(v, w))
        }
        _ => false,
    }
}

/// The inspector (`svidkit::inspect`, behind the npm `inspect`/`detect`, the component's
/// `inspect-*` and the inspector page): whatever is pasted, the report's verdict is the verify
/// function's, and its checklist tells the same story — exactly one rule fails when the verdict
/// is an error, it is a rule that can yield that error, nothing after it is evaluated — and the
/// report is valid JSON.
///
/// The first byte chooses: bit 0 verifies under a policy (admitting only
/// `spiffe://example.org/direct`, denying jti `j-1`), bit 1 reads the rest as DER elements
/// ([`split_chain`]); otherwise the rest is text routed as the npm `inspect` routes it.
pub fn inspect(data: &[u8]) {
    use svidkit::inspect::{self as inspect, InputKind};
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let policy = Policy::new()
        .allow("spiffe://example.org/direct")
        .unwrap()
        .deny_jti("j-1");
    let mut opts = Options::new(NOW);
    if mode & 1 == 1 {
        opts = opts.policy(&policy);
    }
    let bundles = inspect_bundles();
    if mode & 2 == 2 {
        let chain = split_chain(rest);
        let verdict = svidkit::verify_x509_svid(&chain, bundles, &opts).map(|s| s.spiffe_id);
        check_report(&inspect::inspect_x509(&chain, bundles, &opts), &verdict);
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match inspect::detect(text) {
        InputKind::JwtSvid => {
            let verdict =
                svidkit::verify_jwt_svid(text, &["api"], bundles, &opts).map(|s| s.spiffe_id);
            check_report(
                &inspect::inspect_jwt(text, &["api"], bundles, &opts),
                &verdict,
            );
        }
        kind @ (InputKind::X509Svid | InputKind::PemAuthorities | InputKind::Base64Der) => {
            let decoded = if kind == InputKind::Base64Der {
                svidkit::x509::decode_base64_der(text).map(|der| vec![der])
            } else {
                svidkit::x509::decode_pem_chain(text)
            };
            let refs: Result<Vec<&[u8]>, svidkit::Error> = decoded
                .as_ref()
                .map(|ders| ders.iter().map(Vec::as_slice).collect())
                .map_err(Clone::clone);
            let verdict = match &refs {
                Ok(chain) => svidkit::verify_x509_svid(chain, bundles, &opts).map(|s| s.spiffe_id),
                Err(e) => Err(e.clone()),
            };
            let report = inspect::inspect_x509_decoded(
                refs.as_deref().map_err(Clone::clone),
                bundles,
                &opts,
            );
            check_report(&report, &verdict);
        }
        InputKind::Bundle => {
            // Named, it describes exactly what BundleSet::add accepts; unnamed, it may only
            // fail the way a bundle fails.
            let described = inspect::inspect_bundle(text.as_bytes(), Some(TD));
            let added = BundleSet::new().add(TD, text.as_bytes()).map(|_| ());
            assert_eq!(described.as_ref().map(|_| ()).map_err(Clone::clone), added);
            if let Ok(json) = &described {
                let value = parses_as_json(&json.to_json());
                assert_eq!(value["trustDomain"], TD);
            }
            if let Err(e) = inspect::inspect_bundle(text.as_bytes(), None) {
                assert_code_in(e.code(), &BUNDLE_CODES, "inspect_bundle");
            }
        }
        InputKind::Unknown => {}
    }
}

/// The fixed root and the fixed JWT authorities in one bundle of example.org.
fn inspect_bundles() -> &'static BundleSet {
    static SET: std::sync::OnceLock<BundleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut doc: serde_json::Value = serde_json::from_slice(JWT_BUNDLE).unwrap();
        let root = <base64ct::Base64 as base64ct::Encoding>::encode_string(ROOT_DER);
        doc["keys"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"kty": "EC", "use": "x509-svid", "x5c": [root]}));
        let mut set = BundleSet::new();
        set.add(TD, doc.to_string().as_bytes())
            .expect("the fixed combined bundle parses");
        set
    })
}

fn parses_as_json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the report is not JSON ({e}): {text}"))
}

/// The rules of the inspector's checklists that can yield each error code, from DESIGN.md's
/// order of checks (X.509 rule ids, JWT rule ids).
fn rules_for(code: ErrorCode) -> (&'static [&'static str], &'static [&'static str]) {
    use ErrorCode as C;
    match code {
        // A header without an `alg` string is no JWS (RFC 7515 §4.1.1), found by the alg rule.
        C::Malformed => (&["decode"], &["decode", "alg"]),
        C::InvalidSpiffeId => (
            &["leaf-uri-san", "leaf-spiffe-id", "leaf-id-path"],
            &["sub"],
        ),
        C::InvalidSvid => (
            &[
                "leaf-uri-san",
                "leaf-spiffe-id",
                "leaf-id-path",
                "leaf-not-ca",
                "leaf-key-usage",
                "leaf-critical-extensions",
                "leaf-key",
                "path-signing-certificates",
            ],
            &["header", "claims"],
        ),
        C::NoBundle => (&["bundle"], &["bundle"]),
        C::UnsupportedAlgorithm => (&["leaf-key", "path-signatures"], &["alg", "key-policy"]),
        C::Untrusted => (&["path-issuer"], &["key"]),
        C::BadSignature => (&["path-signatures"], &["signature"]),
        C::Expired => (&["leaf-validity", "path-validity"], &["exp"]),
        C::NotYetValid => (&["leaf-validity", "path-validity"], &["nbf"]),
        C::AudienceMismatch => (&[], &["audience"]),
        C::Unauthorized | C::Revoked => (&["policy"], &["policy"]),
        _ => (&[], &[]),
    }
}

fn check_report(
    report: &svidkit::inspect::Report,
    verdict: &Result<svidkit::SpiffeId, svidkit::Error>,
) {
    use svidkit::inspect::Status;
    assert_eq!(
        report.verdict,
        verdict.as_ref().map(|_| ()).map_err(Clone::clone),
        "the report's verdict is the verify function's"
    );
    if let Ok(id) = verdict {
        assert_eq!(report.spiffe_id.as_ref(), Some(id), "a verified SVID's ID");
    }
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .collect();
    match &report.verdict {
        Ok(()) => {
            assert!(failed.is_empty(), "a trusted SVID fails no rule");
            assert!(report
                .checks
                .iter()
                .all(|c| matches!(c.status, Status::Pass | Status::Skipped)));
        }
        Err(e) => {
            assert_eq!(failed.len(), 1, "one rule fails: {:?}", report.checks);
            let (x509, jwt) = rules_for(e.code());
            let rules = if report.kind == "jwt-svid" { jwt } else { x509 };
            assert!(
                rules.contains(&failed[0].id),
                "{} failed for a verdict of {}: {e}",
                failed[0].id,
                e.code()
            );
            let at = report
                .checks
                .iter()
                .position(|c| c.status == Status::Fail)
                .unwrap();
            assert!(report.checks[..at]
                .iter()
                .all(|c| matches!(c.status, Status::Pass | Status::Skipped)));
            assert!(report.checks[at + 1..]
                .iter()
                .all(|c| matches!(c.status, Status::NotReached | Status::Skipped)));
        }
    }
    for c in &report.checks {
        assert_eq!(c.detail.is_some(), c.status == Status::Fail, "{}", c.id);
    }
    let mut ids: Vec<_> = report.checks.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), report.checks.len(), "rule ids are unique");
    let json = parses_as_json(&report.to_json().to_json());
    assert_eq!(json["kind"], report.kind);
    assert_eq!(json["trusted"], report.verdict.is_ok());
    assert_eq!(
        json["checks"].as_array().map(Vec::len),
        Some(report.checks.len())
    );
    if let Err(e) = &report.verdict {
        assert_eq!(json["verdict"]["code"], e.code().as_str());
    }
}
