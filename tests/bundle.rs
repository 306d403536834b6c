//! SPIFFE bundle documents, PEM bundles and plain JWK Sets: every skip rule, every document-level
//! fault, `spiffe_sequence` precision, de-duplication, `x5c` handling. Expected results come from
//! DESIGN.md "Bundles" and the Trust Domain and Bundle standard.

mod common;

use base64ct::{Base64, Encoding};
use common::*;
use serde_json::{json, Value};
use svidkit::BundleSet;

/// (x509 authorities, jwt authorities) or the error code.
fn counts(doc: &str) -> Result<(usize, usize), &'static str> {
    let mut set = BundleSet::new();
    set.add(TD, doc.as_bytes())
        .map(|b| (b.x509_authorities().len(), b.jwt_authorities().len()))
        .map_err(|e| e.code().as_str())
}

fn keys(entries: Vec<Value>) -> String {
    json!({ "keys": entries }).to_string()
}

fn ca() -> Cert {
    new_root(Kind::P256, "root")
}

#[test]
fn skipped_entries() {
    let root = ca();
    let x5c = json!([root.b64()]);
    let ec = JwtKey::p256();
    let rsa = JwtKey::rsa();
    let skipped = vec![
        // Unknown or missing kty.
        json!({"kty": "XYZ", "use": "x509-svid", "x5c": x5c}),
        json!({"use": "x509-svid", "x5c": x5c}),
        json!({"kty": "ec", "use": "jwt-svid", "kid": "lower-kty", "crv": "P-256", "x": ec.public_jwk()["x"], "y": ec.public_jwk()["y"]}),
        // Missing or unknown use (values are case-sensitive), wit-svid included.
        json!({"kty": "EC", "x5c": x5c}),
        json!({"kty": "EC", "use": "wit-svid", "x5c": x5c}),
        json!({"kty": "EC", "use": "X509-SVID", "x5c": x5c}),
        json!({"kty": "EC", "use": "sig", "kid": "sig", "crv": "P-256", "x": ec.public_jwk()["x"], "y": ec.public_jwk()["y"]}),
        json!({"kty": "EC", "use": 1, "x5c": x5c}),
        // x509-svid without x5c, or with an empty one.
        json!({"kty": "EC", "use": "x509-svid"}),
        json!({"kty": "EC", "use": "x509-svid", "x5c": []}),
        // jwt-svid without kid.
        {
            let mut k = ec.public_jwk();
            k["use"] = json!("jwt-svid");
            k
        },
        // jwt-svid of a kty no JWT-SVID algorithm uses.
        JwtKey::ed25519().entry("okp"),
        json!({"kty": "oct", "use": "jwt-svid", "kid": "oct", "k": "c2VjcmV0"}),
        // jwt-svid with private members.
        {
            let mut k = ec.entry("ec-private");
            k["d"] = json!(b64url(&[1; 32]));
            k
        },
        {
            let mut k = rsa.entry("rsa-private");
            k["p"] = json!("AQAB");
            k["q"] = json!("AQAB");
            k
        },
    ];
    for entry in &skipped {
        assert_eq!(counts(&keys(vec![entry.clone()])), Ok((0, 0)), "{entry}");
    }
    // Skipped entries do not disturb the rest.
    let mut all = skipped.clone();
    all.push(x509_entry(&root.der));
    all.push(ec.entry("ec"));
    all.push(rsa.entry("rsa"));
    assert_eq!(counts(&keys(all)), Ok((1, 2)));
}

#[test]
fn invalid_documents() {
    for doc in [
        "[]",
        "\"keys\"",
        "42",
        "null",
        "true",
        "{}",
        r#"{"keys": null}"#,
        r#"{"keys": {}}"#,
        r#"{"keys": "[]"}"#,
        r#"{"keys": 1}"#,
        r#"{"Keys": []}"#,
        r#"{"keys": [], "spiffe_sequence": -1}"#,
        r#"{"keys": [], "spiffe_sequence": 1.5}"#,
        r#"{"keys": [], "spiffe_sequence": 1.0}"#,
        r#"{"keys": [], "spiffe_sequence": 1e3}"#,
        r#"{"keys": [], "spiffe_sequence": "1"}"#,
        r#"{"keys": [], "spiffe_sequence": 18446744073709551616}"#,
        r#"{"keys": [], "spiffe_refresh_hint": -300}"#,
        r#"{"keys": [], "spiffe_refresh_hint": 300.5}"#,
        r#"{"keys": [], "spiffe_refresh_hint": "300"}"#,
        r#"{"keys": [], "spiffe_refresh_hint": [300]}"#,
    ] {
        assert_eq!(counts(doc), Err("invalid-bundle"), "{doc}");
    }
}

