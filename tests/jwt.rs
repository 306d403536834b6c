//! JWT-SVID verification with tokens signed at test time: every JWT-SVID algorithm and the
//! refused ones, the header profile, claim types, key selection, time bounds to the second and
//! audience rules. Expected codes come from DESIGN.md ("Order and strictness" decides which of
//! two codes wins).

mod common;

use base64ct::Encoding;
use common::*;
use serde_json::{json, Value};
use svidkit::{ErrorCode, Options};

fn check(token: &str, bundles: &svidkit::BundleSet) -> &'static str {
    code(&verify_token(token, &["api"], bundles, NOW))
}

/// One key under kid "k1" in example.org.
fn single(key: &JwtKey) -> svidkit::BundleSet {
    jwt_bundles(TD, &[key.entry("k1")])
}

// ----------------------------------------------------------------------------------------------
// Algorithms

#[test]
fn every_jwt_svid_algorithm_verifies() {
    let cases = [
        ("ES256", JwtKey::p256()),
        ("ES384", JwtKey::p384()),
        ("ES512", JwtKey::p521()),
        ("RS256", JwtKey::rsa()),
        ("RS384", JwtKey::rsa()),
        ("RS512", JwtKey::rsa()),
        ("PS256", JwtKey::rsa()),
        ("PS384", JwtKey::rsa()),
        ("PS512", JwtKey::rsa()),
    ];
    for (alg, key) in &cases {
        let bundles = single(key);
        let t = token(alg, Some("k1"), &claims(), key);
        let svid =
            verify_token(&t, &["api"], &bundles, NOW).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(svid.spiffe_id.as_str(), SUB, "{alg}");
        assert_eq!(svid.expires_at, (NOW + 300) as i64, "{alg}");
        assert_eq!(svid.algorithm.name(), *alg);
        // Without kid, the key is found by trying every authority that fits the alg.
        let t = token(alg, None, &claims(), key);
        assert_eq!(check(&t, &bundles), "ok", "{alg} without kid");
    }
}

#[test]
fn result_fields() {
    let key = JwtKey::p256();
    let mut c = claims();
    c["aud"] = json!(["api", "other"]);
    c["jti"] = json!("token-1");
    c["nbf"] = json!(NOW - 5);
    c["custom"] = json!({"x": [1, 2]});
    let t = token("ES256", Some("k1"), &c, &key);
    let svid = verify_token(&t, &["other"], &single(&key), NOW).unwrap();
    assert_eq!(svid.spiffe_id.trust_domain(), TD);
    assert_eq!(svid.spiffe_id.path(), "/workload");
    assert_eq!(svid.audience, ["api", "other"]);
    assert_eq!(svid.issued_at, Some((NOW - 10) as i64));
    assert_eq!(svid.not_before, Some((NOW - 5) as i64));
    assert_eq!(svid.jti.as_deref(), Some("token-1"));
    assert_eq!(svid.kid.as_deref(), Some("k1"));
    assert_eq!(svid.claims["custom"].to_json(), r#"{"x":[1,2]}"#);
    assert_eq!(svid.claims["custom"]["x"][1].as_i64(), Some(2));
    // Every claim, as the token carried it (members sorted by key).
    let all: serde_json::Value = serde_json::from_str(&svid.claims.to_json()).unwrap();
    assert_eq!(all, c);
}

#[test]
fn refused_algorithms_are_unsupported_before_any_key_is_looked_at() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let empty = svidkit::BundleSet::new();
    // EdDSA with a real Ed25519 signature.
    let ed = JwtKey::ed25519();
    let t = token("EdDSA", Some("k1"), &claims(), &ed);
    assert_eq!(check(&t, &bundles), "unsupported-algorithm");
    assert_eq!(
        check(&t, &empty),
        "unsupported-algorithm",
        "before the bundle is looked up"
    );
    // A bundle that lists the Ed25519 key (OKP keys are skipped by the bundle rules anyway).
    let okp = jwt_bundles(TD, &[ed.entry("k1")]);
    assert_eq!(check(&t, &okp), "unsupported-algorithm");
    // HS256 with a real HMAC.
    let t = token("HS256", Some("k1"), &claims(), &key);
    assert_eq!(check(&t, &bundles), "unsupported-algorithm");
    // none, with and without a signature; and near-misses of allowed names.
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none"}"#),
        b64url(claims().to_string().as_bytes())
    );
    assert_eq!(check(&none, &bundles), "unsupported-algorithm");
    for alg in [
        "none", "None", "NONE", "es256", "ES256 ", "RS1", "PS256K", "ES256K", "RSA-OAEP", "",
    ] {
        let header = json!({"alg": alg, "kid": "k1"});
        let t = token_raw(&header, &claims(), &key, "ES256");
        assert_eq!(check(&t, &bundles), "unsupported-algorithm", "alg {alg:?}");
    }
    // Refused alg wins over every later defect: crit header, bad sub, unknown kid, expired.
    let t = token_raw(
        &json!({"alg": "HS256", "crit": ["exp"], "kid": "nope"}),
        &json!({"sub": "not a spiffe id", "aud": "x", "exp": 1}),
        &key,
        "HS256",
    );
    assert_eq!(check(&t, &bundles), "unsupported-algorithm");
}

