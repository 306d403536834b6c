//! Public keys, decoded once (from a certificate's SPKI or from a JWK) into the form the signature
//! check needs, and kept with their SPKI DER so host crypto can import them too.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, UintRef};
use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use crate::error::{quoted, Error, Result};
use p256::elliptic_curve::ff::{Field, PrimeField};
use p256::elliptic_curve::point::AffineCoordinates;
use p256::elliptic_curve::FieldBytes;
use primeorder::{AffinePoint, PrimeCurveParams};

pub(crate) const OID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(crate) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const OID_RSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Smallest RSA modulus accepted for any signature.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus decoded; bigger ones are kept as unsupported rather than costing unbounded work.
pub const MAX_RSA_BITS: usize = 16384;

/// The NIST curves svidkit verifies ECDSA on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// secp256r1
    P256,
    /// secp384r1
    P384,
    /// secp521r1
    P521,
}

impl Curve {
    /// The JOSE name (`P-256`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
    fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

/// What kind of key this is, with its decoded material.
#[derive(Clone, Debug)]
pub(crate) enum KeyData {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Rsa(rsa::PublicKey),
    /// An RSA key below [`MIN_RSA_BITS`] or above [`MAX_RSA_BITS`], or with a public exponent over
    /// 2^33 − 1 (the rsa crate's limit): counted, never used.
    RsaUnsupported,
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A key of a type or curve svidkit does not verify with (kept so bundles count it).
    Unsupported,
}

/// A decoded public key.
#[derive(Clone, Debug)]
pub struct PublicKey {
    pub(crate) data: KeyData,
    // An id-RSASSA-PSS key may only verify PSS signatures (RFC 4055 §1.2) ...
    pss_only: bool,
    // ... and with parameters, only the one PS256/384/512 they allow (RFC 4055 §3.1).
    pss_alg: Option<SignatureAlgorithm>,
    bits: usize,
    spki: Vec<u8>,
    description: String,
}

impl PublicKey {
    /// Decodes a DER SubjectPublicKeyInfo. Malformed DER is an error; a well-formed key of an
    /// algorithm svidkit does not support decodes to a key that [`PublicKey::is_supported`] says no to.
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::malformed(format!("SubjectPublicKeyInfo is not valid DER: {e}")))?;
        Self::from_spki(&spki, der.to_vec())
    }

    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>, der: Vec<u8>) -> Result<Self> {
        let oid = spki.algorithm.oid;
        let key = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| Error::malformed("public key BIT STRING has unused bits"))?;
        if oid == OID_EC_PUBLIC_KEY {
            let curve_oid = spki
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let curve = match curve_oid {
                Some(c) if c == OID_P256 => Curve::P256,
                Some(c) if c == OID_P384 => Curve::P384,
                Some(c) if c == OID_P521 => Curve::P521,
                Some(c) => return Ok(Self::unsupported(der, format!("EC key on curve {c}"))),
                None => {
                    return Ok(Self::unsupported(
                        der,
                        "EC key without a named curve".into(),
                    ))
                }
            };
            return Self::ec(curve, key, der);
        }
        if oid == OID_RSA || oid == OID_RSA_PSS {
            // rsaEncryption's parameters MUST be NULL (RFC 3279 §2.3.1); Go refuses the key
            // without them too. id-RSASSA-PSS may carry its own parameters (RFC 4055 §1.2).
            let null = spki.algorithm.parameters.is_some_and(|p| p.is_null());
            if oid == OID_RSA && !null {
                return Err(Error::malformed(
                    "rsaEncryption key without NULL parameters (RFC 3279 §2.3.1)",
                ));
            }
            let (n, e) = decode_rsa_public_key(key)?;
            let mut key = Self::rsa(n, e, der)?;
            key.pss_only = oid == OID_RSA_PSS;
            if let (true, Some(params)) = (key.pss_only, spki.algorithm.parameters) {
                // RFC 4055 §3.1: a key's RSASSA-PSS-params bind its signatures to their hash and
                // MGF, with a salt at least as long; svidkit verifies PS256/384/512 only.
                let only = crate::cert::pss_key_algorithm(params).map_err(|_| {
                    Error::malformed(
                        "id-RSASSA-PSS key parameters are not RSASSA-PSS-params (RFC 4055 §3.1)",
                    )
                })?;
                match only {
                    Some(alg) if key.is_supported() => {
                        key.pss_alg = Some(alg);
                        key.description =
                            format!("{} (RSASSA-PSS, {} only)", key.description, alg.name());
                    }
                    Some(_) => {}
                    None => {
                        key.data = KeyData::RsaUnsupported;
                        key.description = format!(
                            "{} with RSASSA-PSS parameters no PS256/384/512 signature meets (RFC 4055 §3.1)",
                            key.description
                        );
                    }
                }
            }
            return Ok(key);
        }
        if oid == OID_ED25519 {
            if spki.algorithm.parameters.is_some() {
                return Err(Error::malformed(
                    "Ed25519 key with parameters; they must be absent (RFC 8410 §3)",
                ));
            }
            let bytes: &[u8; 32] = key
                .try_into()
                .map_err(|_| Error::malformed("Ed25519 public key is not 32 bytes"))?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(bytes)
                .map_err(|_| Error::malformed("Ed25519 public key is not a curve point"))?;
            return Ok(PublicKey {
                pss_only: false,
                pss_alg: None,
                data: KeyData::Ed25519(vk),
                bits: 256,
                spki: der,
                description: "Ed25519".into(),
            });
        }
        Ok(Self::unsupported(der, format!("key algorithm {oid}")))
    }

    fn unsupported(spki: Vec<u8>, description: String) -> Self {
        PublicKey {
            pss_only: false,
            pss_alg: None,
            data: KeyData::Unsupported,
            bits: 0,
            spki,
            description,
        }
    }

    fn ec(curve: Curve, point: &[u8], spki: Vec<u8>) -> Result<Self> {
        let bad = || {
            Error::malformed(format!(
                "{} public key is not a valid curve point",
                curve.name()
            ))
        };
        if let Some(tag @ (0 | 1 | 5..)) = point.first() {
            return Err(Error::malformed(format!(
                "{} public key's first octet is {tag:#04x}: RFC 5480 §2.2 allows 04 (uncompressed) and 02, 03 (compressed)",
                curve.name()
            )));
        }
        let data = match curve {
            Curve::P256 => KeyData::P256(
                p256::ecdsa::VerifyingKey::from_affine(ec_point(point).ok_or_else(bad)?)
                    .map_err(|_| bad())?,
            ),
            Curve::P384 => KeyData::P384(
                p384::ecdsa::VerifyingKey::from_affine(ec_point(point).ok_or_else(bad)?)
                    .map_err(|_| bad())?,
            ),
            Curve::P521 => KeyData::P521(
                p521::ecdsa::VerifyingKey::from_affine(ec_point(point).ok_or_else(bad)?)
                    .map_err(|_| bad())?,
            ),
        };
        let bits = match curve {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        };
        Ok(PublicKey {
            pss_only: false,
            pss_alg: None,
            data,
            bits,
            spki,
            description: format!("EC {}", curve.name()),
        })
    }

    fn rsa(n: &[u8], e: &[u8], spki: Vec<u8>) -> Result<Self> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = bit_len(n);
        // A key svidkit won't verify with is still a key: kept and counted in a bundle, harmless
        // in a chain until a path needs it, then `unsupported-algorithm` (key.rs `check_key`).
        let unsupported = |description: String| PublicKey {
            pss_only: false,
            pss_alg: None,
            data: KeyData::RsaUnsupported,
            bits,
            spki: spki.clone(),
            description,
        };
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Ok(unsupported(format!("RSA {bits}")));
        }
        if e.len() > 8 {
            return Ok(unsupported(format!(
                "RSA {bits} (public exponent over 64 bits)"
            )));
        }
        let prec = (n.len() * 8) as u32;
        let nn = rsa::BoxedUint::from_be_slice(n, prec)
            .map_err(|_| Error::malformed("RSA modulus does not decode"))?;
        let ee = rsa::BoxedUint::from_be_slice(e, 64)
            .map_err(|_| Error::malformed("RSA exponent does not decode"))?;
        // The rsa crate takes public exponents up to 2^33 − 1, as BoringSSL does. RFC 8017 §3.1
        // allows any odd 3 ≤ e < n, so a larger one is unusual but not malformed; what the crate
        // refuses otherwise (an even modulus or exponent, e < 2) is no RSA key at all.
        let key = match rsa::PublicKey::new_with_size_limits(nn, ee, MIN_RSA_BITS..=MAX_RSA_BITS) {
            Ok(key) => key,
            Err(rsa::Error::PublicExponentTooLarge) => {
                return Ok(unsupported(format!(
                    "RSA {bits} (public exponent over 2^33 − 1)"
                )))
            }
            Err(why) => {
                return Err(Error::malformed(format!(
                    "RSA public key is invalid: {why}"
                )))
            }
        };
        Ok(PublicKey {
            pss_only: false,
            pss_alg: None,
            data: KeyData::Rsa(key),
            bits,
            spki,
            description: format!("RSA {bits}"),
        })
    }

    /// Decodes the public part of a JWK (`kty` EC, RSA or OKP). Returns `Ok(None)` for a key type
    /// JWT-SVIDs never use, so bundle parsing can skip it.
    pub(crate) fn from_jwk(jwk: &crate::json::Object) -> Result<Option<Self>> {
        let member = |name: &str| -> Result<Vec<u8>> {
            let text = jwk.get(name).and_then(|v| v.as_str()).ok_or_else(|| {
                Error::invalid_bundle(format!("JWK member `{name}` is missing or not a string"))
            })?;
            crate::encoding::base64url_bytes(text).ok_or_else(|| {
                Error::invalid_bundle(format!("JWK member `{name}` is not unpadded base64url"))
            })
        };
        match jwk.get("kty").and_then(|v| v.as_str()) {
            Some("EC") => {
                // `crv` is required (RFC 7518 §6.2.1.1): without it the key is as broken as one
                // without `y`, not a key on some other curve.
                let crv = jwk.get("crv").and_then(|v| v.as_str()).ok_or_else(|| {
                    Error::invalid_bundle("JWK member `crv` is missing or not a string")
                })?;
                let curve = match crv {
                    "P-256" => Curve::P256,
                    "P-384" => Curve::P384,
                    "P-521" => Curve::P521,
                    other => {
                        return Ok(Some(Self::unsupported(
                            Vec::new(),
                            format!("EC key on curve {}", quoted(other)),
                        )))
                    }
                };
                let (x, y) = (member("x")?, member("y")?);
                let len = curve.coordinate_len();
                if x.len() != len || y.len() != len {
                    return Err(Error::invalid_bundle(format!(
                        "{} JWK coordinates must be {len} bytes each",
                        curve.name()
                    )));
                }
                let mut point = Vec::with_capacity(1 + 2 * len);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                let curve_oid = match curve {
                    Curve::P256 => OID_P256,
                    Curve::P384 => OID_P384,
                    Curve::P521 => OID_P521,
                };
                let spki = encode_spki(
                    OID_EC_PUBLIC_KEY,
                    Some(&curve_oid.to_der().map_err(der_err)?),
                    &point,
                )?;
                Self::ec(curve, &point, spki)
                    .map(Some)
                    .map_err(|e| Error::invalid_bundle(e.message().to_string()))
            }
            Some("RSA") => {
                let (n, e) = (member("n")?, member("e")?);
                let n = strip_leading_zeros(&n);
                let e = strip_leading_zeros(&e);
                let body = [uint_der(n)?, uint_der(e)?].concat();
                let rsa_key = [header_der(Tag::Sequence, body.len())?, body].concat();
                let spki = encode_spki(OID_RSA, Some(&[0x05, 0x00]), &rsa_key)?;
                Self::rsa(n, e, spki)
                    .map(Some)
                    .map_err(|e| Error::invalid_bundle(e.message().to_string()))
            }
            _ => Ok(None),
        }
    }

    /// Whether svidkit can verify signatures with this key (a supported type; RSA of 2048–16384 bits
    /// with a public exponent of at most 2^33 − 1).
    pub fn is_supported(&self) -> bool {
        !matches!(self.data, KeyData::Unsupported | KeyData::RsaUnsupported)
    }

    /// `unsupported-algorithm` unless [`PublicKey::is_supported`]; `whose` starts the message
    /// ("the", "the leaf's").
    pub fn check_supported(&self, whose: &str) -> Result<()> {
        if self.is_supported() {
            return Ok(());
        }
        Err(Error::unsupported(format!(
            "{whose} key ({}) is not supported: RSA of {MIN_RSA_BITS}–{MAX_RSA_BITS} bits with a public exponent of at most 2^33 − 1, EC on P-256, P-384 or P-521, or Ed25519",
            self.description()
        )))
    }

    /// Key size in bits (curve size for EC keys; 0 when unknown).
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// A short description such as `EC P-256`, `RSA 2048` or `Ed25519`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The key as DER SubjectPublicKeyInfo, for importing into host crypto (empty for a JWK key of a
    /// type svidkit does not support).
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// Whether this is an `id-RSASSA-PSS` key, which may only verify RSA-PSS signatures (RFC 4055 §1.2).
    pub fn pss_only(&self) -> bool {
        self.pss_only
    }

    /// The curve of an EC key.
    pub fn curve(&self) -> Option<Curve> {
        match self.data {
            KeyData::P256(_) => Some(Curve::P256),
            KeyData::P384(_) => Some(Curve::P384),
            KeyData::P521(_) => Some(Curve::P521),
            _ => None,
        }
    }

    /// The JOSE `kty` of this key.
    pub fn kty(&self) -> &'static str {
        match self.data {
            KeyData::P256(_) | KeyData::P384(_) | KeyData::P521(_) => "EC",
            KeyData::Rsa(_) | KeyData::RsaUnsupported => "RSA",
            KeyData::Ed25519(_) => "OKP",
            KeyData::Unsupported if self.description.starts_with("EC") => "EC",
            KeyData::Unsupported => "unknown",
        }
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki == other.spki && self.description == other.description
    }
}

