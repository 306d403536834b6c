//! Shared helpers for the real-crypto tests: keys, certificates built with `rcgen` at test time,
//! SPIFFE bundle documents, and JWT-SVIDs signed with RustCrypto signers. Expected verdicts live in
//! the tests, taken from DESIGN.md's rules; nothing here decides one.
#![allow(dead_code)]

use std::sync::OnceLock;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use p256::elliptic_curve::Generate;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, PublicKeyData, SanType, SigningKey,
};
use serde_json::{json, Value};
use svidkit::{BundleSet, ErrorCode, Options};

/// The verifier's clock in every test: 2026-01-01T00:00:00Z.
pub const NOW: u64 = 1_767_225_600;
pub const DAY: u64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Keys for certificates

/// The key types certificates are made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    P256,
    P384,
    P521,
    Ed25519,
    Rsa2048,
    /// RSA 1024, signing PKCS#1 v1.5 SHA-256 (rcgen's backend refuses such keys; the rsa crate signs).
    Rsa1024,
}

impl Kind {
    /// Every key kind svidkit verifies signatures of (RSA 1024 is refused as too short).
    pub const SUPPORTED: [Kind; 5] = [
        Kind::P256,
        Kind::P384,
        Kind::P521,
        Kind::Ed25519,
        Kind::Rsa2048,
    ];
}

/// A certificate key: an rcgen key pair, or an RSA key signed with the rsa crate.
pub enum Key {
    Rcgen(KeyPair),
    Rsa {
        key: rsa::PrivateKey,
        public: Vec<u8>,
    },
}

impl Key {
    pub fn new(kind: Kind) -> Key {
        match kind {
            Kind::P256 => {
                Key::Rcgen(KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap())
            }
            Kind::P384 => {
                Key::Rcgen(KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap())
            }
            Kind::P521 => {
                Key::Rcgen(KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap())
            }
            Kind::Ed25519 => Key::Rcgen(KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap()),
            Kind::Rsa2048 => Key::Rcgen(
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
                    .unwrap(),
            ),
            Kind::Rsa1024 => Key::rsa_crate(rsa_1024().clone()),
        }
    }

    /// An RSA 2048 key that signs with SHA-384 or SHA-512 PKCS#1 v1.5.
    pub fn rsa2048_with(alg: &'static rcgen::SignatureAlgorithm) -> Key {
        let pkcs8 = Key::new(Kind::Rsa2048).pkcs8();
        Key::Rcgen(KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.as_slice().into(), alg).unwrap())
    }

    fn rsa_crate(key: rsa::PrivateKey) -> Key {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let public = key
            .to_public_key()
            .to_pkcs1_der()
            .unwrap()
            .as_bytes()
            .to_vec();
        Key::Rsa { key, public }
    }

    /// PKCS#8 DER of the private key.
    pub fn pkcs8(&self) -> Vec<u8> {
        match self {
            Key::Rcgen(kp) => kp.serialize_der(),
            Key::Rsa { key, .. } => {
                use rsa::pkcs8::EncodePrivateKey;
                key.to_pkcs8_der().unwrap().as_bytes().to_vec()
            }
        }
    }

    /// The private key as an rsa crate key (RSA keys only).
    pub fn rsa_private(&self) -> rsa::PrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        match self {
            Key::Rsa { key, .. } => key.clone(),
            Key::Rcgen(kp) => rsa::PrivateKey::from_pkcs8_der(&kp.serialize_der()).unwrap(),
        }
    }

    /// The private key as a p256 signing key (P-256 keys only).
    pub fn p256_private(&self) -> p256::ecdsa::SigningKey {
        use p256::pkcs8::DecodePrivateKey;
        p256::ecdsa::SigningKey::from_pkcs8_der(&self.pkcs8()).unwrap()
    }
}

