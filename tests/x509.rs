//! X.509-SVID verification with certificates built at test time (rcgen, real signatures):
//! every algorithm of DESIGN.md "Algorithms" and the refused ones, time bounds to the second,
//! path building, signing-certificate rules and name constraints. Expected codes come from
//! DESIGN.md's rules.

mod common;

use common::*;
use rcgen::{BasicConstraints, IsCa, KeyUsagePurpose};
use sha2::{Digest, Sha256, Sha384, Sha512};
use svidkit::Options;

const ID: &str = "spiffe://example.org/workload";

fn ok_chain(chain: &[&Cert], cas: &[&Cert]) -> &'static str {
    let ders: Vec<&[u8]> = cas.iter().map(|c| c.der.as_slice()).collect();
    code(&verify_chain(chain, &x509_bundles(TD, &ders), NOW))
}

// ----------------------------------------------------------------------------------------------
// Algorithms

#[test]
fn every_supported_issuer_key_verifies() {
    for kind in Kind::SUPPORTED {
        let root = new_root(kind, "root");
        let leaf = new_leaf(ID, &root);
        assert_eq!(
            ok_chain(&[&leaf], &[&root]),
            "ok",
            "root {kind:?} signing the leaf"
        );
        // The same key type as an intermediate.
        let top = root_p256();
        let int = issue(ca_params("int"), Key::new(kind), &top);
        let leaf = new_leaf(ID, &int);
        assert_eq!(
            ok_chain(&[&leaf, &int], &[&top]),
            "ok",
            "intermediate {kind:?}"
        );
    }
}

fn root_p256() -> Cert {
    new_root(Kind::P256, "top")
}

#[test]
fn rsa_pkcs1_sha384_and_sha512() {
    for alg in [&rcgen::PKCS_RSA_SHA384, &rcgen::PKCS_RSA_SHA512] {
        let root = self_signed(ca_params("root"), Key::rsa2048_with(alg));
        let leaf = new_leaf(ID, &root);
        assert_eq!(ok_chain(&[&leaf], &[&root]), "ok");
    }
}

/// A leaf issued by an RSA root, re-signed with RSA-PSS.
fn pss_leaf(
    root: &Cert,
    hash: &str,
    salt_declared: u8,
    sign: impl Fn(&rsa::PrivateKey, &[u8]) -> Vec<u8>,
) -> Cert {
    let plain = new_leaf(ID, root);
    let key = root.key.rsa_private();
    let der = resign(&plain.der, &pss_alg_id(hash, hash, salt_declared), |tbs| {
        sign(&key, tbs)
    });
    Cert {
        der,
        params: plain.params,
        key: plain.key,
    }
}

#[test]
fn rsa_pss_sha256_384_512() {
    let root = new_root(Kind::Rsa2048, "root");
    let l256 = pss_leaf(&root, SHA256, 32, |k, m| rsa_pss_sign::<Sha256>(k, m, 32));
    let l384 = pss_leaf(&root, SHA384, 48, |k, m| rsa_pss_sign::<Sha384>(k, m, 48));
    let l512 = pss_leaf(&root, SHA512, 64, |k, m| rsa_pss_sign::<Sha512>(k, m, 64));
    for leaf in [&l256, &l384, &l512] {
        assert_eq!(ok_chain(&[leaf], &[&root]), "ok");
    }
}

#[test]
fn rsa_pss_signature_with_another_salt_than_declared_is_bad_signature() {
    let root = new_root(Kind::Rsa2048, "root");
    let leaf = pss_leaf(&root, SHA256, 32, |k, m| rsa_pss_sign::<Sha256>(k, m, 20));
    assert_eq!(ok_chain(&[&leaf], &[&root]), "bad-signature");
}

#[test]
fn rsa_pss_with_sha1_is_unsupported() {
    // Empty RSASSA-PSS-params: every field at its default, i.e. SHA-1, MGF1-SHA-1, salt 20.
    let root = new_root(Kind::Rsa2048, "root");
    let plain = new_leaf(ID, &root);
    let key = root.key.rsa_private();
    let alg = alg_id("1.2.840.113549.1.1.10", Some(&der(0x30, &[])));
    let der = resign(&plain.der, &alg, |tbs| {
        rsa_pss_sign::<sha1::Sha1>(&key, tbs, 20)
    });
    assert_eq!(
        code(&verify_ders(&[&der], &x509_bundles(TD, &[&root.der]), NOW)),
        "unsupported-algorithm"
    );
}

#[test]
fn sha1_with_rsa_is_unsupported() {
    let root = new_root(Kind::Rsa2048, "root");
    let plain = new_leaf(ID, &root);
    let key = root.key.rsa_private();
    let der = resign(
        &plain.der,
        &alg_id("1.2.840.113549.1.1.5", Some(&NULL)),
        |tbs| rsa_pkcs1_sign::<sha1::Sha1>(&key, tbs),
    );
    assert_eq!(
        code(&verify_ders(&[&der], &x509_bundles(TD, &[&root.der]), NOW)),
        "unsupported-algorithm"
    );
}

#[test]
fn ecdsa_with_sha1_is_unsupported() {
    use signature::hazmat::PrehashSigner;
    let root = new_root(Kind::P256, "root");
    let plain = new_leaf(ID, &root);
    let key = root.key.p256_private();
    let der = resign(&plain.der, &alg_id("1.2.840.10045.4.1", None), |tbs| {
        let s: p256::ecdsa::Signature = key.sign_prehash(&sha1::Sha1::digest(tbs)).unwrap();
        ecdsa_fixed_to_der(&s.to_bytes())
    });
    assert_eq!(
        code(&verify_ders(&[&der], &x509_bundles(TD, &[&root.der]), NOW)),
        "unsupported-algorithm"
    );
}

