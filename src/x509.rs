//! X.509-SVID verification (X509-SVID standard §4–§5, RFC 5280 §6 path validation, restricted to
//! what SPIFFE needs): the leaf profile, then a path from the leaf to an X.509 authority of the
//! leaf's own trust domain.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};

use crate::bundle::BundleSet;
use crate::cert::{Cert, NameConstraints};
use crate::crypto::SignatureVerifier;
use crate::encoding;
use crate::error::{limits, quoted, Error, ErrorCode, Result};
use crate::id::SpiffeId;

/// Most signature checks one path search may make; a chain crafted to make path building
/// exponential runs out of budget instead of time. 100 is the budget Go crypto/x509
/// (`maxChainSignatureChecks`) and rustls-webpki give path building; 12 self-issued rollover CAs
/// of one name, listed oldest first, take 91 checks depth first.
const SIGNATURE_BUDGET: usize = 100;

/// A verified X.509-SVID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X509Svid {
    /// The leaf's SPIFFE ID.
    pub spiffe_id: SpiffeId,
    /// The leaf's notAfter, Unix seconds.
    pub expires_at: i64,
    /// The verified path: leaf first, the bundle authority last.
    pub chain: Vec<CertSummary>,
}

/// What a verified path reports of each certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertSummary {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Serial number, lower-case hex without separators or sign byte.
    pub serial: String,
    /// notBefore, Unix seconds (negative before 1970).
    pub not_before: i64,
    /// notAfter, Unix seconds (negative before 1970).
    pub not_after: i64,
    /// Key type and size, e.g. `EC P-256`, `RSA 2048`, `Ed25519`.
    pub key_algorithm: String,
    /// The SPIFFE ID in the certificate's URI SAN, if it has one.
    pub spiffe_id: Option<String>,
    /// Whether this certificate is the trust bundle's authority (the path's end).
    pub is_authority: bool,
}

impl CertSummary {
    pub(crate) fn of(cert: &Cert, is_authority: bool) -> Self {
        CertSummary {
            subject: cert.subject.clone(),
            issuer: cert.issuer.clone(),
            serial: hex(&cert.serial),
            not_before: cert.not_before,
            not_after: cert.not_after,
            key_algorithm: cert.key.description().to_string(),
            spiffe_id: cert
                .uris
                .iter()
                .find(|u| u.starts_with("spiffe://"))
                .cloned(),
            is_authority,
        }
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Splits a PEM chain (leaf first) into DER certificates.
pub fn decode_pem_chain(pem: &str) -> Result<Vec<Vec<u8>>> {
    if pem.len() > limits::MAX_CHAIN_LEN * limits::MAX_CERT_LEN * 2 {
        return Err(Error::malformed("PEM chain is over the size limit"));
    }
    let blocks = encoding::pem_blocks(pem, "CERTIFICATE")?;
    check_chain_len(blocks.len())?;
    Ok(blocks)
}

/// Decodes one chain element given as standard padded base64 of exactly one DER certificate.
pub fn decode_base64_der(text: &str) -> Result<Vec<u8>> {
    if text.len() > limits::MAX_CERT_LEN * 2 {
        return Err(Error::malformed("chain element is over the size limit"));
    }
    encoding::base64_std(text)
        .map_err(|e| Error::malformed(format!("chain element: {}", e.message())))
}

/// Splits concatenated DER certificates (the SPIFFE Workload API's chain form), leaf first, into
/// one TLV each — at most 16; each is parsed as a certificate when the chain is verified.
pub fn split_der_chain(data: &[u8]) -> Result<Vec<&[u8]>> {
    let bad = |e: der::Error| Error::malformed(format!("DER chain: {e}"));
    let mut reader = SliceReader::new(data).map_err(bad)?;
    let mut certs = Vec::new();
    while !reader.is_finished() {
        if certs.len() == limits::MAX_CHAIN_LEN {
            return Err(Error::malformed(format!(
                "the chain has more than {} certificates",
                limits::MAX_CHAIN_LEN
            )));
        }
        certs.push(reader.tlv_bytes().map_err(bad)?);
    }
    Ok(certs)
}

fn check_chain_len(len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::malformed("the chain is empty"));
    }
    if len > limits::MAX_CHAIN_LEN {
        return Err(Error::malformed(format!(
            "the chain has {len} certificates, over the limit of {}",
            limits::MAX_CHAIN_LEN
        )));
    }
    Ok(())
}

/// Parses every certificate of a presented chain (leaf first).
pub fn parse_chain(chain: &[&[u8]]) -> Result<Vec<Cert>> {
    check_chain_len(chain.len())?;
    chain.iter().map(|der| Cert::from_der(der)).collect()
}

