//! Decodes an SVID or bundle for display and explains its verdict: the decoded fields plus the
//! checklist of every rule evaluated (pass / fail / not reached) with the standard section it
//! comes from. The verdict is the one the verify functions give — it is computed by calling them —
//! and the checklist runs the same rule functions stage by stage, so the two cannot drift apart.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::bundle::{Bundle, BundleSet};
use crate::cert::Cert;
use crate::error::{Error, ErrorCode, Result};
use crate::id::{SpiffeId, TrustDomain};
use crate::json::{object, Object, Value};
use crate::jwt;
use crate::x509::{self, hex};
use crate::{verify_jwt_svid, verify_x509_svid, Options};

/// What a piece of pasted text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A PEM certificate chain whose first certificate is not a CA: an X.509-SVID.
    X509Svid,
    /// PEM certificates that are CAs: X.509 authorities for a bundle.
    PemAuthorities,
    /// A compact JWS.
    JwtSvid,
    /// A JSON document: a SPIFFE bundle or a JWK Set.
    Bundle,
    /// Standard base64 of one DER certificate.
    Base64Der,
    /// None of the above.
    Unknown,
}

impl InputKind {
    /// Kebab-case name used by the adapters.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::X509Svid => "x509-svid",
            InputKind::PemAuthorities => "pem-authorities",
            InputKind::JwtSvid => "jwt-svid",
            InputKind::Bundle => "bundle",
            InputKind::Base64Der => "base64-der",
            InputKind::Unknown => "unknown",
        }
    }
}

/// Recognises what `text` is. Only for routing: the verify functions still decode strictly.
pub fn detect(text: &str) -> InputKind {
    let t = text.trim_start();
    if t.starts_with('{') {
        return InputKind::Bundle;
    }
    if crate::encoding::find(t, "-----BEGIN CERTIFICATE-----").is_some() {
        let first_is_ca = x509::decode_pem_chain(t)
            .ok()
            .and_then(|ders| ders.first().and_then(|d| Cert::from_der(d).ok()))
            .is_some_and(|c| c.is_ca());
        return if first_is_ca {
            InputKind::PemAuthorities
        } else {
            InputKind::X509Svid
        };
    }
    let t = t.trim_end();
    let b64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    // Dots between base64url segments: a compact JWS (a certificate's base64 has no dot), however
    // its header JSON starts (`ey` is only `{"`; `{ "` or ` {` encode otherwise). Two or four
    // segments are still a (broken) token, reported as one.
    if t.contains('.') && t.split('.').all(b64url) {
        return InputKind::JwtSvid;
    }
    if !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        return InputKind::Base64Der;
    }
    InputKind::Unknown
}

/// The state of one rule in the checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The rule holds.
    Pass,
    /// The rule failed: the verdict's error.
    Fail,
    /// Verification stopped before this rule.
    NotReached,
    /// The rule does not apply (e.g. no policy was given).
    Skipped,
}

impl Status {
    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotReached => "not-reached",
            Status::Skipped => "skipped",
        }
    }
}

/// One rule of the checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Stable identifier, e.g. `leaf-key-usage`.
    pub id: &'static str,
    /// What the rule requires.
    pub rule: &'static str,
    /// Where the rule comes from, e.g. `X509-SVID §4.3`.
    pub reference: &'static str,
    /// Its state.
    pub status: Status,
    /// The failure message, when it failed.
    pub detail: Option<String>,
}

/// What [`inspect_x509`] and [`inspect_jwt`] report.
#[derive(Clone, Debug)]
pub struct Report {
    /// `x509-svid` or `jwt-svid`.
    pub kind: &'static str,
    /// The verdict of the verify function.
    pub verdict: Result<()>,
    /// The SVID's SPIFFE ID, when it could be read.
    pub spiffe_id: Option<SpiffeId>,
    /// Every rule, in the order verification evaluates them.
    pub checks: Vec<Check>,
    /// Decoded fields, as JSON (certificates, path, header, claims).
    pub details: Object,
}

