//! svidkit verifies SPIFFE identities — X.509-SVID chains and JWT-SVIDs — against SPIFFE trust
//! bundles. The core is `no_std` + `alloc`: it reads no clock (time is an argument), uses no RNG
//! and does no I/O, so the same code runs natively, in browsers, in edge runtimes and as a
//! WebAssembly component.
//!
//! ```
//! use svidkit::{BundleSet, Options, ErrorCode};
//!
//! let mut bundles = BundleSet::new();
//! bundles.add("example.org", br#"{"keys": []}"#).unwrap();
//! // A token whose alg is `none` is refused before any key is looked at.
//! let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzcGlmZmU6Ly9leGFtcGxlLm9yZy9hIn0.";
//! let err = svidkit::verify_jwt_svid(token, &["api"], &bundles, &Options::new(1_767_225_600)).unwrap_err();
//! assert_eq!(err.code(), ErrorCode::UnsupportedAlgorithm);
//! ```
#![no_std]
// The core is safe Rust; only the wit-bindgen glue of the component adapter needs `unsafe`.
#![cfg_attr(not(feature = "component"), forbid(unsafe_code))]
#![warn(missing_docs)]
extern crate alloc;
// The cdylib artifact needs a panic handler and an allocator. The npm package's .wasm (feature
// `js` on wasm32) brings its own (src/wasm_rt.rs): std's panic machinery would only format
// messages nobody sees there. Elsewhere std supplies both. The code itself uses only `core` and
// `alloc`, which the wasm32v1-none build checks.
#[cfg(not(any(target_os = "none", all(feature = "js", target_arch = "wasm32"))))]
extern crate std;
#[cfg(all(feature = "js", target_arch = "wasm32"))]
mod wasm_rt;

pub mod bundle;
pub mod cert;
#[cfg(feature = "component")]
mod component;
pub mod crypto;
mod dn;
pub mod encoding;
pub mod error;
pub mod id;
pub mod inspect;
#[cfg(feature = "js")]
mod js;
pub mod json;
pub mod jwt;
pub mod key;
pub mod policy;
mod sort;
pub mod x509;

pub use bundle::{Bundle, BundleSet, JwtAuthority, X509Authority};
pub use crypto::{RustCrypto, SignatureVerifier};
pub use error::{Error, ErrorCode, Result};
pub use id::{SpiffeId, TrustDomain};
pub use jwt::JwtSvid;
pub use key::{PublicKey, SignatureAlgorithm};
pub use policy::Policy;
pub use x509::{CertSummary, X509Svid};

/// How to verify: the time (`now`, Unix seconds — the core never reads a clock), an optional
/// clock-skew allowance that widens every time bound, an optional [`Policy`], and the signature
/// implementation ([`RustCrypto`] unless an adapter supplies host crypto).
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// Verification time, Unix seconds.
    pub now: u64,
    /// Seconds of allowance on every time bound.
    pub skew: u64,
    /// Applied after verification.
    pub policy: Option<&'a Policy>,
    /// The signature checks.
    pub crypto: &'a dyn SignatureVerifier,
}

impl<'a> Options<'a> {
    /// Verify as of `now` (Unix seconds), no skew, no policy, pure-Rust crypto.
    pub fn new(now: u64) -> Self {
        Options {
            now,
            skew: 0,
            policy: None,
            crypto: &RustCrypto,
        }
    }
    /// Sets the skew allowance in seconds.
    pub fn skew(mut self, skew: u64) -> Self {
        self.skew = skew;
        self
    }
    /// Sets the policy.
    pub fn policy(mut self, policy: &'a Policy) -> Self {
        self.policy = Some(policy);
        self
    }
    /// Sets the signature implementation.
    pub fn crypto(mut self, crypto: &'a dyn SignatureVerifier) -> Self {
        self.crypto = crypto;
        self
    }
}

