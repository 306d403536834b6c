//! Writes the fuzz seeds and the fixed trust material of fuzz/ (fuzz/seeds/): a root and JWT
//! authorities, and valid chains, tokens, bundles, JWK Sets, PEM and SPIFFE IDs built against
//! them, so the fuzzers start from inputs that reach deep into verification.
//!
//! The files are committed; regenerate them (new keys, same shape) with
//! `cargo test --test fuzz_seeds -- --ignored`. The test that is not ignored checks that the
//! committed seeds still verify, so a change in the core that breaks them is noticed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use rcgen::{BasicConstraints, IsCa};
use serde_json::json;

/// 2100-01-01: the seeds stay valid for the fuzzers' fixed clock (NOW) and long after.
const FAR: u64 = 4_102_444_800;

fn dir(target: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    fs::create_dir_all(&d).unwrap();
    d
}

fn join_chain(certs: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in certs {
        out.extend_from_slice(&(c.len() as u16).to_be_bytes());
        out.extend_from_slice(c);
    }
    out
}

fn long_lived(mut p: rcgen::CertificateParams) -> rcgen::CertificateParams {
    p.not_before = at(NOW - 365 * DAY);
    p.not_after = at(FAR);
    p
}

#[test]
#[ignore = "writes fuzz/seeds; run by hand to regenerate"]
fn generate_fuzz_seeds() {
    let fixed = dir("fixed");
    let root = self_signed(
        long_lived(ca_params_td("fuzz-root", TD)),
        Key::new(Kind::P256),
    );
    fs::write(fixed.join("root.der"), &root.der).unwrap();

    // Chains against the root: direct, through intermediates of every key type, RSA-PSS.
    let x = dir("x509_chain");
    let leaf_params = |id: &str| long_lived(leaf_params(id));
    let direct = issue(
        leaf_params("spiffe://example.org/direct"),
        Key::new(Kind::P256),
        &root,
    );
    fs::write(x.join("direct"), join_chain(&[&direct.der])).unwrap();
    fs::write(
        x.join("direct-with-root"),
        join_chain(&[&direct.der, &root.der]),
    )
    .unwrap();
    let mut p = long_lived(ca_params_td("int-p384", TD));
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(1));
    p.custom_extensions = vec![uri_name_constraints(&[TD], &["evil.org"])];
    let i384 = issue(p, Key::new(Kind::P384), &root);
    let i521 = issue(
        long_lived(ca_params("int-p521")),
        Key::new(Kind::P521),
        &i384,
    );
    let l521 = issue(
        leaf_params("spiffe://example.org/deep/p521"),
        Key::new(Kind::Ed25519),
        &i521,
    );
    fs::write(
        x.join("two-intermediates"),
        join_chain(&[&l521.der, &i521.der, &i384.der]),
    )
    .unwrap();
    let ied = issue(
        long_lived(ca_params("int-ed25519")),
        Key::new(Kind::Ed25519),
        &root,
    );
    let led = issue(
        leaf_params("spiffe://example.org/ed"),
        Key::new(Kind::P256),
        &ied,
    );
    fs::write(x.join("ed25519"), join_chain(&[&led.der, &ied.der])).unwrap();
    let irsa = issue(
        long_lived(ca_params("int-rsa")),
        Key::new(Kind::Rsa2048),
        &root,
    );
    let lrsa = issue(
        leaf_params("spiffe://example.org/rsa"),
        Key::new(Kind::Rsa2048),
        &irsa,
    );
    fs::write(x.join("rsa"), join_chain(&[&lrsa.der, &irsa.der])).unwrap();
    let key = irsa.key.rsa_private();
    let pss = resign(&lrsa.der, &pss_alg_id(SHA256, SHA256, 32), |tbs| {
        rsa_pss_sign::<sha2::Sha256>(&key, tbs, 32)
    });
    fs::write(x.join("rsa-pss"), join_chain(&[&pss, &irsa.der])).unwrap();

    let pem = dir("pem");
    fs::write(pem.join("root.pem"), root.pem()).unwrap();
    fs::write(
        pem.join("chain.pem"),
        format!("{}{}{}", l521.pem(), i521.pem(), i384.pem()),
    )
    .unwrap();
    fs::write(pem.join("crlf.pem"), direct.pem().replace('\n', "\r\n")).unwrap();

    // JWT authorities and tokens.
    let (k1, k2, k3) = (JwtKey::p256(), JwtKey::p384(), JwtKey::rsa());
    let jwt_doc = json!({"spiffe_sequence": 7, "spiffe_refresh_hint": 300,
        "keys": [k1.entry("k1"), k2.entry("k2"), k3.entry("k3")]});
    fs::write(
        fixed.join("jwt-bundle.json"),
        serde_json::to_string_pretty(&jwt_doc).unwrap(),
    )
    .unwrap();
    let t = dir("jwt");
    let claims = json!({"sub": "spiffe://example.org/svc", "aud": ["api", "other"], "exp": FAR,
        "iat": NOW - 10, "nbf": NOW - 10, "jti": "j-1"});
    for (name, alg, kid, key) in [
        ("es256", "ES256", Some("k1"), &k1),
        ("es384", "ES384", Some("k2"), &k2),
        ("rs256", "RS256", Some("k3"), &k3),
        ("ps512", "PS512", Some("k3"), &k3),
        ("es256-no-kid", "ES256", None, &k1),
    ] {
        fs::write(t.join(name), token(alg, kid, &claims, key)).unwrap();
    }
    fs::write(
        t.join("aud-string"),
        token(
            "ES256",
            Some("k1"),
            &json!({"sub": "spiffe://example.org", "aud": "api", "exp": FAR}),
            &k1,
        ),
    )
    .unwrap();

    // Bundle documents and JWK Sets.
    let b = dir("bundle");
    let full = json!({"spiffe_sequence": 18446744073709551615u64, "spiffe_refresh_hint": 0, "keys": [
        x509_entry(&root.der), x509_entry(&irsa.der), k1.entry("k1"), k3.entry("k3"),
        JwtKey::ed25519().entry("okp"),
        {"kty": "EC", "crv": "P-521", "use": "jwt-svid", "kid": "k4", "x": JwtKey::p521().public_jwk()["x"], "y": JwtKey::p521().public_jwk()["y"]},
        {"kty": "oct", "use": "jwt-svid", "kid": "sym", "k": "c2VjcmV0"},
        {"kty": "EC", "use": "wit-svid", "x5c": []},
        {"kty": "RSA", "use": "x509-svid", "x5c": [root.b64(), irsa.b64()], "kid": "ignored"},
    ]});
    fs::write(
        b.join("full.json"),
        serde_json::to_string_pretty(&full).unwrap(),
    )
    .unwrap();
    fs::write(
        b.join("jwt-only.json"),
        serde_json::to_string(&jwt_doc).unwrap(),
    )
    .unwrap();
    fs::write(b.join("empty.json"), r#"{"keys":[]}"#).unwrap();
    let j = dir("jwks");
    let mut plain = k1.public_jwk();
    plain["kid"] = json!("a");
    let mut sig = k3.public_jwk();
    sig["use"] = json!("sig");
    sig["alg"] = json!("RS256");
    fs::write(
        j.join("oidc.json"),
        json!({"keys": [plain, sig, k2.public_jwk(), x509_entry(&root.der)]}).to_string(),
    )
    .unwrap();

    let s = dir("spiffe_id");
    for (i, id) in [
        "spiffe://example.org/ns/default/sa/api",
        "spiffe://example.org",
        "spiffe://a-b_c.1/A-z_0.9",
        "spiffe://td/./x",
        "spiffe://TD/x",
        "spiffe://td:80/x",
        "spiffe://td/x%2F",
        "example.org",
        "spiffe://example.org/*",
    ]
    .iter()
    .enumerate()
    {
        fs::write(s.join(format!("id{i}")), id).unwrap();
    }
    generate_derived_seeds();
}