impl PublicKeyData for Key {
    fn der_bytes(&self) -> &[u8] {
        match self {
            Key::Rcgen(kp) => kp.der_bytes(),
            Key::Rsa { public, .. } => public,
        }
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            Key::Rcgen(kp) => kp.algorithm(),
            Key::Rsa { .. } => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

impl SigningKey for Key {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        match self {
            Key::Rcgen(kp) => kp.sign(msg),
            Key::Rsa { key, .. } => Ok(rsa_pkcs1_sign::<sha2::Sha256>(key, msg)),
        }
    }
}

pub fn rsa_pkcs1_sign<D>(key: &rsa::PrivateKey, msg: &[u8]) -> Vec<u8>
where
    D: sha2::Digest + const_oid_shim::AssociatedOid,
{
    let digest = D::digest(msg);
    key.sign(rsa::pkcs1v15::Pkcs1v15Sign::new::<D>(), &digest)
        .unwrap()
}

/// `AssociatedOid` under a stable path (the rsa crate's bound).
pub mod const_oid_shim {
    pub use rsa::pkcs1::der::oid::AssociatedOid;
}

pub fn rsa_pss_sign<D>(key: &rsa::PrivateKey, msg: &[u8], salt_len: usize) -> Vec<u8>
where
    D: sha2::Digest + sha2::digest::FixedOutputReset,
{
    let digest = D::digest(msg);
    key.sign_with_rng(
        &mut rand::rng(),
        rsa::Pss::<D>::new_with_salt(salt_len),
        &digest,
    )
    .unwrap()
}

/// One RSA 1024 key per test binary (key generation is the slow part).
pub fn rsa_1024() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut rand::rng(), 1024).unwrap())
}

/// One RSA 2048 key per test binary for JWT signing.
pub fn rsa_2048() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut rand::rng(), 2048).unwrap())
}

/// A second RSA 2048 key per test binary.
pub fn rsa_2048_b() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut rand::rng(), 2048).unwrap())
}

// ---------------------------------------------------------------------------------------------
// Certificates

pub fn at(unix: u64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix as i64).unwrap()
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn
}

pub fn uri(u: &str) -> SanType {
    SanType::URI(u.try_into().unwrap())
}

/// A CA: cA=true (no pathLen), keyUsage keyCertSign + cRLSign, valid NOW-30d..NOW+30d.
pub fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = at(NOW - 30 * DAY);
    p.not_after = at(NOW + 30 * DAY);
    p
}

/// A CA carrying a trust-domain SPIFFE ID, as SPIRE's are.
pub fn ca_params_td(cn: &str, td: &str) -> CertificateParams {
    let mut p = ca_params(cn);
    p.subject_alt_names = vec![uri(&format!("spiffe://{td}"))];
    p
}

/// An X509-SVID leaf: one URI SAN, keyUsage digitalSignature, no basicConstraints, valid
/// NOW-1d..NOW+1d.
pub fn leaf_params(id: &str) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn("leaf");
    p.subject_alt_names = vec![uri(id)];
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.not_before = at(NOW - DAY);
    p.not_after = at(NOW + DAY);
    p
}

/// An unknown extension (OID 1.3.6.1.4.1.55555.1), critical or not.
pub fn unknown_extension(critical: bool) -> CustomExtension {
    let mut ext =
        CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 55555, 1], vec![0x05, 0x00]);
    ext.set_criticality(critical);
    ext
}

/// A nameConstraints extension (critical) with URI subtrees (`host` or `.domain`).
pub fn uri_name_constraints(permitted: &[&str], excluded: &[&str]) -> CustomExtension {
    let subtrees = |names: &[&str]| -> Vec<u8> {
        names
            .iter()
            .flat_map(|n| der(0x30, &der(0x86, n.as_bytes())))
            .collect()
    };
    let mut body = Vec::new();
    if !permitted.is_empty() {
        body.extend(der(0xa0, &subtrees(permitted)));
    }
    if !excluded.is_empty() {
        body.extend(der(0xa1, &subtrees(excluded)));
    }
    let mut ext = CustomExtension::from_oid_content(&[2, 5, 29, 30], der(0x30, &body));
    ext.set_criticality(true);
    ext
}

/// A certificate with the params and key it was made from, so it can issue others.
pub struct Cert {
    pub der: Vec<u8>,
    pub params: CertificateParams,
    pub key: Key,
}

impl Cert {
    pub fn b64(&self) -> String {
        Base64::encode_string(&self.der)
    }
    pub fn pem(&self) -> String {
        pem_of(&self.der)
    }
}

