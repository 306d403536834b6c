//! Policy, applied after verification: allow patterns (exact, path prefix, trust domain), deny
//! patterns (deny wins → revoked), denied serial numbers and denied `jti`s. DESIGN.md "The JS
//! surface" / issue 2 item 6 give the rules.

mod common;

use common::*;
use serde_json::json;
use svidkit::{Options, Policy};

fn x509(id: &str, policy: &Policy) -> &'static str {
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(id, &root);
    let td = svidkit::SpiffeId::parse(id)
        .unwrap()
        .trust_domain()
        .to_string();
    let bundles = x509_bundles(&td, &[&root.der]);
    code(&verify_chain_opts(
        &[&leaf],
        &bundles,
        &Options::new(NOW).policy(policy),
    ))
}

fn jwt(sub: &str, jti: Option<&str>, policy: &Policy) -> &'static str {
    let key = JwtKey::p256();
    let mut c = claims();
    c["sub"] = json!(sub);
    if let Some(j) = jti {
        c["jti"] = json!(j);
    }
    let td = svidkit::SpiffeId::parse(sub)
        .unwrap()
        .trust_domain()
        .to_string();
    let bundles = jwt_bundles(&td, &[key.entry("k")]);
    let t = token("ES256", Some("k"), &c, &key);
    code(
        &svidkit::verify_jwt_svid(&t, &["api"], &bundles, &Options::new(NOW).policy(policy))
            .map_err(|e| e.code()),
    )
}

/// Both SVID kinds give the same verdict for `id` under `policy`.
fn both(id: &str, policy: &Policy) -> &'static str {
    let a = x509(id, policy);
    let b = jwt(id, None, policy);
    assert_eq!(a, b, "X.509 and JWT verdicts differ for {id}");
    a
}

#[test]
fn allow_exact() {
    let p = Policy::new().allow("spiffe://example.org/ns/a").unwrap();
    assert_eq!(both("spiffe://example.org/ns/a", &p), "ok");
    assert_eq!(both("spiffe://example.org/ns/a/b", &p), "unauthorized");
    assert_eq!(both("spiffe://example.org/ns/ab", &p), "unauthorized");
    assert_eq!(both("spiffe://example.org/ns/A", &p), "unauthorized");
    assert_eq!(both("spiffe://other.org/ns/a", &p), "unauthorized");
}

#[test]
fn allow_prefix() {
    let p = Policy::new().allow("spiffe://example.org/ns/*").unwrap();
    assert_eq!(both("spiffe://example.org/ns/a", &p), "ok");
    assert_eq!(both("spiffe://example.org/ns/a/b/c", &p), "ok");
    assert_eq!(
        both("spiffe://example.org/nsx/a", &p),
        "unauthorized",
        "a prefix is whole segments"
    );
    assert_eq!(both("spiffe://example.org/other/ns/a", &p), "unauthorized");
    assert_eq!(both("spiffe://other.org/ns/a", &p), "unauthorized");
}

#[test]
fn allow_trust_domain() {
    let p = Policy::new().allow("spiffe://example.org/*").unwrap();
    assert_eq!(both("spiffe://example.org/a", &p), "ok");
    assert_eq!(both("spiffe://example.org/a/b", &p), "ok");
    assert_eq!(
        jwt("spiffe://example.org", None, &p),
        "ok",
        "the trust domain's own ID"
    );
    assert_eq!(both("spiffe://example.org.evil/a", &p), "unauthorized");
    assert_eq!(both("spiffe://sub.example.org/a", &p), "unauthorized");
    assert_eq!(both("spiffe://other.org/a", &p), "unauthorized");
}

#[test]
fn several_allow_patterns_any_admits() {
    let p = Policy::new()
        .allow("spiffe://a.org/x")
        .unwrap()
        .allow("spiffe://b.org/*")
        .unwrap()
        .allow("spiffe://c.org/ns/*")
        .unwrap();
    assert_eq!(both("spiffe://a.org/x", &p), "ok");
    assert_eq!(both("spiffe://b.org/anything", &p), "ok");
    assert_eq!(both("spiffe://c.org/ns/q", &p), "ok");
    assert_eq!(both("spiffe://c.org/q", &p), "unauthorized");
    assert_eq!(both("spiffe://a.org/y", &p), "unauthorized");
}

#[test]
fn deny_wins() {
    let p = Policy::new()
        .allow("spiffe://example.org/*")
        .unwrap()
        .deny("spiffe://example.org/bad")
        .unwrap()
        .deny("spiffe://example.org/quarantine/*")
        .unwrap();
    assert_eq!(both("spiffe://example.org/good", &p), "ok");
    assert_eq!(both("spiffe://example.org/bad", &p), "revoked");
    assert_eq!(both("spiffe://example.org/quarantine/x", &p), "revoked");
    assert_eq!(
        both("spiffe://example.org/bad/child", &p),
        "ok",
        "exact deny is exact"
    );
    // Denied and not allowed at all: deny is checked first.
    assert_eq!(
        both(
            "spiffe://other.org/x",
            &Policy::new()
                .allow("spiffe://example.org/*")
                .unwrap()
                .deny("spiffe://other.org/*")
                .unwrap()
        ),
        "revoked"
    );
    // Deny alone admits everything else.
    let p = Policy::new().deny("spiffe://example.org/bad").unwrap();
    assert_eq!(both("spiffe://example.org/good", &p), "ok");
    assert_eq!(both("spiffe://example.org/bad", &p), "revoked");
}