#[test]
fn alg_not_fitting_the_key_is_bad_signature() {
    let p256 = JwtKey::p256();
    let p384 = JwtKey::p384();
    let rsa = JwtKey::rsa();
    // ES384 over a P-256 key, signed by that key with SHA-384 (a real signature a lenient
    // verifier could accept).
    let t = token("ES384", Some("k1"), &claims(), &p256);
    assert_eq!(check(&t, &single(&p256)), "bad-signature");
    // ES512 on a P-384 key.
    let t = token_raw(
        &json!({"alg": "ES512", "kid": "k1"}),
        &claims(),
        &p384,
        "ES384",
    );
    assert_eq!(check(&t, &single(&p384)), "bad-signature");
    // ES256 on an RSA key; RS256 / PS256 on an EC key.
    let t = token("ES256", Some("k1"), &claims(), &p256);
    assert_eq!(check(&t, &single(&rsa)), "bad-signature");
    let t = token("RS256", Some("k1"), &claims(), &rsa);
    assert_eq!(check(&t, &single(&p256)), "bad-signature");
    let t = token("PS256", Some("k1"), &claims(), &rsa);
    assert_eq!(check(&t, &single(&p256)), "bad-signature");
    // PKCS#1 v1.5 signature under a PS256 header and the other way round.
    let t = token_raw(
        &json!({"alg": "PS256", "kid": "k1"}),
        &claims(),
        &rsa,
        "RS256",
    );
    assert_eq!(check(&t, &single(&rsa)), "bad-signature");
    let t = token_raw(
        &json!({"alg": "RS256", "kid": "k1"}),
        &claims(),
        &rsa,
        "PS256",
    );
    assert_eq!(check(&t, &single(&rsa)), "bad-signature");
    // RS384 header, RS256 signature.
    let t = token_raw(
        &json!({"alg": "RS384", "kid": "k1"}),
        &claims(),
        &rsa,
        "RS256",
    );
    assert_eq!(check(&t, &single(&rsa)), "bad-signature");
}

#[test]
fn pss_salt_must_be_the_hash_length() {
    // RFC 7518 §3.5: PS256 uses a 32-byte salt.
    let JwtKey::Rsa(k) = JwtKey::rsa() else {
        unreachable!()
    };
    let header = json!({"alg": "PS256", "kid": "k1"});
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims().to_string().as_bytes())
    );
    let sig = rsa_pss_sign::<sha2::Sha256>(&k, input.as_bytes(), 0);
    let t = format!("{input}.{}", b64url(&sig));
    assert_eq!(check(&t, &single(&JwtKey::rsa())), "bad-signature");
}

