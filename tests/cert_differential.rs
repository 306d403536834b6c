//! svidkit's certificate reader against x509-cert 0.3, the decoder it replaced
//! (fuzz/src/cert_oracle.rs has both readings and the comparison): the same verdict, and when
//! both accept the same facts, for
//!
//! - every certificate in the conformance vectors (tests/vectors/**/*.json);
//! - certificates rcgen makes with many combinations of names, serials, validity, keys and
//!   extensions;
//! - hand-made edge cases whose verdict is also pinned here (what x509-cert accepts that a
//!   stricter reader would not: an encoded DEFAULT, unsorted multi-valued RDNs — sorted — and
//!   what it rejects; the oracle holds x509-cert to RFC 5280's version rule, which svidkit adds);
//! - every single-byte change, truncation and extension of a few of them, and structural
//!   mutations (each TLV, including those inside extension values, deleted, duplicated, moved,
//!   retagged, its contents changed, a field inserted after it — lengths re-encoded so the
//!   mutation reaches the field's own reader).
//!
//! Each test prints how many inputs both accepted and both rejected (`--nocapture`).

mod common;
#[path = "../fuzz/src/cert_oracle.rs"]
mod oracle;

use common::*;
use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, CustomExtension, DistinguishedName, DnType,
    DnValue, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, KeyIdMethod, KeyUsagePurpose,
    NameConstraints, OtherNameValue, SanType, SerialNumber,
};

// ------------------------------------------------------------------------------------------------
// Running the comparison

#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    failures: Vec<String>,
    failed: usize,
}

impl Tally {
    fn check(&mut self, label: &str, der: &[u8]) -> Option<bool> {
        match oracle::compare(der) {
            Ok(accepted) => {
                if accepted {
                    self.accepted += 1;
                } else {
                    self.rejected += 1;
                }
                Some(accepted)
            }
            Err(e) => {
                self.failed += 1;
                if self.failures.len() < 12 {
                    self.failures
                        .push(format!("{label}: {e}\n  der: {}", hex(der)));
                }
                None
            }
        }
    }

    fn finish(self, what: &str, min_accepted: usize, min_rejected: usize) {
        eprintln!(
            "{what}: {} inputs, both accept {}, both reject {}, differ {}",
            self.accepted + self.rejected + self.failed,
            self.accepted,
            self.rejected,
            self.failed
        );
        assert!(
            self.failures.is_empty(),
            "{} of the {what} read differently:\n{}",
            self.failed,
            self.failures.join("\n")
        );
        assert!(
            self.accepted >= min_accepted,
            "{what}: only {} accepted",
            self.accepted
        );
        assert!(
            self.rejected >= min_rejected,
            "{what}: only {} rejected",
            self.rejected
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ------------------------------------------------------------------------------------------------
// A DER tree to edit: constructed values and the DER inside OCTET STRINGs and BIT STRINGs (an
// extension's value, a key) are nodes with children, so an edit deep inside is re-encoded with
// correct lengths all the way up.

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Leaf(u8, Vec<u8>),
    /// Tag, bytes before the children (a BIT STRING's unused-bits octet), children.
    Tree(u8, Vec<u8>, Vec<Node>),
}

impl Node {
    fn tag(&self) -> u8 {
        match self {
            Node::Leaf(t, _) | Node::Tree(t, _, _) => *t,
        }
    }
    fn set_tag(&mut self, tag: u8) {
        match self {
            Node::Leaf(t, _) | Node::Tree(t, _, _) => *t = tag,
        }
    }
    fn encode(&self) -> Vec<u8> {
        match self {
            Node::Leaf(tag, content) => der(*tag, content),
            Node::Tree(tag, prefix, children) => {
                let mut content = prefix.clone();
                for c in children {
                    content.extend(c.encode());
                }
                der(*tag, &content)
            }
        }
    }
    fn children_mut(&mut self) -> &mut Vec<Node> {
        match self {
            Node::Tree(_, _, c) => c,
            Node::Leaf(..) => panic!("not a tree"),
        }
    }
    fn at(&mut self, path: &[usize]) -> &mut Node {
        match path.split_first() {
            None => self,
            Some((i, rest)) => self.children_mut()[*i].at(rest),
        }
    }
}

/// Parses `bytes` as a sequence of TLVs that re-encode to exactly `bytes`.
fn parse_all(bytes: &[u8]) -> Option<Vec<Node>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (node, len) = parse_one(&bytes[i..])?;
        out.push(node);
        i += len;
    }
    let again: Vec<u8> = out.iter().flat_map(Node::encode).collect();
    (again == bytes).then_some(out)
}

fn parse_one(bytes: &[u8]) -> Option<(Node, usize)> {
    let tag = *bytes.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *bytes.get(1)? as usize;
    let (hdr, len) = match first {
        0..=0x7f => (2, first),
        0x81 => (3, *bytes.get(2)? as usize),
        0x82 => (4, (*bytes.get(2)? as usize) << 8 | *bytes.get(3)? as usize),
        _ => return None,
    };
    let content = bytes.get(hdr..hdr + len)?;
    let node = if tag & 0x20 != 0 || (tag == 0x04 && !content.is_empty()) {
        match parse_all(content) {
            Some(children) => Node::Tree(tag, vec![], children),
            None => Node::Leaf(tag, content.to_vec()),
        }
    } else if tag == 0x03 && content.len() > 1 && content[0] == 0 {
        match parse_all(&content[1..]) {
            Some(children) => Node::Tree(tag, vec![0], children),
            None => Node::Leaf(tag, content.to_vec()),
        }
    } else {
        Node::Leaf(tag, content.to_vec())
    };
    Some((node, hdr + len))
}

fn tree(cert: &[u8]) -> Node {
    let mut nodes = parse_all(cert).expect("a DER certificate");
    assert_eq!(nodes.len(), 1);
    nodes.remove(0)
}