#[test]
fn rsa_1024_issuer_is_unsupported() {
    let root = new_root(Kind::Rsa1024, "root");
    let leaf = new_leaf(ID, &root);
    assert_eq!(ok_chain(&[&leaf], &[&root]), "unsupported-algorithm");
    // As an intermediate too.
    let top = root_p256();
    let int = issue(ca_params("int"), Key::new(Kind::Rsa1024), &top);
    let leaf = new_leaf(ID, &int);
    assert_eq!(ok_chain(&[&leaf, &int], &[&top]), "unsupported-algorithm");
}

#[test]
fn issuer_on_an_unknown_curve_is_unsupported() {
    // The authority's key says P-192 (1.2.840.10045.3.1.1); the leaf is signed ecdsa-with-SHA256.
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(ID, &root);
    let p256_oid = oid("1.2.840.10045.3.1.7");
    let pos = root
        .der
        .windows(p256_oid.len())
        .position(|w| w == p256_oid)
        .unwrap();
    let mut patched = root.der.clone();
    patched[pos + p256_oid.len() - 1] = 0x01;
    assert_eq!(
        code(&verify_ders(
            &[&leaf.der],
            &x509_bundles(TD, &[&patched]),
            NOW
        )),
        "unsupported-algorithm"
    );
}

#[test]
fn signature_oid_not_fitting_the_issuer_key_is_bad_signature() {
    use signature::hazmat::PrehashSigner;
    let root = new_root(Kind::P256, "root");
    let plain = new_leaf(ID, &root);
    let key = root.key.p256_private();
    let bundles = x509_bundles(TD, &[&root.der]);
    // ecdsa-with-SHA384 by a P-256 key (a real ECDSA-P256-SHA384 signature): P-256 pairs with SHA-256 only.
    let der = resign(&plain.der, &alg_id("1.2.840.10045.4.3.3", None), |tbs| {
        let s: p256::ecdsa::Signature = key.sign_prehash(&Sha384::digest(tbs)).unwrap();
        ecdsa_fixed_to_der(&s.to_bytes())
    });
    assert_eq!(code(&verify_ders(&[&der], &bundles, NOW)), "bad-signature");
    // sha256WithRSAEncryption claimed, the issuer key is EC.
    let der = resign(
        &plain.der,
        &alg_id("1.2.840.113549.1.1.11", Some(&NULL)),
        |tbs| {
            let s: p256::ecdsa::Signature = key.sign_prehash(&Sha256::digest(tbs)).unwrap();
            ecdsa_fixed_to_der(&s.to_bytes())
        },
    );
    assert_eq!(code(&verify_ders(&[&der], &bundles, NOW)), "bad-signature");
    // Ed25519 claimed, the issuer key is P-256.
    let der = resign(&plain.der, &alg_id("1.3.101.112", None), |_| vec![7; 64]);
    assert_eq!(code(&verify_ders(&[&der], &bundles, NOW)), "bad-signature");
    // ecdsa-with-SHA256 claimed, the issuer key is RSA.
    let rsa_root = new_root(Kind::Rsa2048, "root");
    let der = resign(&plain.der, &alg_id("1.2.840.10045.4.3.2", None), |tbs| {
        let s: p256::ecdsa::Signature = key.sign_prehash(&Sha256::digest(tbs)).unwrap();
        ecdsa_fixed_to_der(&s.to_bytes())
    });
    assert_eq!(
        code(&verify_ders(
            &[&der],
            &x509_bundles(TD, &[&rsa_root.der]),
            NOW
        )),
        "bad-signature"
    );
}

#[test]
fn tampered_tbs_is_bad_signature() {
    let root = new_root(Kind::P384, "root");
    let leaf = new_leaf(ID, &root);
    // Change one byte of the serial number: still a well-formed certificate.
    let tampered = edit_tbs(&leaf.der, |tbs| {
        let mut t = tbs.to_vec();
        let kids = children(content(tbs));
        let serial_start = tbs.len() - content(tbs).len() + kids[0].len();
        let (hdr, _) = header(&tbs[serial_start..]);
        t[serial_start + hdr + 1] ^= 0x01;
        t
    });
    assert_eq!(
        code(&verify_ders(
            &[&tampered],
            &x509_bundles(TD, &[&root.der]),
            NOW
        )),
        "bad-signature"
    );
}

#[test]
fn signed_by_another_key_with_the_authority_name_is_bad_signature() {
    let root = new_root(Kind::P256, "root");
    let impostor = self_signed(ca_params("root"), Key::new(Kind::P256));
    let leaf = new_leaf(ID, &impostor);
    assert_eq!(ok_chain(&[&leaf], &[&root]), "bad-signature");
}

// ----------------------------------------------------------------------------------------------
// Results

#[test]
fn result_fields() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params_td("int", TD), Key::new(Kind::P384), &root);
    let mut p = leaf_params(ID);
    p.not_after = at(NOW + 1234);
    let leaf = leaf_with(p, &int);
    let svid = verify_chain(&[&leaf, &int], &x509_bundles(TD, &[&root.der]), NOW).unwrap();
    assert_eq!(svid.spiffe_id.as_str(), ID);
    assert_eq!(svid.spiffe_id.trust_domain(), TD);
    assert_eq!(svid.spiffe_id.path(), "/workload");
    assert_eq!(svid.expires_at, (NOW + 1234) as i64);
    assert_eq!(svid.chain.len(), 3, "leaf, intermediate, authority");
    assert_eq!(
        svid.chain
            .iter()
            .map(|c| c.is_authority)
            .collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(
        svid.chain[1].spiffe_id.as_deref(),
        Some("spiffe://example.org")
    );
}

