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
///
/// An implementation can hand checks to another library (a hardware module, the platform's
/// crypto) and fall back to [`RustCrypto`] for the rest; [`host_may_verify`] says which checks a
/// laxer host library may answer without changing a verdict. Here, one that counts and delegates:
///
/// ```
/// use core::cell::Cell;
/// use svidkit::{BundleSet, Options, PublicKey, RustCrypto, SignatureAlgorithm, SignatureVerifier};
///
/// struct Counting(Cell<usize>);
/// impl SignatureVerifier for Counting {
///     fn verify(&self, alg: SignatureAlgorithm, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
///         self.0.set(self.0.get() + 1);
///         RustCrypto.verify(alg, key, message, signature)
///     }
/// }
/// # let vector: serde_json::Value = serde_json::from_str(include_str!(concat!(
/// #     env!("CARGO_MANIFEST_DIR"), "/tests/vectors/jwt-svid/ok-es256.json"))).unwrap();
/// # let document = vector["input"]["bundles"]["example.org"].as_str().unwrap();
/// # let token = vector["input"]["token"].as_str().unwrap();
/// let mut bundles = BundleSet::new();
/// bundles.add("example.org", document.as_bytes())?;
/// let counting = Counting(Cell::new(0));
/// let options = Options::new(1_767_225_600).crypto(&counting);
/// svidkit::verify_jwt_svid(token, &["spiffe://example.org/reports"], &bundles, &options)?;
/// assert_eq!(counting.0.get(), 1);
/// // A token refused before its signature (here: alg none) costs no check at all.
/// let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzcGlmZmU6Ly9leGFtcGxlLm9yZy9hIn0.";
/// assert!(svidkit::verify_jwt_svid(none, &["api"], &bundles, &options).is_err());
/// assert_eq!(counting.0.get(), 1);
/// # Ok::<(), svidkit::Error>(())
/// ```
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
/// [`RustCrypto`], so that the host never changes a verdict:
/// - ECDSA on P-256/P-384/P-521 and RSA (PKCS#1 v1.5, PSS) keys go to the host; an
///   `id-RSASSA-PSS` key does not (host libraries apply the RSASSA-PSS parameters of its
///   SubjectPublicKeyInfo, which the core does not);
/// - Ed25519 goes to the host only where its verifier (OpenSSL, BoringSSL, Deno's) must agree
///   with the `verify_strict` rules the core applies: A and R canonical and not of small order,
///   s below the group order (byte comparisons only). The rest (forgeries built from small-order
///   points, non-canonical encodings) is decided in Rust.
pub fn host_may_verify(alg: SignatureAlgorithm, key: &PublicKey, signature: &[u8]) -> bool {
    if key.pss_only() || key.spki_der().is_empty() {
        return false;
    }
    match (&key.data, alg) {
        (KeyData::Ed25519(vk), SignatureAlgorithm::Ed25519) => {
            ed25519_unambiguous(vk.as_bytes(), signature)
        }
        (_, alg) => alg != SignatureAlgorithm::Ed25519,
    }
}

/// Whether an Ed25519 check has the core's answer on the hosts the adapters hand Ed25519 to.
/// RFC 8032 §5.1.7 leaves verifiers room: OpenSSL, BoringSSL, ring and the core all compute
/// R' = [s]B − [k]A without the cofactor and compare its canonical encoding with R's bytes, but
/// `verify_strict` (the core) also refuses a small-order A or R — OpenSSL and BoringSSL accept
/// R = identity with s = k·a, or any R = [s]B with A = identity — and libraries differ on
/// non-canonical encodings (y ≥ p) and, historically, on s ≥ L. Those go to Rust; what passes
/// here verifies on OpenSSL, BoringSSL and Deno exactly when it verifies in the core (checked on
/// crafted keys and signatures, mixed-order ones included). A verifier that multiplies by the
/// cofactor, or hashes without reducing k mod L as libgcrypt does, could still disagree on a key
/// with a small-order component, so the npm package hands Ed25519 only to those three
/// (js/src/host-crypto.js).
fn ed25519_unambiguous(key: &[u8; 32], signature: &[u8]) -> bool {
    // R and s, 32 bytes each: a signature of another length is no Ed25519 signature.
    let Some((r, rest)) = signature.split_first_chunk::<32>() else {
        return false;
    };
    let Ok(s) = <&[u8; 32]>::try_from(rest) else {
        return false;
    };
    canonical_not_small_order(key) && canonical_not_small_order(r) && below_group_order(s)
}

/// p = 2^255 − 19, little-endian.
const P25519: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// The y coordinates (little-endian, all below p) of the eight points of order dividing 8: the
/// identity (1), the point of order 2 (p − 1), the two of order 4 (0) and the four of order 8
/// (±y₈). A point is of small order exactly when its y is one of these (negating x keeps the
/// order). Checked against curve25519-dalek's `EIGHT_TORSION` in the tests.
const SMALL_ORDER_Y: [[u8; 32]; 5] = [
    [0; 32],
    {
        let mut one = [0; 32];
        one[0] = 1;
        one
    },
    {
        let mut p_minus_one = P25519;
        p_minus_one[0] = 0xec;
        p_minus_one
    },
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
];

