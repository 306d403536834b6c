//! The one signature check every verification goes through, and its pure-Rust (RustCrypto)
//! implementation. Adapters may supply the host's crypto instead; by the time a
//! [`SignatureVerifier`] is called the core has already checked that the algorithm is allowed and
//! fits the key, so an implementation only has to answer "does this signature verify".

use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;

use crate::key::{KeyData, PublicKey, SignatureAlgorithm};

/// A signature check: algorithm, key, message, signature → verifies or not.
///
/// Signatures arrive in one fixed form per algorithm: ECDSA as the fixed-size `r‖s` concatenation
/// (IEEE P1363, as in JWS and WebCrypto), RSA as the raw big-endian signature, Ed25519 as 64 bytes.
pub trait SignatureVerifier {
    /// Whether `signature` is a valid signature of `message` by `key` under `alg`.
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> bool;
}

/// Whether host crypto (node:crypto, WebCrypto) may answer this check, or it stays on
/// [`RustCrypto`]: ECDSA on P-256/P-384/P-521 and RSA (PKCS#1 v1.5, PSS) keys go to the host;
/// Ed25519 stays in Rust (host libraries differ on the strict rules `verify_strict` applies),
/// and so does an `id-RSASSA-PSS` key (host libraries apply the RSASSA-PSS parameters of its
/// SubjectPublicKeyInfo, which the core does not), so the host never changes a verdict.
pub fn host_may_verify(alg: SignatureAlgorithm, key: &PublicKey) -> bool {
    !matches!(alg, SignatureAlgorithm::Ed25519) && !key.pss_only() && !key.spki_der().is_empty()
}

/// The signature checks of an adapter that has host crypto: `host` answers `Some(verified)` for
/// the checks it made and `None` for those it could not (an algorithm or key it does not
/// support, a failed key import), which [`RustCrypto`] then makes. Checks that
/// [`host_may_verify`] refuses never reach `host`.
pub struct HostFirst<F>(pub F)
where
    F: Fn(SignatureAlgorithm, &PublicKey, &[u8], &[u8]) -> Option<bool>;

impl<F> SignatureVerifier for HostFirst<F>
where
    F: Fn(SignatureAlgorithm, &PublicKey, &[u8], &[u8]) -> Option<bool>,
{
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        if host_may_verify(alg, key) {
            if let Some(verified) = (self.0)(alg, key, message, signature) {
                return verified;
            }
        }
        RustCrypto.verify(alg, key, message, signature)
    }
}

/// Pure-Rust signature checks (RustCrypto): work everywhere, need no host support.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

impl SignatureVerifier for RustCrypto {
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        use SignatureAlgorithm as A;
        match (alg, &key.data) {
            (A::Es256, KeyData::P256(vk)) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| vk.verify(message, &s).is_ok()),
            (A::Es384, KeyData::P384(vk)) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| vk.verify(message, &s).is_ok()),
            (A::Es512, KeyData::P521(vk)) => p521::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| vk.verify(message, &s).is_ok()),
            (A::Ed25519, KeyData::Ed25519(vk)) => <&[u8; 64]>::try_from(signature).is_ok_and(|s| {
                vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(s))
                    .is_ok()
            }),
            (A::Rs256, KeyData::Rsa(k)) => pkcs1v15::<Sha256>(k, message, signature),
            (A::Rs384, KeyData::Rsa(k)) => pkcs1v15::<Sha384>(k, message, signature),
            (A::Rs512, KeyData::Rsa(k)) => pkcs1v15::<Sha512>(k, message, signature),
            (A::Ps256, KeyData::Rsa(k)) => pss::<Sha256>(k, message, signature),
            (A::Ps384, KeyData::Rsa(k)) => pss::<Sha384>(k, message, signature),
            (A::Ps512, KeyData::Rsa(k)) => pss::<Sha512>(k, message, signature),
            _ => false,
        }
    }
}

/// RSASSA-PKCS1-v1_5 with hash `D` (RFC 8017 §8.2).
fn pkcs1v15<D>(key: &rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool
where
    D: Digest + sha2::digest::const_oid::AssociatedOid,
{
    key.verify(
        rsa::pkcs1v15::Pkcs1v15Sign::new::<D>(),
        &D::digest(message),
        signature,
    )
    .is_ok()
}

/// RSASSA-PSS with hash `D`, MGF1 with `D` and a salt as long as its output (RFC 8017 §8.1; the
/// parameters JWS PS256/384/512 fix).
fn pss<D>(key: &rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool
where
    D: Digest + sha2::digest::FixedOutputReset,
{
    key.verify(rsa::Pss::<D>::new(), &D::digest(message), signature)
        .is_ok()
}
