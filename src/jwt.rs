//! JWT-SVID verification (JWT-SVID standard §2–§3, RFC 7515 compact JWS, RFC 7519 claims). The
//! checks run in the order DESIGN.md fixes, so the first failure decides the code.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::bundle::{BundleSet, JwtAuthority};
use crate::crypto::SignatureVerifier;
use crate::encoding;
use crate::error::{limits, quoted, Error, ErrorCode, QuotedList, Result};
use crate::id::SpiffeId;
use crate::json::{Object, Value};
use crate::key::SignatureAlgorithm;

/// A verified JWT-SVID.
#[derive(Clone, Debug, PartialEq)]
pub struct JwtSvid {
    /// The `sub` claim.
    pub spiffe_id: SpiffeId,
    /// `exp`, Unix seconds. An `exp` above `i64::MAX` (a NumericDate may be any integer up to
    /// `u64::MAX`) is reported as `i64::MAX`; the check itself uses the exact value.
    pub expires_at: i64,
    /// `iat`, when it is an integer (informational: never checked); clamped like `expires_at`.
    pub issued_at: Option<i64>,
    /// `nbf`, when present; clamped like `expires_at`, checked exactly.
    pub not_before: Option<i64>,
    /// The audiences of the token (`aud`, a string becoming one element).
    pub audience: Vec<String>,
    /// The `jti` claim, when it is a string.
    pub jti: Option<String>,
    /// The algorithm that signed the token.
    pub algorithm: SignatureAlgorithm,
    /// The `kid` of the header, if any.
    pub kid: Option<String>,
    /// Every claim of the token, as parsed ([`crate::json`]: members sorted by key, numbers as
    /// written); `claims.to_json()` gives them as compact JSON.
    pub claims: Object,
}

/// A compact JWS decoded but not yet verified.
#[derive(Clone, Debug)]
pub struct DecodedToken {
    /// The protected header.
    pub header: Object,
    /// The claims.
    pub claims: Object,
    /// The signature bytes.
    pub signature: Vec<u8>,
    signing_input_len: usize,
}

/// Decodes a compact JWS: three unpadded base64url segments, header and payload JSON objects.
pub fn decode(token: &str) -> Result<DecodedToken> {
    if token.len() > limits::MAX_TOKEN_LEN {
        return Err(Error::malformed(format!(
            "the token is {} bytes, over the limit of {}",
            token.len(),
            limits::MAX_TOKEN_LEN
        )));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::malformed(
            "a compact JWS has exactly three dot-separated segments (RFC 7515 §7.1)",
        ));
    };
    let header = json_object(h, "header")?;
    let claims = json_object(p, "payload")?;
    let signature = encoding::base64url(s)
        .map_err(|e| Error::malformed(format!("JWS signature: {}", e.message())))?;
    Ok(DecodedToken {
        header,
        claims,
        signature,
        signing_input_len: h.len() + 1 + p.len(),
    })
}

fn json_object(segment: &str, what: &str) -> Result<Object> {
    let bytes = encoding::base64url(segment)
        .map_err(|e| Error::malformed(format!("JWS {what}: {}", e.message())))?;
    match Value::parse_unique(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::malformed(format!("JWS {what} is not a JSON object"))),
        Err(e) => Err(Error::malformed(format!("JWS {what} is not JSON: {e}"))),
    }
}

/// The `alg` of a decoded token, if JWT-SVID allows it (JWT-SVID §2.1).
pub fn check_algorithm(header: &Object) -> Result<SignatureAlgorithm> {
    let alg = match header.get("alg") {
        Some(Value::String(a)) => a,
        _ => {
            return Err(Error::malformed(
                "the JWS header has no `alg` string (RFC 7515 §4.1.1)",
            ))
        }
    };
    SignatureAlgorithm::from_jws(alg).ok_or_else(|| {
        Error::unsupported(format!(
            "alg {} is not allowed for JWT-SVIDs; allowed: RS256/384/512, PS256/384/512, ES256/384/512 (JWT-SVID §2.1)", quoted(alg)
        ))
    })
}

/// The header profile (JWT-SVID §2: only `alg`, `kid`, `typ`; `typ` is `JWT` or `JOSE`) and the
/// claim types (`sub` string, `aud` non-empty string or array of strings, `exp` and `nbf` integers).
pub fn check_profile(header: &Object, claims: &Object) -> Result<()> {
    check_header(header)?;
    check_claims(claims)
}