/// Paths of every node below the root.
fn paths(node: &Node, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if let Node::Tree(_, _, children) = node {
        for (i, c) in children.iter().enumerate() {
            prefix.push(i);
            out.push(prefix.clone());
            paths(c, prefix, out);
            prefix.pop();
        }
    }
}

/// The TBSCertificate's fields of a certificate tree.
const TBS: [usize; 1] = [0];

fn tbs_field(cert: &mut Node, i: usize) -> &mut Node {
    cert.at(&[TBS[0], i])
}

/// Index of the first TBS field after the version (1 with a version field, 0 without).
fn serial_index(cert: &Node) -> usize {
    match cert {
        Node::Tree(_, _, c) => match &c[0] {
            Node::Tree(_, _, tbs) => usize::from(tbs[0].tag() == 0xa0),
            _ => unreachable!(),
        },
        _ => unreachable!(),
    }
}

/// The extensions' SEQUENCE OF of a v3 certificate tree.
fn extensions(cert: &mut Node) -> &mut Vec<Node> {
    let tbs = cert.at(&TBS);
    let last = tbs.children_mut().last_mut().unwrap();
    assert_eq!(last.tag(), 0xa3);
    last.children_mut()[0].children_mut()
}

fn extension_oid(ext: &Node) -> Vec<u8> {
    match ext {
        Node::Tree(_, _, c) => c[0].encode(),
        _ => unreachable!(),
    }
}

fn ext(oid_dotted: &str, critical: Option<bool>, value: &[u8]) -> Node {
    let mut body = oid(oid_dotted);
    if let Some(c) = critical {
        body.extend(der(0x01, &[if c { 0xff } else { 0x00 }]));
    }
    body.extend(der(0x04, value));
    tree(&der(0x30, &body))
}

// ------------------------------------------------------------------------------------------------
// Certificates