impl Report {
    /// The report as one JSON object (camelCase keys), the form the adapters hand on.
    pub fn to_json(&self) -> Value {
        let mut out = object! {
            "kind": self.kind,
            "trusted": self.verdict.is_ok(),
            "verdict": verdict_json(&self.verdict),
            "spiffeId": self.spiffe_id.as_ref().map(|id| {
                object! {"id": id.as_str(), "trustDomain": id.trust_domain(), "path": id.path()}
            }),
            "checks": Value::Array(self.checks.iter().map(check_json).collect()),
        };
        for (k, v) in &self.details {
            out.insert(k, v.clone());
        }
        Value::Object(out)
    }
}

fn verdict_json(v: &Result<()>) -> Object {
    match v {
        Ok(()) => object! {"trusted": true},
        Err(e) => object! {"trusted": false, "code": e.code().as_str(), "message": e.message()},
    }
}

fn check_json(c: &Check) -> Value {
    object! {"id": c.id, "rule": c.rule, "ref": c.reference, "status": c.status.name(), "detail": c.detail.as_deref()}.into()
}

/// Builds a checklist from rule definitions: the rule that yielded the verdict's error fails,
/// the ones before it pass, the ones after are not reached.
struct Checklist {
    checks: Vec<Check>,
    failed: bool,
}

impl Checklist {
    fn new() -> Self {
        Checklist {
            checks: Vec::new(),
            failed: false,
        }
    }

    /// Records the outcome of a rule; returns false once something has failed.
    fn record(
        &mut self,
        id: &'static str,
        rule: &'static str,
        reference: &'static str,
        outcome: &Result<()>,
    ) -> bool {
        let (status, detail) = match (self.failed, outcome) {
            (true, _) => (Status::NotReached, None),
            (false, Ok(())) => (Status::Pass, None),
            (false, Err(e)) => {
                self.failed = true;
                (Status::Fail, Some(e.to_string()))
            }
        };
        self.checks.push(Check {
            id,
            rule,
            reference,
            status,
            detail,
        });
        !self.failed
    }

    fn skipped(&mut self, id: &'static str, rule: &'static str, reference: &'static str) {
        self.checks.push(Check {
            id,
            rule,
            reference,
            status: Status::Skipped,
            detail: None,
        });
    }
}

fn code_is(r: &Result<()>, codes: &[ErrorCode]) -> Result<()> {
    match r {
        Err(e) if codes.contains(&e.code()) => Err(e.clone()),
        _ => Ok(()),
    }
}

/// Details of one certificate, for display.
pub fn cert_json(cert: &Cert, role: &str) -> Value {
    object! {
        "role": role,
        "subject": &cert.subject,
        "issuer": &cert.issuer,
        "serial": hex(&cert.serial),
        "notBefore": cert.not_before,
        "notAfter": cert.not_after,
        "keyAlgorithm": cert.key.description(),
        "keyBits": cert.key.bits(),
        "signatureAlgorithm": &cert.signature_algorithm_name,
        "isCa": cert.is_ca(),
        "basicConstraints": cert.basic_constraints.map(|(ca, len)| object! {"ca": ca, "pathLen": len}),
        "keyUsage": cert.key_usage.as_ref().map(|k| k.names.as_slice()),
        "extendedKeyUsage": cert.extended_key_usage.as_slice(),
        "uris": cert.uris.as_slice(),
        "dnsNames": cert.dns_names.as_slice(),
        "spiffeId": cert.uris.iter().find(|u| u.starts_with("spiffe://")),
        "subjectKeyId": cert.subject_key_id.as_deref().map(hex),
        "authorityKeyId": cert.authority_key_id.as_deref().map(hex),
        "sha256": hex(&Sha256::digest(cert.der())),
        "selfIssued": cert.is_self_issued(),
    }
    .into()
}

/// Inspects an X.509-SVID chain (DER certificates, leaf first).
pub fn inspect_x509(chain: &[&[u8]], bundles: &BundleSet, options: &Options<'_>) -> Report {
    inspect_x509_decoded(Ok(chain), bundles, options)
}