/// The header profile alone (JWT-SVID §2, §2.3).
pub fn check_header(header: &Object) -> Result<()> {
    for name in header.keys() {
        if !matches!(name, "alg" | "kid" | "typ") {
            return Err(Error::invalid_svid(format!(
                "header parameter {} is not allowed; only alg, kid and typ (JWT-SVID §2)",
                quoted(name)
            )));
        }
    }
    match header.get("typ") {
        None => {}
        Some(Value::String(t)) if t == "JWT" || t == "JOSE" => {}
        Some(t) => {
            return Err(Error::invalid_svid(format!(
                "typ {t} is not JWT or JOSE (JWT-SVID §2.3)"
            )))
        }
    }
    if header.get("kid").is_some_and(|k| !k.is_string()) {
        return Err(Error::invalid_svid("kid is not a string (RFC 7515 §4.1.4)"));
    }
    Ok(())
}

/// The claim types alone (JWT-SVID §3).
pub fn check_claims(claims: &Object) -> Result<()> {
    match claims.get("sub") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(Error::invalid_svid("sub is not a string (JWT-SVID §3.1)")),
        None => {
            return Err(Error::invalid_svid(
                "the sub claim is missing (JWT-SVID §3.1)",
            ))
        }
    }
    audience_values(claims)?;
    match claims.get("exp") {
        None => {
            return Err(Error::invalid_svid(
                "the exp claim is missing (JWT-SVID §3.3)",
            ))
        }
        Some(v) if numeric_date(v).is_none() => {
            return Err(Error::invalid_svid(
                "exp is not an integer NumericDate (JWT-SVID §3.3)",
            ))
        }
        Some(_) => {}
    }
    if claims.get("nbf").is_some_and(|v| numeric_date(v).is_none()) {
        return Err(Error::invalid_svid(
            "nbf is not an integer NumericDate (RFC 7519 §4.1.5)",
        ));
    }
    Ok(())
}

/// An integer NumericDate, exactly: any `i64` or `u64` (`now` is a `u64`, so one above
/// `i64::MAX` can still lie ahead of it).
pub(crate) fn numeric_date(v: &Value) -> Option<i128> {
    v.as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from))
}

/// A NumericDate in a message. Every one fits an `i64` or a `u64`, whose formatting the module
/// has anyway; `i128`'s would add its 128-bit division (≈ 1 kB gzip).
struct Shown(i128);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match i64::try_from(self.0) {
            Ok(v) => v.fmt(f),
            Err(_) => (self.0 as u64).fmt(f),
        }
    }
}

/// A NumericDate as the `i64` the result reports (see [`JwtSvid::expires_at`]).
pub(crate) fn reported(date: i128) -> i64 {
    i64::try_from(date).unwrap_or(if date < 0 { i64::MIN } else { i64::MAX })
}

/// The `aud` values: a string, or an array of them (JWT-SVID §3.2); checked without copying them.
fn audience_values(claims: &Object) -> Result<&[Value]> {
    match claims.get("aud") {
        None => Err(Error::invalid_svid(
            "the aud claim is missing (JWT-SVID §3.2)",
        )),
        Some(v @ Value::String(a)) if !a.is_empty() => Ok(core::slice::from_ref(v)),
        Some(Value::Array(items)) if !items.is_empty() => {
            if items.iter().all(Value::is_string) {
                Ok(items)
            } else {
                Err(Error::invalid_svid(
                    "aud has an element that is not a string (RFC 7519 §4.1.3)",
                ))
            }
        }
        Some(_) => Err(Error::invalid_svid(
            "aud is not a non-empty string or non-empty array of strings (JWT-SVID §3.2)",
        )),
    }
}