#[test]
fn rsa_public_exponent_out_of_range_is_kept_and_unsupported() {
    // RFC 8017 §3.1 allows any 3 ≤ e < n; svidkit (the rsa crate, like BoringSSL) verifies with
    // e ≤ 2^33 − 1 only. Such a key is valid JWK, so the bundle keeps and counts it.
    let good = JwtKey::rsa();
    for (label, e) in [
        ("2^33 + 1", vec![0x02, 0, 0, 0, 0x01]),
        (
            "a 41-bit prime",
            1_754_969_641_121u64.to_be_bytes().to_vec(),
        ),
        ("over 64 bits", vec![0x01, 0, 0, 0, 0, 0, 0, 0, 0x01]),
    ] {
        let mut odd = good.entry("odd");
        odd["e"] = serde_json::json!(b64url(&e));
        let bundles = jwt_bundles(TD, &[odd, JwtKey::p256().entry("ec")]);
        assert_eq!(
            bundles.get(TD).unwrap().jwt_authorities().len(),
            2,
            "{label}: kept and counted"
        );
        let t = token("RS256", Some("odd"), &claims(), &good);
        assert_eq!(check(&t, &bundles), "unsupported-algorithm", "{label}");
    }
    // An even or too small exponent is no RSA key (RFC 8017 §3.1: e odd, 3 ≤ e): the bundle is invalid.
    for (label, e) in [
        ("even", vec![0x01, 0x00, 0x00]),
        ("1", vec![0x01]),
        ("0", vec![0x00]),
    ] {
        let mut bad = good.entry("bad");
        bad["e"] = serde_json::json!(b64url(&e));
        let doc = serde_json::json!({ "keys": [bad] }).to_string();
        let err = svidkit::BundleSet::new()
            .add(TD, doc.as_bytes())
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidBundle, "{label}: {err}");
    }
}

#[test]
fn rsa_under_2048_bits_selected_is_unsupported() {
    let small = JwtKey::rsa1024();
    let bundles = jwt_bundles(TD, &[small.entry("small"), JwtKey::p256().entry("ec")]);
    assert_eq!(
        bundles.get(TD).unwrap().jwt_authorities().len(),
        2,
        "the small key is kept and counted"
    );
    for alg in ["RS256", "PS256"] {
        let t = token(alg, Some("small"), &claims(), &small);
        assert_eq!(check(&t, &bundles), "unsupported-algorithm", "{alg} by kid");
    }
    // Without kid it is the only RSA key: selected, refused.
    let t = token("RS256", None, &claims(), &small);
    assert_eq!(check(&t, &bundles), "unsupported-algorithm", "without kid");
}

#[test]
fn ec_key_on_another_curve_selected_is_unsupported() {
    let k1 = json!({"kty": "EC", "crv": "secp256k1", "use": "jwt-svid", "kid": "k1",
        "x": b64url(&[1; 32]), "y": b64url(&[2; 32])});
    let bundles = jwt_bundles(TD, &[k1]);
    assert_eq!(
        bundles.get(TD).unwrap().jwt_authorities().len(),
        1,
        "kept and counted"
    );
    let key = JwtKey::p256();
    for alg in ["ES256", "ES384", "RS256"] {
        let t = token_raw(
            &json!({"alg": alg, "kid": "k1"}),
            &claims(),
            &key,
            if alg == "RS256" { "ES256" } else { alg },
        );
        assert_eq!(check(&t, &bundles), "unsupported-algorithm", "{alg}");
    }
}