/// [`inspect_x509`] for a chain that may have failed to decode from text (PEM, base64) before
/// it became DER: the report then fails the decode rule with that error.
pub fn inspect_x509_decoded(
    chain: Result<&[&[u8]]>,
    bundles: &BundleSet,
    options: &Options<'_>,
) -> Report {
    let result = match chain {
        Ok(chain) => verify_x509_svid(chain, bundles, options),
        Err(ref e) => Err(e.clone()),
    };
    let verdict = result.as_ref().map(|_| ()).map_err(Clone::clone);
    let verified = result.ok();
    let mut list = Checklist::new();
    let mut details = Object::new();
    let mut spiffe_id = None;

    let parsed = chain.and_then(x509::parse_chain);
    let decode = parsed.as_ref().map(|_| ()).map_err(Clone::clone);
    let decoded = list.record(
        "decode",
        "every certificate is one strictly encoded DER X.509 certificate; at most 16",
        "RFC 5280 §4.1",
        &decode,
    );
    if let Ok(certs) = &parsed {
        let roles = certs
            .iter()
            .enumerate()
            .map(|(i, c)| cert_json(c, if i == 0 { "leaf" } else { "intermediate" }));
        details.insert("certificates", Value::Array(roles.collect()));
    }
    let certs = parsed.unwrap_or_default();
    if decoded {
        let leaf = &certs[0];
        let san_count = if leaf.uris.len() == 1 {
            Ok(())
        } else {
            x509::leaf_spiffe_id(leaf).map(|_| ())
        };
        list.record(
            "leaf-uri-san",
            "the leaf has exactly one URI SAN",
            "X509-SVID §2",
            &san_count,
        );
        let id = SpiffeId::parse(leaf.uris.first().map(String::as_str).unwrap_or_default());
        if san_count.is_ok() {
            list.record(
                "leaf-spiffe-id",
                "the URI SAN is a valid SPIFFE ID",
                "SPIFFE-ID §2",
                &id.as_ref().map(|_| ()).map_err(Clone::clone),
            );
        } else {
            list.record(
                "leaf-spiffe-id",
                "the URI SAN is a valid SPIFFE ID",
                "SPIFFE-ID §2",
                &Ok(()),
            );
        }
        if let Ok(id) = &id {
            spiffe_id = Some(id.clone());
        }
        list.record(
            "leaf-id-path",
            "the leaf's SPIFFE ID has a path",
            "X509-SVID §3.1",
            &x509::leaf_spiffe_id(leaf).map(|_| ()),
        );
    } else {
        for (id, rule, r) in [
            (
                "leaf-uri-san",
                "the leaf has exactly one URI SAN",
                "X509-SVID §2",
            ),
            (
                "leaf-spiffe-id",
                "the URI SAN is a valid SPIFFE ID",
                "SPIFFE-ID §2",
            ),
            (
                "leaf-id-path",
                "the leaf's SPIFFE ID has a path",
                "X509-SVID §3.1",
            ),
        ] {
            list.record(id, rule, r, &Ok(()));
        }
    }
    list.record(
        "bundle",
        "the trust domain's bundle has X.509 authorities",
        "X509-SVID §6.2; Bundle §3",
        &code_is(&verdict, &[ErrorCode::NoBundle]),
    );
    let leaf = certs.first();
    let leaf_rule = |f: fn(&Cert) -> Result<()>| leaf.map_or(Ok(()), f);
    list.record(
        "leaf-not-ca",
        "the leaf is not a CA (basicConstraints cA=false or absent)",
        "X509-SVID §4.1",
        &leaf_rule(x509::check_leaf_not_ca),
    );
    list.record(
        "leaf-key-usage",
        "the leaf has a critical keyUsage with digitalSignature and neither keyCertSign nor cRLSign",
        "X509-SVID §4.3",
        &leaf_rule(x509::check_leaf_key_usage),
    );
    list.record(
        "leaf-critical-extensions",
        "the leaf has no critical extension the verifier does not process",
        "RFC 5280 §4.2",
        &leaf_rule(|c| x509::check_critical(c, "the leaf")),
    );
    list.record(
        "leaf-key",
        "the leaf's key is of a supported kind and size (RSA of 2048–16384 bits with e ≤ 2^33 − 1, P-256/P-384/P-521, Ed25519)",
        "svidkit algorithms",
        &leaf_rule(x509::check_leaf_key),
    );
    let validity = leaf.map_or(Ok(()), |l| {
        x509::check_validity(l, options.now, options.skew, "the leaf")
    });
    list.record(
        "leaf-validity",
        "now is within the leaf's validity (notBefore ≤ now ≤ notAfter, widened by skew)",
        "RFC 5280 §4.1.2.5",
        &validity,
    );
    list.record("path-issuer", "every certificate's issuer is a presented certificate or an authority of the leaf's trust domain", "X509-SVID §5.1", &code_is(&verdict, &[ErrorCode::Untrusted]));
    list.record(
        "path-signatures",
        "every signature on the path verifies with an allowed algorithm",
        "RFC 5280 §6.1.3 (a)(1)",
        &code_is(
            &verdict,
            &[ErrorCode::UnsupportedAlgorithm, ErrorCode::BadSignature],
        ),
    );
    list.record(
        "path-validity",
        "now is within the validity of every signing certificate, the authority included",
        "RFC 5280 §6.1.3 (a)(2)",
        &code_is(&verdict, &[ErrorCode::Expired, ErrorCode::NotYetValid]),
    );
    list.record("path-signing-certificates", "every signing certificate is a CA with keyCertSign in a critical keyUsage, within pathLen and name constraints, its SPIFFE ID without a path", "X509-SVID §4.1, §4.3, §3.2; RFC 5280 §4.2.1.9–10", &code_is(&verdict, &[ErrorCode::InvalidSvid]));
    match options.policy {
        Some(_) => {
            list.record(
                "policy",
                "the policy admits the SPIFFE ID and denies no certificate on the path",
                "svidkit policy",
                &code_is(&verdict, &[ErrorCode::Revoked, ErrorCode::Unauthorized]),
            );
        }
        None => list.skipped(
            "policy",
            "the policy admits the SPIFFE ID",
            "svidkit policy",
        ),
    }
    if let Some(svid) = &verified {
        let path: Vec<Value> = svid
            .chain
            .iter()
            .map(|c| {
                object! {"subject": &c.subject, "serial": &c.serial, "isAuthority": c.is_authority}
                    .into()
            })
            .collect();
        details.insert("path", Value::Array(path));
        details.insert("expiresAt", svid.expires_at);
        if let Some(auth) = svid.chain.last() {
            let td = svid.spiffe_id.trust_domain();
            let cert = bundles.get(td).and_then(|b| {
                b.x509_authorities().iter().find(|a| {
                    hex(&a.cert().serial) == auth.serial && a.cert().subject == auth.subject
                })
            });
            if let Some(a) = cert {
                details.insert("authority", cert_json(a.cert(), "authority"));
            }
        }
    }
    debug_assert_eq!(
        list.failed,
        verdict.is_err(),
        "checklist and verdict disagree"
    );
    Report {
        kind: "x509-svid",
        verdict,
        spiffe_id,
        checks: list.checks,
        details,
    }
}