/// The seeds made from the other targets' committed seeds, so they make no new keys: der_chain's
/// are x509_chain's as concatenated DER; inspect's are a mode byte (fuzz/src/lib.rs `inspect`)
/// before tokens, PEM and base64 as pasted text, chains as DER elements and a bundle document,
/// with and without the policy.
#[test]
#[ignore = "writes fuzz/seeds/der_chain and fuzz/seeds/inspect; run by hand to regenerate"]
fn generate_derived_seeds() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let read = |p: &str| fs::read(seeds.join(p)).unwrap();
    let concatenated = dir("der_chain");
    for entry in fs::read_dir(seeds.join("x509_chain")).unwrap() {
        let entry = entry.unwrap();
        let mut rest = fs::read(entry.path()).unwrap();
        let mut joined = Vec::new();
        while !rest.is_empty() {
            let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            joined.extend_from_slice(&rest[2..2 + len]);
            rest.drain(..2 + len);
        }
        fs::write(concatenated.join(entry.file_name()), joined).unwrap();
    }
    let out = dir("inspect");
    let direct = read("x509_chain/direct");
    let leaf = &direct[2..2 + usize::from(u16::from_be_bytes([direct[0], direct[1]]))];
    let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(leaf);
    for (name, mode, body) in [
        ("jwt-es256", 0, read("jwt/es256")),
        ("jwt-es256-policy", 1, read("jwt/es256")),
        ("jwt-aud-string", 0, read("jwt/aud-string")),
        ("jwt-rs256-policy", 1, read("jwt/rs256")),
        ("pem-chain", 0, read("pem/chain.pem")),
        ("pem-chain-policy", 1, read("pem/chain.pem")),
        ("pem-root", 0, read("pem/root.pem")),
        ("base64-leaf", 0, b64.into_bytes()),
        ("der-direct-policy", 3, direct.clone()),
        (
            "der-two-intermediates",
            2,
            read("x509_chain/two-intermediates"),
        ),
        ("der-ed25519", 2, read("x509_chain/ed25519")),
        ("bundle-full", 0, read("bundle/full.json")),
    ] {
        let mut seed = vec![mode];
        seed.extend_from_slice(&body);
        fs::write(out.join(name), seed).unwrap();
    }
}

/// The committed seeds still do what they were made for: every chain and token verifies.
#[test]
fn committed_seeds_verify() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let root = fs::read(seeds.join("fixed/root.der")).unwrap();
    let x509 = x509_bundles(TD, &[&root]);
    for entry in fs::read_dir(seeds.join("x509_chain")).unwrap() {
        let data = fs::read(entry.unwrap().path()).unwrap();
        let mut chain = Vec::new();
        let mut rest = data.as_slice();
        while !rest.is_empty() {
            let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
            chain.push(&rest[2..2 + len]);
            rest = &rest[2 + len..];
        }
        assert_eq!(code(&verify_ders(&chain, &x509, NOW)), "ok");
    }
    let mut jwt = svidkit::BundleSet::new();
    jwt.add(TD, &fs::read(seeds.join("fixed/jwt-bundle.json")).unwrap())
        .unwrap();
    for entry in fs::read_dir(seeds.join("jwt")).unwrap() {
        let token = fs::read_to_string(entry.unwrap().path()).unwrap();
        assert_eq!(code(&verify_token(&token, &["api"], &jwt, NOW)), "ok");
    }
}