#[test]
fn signature_encoding() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let t = token("ES256", Some("k1"), &claims(), &key);
    let (input, sig) = t.rsplit_once('.').unwrap();
    let sig = base64ct::Base64UrlUnpadded::decode_vec(sig).unwrap();
    // DER (ASN.1) instead of R‖S.
    let der = ecdsa_fixed_to_der(&sig);
    assert_eq!(
        check(&format!("{input}.{}", b64url(&der)), &bundles),
        "bad-signature"
    );
    // Wrong lengths.
    assert_eq!(
        check(&format!("{input}.{}", b64url(&sig[..63])), &bundles),
        "bad-signature"
    );
    assert_eq!(
        check(
            &format!("{input}.{}", b64url(&[sig.clone(), vec![0]].concat())),
            &bundles
        ),
        "bad-signature"
    );
    assert_eq!(check(&format!("{input}."), &bundles), "bad-signature");
    // A flipped bit.
    let mut flipped = sig.clone();
    flipped[10] ^= 1;
    assert_eq!(
        check(&format!("{input}.{}", b64url(&flipped)), &bundles),
        "bad-signature"
    );
    // Not unpadded base64url.
    let b64 = b64url(&sig);
    assert_eq!(check(&format!("{input}.{b64}="), &bundles), "malformed");
    let std = base64ct::Base64::encode_string(&sig);
    if std.contains(['+', '/']) {
        assert_eq!(check(&format!("{input}.{std}"), &bundles), "malformed");
    }
    assert_eq!(check(&format!("{input}.{b64} "), &bundles), "malformed");
}

#[test]
fn tampered_payload_is_bad_signature() {
    let key = JwtKey::rsa();
    let t = token("RS256", Some("k1"), &claims(), &key);
    let parts: Vec<&str> = t.split('.').collect();
    let mut c = claims();
    c["sub"] = json!("spiffe://example.org/admin");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url(c.to_string().as_bytes()),
        parts[2]
    );
    assert_eq!(check(&forged, &single(&key)), "bad-signature");
}

// ----------------------------------------------------------------------------------------------
// Key selection

#[test]
fn kid_less_token_tries_every_fitting_authority() {
    let (a, b, c) = (JwtKey::p256(), JwtKey::p256(), JwtKey::rsa());
    let bundles = jwt_bundles(TD, &[c.entry("c"), a.entry("a"), b.entry("b")]);
    for key in [&a, &b] {
        let t = token("ES256", None, &claims(), key);
        assert_eq!(check(&t, &bundles), "ok");
    }
    let t = token("RS256", None, &claims(), &c);
    assert_eq!(check(&t, &bundles), "ok");
    // Signed by a key the bundle does not hold: every fitting key tried, none verifies.
    let t = token("ES256", None, &claims(), &JwtKey::p256());
    assert_eq!(check(&t, &bundles), "bad-signature");
    // No authority has a key that fits the alg.
    let t = token("ES384", None, &claims(), &JwtKey::p384());
    assert_eq!(check(&t, &bundles), "untrusted");
}

#[test]
fn kid_selects_exactly_one_key() {
    let (a, b) = (JwtKey::p256(), JwtKey::p256());
    let bundles = jwt_bundles(TD, &[a.entry("a"), b.entry("b")]);
    assert_eq!(
        check(&token("ES256", Some("a"), &claims(), &a), &bundles),
        "ok"
    );
    // The right key exists under another kid: the named one is the only candidate.
    assert_eq!(
        check(&token("ES256", Some("a"), &claims(), &b), &bundles),
        "bad-signature"
    );
    assert_eq!(
        check(&token("ES256", Some("c"), &claims(), &a), &bundles),
        "untrusted"
    );
    assert_eq!(
        check(&token("ES256", Some("A"), &claims(), &a), &bundles),
        "untrusted",
        "kid is case-sensitive"
    );
}

#[test]
fn jwk_keys_from_add_jwks_without_use_or_kid() {
    // A plain JWK Set (SPIRE OIDC /keys): no `use`; kid optional.
    let (a, b) = (JwtKey::p256(), JwtKey::rsa());
    let mut ka = a.public_jwk();
    ka["kid"] = json!("a");
    let jwks = json!({"keys": [ka, b.public_jwk()]}).to_string();
    let mut set = svidkit::BundleSet::new();
    set.add_jwks(TD, jwks.as_bytes()).unwrap();
    assert_eq!(set.get(TD).unwrap().jwt_authorities().len(), 2);
    assert_eq!(check(&token("ES256", Some("a"), &claims(), &a), &set), "ok");
    assert_eq!(check(&token("ES256", None, &claims(), &a), &set), "ok");
    assert_eq!(check(&token("PS384", None, &claims(), &b), &set), "ok");
}