pub fn pem_of(der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

pub fn self_signed(params: CertificateParams, key: Key) -> Cert {
    let der = params.self_signed(&key).unwrap().der().to_vec();
    Cert { der, params, key }
}

pub fn issue(params: CertificateParams, key: Key, issuer: &Cert) -> Cert {
    let iss = Issuer::from_params(&issuer.params, &issuer.key);
    let der = params.signed_by(&key, &iss).unwrap().der().to_vec();
    Cert { der, params, key }
}

/// A root of `kind`, CN `cn`.
pub fn new_root(kind: Kind, cn: &str) -> Cert {
    self_signed(ca_params(cn), Key::new(kind))
}

/// A leaf for `id` (P-256 key) issued by `issuer`.
pub fn new_leaf(id: &str, issuer: &Cert) -> Cert {
    issue(leaf_params(id), Key::new(Kind::P256), issuer)
}

/// A leaf with its own params.
pub fn leaf_with(params: CertificateParams, issuer: &Cert) -> Cert {
    issue(params, Key::new(Kind::P256), issuer)
}

// ---------------------------------------------------------------------------------------------
// Minimal DER, to re-sign certificates under algorithms rcgen does not produce (RSA-PSS, SHA-1).

pub fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// Splits DER content into its top-level TLVs (each returned whole).
pub fn children(content: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let (hdr, len) = header(&content[i..]);
        out.push(&content[i..i + hdr + len]);
        i += hdr + len;
    }
    out
}

/// (header length, content length) of the TLV at the start of `tlv`.
pub fn header(tlv: &[u8]) -> (usize, usize) {
    let first = tlv[1] as usize;
    if first < 0x80 {
        (2, first)
    } else {
        let n = first & 0x7f;
        let len = tlv[2..2 + n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (2 + n, len)
    }
}

pub fn content(tlv: &[u8]) -> &[u8] {
    let (hdr, len) = header(tlv);
    &tlv[hdr..hdr + len]
}

/// Replaces the signature algorithm (in TBSCertificate and outside it) and signs the new TBS
/// with `sign`.
pub fn resign(cert: &[u8], alg_id: &[u8], sign: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let outer = children(content(cert));
    let tbs_children = children(content(outer[0]));
    // [0] version, serial, signature, ...
    let sig_index = if tbs_children[0][0] == 0xa0 { 2 } else { 1 };
    let mut tbs_body = Vec::new();
    for (i, c) in tbs_children.iter().enumerate() {
        tbs_body.extend_from_slice(if i == sig_index { alg_id } else { c });
    }
    let tbs = der(0x30, &tbs_body);
    let signature = sign(&tbs);
    let mut bits = vec![0u8];
    bits.extend(signature);
    der(
        0x30,
        &[tbs.clone(), alg_id.to_vec(), der(0x03, &bits)].concat(),
    )
}

/// Replaces the TBS with `edit(tbs)` and keeps everything else (the signature no longer matches).
pub fn edit_tbs(cert: &[u8], edit: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let outer = children(content(cert));
    let tbs = edit(outer[0]);
    der(0x30, &[tbs, outer[1].to_vec(), outer[2].to_vec()].concat())
}

pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut stack = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            stack.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        stack.reverse();
        body.extend(stack);
    }
    der(0x06, &body)
}

pub const NULL: [u8; 2] = [0x05, 0x00];

pub fn alg_id(dotted: &str, params: Option<&[u8]>) -> Vec<u8> {
    let mut body = oid(dotted);
    if let Some(p) = params {
        body.extend_from_slice(p);
    }
    der(0x30, &body)
}

pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub const SHA384: &str = "2.16.840.1.101.3.4.2.2";
pub const SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// RSASSA-PSS AlgorithmIdentifier with hash `hash`, MGF1 of `mgf_hash`, salt `salt`.
pub fn pss_alg_id(hash: &str, mgf_hash: &str, salt: u8) -> Vec<u8> {
    let hash_alg = alg_id(hash, Some(&NULL));
    let mgf = alg_id("1.2.840.113549.1.1.8", Some(&alg_id(mgf_hash, Some(&NULL))));
    let params = der(
        0x30,
        &[
            der(0xa0, &hash_alg),
            der(0xa1, &mgf),
            der(0xa2, &der(0x02, &[salt])),
        ]
        .concat(),
    );
    alg_id("1.2.840.113549.1.1.10", Some(&params))
}

/// Fixed r‖s to a DER ECDSA-Sig-Value.
pub fn ecdsa_fixed_to_der(fixed: &[u8]) -> Vec<u8> {
    let half = fixed.len() / 2;
    let int = |b: &[u8]| {
        let mut b: Vec<u8> = b.iter().copied().skip_while(|x| *x == 0).collect();
        if b.is_empty() || b[0] & 0x80 != 0 {
            b.insert(0, 0);
        }
        der(0x02, &b)
    };
    der(0x30, &[int(&fixed[..half]), int(&fixed[half..])].concat())
}