/// Inspects a JWT-SVID against `audiences`.
///
/// ```
/// use svidkit::inspect::{inspect_jwt, Status};
/// use svidkit::{BundleSet, ErrorCode, Options};
/// # let vector: serde_json::Value = serde_json::from_str(include_str!(concat!(
/// #     env!("CARGO_MANIFEST_DIR"), "/tests/vectors/jwt-svid/ok-es256.json"))).unwrap();
/// # let document = vector["input"]["bundles"]["example.org"].as_str().unwrap();
/// # let token = vector["input"]["token"].as_str().unwrap();
/// let mut bundles = BundleSet::new();
/// bundles.add("example.org", document.as_bytes())?;
///
/// // The verdict verify_jwt_svid gives, and which rule decided it.
/// let report = inspect_jwt(token, &["someone-else"], &bundles, &Options::new(1_767_225_600));
/// assert_eq!(report.verdict.as_ref().unwrap_err().code(), ErrorCode::AudienceMismatch);
/// let failed: Vec<&str> = report.checks.iter().filter(|c| c.status == Status::Fail).map(|c| c.id).collect();
/// assert_eq!(failed, ["audience"]);
/// // Every rule before it passed: the signature among them.
/// assert!(report.checks.iter().any(|c| c.id == "signature" && c.status == Status::Pass));
/// # Ok::<(), svidkit::Error>(())
/// ```
pub fn inspect_jwt(
    token: &str,
    audiences: &[&str],
    bundles: &BundleSet,
    options: &Options<'_>,
) -> Report {
    let verdict = verify_jwt_svid(token, audiences, bundles, options).map(|_| ());
    let mut list = Checklist::new();
    let mut details = Object::new();
    let mut spiffe_id = None;
    let decoded = jwt::decode(token);
    list.record("decode", "a compact JWS of three unpadded base64url segments, header and claims JSON objects, at most 16 KiB", "RFC 7515 §7.1", &decoded.as_ref().map(|_| ()).map_err(Clone::clone));
    let (header, claims) = match &decoded {
        Ok(d) => (d.header.clone(), d.claims.clone()),
        Err(_) => (Object::new(), Object::new()),
    };
    if decoded.is_ok() {
        details.insert("header", header.clone());
        details.insert("claims", claims.clone());
        let alg = jwt::check_algorithm(&header).map(|_| ());
        list.record(
            "alg",
            "alg is one of RS256/384/512, PS256/384/512, ES256/384/512",
            "JWT-SVID §2.1",
            &alg,
        );
        list.record(
            "header",
            "the header holds only alg, kid and typ; typ is JWT or JOSE when present",
            "JWT-SVID §2, §2.3",
            &jwt::check_header(&header),
        );
        list.record(
            "claims",
            "sub is a string, aud a non-empty string or array of strings, exp (and nbf) integers",
            "JWT-SVID §3",
            &jwt::check_claims(&claims),
        );
        let id = SpiffeId::parse(
            claims
                .get("sub")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        if let Ok(id) = &id {
            spiffe_id = Some(id.clone());
        }
        list.record(
            "sub",
            "sub is a valid SPIFFE ID",
            "JWT-SVID §3.1; SPIFFE-ID §2",
            &id.map(|_| ()),
        );
    } else {
        for (id, rule, r) in [
            ("alg", "alg is one of RS256/384/512, PS256/384/512, ES256/384/512", "JWT-SVID §2.1"),
            ("header", "the header holds only alg, kid and typ; typ is JWT or JOSE when present", "JWT-SVID §2, §2.3"),
            ("claims", "sub is a string, aud a non-empty string or array of strings, exp (and nbf) integers", "JWT-SVID §3"),
            ("sub", "sub is a valid SPIFFE ID", "JWT-SVID §3.1; SPIFFE-ID §2"),
        ] {
            list.record(id, rule, r, &Ok(()));
        }
    }
    let stages: [(&'static str, &'static str, &'static str, &[ErrorCode]); 8] = [
        (
            "bundle",
            "the sub's trust domain has JWT authorities",
            "JWT-SVID §6.2; Bundle §3",
            &[ErrorCode::NoBundle],
        ),
        (
            "key",
            "a JWT authority matches the token's kid (or, without kid, its alg)",
            "JWT-SVID §6.2",
            &[ErrorCode::Untrusted],
        ),
        (
            "key-policy",
            "the key is of a supported type and size (RSA of 2048–16384 bits with e ≤ 2^33 − 1; P-256/384/521)",
            "JWT-SVID §2.1",
            &[ErrorCode::UnsupportedAlgorithm],
        ),
        (
            "signature",
            "alg fits the key and the signature verifies",
            "RFC 7515 §5.2",
            &[ErrorCode::BadSignature],
        ),
        (
            "exp",
            "now is before exp (widened by skew)",
            "JWT-SVID §3.3; RFC 7519 §4.1.4",
            &[ErrorCode::Expired],
        ),
        (
            "nbf",
            "now is not before nbf (widened by skew)",
            "RFC 7519 §4.1.5",
            &[ErrorCode::NotYetValid],
        ),
        (
            "audience",
            "aud names one of the expected audiences",
            "JWT-SVID §3.2",
            &[ErrorCode::AudienceMismatch],
        ),
        (
            "policy",
            "the policy admits the SPIFFE ID and does not deny the jti",
            "svidkit policy",
            &[ErrorCode::Revoked, ErrorCode::Unauthorized],
        ),
    ];
    for (id, rule, r, codes) in stages {
        if id == "policy" && options.policy.is_none() {
            list.skipped(id, rule, r);
            continue;
        }
        // Before the bundle stage the early rules already decided malformed/alg/profile/sub.
        list.record(id, rule, r, &code_is(&verdict, codes));
    }
    if let Some(exp) = claims.get("exp").and_then(jwt::numeric_date) {
        details.insert("expiresAt", jwt::reported(exp));
    }
    debug_assert_eq!(
        list.failed,
        verdict.is_err(),
        "checklist and verdict disagree"
    );
    Report {
        kind: "jwt-svid",
        verdict,
        spiffe_id,
        checks: list.checks,
        details,
    }
}

/// Describes a bundle for display. Without `trust_domain` the name is taken from the first
/// authority's SPIFFE ID, else `unknown`.
pub fn inspect_bundle(document: &[u8], trust_domain: Option<&str>) -> Result<Value> {
    let td = match trust_domain {
        Some(td) => TrustDomain::new(td)?,
        None => {
            let probe = Bundle::parse(TrustDomain::new("unknown")?, document)?;
            let named = probe.x509_authorities().iter().find_map(|a| {
                a.cert()
                    .uris
                    .iter()
                    .find_map(|u| SpiffeId::parse(u).ok())
                    .map(|id| id.trust_domain().to_string())
            });
            TrustDomain::new(named.as_deref().unwrap_or("unknown"))?
        }
    };
    let bundle = Bundle::parse(td, document)?;
    Ok(bundle_json(&bundle))
}

/// A bundle as JSON: its authorities, refresh hint and sequence.
pub fn bundle_json(bundle: &Bundle) -> Value {
    let jwt = bundle.jwt_authorities().iter().map(|a| {
        object! {
            "kid": a.kid(),
            "alg": a.alg(),
            "kty": a.key().kty(),
            "keyAlgorithm": a.key().description(),
            "supported": a.key().is_supported(),
        }
        .into()
    });
    object! {
        "trustDomain": bundle.trust_domain().as_str(),
        "x509Authorities": Value::Array(bundle.x509_authorities().iter().map(|a| cert_json(a.cert(), "authority")).collect()),
        "jwtAuthorities": Value::Array(jwt.collect()),
        "refreshHint": bundle.refresh_hint(),
        "sequence": bundle.sequence(),
    }
    .into()
}

/// An error as JSON `{code, message}`.
pub fn error_json(e: &Error) -> Value {
    object! {"code": e.code().as_str(), "message": e.message()}.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_tells_tokens_by_their_shape() {
        // Header JSON with leading space or inner whitespace: `IHsi…` / `eyAi…`, still a token.
        for token in [
            "IHsiYWxnIjoiRVMyNTYifQ.e30.c2ln",
            "eyAiYWxnIjoiRVMyNTYiIH0.e30.c2ln",
            "a.b",
            "..",
        ] {
            assert_eq!(detect(token), InputKind::JwtSvid, "{token}");
        }
        assert_eq!(detect("MIIBrTCCAVSgAwIBAgIU"), InputKind::Base64Der);
        assert_eq!(
            detect("Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln"),
            InputKind::Unknown
        );
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30=.c2ln"), InputKind::Unknown);
        assert_eq!(detect(" {\"keys\": []}"), InputKind::Bundle);
    }
}