#[test]
fn pem_chain_decodes_leaf_first() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &int);
    let pem = format!("{}{}", leaf.pem(), int.pem());
    let ders = svidkit::x509::decode_pem_chain(&pem).unwrap();
    assert_eq!(ders, [leaf.der.clone(), int.der.clone()]);
    let refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
    assert_eq!(
        code(&verify_ders(&refs, &x509_bundles(TD, &[&root.der]), NOW)),
        "ok"
    );
}

// ----------------------------------------------------------------------------------------------
// Time: notBefore ≤ now ≤ notAfter on every certificate, skew widening both bounds

fn leaf_valid(not_before: u64, not_after: u64, root: &Cert) -> Cert {
    let mut p = leaf_params(ID);
    p.not_before = at(not_before);
    p.not_after = at(not_after);
    leaf_with(p, root)
}

fn verify_at(chain: &[&Cert], root: &Cert, now: u64, skew: u64) -> &'static str {
    let bundles = x509_bundles(TD, &[&root.der]);
    code(&verify_chain_opts(
        chain,
        &bundles,
        &Options::new(now).skew(skew),
    ))
}

#[test]
fn leaf_validity_is_inclusive_to_the_second() {
    let root = new_root(Kind::P256, "root");
    let leaf = leaf_valid(NOW - 100, NOW + 100, &root);
    assert_eq!(
        verify_at(&[&leaf], &root, NOW - 100, 0),
        "ok",
        "now == notBefore"
    );
    assert_eq!(verify_at(&[&leaf], &root, NOW - 101, 0), "not-yet-valid");
    assert_eq!(
        verify_at(&[&leaf], &root, NOW + 100, 0),
        "ok",
        "now == notAfter"
    );
    assert_eq!(verify_at(&[&leaf], &root, NOW + 101, 0), "expired");
}

#[test]
fn skew_widens_the_leaf_bounds() {
    let root = new_root(Kind::P256, "root");
    let leaf = leaf_valid(NOW - 100, NOW + 100, &root);
    assert_eq!(verify_at(&[&leaf], &root, NOW - 110, 10), "ok");
    assert_eq!(verify_at(&[&leaf], &root, NOW - 111, 10), "not-yet-valid");
    assert_eq!(verify_at(&[&leaf], &root, NOW + 110, 10), "ok");
    assert_eq!(verify_at(&[&leaf], &root, NOW + 111, 10), "expired");
}

#[test]
fn intermediate_validity_and_skew() {
    let root = new_root(Kind::P256, "root");
    let mut p = ca_params("int");
    p.not_before = at(NOW - 50);
    p.not_after = at(NOW + 50);
    let int = issue(p, Key::new(Kind::P256), &root);
    let leaf = leaf_valid(NOW - 1000, NOW + 1000, &int);
    let chain = [&leaf, &int];
    assert_eq!(verify_at(&chain, &root, NOW - 50, 0), "ok");
    assert_eq!(verify_at(&chain, &root, NOW - 51, 0), "not-yet-valid");
    assert_eq!(verify_at(&chain, &root, NOW + 50, 0), "ok");
    assert_eq!(verify_at(&chain, &root, NOW + 51, 0), "expired");
    assert_eq!(verify_at(&chain, &root, NOW - 55, 5), "ok");
    assert_eq!(verify_at(&chain, &root, NOW - 56, 5), "not-yet-valid");
    assert_eq!(verify_at(&chain, &root, NOW + 55, 5), "ok");
    assert_eq!(verify_at(&chain, &root, NOW + 56, 5), "expired");
}

#[test]
fn bundle_authority_validity_and_skew() {
    let mut p = ca_params("root");
    p.not_before = at(NOW - 20);
    p.not_after = at(NOW + 20);
    let root = self_signed(p, Key::new(Kind::P256));
    let leaf = leaf_valid(NOW - 1000, NOW + 1000, &root);
    assert_eq!(verify_at(&[&leaf], &root, NOW + 20, 0), "ok");
    assert_eq!(
        verify_at(&[&leaf], &root, NOW + 21, 0),
        "expired",
        "an expired bundle authority"
    );
    assert_eq!(verify_at(&[&leaf], &root, NOW - 20, 0), "ok");
    assert_eq!(verify_at(&[&leaf], &root, NOW - 21, 0), "not-yet-valid");
    assert_eq!(verify_at(&[&leaf], &root, NOW + 23, 3), "ok");
    assert_eq!(verify_at(&[&leaf], &root, NOW + 24, 3), "expired");
    assert_eq!(verify_at(&[&leaf], &root, NOW - 23, 3), "ok");
    assert_eq!(verify_at(&[&leaf], &root, NOW - 24, 3), "not-yet-valid");
}

#[test]
fn huge_skew_does_not_overflow() {
    let root = new_root(Kind::P256, "root");
    let leaf = leaf_valid(NOW - 100, NOW + 100, &root);
    assert_eq!(verify_at(&[&leaf], &root, NOW, u64::MAX), "ok");
    assert_eq!(verify_at(&[&leaf], &root, u64::MAX, u64::MAX), "ok");
    assert_eq!(verify_at(&[&leaf], &root, 0, u64::MAX), "ok");
}

// ----------------------------------------------------------------------------------------------
// Path building

