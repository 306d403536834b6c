//! Every input limit of DESIGN.md, at the limit (accepted) and one past it (refused with the
//! code DESIGN.md gives): a chain of 16 / 17 certificates, a token of 16 KiB / 16 KiB + 1, a bundle
//! of 1 MiB / 1 MiB + 1, a SPIFFE ID of 2048 / 2049 bytes, a trust domain of 255 / 256 bytes.

mod common;

use common::*;
use serde_json::json;
use svidkit::{BundleSet, SpiffeId, TrustDomain};

const KIB16: usize = 16 * 1024;
const MIB: usize = 1024 * 1024;

fn id_of_len(td: &str, len: usize) -> String {
    let head = format!("spiffe://{td}/");
    assert!(len > head.len());
    // Segments of up to 100 bytes, so the path is ordinary.
    let mut path = String::new();
    let mut left = len - head.len();
    while left > 0 {
        let n = left.min(100);
        if !path.is_empty() {
            path.push('/');
            left -= 1;
            if left == 0 {
                path.push('x');
                break;
            }
        }
        let n = n.min(left);
        path.push_str(&"p".repeat(n));
        left -= n;
    }
    let id = format!("{head}{path}");
    assert!(!id.ends_with('/'));
    assert_eq!(id.len(), len);
    id
}

// ----------------------------------------------------------------------------------------------
// Chain length

/// The leaf and `n - 1` intermediates, each issued by the next, the last issued by the root.
fn chain_of(n: usize) -> (Cert, Vec<Cert>) {
    let root = new_root(Kind::P256, "root");
    let mut ints: Vec<Cert> = Vec::new();
    for i in 0..n - 1 {
        let issuer = ints.last().unwrap_or(&root);
        let int = issue(ca_params(&format!("int{i}")), Key::new(Kind::P256), issuer);
        ints.push(int);
    }
    let leaf = new_leaf("spiffe://example.org/deep", ints.last().unwrap_or(&root));
    ints.reverse(); // presented order: the leaf's issuer first
    let mut chain = vec![leaf];
    chain.extend(ints);
    (root, chain)
}