fn der_err(e: der::Error) -> Error {
    Error::malformed(format!("DER encoding failed: {e}"))
}

fn header_der(tag: Tag, len: usize) -> Result<Vec<u8>> {
    let len = Length::try_from(len).map_err(der_err)?;
    Header::new(tag, len).to_der().map_err(der_err)
}

fn uint_der(bytes: &[u8]) -> Result<Vec<u8>> {
    UintRef::new(bytes)
        .and_then(|u| u.to_der())
        .map_err(der_err)
}

fn encode_spki(oid: ObjectIdentifier, params: Option<&[u8]>, key: &[u8]) -> Result<Vec<u8>> {
    let params = match params {
        Some(p) => Some(AnyRef::from_der(p).map_err(der_err)?),
        None => None,
    };
    let spki = SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid,
            parameters: params,
        },
        subject_public_key: BitStringRef::from_bytes(key).map_err(der_err)?,
    };
    spki.to_der().map_err(der_err)
}

fn decode_rsa_public_key(key: &[u8]) -> Result<(&[u8], &[u8])> {
    let bad = |e: der::Error| Error::malformed(format!("RSA public key is not valid DER: {e}"));
    let mut reader = SliceReader::new(key).map_err(bad)?;
    let (n, e) = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok((n.as_bytes(), e.as_bytes()))
        })
        .map_err(bad)?;
    reader.finish().map_err(bad)?;
    Ok((n, e))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

