//! The WebAssembly component adapter (feature `component`): implements world `svidkit:verify/svidkit`
//! (wit/svidkit.wit) over the core with wit-bindgen. Build from `wasm32-unknown-unknown` and run
//! `component new` (see mk/component.mk); the component imports nothing.
//!
//! Every operation maps one-to-one onto the core API; the only work done here is converting
//! between core types and WIT records.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::{Bundle, ErrorCode, Options};

mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "svidkit",
    });
}

use bindings::exports::svidkit::verify::types as wit;
use bindings::exports::svidkit::verify::verifier;

struct Component;

bindings::export!(Component with_types_in bindings);

fn code(code: ErrorCode) -> wit::ErrorCode {
    match code {
        ErrorCode::Malformed => wit::ErrorCode::Malformed,
        ErrorCode::InvalidSpiffeId => wit::ErrorCode::InvalidSpiffeId,
        ErrorCode::InvalidBundle => wit::ErrorCode::InvalidBundle,
        ErrorCode::NoBundle => wit::ErrorCode::NoBundle,
        ErrorCode::InvalidSvid => wit::ErrorCode::InvalidSvid,
        ErrorCode::UnsupportedAlgorithm => wit::ErrorCode::UnsupportedAlgorithm,
        ErrorCode::Untrusted => wit::ErrorCode::Untrusted,
        ErrorCode::BadSignature => wit::ErrorCode::BadSignature,
        ErrorCode::Expired => wit::ErrorCode::Expired,
        ErrorCode::NotYetValid => wit::ErrorCode::NotYetValid,
        ErrorCode::AudienceMismatch => wit::ErrorCode::AudienceMismatch,
        ErrorCode::Unauthorized => wit::ErrorCode::Unauthorized,
        ErrorCode::Revoked => wit::ErrorCode::Revoked,
    }
}

fn error(e: crate::Error) -> wit::Error {
    wit::Error {
        code: code(e.code()),
        message: e.message().to_string(),
    }
}