// ---------------------------------------------------------------------------------------------
// Bundles

pub fn x509_entry(der: &[u8]) -> Value {
    json!({"kty": "EC", "use": "x509-svid", "x5c": [Base64::encode_string(der)]})
}

/// A SPIFFE bundle document with the given certificates as X.509 authorities.
pub fn x509_bundle_doc(cas: &[&[u8]]) -> String {
    let keys: Vec<Value> = cas.iter().map(|c| x509_entry(c)).collect();
    json!({ "keys": keys }).to_string()
}

/// A BundleSet with `td` → the given authorities.
pub fn x509_bundles(td: &str, cas: &[&[u8]]) -> BundleSet {
    let mut set = BundleSet::new();
    set.add(td, x509_bundle_doc(cas).as_bytes()).unwrap();
    set
}

pub fn verify_chain(
    chain: &[&Cert],
    bundles: &BundleSet,
    now: u64,
) -> Result<svidkit::X509Svid, ErrorCode> {
    verify_chain_opts(chain, bundles, &Options::new(now))
}

pub fn verify_chain_opts(
    chain: &[&Cert],
    bundles: &BundleSet,
    opts: &Options<'_>,
) -> Result<svidkit::X509Svid, ErrorCode> {
    let ders: Vec<&[u8]> = chain.iter().map(|c| c.der.as_slice()).collect();
    svidkit::verify_x509_svid(&ders, bundles, opts).map_err(|e| e.code())
}

pub fn verify_ders(
    ders: &[&[u8]],
    bundles: &BundleSet,
    now: u64,
) -> Result<svidkit::X509Svid, ErrorCode> {
    svidkit::verify_x509_svid(ders, bundles, &Options::new(now)).map_err(|e| e.code())
}

// ---------------------------------------------------------------------------------------------
// JWT-SVIDs