fn bit_len(be: &[u8]) -> usize {
    match be.first() {
        None => 0,
        Some(first) => (be.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

/// A signature algorithm: key type, curve, hash and padding, fixed exactly. The JWS names are the
/// JWT-SVID standard's list; certificate signature OIDs map onto the same set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
    /// ECDSA on P-521 with SHA-512.
    Es512,
    /// RSA PKCS#1 v1.5 with SHA-256.
    Rs256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    Rs384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    Rs512,
    /// RSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    Ps256,
    /// RSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt.
    Ps384,
    /// RSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.
    Ps512,
    /// Ed25519 (X.509 only: JWT-SVID does not allow EdDSA).
    Ed25519,
}

impl SignatureAlgorithm {
    /// The JWS `alg` values JWT-SVID allows.
    pub const JWT_SVID: [SignatureAlgorithm; 9] = [
        SignatureAlgorithm::Rs256,
        SignatureAlgorithm::Rs384,
        SignatureAlgorithm::Rs512,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::Ps384,
        SignatureAlgorithm::Ps512,
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Es512,
    ];

    /// The JWS name (`ES256`, ...); `EdDSA` for Ed25519.
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::Es256 => "ES256",
            SignatureAlgorithm::Es384 => "ES384",
            SignatureAlgorithm::Es512 => "ES512",
            SignatureAlgorithm::Rs256 => "RS256",
            SignatureAlgorithm::Rs384 => "RS384",
            SignatureAlgorithm::Rs512 => "RS512",
            SignatureAlgorithm::Ps256 => "PS256",
            SignatureAlgorithm::Ps384 => "PS384",
            SignatureAlgorithm::Ps512 => "PS512",
            SignatureAlgorithm::Ed25519 => "EdDSA",
        }
    }

    /// The algorithm for a JWT-SVID `alg` header, if the standard allows it.
    pub fn from_jws(alg: &str) -> Option<Self> {
        Self::JWT_SVID.into_iter().find(|a| a.name() == alg)
    }

    /// Checks that `key` can be used with this algorithm: an unsupported key (RSA under 2048 bits,
    /// an unknown curve or type) is `unsupported-algorithm`; a key of another type or curve is
    /// `bad-signature`, so a signature check only ever sees a matching, supported pair.
    pub fn check_key(self, key: &PublicKey) -> Result<()> {
        key.check_supported("the")?;
        let pkcs1 = matches!(
            self,
            SignatureAlgorithm::Rs256 | SignatureAlgorithm::Rs384 | SignatureAlgorithm::Rs512
        );
        let fits = !(pkcs1 && key.pss_only)
            && key.pss_alg.is_none_or(|only| only == self)
            && matches!(
                (self, &key.data),
                (SignatureAlgorithm::Es256, KeyData::P256(_))
                    | (SignatureAlgorithm::Es384, KeyData::P384(_))
                    | (SignatureAlgorithm::Es512, KeyData::P521(_))
                    | (
                        SignatureAlgorithm::Rs256
                            | SignatureAlgorithm::Rs384
                            | SignatureAlgorithm::Rs512
                            | SignatureAlgorithm::Ps256
                            | SignatureAlgorithm::Ps384
                            | SignatureAlgorithm::Ps512,
                        KeyData::Rsa(_)
                    )
                    | (SignatureAlgorithm::Ed25519, KeyData::Ed25519(_))
            );
        if fits {
            Ok(())
        } else {
            Err(Error::new(
                crate::ErrorCode::BadSignature,
                format!(
                    "algorithm {} does not fit key {}",
                    self.name(),
                    key.description()
                ),
            ))
        }
    }

    /// Whether a key of this description could be used with the algorithm (supported or not):
    /// used to pick candidate JWT authorities when a token has no `kid`.
    pub(crate) fn key_family_matches(self, key: &PublicKey) -> bool {
        match self {
            SignatureAlgorithm::Es256 => key.curve() == Some(Curve::P256),
            SignatureAlgorithm::Es384 => key.curve() == Some(Curve::P384),
            SignatureAlgorithm::Es512 => key.curve() == Some(Curve::P521),
            SignatureAlgorithm::Ed25519 => matches!(key.data, KeyData::Ed25519(_)),
            _ => key.kty() == "RSA",
        }
    }

    /// Size of an ECDSA signature in its fixed `r‖s` form.
    pub(crate) fn ecdsa_fixed_len(self) -> Option<usize> {
        match self {
            SignatureAlgorithm::Es256 => Some(64),
            SignatureAlgorithm::Es384 => Some(96),
            SignatureAlgorithm::Es512 => Some(132),
            _ => None,
        }
    }

    /// Whether `signature` has the one length this algorithm's signatures have under `key`: the
    /// fixed `r‖s` size, 64 bytes for Ed25519, and for RSA k, the modulus's length in bytes
    /// (RFC 8017 §8.2.2 and §8.1.2 step 1: "If the length of the signature S is not k octets,
    /// output 'invalid signature'"). Checked before any verifier is asked: OpenSSL (node:crypto,
    /// WebCrypto in Node) reads a shorter RSA signature as the same number with its leading zero
    /// bytes dropped, so a signature that began with 00 would verify one byte short there and not
    /// in Rust.
    pub(crate) fn fits(self, key: &PublicKey, signature: &[u8]) -> bool {
        let len = match (self, self.ecdsa_fixed_len()) {
            (_, Some(len)) => len,
            (SignatureAlgorithm::Ed25519, None) => 64,
            (_, None) => key.bits().div_ceil(8),
        };
        signature.len() == len
    }
}