/// The SPIFFE ID of a leaf: exactly one URI SAN, a valid SPIFFE ID with a path (X509-SVID §2, §3).
pub fn leaf_spiffe_id(leaf: &Cert) -> Result<SpiffeId> {
    if leaf.uris.len() != 1 {
        return Err(Error::invalid_svid(format!(
            "the leaf has {} URI SANs; an X509-SVID has exactly one (X509-SVID §2)",
            leaf.uris.len()
        )));
    }
    let id = SpiffeId::parse(&leaf.uris[0])?;
    if id.path().is_empty() {
        return Err(Error::invalid_svid(
            "the leaf's SPIFFE ID has no path; a leaf must not carry a trust domain ID (X509-SVID §3.1)",
        ));
    }
    Ok(id)
}

/// The leaf profile (X509-SVID §4.1, §4.3): not a CA, `digitalSignature`, no `keyCertSign` or
/// `cRLSign`, no critical extension svidkit does not process.
pub fn check_leaf_profile(leaf: &Cert) -> Result<()> {
    check_leaf_not_ca(leaf)?;
    check_leaf_key_usage(leaf)?;
    check_critical(leaf, "the leaf")
}

/// The leaf's key must be one svidkit could verify signatures with (DESIGN: RSA under 2048 bits
/// and unknown curves are `unsupported-algorithm`): the peer proves possession of this key, so an
/// SVID whose key is weak or of an unknown kind is unfit, however well it is signed.
pub fn check_leaf_key(leaf: &Cert) -> Result<()> {
    leaf.key.check_supported("the leaf's")
}

/// A leaf must not be a CA (X509-SVID §4.1); without basicConstraints it is not one.
pub fn check_leaf_not_ca(leaf: &Cert) -> Result<()> {
    if leaf.is_ca() {
        return Err(Error::invalid_svid(
            "the leaf has basicConstraints cA=true (X509-SVID §4.1)",
        ));
    }
    Ok(())
}

/// A leaf must have a critical keyUsage with digitalSignature and without keyCertSign or cRLSign
/// (X509-SVID §4.3).
pub fn check_leaf_key_usage(leaf: &Cert) -> Result<()> {
    let Some(ku) = &leaf.key_usage else {
        return Err(Error::invalid_svid(
            "the leaf has no keyUsage extension; digitalSignature is required (X509-SVID §4.3)",
        ));
    };
    if !ku.critical {
        return Err(Error::invalid_svid(
            "the leaf's keyUsage extension is not marked critical (X509-SVID §4.3)",
        ));
    }
    if ku.key_cert_sign {
        return Err(Error::invalid_svid(
            "the leaf has keyUsage keyCertSign (X509-SVID §4.3)",
        ));
    }
    if ku.crl_sign {
        return Err(Error::invalid_svid(
            "the leaf has keyUsage cRLSign (X509-SVID §4.3)",
        ));
    }
    if !ku.digital_signature {
        return Err(Error::invalid_svid(
            "the leaf's keyUsage lacks digitalSignature (X509-SVID §4.3)",
        ));
    }
    Ok(())
}

/// No critical extension svidkit does not process (RFC 5280 §4.2).
pub fn check_critical(cert: &Cert, what: impl fmt::Display) -> Result<()> {
    match &cert.unknown_critical {
        Some(oid) => Err(Error::invalid_svid(format!(
            "{what} has a critical extension svidkit does not process ({oid}) (RFC 5280 §4.2)"
        ))),
        None => Ok(()),
    }
}

/// The issuer of a path edge as messages name it. Formatted only when a check fails: a chain that
/// verifies formats nothing (no `core::fmt` on the hot path).
struct Issuer<'a> {
    authority: bool,
    subject: &'a str,
}

impl fmt::Display for Issuer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let role = if self.authority {
            "the bundle authority"
        } else {
            "the intermediate"
        };
        write!(f, "{role} {}", quoted(self.subject))
    }
}

/// Checks `notBefore − skew ≤ now ≤ notAfter + skew` (validity is inclusive).
pub fn check_validity(cert: &Cert, now: u64, skew: u64, what: impl fmt::Display) -> Result<()> {
    // i128: a certificate's times may be before 1970, `now` and `skew` are any u64.
    let (now_i, skew_i) = (i128::from(now), i128::from(skew));
    if now_i < i128::from(cert.not_before) - skew_i {
        return Err(Error::new(
            ErrorCode::NotYetValid,
            format!(
                "{what} is not valid before {} (now {now}) (RFC 5280 §4.1.2.5)",
                cert.not_before
            ),
        ));
    }
    if now_i > i128::from(cert.not_after) + skew_i {
        return Err(Error::new(
            ErrorCode::Expired,
            format!(
                "{what} expired at {} (now {now}) (RFC 5280 §4.1.2.5)",
                cert.not_after
            ),
        ));
    }
    Ok(())
}