#[test]
fn text_that_is_not_json_is_malformed() {
    for doc in [
        "",
        " ",
        "{",
        "keys",
        "{\"keys\": []",
        "{'keys': []}",
        "{\"keys\": [],}",
        "\u{feff}{\"keys\": []}",
    ] {
        assert_eq!(counts(doc), Err("malformed"), "{doc:?}");
    }
    let mut set = BundleSet::new();
    assert_eq!(
        set.add(TD, &[0xff, 0xfe, 0x7b, 0x7d])
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
}

#[test]
fn x5c_values_must_be_strict_base64_der() {
    let root = ca();
    let b64 = root.b64();
    let mut bad: Vec<Value> = vec![
        json!("!!!not base64!!!"),
        json!(format!(" {b64}")),
        json!(format!("{b64}\n")),
        json!(root.pem()),
        json!(Base64::encode_string(b"not a certificate")),
        json!(Base64::encode_string(&[root.der.clone(), vec![0]].concat())),
        json!(42),
    ];
    let urlsafe = b64.replace('+', "-").replace('/', "_");
    if urlsafe != b64 {
        bad.push(json!(urlsafe));
    }
    // Padding is required, and no more than needed. Whether there is any depends on the DER's
    // length, which varies with the ECDSA signature's.
    bad.push(json!(format!("{b64}=")));
    if b64.ends_with('=') {
        bad.push(json!(b64.trim_end_matches('=')));
    }
    for value in bad {
        let doc = keys(vec![
            json!({"kty": "EC", "use": "x509-svid", "x5c": [value]}),
        ]);
        assert_eq!(counts(&doc), Err("malformed"), "{value}");
    }
}

#[test]
fn sequence_and_refresh_hint() {
    let get = |doc: &str| {
        let mut set = BundleSet::new();
        let b = set.add(TD, doc.as_bytes()).unwrap();
        (b.sequence(), b.refresh_hint())
    };
    assert_eq!(get(r#"{"keys": []}"#), (None, None));
    assert_eq!(
        get(r#"{"keys": [], "spiffe_sequence": 0, "spiffe_refresh_hint": 0}"#),
        (Some(0), Some(0))
    );
    assert_eq!(
        get(r#"{"keys": [], "spiffe_sequence": 18446744073709551615}"#),
        (Some(u64::MAX), None)
    );
    assert_eq!(
        get(r#"{"keys": [], "spiffe_sequence": 9007199254740993}"#),
        (Some(9_007_199_254_740_993), None)
    );
    assert_eq!(
        get(r#"{"keys": [], "spiffe_sequence": 18446744073709551614}"#),
        (Some(u64::MAX - 1), None)
    );
    assert_eq!(
        get(r#"{"keys": [], "spiffe_refresh_hint": 2419200}"#),
        (None, Some(2_419_200))
    );
}

#[test]
fn unknown_members_are_ignored() {
    let root = ca();
    let ec = JwtKey::p256();
    let mut x = x509_entry(&root.der);
    x["kid"] = json!("ignored on x509-svid entries");
    x["x5t#S256"] = json!("whatever");
    x["extra"] = json!({"nested": [1, 2]});
    let mut j = ec.entry("k");
    j["alg"] = json!("ES256");
    j["key_ops"] = json!(["verify"]);
    j["extra"] = json!(null);
    let doc =
        json!({"keys": [x, j], "spiffe_sequence": 3, "other": {"a": 1}, "spiffe_unknown": true})
            .to_string();
    assert_eq!(counts(&doc), Ok((1, 1)));
}

#[test]
fn x509_authority_whatever_its_kty() {
    let root = ca();
    for kty in ["EC", "RSA", "OKP"] {
        let doc = keys(vec![
            json!({"kty": kty, "use": "x509-svid", "x5c": [root.b64()]}),
        ]);
        assert_eq!(counts(&doc), Ok((1, 0)), "{kty}");
    }
    // An RSA CA listed with kty EC still verifies its leaves.
    let rsa_root = new_root(Kind::Rsa2048, "rsa-root");
    let leaf = new_leaf("spiffe://example.org/w", &rsa_root);
    let mut set = BundleSet::new();
    set.add(
        TD,
        keys(vec![
            json!({"kty": "EC", "use": "x509-svid", "x5c": [rsa_root.b64()]}),
        ])
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(code(&verify_chain(&[&leaf], &set, NOW)), "ok");
}

#[test]
fn same_ca_twice_is_one_authority() {
    let root = ca();
    let other = new_root(Kind::P384, "other");
    assert_eq!(
        counts(&x509_bundle_doc(&[&root.der, &root.der])),
        Ok((1, 0))
    );
    assert_eq!(
        counts(&x509_bundle_doc(&[&root.der, &other.der, &root.der])),
        Ok((2, 0))
    );
    // The same key under two entries of different kty is still one authority.
    let doc = keys(vec![
        json!({"kty": "EC", "use": "x509-svid", "x5c": [root.b64()]}),
        json!({"kty": "RSA", "use": "x509-svid", "x5c": [root.b64()], "kid": "x"}),
    ]);
    assert_eq!(counts(&doc), Ok((1, 0)));
}

#[test]
fn x5c_with_several_certificates_uses_the_first() {
    let first = new_root(Kind::P256, "first");
    let second = new_root(Kind::P256, "second");
    let doc = keys(vec![
        json!({"kty": "EC", "use": "x509-svid", "x5c": [first.b64(), second.b64()]}),
    ]);
    assert_eq!(counts(&doc), Ok((1, 0)));
    let mut set = BundleSet::new();
    set.add(TD, doc.as_bytes()).unwrap();
    assert_eq!(
        code(&verify_chain(
            &[&new_leaf("spiffe://example.org/a", &first)],
            &set,
            NOW
        )),
        "ok"
    );
    assert_eq!(
        code(&verify_chain(
            &[&new_leaf("spiffe://example.org/a", &second)],
            &set,
            NOW
        )),
        "untrusted"
    );
}

#[test]
fn duplicate_kid_is_invalid_bundle() {
    let (a, b) = (JwtKey::p256(), JwtKey::rsa());
    assert_eq!(
        counts(&keys(vec![a.entry("k"), b.entry("k")])),
        Err("invalid-bundle")
    );
    assert_eq!(
        counts(&keys(vec![a.entry("k"), a.entry("k")])),
        Err("invalid-bundle"),
        "even the same key"
    );
    // A kept-but-unsupported key still takes part.
    assert_eq!(
        counts(&keys(vec![JwtKey::rsa1024().entry("k"), a.entry("k")])),
        Err("invalid-bundle")
    );
    // Same kid on an x509-svid entry does not count (its kid is ignored).
    let root = ca();
    let mut x = x509_entry(&root.der);
    x["kid"] = json!("k");
    assert_eq!(counts(&keys(vec![x, a.entry("k")])), Ok((1, 1)));
}

#[test]
fn small_rsa_and_other_curves_are_kept_and_counted() {
    let other_curve = json!({"kty": "EC", "crv": "P-192", "use": "jwt-svid", "kid": "p192",
        "x": b64url(&[3; 24]), "y": b64url(&[4; 24])});
    let k1 = json!({"kty": "EC", "crv": "secp256k1", "use": "jwt-svid", "kid": "k1",
        "x": b64url(&[1; 32]), "y": b64url(&[2; 32])});
    let doc = keys(vec![
        JwtKey::rsa1024().entry("rsa1024"),
        other_curve,
        k1,
        JwtKey::p256().entry("ok"),
    ]);
    assert_eq!(counts(&doc), Ok((0, 4)));
}

#[test]
fn failed_add_leaves_the_set_unchanged() {
    let root = ca();
    let mut set = x509_bundles(TD, &[&root.der]);
    assert!(set.add(TD, b"{\"keys\": 1}").is_err());
    assert_eq!(set.get(TD).unwrap().x509_authorities().len(), 1);
    assert!(set.add_pem(TD, "no pem here").is_err());
    assert_eq!(set.get(TD).unwrap().x509_authorities().len(), 1);
    assert!(set.add_jwks(TD, b"[]").is_err());
    assert_eq!(set.get(TD).unwrap().x509_authorities().len(), 1);
    // A successful add replaces the trust domain's bundle.
    set.add(TD, b"{\"keys\": []}").unwrap();
    assert_eq!(set.get(TD).unwrap().x509_authorities().len(), 0);
}

#[test]
fn bundle_set_keys_follow_the_trust_domain_rule() {
    let mut set = BundleSet::new();
    for td in [
        "Example.org",
        "spiffe://example.org",
        "example.org/",
        "",
        "exa mple.org",
        "example.org:443",
        "exämple.org",
    ] {
        assert_eq!(
            set.add(td, b"{\"keys\": []}").unwrap_err().code().as_str(),
            "invalid-spiffe-id",
            "{td:?}"
        );
        assert_eq!(
            set.add_pem(td, &ca().pem()).unwrap_err().code().as_str(),
            "invalid-spiffe-id",
            "{td:?}"
        );
        assert_eq!(
            set.add_jwks(td, b"{\"keys\": []}")
                .unwrap_err()
                .code()
                .as_str(),
            "invalid-spiffe-id",
            "{td:?}"
        );
    }
    for td in ["b.org", "a.org", "1.2.3.4", "a_b-c.d"] {
        set.add(td, b"{\"keys\": []}").unwrap();
    }
    assert_eq!(
        set.trust_domains().collect::<Vec<_>>(),
        ["1.2.3.4", "a.org", "a_b-c.d", "b.org"]
    );
    // Replacing keeps one bundle per trust domain; get and remove find each one wherever it sits.
    let replaced = set
        .add("a.org", br#"{"spiffe_refresh_hint": 60, "keys": []}"#)
        .unwrap();
    assert_eq!(replaced.refresh_hint(), Some(60));
    assert_eq!(set.len(), 4);
    for td in ["1.2.3.4", "a.org", "a_b-c.d", "b.org"] {
        assert_eq!(set.get(td).unwrap().trust_domain().as_str(), td);
    }
    assert_eq!(set.get("a.org").unwrap().refresh_hint(), Some(60));
    assert!(set.get("c.org").is_none() && set.get("0.org").is_none());
    assert!(set.remove("a_b-c.d"));
    assert!(!set.remove("a_b-c.d"));
    assert!(set.remove("1.2.3.4") && set.remove("b.org"));
    assert_eq!(set.trust_domains().collect::<Vec<_>>(), ["a.org"]);
    assert_eq!(
        set.bundles()
            .map(|b| b.trust_domain().as_str())
            .collect::<Vec<_>>(),
        ["a.org"]
    );
    assert!(set.remove("a.org") && set.is_empty());
}

// ----------------------------------------------------------------------------------------------
// PEM bundles

#[test]
fn pem_bundles() {
    let a = new_root(Kind::P256, "a");
    let b = new_root(Kind::Rsa2048, "b");
    let pem = format!("Subject: a\n{}\nexplanatory text\n{}", a.pem(), b.pem());
    let mut set = BundleSet::new();
    assert_eq!(set.add_pem(TD, &pem).unwrap().x509_authorities().len(), 2);
    assert_eq!(
        code(&verify_chain(
            &[&new_leaf("spiffe://example.org/x", &b)],
            &set,
            NOW
        )),
        "ok"
    );
    // CRLF line endings.
    let mut set = BundleSet::new();
    assert_eq!(
        set.add_pem(TD, &a.pem().replace('\n', "\r\n"))
            .unwrap()
            .x509_authorities()
            .len(),
        1
    );
    // Adding the same certificate again keeps one authority; adding to a document's bundle keeps its keys.
    let mut set = BundleSet::new();
    set.add(TD, keys(vec![JwtKey::p256().entry("k")]).as_bytes())
        .unwrap();
    set.add_pem(TD, &a.pem()).unwrap();
    let bundle = set.add_pem(TD, &a.pem()).unwrap();
    assert_eq!(
        (
            bundle.x509_authorities().len(),
            bundle.jwt_authorities().len()
        ),
        (1, 1)
    );
}

#[test]
fn bad_pem_is_malformed() {
    let a = new_root(Kind::P256, "a");
    let pem = a.pem();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let cases = [
        String::new(),
        "just text".to_string(),
        body.clone(),
        pem.replace("-----END CERTIFICATE-----\n", ""),
        pem.replace("CERTIFICATE", "PRIVATE KEY"),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            &body[..body.len() - 4]
        ),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}!\n-----END CERTIFICATE-----\n",
            body
        ),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            Base64::encode_string(b"not der")
        ),
    ];
    for case in &cases {
        let mut set = BundleSet::new();
        assert_eq!(
            set.add_pem(TD, case).unwrap_err().code().as_str(),
            "malformed",
            "{case:?}"
        );
    }
}

// ----------------------------------------------------------------------------------------------
// Plain JWK Sets (BundleSet::add_jwks)

#[test]
fn plain_jwks() {
    let (a, b, c) = (JwtKey::p256(), JwtKey::rsa(), JwtKey::p521());
    let mut ka = a.public_jwk();
    ka["kid"] = json!("a");
    ka["alg"] = json!("ES256");
    let mut kb = b.public_jwk();
    kb["use"] = json!("sig");
    let mut kc = c.public_jwk();
    kc["kid"] = json!("c");
    let enc = {
        let mut k = JwtKey::p256().public_jwk();
        k["use"] = json!("enc");
        k["kid"] = json!("enc");
        k
    };
    let okp = JwtKey::ed25519().public_jwk();
    let private = {
        let mut k = JwtKey::p256().public_jwk();
        k["d"] = json!(b64url(&[9; 32]));
        k
    };
    let jwks = json!({"keys": [ka, kb, kc, enc, okp, private]}).to_string();
    let mut set = BundleSet::new();
    let bundle = set.add_jwks(TD, jwks.as_bytes()).unwrap();
    assert_eq!(
        (
            bundle.x509_authorities().len(),
            bundle.jwt_authorities().len()
        ),
        (0, 3)
    );
    assert_eq!(
        check_token(&token("ES512", Some("c"), &claims(), &c), &set),
        "ok"
    );
    assert_eq!(
        check_token(&token("RS256", None, &claims(), &b), &set),
        "ok"
    );
    // A JWK Set's `keys` rules are the bundle document's.
    for doc in ["{}", "[]", r#"{"keys": null}"#, r#"{"keys": {}}"#] {
        assert_eq!(
            BundleSet::new()
                .add_jwks(TD, doc.as_bytes())
                .unwrap_err()
                .code()
                .as_str(),
            "invalid-bundle",
            "{doc}"
        );
    }
    assert_eq!(
        BundleSet::new()
            .add_jwks(TD, b"{")
            .unwrap_err()
            .code()
            .as_str(),
        "malformed"
    );
}

#[test]
fn adding_a_jwk_set_again_is_a_refresh_but_a_new_key_under_a_held_kid_is_refused() {
    let (a, b) = (JwtKey::p256(), JwtKey::p256());
    let mut ka = a.public_jwk();
    ka["kid"] = json!("k1");
    let jwks = json!({"keys": [ka]}).to_string();
    let mut set = BundleSet::new();
    set.add_jwks(TD, jwks.as_bytes()).unwrap();
    let again = set.add_jwks(TD, jwks.as_bytes()).unwrap();
    assert_eq!(again.jwt_authorities().len(), 1);
    let mut kb = b.public_jwk();
    kb["kid"] = json!("k1");
    let other = json!({"keys": [kb]}).to_string();
    let err = set.add_jwks(TD, other.as_bytes()).unwrap_err();
    assert_eq!(err.code().as_str(), "invalid-bundle");
    // A failed add leaves the set as it was: the first key still verifies.
    assert_eq!(set.get(TD).unwrap().jwt_authorities().len(), 1);
    assert_eq!(
        check_token(&token("ES256", Some("k1"), &claims(), &a), &set),
        "ok"
    );
}

fn check_token(t: &str, set: &BundleSet) -> &'static str {
    code(&verify_token(t, &["api"], set, NOW))
}

#[test]
fn x5c_certificate_with_mismatched_signature_algorithms_is_not_an_svid_error() {
    // RFC 5280 §4.1.1.2: signatureAlgorithm must equal TBSCertificate.signature. A bundle that
    // carries such a certificate fails as a bundle (its x5c is not a valid certificate), never
    // with an SVID's code.
    let root = ca();
    let outer = children(content(&root.der));
    let other_alg = alg_id("1.2.840.10045.4.3.3", None); // ecdsa-with-SHA384; the TBS says SHA-256
    let bad = der(
        0x30,
        &[outer[0].to_vec(), other_alg, outer[2].to_vec()].concat(),
    );
    let doc = keys(vec![
        json!({"kty": "EC", "use": "x509-svid", "x5c": [Base64::encode_string(&bad)]}),
    ]);
    assert_eq!(counts(&doc), Err("malformed"));
    let mut set = BundleSet::new();
    assert_eq!(
        set.add_pem(TD, &pem_of(&bad)).unwrap_err().code().as_str(),
        "malformed"
    );
}

#[test]
fn x5c_certificate_with_a_duplicated_extension_is_not_an_svid_error() {
    let mut p = ca_params("root");
    p.custom_extensions = vec![unknown_extension(false), unknown_extension(false)];
    let root = self_signed(p, Key::new(Kind::P256));
    assert_eq!(counts(&x509_bundle_doc(&[&root.der])), Err("malformed"));
}