#[test]
fn intermediates_in_any_order() {
    let root = new_root(Kind::P256, "root");
    let i1 = issue(ca_params("i1"), Key::new(Kind::P256), &root);
    let i2 = issue(ca_params("i2"), Key::new(Kind::P384), &i1);
    let i3 = issue(ca_params("i3"), Key::new(Kind::Ed25519), &i2);
    let leaf = new_leaf(ID, &i3);
    for order in [
        [&i3, &i2, &i1],
        [&i1, &i2, &i3],
        [&i2, &i1, &i3],
        [&i1, &i3, &i2],
    ] {
        let chain = [&leaf, order[0], order[1], order[2]];
        assert_eq!(ok_chain(&chain, &[&root]), "ok");
    }
}

#[test]
fn two_presented_issuers_with_the_same_name() {
    let root = new_root(Kind::P256, "root");
    let good = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let other = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &good);
    assert_eq!(ok_chain(&[&leaf, &other, &good], &[&root]), "ok");
    assert_eq!(ok_chain(&[&leaf, &good, &other], &[&root]), "ok");
}

#[test]
fn two_authorities_with_the_same_name() {
    let old = new_root(Kind::P256, "root");
    let new = new_root(Kind::P384, "root");
    let leaf_new = new_leaf(ID, &new);
    let leaf_old = new_leaf(ID, &old);
    assert_eq!(ok_chain(&[&leaf_new], &[&old, &new]), "ok");
    assert_eq!(ok_chain(&[&leaf_new], &[&new, &old]), "ok");
    assert_eq!(ok_chain(&[&leaf_old], &[&new, &old]), "ok");
}

#[test]
fn most_specific_failure_among_candidates() {
    // Two authorities named like the leaf's issuer: one with another key (bad-signature), one
    // whose signature verifies but which has expired. The second got further: expired.
    let mut p = ca_params("root");
    p.not_after = at(NOW - 1);
    let expired = self_signed(p, Key::new(Kind::P256));
    let other = new_root(Kind::P256, "root");
    let leaf = new_leaf(ID, &expired);
    assert_eq!(ok_chain(&[&leaf], &[&other, &expired]), "expired");
    assert_eq!(ok_chain(&[&leaf], &[&expired, &other]), "expired");
}

#[test]
fn bundle_authority_may_be_an_intermediate() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &int);
    assert_eq!(ok_chain(&[&leaf], &[&int]), "ok");
    assert_eq!(ok_chain(&[&leaf, &int], &[&int]), "ok");
    assert_eq!(ok_chain(&[&leaf, &int, &root], &[&int]), "ok");
    // Its pathLen counts from it, not from the root.
    let mut p = ca_params("int0");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let int0 = issue(p, Key::new(Kind::P256), &root);
    let leaf0 = new_leaf(ID, &int0);
    assert_eq!(ok_chain(&[&leaf0], &[&int0]), "ok");
}

#[test]
fn presented_root_is_fine() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &int);
    assert_eq!(ok_chain(&[&leaf, &int, &root], &[&root]), "ok");
    assert_eq!(ok_chain(&[&leaf, &root, &int], &[&root]), "ok");
}

#[test]
fn presented_root_not_in_the_bundle_is_untrusted() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &int);
    let unrelated = new_root(Kind::P256, "unrelated");
    assert_eq!(ok_chain(&[&leaf, &int, &root], &[&unrelated]), "untrusted");
    assert_eq!(ok_chain(&[&leaf], &[&unrelated]), "untrusted");
    assert_eq!(ok_chain(&[&leaf, &int], &[&unrelated]), "untrusted");
}

#[test]
fn only_the_bundle_of_the_leaf_trust_domain_is_used() {
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(ID, &root);
    let unrelated = new_root(Kind::P256, "unrelated");
    let mut set = svidkit::BundleSet::new();
    set.add("other.org", x509_bundle_doc(&[&root.der]).as_bytes())
        .unwrap();
    assert_eq!(code(&verify_chain(&[&leaf], &set, NOW)), "no-bundle");
    set.add(TD, x509_bundle_doc(&[&unrelated.der]).as_bytes())
        .unwrap();
    assert_eq!(code(&verify_chain(&[&leaf], &set, NOW)), "untrusted");
}

#[test]
fn path_length_constraints() {
    let constrained = |cn: &str, n: u8| {
        let mut p = ca_params(cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(n));
        p
    };
    // Root pathLen 0: no intermediate may follow it.
    let root0 = self_signed(constrained("root", 0), Key::new(Kind::P256));
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root0);
    let leaf_i = new_leaf(ID, &int);
    assert_eq!(ok_chain(&[&leaf_i, &int], &[&root0]), "invalid-svid");
    let leaf_r = new_leaf(ID, &root0);
    assert_eq!(
        ok_chain(&[&leaf_r], &[&root0]),
        "ok",
        "the leaf does not count"
    );
    // Root pathLen 1: one intermediate is fine, two are not.
    let root1 = self_signed(constrained("root", 1), Key::new(Kind::P256));
    let i1 = issue(ca_params("i1"), Key::new(Kind::P256), &root1);
    let i2 = issue(ca_params("i2"), Key::new(Kind::P256), &i1);
    assert_eq!(ok_chain(&[&new_leaf(ID, &i1), &i1], &[&root1]), "ok");
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &i2), &i2, &i1], &[&root1]),
        "invalid-svid"
    );
    // An intermediate with pathLen 0 followed by another intermediate.
    let root = new_root(Kind::P256, "root");
    let j1 = issue(constrained("j1", 0), Key::new(Kind::P256), &root);
    let j2 = issue(ca_params("j2"), Key::new(Kind::P256), &j1);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &j2), &j2, &j1], &[&root]),
        "invalid-svid"
    );
    assert_eq!(ok_chain(&[&new_leaf(ID, &j1), &j1], &[&root]), "ok");
}