pub fn b64url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// A key that signs JWT-SVIDs.
pub enum JwtKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
    Rsa(rsa::PrivateKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl JwtKey {
    pub fn p256() -> JwtKey {
        JwtKey::P256(<p256::ecdsa::SigningKey as Generate>::generate_from_rng(
            &mut rand::rng(),
        ))
    }
    pub fn p384() -> JwtKey {
        JwtKey::P384(<p384::ecdsa::SigningKey as Generate>::generate_from_rng(
            &mut rand::rng(),
        ))
    }
    pub fn p521() -> JwtKey {
        JwtKey::P521(<p521::ecdsa::SigningKey as Generate>::generate_from_rng(
            &mut rand::rng(),
        ))
    }
    pub fn rsa() -> JwtKey {
        JwtKey::Rsa(rsa_2048().clone())
    }
    pub fn rsa_b() -> JwtKey {
        JwtKey::Rsa(rsa_2048_b().clone())
    }
    pub fn rsa1024() -> JwtKey {
        JwtKey::Rsa(rsa_1024().clone())
    }
    pub fn ed25519() -> JwtKey {
        let seed: [u8; 32] = std::array::from_fn(|i| i as u8 * 7 + 1);
        JwtKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// The public JWK (no `use`, no `kid`).
    pub fn public_jwk(&self) -> Value {
        fn ec(crv: &str, point: &[u8], len: usize) -> Value {
            assert_eq!(point.len(), 1 + 2 * len);
            json!({"kty": "EC", "crv": crv, "x": b64url(&point[1..1 + len]), "y": b64url(&point[1 + len..])})
        }
        match self {
            JwtKey::P256(k) => ec("P-256", &k.verifying_key().to_sec1_bytes(), 32),
            JwtKey::P384(k) => ec("P-384", &k.verifying_key().to_sec1_bytes(), 48),
            JwtKey::P521(k) => ec("P-521", &k.verifying_key().to_sec1_bytes(), 66),
            JwtKey::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                json!({"kty": "RSA", "n": b64url(&k.n_bytes()), "e": b64url(&k.e_bytes())})
            }
            JwtKey::Ed25519(k) => {
                json!({"kty": "OKP", "crv": "Ed25519", "x": b64url(k.verifying_key().as_bytes())})
            }
        }
    }

    /// A SPIFFE bundle `jwt-svid` entry for this key.
    pub fn entry(&self, kid: &str) -> Value {
        let mut jwk = self.public_jwk();
        jwk["use"] = json!("jwt-svid");
        jwk["kid"] = json!(kid);
        jwk
    }

    /// Signs `input` as `alg` would (the hash is the alg's; ECDSA as fixed r‖s).
    pub fn sign(&self, alg: &str, input: &[u8]) -> Vec<u8> {
        use sha2::{Digest, Sha256, Sha384, Sha512};
        use signature::hazmat::PrehashSigner;
        let digest: Vec<u8> = match &alg[2..] {
            "256" => Sha256::digest(input).to_vec(),
            "384" => Sha384::digest(input).to_vec(),
            "512" => Sha512::digest(input).to_vec(),
            _ => Vec::new(),
        };
        match (self, &alg[..2]) {
            (JwtKey::P256(k), "ES") => {
                let s: p256::ecdsa::Signature = k.sign_prehash(&digest).unwrap();
                s.to_bytes().to_vec()
            }
            (JwtKey::P384(k), "ES") => {
                let s: p384::ecdsa::Signature = k.sign_prehash(&digest).unwrap();
                s.to_bytes().to_vec()
            }
            (JwtKey::P521(k), "ES") => {
                let s: p521::ecdsa::Signature = k.sign_prehash(&digest).unwrap();
                s.to_bytes().to_vec()
            }
            (JwtKey::Rsa(k), "RS") => match &alg[2..] {
                "256" => rsa_pkcs1_sign::<Sha256>(k, input),
                "384" => rsa_pkcs1_sign::<Sha384>(k, input),
                _ => rsa_pkcs1_sign::<Sha512>(k, input),
            },
            (JwtKey::Rsa(k), "PS") => match &alg[2..] {
                "256" => rsa_pss_sign::<Sha256>(k, input, 32),
                "384" => rsa_pss_sign::<Sha384>(k, input, 48),
                _ => rsa_pss_sign::<Sha512>(k, input, 64),
            },
            (JwtKey::Ed25519(k), _) => {
                use ed25519_dalek::Signer;
                k.sign(input).to_bytes().to_vec()
            }
            (_, "HS") => hmac_sha256(b"a shared secret", input),
            _ => panic!("key cannot sign {alg}"),
        }
    }
}

/// HMAC-SHA-256 (RFC 2104), for HS256 tokens.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::digest([ipad.as_slice(), msg].concat());
    Sha256::digest([opad.as_slice(), inner.as_slice()].concat()).to_vec()
}

/// A compact JWS of `header` and `claims`, signed by `key` under `sign_alg` (normally the
/// header's `alg`).
pub fn token_raw(header: &Value, claims: &Value, key: &JwtKey, sign_alg: &str) -> String {
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = key.sign(sign_alg, input.as_bytes());
    format!("{input}.{}", b64url(&sig))
}

/// A token with header `{"alg", "kid", "typ": "JWT"}` signed under `alg`.
pub fn token(alg: &str, kid: Option<&str>, claims: &Value, key: &JwtKey) -> String {
    let mut header = json!({"alg": alg, "typ": "JWT"});
    if let Some(kid) = kid {
        header["kid"] = json!(kid);
    }
    token_raw(&header, claims, key, alg)
}

pub const SUB: &str = "spiffe://example.org/workload";
pub const TD: &str = "example.org";

/// Standard claims: sub, aud "api", exp NOW+300, iat NOW-10.
pub fn claims() -> Value {
    json!({"sub": SUB, "aud": "api", "exp": NOW + 300, "iat": NOW - 10})
}

/// A BundleSet with `td` → the given jwt-svid entries.
pub fn jwt_bundles(td: &str, entries: &[Value]) -> BundleSet {
    let mut set = BundleSet::new();
    set.add(td, json!({ "keys": entries }).to_string().as_bytes())
        .unwrap();
    set
}

pub fn verify_token(
    token: &str,
    aud: &[&str],
    bundles: &BundleSet,
    now: u64,
) -> Result<svidkit::JwtSvid, ErrorCode> {
    svidkit::verify_jwt_svid(token, aud, bundles, &Options::new(now)).map_err(|e| e.code())
}

/// The error code of a result, or "ok".
pub fn code<T>(r: &Result<T, ErrorCode>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(c) => c.as_str(),
    }
}
