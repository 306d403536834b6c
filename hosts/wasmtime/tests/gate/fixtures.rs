//! Credentials made at test time with real keys: a city.gov trust domain (a root CA, an
//! intermediate CA, a JWT signing key) whose SPIFFE bundle the gate trusts, an other.org trust
//! domain it does not, X.509-SVIDs (rcgen) and ES256 JWT-SVIDs (ring), relative to the real clock
//! (the gate reads wasi:clocks/wall-clock, which the host backs with the system clock).

use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Standard, padded base64 (RFC 4648 §4).
pub fn b64(bytes: &[u8]) -> String {
    encode(bytes, STD, true)
}

/// Unpadded base64url (RFC 7515 §2).
pub fn b64url(bytes: &[u8]) -> String {
    encode(bytes, URL, false)
}

/// PEM of one DER certificate.
pub fn pem(der: &[u8]) -> String {
    let body = b64(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// encodeURIComponent, as Envoy's XFCC values are encoded.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn
}

fn at(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).expect("a representable time")
}

fn uri(u: &str) -> SanType {
    SanType::URI(u.try_into().expect("an IA5 URI"))
}

fn p256() -> KeyPair {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("a P-256 key")
}

/// A CA certificate and its key (an rcgen issuer).
pub struct Ca {
    pub der: Vec<u8>,
    issuer: Issuer<'static, KeyPair>,
}

fn ca_params(cn: &str, trust_domain: &str, now: i64) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.subject_alt_names = vec![uri(&format!("spiffe://{trust_domain}"))];
    p.not_before = at(now - 3600);
    p.not_after = at(now + 86_400);
    p
}

impl Ca {
    /// A self-signed root.
    pub fn root(cn: &str, trust_domain: &str, now: i64) -> Ca {
        let key = p256();
        let params = ca_params(cn, trust_domain, now);
        let der = params.self_signed(&key).expect("a root").der().to_vec();
        Ca {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    /// An intermediate CA signed by `self`.
    pub fn intermediate(&self, cn: &str, trust_domain: &str, now: i64) -> Ca {
        let key = p256();
        let params = ca_params(cn, trust_domain, now);
        let der = params
            .signed_by(&key, &self.issuer)
            .expect("an intermediate")
            .der()
            .to_vec();
        Ca {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    /// An X.509-SVID leaf for `spiffe_id`, valid `not_before..not_after` (Unix seconds).
    pub fn leaf(&self, spiffe_id: &str, not_before: i64, not_after: i64) -> Vec<u8> {
        let key = p256();
        let mut p = CertificateParams::default();
        p.distinguished_name = dn("workload");
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.subject_alt_names = vec![uri(spiffe_id)];
        p.not_before = at(not_before);
        p.not_after = at(not_after);
        p.signed_by(&key, &self.issuer)
            .expect("a leaf")
            .der()
            .to_vec()
    }
}

/// A JWT-SVID signing key (ES256).
pub struct JwtKey {
    pub kid: String,
    pair: EcdsaKeyPair,
    /// The uncompressed public point (0x04 ‖ x ‖ y).
    point: Vec<u8>,
}

impl JwtKey {
    pub fn new(kid: &str) -> JwtKey {
        let key = p256();
        let rng = ring::rand::SystemRandom::new();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &key.serialize_der(), &rng)
                .expect("a ring P-256 key");
        JwtKey {
            kid: kid.to_string(),
            point: key.public_key_raw().to_vec(),
            pair,
        }
    }

    /// The bundle entry (`use: jwt-svid`).
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "EC", "crv": "P-256", "use": "jwt-svid", "kid": self.kid,
            "x": b64url(&self.point[1..33]), "y": b64url(&self.point[33..65]),
        })
    }

    /// A signed JWT-SVID with these claims.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "kid": self.kid, "typ": "JWT" });
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let rng = ring::rand::SystemRandom::new();
        let sig = self
            .pair
            .sign(&rng, input.as_bytes())
            .expect("an ES256 signature");
        format!("{input}.{}", b64url(sig.as_ref()))
    }

    /// A token for `sub` and `aud`, valid from a minute ago for `ttl` seconds from now.
    pub fn token(&self, sub: &str, aud: &str, ttl: i64) -> String {
        let now = now();
        self.sign(&json!({ "sub": sub, "aud": aud, "iat": now - 60, "exp": now + ttl }))
    }
}

/// A SPIFFE bundle document: X.509 authorities and JWT keys.
pub fn bundle(cas: &[&Ca], jwt: &[&JwtKey]) -> Value {
    let mut keys: Vec<Value> = cas
        .iter()
        .map(|ca| json!({ "kty": "EC", "crv": "P-256", "use": "x509-svid", "x5c": [b64(&ca.der)] }))
        .collect();
    keys.extend(jwt.iter().map(|k| k.jwk()));
    json!({ "spiffe_refresh_hint": 300, "spiffe_sequence": 1, "keys": keys })
}

/// The token with its payload replaced by `claims` (header and signature kept): what a caller who
/// edits a token to raise its privileges sends.
pub fn with_payload(token: &str, claims: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        b64url(claims.to_string().as_bytes()),
        parts[2]
    )
}