/// Every certificate in the conformance vectors (JSON strings that are base64 DER certificates
/// or hold PEM certificates) and in the fuzz seeds.
fn vector_certificates() -> Vec<(String, Vec<u8>)> {
    use base64ct::{Base64, Encoding};
    fn walk(label: &str, v: &serde_json::Value, out: &mut Vec<(String, Vec<u8>)>) {
        match v {
            serde_json::Value::String(s) => {
                if s.contains("-----BEGIN CERTIFICATE-----") {
                    for block in s.split("-----BEGIN CERTIFICATE-----").skip(1) {
                        let body: String = block
                            .split("-----END CERTIFICATE-----")
                            .next()
                            .unwrap()
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .collect();
                        if let Ok(der) = Base64::decode_vec(&body) {
                            out.push((label.to_string(), der));
                        }
                    }
                } else if let Ok(der) = Base64::decode_vec(s) {
                    if der.first() == Some(&0x30) {
                        out.push((label.to_string(), der));
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(label, x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(label, x, out)),
            _ => {}
        }
    }
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"),
        &mut paths,
    );
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        walk(&label, &value, &mut out);
    }
    // The fuzz seeds' certificates (DER in chain seeds, PEM, the fixed root): every DER
    // Certificate found at any offset.
    let mut seeds = Vec::new();
    files_any(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds"),
        &mut seeds,
    );
    seeds.sort();
    for path in seeds {
        let bytes = std::fs::read(&path).unwrap();
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            walk(&label, &serde_json::Value::String(text.into()), &mut out);
        }
        for i in 0..bytes.len().saturating_sub(4) {
            if bytes[i] == 0x30 && bytes[i + 1] == 0x82 {
                let len = 4 + ((bytes[i + 2] as usize) << 8 | bytes[i + 3] as usize);
                if let Some(der) = bytes.get(i..i + len) {
                    use x509_cert::der::Decode;
                    if x509_cert::Certificate::from_der(der).is_ok() {
                        out.push((label.clone(), der.to_vec()));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup_by(|a, b| a.1 == b.1);
    out
}

fn files_any(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_any(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn dn_with(entries: &[(DnType, DnValue)]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for (t, v) in entries {
        dn.push(t.clone(), v.clone());
    }
    dn
}

fn ia5(s: &str) -> rcgen::string::Ia5String {
    s.try_into().unwrap()
}

/// rcgen certificates over many combinations of what a certificate can hold.
fn generated_certificates() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let root = new_root(Kind::P256, "generated root");
    let mut push = |label: &str, params: CertificateParams| {
        let cert = issue(params, Key::new(Kind::P256), &root);
        out.push((label.to_string(), cert.der));
    };

    // Names: attribute types, string types, characters to escape.
    let names: Vec<(&str, DistinguishedName)> = vec![
        ("empty", DistinguishedName::new()),
        (
            "many attributes",
            dn_with(&[
                (
                    DnType::CountryName,
                    DnValue::PrintableString("US".try_into().unwrap()),
                ),
                (DnType::StateOrProvinceName, "CA".into()),
                (DnType::LocalityName, "SF".into()),
                (DnType::OrganizationName, "Org, Inc.".into()),
                (DnType::OrganizationalUnitName, "unit+1".into()),
                (DnType::CommonName, "#lead ing ".into()),
            ]),
        ),
        (
            "string kinds",
            dn_with(&[
                (DnType::CommonName, DnValue::Ia5String(ia5("ia5"))),
                (
                    DnType::OrganizationName,
                    DnValue::TeletexString("teletex".try_into().unwrap()),
                ),
                (
                    DnType::OrganizationalUnitName,
                    DnValue::BmpString("bmp é".try_into().unwrap()),
                ),
                (
                    DnType::LocalityName,
                    DnValue::UniversalString("universal".try_into().unwrap()),
                ),
                (DnType::StateOrProvinceName, "utf8 é \u{1F600}".into()),
            ]),
        ),
        (
            "escapes",
            dn_with(&[(DnType::CommonName, " a\"b<c>d;e\\f\u{1}g\u{7f} ".into())]),
        ),
        (
            "custom types",
            dn_with(&[
                (
                    DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
                    DnValue::Ia5String(ia5("example")),
                ),
                (
                    DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
                    DnValue::Ia5String(ia5("a@b.c")),
                ),
                (
                    DnType::CustomDnType(vec![1, 3, 6, 1, 4, 1, 99999, 1]),
                    "unknown".into(),
                ),
                (DnType::CustomDnType(vec![2, 5, 4, 5]), "serial".into()),
            ]),
        ),
    ];
    for (label, dn) in names {
        let mut p = leaf_params("spiffe://example.org/names");
        p.distinguished_name = dn;
        push(&format!("name {label}"), p);
    }

    // Serial numbers: rcgen encodes the bytes as a positive INTEGER.
    let serials: Vec<Vec<u8>> = vec![
        vec![0],
        vec![1],
        vec![0x7f],
        vec![0x80],
        vec![0xff; 19],
        vec![0xff; 20],
        vec![0x7f; 21],
        vec![0x80; 21],
    ];
    for s in serials {
        let mut p = leaf_params("spiffe://example.org/serial");
        p.serial_number = Some(SerialNumber::from_slice(&s));
        push(&format!("serial {}", hex(&s)), p);
    }

    // Validity: UTCTime's range ends, GeneralizedTime from 2050 and before 1950, leap days.
    let times: [(i64, i64); 7] = [
        (-631_152_000, 0),                  // 1950 .. 1970
        (-562_939_200, -1),                 // 1952-02-29T12:00:00 .. 1969-12-31T23:59:59
        (-62_135_596_800, -11_670_912_000), // 0001-01-01 .. 1600-03-01
        (0, 2_524_607_999),                 // 1970 .. 2049-12-31T23:59:59
        (2_524_608_000, 2_524_608_001),     // 2050
        (1_767_225_600, 253_402_300_799),   // .. 9999-12-31T23:59:59
        (-2_208_988_800, 4_102_444_800),    // 1900 .. 2100
    ];
    for (nb, na) in times {
        let mut p = leaf_params("spiffe://example.org/time");
        p.not_before = time::OffsetDateTime::from_unix_timestamp(nb).unwrap();
        p.not_after = time::OffsetDateTime::from_unix_timestamp(na).unwrap();
        push(&format!("validity {nb}..{na}"), p);
    }

    // Basic constraints, key usages, EKUs.
    for (label, ca) in [
        ("no ca", IsCa::NoCa),
        ("explicit no ca", IsCa::ExplicitNoCa),
        ("ca", IsCa::Ca(BasicConstraints::Unconstrained)),
        ("ca 0", IsCa::Ca(BasicConstraints::Constrained(0))),
        ("ca 255", IsCa::Ca(BasicConstraints::Constrained(255))),
    ] {
        let mut p = ca_params("bc");
        p.is_ca = ca;
        push(&format!("basicConstraints {label}"), p);
    }
    let usages = [
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::DataEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::EncipherOnly,
        KeyUsagePurpose::DecipherOnly,
    ];
    for u in &usages {
        let mut p = leaf_params("spiffe://example.org/ku");
        p.key_usages = vec![*u];
        push(&format!("keyUsage {u:?}"), p);
    }
    let mut p = leaf_params("spiffe://example.org/ku");
    p.key_usages = usages.to_vec();
    push("keyUsage all", p);
    let mut p = leaf_params("spiffe://example.org/ku");
    p.key_usages = vec![];
    push("keyUsage none", p);
    let mut p = leaf_params("spiffe://example.org/eku");
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::Any,
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::CodeSigning,
        ExtendedKeyUsagePurpose::EmailProtection,
        ExtendedKeyUsagePurpose::TimeStamping,
        ExtendedKeyUsagePurpose::OcspSigning,
        ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 4, 1, 99999, 7]),
    ];
    push("eku all", p);

    // Subject alternative names of every kind rcgen makes.
    let mut p = leaf_params("spiffe://example.org/san");
    p.subject_alt_names = vec![
        uri("spiffe://example.org/san"),
        SanType::DnsName(ia5("a.example.org")),
        SanType::DnsName(ia5("*.example.org")),
        SanType::IpAddress("10.1.2.3".parse().unwrap()),
        SanType::IpAddress("::1".parse().unwrap()),
        SanType::Rfc822Name(ia5("x@example.org")),
        SanType::OtherName((
            vec![1, 3, 6, 1, 4, 1, 311, 20, 2, 3],
            OtherNameValue::Utf8String("upn@example.org".into()),
        )),
        uri("https://example.org:8443/x?y#z"),
    ];
    push("san all kinds", p);
    let mut p = leaf_params("spiffe://example.org/san");
    p.subject_alt_names = vec![];
    push("san none", p);

    // Name constraints: every subtree kind rcgen makes, and URI ones.
    let subtrees = vec![
        GeneralSubtree::DnsName("example.org".into()),
        GeneralSubtree::DnsName(".example.org".into()),
        GeneralSubtree::Rfc822Name("example.org".into()),
        GeneralSubtree::IpAddress(CidrSubnet::V4([10, 0, 0, 0], [255, 0, 0, 0])),
        GeneralSubtree::DirectoryName(dn_with(&[(DnType::CommonName, "dir".into())])),
    ];
    for (i, s) in subtrees.iter().enumerate() {
        for permitted in [true, false] {
            let mut p = ca_params("nc");
            let nc = NameConstraints {
                permitted_subtrees: if permitted { vec![s.clone()] } else { vec![] },
                excluded_subtrees: if permitted { vec![] } else { vec![s.clone()] },
            };
            p.name_constraints = Some(nc);
            push(&format!("nameConstraints {i} {permitted}"), p);
        }
    }
    let mut p = ca_params("nc");
    p.name_constraints = Some(NameConstraints {
        permitted_subtrees: subtrees.clone(),
        excluded_subtrees: subtrees,
    });
    push("nameConstraints all", p);
    for (permitted, excluded) in [
        (vec!["example.org"], vec![]),
        (vec![".example.org", "other.org"], vec!["bad.example.org"]),
        (vec![], vec![".evil.org"]),
    ] {
        let mut p = ca_params("nc uri");
        p.custom_extensions = vec![uri_name_constraints(&permitted, &excluded)];
        push(
            &format!("nameConstraints uri {permitted:?} {excluded:?}"),
            p,
        );
    }

    // Key identifiers, unknown and duplicate extensions.
    for (label, method) in [
        ("sha256", KeyIdMethod::Sha256),
        ("empty", KeyIdMethod::PreSpecified(vec![])),
        ("long", KeyIdMethod::PreSpecified(vec![0xab; 64])),
    ] {
        let mut p = leaf_params("spiffe://example.org/kid");
        p.key_identifier_method = method;
        p.use_authority_key_identifier_extension = true;
        push(&format!("key identifier {label}"), p);
    }
    for critical in [false, true] {
        let mut p = leaf_params("spiffe://example.org/unknown");
        p.custom_extensions = vec![unknown_extension(critical), {
            let mut e = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 55555, 2], vec![]);
            e.set_criticality(critical);
            e
        }];
        push(&format!("unknown extension critical={critical}"), p);
    }
    let mut p = leaf_params("spiffe://example.org/dup");
    p.custom_extensions = vec![CustomExtension::from_oid_content(
        &[2, 5, 29, 17],
        der(0x30, &der(0x86, b"spiffe://example.org/dup")),
    )];
    push("duplicate SAN", p);

    // Keys and signatures of every supported kind, and issuers of each.
    for kind in Kind::SUPPORTED {
        let root = new_root(kind, &format!("{kind:?} root"));
        out.push((format!("root {kind:?}"), root.der.clone()));
        let leaf = issue(leaf_params("spiffe://example.org/k"), Key::new(kind), &root);
        out.push((format!("leaf {kind:?}"), leaf.der));
    }
    out
}

// ------------------------------------------------------------------------------------------------
// The tests

#[test]
fn vector_certificates_read_the_same() {
    let certs = vector_certificates();
    assert!(
        certs.len() >= 30,
        "{} certificates in the vectors",
        certs.len()
    );
    let mut tally = Tally::default();
    for (label, der) in &certs {
        tally.check(label, der);
    }
    tally.finish("vector certificates", 30, 0);
}

#[test]
fn generated_certificates_read_the_same() {
    let mut tally = Tally::default();
    for (label, der) in generated_certificates() {
        tally.check(&label, &der);
    }
    tally.finish("generated certificates", 60, 1);
}

/// A leaf with every extension svidkit reads, and a CA with name constraints, as bases to edit.
fn base_certificates() -> (Vec<u8>, Vec<u8>) {
    let root = new_root(Kind::P256, "base root");
    let mut p = leaf_params("spiffe://example.org/base");
    p.subject_alt_names
        .push(SanType::DnsName(ia5("base.example.org")));
    p.subject_alt_names
        .push(SanType::IpAddress("10.0.0.1".parse().unwrap()));
    p.is_ca = IsCa::ExplicitNoCa;
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.use_authority_key_identifier_extension = true;
    p.custom_extensions = vec![unknown_extension(false)];
    let leaf = issue(p, Key::new(Kind::P256), &root);
    let mut p = ca_params_td("base ca", "example.org");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(1));
    // URI, DNS and directoryName subtrees (rcgen's own nameConstraints has no URI ones).
    let subtree = |name: Vec<u8>| der(0x30, &name);
    let permitted = [
        subtree(der(0x86, b"example.org")),
        subtree(der(0x82, b"example.org")),
    ];
    let excluded = [
        subtree(der(0x86, b".evil.org")),
        subtree(der(
            0xa4,
            &der(
                0x30,
                &der(
                    0x31,
                    &der(0x30, &[oid("2.5.4.3"), der(0x0c, b"x")].concat()),
                ),
            ),
        )),
    ];
    let mut nc = CustomExtension::from_oid_content(
        &[2, 5, 29, 30],
        der(
            0x30,
            &[
                der(0xa0, &permitted.concat()),
                der(0xa1, &excluded.concat()),
            ]
            .concat(),
        ),
    );
    nc.set_criticality(true);
    p.custom_extensions = vec![nc];
    let ca = issue(p, Key::new(Kind::P256), &root);
    (leaf.der, ca.der)
}