/// Verifies a presented chain (leaf first, intermediates in any order) against the X.509
/// authorities of the leaf's trust domain.
pub fn verify(
    chain: &[&[u8]],
    bundles: &BundleSet,
    now: u64,
    skew: u64,
    crypto: &dyn SignatureVerifier,
) -> Result<X509Svid> {
    let certs = parse_chain(chain)?;
    verify_parsed(&certs, bundles, now, skew, crypto)
}

/// [`verify`] on certificates already parsed.
pub fn verify_parsed(
    certs: &[Cert],
    bundles: &BundleSet,
    now: u64,
    skew: u64,
    crypto: &dyn SignatureVerifier,
) -> Result<X509Svid> {
    check_chain_len(certs.len())?;
    let leaf = &certs[0];
    let spiffe_id = leaf_spiffe_id(leaf)?;
    let td = spiffe_id.trust_domain();
    let authorities: Vec<&Cert> = match bundles.get(td) {
        Some(b) if !b.x509_authorities().is_empty() => {
            b.x509_authorities().iter().map(|a| a.cert()).collect()
        }
        Some(_) => {
            return Err(Error::new(
                ErrorCode::NoBundle,
                format!(
                    "the bundle of trust domain {} has no X.509 authorities (X509-SVID §6.2)",
                    quoted(td)
                ),
            ))
        }
        None => {
            return Err(Error::new(
                ErrorCode::NoBundle,
                format!("no bundle for trust domain {} (Bundle §3)", quoted(td)),
            ))
        }
    };
    check_leaf_profile(leaf)?;
    check_leaf_key(leaf)?;
    check_validity(leaf, now, skew, "the leaf")?;

    let mut search = PathSearch {
        certs,
        authorities: &authorities,
        now,
        skew,
        crypto,
        budget: SIGNATURE_BUDGET,
        gave_up: false,
        best: None,
    };
    let mut path = Vec::from([Node::Presented(0)]);
    if search.extend(&mut path) {
        let chain = path
            .iter()
            .map(|n| match *n {
                Node::Presented(i) => CertSummary::of(&certs[i], false),
                Node::Authority(i) => CertSummary::of(authorities[i], true),
            })
            .collect();
        return Ok(X509Svid {
            spiffe_id,
            expires_at: leaf.not_after,
            chain,
        });
    }
    if search.gave_up {
        // Some candidates were never tried, so no failure seen so far is the verdict: a path
        // through them may exist but is not known.
        return Err(Error::new(
            ErrorCode::Untrusted,
            format!(
                "path building gave up after {SIGNATURE_BUDGET} signature checks without reaching an authority: \
                 the chain carries too many candidate issuers of one name"
            ),
        ));
    }
    Err(search
        .best
        .map(|f| f.error)
        .unwrap_or_else(|| Error::new(ErrorCode::Untrusted, "no path to an authority")))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Presented(usize),
    Authority(usize),
}

struct Failure {
    // (depth reached, stage at that depth): the failure that got furthest is the most specific.
    rank: (usize, u8),
    error: Error,
}

struct PathSearch<'a> {
    certs: &'a [Cert],
    authorities: &'a [&'a Cert],
    now: u64,
    skew: u64,
    crypto: &'a dyn SignatureVerifier,
    budget: usize,
    gave_up: bool,
    best: Option<Failure>,
}