#[test]
fn signing_certificate_that_is_not_a_ca() {
    let root = new_root(Kind::P256, "root");
    for is_ca in [IsCa::NoCa, IsCa::ExplicitNoCa] {
        let mut p = ca_params("int");
        p.is_ca = is_ca;
        let int = issue(p, Key::new(Kind::P256), &root);
        let leaf = new_leaf(ID, &int);
        assert_eq!(
            ok_chain(&[&leaf, &int], &[&root]),
            "invalid-svid",
            "intermediate {is_ca:?}"
        );
        // The same certificate as the bundle authority.
        assert_eq!(
            ok_chain(&[&leaf], &[&int]),
            "invalid-svid",
            "authority {is_ca:?}"
        );
    }
}

#[test]
fn signing_certificate_without_key_cert_sign() {
    let root = new_root(Kind::P256, "root");
    for usages in [
        vec![KeyUsagePurpose::CrlSign],
        vec![KeyUsagePurpose::DigitalSignature],
        vec![],
    ] {
        let mut p = ca_params("int");
        p.key_usages = usages.clone();
        let int = issue(p, Key::new(Kind::P256), &root);
        let leaf = new_leaf(ID, &int);
        assert_eq!(
            ok_chain(&[&leaf, &int], &[&root]),
            "invalid-svid",
            "intermediate {usages:?}"
        );
        assert_eq!(
            ok_chain(&[&leaf], &[&int]),
            "invalid-svid",
            "authority {usages:?}"
        );
    }
    // A root without keyCertSign as the authority.
    let mut p = ca_params("root2");
    p.key_usages = vec![KeyUsagePurpose::CrlSign];
    let root2 = self_signed(p, Key::new(Kind::P256));
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &root2)], &[&root2]),
        "invalid-svid"
    );
}

#[test]
fn signing_certificate_spiffe_id_must_have_no_path() {
    let root = new_root(Kind::P256, "root");
    let mut p = ca_params("int");
    p.subject_alt_names = vec![uri("spiffe://example.org/ca")];
    let int = issue(p, Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &int);
    assert_eq!(
        ok_chain(&[&leaf, &int], &[&root]),
        "invalid-svid",
        "intermediate"
    );
    assert_eq!(ok_chain(&[&leaf], &[&int]), "invalid-svid", "authority");
    // A trust-domain ID, even of another trust domain, is fine.
    for td in [TD, "other.org"] {
        let int = issue(ca_params_td("int", td), Key::new(Kind::P256), &root);
        let leaf = new_leaf(ID, &int);
        assert_eq!(ok_chain(&[&leaf, &int], &[&root]), "ok", "{td}");
    }
    // The root itself with a path.
    let mut p = ca_params("root2");
    p.subject_alt_names = vec![uri("spiffe://example.org/root")];
    let root2 = self_signed(p, Key::new(Kind::P256));
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &root2)], &[&root2]),
        "invalid-svid"
    );
}

#[test]
fn unknown_critical_extension_anywhere_on_the_path() {
    let root = new_root(Kind::P256, "root");
    let int = issue(ca_params("int"), Key::new(Kind::P256), &root);
    // Leaf.
    let mut p = leaf_params(ID);
    p.custom_extensions = vec![unknown_extension(true)];
    assert_eq!(
        ok_chain(&[&leaf_with(p, &int), &int], &[&root]),
        "invalid-svid",
        "leaf"
    );
    // Intermediate.
    let mut p = ca_params("int2");
    p.custom_extensions = vec![unknown_extension(true)];
    let int2 = issue(p, Key::new(Kind::P256), &root);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &int2), &int2], &[&root]),
        "invalid-svid",
        "intermediate"
    );
    // Bundle authority.
    let mut p = ca_params("root2");
    p.custom_extensions = vec![unknown_extension(true)];
    let root2 = self_signed(p, Key::new(Kind::P256));
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &root2)], &[&root2]),
        "invalid-svid",
        "authority"
    );
}

#[test]
fn unknown_non_critical_extension_is_ignored() {
    let mut p = ca_params("root");
    p.custom_extensions = vec![unknown_extension(false)];
    let root = self_signed(p, Key::new(Kind::P256));
    let mut p = ca_params("int");
    p.custom_extensions = vec![unknown_extension(false)];
    let int = issue(p, Key::new(Kind::P256), &root);
    let mut p = leaf_params(ID);
    p.custom_extensions = vec![unknown_extension(false)];
    assert_eq!(ok_chain(&[&leaf_with(p, &int), &int], &[&root]), "ok");
}

fn constrained_root(permitted: &[&str], excluded: &[&str]) -> Cert {
    let mut p = ca_params("root");
    p.custom_extensions = vec![uri_name_constraints(permitted, excluded)];
    self_signed(p, Key::new(Kind::P256))
}

#[test]
fn uri_name_constraints_permitted() {
    let root = constrained_root(&["example.org"], &[]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "ok");
    let root = constrained_root(&["other.org", "example.org"], &[]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "ok");
    let root = constrained_root(&[".org"], &[]);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &root)], &[&root]),
        "ok",
        ".org covers hosts below it"
    );
}

