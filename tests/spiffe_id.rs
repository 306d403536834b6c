//! SPIFFE-ID rules beyond the shared vectors (DESIGN.md: nothing case-folded or normalised; a
//! trust domain is `[a-z0-9._-]` with no DNS rules; path segments `[A-Za-z0-9._-]`).

use svidkit::{ErrorCode, SpiffeId, TrustDomain};

#[test]
fn valid_ids() {
    for (id, td, path) in [
        ("spiffe://example.org/a", "example.org", "/a"),
        ("spiffe://example.org", "example.org", ""),
        ("spiffe://1.2.3.4/a", "1.2.3.4", "/a"),
        ("spiffe://999.999.999.999/a", "999.999.999.999", "/a"),
        ("spiffe://-/a", "-", "/a"),
        ("spiffe://_/a", "_", "/a"),
        ("spiffe://./a", ".", "/a"),
        ("spiffe://../a", "..", "/a"),
        ("spiffe://a..b/a", "a..b", "/a"),
        ("spiffe://example.org./a", "example.org.", "/a"),
        ("spiffe://td/ABC/def", "td", "/ABC/def"),
        ("spiffe://td/-._", "td", "/-._"),
        ("spiffe://td/...", "td", "/..."),
        ("spiffe://td/.a", "td", "/.a"),
        ("spiffe://td/a..", "td", "/a.."),
        ("spiffe://td/0/1/2/3", "td", "/0/1/2/3"),
    ] {
        let parsed = SpiffeId::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!((parsed.trust_domain(), parsed.path()), (td, path), "{id}");
        assert_eq!(parsed.as_str(), id);
        assert_eq!(parsed.to_string(), id);
    }
}

#[test]
fn invalid_ids() {
    for id in [
        "spiffe://",
        "spiffe:///a",
        "spiffe:td/a",
        "spiffe:/td/a",
        "Spiffe://td/a",
        "spiffe ://td/a",
        " spiffe://td/a",
        "spiffe://td/a ",
        "spiffe://td/a\n",
        "spiffe://td\u{0}/a",
        "spiffe://td/a\u{0}",
        "spiffe://tD/a",
        "spiffe://td:/a",
        "spiffe://td:443",
        "spiffe://@td/a",
        "spiffe://user:pw@td/a",
        "spiffe://[::1]/a",
        "spiffe://td?x",
        "spiffe://td#x",
        "spiffe://td/a?",
        "spiffe://td/a#",
        "spiffe://td/a%2Fb",
        "spiffe://t%64/a",
        "spiffe://td/a+b",
        "spiffe://td/a~b",
        "spiffe://td/a:b",
        "spiffe://td/a@b",
        "spiffe://td/a!b",
        "spiffe://td/a*",
        "spiffe://td/*",
        "spiffe://td/.",
        "spiffe://td/..",
        "spiffe://td/a/.",
        "spiffe://td/a/./b",
        "spiffe://td//",
        "spiffe://td/a//b",
        "spiffe://td/a\\b",
        "spiffe://tđ/a",
        "spiffe://td/ü",
        "spiffe://ｔｄ/a",
        "urn:spiffe:td:a",
        "//td/a",
        "td/a",
    ] {
        assert_eq!(
            SpiffeId::parse(id).unwrap_err().code(),
            ErrorCode::InvalidSpiffeId,
            "{id:?}"
        );
    }
}

#[test]
fn trust_domain_names() {
    for ok in ["example.org", "1.2.3.4", "a", "a-b_c.d", ".", "-"] {
        assert_eq!(TrustDomain::new(ok).unwrap().as_str(), ok);
        assert_eq!(
            TrustDomain::new(ok).unwrap().id().as_str(),
            format!("spiffe://{ok}")
        );
    }
    for bad in [
        "",
        "Example.org",
        "spiffe://example.org",
        "example.org/",
        "example.org:1",
        "exa mple",
        "é.org",
        "a/b",
    ] {
        assert_eq!(
            TrustDomain::new(bad).unwrap_err().code(),
            ErrorCode::InvalidSpiffeId,
            "{bad:?}"
        );
    }
}

#[test]
fn error_messages_name_the_rule() {
    let err = SpiffeId::parse("spiffe://td/a/").unwrap_err();
    assert!(!err.message().is_empty());
    assert!(err.to_string().starts_with("invalid-spiffe-id: "), "{err}");
}
