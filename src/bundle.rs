//! SPIFFE trust bundles (SPIFFE Trust Domain and Bundle standard §4) and the [`BundleSet`] that
//! holds the bundles of several trust domains. Keys and certificates are decoded once, at load.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::cert::Cert;
use crate::encoding;
use crate::error::{limits, quoted, Error, Result};
use crate::id::TrustDomain;
use crate::json::{Object, Value};
use crate::key::PublicKey;

/// An X.509 authority: a CA certificate that X.509-SVIDs of the trust domain chain up to.
#[derive(Clone, Debug)]
pub struct X509Authority {
    cert: Cert,
}

impl X509Authority {
    /// Decodes a DER certificate as an authority.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(X509Authority {
            cert: Cert::from_der(der)?,
        })
    }

    /// The parsed certificate.
    pub fn cert(&self) -> &Cert {
        &self.cert
    }
}

/// A JWT authority: a public key that signs JWT-SVIDs of the trust domain.
#[derive(Clone, Debug)]
pub struct JwtAuthority {
    kid: Option<String>,
    alg: Option<String>,
    key: PublicKey,
}

impl JwtAuthority {
    /// The key ID (always present for keys from a SPIFFE bundle; optional in a plain JWK Set).
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    /// The JWK `alg` member, when the key names one.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }
    /// The decoded key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }
}

/// The trust bundle of one trust domain.
#[derive(Clone, Debug)]
pub struct Bundle {
    trust_domain: TrustDomain,
    x509: Vec<X509Authority>,
    jwt: Vec<JwtAuthority>,
    refresh_hint: Option<u64>,
    sequence: Option<u64>,
}

const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

impl Bundle {
    /// An empty bundle for `trust_domain`.
    pub fn new(trust_domain: TrustDomain) -> Self {
        Bundle {
            trust_domain,
            x509: Vec::new(),
            jwt: Vec::new(),
            refresh_hint: None,
            sequence: None,
        }
    }

    /// Parses a SPIFFE bundle document (a JWK Set with SPIFFE parameters).
    ///
    /// Entries with an unknown `kty` or `use`, `x509-svid` entries without `x5c`, and `jwt-svid`
    /// entries without `kid`, of a key type JWT-SVIDs never use, or carrying private members are
    /// skipped (Bundle §4.2); structural faults make the whole document `invalid-bundle`, and text
    /// that is not JSON, or an `x5c` that is not base64 DER, is `malformed`.
    pub fn parse(trust_domain: TrustDomain, document: &[u8]) -> Result<Self> {
        let root = parse_json_object(document, "bundle document")?;
        let mut bundle = Bundle::new(trust_domain);
        bundle.sequence = optional_u64(&root, "spiffe_sequence")?;
        bundle.refresh_hint = optional_u64(&root, "spiffe_refresh_hint")?;
        for entry in keys_array(&root)? {
            let jwk = entry.as_object().ok_or_else(|| {
                Error::invalid_bundle("a `keys` entry is not a JSON object (RFC 7517 §5)")
            })?;
            if !matches!(kty(jwk), Some("EC" | "RSA" | "OKP" | "oct")) {
                continue; // Bundle §4.2.1: unknown kty MUST be ignored
            }
            match jwk.get("use").and_then(Value::as_str) {
                Some("x509-svid") => bundle.add_x509_entry(jwk)?,
                Some("jwt-svid") => {
                    let Some(kid) = jwk.get("kid") else { continue };
                    let kid = kid.as_str().ok_or_else(|| {
                        Error::invalid_bundle("`kid` of a jwt-svid entry is not a string")
                    })?;
                    bundle.add_jwt_entry(jwk, Some(kid.to_string()), false)?;
                }
                _ => continue, // Bundle §4.2.2: missing or unknown use MUST be ignored
            }
        }
        Ok(bundle)
    }

    /// A bundle of X.509 authorities from PEM text holding one or more CERTIFICATE blocks.
    pub fn from_pem(trust_domain: TrustDomain, pem: &str) -> Result<Self> {
        let mut bundle = Bundle::new(trust_domain);
        bundle.add_pem(pem)?;
        Ok(bundle)
    }

    /// Adds the certificates of PEM text as X.509 authorities.
    pub fn add_pem(&mut self, pem: &str) -> Result<()> {
        check_size(pem.len(), "PEM bundle")?;
        for der in encoding::pem_blocks(pem, "CERTIFICATE")? {
            self.add_x509_authority(X509Authority::from_der(&der)?);
        }
        Ok(())
    }