#[test]
fn uri_name_constraints_violated() {
    let root = constrained_root(&["other.org"], &[]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "invalid-svid");
    // `.example.org` is hosts below example.org, not example.org itself (RFC 5280 §4.2.1.10).
    let root = constrained_root(&[".example.org"], &[]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "invalid-svid");
    let root = constrained_root(&["org"], &[]);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &root)], &[&root]),
        "invalid-svid",
        "a URI host constraint is exact"
    );
}

#[test]
fn uri_name_constraints_excluded() {
    let root = constrained_root(&[], &["example.org"]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "invalid-svid");
    // Excluded wins over permitted.
    let root = constrained_root(&["example.org"], &["example.org"]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "invalid-svid");
    let root = constrained_root(&[], &["other.org"]);
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "ok");
}

#[test]
fn uri_name_constraints_on_an_intermediate_and_on_what_it_carries() {
    let root = new_root(Kind::P256, "root");
    let mut p = ca_params_td("int", TD);
    p.custom_extensions = vec![uri_name_constraints(&["other.org"], &[])];
    let int = issue(p, Key::new(Kind::P256), &root);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &int), &int], &[&root]),
        "invalid-svid"
    );
    // The root's constraint applies to the intermediate's own SPIFFE ID too.
    let croot = constrained_root(&["example.org"], &[]);
    let int_other = issue(
        ca_params_td("int", "other.org"),
        Key::new(Kind::P256),
        &croot,
    );
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &int_other), &int_other], &[&croot]),
        "invalid-svid"
    );
    let int_same = issue(ca_params_td("int", TD), Key::new(Kind::P256), &croot);
    assert_eq!(
        ok_chain(&[&new_leaf(ID, &int_same), &int_same], &[&croot]),
        "ok"
    );
}

#[test]
fn name_constraint_the_core_cannot_evaluate() {
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::OrganizationName, "Example");
    let mut p = ca_params("root");
    p.name_constraints = Some(rcgen::NameConstraints {
        permitted_subtrees: vec![rcgen::GeneralSubtree::DirectoryName(dn)],
        excluded_subtrees: vec![],
    });
    let root = self_signed(p, Key::new(Kind::P256));
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "invalid-svid");
}

#[test]
fn issuer_loops_terminate_untrusted() {
    // A issued by B, B issued by A, the leaf by A; the bundle holds neither.
    let (ka, kb) = (Key::new(Kind::P256), Key::new(Kind::P256));
    let (pa, pb) = (ca_params("A"), ca_params("B"));
    let a_der = pa
        .signed_by(&ka, &rcgen::Issuer::from_params(&pb, &kb))
        .unwrap()
        .der()
        .to_vec();
    let b_der = pb
        .signed_by(&kb, &rcgen::Issuer::from_params(&pa, &ka))
        .unwrap()
        .der()
        .to_vec();
    let a = Cert {
        der: a_der,
        params: pa,
        key: ka,
    };
    let b = Cert {
        der: b_der,
        params: pb,
        key: kb,
    };
    let leaf = new_leaf(ID, &a);
    let unrelated = new_root(Kind::P256, "unrelated");
    assert_eq!(ok_chain(&[&leaf, &a, &b], &[&unrelated]), "untrusted");
    assert_eq!(ok_chain(&[&leaf, &b, &a], &[&unrelated]), "untrusted");
}

#[test]
fn many_same_named_candidates_terminate() {
    // 15 intermediates all named "X" and issued by "X": a search over every order would be
    // astronomically long. The verdict is a failure (none chains to the bundle), and quick.
    let seed = new_root(Kind::P256, "X");
    let mut ints = vec![];
    for _ in 0..15 {
        ints.push(issue(ca_params("X"), Key::new(Kind::P256), &seed));
    }
    let leaf = new_leaf(ID, &ints[0]);
    let unrelated = new_root(Kind::P256, "unrelated");
    let mut chain: Vec<&Cert> = vec![&leaf];
    chain.extend(ints.iter());
    let start = std::time::Instant::now();
    let r = verify_chain(&chain, &x509_bundles(TD, &[&unrelated.der]), NOW);
    assert!(r.is_err());
    assert!(
        start.elapsed().as_secs() < 20,
        "path search took {:?}",
        start.elapsed()
    );
}

/// The leaf, then `n` self-issued CAs of the root's name (key rollovers, each key certified by the
/// one before), oldest first; the bundle holds the root. Depth first, certificate i's issuer is
/// the i-th candidate tried: n(n+1)/2 + n + 1 signature checks reach the root.
fn rollover_chain(n: usize) -> (Vec<Cert>, Cert) {
    let root = new_root(Kind::P256, "X");
    let mut chain: Vec<Cert> = vec![];
    for _ in 0..n {
        let ca = issue(
            ca_params("X"),
            Key::new(Kind::P256),
            chain.last().unwrap_or(&root),
        );
        chain.push(ca);
    }
    let leaf = new_leaf(ID, chain.last().unwrap_or(&root));
    chain.insert(0, leaf);
    (chain, root)
}

#[test]
fn self_issued_rollovers_within_the_signature_budget() {
    // 12 rollovers: 91 checks, within the 100 that Go's crypto/x509 and rustls-webpki allow.
    let (chain, root) = rollover_chain(12);
    let chain: Vec<&Cert> = chain.iter().collect();
    assert_eq!(ok_chain(&chain, &[&root]), "ok");
}