/// Verifies an X.509-SVID chain (DER certificates, leaf first, intermediates in any order) against
/// the X.509 authorities of the leaf's trust domain, then applies the policy.
///
/// ```
/// use svidkit::{BundleSet, ErrorCode, Options};
/// # fn main() -> Result<(), svidkit::Error> {
/// # let vector: serde_json::Value = serde_json::from_str(include_str!(concat!(
/// #     env!("CARGO_MANIFEST_DIR"), "/tests/vectors/x509-svid/ok-leaf-with-intermediate.json"))).unwrap();
/// # let bundle_json = vector["input"]["bundles"]["example.org"].as_str().unwrap();
/// # let leaf_b64 = vector["input"]["chain"][0].as_str().unwrap();
/// # let intermediate_b64 = vector["input"]["chain"][1].as_str().unwrap();
/// let mut bundles = BundleSet::new();
/// bundles.add("example.org", bundle_json.as_bytes())?;
/// let leaf = svidkit::encoding::base64_std(leaf_b64)?;
/// let intermediate = svidkit::encoding::base64_std(intermediate_b64)?;
///
/// let now = 1_767_225_600;
/// let svid = svidkit::verify_x509_svid(&[&leaf, &intermediate], &bundles, &Options::new(now))?;
/// assert_eq!(svid.spiffe_id.as_str(), "spiffe://example.org/ns/payments/sa/api");
/// // The verified path: leaf, intermediate, then the bundle's authority.
/// assert_eq!(svid.chain.len(), 3);
/// assert!(svid.chain[2].is_authority);
///
/// // Valid up to and including notAfter; a second later it is expired.
/// let later = Options::new(svid.expires_at as u64 + 1);
/// let err = svidkit::verify_x509_svid(&[&leaf, &intermediate], &bundles, &later).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::Expired);
///
/// // Without the intermediate there is no path to the bundle's root.
/// let err = svidkit::verify_x509_svid(&[&leaf], &bundles, &Options::new(now)).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::Untrusted);
/// # Ok(())
/// # }
/// ```
pub fn verify_x509_svid(
    chain: &[&[u8]],
    bundles: &BundleSet,
    options: &Options<'_>,
) -> Result<X509Svid> {
    let svid = x509::verify(chain, bundles, options.now, options.skew, options.crypto)?;
    if let Some(policy) = options.policy {
        policy.admit_x509(&svid)?;
    }
    Ok(svid)
}

/// Verifies a JWT-SVID (compact JWS) for any of `audiences` against the JWT authorities of its
/// `sub`'s trust domain, then applies the policy.
///
/// ```
/// use svidkit::{BundleSet, ErrorCode, Options};
/// # fn main() -> Result<(), svidkit::Error> {
/// # let vector: serde_json::Value = serde_json::from_str(include_str!(concat!(
/// #     env!("CARGO_MANIFEST_DIR"), "/tests/vectors/jwt-svid/ok-es256.json"))).unwrap();
/// # let bundle_json = vector["input"]["bundles"]["example.org"].as_str().unwrap();
/// # let token = vector["input"]["token"].as_str().unwrap();
/// let mut bundles = BundleSet::new();
/// bundles.add("example.org", bundle_json.as_bytes())?;
///
/// // Any one of the expected audiences is enough.
/// let audiences = ["spiffe://example.org/other", "spiffe://example.org/reports"];
/// let svid = svidkit::verify_jwt_svid(token, &audiences, &bundles, &Options::new(1_767_225_600))?;
/// assert_eq!(svid.spiffe_id.path(), "/ns/payments/sa/api");
///
/// // At exp the token is expired; a skew allowance widens every time bound.
/// let at_exp = svid.expires_at as u64;
/// let err = svidkit::verify_jwt_svid(token, &audiences, &bundles, &Options::new(at_exp)).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::Expired);
/// assert!(svidkit::verify_jwt_svid(token, &audiences, &bundles, &Options::new(at_exp).skew(30)).is_ok());
/// # Ok(())
/// # }
/// ```
pub fn verify_jwt_svid(
    token: &str,
    audiences: &[&str],
    bundles: &BundleSet,
    options: &Options<'_>,
) -> Result<JwtSvid> {
    let svid = jwt::verify(
        token,
        audiences,
        bundles,
        options.now,
        options.skew,
        options.crypto,
    )?;
    if let Some(policy) = options.policy {
        policy.admit_jwt(&svid)?;
    }
    Ok(svid)
}

/// Parses a SPIFFE ID (shorthand for [`SpiffeId::parse`]).
pub fn parse_spiffe_id(id: &str) -> Result<SpiffeId> {
    SpiffeId::parse(id)
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