    /// Adds the keys of a plain JWK Set (SPIRE's OIDC `/keys`, a Workload API JWT bundle): every
    /// signing key of an RSA or EC type becomes a JWT authority, `kid` optional; entries whose
    /// `use` is `x509-svid` become X.509 authorities as in a SPIFFE bundle. Adding the same key
    /// under the same `kid` again is a no-op (a refresh); another key under a `kid` already held
    /// is `invalid-bundle`.
    pub fn add_jwks(&mut self, jwks: &[u8]) -> Result<()> {
        let root = parse_json_object(jwks, "JWK Set")?;
        for entry in keys_array(&root)? {
            let jwk = entry.as_object().ok_or_else(|| {
                Error::invalid_bundle("a `keys` entry is not a JSON object (RFC 7517 §5)")
            })?;
            match jwk.get("use").and_then(Value::as_str) {
                Some("x509-svid") => self.add_x509_entry(jwk)?,
                None | Some("sig" | "jwt-svid") => {
                    let kid = match jwk.get("kid") {
                        None => None,
                        Some(Value::String(k)) => Some(k.clone()),
                        Some(_) => return Err(Error::invalid_bundle("JWK `kid` is not a string")),
                    };
                    self.add_jwt_entry(jwk, kid, true)?;
                }
                Some(_) => continue,
            }
        }
        Ok(())
    }

    fn add_x509_entry(&mut self, jwk: &Object) -> Result<()> {
        let x5c = match jwk.get("x5c") {
            None => return Ok(()), // skipped: no authority to take
            Some(Value::Array(a)) if a.is_empty() => return Ok(()),
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(Error::invalid_bundle(
                    "`x5c` is not an array (RFC 7517 §4.7)",
                ))
            }
        };
        let first = x5c[0]
            .as_str()
            .ok_or_else(|| Error::malformed("`x5c` value is not a base64 string"))?;
        let der = encoding::base64_std(first)
            .map_err(|e| Error::malformed(format!("`x5c` value: {}", e.message())))?;
        self.add_x509_authority(X509Authority::from_der(&der)?);
        Ok(())
    }

    fn add_jwt_entry(&mut self, jwk: &Object, kid: Option<String>, refresh: bool) -> Result<()> {
        if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(m)) {
            return Ok(()); // a private (or symmetric) key is never a verification authority
        }
        let Some(key) = PublicKey::from_jwk(jwk)? else {
            return Ok(());
        };
        let alg = match jwk.get("alg") {
            None => None,
            Some(Value::String(a)) => Some(a.clone()),
            Some(_) => return Err(Error::invalid_bundle("JWK `alg` is not a string")),
        };
        self.add_jwt_authority(JwtAuthority { kid, alg, key }, refresh)
    }

    /// Adds an X.509 authority; the same certificate (by DER) twice is one authority.
    pub fn add_x509_authority(&mut self, authority: X509Authority) {
        if !self
            .x509
            .iter()
            .any(|a| a.cert.der() == authority.cert.der())
        {
            self.x509.push(authority);
        }
    }

    fn add_jwt_authority(&mut self, authority: JwtAuthority, refresh: bool) -> Result<()> {
        if let Some(kid) = &authority.kid {
            let same = |a: &&JwtAuthority| {
                a.kid.as_ref() == Some(kid) && a.key == authority.key && a.alg == authority.alg
            };
            // Adding a JWK Set again (a refresh) re-adds the same keys: one authority each.
            if refresh && self.jwt.iter().any(|a| same(&a)) {
                return Ok(());
            }
            if self.jwt.iter().any(|a| a.kid.as_ref() == Some(kid)) {
                return Err(Error::invalid_bundle(format!(
                    "two JWT authorities share kid {}: key selection would be ambiguous",
                    quoted(kid)
                )));
            }
        }
        self.jwt.push(authority);
        Ok(())
    }

    /// The trust domain this bundle is for.
    pub fn trust_domain(&self) -> &TrustDomain {
        &self.trust_domain
    }
    /// The X.509 authorities.
    pub fn x509_authorities(&self) -> &[X509Authority] {
        &self.x509
    }
    /// The JWT authorities.
    pub fn jwt_authorities(&self) -> &[JwtAuthority] {
        &self.jwt
    }
    /// `spiffe_refresh_hint`, seconds.
    pub fn refresh_hint(&self) -> Option<u64> {
        self.refresh_hint
    }
    /// `spiffe_sequence`.
    pub fn sequence(&self) -> Option<u64> {
        self.sequence
    }
}

fn check_size(len: usize, what: &str) -> Result<()> {
    if len > limits::MAX_BUNDLE_LEN {
        return Err(Error::malformed(format!(
            "{what} is {len} bytes, over the limit of {}",
            limits::MAX_BUNDLE_LEN
        )));
    }
    Ok(())
}

fn parse_json_object(document: &[u8], what: &str) -> Result<Object> {
    check_size(document.len(), what)?;
    let value =
        Value::parse(document).map_err(|e| Error::malformed(format!("{what} is not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(Error::invalid_bundle(format!(
            "{what} is not a JSON object (RFC 7517 §5)"
        ))),
    }
}

fn keys_array(root: &Object) -> Result<&Vec<Value>> {
    match root.get("keys") {
        None | Some(Value::Null) => Err(Error::invalid_bundle("`keys` is missing (Bundle §4.1.3)")),
        Some(Value::Array(keys)) => Ok(keys),
        Some(_) => Err(Error::invalid_bundle(
            "`keys` is not an array (RFC 7517 §5)",
        )),
    }
}