/// The order L of the Ed25519 base point, 2^252 + 27742317777372353535851937790883648493,
/// little-endian.
const L25519: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// Whether a 32-byte little-endian number is below `bound`.
fn below(n: &[u8; 32], bound: &[u8; 32]) -> bool {
    for (a, b) in n.iter().rev().zip(bound.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

/// Whether a compressed Edwards point's y is canonical (below p) and not a small-order point's.
fn canonical_not_small_order(point: &[u8; 32]) -> bool {
    let mut y = *point;
    y[31] &= 0x7f;
    below(&y, &P25519) && !SMALL_ORDER_Y.contains(&y)
}

/// Whether an Ed25519 signature's S (little-endian) is reduced, S < L.
fn below_group_order(s: &[u8; 32]) -> bool {
    below(s, &L25519)
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
        if host_may_verify(alg, key, signature) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
    use curve25519_dalek::edwards::CompressedEdwardsY;
    use curve25519_dalek::scalar::Scalar;
    use ed25519_dalek::{Signer, SigningKey};

    fn y_of(encoding: &[u8; 32]) -> [u8; 32] {
        let mut y = *encoding;
        y[31] &= 0x7f;
        y
    }

    fn spki(point: &[u8; 32]) -> Vec<u8> {
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(point);
        der
    }

    /// Encodings worth asking about: every small-order point with either sign bit, the
    /// non-canonical y = p + k (k < 19) and their neighbours, a few genuine points.
    fn encodings() -> Vec<[u8; 32]> {
        let mut out = Vec::new();
        for t in EIGHT_TORSION {
            let e = t.compress().to_bytes();
            out.push(e);
            let mut flipped = e;
            flipped[31] ^= 0x80;
            out.push(flipped);
        }
        for k in 0u8..40 {
            for (base, sign) in [(P25519, 0), (P25519, 0x80), ([0; 32], 0), ([0; 32], 0x80)] {
                let mut e = base;
                let (low, carry) = e[0].overflowing_add(k);
                e[0] = low;
                if carry {
                    e[1] = e[1].wrapping_add(1);
                }
                if base == P25519 && carry {
                    continue; // past 2^255: not a 255-bit y
                }
                e[31] |= sign;
                out.push(e);
            }
        }
        for i in 1u64..20 {
            out.push(
                (ED25519_BASEPOINT_POINT * Scalar::from(i))
                    .compress()
                    .to_bytes(),
            );
        }
        out
    }

    #[test]
    fn small_order_ys_are_those_of_the_eight_torsion_points() {
        let mut ys: Vec<[u8; 32]> = EIGHT_TORSION
            .iter()
            .map(|t| y_of(&t.compress().to_bytes()))
            .collect();
        ys.sort();
        ys.dedup();
        let mut listed = SMALL_ORDER_Y.to_vec();
        listed.sort();
        assert_eq!(ys, listed);
    }

    #[test]
    fn screen_refuses_exactly_non_canonical_and_small_order_encodings() {
        let p = num(&P25519);
        for e in encodings() {
            let canonical = num(&y_of(&e)) < p;
            let small = CompressedEdwardsY(e)
                .decompress()
                .is_some_and(|pt| pt.is_small_order());
            assert_eq!(
                canonical_not_small_order(&e),
                canonical && !small,
                "{e:02x?}"
            );
        }
    }

    /// A 256-bit little-endian number as a u128 pair, for ordering only.
    fn num(le: &[u8; 32]) -> (u128, u128) {
        let hi = u128::from_le_bytes(le[16..].try_into().unwrap());
        let lo = u128::from_le_bytes(le[..16].try_into().unwrap());
        (hi, lo)
    }

    #[test]
    fn s_must_be_reduced_as_dalek_requires() {
        let mut cases = vec![[0u8; 32], [0xff; 32], L25519];
        for delta in [1u8, 2, 0x12] {
            let mut below = L25519;
            below[0] -= delta;
            cases.push(below);
            let mut above = L25519;
            above[0] += delta;
            cases.push(above);
        }
        let mut top = [0u8; 32];
        top[31] = 0x10;
        cases.push(top);
        top[31] = 0x0f;
        cases.push(top);
        for s in cases {
            let canonical = bool::from(Scalar::from_canonical_bytes(s).is_some());
            assert_eq!(below_group_order(&s), canonical, "{s:02x?}");
        }
    }

    #[test]
    fn ed25519_goes_to_the_host_only_when_unambiguous() {
        let signer = SigningKey::from_bytes(&[7; 32]);
        let key = PublicKey::from_spki_der(&spki(signer.verifying_key().as_bytes())).unwrap();
        let good = signer.sign(b"message").to_bytes();
        let alg = SignatureAlgorithm::Ed25519;
        assert!(host_may_verify(alg, &key, &good));
        assert!(!host_may_verify(alg, &key, &good[..63]));

        let mut identity_r = good;
        identity_r[..32].copy_from_slice(&EIGHT_TORSION[0].compress().to_bytes());
        assert!(!host_may_verify(alg, &key, &identity_r));
        let mut high_s = good;
        high_s[63] |= 0x20;
        assert!(!host_may_verify(alg, &key, &high_s));

        let identity = EIGHT_TORSION[0].compress().to_bytes();
        let weak = PublicKey::from_spki_der(&spki(&identity)).unwrap();
        assert!(!host_may_verify(alg, &weak, &good));
        // The core's own verdict on what the screen keeps from the host.
        for (k, sig) in [(&key, identity_r), (&key, high_s), (&weak, good)] {
            assert!(!RustCrypto.verify(alg, k, b"message", &sig));
        }
        assert!(RustCrypto.verify(alg, &key, b"message", &good));
    }
}