impl PathSearch<'_> {
    fn cert(&self, node: Node) -> &Cert {
        match node {
            Node::Presented(i) => &self.certs[i],
            Node::Authority(i) => self.authorities[i],
        }
    }

    fn fail(&mut self, depth: usize, stage: u8, error: Error) {
        let rank = (depth, stage);
        if self.best.as_ref().is_none_or(|b| rank > b.rank) {
            self.best = Some(Failure { rank, error });
        }
    }

    /// Tries to extend `path` (whose last element is the certificate needing an issuer) to an
    /// authority; on success `path` holds the whole path.
    fn extend(&mut self, path: &mut Vec<Node>) -> bool {
        let depth = path.len();
        let Some(&child_node) = path.last() else {
            return false;
        };
        let child_issuer = self.cert(child_node).issuer_der.clone();

        // Authorities first (as Go's crypto/x509 tries roots before intermediates): a path that
        // can end here is tried before the signature budget goes to detours through presented
        // CA certificates, however many of them a chain carries.
        let mut candidates: Vec<Node> = Vec::new();
        for (i, a) in self.authorities.iter().enumerate() {
            let node = Node::Authority(i);
            if a.subject_der == child_issuer && !path.contains(&node) {
                candidates.push(node);
            }
        }
        for (i, c) in self.certs.iter().enumerate() {
            let node = Node::Presented(i);
            if c.subject_der == child_issuer
                && !path.contains(&node)
                && !self.authorities.iter().any(|a| a.der() == c.der())
            {
                candidates.push(node);
            }
        }
        if candidates.is_empty() {
            let child = self.cert(child_node);
            let msg = format!(
                "no presented certificate or bundle authority is the issuer {} of {} (X509-SVID §5.1)",
                quoted(&child.issuer), quoted(&child.subject)
            );
            self.fail(depth, 0, Error::new(ErrorCode::Untrusted, msg));
            return false;
        }
        for candidate in candidates {
            if self.budget == 0 {
                self.gave_up = true;
                return false;
            }
            self.budget -= 1;
            path.push(candidate);
            match self.check_edge(path) {
                Err((stage, e)) => self.fail(depth, stage, e),
                Ok(()) if matches!(candidate, Node::Authority(_)) => return true,
                Ok(()) => {
                    if self.extend(path) {
                        return true;
                    }
                }
            }
            path.pop();
        }
        false
    }

    /// Checks the last certificate of `path` as the issuer of the one before it.
    fn check_edge(&self, path: &[Node]) -> core::result::Result<(), (u8, Error)> {
        let issuer_pos = path.len() - 1;
        let issuer = self.cert(path[issuer_pos]);
        let child = self.cert(path[issuer_pos - 1]);
        let what = &Issuer {
            authority: matches!(path[issuer_pos], Node::Authority(_)),
            subject: &issuer.subject,
        };

        let alg = child
            .signature_algorithm
            .clone()
            .map_err(|m| (1, Error::unsupported(m)))?;
        alg.check_key(&issuer.key).map_err(|e| {
            let stage = if e.code() == ErrorCode::UnsupportedAlgorithm {
                1
            } else {
                2
            };
            (stage, e)
        })?;
        let signature = match alg.ecdsa_fixed_len() {
            Some(len) => ecdsa_der_to_fixed(&child.signature, len),
            None => Some(child.signature.clone()),
        };
        let verified = signature.is_some_and(|s| {
            alg.fits(&issuer.key, &s) && self.crypto.verify(alg, &issuer.key, child.tbs(), &s)
        });
        if !verified {
            return Err((
                2,
                Error::new(
                    ErrorCode::BadSignature,
                    format!("the signature of {} does not verify with the key of {what} (RFC 5280 §6.1.3)", quoted(&child.subject)),
                ),
            ));
        }
        check_validity(issuer, self.now, self.skew, what).map_err(|e| (3, e))?;
        self.check_signing_cert(issuer, what, path)
            .map_err(|e| (4, e))
    }

    fn check_signing_cert(&self, issuer: &Cert, what: &Issuer, path: &[Node]) -> Result<()> {
        let Some((true, path_len)) = issuer.basic_constraints else {
            return Err(Error::invalid_svid(format!(
                "{what} signs certificates but is not a CA (basicConstraints cA) (X509-SVID §4.1)"
            )));
        };
        let Some(ku) = issuer.key_usage.as_ref().filter(|ku| ku.key_cert_sign) else {
            return Err(Error::invalid_svid(format!(
                "{what} signs certificates but lacks keyUsage keyCertSign (X509-SVID §4.3)"
            )));
        };
        if !ku.critical {
            return Err(Error::invalid_svid(format!(
                "{what} signs certificates but its keyUsage extension is not marked critical (X509-SVID §4.3)"
            )));
        }
        check_critical(issuer, what)?;
        for uri in issuer.uris.iter().filter(|u| u.starts_with("spiffe://")) {
            let id = SpiffeId::parse(uri).map_err(|e| {
                Error::invalid_svid(format!("{what} has an invalid SPIFFE ID: {}", e.message()))
            })?;
            if !id.path().is_empty() {
                return Err(Error::invalid_svid(format!(
                    "{what} is a signing certificate but its SPIFFE ID {} has a path (X509-SVID §3.2)", quoted(uri)
                )));
            }
        }
        let issuer_pos = path.len() - 1;
        if let Some(max) = path_len {
            // Intermediates between this CA and the leaf, self-issued ones not counted (RFC 5280 §4.2.1.9).
            let below = path[1..issuer_pos]
                .iter()
                .filter(|n| !self.cert(**n).is_self_issued())
                .count();
            if below > max as usize {
                return Err(Error::invalid_svid(format!(
                    "{what} has pathLenConstraint {max} but {below} intermediate CAs follow it (RFC 5280 §4.2.1.9)"
                )));
            }
        }
        if let Some(nc) = &issuer.name_constraints {
            for (k, node) in path[..issuer_pos].iter().enumerate() {
                let cert = self.cert(*node);
                if k > 0 && cert.is_self_issued() {
                    continue;
                }
                check_name_constraints(nc, cert, what)?;
            }
        }
        Ok(())
    }
}