#[test]
fn path_building_that_gives_up_says_so() {
    // 14 rollovers: 120 checks. A valid path exists, but the search stops at 100 and reports
    // that, not the last bad signature it saw on the way.
    let (chain, root) = rollover_chain(14);
    let ders: Vec<&[u8]> = chain.iter().map(|c| c.der.as_slice()).collect();
    let err = svidkit::verify_x509_svid(&ders, &x509_bundles(TD, &[&root.der]), &Options::new(NOW))
        .unwrap_err();
    assert_eq!(err.code().as_str(), "untrusted", "{}", err.message());
    assert!(
        err.message().contains("gave up after 100 signature checks"),
        "{}",
        err.message()
    );
}

// ----------------------------------------------------------------------------------------------
// Leaf profile beyond the vectors

#[test]
fn leaf_profile() {
    let root = new_root(Kind::P256, "root");
    let check = |p: rcgen::CertificateParams| ok_chain(&[&leaf_with(p, &root)], &[&root]);
    // No keyUsage extension at all.
    let mut p = leaf_params(ID);
    p.key_usages = vec![];
    assert_eq!(check(p), "invalid-svid", "no keyUsage");
    // cA=false written out, extra key usages, EKU without clientAuth: all fine.
    let mut p = leaf_params(ID);
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
    ];
    p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::CodeSigning];
    assert_eq!(check(p), "ok");
    // A second URI SAN that is not a SPIFFE ID.
    let mut p = leaf_params(ID);
    p.subject_alt_names.push(uri("https://example.org/x"));
    assert_eq!(check(p), "invalid-svid");
    // A URI SAN that is not a valid SPIFFE ID.
    let mut p = leaf_params("spiffe://example.org/a/../b");
    p.subject_alt_names = vec![uri("spiffe://example.org/a/../b")];
    assert_eq!(check(p), "invalid-spiffe-id");
    // The trust domain's own ID on a leaf.
    assert_eq!(check(leaf_params("spiffe://example.org")), "invalid-svid");
    // A leaf that is a CA with keyCertSign signs nothing here, but is still refused.
    let mut p = leaf_params(ID);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    assert_eq!(check(p), "invalid-svid");
}

#[test]
fn empty_chain_is_malformed() {
    let root = new_root(Kind::P256, "root");
    assert_eq!(
        code(&verify_ders(&[], &x509_bundles(TD, &[&root.der]), NOW)),
        "malformed"
    );
}

#[test]
fn chain_element_with_trailing_bytes_is_malformed() {
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(ID, &root);
    let mut der = leaf.der.clone();
    der.push(0);
    assert_eq!(
        code(&verify_ders(&[&der], &x509_bundles(TD, &[&root.der]), NOW)),
        "malformed"
    );
}

#[test]
fn base64_chain_elements_decode_strictly() {
    let root = new_root(Kind::P256, "root");
    let leaf = new_leaf(ID, &root);
    let b64 = leaf.b64();
    assert_eq!(svidkit::x509::decode_base64_der(&b64).unwrap(), leaf.der);
    let urlsafe = b64.replace('+', "-").replace('/', "_");
    if urlsafe != b64 {
        assert_eq!(
            svidkit::x509::decode_base64_der(&urlsafe)
                .unwrap_err()
                .code()
                .as_str(),
            "malformed"
        );
    }
    let unpadded = b64.trim_end_matches('=').to_string();
    if unpadded != b64 {
        assert_eq!(
            svidkit::x509::decode_base64_der(&unpadded)
                .unwrap_err()
                .code()
                .as_str(),
            "malformed"
        );
    }
    for bad in [format!(" {b64}"), format!("{b64}\n"), leaf.pem()] {
        assert_eq!(
            svidkit::x509::decode_base64_der(&bad)
                .unwrap_err()
                .code()
                .as_str(),
            "malformed"
        );
    }
}