#[test]
fn chain_of_16_verifies_17_is_malformed() {
    let (root, chain16) = chain_of(16);
    let refs: Vec<&Cert> = chain16.iter().collect();
    assert_eq!(refs.len(), 16);
    assert_eq!(
        code(&verify_chain(&refs, &x509_bundles(TD, &[&root.der]), NOW)),
        "ok"
    );
    let (root, chain17) = chain_of(17);
    let refs: Vec<&Cert> = chain17.iter().collect();
    assert_eq!(refs.len(), 17);
    assert_eq!(
        code(&verify_chain(&refs, &x509_bundles(TD, &[&root.der]), NOW)),
        "malformed"
    );
    // Seventeen copies of one valid leaf: still over the limit.
    let leaf = &chain16[0];
    let copies: Vec<&Cert> = std::iter::repeat_n(leaf, 17).collect();
    assert_eq!(
        code(&verify_chain(&copies, &x509_bundles(TD, &[&root.der]), NOW)),
        "malformed"
    );
    // As PEM.
    let pem: String = chain17.iter().map(Cert::pem).collect();
    assert_eq!(
        svidkit::x509::decode_pem_chain(&pem)
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
    let pem: String = chain16.iter().map(Cert::pem).collect();
    assert_eq!(svidkit::x509::decode_pem_chain(&pem).unwrap().len(), 16);
}

// ----------------------------------------------------------------------------------------------
// Token length

/// A token of exactly `len` bytes, validly signed: the padding claim and the kid are sized to fit.
fn token_of_len(len: usize, key: &JwtKey) -> String {
    for kid_len in 1..8 {
        let kid = "k".repeat(kid_len);
        let mut c = claims();
        c["pad"] = json!("");
        let base = token("ES256", Some(&kid), &c, key).len();
        if base > len {
            continue;
        }
        // Each 3 bytes of padding add 4 base64 characters; try the lengths around the target.
        let guess = (len - base) * 3 / 4;
        for pad in guess.saturating_sub(4)..guess + 4 {
            c["pad"] = json!("x".repeat(pad));
            let t = token("ES256", Some(&kid), &c, key);
            if t.len() == len {
                return t;
            }
        }
    }
    panic!("no token of length {len}");
}

fn bundle_for_kids(key: &JwtKey) -> BundleSet {
    let entries: Vec<_> = (1..8).map(|n| key.entry(&"k".repeat(n))).collect();
    jwt_bundles(TD, &entries)
}

#[test]
fn token_of_16_kib_verifies_one_more_byte_is_malformed() {
    let key = JwtKey::p256();
    let bundles = bundle_for_kids(&key);
    let at_limit = token_of_len(KIB16, &key);
    assert_eq!(at_limit.len(), KIB16);
    assert_eq!(
        code(&verify_token(&at_limit, &["api"], &bundles, NOW)),
        "ok"
    );
    let over = token_of_len(KIB16 + 1, &key);
    assert_eq!(over.len(), KIB16 + 1);
    assert_eq!(
        code(&verify_token(&over, &["api"], &bundles, NOW)),
        "malformed"
    );
    // Far over, and not even a JWS.
    assert_eq!(
        code(&verify_token(
            &"a".repeat(10 * MIB),
            &["api"],
            &bundles,
            NOW
        )),
        "malformed"
    );
}

// ----------------------------------------------------------------------------------------------
// Bundle size

fn padded(doc: &str, len: usize) -> String {
    // JSON allows whitespace before the closing brace.
    let close = doc.rfind('}').unwrap();
    let pad = len - doc.len();
    format!("{}{}{}", &doc[..close], " ".repeat(pad), &doc[close..])
}

#[test]
fn bundle_document_of_1_mib_parses_one_more_byte_is_malformed() {
    let root = new_root(Kind::P256, "root");
    let doc = x509_bundle_doc(&[&root.der]);
    let at_limit = padded(&doc, MIB);
    assert_eq!(at_limit.len(), MIB);
    let mut set = BundleSet::new();
    assert_eq!(
        set.add(TD, at_limit.as_bytes())
            .unwrap()
            .x509_authorities()
            .len(),
        1
    );
    let over = padded(&doc, MIB + 1);
    assert_eq!(
        set.add(TD, over.as_bytes()).unwrap_err().code().as_str(),
        "malformed"
    );
    // Over the limit and not JSON at all: malformed too.
    assert_eq!(
        set.add(TD, "x".repeat(MIB + 1).as_bytes())
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
    // Plain JWK Sets share the limit.
    let jwks = json!({"keys": [JwtKey::p256().public_jwk()]}).to_string();
    assert_eq!(
        BundleSet::new()
            .add_jwks(TD, padded(&jwks, MIB).as_bytes())
            .unwrap()
            .jwt_authorities()
            .len(),
        1
    );
    assert_eq!(
        BundleSet::new()
            .add_jwks(TD, padded(&jwks, MIB + 1).as_bytes())
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
}

#[test]
fn pem_bundle_of_1_mib_parses_one_more_byte_is_malformed() {
    let root = new_root(Kind::P256, "root");
    let pem = root.pem();
    let fill = |len: usize| format!("{}{}", " ".repeat(len - pem.len()), pem);
    let mut set = BundleSet::new();
    assert_eq!(
        set.add_pem(TD, &fill(MIB))
            .unwrap()
            .x509_authorities()
            .len(),
        1
    );
    assert_eq!(
        BundleSet::new()
            .add_pem(TD, &fill(MIB + 1))
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
}

// ----------------------------------------------------------------------------------------------
// SPIFFE ID and trust domain length

#[test]
fn spiffe_id_of_2048_bytes_parses_2049_is_invalid() {
    let ok = id_of_len("example.org", 2048);
    assert_eq!(SpiffeId::parse(&ok).unwrap().as_str(), ok);
    let over = id_of_len("example.org", 2049);
    assert_eq!(
        SpiffeId::parse(&over).unwrap_err().code().as_str(),
        "invalid-spiffe-id"
    );
    assert_eq!(
        svidkit::parse_spiffe_id(&over).unwrap_err().code().as_str(),
        "invalid-spiffe-id"
    );
}

#[test]
fn spiffe_id_length_in_a_leaf_and_a_token() {
    let root = new_root(Kind::P256, "root");
    let bundles = x509_bundles(TD, &[&root.der]);
    let ok = id_of_len(TD, 2048);
    let over = id_of_len(TD, 2049);
    let leaf_ok = new_leaf(&ok, &root);
    assert_eq!(code(&verify_chain(&[&leaf_ok], &bundles, NOW)), "ok");
    let leaf_over = new_leaf(&over, &root);
    assert_eq!(
        code(&verify_chain(&[&leaf_over], &bundles, NOW)),
        "invalid-spiffe-id"
    );

    let key = JwtKey::p256();
    let jb = jwt_bundles(TD, &[key.entry("k")]);
    let mut c = claims();
    c["sub"] = json!(ok);
    assert_eq!(
        code(&verify_token(
            &token("ES256", Some("k"), &c, &key),
            &["api"],
            &jb,
            NOW
        )),
        "ok"
    );
    c["sub"] = json!(over);
    assert_eq!(
        code(&verify_token(
            &token("ES256", Some("k"), &c, &key),
            &["api"],
            &jb,
            NOW
        )),
        "invalid-spiffe-id"
    );
}

#[test]
fn trust_domain_of_255_bytes_parses_256_is_invalid() {
    let td255 = format!("{}.org", "a".repeat(251));
    let td256 = format!("{}.org", "a".repeat(252));
    assert_eq!((td255.len(), td256.len()), (255, 256));
    assert_eq!(TrustDomain::new(&td255).unwrap().as_str(), td255);
    assert_eq!(
        TrustDomain::new(&td256).unwrap_err().code().as_str(),
        "invalid-spiffe-id"
    );
    assert_eq!(
        SpiffeId::parse(&format!("spiffe://{td255}/a"))
            .unwrap()
            .trust_domain(),
        td255
    );
    assert_eq!(
        SpiffeId::parse(&format!("spiffe://{td255}"))
            .unwrap()
            .path(),
        ""
    );
    assert_eq!(
        SpiffeId::parse(&format!("spiffe://{td256}/a"))
            .unwrap_err()
            .code()
            .as_str(),
        "invalid-spiffe-id"
    );
    assert_eq!(
        SpiffeId::parse(&format!("spiffe://{td256}"))
            .unwrap_err()
            .code()
            .as_str(),
        "invalid-spiffe-id"
    );
    // As a BundleSet key.
    let mut set = BundleSet::new();
    assert!(set.add(&td255, b"{\"keys\": []}").is_ok());
    assert_eq!(
        set.add(&td256, b"{\"keys\": []}")
            .unwrap_err()
            .code()
            .as_str(),
        "invalid-spiffe-id"
    );
    // In a leaf and a token.
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(&format!("spiffe://{td256}/a"), &root);
    let mut bundles = BundleSet::new();
    bundles
        .add(&td255, x509_bundle_doc(&[&root.der]).as_bytes())
        .unwrap();
    assert_eq!(
        code(&verify_chain(&[&leaf], &bundles, NOW)),
        "invalid-spiffe-id"
    );
    let leaf = new_leaf(&format!("spiffe://{td255}/a"), &root);
    assert_eq!(code(&verify_chain(&[&leaf], &bundles, NOW)), "ok");
    let key = JwtKey::p256();
    let mut c = claims();
    c["sub"] = json!(format!("spiffe://{td256}/a"));
    let jb = jwt_bundles(&td255, &[key.entry("k")]);
    assert_eq!(
        code(&verify_token(
            &token("ES256", Some("k"), &c, &key),
            &["api"],
            &jb,
            NOW
        )),
        "invalid-spiffe-id"
    );
}