#[test]
fn no_bundle_for_the_sub_trust_domain() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let mut c = claims();
    c["sub"] = json!("spiffe://other.org/workload");
    assert_eq!(
        check(&token("ES256", Some("k1"), &c, &key), &bundles),
        "no-bundle"
    );
    // A bundle with only X.509 authorities is no JWT bundle.
    let root = new_root(Kind::P256, "root");
    let x509_only = x509_bundles(TD, &[&root.der]);
    assert_eq!(
        check(&token("ES256", Some("k1"), &claims(), &key), &x509_only),
        "no-bundle"
    );
    // no-bundle comes before the kid lookup.
    assert_eq!(
        check(&token("ES256", Some("zzz"), &c, &key), &bundles),
        "no-bundle"
    );
}

// ----------------------------------------------------------------------------------------------
// Header profile

#[test]
fn only_alg_kid_typ_in_the_header() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    for (name, value) in [
        ("crit", json!(["exp"])),
        ("crit", json!([])),
        ("x5u", json!("https://example.org/x")),
        ("jku", json!("https://example.org/jwks")),
        ("jwk", key.public_jwk()),
        ("x5c", json!([])),
        ("cty", json!("JWT")),
        ("b64", json!(false)),
        ("zip", json!("DEF")),
        ("foo", json!(null)),
    ] {
        let mut header = json!({"alg": "ES256", "kid": "k1", "typ": "JWT"});
        header[name] = value;
        let t = token_raw(&header, &claims(), &key, "ES256");
        assert_eq!(check(&t, &bundles), "invalid-svid", "header {name}");
    }
}

#[test]
fn typ_rules() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let with_typ = |typ: Option<Value>| {
        let mut header = json!({"alg": "ES256", "kid": "k1"});
        if let Some(t) = typ {
            header["typ"] = t;
        }
        token_raw(&header, &claims(), &key, "ES256")
    };
    assert_eq!(check(&with_typ(None), &bundles), "ok");
    assert_eq!(check(&with_typ(Some(json!("JWT"))), &bundles), "ok");
    assert_eq!(check(&with_typ(Some(json!("JOSE"))), &bundles), "ok");
    for bad in [
        json!("jwt"),
        json!("jose"),
        json!("JWT "),
        json!("at+jwt"),
        json!("application/jwt"),
        json!(""),
        json!(1),
        json!(null),
        json!(["JWT"]),
    ] {
        assert_eq!(
            check(&with_typ(Some(bad.clone())), &bundles),
            "invalid-svid",
            "typ {bad}"
        );
    }
}

#[test]
fn header_profile_comes_before_sub_bundle_and_kid() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let header = json!({"alg": "ES256", "kid": "unknown", "typ": "jwt"});
    let c = json!({"sub": "spiffe://UPPER/x", "aud": "api", "exp": NOW + 300});
    assert_eq!(
        check(&token_raw(&header, &c, &key, "ES256"), &bundles),
        "invalid-svid"
    );
}

// ----------------------------------------------------------------------------------------------
// Claims

fn with_claim(name: &str, value: Option<Value>) -> Value {
    let mut c = claims();
    match value {
        Some(v) => c[name] = v,
        None => {
            c.as_object_mut().unwrap().remove(name);
        }
    }
    c
}