fn kty(jwk: &Object) -> Option<&str> {
    jwk.get("kty").and_then(Value::as_str)
}

fn optional_u64(root: &Object, name: &str) -> Result<Option<u64>> {
    match root.get(name) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Error::invalid_bundle(format!(
                "`{name}` is not a non-negative integer (Bundle §4.1)"
            ))
        }),
    }
}

/// Bundles of several trust domains (federation), keyed by trust domain name.
#[derive(Clone, Debug, Default)]
pub struct BundleSet {
    // Sorted by trust domain, found by binary search: a set holds a handful of trust domains, and
    // a sorted Vec is all the map it needs (a BTreeMap's code was ~2 kB of the .wasm).
    bundles: Vec<Bundle>,
}

impl BundleSet {
    /// An empty set.
    pub fn new() -> Self {
        BundleSet::default()
    }

    /// Parses a SPIFFE bundle document for `trust_domain` and puts it in the set, replacing that
    /// trust domain's bundle.
    ///
    /// ```
    /// use svidkit::{BundleSet, ErrorCode};
    /// # let vector: serde_json::Value = serde_json::from_str(include_str!(concat!(
    /// #     env!("CARGO_MANIFEST_DIR"), "/tests/vectors/jwt-svid/ok-es256.json"))).unwrap();
    /// # let document = vector["input"]["bundles"]["example.org"].as_str().unwrap();
    /// let mut bundles = BundleSet::new();
    /// let bundle = bundles.add("example.org", document.as_bytes())?;
    /// assert_eq!(bundle.jwt_authorities().len(), 1);
    ///
    /// // A failed add leaves the set as it was.
    /// let err = bundles.add("example.org", br#"{"keys": 42}"#).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::InvalidBundle);
    /// assert_eq!(bundles.get("example.org").map(|b| b.jwt_authorities().len()), Some(1));
    ///
    /// // Trust domain names follow the SPIFFE rule: lower case, nothing folded.
    /// let err = bundles.add("Example.org", document.as_bytes()).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::InvalidSpiffeId);
    /// # Ok::<(), svidkit::Error>(())
    /// ```
    pub fn add(&mut self, trust_domain: &str, document: &[u8]) -> Result<&Bundle> {
        let td = TrustDomain::new(trust_domain)?;
        let bundle = Bundle::parse(td, document)?;
        Ok(self.put(bundle))
    }

    /// Adds X.509 authorities from PEM to `trust_domain`'s bundle (creating it if needed).
    pub fn add_pem(&mut self, trust_domain: &str, pem: &str) -> Result<&Bundle> {
        let mut bundle = self.take_or_new(trust_domain)?;
        bundle.add_pem(pem)?;
        Ok(self.put(bundle))
    }

    /// Adds the keys of a plain JWK Set to `trust_domain`'s bundle (creating it if needed).
    pub fn add_jwks(&mut self, trust_domain: &str, jwks: &[u8]) -> Result<&Bundle> {
        let mut bundle = self.take_or_new(trust_domain)?;
        bundle.add_jwks(jwks)?;
        Ok(self.put(bundle))
    }

    // Works on a copy so a failed add leaves the set as it was.
    fn take_or_new(&self, trust_domain: &str) -> Result<Bundle> {
        let td = TrustDomain::new(trust_domain)?;
        Ok(self
            .get(trust_domain)
            .cloned()
            .unwrap_or_else(|| Bundle::new(td)))
    }

    fn find(&self, trust_domain: &str) -> core::result::Result<usize, usize> {
        self.bundles
            .binary_search_by(|b| b.trust_domain.as_str().cmp(trust_domain))
    }

    /// Puts a bundle in the set, replacing any bundle of the same trust domain.
    pub fn insert(&mut self, bundle: Bundle) {
        self.put(bundle);
    }

    fn put(&mut self, bundle: Bundle) -> &Bundle {
        let at = match self.find(bundle.trust_domain.as_str()) {
            Ok(at) => {
                self.bundles[at] = bundle;
                at
            }
            Err(at) => {
                self.bundles.insert(at, bundle);
                at
            }
        };
        &self.bundles[at]
    }

    /// Removes a trust domain's bundle; true if there was one.
    pub fn remove(&mut self, trust_domain: &str) -> bool {
        match self.find(trust_domain) {
            Ok(at) => {
                self.bundles.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// The bundle of a trust domain.
    pub fn get(&self, trust_domain: &str) -> Option<&Bundle> {
        self.find(trust_domain).ok().map(|at| &self.bundles[at])
    }

    /// The bundles in the set, sorted by trust domain.
    pub fn bundles(&self) -> impl Iterator<Item = &Bundle> {
        self.bundles.iter()
    }

    /// The trust domains in the set, sorted.
    pub fn trust_domains(&self) -> impl Iterator<Item = &str> {
        self.bundles.iter().map(|b| b.trust_domain.as_str())
    }

    /// How many trust domains the set holds.
    pub fn len(&self) -> usize {
        self.bundles.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bundles.is_empty()
    }
}