#[test]
fn self_issued_intermediate_does_not_count_for_path_length() {
    // RFC 5280 §6.1.4 (l): only certificates that are not self-issued use up pathLenConstraint.
    // The root has pathLen 0; between it and the leaf sits a self-issued certificate (same name,
    // new key: a key roll-over certificate).
    let mut p = ca_params("root");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let root = self_signed(p, Key::new(Kind::P256));
    let rollover = issue(ca_params("root"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &rollover);
    assert_eq!(ok_chain(&[&leaf, &rollover], &[&root]), "ok");
}

#[test]
fn validity_before_1970_is_a_valid_certificate() {
    // UTCTime covers 1950-2049 (RFC 5280 §4.1.2.5.1): a notBefore in 1960 is well-formed.
    let root = new_root(Kind::P256, "root");
    let mut p = leaf_params(ID);
    p.not_before = time::OffsetDateTime::from_unix_timestamp(-315_619_200).unwrap(); // 1960-01-01
    let leaf = leaf_with(p, &root);
    let svid = verify_chain(&[&leaf], &x509_bundles(TD, &[&root.der]), NOW).unwrap();
    assert_eq!(
        svid.chain[0].not_before, -315_619_200,
        "reported as it is, not clamped"
    );
    // A root valid 1955-06-22T12:00:00 .. 2049-12-31T23:59:59 (both UTCTime)
    let mut p = ca_params("old root");
    p.not_before = time::OffsetDateTime::from_unix_timestamp(-458_481_600).unwrap();
    p.not_after = time::OffsetDateTime::from_unix_timestamp(2_524_607_999).unwrap();
    let old_root = self_signed(p, Key::new(Kind::P256));
    let leaf = new_leaf(ID, &old_root);
    let svid = verify_chain(&[&leaf], &x509_bundles(TD, &[&old_root.der]), NOW).unwrap();
    assert_eq!(svid.chain[1].not_before, -458_481_600);
}

#[test]
fn validity_ending_before_1970_is_expired() {
    // A root valid 1955-06-22T12:00:00 .. 2049-12-31T23:59:59, so it is valid at the epoch too.
    let mut p = ca_params("old root");
    p.not_before = time::OffsetDateTime::from_unix_timestamp(-458_481_600).unwrap();
    p.not_after = time::OffsetDateTime::from_unix_timestamp(2_524_607_999).unwrap();
    let root = self_signed(p, Key::new(Kind::P256));
    let mut p = leaf_params(ID);
    p.not_before = time::OffsetDateTime::from_unix_timestamp(-631_152_000).unwrap(); // 1950-01-01
    p.not_after = time::OffsetDateTime::from_unix_timestamp(-1).unwrap(); // 1969-12-31T23:59:59
    let leaf = leaf_with(p, &root);
    assert_eq!(ok_chain(&[&leaf], &[&root]), "expired");
    let bundles = x509_bundles(TD, &[&root.der]);
    // At the epoch the bound is one second behind: expired, unless a second of skew covers it.
    let expired = verify_chain_opts(&[&leaf], &bundles, &Options::new(0));
    assert_eq!(expired.unwrap_err(), svidkit::ErrorCode::Expired);
    assert!(verify_chain_opts(&[&leaf], &bundles, &Options::new(0).skew(1)).is_ok());
}

#[test]
fn dns_name_constraints_apply_to_dns_sans() {
    let root_with = |permitted: &str| {
        let mut p = ca_params("root");
        p.name_constraints = Some(rcgen::NameConstraints {
            permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName(permitted.into())],
            excluded_subtrees: vec![],
        });
        self_signed(p, Key::new(Kind::P256))
    };
    let leaf_dns = |dns: &str, root: &Cert| {
        let mut p = leaf_params(ID);
        p.subject_alt_names
            .push(rcgen::SanType::DnsName(dns.try_into().unwrap()));
        leaf_with(p, root)
    };
    let root = root_with("example.org");
    assert_eq!(
        ok_chain(&[&leaf_dns("svc.example.org", &root)], &[&root]),
        "ok"
    );
    assert_eq!(ok_chain(&[&leaf_dns("example.org", &root)], &[&root]), "ok");
    assert_eq!(
        ok_chain(&[&leaf_dns("evil.com", &root)], &[&root]),
        "invalid-svid"
    );
    assert_eq!(
        ok_chain(&[&leaf_dns("badexample.org", &root)], &[&root]),
        "invalid-svid"
    );
    // DNS constraints do not constrain the URI SAN.
    assert_eq!(ok_chain(&[&new_leaf(ID, &root)], &[&root]), "ok");
}

#[test]
fn reissued_root_with_the_same_key_while_the_old_one_expired() {
    // Rotation by re-issuing the root with the same key: the expired copy is one candidate, the
    // valid copy another; every candidate is tried.
    let key = Key::new(Kind::P256);
    let pkcs8 = key.pkcs8();
    let mut old_p = ca_params("root");
    old_p.not_after = at(NOW - DAY);
    let old = self_signed(old_p, key);
    let same_key = Key::Rcgen(rcgen::KeyPair::try_from(pkcs8.as_slice()).unwrap());
    let new = self_signed(ca_params("root"), same_key);
    let leaf = new_leaf(ID, &old);
    assert_eq!(ok_chain(&[&leaf], &[&old, &new]), "ok");
    assert_eq!(ok_chain(&[&leaf], &[&new, &old]), "ok");
    assert_eq!(ok_chain(&[&leaf], &[&old]), "expired");
}

// ----------------------------------------------------------------------------------------------
// Concatenated DER (the Workload API's chain form, npm `verifyX509Svid(Uint8Array)`)

#[test]
fn concatenated_der_splits_into_one_tlv_each() {
    let root = root_p256();
    let inter = issue(ca_params("inter"), Key::new(Kind::P256), &root);
    let leaf = new_leaf(ID, &inter);
    let joined = [leaf.der.as_slice(), inter.der.as_slice()].concat();
    let parts = svidkit::x509::split_der_chain(&joined).unwrap();
    assert_eq!(parts, [leaf.der.as_slice(), inter.der.as_slice()]);
    assert_eq!(
        code(&verify_ders(&parts, &x509_bundles(TD, &[&root.der]), NOW)),
        "ok"
    );
    // Two minimal SEQUENCEs split too: the certificates are read later.
    let parts = svidkit::x509::split_der_chain(&[0x30, 0x00, 0x30, 0x01, 0x05]).unwrap();
    assert_eq!(parts, [&[0x30, 0x00][..], &[0x30, 0x01, 0x05][..]]);
    let malformed = |data: &[u8]| {
        svidkit::x509::split_der_chain(data)
            .map(|_| ())
            .map_err(|e| e.code().as_str())
    };
    assert_eq!(
        malformed(&[]),
        Ok(()),
        "no certificate: the chain check says so"
    );
    assert_eq!(
        malformed(&[0x30, 0x05, 0x00]),
        Err("malformed"),
        "truncated"
    );
    assert_eq!(malformed(&joined[..joined.len() - 1]), Err("malformed"));
    assert_eq!(
        malformed(&[0x30, 0x81, 0x01, 0x00]),
        Err("malformed"),
        "non-minimal length"
    );
    assert_eq!(malformed(&[0x30, 0x00].repeat(16)), Ok(()));
    assert_eq!(
        malformed(&[0x30, 0x00].repeat(17)),
        Err("malformed"),
        "over 16"
    );
}