#[test]
fn claim_types() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let exp = NOW + 300;
    let cases: Vec<(&str, Option<Value>, &str)> = vec![
        ("exp", Some(json!(exp as f64)), "invalid-svid"),
        ("exp", Some(json!(exp as f64 + 0.5)), "invalid-svid"),
        ("exp", Some(json!(exp.to_string())), "invalid-svid"),
        ("exp", Some(json!(null)), "invalid-svid"),
        ("exp", Some(json!(true)), "invalid-svid"),
        ("exp", Some(json!([exp])), "invalid-svid"),
        ("exp", None, "invalid-svid"),
        ("nbf", Some(json!((NOW - 10) as f64)), "invalid-svid"),
        ("nbf", Some(json!((NOW - 10).to_string())), "invalid-svid"),
        ("sub", Some(json!(5)), "invalid-svid"),
        ("sub", Some(json!(null)), "invalid-svid"),
        ("sub", Some(json!([SUB])), "invalid-svid"),
        ("sub", None, "invalid-svid"),
        ("aud", None, "invalid-svid"),
        ("aud", Some(json!("")), "invalid-svid"),
        ("aud", Some(json!([])), "invalid-svid"),
        ("aud", Some(json!([1])), "invalid-svid"),
        ("aud", Some(json!(["api", 1])), "invalid-svid"),
        ("aud", Some(json!(["api", null])), "invalid-svid"),
        ("aud", Some(json!({"api": true})), "invalid-svid"),
        ("aud", Some(json!(null)), "invalid-svid"),
        ("aud", Some(json!(7)), "invalid-svid"),
        // iat is not used: any type, any value.
        ("iat", Some(json!("yesterday")), "ok"),
        ("iat", Some(json!(NOW + 10_000)), "ok"),
        ("iat", None, "ok"),
        // sub syntax.
        ("sub", Some(json!("spiffe://example.org")), "ok"),
        (
            "sub",
            Some(json!("spiffe://Example.org/x")),
            "invalid-spiffe-id",
        ),
        (
            "sub",
            Some(json!("spiffe://example.org/x/")),
            "invalid-spiffe-id",
        ),
        (
            "sub",
            Some(json!("https://example.org/x")),
            "invalid-spiffe-id",
        ),
        ("sub", Some(json!("")), "invalid-spiffe-id"),
    ];
    for (name, value, expected) in cases {
        let t = token("ES256", Some("k1"), &with_claim(name, value.clone()), &key);
        assert_eq!(check(&t, &bundles), expected, "{name} = {value:?}");
    }
}

#[test]
fn claim_types_come_before_signature_and_key() {
    // An ill-typed exp in a token whose kid is unknown and whose signature is garbage.
    let key = JwtKey::p256();
    let t = token(
        "ES256",
        Some("nope"),
        &with_claim("exp", Some(json!("soon"))),
        &key,
    );
    let t = format!("{}.AAAA", t.rsplit_once('.').unwrap().0);
    assert_eq!(check(&t, &single(&key)), "invalid-svid");
}

// ----------------------------------------------------------------------------------------------
// Time: now < exp, now ≥ nbf, skew widening both

fn at_time(c: &Value, now: u64, skew: u64) -> &'static str {
    let key = JwtKey::p256();
    let t = token("ES256", Some("k1"), c, &key);
    code(
        &svidkit::verify_jwt_svid(&t, &["api"], &single(&key), &Options::new(now).skew(skew))
            .map_err(|e| e.code()),
    )
}

#[test]
fn exp_to_the_second() {
    let c = with_claim("exp", Some(json!(NOW)));
    assert_eq!(at_time(&c, NOW, 0), "expired", "exp == now is expired");
    assert_eq!(at_time(&c, NOW - 1, 0), "ok");
    assert_eq!(at_time(&c, NOW + 1, 0), "expired");
    // Skew widens: valid while now < exp + skew.
    assert_eq!(at_time(&c, NOW + 4, 5), "ok");
    assert_eq!(at_time(&c, NOW + 5, 5), "expired");
    // Far past and negative exps.
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(0))), NOW, 0),
        "expired"
    );
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(-1))), NOW, 0),
        "expired"
    );
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(u64::MAX))), NOW, 0),
        "ok"
    );
}

#[test]
fn nbf_to_the_second() {
    let c = with_claim("nbf", Some(json!(NOW)));
    assert_eq!(at_time(&c, NOW, 0), "ok", "nbf == now is valid");
    assert_eq!(at_time(&c, NOW - 1, 0), "not-yet-valid");
    assert_eq!(at_time(&c, NOW - 5, 5), "ok");
    assert_eq!(at_time(&c, NOW - 6, 5), "not-yet-valid");
    assert_eq!(at_time(&with_claim("nbf", Some(json!(-5))), NOW, 0), "ok");
}