#[test]
fn hand_made_edge_cases_read_the_same_and_as_pinned() {
    let (leaf, ca) = base_certificates();
    let base = tree(&leaf);
    let si = serial_index(&base);
    assert_eq!(si, 1, "rcgen writes v3");
    let mut cases: Vec<(&str, Vec<u8>, bool)> = Vec::new();
    let edit = |f: &dyn Fn(&mut Node)| {
        let mut t = base.clone();
        f(&mut t);
        t.encode()
    };

    cases.push(("the base leaf", leaf.clone(), true));
    cases.push(("the base CA", ca.clone(), true));
    // Version: absent (v1) with extensions, explicit v1, v2 (extensions need v3), out of range,
    // wrong form; v1 and v2 without extensions.
    cases.push((
        "no version, extensions present",
        edit(&|t| {
            t.at(&TBS).children_mut().remove(0);
        }),
        false,
    ));
    cases.push((
        "no version, no extensions",
        edit(&|t| {
            let tbs = t.at(&TBS).children_mut();
            tbs.remove(0);
            tbs.pop();
        }),
        true,
    ));
    cases.push((
        "v2, no extensions",
        edit(&|t| {
            *tbs_field(t, 0) = tree(&der(0xa0, &der(0x02, &[1])));
            t.at(&TBS).children_mut().pop();
        }),
        true,
    ));
    for (label, v, ok) in [("v1", 0u8, false), ("v2", 1, false), ("v4", 3, false)] {
        cases.push((
            label,
            edit(&|t| *tbs_field(t, 0) = tree(&der(0xa0, &der(0x02, &[v])))),
            ok,
        ));
    }
    cases.push((
        "version not canonical",
        edit(&|t| *tbs_field(t, 0) = tree(&der(0xa0, &der(0x02, &[0, 2])))),
        false,
    ));
    cases.push((
        "version primitive [0]",
        edit(&|t| *tbs_field(t, 0) = Node::Leaf(0x80, der(0x02, &[2]))),
        false,
    ));
    // Serial numbers.
    for (label, content, ok) in [
        ("serial 0", vec![0], true),
        ("serial negative", vec![0x80], true),
        ("serial 21 bytes", [vec![0], vec![0x80; 20]].concat(), true),
        ("serial 22 bytes", [vec![0], vec![0x80; 21]].concat(), false),
        ("serial leading zero", vec![0, 1], false),
        ("serial leading ff", vec![0xff, 0x80], false),
        ("serial empty", vec![], false),
    ] {
        cases.push((
            label,
            edit(&|t| *tbs_field(t, si) = Node::Leaf(0x02, content.clone())),
            ok,
        ));
    }
    // Times: RFC 5280's forms, GeneralizedTime before 2050 (x509-cert takes it).
    for (label, tag, text, ok) in [
        ("utc", 0x17, "250101000000Z", true),
        ("utc no seconds", 0x17, "2501010000Z", false),
        ("utc offset", 0x17, "250101000000+0000", false),
        ("utc feb 30", 0x17, "250230000000Z", false),
        ("generalized 2025", 0x18, "20250101000000Z", true),
        ("generalized fraction", 0x18, "20250101000000.5Z", false),
        ("generalized 2050", 0x18, "20500101000000Z", true),
        ("generalized no Z", 0x18, "20500101000000", false),
    ] {
        cases.push((
            label,
            edit(&|t| {
                tbs_field(t, si + 3).children_mut()[0] = Node::Leaf(tag, text.as_bytes().to_vec())
            }),
            ok,
        ));
    }
    // Unique identifiers, in and out of order and form.
    let spki = si + 5;
    for (label, fields, ok) in [
        ("issuerUniqueID", vec![Node::Leaf(0x81, vec![0, 1])], true),
        (
            "both unique IDs",
            vec![
                Node::Leaf(0x81, vec![0, 1]),
                Node::Leaf(0x82, vec![7, 0x80]),
            ],
            true,
        ),
        (
            "unique IDs swapped",
            vec![Node::Leaf(0x82, vec![0, 1]), Node::Leaf(0x81, vec![0, 1])],
            false,
        ),
        (
            "unique ID constructed",
            vec![Node::Leaf(0xa1, vec![])],
            false,
        ),
        (
            "unique ID constructed, BIT STRING contents",
            vec![Node::Leaf(0xa1, vec![0, 1])],
            false,
        ),
        ("unique ID empty", vec![Node::Leaf(0x81, vec![])], false),
        (
            "unique ID 8 unused bits",
            vec![Node::Leaf(0x81, vec![8, 0])],
            false,
        ),
        ("unknown [4] field", vec![Node::Leaf(0x84, vec![])], false),
    ] {
        cases.push((
            label,
            edit(&|t| {
                let tbs = t.at(&TBS).children_mut();
                for (k, f) in fields.iter().enumerate() {
                    tbs.insert(spki + 1 + k, f.clone());
                }
            }),
            ok,
        ));
    }
    // Extensions.
    cases.push(("empty extensions", edit(&|t| extensions(t).clear()), true));
    cases.push((
        "extensions [3] primitive",
        edit(&|t| {
            let tbs = t.at(&TBS).children_mut();
            let last = tbs.pop().unwrap();
            tbs.push(Node::Leaf(0x83, last.encode()[2..].to_vec()));
        }),
        false,
    ));
    cases.push((
        "critical FALSE encoded",
        edit(&|t| extensions(t).push(ext("1.3.6.1.4.1.55555.9", Some(false), &[5, 0]))),
        true,
    ));
    cases.push((
        "critical BOOLEAN 01",
        edit(&|t| {
            let mut e = ext("1.3.6.1.4.1.55555.9", Some(true), &[5, 0]);
            e.children_mut()[1] = Node::Leaf(0x01, vec![0x01]);
            extensions(t).push(e)
        }),
        false,
    ));
    cases.push((
        "unknown critical extension",
        edit(&|t| extensions(t).push(ext("1.3.6.1.4.1.55555.9", Some(true), &[5, 0]))),
        true,
    ));
    cases.push((
        "extension twice",
        edit(&|t| {
            let e = extensions(t)[0].clone();
            extensions(t).push(e)
        }),
        false,
    ));
    // Names: unsorted and duplicate attributes in a multi-valued RDN (x509-cert sorts them),
    // an empty RDN, values of any type.
    let atv = |oid_: &str, v: Vec<u8>| der(0x30, &[oid(oid_), v].concat());
    let set = |atvs: &[Vec<u8>]| der(0x31, &atvs.concat());
    let rdn_cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "unsorted RDN",
            set(&[
                atv("2.5.4.3", der(0x0c, b"b")),
                atv("2.5.4.3", der(0x0c, b"a")),
            ]),
        ),
        (
            "sorted RDN with duplicate",
            set(&[
                atv("2.5.4.3", der(0x0c, b"a")),
                atv("2.5.4.3", der(0x0c, b"a")),
            ]),
        ),
        (
            "unsorted RDN of different lengths",
            set(&[
                atv("2.5.4.11", der(0x0c, b"longer value")),
                atv("2.5.4.3", der(0x13, b"x")),
                atv("0.9.2342.19200300.100.1.1", der(0x0c, b"u")),
            ]),
        ),
        ("empty RDN", set(&[])),
        (
            "non-string value",
            set(&[atv("2.5.4.3", der(0x30, &der(0x02, &[1])))]),
        ),
        (
            "bad UTF8String value",
            set(&[atv("2.5.4.3", der(0x0c, &[0xff]))]),
        ),
    ];
    for (label, rdn) in rdn_cases {
        for field in [si + 2, si + 4] {
            cases.push((
                label,
                edit(&|t| tbs_field(t, field).children_mut().push(tree(&rdn))),
                true,
            ));
        }
    }
    cases.push((
        "RDN as SEQUENCE",
        edit(&|t| {
            tbs_field(t, si + 4)
                .children_mut()
                .push(tree(&der(0x30, &atv("2.5.4.3", der(0x0c, b"a")))))
        }),
        false,
    ));
    cases.push((
        "attribute with trailing field",
        edit(&|t| {
            let bad = der(
                0x31,
                &der(
                    0x30,
                    &[oid("2.5.4.3"), der(0x0c, b"a"), der(0x05, &[])].concat(),
                ),
            );
            tbs_field(t, si + 4).children_mut().push(tree(&bad))
        }),
        false,
    ));
    // SAN alternatives x509-cert does and does not know.
    let san = |names: Vec<u8>| ext("2.5.29.17", None, &der(0x30, &names));
    let san_cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("x400Address", der(0xa3, &der(0x30, &[])), false),
        (
            "ediPartyName",
            der(0xa5, &der(0xa1, &der(0x0c, b"p"))),
            true,
        ),
        (
            "ediPartyName with assigner",
            der(
                0xa5,
                &[
                    der(0xa0, &der(0x13, b"a")),
                    der(0xa1, &der(0x1e, &[0, 0x41])),
                ]
                .concat(),
            ),
            true,
        ),
        (
            "ediPartyName odd BMPString",
            der(0xa5, &der(0xa1, &der(0x1e, &[0]))),
            false,
        ),
        (
            "ediPartyName UniversalString",
            der(0xa5, &der(0xa1, &der(0x1c, &[0, 0, 0, 0x41]))),
            false,
        ),
        ("ediPartyName without partyName", der(0xa5, &[]), false),
        (
            "directoryName",
            der(0xa4, &der(0x30, &set(&[atv("2.5.4.3", der(0x0c, b"d"))]))),
            true,
        ),
        (
            "directoryName two names",
            der(0xa4, &[der(0x30, &[]), der(0x30, &[])].concat()),
            false,
        ),
        ("registeredID", der(0x88, &oid("1.2.3")[2..]), true),
        ("registeredID bad OID", der(0x88, &[0x80]), false),
        (
            "otherName",
            der(0xa0, &[oid("1.2.3"), der(0xa0, &der(0x0c, b"x"))].concat()),
            true,
        ),
        (
            "otherName [1] value",
            der(0xa0, &[oid("1.2.3"), der(0xa1, &der(0x0c, b"x"))].concat()),
            false,
        ),
        ("DNS not IA5", der(0x82, &[0x80]), false),
        ("DNS UTF-8", der(0x82, "é.example.org".as_bytes()), false),
        ("URI UTF-8", der(0x86, "spiffe://é".as_bytes()), false),
        ("email UTF-8", der(0x81, "é@b".as_bytes()), false),
        (
            "ediPartyName PrintableString *",
            der(0xa5, &der(0xa1, &der(0x13, b"a*"))),
            false,
        ),
        (
            "ediPartyName TeletexString 8-bit",
            der(0xa5, &der(0xa1, &der(0x14, &[0xe9]))),
            false,
        ),
        (
            "ediPartyName UTF8String bad",
            der(0xa5, &der(0xa1, &der(0x0c, &[0xc3]))),
            false,
        ),
        (
            "ediPartyName BMPString surrogate",
            der(0xa5, &der(0xa1, &der(0x1e, &[0xd8, 0, 0xdc, 0]))),
            false,
        ),
        (
            "ediPartyName BMPString U+FFFF",
            der(0xa5, &der(0xa1, &der(0x1e, &[0xff, 0xff]))),
            false,
        ),
        (
            "ediPartyName BMPString U+FFFD",
            der(0xa5, &der(0xa1, &der(0x1e, &[0xff, 0xfd]))),
            true,
        ),
        ("URI constructed", der(0xa6, &der(0x16, b"x")), false),
        ("IP of any length", der(0x87, &[1, 2, 3]), true),
        ("email", der(0x81, b"a@b"), true),
    ];
    for (label, name, ok) in san_cases {
        cases.push((
            label,
            edit(&|t| {
                let exts = extensions(t);
                let at = exts
                    .iter()
                    .position(|e| extension_oid(e) == oid("2.5.29.17"))
                    .unwrap();
                exts[at] = san([der(0x86, b"spiffe://example.org/base"), name.clone()].concat());
            }),
            ok,
        ));
    }
    // Name constraints with minimum/maximum, and their forms.
    let nc = |subtree: Vec<u8>| ext("2.5.29.30", Some(true), &der(0x30, &der(0xa0, &subtree)));
    for (label, subtree, ok) in [
        (
            "nc minimum 0 encoded",
            der(0x30, &[der(0x86, b"example.org"), der(0x80, &[0])].concat()),
            true,
        ),
        (
            "nc minimum 1",
            der(0x30, &[der(0x86, b"example.org"), der(0x80, &[1])].concat()),
            true,
        ),
        (
            "nc maximum",
            der(0x30, &[der(0x86, b"example.org"), der(0x81, &[5])].concat()),
            true,
        ),
        (
            "nc minimum constructed",
            der(0x30, &[der(0x86, b"example.org"), der(0xa0, &[])].concat()),
            false,
        ),
        (
            "nc minimum too big",
            der(
                0x30,
                &[der(0x86, b"e"), der(0x80, &[1, 0, 0, 0, 0])].concat(),
            ),
            false,
        ),
        (
            "nc maximum before minimum",
            der(
                0x30,
                &[der(0x86, b"e"), der(0x81, &[1]), der(0x80, &[1])].concat(),
            ),
            false,
        ),
        ("nc empty subtree", der(0x30, &[]), false),
    ] {
        cases.push((
            label,
            edit(&|t| extensions(t).push(nc(subtree.clone()))),
            ok,
        ));
    }
    cases.push((
        "nc subtrees primitive",
        edit(&|t| extensions(t).push(ext("2.5.29.30", Some(true), &der(0x30, &der(0x80, &[]))))),
        false,
    ));
    cases.push((
        "nc empty",
        edit(&|t| extensions(t).push(ext("2.5.29.30", Some(true), &der(0x30, &[])))),
        true,
    ));
    // Key usage and basic constraints encodings.
    let ku = |bits: Vec<u8>| ext("2.5.29.15", Some(true), &der(0x03, &bits));
    for (label, bits, ok) in [
        ("ku 16 bits", vec![0, 0x80, 0x80], true),
        ("ku 17 bits", vec![7, 0x80, 0x80, 0x80], false),
        ("ku empty", vec![0], true),
        ("ku padding bits set", vec![7, 0xff], true),
    ] {
        cases.push((
            label,
            edit(&|t| {
                let exts = extensions(t);
                let at = exts
                    .iter()
                    .position(|e| extension_oid(e) == oid("2.5.29.15"))
                    .unwrap();
                exts[at] = ku(bits.clone());
            }),
            ok,
        ));
    }
    let bc = |body: Vec<u8>| ext("2.5.29.19", Some(true), &der(0x30, &body));
    for (label, body, ok) in [
        ("bc cA FALSE encoded", der(0x01, &[0]), true),
        ("bc pathLen without cA", der(0x02, &[3]), true),
        (
            "bc pathLen 256",
            [der(0x01, &[0xff]), der(0x02, &[1, 0])].concat(),
            false,
        ),
        (
            "bc pathLen negative",
            [der(0x01, &[0xff]), der(0x02, &[0xff])].concat(),
            false,
        ),
        (
            "bc reversed",
            [der(0x02, &[1]), der(0x01, &[0xff])].concat(),
            false,
        ),
    ] {
        cases.push((
            label,
            edit(&|t| {
                let exts = extensions(t);
                let at = exts
                    .iter()
                    .position(|e| extension_oid(e) == oid("2.5.29.19"))
                    .unwrap();
                exts[at] = bc(body.clone());
            }),
            ok,
        ));
    }
    // AKI with issuer and serial, and their forms.
    let aki = |body: Vec<u8>| ext("2.5.29.35", None, &der(0x30, &body));
    for (label, body, ok) in [
        (
            "aki full",
            [
                der(0x80, &[1, 2]),
                der(0xa1, &der(0x82, b"x")),
                der(0x82, &[1]),
            ]
            .concat(),
            true,
        ),
        ("aki serial only", der(0x82, &[0, 0x80]), true),
        ("aki serial non-canonical", der(0x82, &[0, 1]), false),
        ("aki issuer primitive", der(0x81, &[]), false),
        ("aki key id constructed", der(0xa0, &[]), false),
        ("aki empty", vec![], true),
    ] {
        cases.push((
            label,
            edit(&|t| {
                let exts = extensions(t);
                let at = exts
                    .iter()
                    .position(|e| extension_oid(e) == oid("2.5.29.35"))
                    .unwrap();
                exts[at] = aki(body.clone());
            }),
            ok,
        ));
    }
    // Outside the TBS.
    cases.push(("trailing byte", [leaf.clone(), vec![0]].concat(), false));
    cases.push((
        "signature algorithms differ",
        edit(&|t| t.children_mut()[1] = tree(&alg_id("1.2.840.10045.4.3.3", None))),
        false,
    ));
    cases.push((
        "signature with unused bits",
        edit(&|t| t.children_mut()[2] = Node::Leaf(0x03, vec![1, 0x80])),
        false,
    ));
    cases.push((
        "certificate with a fourth field",
        edit(&|t| t.children_mut().push(Node::Leaf(0x05, vec![]))),
        false,
    ));

    let mut tally = Tally::default();
    let mut wrong = Vec::new();
    for (label, der, ok) in &cases {
        if let Some(accepted) = tally.check(label, der) {
            if accepted != *ok {
                wrong.push(format!("{label}: expected accepted={ok}"));
            }
        }
    }
    tally.finish("hand-made edge cases", 40, 40);
    assert!(
        wrong.is_empty(),
        "verdicts other than pinned:\n{}",
        wrong.join("\n")
    );
    // The unsorted RDN reads as x509-cert reads it: sorted.
    let unsorted = &cases.iter().find(|c| c.0 == "unsorted RDN").unwrap().1;
    let facts = oracle::svidkit_facts(unsorted).unwrap();
    assert!(facts.issuer.starts_with("CN=a+CN=b,"), "{}", facts.issuer);
}

