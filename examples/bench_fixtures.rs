//! Writes the X.509 fixtures of `make bench` (bench/, benches/verify.rs): a 3-certificate P-256
//! chain the way SPIRE issues one — root (the bundle authority) → intermediate → leaf SVID — and a
//! 2-certificate Ed25519 chain — root (the authority of its own bundle) → leaf SVID — made with
//! freshly generated keys every run, and checked with the core before they are written.
//!
//! ```sh
//! cargo run --example bench_fixtures -- target/bench/chain.json
//! ```
//!
//! Output: `{ now, trustDomain, spiffeId, bundle, chain: [leaf, intermediate] (base64 DER),
//! root (base64 DER), ed25519: { spiffeId, bundle, chain: [leaf], root } }`; `now` is the
//! generation time, inside every certificate's validity. The Ed25519 chain is of the same trust
//! domain but has a bundle of its own (its root is the only authority), so the P-256 measurements
//! see the same bundle as before.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64ct::{Base64, Encoding};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, PKCS_ECDSA_P256_SHA256, PKCS_ED25519,
};
use serde_json::json;
use svidkit::{BundleSet, Options};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const DAY: u64 = 24 * 3600;
const TRUST_DOMAIN: &str = "example.org";
const SPIFFE_ID: &str = "spiffe://example.org/ns/prod/sa/api";

fn params(
    org: &str,
    cn: Option<&str>,
    uri: &str,
    ca: Option<Option<u8>>,
    from: u64,
    to: u64,
) -> Res<CertificateParams> {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CountryName, "US");
    p.distinguished_name.push(DnType::OrganizationName, org);
    if let Some(cn) = cn {
        p.distinguished_name.push(DnType::CommonName, cn);
    }
    p.subject_alt_names = vec![SanType::URI(uri.try_into()?)];
    match ca {
        Some(path_len) => {
            p.is_ca = IsCa::Ca(match path_len {
                Some(n) => BasicConstraints::Constrained(n),
                None => BasicConstraints::Unconstrained,
            });
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        }
        None => {
            p.is_ca = IsCa::ExplicitNoCa;
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
                KeyUsagePurpose::KeyAgreement,
            ];
            p.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ];
        }
    }
    p.use_authority_key_identifier_extension = true;
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    p.not_before = epoch + Duration::from_secs(from);
    p.not_after = epoch + Duration::from_secs(to);
    Ok(p)
}

fn main() -> Res<()> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let td_uri = format!("spiffe://{TRUST_DOMAIN}");

    let root_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let root_params = params(
        "SPIFFE",
        Some("example.org root"),
        &td_uri,
        Some(None),
        now - 30 * DAY,
        now + 365 * DAY,
    )?;
    let root = root_params.self_signed(&root_key)?;
    let root_issuer = Issuer::new(root_params, root_key);

    let int_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let int_params = params(
        "SPIRE",
        Some("example.org workload CA"),
        &td_uri,
        Some(Some(0)),
        now - DAY,
        now + 30 * DAY,
    )?;
    let int = int_params.signed_by(&int_key, &root_issuer)?;
    let int_issuer = Issuer::new(int_params, int_key);

    let leaf_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let leaf_params = params("SPIRE", None, SPIFFE_ID, None, now - 600, now + 3600)?;
    let leaf = leaf_params.signed_by(&leaf_key, &int_issuer)?;

    let bundle = json!({
        "keys": [{"use": "x509-svid", "kty": "EC", "x5c": [Base64::encode_string(root.der())]}],
        "spiffe_refresh_hint": 300,
        "spiffe_sequence": 1,
    })
    .to_string();

    // The core must accept what the benchmark measures.
    let mut set = BundleSet::new();
    set.add(TRUST_DOMAIN, bundle.as_bytes())?;
    let svid = svidkit::verify_x509_svid(&[leaf.der(), int.der()], &set, &Options::new(now))?;
    assert_eq!(svid.spiffe_id.as_str(), SPIFFE_ID);
    assert_eq!(svid.chain.len(), 3, "leaf → intermediate → root");

    // Ed25519: a root CA in its own bundle signs the leaf SVID directly (keyUsage
    // digitalSignature only, the one an Ed25519 key can have; CA:false).
    let ed_root_key = KeyPair::generate_for(&PKCS_ED25519)?;
    let ed_root_params = params(
        "SPIFFE",
        Some("example.org Ed25519 root"),
        &td_uri,
        Some(None),
        now - 30 * DAY,
        now + 365 * DAY,
    )?;
    let ed_root = ed_root_params.self_signed(&ed_root_key)?;
    let ed_root_issuer = Issuer::new(ed_root_params, ed_root_key);

    let ed_leaf_key = KeyPair::generate_for(&PKCS_ED25519)?;
    let mut ed_leaf_params = params("SPIRE", None, SPIFFE_ID, None, now - 600, now + 3600)?;
    ed_leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let ed_leaf = ed_leaf_params.signed_by(&ed_leaf_key, &ed_root_issuer)?;

    let ed_bundle = json!({
        "keys": [{"use": "x509-svid", "kty": "OKP", "x5c": [Base64::encode_string(ed_root.der())]}],
        "spiffe_refresh_hint": 300,
        "spiffe_sequence": 1,
    })
    .to_string();

    let mut ed_set = BundleSet::new();
    ed_set.add(TRUST_DOMAIN, ed_bundle.as_bytes())?;
    let ed_svid = svidkit::verify_x509_svid(&[ed_leaf.der()], &ed_set, &Options::new(now))?;
    assert_eq!(ed_svid.spiffe_id.as_str(), SPIFFE_ID);
    assert_eq!(ed_svid.chain.len(), 2, "leaf → root");
    // ... and it is the Ed25519 root that verified it, not anything of the P-256 bundle.
    assert!(svidkit::verify_x509_svid(&[ed_leaf.der()], &set, &Options::new(now)).is_err());

    let out = json!({
        "now": now,
        "trustDomain": TRUST_DOMAIN,
        "spiffeId": SPIFFE_ID,
        "bundle": bundle,
        "chain": [Base64::encode_string(leaf.der()), Base64::encode_string(int.der())],
        "root": Base64::encode_string(root.der()),
        "ed25519": {
            "spiffeId": SPIFFE_ID,
            "bundle": ed_bundle,
            "chain": [Base64::encode_string(ed_leaf.der())],
            "root": Base64::encode_string(ed_root.der()),
        },
    });
    let text = serde_json::to_string_pretty(&out)?;
    match std::env::args().nth(1) {
        Some(path) => {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text)?;
            eprintln!("bench_fixtures: wrote {path}");
        }
        None => println!("{text}"),
    }
    Ok(())
}