fn check_name_constraints(nc: &NameConstraints, cert: &Cert, what: &Issuer) -> Result<()> {
    if !nc.evaluable {
        return Err(Error::invalid_svid(format!(
            "{what} has a name constraint svidkit cannot evaluate (only URI and DNS names are) (RFC 5280 §4.2.1.10)"
        )));
    }
    // A URI constraint names a host or a `.domain` (RFC 5280 §4.2.1.10); an empty one is neither
    // (Go and NSS read it as every host, OpenSSL as none), so it is not evaluated either way.
    if nc
        .permitted_uris
        .iter()
        .chain(&nc.excluded_uris)
        .any(String::is_empty)
    {
        return Err(Error::invalid_svid(format!(
            "{what} has an empty URI name constraint, which names no host or domain (RFC 5280 §4.2.1.10)"
        )));
    }
    let hosts: Vec<String> = cert.uris.iter().map(|u| uri_host(u)).collect();
    check_names(
        &nc.permitted_uris,
        &nc.excluded_uris,
        &hosts,
        true,
        what,
        cert,
    )?;
    check_names(
        &nc.permitted_dns,
        &nc.excluded_dns,
        &cert.dns_names,
        false,
        what,
        cert,
    )
}

fn check_names(
    permitted: &[String],
    excluded: &[String],
    names: &[String],
    uri: bool,
    what: &Issuer,
    cert: &Cert,
) -> Result<()> {
    let kind = if uri { "URI" } else { "DNS" };
    for name in names {
        if !permitted.is_empty() && !permitted.iter().any(|p| name_matches(name, p, uri)) {
            return Err(Error::invalid_svid(format!(
                "{kind} name {} of {} is outside the permitted name constraints of {what} (RFC 5280 §4.2.1.10)",
                quoted(name), quoted(&cert.subject)
            )));
        }
        if excluded.iter().any(|x| name_matches(name, x, uri)) {
            return Err(Error::invalid_svid(format!(
                "{kind} name {} of {} is excluded by the name constraints of {what} (RFC 5280 §4.2.1.10)",
                quoted(name), quoted(&cert.subject)
            )));
        }
    }
    Ok(())
}

/// RFC 5280 §4.2.1.10: a URI constraint is a host (exact) or, with a leading `.`, a domain
/// (any host below it); a DNS constraint matches the name and every name below it.
fn name_matches(name: &str, constraint: &str, uri: bool) -> bool {
    let name = name.to_ascii_lowercase();
    let constraint = constraint.to_ascii_lowercase();
    if constraint.is_empty() {
        return !uri;
    }
    if let Some(domain) = constraint.strip_prefix('.') {
        return name.ends_with(&constraint) && name.len() > domain.len() + 1;
    }
    if uri {
        return name == constraint;
    }
    name == constraint
        || (name.ends_with(&constraint) && name[..name.len() - constraint.len()].ends_with('.'))
}

/// The host of a URI (`scheme://[userinfo@]host[:port]...`); empty when it has none.
fn uri_host(uri: &str) -> String {
    let Some((_, rest)) = uri.split_once("://") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split(':').next().unwrap_or("").to_string()
}

/// Converts a DER ECDSA signature to the fixed `r‖s` form; `None` if it is not valid DER or a
/// component is too long for the curve.
fn ecdsa_der_to_fixed(der: &[u8], len: usize) -> Option<Vec<u8>> {
    let half = len / 2;
    let mut reader = SliceReader::new(der).ok()?;
    let (r, s) = reader
        .sequence(|r| {
            let a = UintRef::decode(r)?;
            let b = UintRef::decode(r)?;
            Ok::<_, der::Error>((a.as_bytes(), b.as_bytes()))
        })
        .ok()?;
    reader.finish().ok()?;
    if r.len() > half || s.len() > half {
        return None;
    }
    let mut out = alloc::vec![0u8; len];
    out[half - r.len()..half].copy_from_slice(r);
    out[len - s.len()..].copy_from_slice(s);
    Some(out)
}