/// Every single-byte change (each bit flipped, set to 00/ff/80/7f, +1/-1), every truncation, and
/// an extra byte at every position and the end.
fn byte_mutations(der: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..der.len() {
        let b = der[i];
        let mut values: Vec<u8> = (0..8).map(|k| b ^ (1 << k)).collect();
        values.extend([0x00, 0xff, 0x80, 0x7f, b.wrapping_add(1), b.wrapping_sub(1)]);
        values.sort();
        values.dedup();
        for v in values {
            if v != b {
                let mut m = der.to_vec();
                m[i] = v;
                out.push(m);
            }
        }
        out.push(der[..i].to_vec());
        let mut m = der.to_vec();
        m.insert(i, 0);
        out.push(m);
    }
    out.push([der, &[0]].concat());
    out
}

#[test]
fn byte_mutations_read_the_same() {
    let (leaf, ca) = base_certificates();
    let mut tally = Tally::default();
    for (name, cert) in [("leaf", &leaf), ("ca", &ca)] {
        for m in byte_mutations(cert) {
            tally.check(name, &m);
        }
    }
    tally.finish("byte mutations", 1000, 5000);
}

const TAGS: [u8; 34] = [
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1c, 0x1e, 0x30, 0x31,
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
    0x10, 0x24,
];