/// An ECDSA key from its SEC1 point (RFC 5480 §2.2: uncompressed `04‖x‖y` or compressed
/// `02‖x` / `03‖x`), `None` off the curve. Not `from_sec1_bytes`: its decompression is an
/// addition chain per curve, unrolled (~11 kB gzip for the three curves); the square root here
/// is one `pow_vartime` shared by all three, and the point it makes is checked against the curve
/// equation again by `from_coordinates`.
fn ec_point<C: PrimeCurveParams>(point: &[u8]) -> Option<AffinePoint<C>> {
    let n = FieldBytes::<C>::default().len();
    let (tag, coordinates) = point.split_first()?;
    let x = FieldBytes::<C>::try_from(coordinates.get(..n)?).ok()?;
    let y = match (tag, coordinates.get(n..)?) {
        (4, y) => FieldBytes::<C>::try_from(y).ok()?,
        (2 | 3, []) => decompress_y::<C>(&x, *tag == 3)?.to_repr(),
        _ => return None,
    };
    Option::from(AffinePoint::<C>::from_coordinates(&x, &y))
}

/// The y with the given parity for which (x, y) is on the curve, if any. Every curve svidkit
/// reads has p ≡ 3 (mod 4), so a square root of r is r^((p+1)/4) when r has one.
fn decompress_y<C: PrimeCurveParams>(x: &FieldBytes<C>, odd: bool) -> Option<C::FieldElement> {
    let x = Option::<C::FieldElement>::from(C::FieldElement::from_repr(*x))?;
    let rhs = x.square() * x + C::EQUATION_A * x + C::EQUATION_B;
    // (p+1)/4 = ((p-1) >> 2) + 1: p-1 is -1's big-endian repr, its low two bits are 10.
    let minus_one = (-C::FieldElement::ONE).to_repr();
    let mut limbs = [0u64; 9];
    for (i, byte) in minus_one.iter().rev().enumerate() {
        *limbs.get_mut(i / 8)? |= u64::from(*byte) << (8 * (i % 8));
    }
    let mut exponent = [0u64; 9];
    let mut carry = true;
    for (i, out) in exponent.iter_mut().enumerate() {
        let lo = limbs.get(i).copied().unwrap_or(0);
        let hi = limbs.get(i + 1).copied().unwrap_or(0);
        (*out, carry) = ((lo >> 2) | (hi << 62)).overflowing_add(u64::from(carry));
    }
    // Only the limbs p spans: squarings of leading zero limbs would multiply the cost.
    let y = rhs.pow_vartime(exponent.get(..minus_one.len().div_ceil(8))?);
    if y.square() != rhs {
        return None;
    }
    Some(if bool::from(y.is_odd()) == odd { y } else { -y })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// `ec_point` must read exactly what the curve crates' own SEC1 reader reads: every key in
    /// both encodings, and x values that are (or are not) on the curve with either parity.
    macro_rules! agrees_with_from_sec1_bytes {
        ($name:ident, $curve:ident, $point:ty, $n:expr) => {
            #[test]
            fn $name() {
                use $curve::ecdsa::{SigningKey, VerifyingKey};
                let reference = |b: &[u8]| VerifyingKey::from_sec1_bytes(b).ok();
                let ours = |b: &[u8]| {
                    ec_point::<$point>(b).and_then(|p| VerifyingKey::from_affine(p).ok())
                };
                let mut tried = 0;
                for k in 1..=24u8 {
                    let mut secret = [0u8; $n];
                    secret[$n - 1] = k;
                    secret[1] = k.wrapping_mul(37);
                    let key = SigningKey::from_slice(&secret).unwrap();
                    let vk = key.verifying_key();
                    for compress in [false, true] {
                        let bytes = vk.to_sec1_point(compress);
                        assert_eq!(
                            ours(bytes.as_bytes()),
                            Some(*vk),
                            "k={k} compress={compress}"
                        );
                    }
                    // x = k (small numbers): on the curve for about half of them, either parity.
                    for tag in [2u8, 3] {
                        let mut b = vec![0u8; 1 + ($n as usize)];
                        b[0] = tag;
                        b[$n] = k;
                        assert_eq!(ours(&b), reference(&b), "x={k} tag={tag}");
                        tried += usize::from(reference(&b).is_some());
                    }
                }
                assert!(tried > 8, "{tried} small x on the curve");
                // p, from the repr of -1; the square root needs p ≡ 3 (mod 4).
                let p = modulus::<$point>();
                assert_eq!(p.last().map(|b| b & 3), Some(3));
                // x + p and y + p (not canonical), for points that exist: refused, not reduced.
                for k in 1..=24u8 {
                    let mut b = vec![2u8];
                    b.extend(add_be(&p, k));
                    let mut reduced = vec![2u8; 1 + $n];
                    reduced[1..].fill(0);
                    reduced[$n] = k;
                    if reference(&reduced).is_some() {
                        assert_eq!(ours(&b), None, "x = p + {k}");
                        assert_eq!(reference(&b), None, "x = p + {k}");
                    }
                }
                let mut secret = [0u8; $n];
                secret[$n - 1] = 7;
                secret[$n - 5] = 9;
                let key = SigningKey::from_slice(&secret).unwrap();
                let point = key.verifying_key().to_sec1_point(false);
                let (x, y) = point.as_bytes()[1..].split_at($n);
                let (y_plus_p, overflow) = add_be_bytes(&p, y);
                if !overflow {
                    let b = [&[4u8][..], x, &y_plus_p].concat();
                    assert_eq!(ours(&b), None, "y + p");
                }
                let mut off = point.as_bytes().to_vec();
                off[2 * $n] ^= 1;
                assert_eq!(ours(&off), None, "y with its last bit flipped");
                // Not points: identity, all-ones x (above p), wrong lengths, unknown tags.
                let ones = vec![0xffu8; $n];
                for bad in [
                    vec![0u8],
                    [vec![2u8], ones.clone()].concat(),
                    vec![4u8; 2 * $n],
                    vec![2u8; $n],
                    vec![5u8; 1 + $n],
                    vec![6u8; 1 + 2 * $n],
                ] {
                    assert_eq!(ours(&bad), None, "{bad:02x?}");
                    assert!(reference(&bad).is_none() || bad[0] == 5, "{bad:02x?}");
                }
            }
        };
    }

    /// The curve's p, big-endian.
    fn modulus<C: PrimeCurveParams>() -> alloc::vec::Vec<u8> {
        add_be(&(-C::FieldElement::ONE).to_repr(), 1)
    }

    /// The sum of two big-endian numbers of one length, and whether it overflowed that length.
    fn add_be_bytes(a: &[u8], b: &[u8]) -> (alloc::vec::Vec<u8>, bool) {
        let mut out = alloc::vec![0u8; a.len()];
        let mut carry = 0u16;
        for i in (0..a.len()).rev() {
            let v = u16::from(a[i]) + u16::from(b[i]) + carry;
            out[i] = v as u8;
            carry = v >> 8;
        }
        (out, carry != 0)
    }

    /// A big-endian number plus k (the carry out of the top byte dropped).
    fn add_be(n: &[u8], k: u8) -> alloc::vec::Vec<u8> {
        let mut out = n.to_vec();
        let mut carry = u16::from(k);
        for b in out.iter_mut().rev() {
            let v = u16::from(*b) + carry;
            *b = v as u8;
            carry = v >> 8;
        }
        out
    }

    agrees_with_from_sec1_bytes!(p256_points, p256, p256::NistP256, 32);
    agrees_with_from_sec1_bytes!(p384_points, p384, p384::NistP384, 48);
    agrees_with_from_sec1_bytes!(p521_points, p521, p521::NistP521, 66);
}