#[test]
fn empty_allow_list_admits_nothing() {
    let p = Policy::new().allow_none();
    assert_eq!(both("spiffe://example.org/a", &p), "unauthorized");
    assert_eq!(
        both("spiffe://example.org/a", &Policy::new()),
        "ok",
        "no allow list at all: everything"
    );
}

#[test]
fn denied_serials() {
    let root = new_root(Kind::P256, "root");
    let mut ip = ca_params("int");
    ip.serial_number = Some(rcgen::SerialNumber::from_slice(&[0x0a, 0xbc, 0xde]));
    let int = issue(ip, Key::new(Kind::P256), &root);
    let mut lp = leaf_params("spiffe://example.org/w");
    lp.serial_number = Some(rcgen::SerialNumber::from_slice(&[0x01, 0x02, 0x03, 0x04]));
    let leaf = leaf_with(lp, &int);
    let bundles = x509_bundles(TD, &[&root.der]);
    let run = |p: &Policy| {
        code(&verify_chain_opts(
            &[&leaf, &int],
            &bundles,
            &Options::new(NOW).policy(p),
        ))
    };
    assert_eq!(run(&Policy::new()), "ok");
    for serial in [
        "01020304",
        "01:02:03:04",
        "0x01020304".trim_start_matches("0x"),
        "00:01:02:03:04",
    ] {
        assert_eq!(
            run(&Policy::new().deny_serial(serial).unwrap()),
            "revoked",
            "leaf serial as {serial}"
        );
    }
    for serial in ["0abcde", "0ABCDE", "0a:bc:de"] {
        assert_eq!(
            run(&Policy::new().deny_serial(serial).unwrap()),
            "revoked",
            "intermediate serial as {serial}"
        );
    }
    assert_eq!(run(&Policy::new().deny_serial("010203").unwrap()), "ok");
    assert_eq!(run(&Policy::new().deny_serial("0102030405").unwrap()), "ok");
    // Serial denial wins over an allow pattern that admits the ID.
    let p = Policy::new()
        .allow("spiffe://example.org/*")
        .unwrap()
        .deny_serial("01020304")
        .unwrap();
    assert_eq!(run(&p), "revoked");
}

#[test]
fn denied_jti() {
    let p = Policy::new().deny_jti("stolen");
    assert_eq!(jwt(SUB, Some("stolen"), &p), "revoked");
    assert_eq!(jwt(SUB, Some("Stolen"), &p), "ok");
    assert_eq!(jwt(SUB, Some("fine"), &p), "ok");
    assert_eq!(jwt(SUB, None, &p), "ok");
    let p = Policy::new()
        .allow("spiffe://example.org/*")
        .unwrap()
        .deny_jti("stolen");
    assert_eq!(jwt(SUB, Some("stolen"), &p), "revoked");
}

#[test]
fn policy_runs_only_after_verification() {
    let p = Policy::new()
        .deny("spiffe://example.org/*")
        .unwrap()
        .deny_jti("j");
    // An expired token that is also denied: expired.
    let key = JwtKey::p256();
    let mut c = claims();
    c["exp"] = json!(NOW - 1);
    c["jti"] = json!("j");
    let t = token("ES256", Some("k"), &c, &key);
    let bundles = jwt_bundles(TD, &[key.entry("k")]);
    let r = svidkit::verify_jwt_svid(&t, &["api"], &bundles, &Options::new(NOW).policy(&p));
    assert_eq!(code(&r.map_err(|e| e.code())), "expired");
    // An untrusted certificate that is not allowed: untrusted.
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf("spiffe://example.org/w", &root);
    let unrelated = new_root(Kind::P256, "unrelated");
    let p = Policy::new().allow("spiffe://other.org/*").unwrap();
    let r = verify_chain_opts(
        &[&leaf],
        &x509_bundles(TD, &[&unrelated.der]),
        &Options::new(NOW).policy(&p),
    );
    assert_eq!(code(&r), "untrusted");
}

#[test]
fn bad_patterns_fail_loudly() {
    for bad in [
        "",
        "*",
        "example.org/*",
        "spiffe://example.org/a*",
        "spiffe://*.example.org/a",
        "spiffe://example.org/*/b",
        "spiffe://Example.org/*",
        "spiffe://example.org/a/",
        "spiffe://example.org//*",
        "spiffe:///*",
    ] {
        assert_eq!(
            Policy::new().allow(bad).unwrap_err().code().as_str(),
            "invalid-spiffe-id",
            "allow {bad:?}"
        );
        assert_eq!(
            Policy::new().deny(bad).unwrap_err().code().as_str(),
            "invalid-spiffe-id",
            "deny {bad:?}"
        );
    }
    for bad in ["", "abc", "zz", "0x01"] {
        assert!(Policy::new().deny_serial(bad).is_err(), "serial {bad:?}");
    }
}