/// Edits of one node: delete, duplicate, swap with the next, every tag, contents changed, a
/// field inserted after it.
fn node_mutations(root: &Node, path: &[usize]) -> Vec<Node> {
    let (last, parent) = path.split_last().unwrap();
    let mut out = Vec::new();
    let mut with = |f: &dyn Fn(&mut Vec<Node>, usize)| {
        let mut t = root.clone();
        f(t.at(parent).children_mut(), *last);
        out.push(t);
    };
    with(&|c, i| {
        c.remove(i);
    });
    with(&|c, i| c.insert(i, c[i].clone()));
    with(&|c, i| {
        if i + 1 < c.len() {
            c.swap(i, i + 1)
        }
    });
    for tag in TAGS {
        with(&|c, i| c[i].set_tag(tag));
    }
    with(&|c, i| {
        let t = c[i].tag();
        c[i].set_tag(t ^ 0x20)
    });
    for extra in [
        der(0x01, &[0]),
        der(0x01, &[0xff]),
        der(0x05, &[]),
        der(0x02, &[0]),
        der(0x80, &[]),
        der(0xa0, &der(0x05, &[])),
        der(0xa3, &der(0x30, &[])),
    ] {
        with(&|c, i| c.insert(i + 1, tree(&extra)));
    }
    let node = root.clone().at(path).clone();
    match node {
        Node::Leaf(_, content) => {
            let mut variants: Vec<Vec<u8>> = vec![
                vec![],
                vec![0],
                vec![0xff],
                vec![0x80],
                [content.clone(), vec![0]].concat(),
                [vec![0], content.clone()].concat(),
                [vec![0xff], content.clone()].concat(),
                [content.clone(), vec![0x80]].concat(),
            ];
            if !content.is_empty() {
                variants.push(content[1..].to_vec());
                variants.push(content[..content.len() - 1].to_vec());
                let mut c = content.clone();
                c[0] ^= 0x80;
                variants.push(c);
            }
            for v in variants {
                with(&|c, i| {
                    let tag = c[i].tag();
                    c[i] = Node::Leaf(tag, v.clone())
                });
            }
        }
        Node::Tree(..) => {
            with(&|c, i| c[i].children_mut().clear());
            with(&|c, i| c[i].children_mut().insert(0, tree(&der(0x01, &[0]))));
            with(&|c, i| c[i].children_mut().push(tree(&der(0x05, &[]))));
            with(&|c, i| c[i].children_mut().reverse());
        }
    }
    out
}