#[test]
fn huge_skew_does_not_overflow() {
    let c = with_claim("nbf", Some(json!(NOW + 100)));
    assert_eq!(at_time(&c, NOW, u64::MAX), "ok");
    // now < exp + skew, computed without wrapping.
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(0))), u64::MAX - 1, u64::MAX),
        "ok"
    );
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(0))), u64::MAX, u64::MAX),
        "expired"
    );
    assert_eq!(
        at_time(&with_claim("exp", Some(json!(1))), u64::MAX, u64::MAX),
        "ok"
    );
}

#[test]
fn numeric_dates_beyond_i64_are_compared_exactly() {
    // `now` is a u64, so an exp or nbf above i64::MAX can lie on either side of it.
    let past_i64 = i64::MAX as u64 + 1;
    let exp_max = with_claim("exp", Some(json!(u64::MAX)));
    assert_eq!(at_time(&exp_max, past_i64, 0), "ok", "now < exp = u64::MAX");
    assert_eq!(at_time(&exp_max, u64::MAX, 0), "expired", "exp == now");
    let exp_mid = with_claim("exp", Some(json!(past_i64 + 10)));
    assert_eq!(at_time(&exp_mid, past_i64 + 9, 0), "ok");
    assert_eq!(at_time(&exp_mid, past_i64 + 10, 0), "expired");
    let mut nbf_mid = with_claim("nbf", Some(json!(past_i64 + 10)));
    nbf_mid["exp"] = json!(u64::MAX);
    assert_eq!(at_time(&nbf_mid, past_i64 + 9, 0), "not-yet-valid");
    assert_eq!(at_time(&nbf_mid, past_i64 + 10, 0), "ok");

    // The result reports them as the i64 it holds: i64::MAX.
    let key = JwtKey::p256();
    let mut c = with_claim("exp", Some(json!(u64::MAX)));
    c["iat"] = json!(u64::MAX);
    let t = token("ES256", Some("k1"), &c, &key);
    let svid = svidkit::verify_jwt_svid(&t, &["api"], &single(&key), &Options::new(NOW)).unwrap();
    assert_eq!(svid.expires_at, i64::MAX);
    assert_eq!(svid.issued_at, Some(i64::MAX));
}

#[test]
fn time_comes_after_signature_and_before_audience() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let mut c = with_claim("exp", Some(json!(NOW - 1)));
    c["aud"] = json!("someone-else");
    assert_eq!(
        check(&token("ES256", Some("k1"), &c, &key), &bundles),
        "expired"
    );
    // A bad signature beats expiry.
    let other = JwtKey::p256();
    assert_eq!(
        check(&token("ES256", Some("k1"), &c, &other), &bundles),
        "bad-signature"
    );
    // Unknown kid beats expiry.
    assert_eq!(
        check(&token("ES256", Some("zz"), &c, &key), &bundles),
        "untrusted"
    );
}

// ----------------------------------------------------------------------------------------------
// Audience

#[test]
fn audience_any_of_exact() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let t_str = token("ES256", Some("k1"), &claims(), &key);
    let t_arr = token(
        "ES256",
        Some("k1"),
        &with_claim("aud", Some(json!(["x", "api", "y"]))),
        &key,
    );
    let v = |t: &str, aud: &[&str]| code(&verify_token(t, aud, &bundles, NOW));
    assert_eq!(v(&t_str, &["api"]), "ok");
    assert_eq!(v(&t_str, &["nope", "api"]), "ok");
    assert_eq!(v(&t_arr, &["y"]), "ok");
    assert_eq!(v(&t_arr, &["q", "x"]), "ok");
    assert_eq!(
        v(&t_str, &["API"]),
        "audience-mismatch",
        "exact, case-sensitive"
    );
    assert_eq!(v(&t_str, &["api "]), "audience-mismatch");
    assert_eq!(v(&t_str, &["ap"]), "audience-mismatch");
    assert_eq!(v(&t_arr, &["z"]), "audience-mismatch");
}