/// Verifies a JWT-SVID: signature by a JWT authority of the `sub`'s trust domain, time bounds
/// (`now < exp`, `now ≥ nbf`, both widened by `skew`) and audience (any of `audiences`).
pub fn verify(
    token: &str,
    audiences_expected: &[&str],
    bundles: &BundleSet,
    now: u64,
    skew: u64,
    crypto: &dyn SignatureVerifier,
) -> Result<JwtSvid> {
    let decoded = decode(token)?;
    let alg = check_algorithm(&decoded.header)?;
    check_profile(&decoded.header, &decoded.claims)?;
    let sub = decoded.claims["sub"].as_str().unwrap_or_default();
    let spiffe_id = SpiffeId::parse(sub)?;
    let td = spiffe_id.trust_domain();
    let authorities = match bundles.get(td) {
        Some(b) if !b.jwt_authorities().is_empty() => b.jwt_authorities(),
        _ => {
            return Err(Error::new(
                ErrorCode::NoBundle,
                format!(
                    "no JWT authorities for trust domain {} (JWT-SVID §6.2)",
                    quoted(td)
                ),
            ))
        }
    };
    let kid = decoded.header.get("kid").and_then(Value::as_str);
    let candidate = |a: &&JwtAuthority| match kid {
        Some(kid) => a.kid() == Some(kid),
        None => alg.key_family_matches(a.key()),
    };
    if !authorities.iter().any(|a| candidate(&a)) {
        return Err(Error::new(
            ErrorCode::Untrusted,
            match kid {
                Some(kid) => format!(
                    "no JWT authority of {} has kid {} (JWT-SVID §6.2)",
                    quoted(td),
                    quoted(kid)
                ),
                None => format!(
                    "no JWT authority of {} has a key for {} (JWT-SVID §6.2)",
                    quoted(td),
                    alg.name()
                ),
            },
        ));
    }
    let signing_input = &token.as_bytes()[..decoded.signing_input_len];
    let mut failure: Option<Error> = None;
    let mut verified = false;
    for authority in authorities.iter().filter(candidate) {
        match check_signature(alg, authority, signing_input, &decoded.signature, crypto) {
            Ok(()) => {
                verified = true;
                break;
            }
            // bad-signature is more specific than unsupported-algorithm: it found a usable key.
            Err(e)
                if failure
                    .as_ref()
                    .is_none_or(|f| f.code() == ErrorCode::UnsupportedAlgorithm) =>
            {
                failure = Some(e)
            }
            Err(_) => {}
        }
    }
    if !verified {
        return Err(failure.unwrap_or_else(|| {
            Error::new(
                ErrorCode::Untrusted,
                "no JWT authority could be tried (JWT-SVID §6.2)",
            )
        }));
    }

    let exp = numeric_date(&decoded.claims["exp"]).unwrap_or_default();
    let nbf = decoded.claims.get("nbf").and_then(numeric_date);
    let now_i = i128::from(now);
    let skew_i = i128::from(skew);
    if now_i >= exp + skew_i {
        return Err(Error::new(
            ErrorCode::Expired,
            format!(
                "the token expired at {} (now {now}); exp must be after now (JWT-SVID §3.3)",
                Shown(exp)
            ),
        ));
    }
    if let Some(nbf) = nbf {
        if now_i < nbf - skew_i {
            return Err(Error::new(
                ErrorCode::NotYetValid,
                format!(
                    "the token is not valid before {} (now {now}) (RFC 7519 §4.1.5)",
                    Shown(nbf)
                ),
            ));
        }
    }
    let audience = audience_values(&decoded.claims)?;
    if audiences_expected.is_empty() {
        return Err(Error::new(
            ErrorCode::AudienceMismatch,
            "no expected audience was given; a JWT-SVID must be checked against at least one (JWT-SVID §3.2)",
        ));
    }
    let audience = || audience.iter().filter_map(Value::as_str);
    if !audience().any(|a| audiences_expected.contains(&a)) {
        let audience: Vec<&str> = audience().collect();
        return Err(Error::new(
            ErrorCode::AudienceMismatch,
            format!(
                "the token's audience {} names none of {} (JWT-SVID §3.2)",
                QuotedList(&audience),
                QuotedList(audiences_expected)
            ),
        ));
    }
    Ok(JwtSvid {
        spiffe_id,
        expires_at: reported(exp),
        issued_at: decoded
            .claims
            .get("iat")
            .and_then(numeric_date)
            .map(reported),
        not_before: nbf.map(reported),
        audience: audience().map(String::from).collect(),
        jti: decoded
            .claims
            .get("jti")
            .and_then(Value::as_str)
            .map(ToString::to_string),
        algorithm: alg,
        kid: kid.map(ToString::to_string),
        claims: decoded.claims,
    })
}

fn check_signature(
    alg: SignatureAlgorithm,
    authority: &JwtAuthority,
    signing_input: &[u8],
    signature: &[u8],
    crypto: &dyn SignatureVerifier,
) -> Result<()> {
    alg.check_key(authority.key())?;
    if let Some(key_alg) = authority.alg() {
        if key_alg != alg.name() {
            return Err(Error::new(
                ErrorCode::BadSignature,
                format!(
                    "the token's alg {} differs from the key's alg {key_alg} (RFC 7517 §4.4)",
                    alg.name()
                ),
            ));
        }
    }
    let bad = || {
        Error::new(
            ErrorCode::BadSignature,
            format!(
                "the {} signature does not verify with the key {} (RFC 7515 §5.2)",
                alg.name(),
                quoted(authority.kid().unwrap_or("(no kid)"))
            ),
        )
    };
    if !alg.fits(authority.key(), signature) {
        return Err(bad());
    }
    if crypto.verify(alg, authority.key(), signing_input, signature) {
        Ok(())
    } else {
        Err(bad())
    }
}