fn cert_summary(cert: &crate::cert::Cert, is_authority: bool) -> wit::CertSummary {
    wit::CertSummary {
        subject: cert.subject.clone(),
        issuer: cert.issuer.clone(),
        serial: crate::x509::hex(&cert.serial),
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

fn bundle_info(bundle: &Bundle) -> wit::BundleInfo {
    wit::BundleInfo {
        trust_domain: bundle.trust_domain().as_str().to_string(),
        x509_authorities: bundle
            .x509_authorities()
            .iter()
            .map(|a| cert_summary(a.cert(), true))
            .collect(),
        jwt_authorities: bundle
            .jwt_authorities()
            .iter()
            .map(|a| wit::JwtAuthority {
                kid: a.kid().map(String::from),
                alg: a.alg().map(String::from),
                kty: a.key().kty().to_string(),
                key_algorithm: a.key().description().to_string(),
            })
            .collect(),
        refresh_hint: bundle.refresh_hint(),
        sequence: bundle.sequence(),
    }
}

fn policy(p: wit::Policy) -> crate::Result<crate::Policy> {
    let mut policy = crate::Policy::new();
    if let Some(allow) = p.allow {
        policy = policy.allow_none();
        for pattern in &allow {
            policy = policy.allow(pattern)?;
        }
    }
    for pattern in &p.deny {
        policy = policy.deny(pattern)?;
    }
    for serial in &p.deny_serials {
        policy = policy.deny_serial(serial)?;
    }
    for jti in &p.deny_jti {
        policy = policy.deny_jti(jti);
    }
    Ok(policy)
}

/// The `bundle-set` resource: the core's `BundleSet` behind a `RefCell` (resource methods get `&self`).
pub struct BundleSet(RefCell<crate::BundleSet>);

impl wit::GuestBundleSet for BundleSet {
    fn new() -> Self {
        BundleSet(RefCell::new(crate::BundleSet::new()))
    }

    fn add(&self, trust_domain: String, document: String) -> Result<wit::BundleInfo, wit::Error> {
        self.0
            .borrow_mut()
            .add(&trust_domain, document.as_bytes())
            .map(bundle_info)
            .map_err(error)
    }

    fn add_pem(&self, trust_domain: String, pem: String) -> Result<wit::BundleInfo, wit::Error> {
        self.0
            .borrow_mut()
            .add_pem(&trust_domain, &pem)
            .map(bundle_info)
            .map_err(error)
    }

    fn add_jwks(&self, trust_domain: String, jwks: String) -> Result<wit::BundleInfo, wit::Error> {
        self.0
            .borrow_mut()
            .add_jwks(&trust_domain, jwks.as_bytes())
            .map(bundle_info)
            .map_err(error)
    }

    fn remove(&self, trust_domain: String) -> bool {
        self.0.borrow_mut().remove(&trust_domain)
    }

    fn trust_domains(&self) -> Vec<String> {
        self.0.borrow().trust_domains().map(String::from).collect()
    }

    fn get(&self, trust_domain: String) -> Option<wit::BundleInfo> {
        self.0.borrow().get(&trust_domain).map(bundle_info)
    }
}

impl wit::Guest for Component {
    type BundleSet = BundleSet;
}

/// The core's policy for an optional WIT policy record (a malformed pattern or serial is an error).
fn parsed_policy(p: Option<wit::Policy>) -> Result<Option<crate::Policy>, wit::Error> {
    p.map(policy).transpose().map_err(error)
}

/// Verification options as of `now` with `skew` and the policy, if any.
fn options(now: u64, skew: u64, policy: Option<&crate::Policy>) -> Options<'_> {
    let options = Options::new(now).skew(skew);
    match policy {
        Some(policy) => options.policy(policy),
        None => options,
    }
}

fn spiffe_id(id: &crate::SpiffeId) -> wit::SpiffeId {
    wit::SpiffeId {
        id: id.as_str().to_string(),
        trust_domain: id.trust_domain().to_string(),
        path: id.path().to_string(),
    }
}

fn verify_x509(
    chain: &[Vec<u8>],
    bundles: &BundleSet,
    now: u64,
    skew: u64,
    policy: Option<wit::Policy>,
) -> Result<wit::X509Svid, wit::Error> {
    let policy = parsed_policy(policy)?;
    let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let options = options(now, skew, policy.as_ref());
    let svid = crate::verify_x509_svid(&refs, &bundles.0.borrow(), &options).map_err(error)?;
    Ok(wit::X509Svid {
        spiffe_id: svid.spiffe_id.as_str().to_string(),
        trust_domain: svid.spiffe_id.trust_domain().to_string(),
        path: svid.spiffe_id.path().to_string(),
        expires_at: svid.expires_at,
        chain: svid
            .chain
            .into_iter()
            .map(|c| wit::CertSummary {
                subject: c.subject,
                issuer: c.issuer,
                serial: c.serial,
                not_before: c.not_before,
                not_after: c.not_after,
                key_algorithm: c.key_algorithm,
                spiffe_id: c.spiffe_id,
                is_authority: c.is_authority,
            })
            .collect(),
    })
}

fn inspection(report: &crate::inspect::Report) -> wit::Inspection {
    use crate::inspect::Status;
    wit::Inspection {
        kind: report.kind.to_string(),
        error: report.verdict.clone().err().map(error),
        spiffe_id: report.spiffe_id.as_ref().map(spiffe_id),
        checks: report
            .checks
            .iter()
            .map(|c| wit::Check {
                id: c.id.to_string(),
                rule: c.rule.to_string(),
                reference: c.reference.to_string(),
                status: match c.status {
                    Status::Pass => wit::CheckStatus::Pass,
                    Status::Fail => wit::CheckStatus::Fail,
                    Status::NotReached => wit::CheckStatus::NotReached,
                    Status::Skipped => wit::CheckStatus::Skipped,
                },
                detail: c.detail.clone(),
            })
            .collect(),
        json: report.to_json().to_string(),
    }
}

/// Inspects a chain that is DER, or failed to decode from text with the given error.
fn inspect_x509(
    chain: Result<Vec<Vec<u8>>, crate::Error>,
    bundles: &BundleSet,
    now: u64,
    skew: u64,
    policy: Option<wit::Policy>,
) -> Result<wit::Inspection, wit::Error> {
    let policy = parsed_policy(policy)?;
    let options = options(now, skew, policy.as_ref());
    let bundles = bundles.0.borrow();
    let report = match &chain {
        Ok(chain) => {
            let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
            crate::inspect::inspect_x509_decoded(Ok(&refs), &bundles, &options)
        }
        Err(e) => crate::inspect::inspect_x509_decoded(Err(e.clone()), &bundles, &options),
    };
    Ok(inspection(&report))
}

impl verifier::Guest for Component {
    fn parse_spiffe_id(id: String) -> Result<wit::SpiffeId, wit::Error> {
        crate::parse_spiffe_id(&id)
            .map(|id| spiffe_id(&id))
            .map_err(error)
    }

    fn verify_x509_svid(
        chain: Vec<Vec<u8>>,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::X509Svid, wit::Error> {
        verify_x509(&chain, bundles.get(), now, skew, policy)
    }

    fn verify_x509_svid_pem(
        pem: String,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::X509Svid, wit::Error> {
        let chain = crate::x509::decode_pem_chain(&pem).map_err(error)?;
        verify_x509(&chain, bundles.get(), now, skew, policy)
    }

    fn verify_jwt_svid(
        token: String,
        audiences: Vec<String>,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::JwtSvid, wit::Error> {
        let policy = parsed_policy(policy)?;
        let options = options(now, skew, policy.as_ref());
        let auds: Vec<&str> = audiences.iter().map(String::as_str).collect();
        let bundles: &BundleSet = bundles.get();
        let svid =
            crate::verify_jwt_svid(&token, &auds, &bundles.0.borrow(), &options).map_err(error)?;
        Ok(wit::JwtSvid {
            spiffe_id: svid.spiffe_id.as_str().to_string(),
            trust_domain: svid.spiffe_id.trust_domain().to_string(),
            path: svid.spiffe_id.path().to_string(),
            expires_at: svid.expires_at,
            issued_at: svid.issued_at,
            not_before: svid.not_before,
            audience: svid.audience,
            jti: svid.jti,
            algorithm: svid.algorithm.name().to_string(),
            kid: svid.kid,
            claims: svid.claims.to_json(),
        })
    }

    fn decode_pem_chain(pem: String) -> Result<Vec<Vec<u8>>, wit::Error> {
        crate::x509::decode_pem_chain(&pem).map_err(error)
    }

    fn decode_base64_der(text: String) -> Result<Vec<u8>, wit::Error> {
        crate::x509::decode_base64_der(&text).map_err(error)
    }

    fn inspect_x509_svid(
        chain: Vec<Vec<u8>>,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::Inspection, wit::Error> {
        inspect_x509(Ok(chain), bundles.get(), now, skew, policy)
    }

    fn inspect_x509_svid_pem(
        pem: String,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::Inspection, wit::Error> {
        let chain = crate::x509::decode_pem_chain(&pem);
        inspect_x509(chain, bundles.get(), now, skew, policy)
    }

    fn inspect_jwt_svid(
        token: String,
        audiences: Vec<String>,
        bundles: wit::BundleSetBorrow<'_>,
        now: u64,
        skew: u64,
        policy: Option<wit::Policy>,
    ) -> Result<wit::Inspection, wit::Error> {
        let policy = parsed_policy(policy)?;
        let options = options(now, skew, policy.as_ref());
        let auds: Vec<&str> = audiences.iter().map(String::as_str).collect();
        let bundles: &BundleSet = bundles.get();
        let report = crate::inspect::inspect_jwt(&token, &auds, &bundles.0.borrow(), &options);
        Ok(inspection(&report))
    }
}
