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