#[test]
fn callers_must_name_an_audience() {
    // DESIGN: "callers must name at least one audience" — an empty list never admits a token.
    let key = JwtKey::p256();
    let t = token("ES256", Some("k1"), &claims(), &key);
    let r = svidkit::verify_jwt_svid(&t, &[], &single(&key), &Options::new(NOW));
    assert!(r.is_err(), "no expected audience must not verify");
}

// ----------------------------------------------------------------------------------------------
// Compact serialization

#[test]
fn compact_jws_structure() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let t = token("ES256", Some("k1"), &claims(), &key);
    let parts: Vec<&str> = t.split('.').collect();
    let cases = [
        format!("{}.{}", parts[0], parts[1]),
        format!("{t}.{}", parts[2]),
        format!("{t}."),
        format!("Bearer {t}"),
        format!(" {t}"),
        format!("{t}\n"),
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        format!(
            "{}.{}.{}",
            parts[0].replace('-', "+").replace('_', "/") + "+",
            parts[1],
            parts[2]
        ),
        format!("{}.{}.{}", b64url(b"not json"), parts[1], parts[2]),
        format!("{}.{}.{}", b64url(b"[1,2]"), parts[1], parts[2]),
        format!("{}.{}.{}", parts[0], b64url(b"\"a string\""), parts[2]),
        format!("{}.{}.{}", parts[0], b64url(&[0xff, 0xfe]), parts[2]),
        String::new(),
        "..".to_string(),
    ];
    for bad in &cases {
        assert_eq!(check(bad, &bundles), "malformed", "{bad:?}");
    }
}

#[test]
fn error_codes_round_trip() {
    for c in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_name(c.as_str()), Some(c));
    }
}

#[test]
fn kid_less_token_skips_an_unsupported_key_for_a_good_one() {
    let good = JwtKey::rsa();
    let bundles = jwt_bundles(TD, &[JwtKey::rsa1024().entry("small"), good.entry("good")]);
    assert_eq!(
        check(&token("RS256", None, &claims(), &good), &bundles),
        "ok"
    );
    let bundles = jwt_bundles(TD, &[good.entry("good"), JwtKey::rsa1024().entry("small")]);
    assert_eq!(
        check(&token("PS256", None, &claims(), &good), &bundles),
        "ok"
    );
}

/// RFC 7515 §5.2 lets a reader refuse repeated header parameters or keep the last; svidkit refuses
/// them, in the header and in the claims, as go-jose (go-spiffe) does: one token text must not
/// name two algorithms or two identities depending on who reads it.
#[test]
fn repeated_header_or_claim_members_are_malformed() {
    let key = JwtKey::p256();
    let bundles = single(&key);
    let signed = |header: &str, claims: &str| {
        let input = format!(
            "{}.{}",
            b64url(header.as_bytes()),
            b64url(claims.as_bytes())
        );
        let sig = key.sign("ES256", input.as_bytes());
        format!("{input}.{}", b64url(&sig))
    };
    let exp = NOW + 300;
    let claims = format!(r#"{{"sub":"{SUB}","aud":"api","exp":{exp}}}"#);
    let header = r#"{"alg":"ES256","kid":"k1","typ":"JWT"}"#;
    assert_eq!(check(&signed(header, &claims), &bundles), "ok");
    for (label, h, c) in [
        (
            "alg twice",
            r#"{"alg":"none","alg":"ES256","kid":"k1"}"#.to_string(),
            claims.clone(),
        ),
        (
            "kid twice",
            r#"{"alg":"ES256","kid":"k1","kid":"k1"}"#.to_string(),
            claims.clone(),
        ),
        (
            "sub twice",
            header.to_string(),
            format!(r#"{{"sub":"spiffe://evil.test/x","sub":"{SUB}","aud":"api","exp":{exp}}}"#),
        ),
        (
            "a repeated member inside an ignored claim",
            header.to_string(),
            format!(r#"{{"sub":"{SUB}","aud":"api","exp":{exp},"x":{{"a":1,"a":1}}}}"#),
        ),
    ] {
        assert_eq!(check(&signed(&h, &c), &bundles), "malformed", "{label}");
    }
}