#[test]
fn structural_mutations_read_the_same() {
    let (leaf, ca) = base_certificates();
    // An RSA certificate too: its key and signature have other shapes.
    let rsa = new_root(Kind::Rsa2048, "rsa root").der;
    let mut bases = vec![
        ("leaf".to_string(), leaf),
        ("ca".to_string(), ca),
        ("rsa".to_string(), rsa),
    ];
    // And some of the real ones (every fifth: SPIRE-like leaves and CAs, P-384, RSA chains), and
    // those signed with RSASSA-PSS, whose parameters are read too.
    // The shared vectors' (the edge-* ones are many, some deliberately not DER, and
    // vector_certificates_read_the_same reads each of them).
    let real: Vec<_> = vector_certificates()
        .into_iter()
        .filter(|(name, _)| !name.starts_with("edge-"))
        .collect();
    let pss = oid("1.2.840.113549.1.1.10");
    bases.extend(real.iter().step_by(5).cloned());
    bases.extend(
        real.iter()
            .filter(|(_, der)| der.windows(pss.len()).any(|w| w == pss))
            .cloned(),
    );
    let mut tally = Tally::default();
    let mut seen = std::collections::HashSet::new();
    for (name, cert) in &bases {
        let root = tree(cert);
        assert_eq!(root.encode(), *cert);
        let mut all = Vec::new();
        paths(&root, &mut vec![], &mut all);
        let si = serial_index(&root);
        for path in &all {
            for m in node_mutations(&root, path) {
                let mut variants = vec![m.clone()];
                // The signature algorithm is read only when the TBS's copy is the same: edits of
                // the outer one are also made to both.
                if path.len() > 1 && path[0] == 1 {
                    let mut both = m.clone();
                    let alg = both.at(&[1]).clone();
                    *both.at(&[0, si + 1]) = alg;
                    variants.push(both);
                }
                for v in variants {
                    let der = v.encode();
                    if seen.insert(der.clone()) {
                        tally.check(&format!("{name} at {path:?}"), &der);
                    }
                }
            }
        }
    }
    tally.finish("structural mutations", 1000, 5000);
}
