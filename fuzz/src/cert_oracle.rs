//! svidkit's certificate reader (`svidkit::cert`, strict DER straight off der's reader) held to
//! the one it replaced: x509-cert 0.3's `Certificate` decode and the checks svidkit made after it,
//! kept here as they were. For any bytes both must accept or both reject (with the same error
//! code), and when they accept they must have read the same facts — every public field of `Cert`
//! and the crate-private ones path validation uses (TBS, signature, subject/issuer DER, signature
//! algorithm, name constraints).
//!
//! Shared by tests/cert_differential.rs (a corpus of real, generated and mutated certificates) and
//! the `cert_differential` fuzz target (`#[path]` includes in both, so it needs nothing but
//! svidkit and x509-cert).

use std::string::{String, ToString};
use std::vec::Vec;

use svidkit::cert::{Cert, NameConstraints};
use svidkit::key::{PublicKey, SignatureAlgorithm};
use svidkit::ErrorCode;
use x509_cert::der::asn1::{
    AnyRef, Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, Utf8StringRef,
};
use x509_cert::der::{Decode, Encode, Reader, Tag, TagMode, TagNumber, Tagged};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage,
    NameConstraints as X509NameConstraints, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::Certificate;

/// Everything a parsed certificate tells svidkit.
#[derive(Debug, PartialEq)]
pub struct Facts {
    pub tbs: Vec<u8>,
    pub signature: Vec<u8>,
    pub subject_der: Vec<u8>,
    pub issuer_der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    pub serial: Vec<u8>,
    pub not_before: i64,
    pub not_after: i64,
    /// SPKI DER, description, bits, supported, curve, PSS-only.
    pub key: (Vec<u8>, String, usize, bool, String, bool),
    pub basic_constraints: Option<(bool, Option<u8>)>,
    /// digitalSignature, keyCertSign, cRLSign, names.
    pub key_usage: Option<(bool, bool, bool, Vec<&'static str>, bool)>,
    pub extended_key_usage: Vec<String>,
    pub uris: Vec<String>,
    pub dns_names: Vec<String>,
    pub other_sans: usize,
    pub name_constraints: Option<NameConstraints>,
    pub unknown_critical: Option<String>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    pub signature_algorithm: Result<SignatureAlgorithm, String>,
    pub signature_algorithm_name: String,
}

fn key_facts(key: &PublicKey) -> (Vec<u8>, String, usize, bool, String, bool) {
    (
        key.spki_der().to_vec(),
        key.description().to_string(),
        key.bits(),
        key.is_supported(),
        format!("{:?}", key.curve()),
        key.pss_only(),
    )
}

/// The facts as svidkit reads them now.
pub fn svidkit_facts(der: &[u8]) -> Result<Facts, ErrorCode> {
    let cert = Cert::from_der(der).map_err(|e| e.code())?;
    let internals = cert.internals();
    Ok(Facts {
        tbs: internals.tbs.to_vec(),
        signature: internals.signature.to_vec(),
        subject_der: internals.subject_der.to_vec(),
        issuer_der: internals.issuer_der.to_vec(),
        name_constraints: internals.name_constraints.cloned(),
        signature_algorithm: internals.signature_algorithm.map_err(str::to_string),
        subject: cert.subject.clone(),
        issuer: cert.issuer.clone(),
        serial: cert.serial.clone(),
        not_before: cert.not_before,
        not_after: cert.not_after,
        key: key_facts(&cert.key),
        basic_constraints: cert.basic_constraints,
        key_usage: cert.key_usage.clone().map(|k| {
            (
                k.digital_signature,
                k.key_cert_sign,
                k.crl_sign,
                k.names,
                k.critical,
            )
        }),
        extended_key_usage: cert.extended_key_usage.clone(),
        uris: cert.uris.clone(),
        dns_names: cert.dns_names.clone(),
        other_sans: cert.other_sans,
        unknown_critical: cert.unknown_critical.clone(),
        subject_key_id: cert.subject_key_id.clone(),
        authority_key_id: cert.authority_key_id.clone(),
        signature_algorithm_name: cert.signature_algorithm_name.clone(),
    })
}

/// Both readings of `der`: `Ok(accepted)` when they agree, else what differs.
pub fn compare(der: &[u8]) -> Result<bool, String> {
    let ours = svidkit_facts(der);
    let theirs = x509_cert_facts(der);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if a == b => Ok(true),
        (Err(a), Err(b)) if a == b => Ok(false),
        (Ok(a), Ok(b)) => {
            let a = format!("{a:#?}");
            let b = format!("{b:#?}");
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .map(|(x, y)| format!("  svidkit:   {x}\n  x509-cert: {y}"))
                .collect();
            Err(format!("both accept, facts differ:\n{}", diff.join("\n")))
        }
        _ => Err(format!(
            "verdicts differ: svidkit {:?}, x509-cert {:?}",
            ours.as_ref().map(|_| "accepts"),
            theirs.as_ref().map(|_| "accepts")
        )),
    }
}

// ------------------------------------------------------------------------------------------------
// svidkit's reading before: x509-cert's decode, then the same checks and conversions.

fn unix(d: core::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).expect("der's times end in 9999")
}

/// x509-cert (der's `DateTime`) reads no time before 1970, which svidkit now reads (RFC 5280's
/// UTCTime starts in 1950). So x509-cert is shown the same certificate with each such time moved
/// into its range along a calendar that repeats — a UTCTime 28 years later (1950–1969 →
/// 1978–1997: the same leap years, no century in between), a GeneralizedTime by whole 400-year
/// Gregorian cycles — and the move is taken off the seconds it reads. Same lengths, so nothing
/// else in the encoding changes; bytes that aren't such a time are left as they are. Returns the
/// bytes for x509-cert and the seconds notBefore and notAfter were moved by.
fn before_1970_shifted(der: &[u8]) -> (Vec<u8>, [i64; 2]) {
    const DAY: i64 = 86_400;
    let mut out = der.to_vec();
    let mut shifts = [0i64; 2];
    let Some(times) = validity_times(der) else {
        return (out, shifts);
    };
    for (i, (tag, start, len)) in times.into_iter().enumerate() {
        let body = &der[start..start + len];
        let digits = |range: core::ops::Range<usize>| -> Option<u32> {
            let d = body.get(range)?;
            d.iter()
                .all(u8::is_ascii_digit)
                .then(|| d.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
        };
        match (tag, len) {
            (0x17, 13) => {
                if let Some(yy @ 50..=69) = digits(0..2) {
                    let moved = yy + 28;
                    out[start] = b'0' + (moved / 10) as u8;
                    out[start + 1] = b'0' + (moved % 10) as u8;
                    shifts[i] = (28 * 365 + 7) * DAY;
                }
            }
            (0x18, 15) => {
                if let Some(year @ 0..=1969) = digits(0..4) {
                    let cycles = (1970 - year).div_ceil(400);
                    let moved = year + 400 * cycles;
                    for (k, place) in [1000, 100, 10, 1].into_iter().enumerate() {
                        out[start + k] = b'0' + (moved / place % 10) as u8;
                    }
                    shifts[i] = i64::from(cycles) * 146_097 * DAY;
                }
            }
            _ => {}
        }
    }
    (out, shifts)
}

/// (tag, content offset, content length) of the two Validity times, found by walking the
/// Certificate's TLVs; None if the bytes don't get that far.
fn validity_times(der: &[u8]) -> Option<[(u8, usize, usize); 2]> {
    // One TLV at `at`: (tag, content offset, content length).
    fn tlv(der: &[u8], at: usize) -> Option<(u8, usize, usize)> {
        let tag = *der.get(at)?;
        let first = *der.get(at + 1)?;
        let (len, start) = if first < 0x80 {
            (usize::from(first), at + 2)
        } else {
            let n = usize::from(first & 0x7f);
            let bytes = der.get(at + 2..at + 2 + n)?;
            (
                bytes.iter().fold(0usize, |l, &b| (l << 8) | usize::from(b)),
                at + 2 + n,
            )
        };
        (start.checked_add(len)? <= der.len()).then_some((tag, start, len))
    }
    let (_, cert, _) = tlv(der, 0)?;
    let (_, tbs, _) = tlv(der, cert)?;
    let mut at = tbs;
    let (tag, start, len) = tlv(der, at)?;
    if tag == 0xa0 {
        at = start + len; // version
    }
    for _ in 0..3 {
        // serialNumber, signature, issuer
        let (_, start, len) = tlv(der, at)?;
        at = start + len;
    }
    let (_, validity, _) = tlv(der, at)?;
    let not_before = tlv(der, validity)?;
    let not_after = tlv(der, not_before.1 + not_before.2)?;
    Some([not_before, not_after])
}

fn malformed<T>(_: T) -> ErrorCode {
    ErrorCode::Malformed
}

/// The facts as svidkit read them with x509-cert.
pub fn x509_cert_facts(der: &[u8]) -> Result<Facts, ErrorCode> {
    if der.len() > svidkit::error::limits::MAX_CERT_LEN {
        return Err(ErrorCode::Malformed);
    }
    let (shifted, shifts) = before_1970_shifted(der);
    let cert = Certificate::from_der(&shifted).map_err(malformed)?;
    let tbs_cert = cert.tbs_certificate();
    // x509-cert takes the optional fields with any version; svidkit now holds them to it
    // (RFC 5280 §4.1.2.1: unique IDs need v2 or v3, extensions v3).
    let version = tbs_cert.version();
    let unique_ids =
        tbs_cert.issuer_unique_id().is_some() || tbs_cert.subject_unique_id().is_some();
    if (unique_ids && version == x509_cert::certificate::Version::V1)
        || (tbs_cert.extensions().is_some() && version != x509_cert::certificate::Version::V3)
    {
        return Err(ErrorCode::Malformed);
    }
    let spki_der = tbs_cert
        .subject_public_key_info()
        .to_der()
        .map_err(malformed)?;
    SubjectPublicKeyInfoRef::from_der(&spki_der).map_err(malformed)?;
    let key = PublicKey::from_spki_der(&spki_der).map_err(|e| e.code())?;
    let sig_alg_der = cert.signature_algorithm().to_der().map_err(malformed)?;
    let sig_alg = AlgorithmIdentifierRef::from_der(&sig_alg_der).map_err(malformed)?;
    if tbs_cert.signature().to_der().map_err(malformed)? != sig_alg_der {
        return Err(ErrorCode::Malformed);
    }
    let signature = cert
        .signature()
        .as_bytes()
        .ok_or(ErrorCode::Malformed)?
        .to_vec();
    // The TBS as received: the Certificate's first element.
    let tbs = {
        let mut r = x509_cert::der::SliceReader::new(der).map_err(malformed)?;
        r.sequence(|r| {
            let tbs = r.tlv_bytes()?;
            r.tlv_bytes()?;
            r.tlv_bytes()?;
            Ok::<_, x509_cert::der::Error>(tbs)
        })
        .map_err(malformed)?
        .to_vec()
    };
    let validity = tbs_cert.validity();
    let mut facts = Facts {
        tbs,
        signature,
        subject_der: tbs_cert.subject().to_der().map_err(malformed)?,
        issuer_der: tbs_cert.issuer().to_der().map_err(malformed)?,
        subject: to_rfc4514(tbs_cert.subject()),
        issuer: to_rfc4514(tbs_cert.issuer()),
        serial: strip_sign_byte(tbs_cert.serial_number().as_bytes()).to_vec(),
        not_before: unix(validity.not_before.to_unix_duration()) - shifts[0],
        not_after: unix(validity.not_after.to_unix_duration()) - shifts[1],
        key: key_facts(&key),
        basic_constraints: None,
        key_usage: None,
        extended_key_usage: Vec::new(),
        uris: Vec::new(),
        dns_names: Vec::new(),
        other_sans: 0,
        name_constraints: None,
        unknown_critical: None,
        subject_key_id: None,
        authority_key_id: None,
        signature_algorithm: signature_algorithm(&sig_alg),
        signature_algorithm_name: signature_algorithm_name(sig_alg.oid),
    };
    let Some(extensions) = tbs_cert.extensions() else {
        return Ok(facts);
    };
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for ext in extensions.iter() {
        if seen.contains(&ext.extn_id) {
            return Err(ErrorCode::Malformed);
        }
        seen.push(ext.extn_id);
        let value = ext.extn_value.as_bytes();
        match ext.extn_id.to_string().as_str() {
            "2.5.29.19" => {
                let bc = BasicConstraints::from_der(value).map_err(malformed)?;
                facts.basic_constraints = Some((bc.ca, bc.path_len_constraint));
            }
            "2.5.29.15" => {
                let ku = KeyUsage::from_der(value).map_err(malformed)?;
                facts.key_usage = Some((
                    ku.digital_signature(),
                    ku.key_cert_sign(),
                    ku.crl_sign(),
                    key_usage_names(&ku),
                    ext.critical,
                ));
            }
            "2.5.29.37" => {
                let eku = ExtendedKeyUsage::from_der(value).map_err(malformed)?;
                facts.extended_key_usage = eku.0.iter().map(|o| eku_name(*o)).collect();
            }
            "2.5.29.17" => {
                let san = SubjectAltName::from_der(value).map_err(malformed)?;
                for name in san.0 {
                    match name {
                        GeneralName::UniformResourceIdentifier(uri) => {
                            facts.uris.push(uri.to_string())
                        }
                        GeneralName::DnsName(dns) => facts.dns_names.push(dns.to_string()),
                        _ => facts.other_sans += 1,
                    }
                }
            }
            "2.5.29.30" => {
                let nc = X509NameConstraints::from_der(value).map_err(malformed)?;
                facts.name_constraints = Some(reduce(&nc));
            }
            "2.5.29.14" => {
                let ski = SubjectKeyIdentifier::from_der(value).map_err(malformed)?;
                facts.subject_key_id = Some(ski.0.as_bytes().to_vec());
            }
            "2.5.29.35" => {
                let aki = AuthorityKeyIdentifier::from_der(value).map_err(malformed)?;
                facts.authority_key_id = aki.key_identifier.map(|k| k.as_bytes().to_vec());
            }
            other if ext.critical && facts.unknown_critical.is_none() => {
                facts.unknown_critical = Some(other.to_string());
            }
            _ => {}
        }
    }
    Ok(facts)
}

/// What svidkit's name-constraint check used of x509-cert's NameConstraints.
fn reduce(nc: &X509NameConstraints) -> NameConstraints {
    let permitted = nc.permitted_subtrees.as_deref().unwrap_or(&[]);
    let excluded = nc.excluded_subtrees.as_deref().unwrap_or(&[]);
    let evaluable = permitted.iter().chain(excluded).all(|s| {
        matches!(
            s.base,
            GeneralName::UniformResourceIdentifier(_) | GeneralName::DnsName(_)
        ) && s.minimum == 0
            && s.maximum.is_none()
    });
    let uris = |subtrees: &[x509_cert::ext::pkix::constraints::name::GeneralSubtree]| {
        subtrees
            .iter()
            .filter_map(|s| match &s.base {
                GeneralName::UniformResourceIdentifier(b) => Some(b.to_string()),
                _ => None,
            })
            .collect()
    };
    let dns = |subtrees: &[x509_cert::ext::pkix::constraints::name::GeneralSubtree]| {
        subtrees
            .iter()
            .filter_map(|s| match &s.base {
                GeneralName::DnsName(b) => Some(b.to_string()),
                _ => None,
            })
            .collect()
    };
    NameConstraints {
        evaluable,
        permitted_uris: uris(permitted),
        permitted_dns: dns(permitted),
        excluded_uris: uris(excluded),
        excluded_dns: dns(excluded),
    }
}

fn strip_sign_byte(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => bytes,
    }
}

fn key_usage_names(ku: &KeyUsage) -> Vec<&'static str> {
    [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "contentCommitment"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, name)| name)
    .collect()
}

fn eku_name(oid: ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.3.6.1.5.5.7.3.1" => "serverAuth".into(),
        "1.3.6.1.5.5.7.3.2" => "clientAuth".into(),
        "1.3.6.1.5.5.7.3.3" => "codeSigning".into(),
        "1.3.6.1.5.5.7.3.4" => "emailProtection".into(),
        other => other.into(),
    }
}

fn signature_algorithm_name(oid: ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.3.101.112" => "Ed25519",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        other => return other.into(),
    }
    .into()
}

fn signature_algorithm(alg: &AlgorithmIdentifierRef<'_>) -> Result<SignatureAlgorithm, String> {
    let no_params = alg.parameters.is_none();
    let null_or_none = alg.parameters.is_none_or(|p| p.is_null());
    match alg.oid.to_string().as_str() {
        "1.2.840.10045.4.3.2" if no_params => Ok(SignatureAlgorithm::Es256),
        "1.2.840.10045.4.3.3" if no_params => Ok(SignatureAlgorithm::Es384),
        "1.2.840.10045.4.3.4" if no_params => Ok(SignatureAlgorithm::Es512),
        "1.2.840.113549.1.1.11" if null_or_none => Ok(SignatureAlgorithm::Rs256),
        "1.2.840.113549.1.1.12" if null_or_none => Ok(SignatureAlgorithm::Rs384),
        "1.2.840.113549.1.1.13" if null_or_none => Ok(SignatureAlgorithm::Rs512),
        "1.3.101.112" if no_params => Ok(SignatureAlgorithm::Ed25519),
        "1.2.840.113549.1.1.10" => pss_algorithm(alg.parameters),
        _ => Err(format!(
            "signature algorithm {} is not supported",
            signature_algorithm_name(alg.oid)
        )),
    }
}

fn pss_algorithm(params: Option<AnyRef<'_>>) -> Result<SignatureAlgorithm, String> {
    let unsupported = || {
        String::from("RSASSA-PSS parameters other than SHA-2 with MGF1 of the same hash and a salt of the hash length are not supported")
    };
    let sha1 = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
    let params = params.ok_or_else(unsupported)?;
    let parsed = params
        .sequence(|r| {
            let hash = r
                .context_specific::<AlgorithmIdentifierRef<'_>>(TagNumber(0), TagMode::Explicit)?
                .map(|a| a.oid)
                .unwrap_or(sha1);
            let mgf =
                r.context_specific::<AlgorithmIdentifierRef<'_>>(TagNumber(1), TagMode::Explicit)?;
            let mgf_hash = match mgf {
                None => sha1,
                Some(m) if m.oid.to_string() == "1.2.840.113549.1.1.8" => {
                    m.parameters
                        .ok_or(x509_cert::der::ErrorKind::Failed)?
                        .decode_as::<AlgorithmIdentifierRef<'_>>()?
                        .oid
                }
                Some(_) => return Err(x509_cert::der::ErrorKind::Failed.into()),
            };
            let salt = r
                .context_specific::<u32>(TagNumber(2), TagMode::Explicit)?
                .unwrap_or(20);
            let trailer = r
                .context_specific::<u32>(TagNumber(3), TagMode::Explicit)?
                .unwrap_or(1);
            Ok::<_, x509_cert::der::Error>((hash, mgf_hash, salt, trailer))
        })
        .map_err(|_| unsupported())?;
    let (hash, mgf_hash, salt, trailer) = parsed;
    let (alg, want) = match hash.to_string().as_str() {
        "2.16.840.1.101.3.4.2.1" => (SignatureAlgorithm::Ps256, 32),
        "2.16.840.1.101.3.4.2.2" => (SignatureAlgorithm::Ps384, 48),
        "2.16.840.1.101.3.4.2.3" => (SignatureAlgorithm::Ps512, 64),
        _ => return Err(unsupported()),
    };
    if mgf_hash != hash || salt != want || trailer != 1 {
        return Err(unsupported());
    }
    Ok(alg)
}

// RFC 4514 strings as svidkit writes them, from x509-cert's `Name`: the attribute names are
// const-oid's database's shortest (upper-cased) for X.520's types (2.5.4.*) and for UID, MAIL, DC
// and emailAddress; other types are written as the OID and the value's DER in hex.

const OTHERS: [&str; 4] = [
    "0.9.2342.19200300.100.1.1",
    "0.9.2342.19200300.100.1.3",
    "0.9.2342.19200300.100.1.25",
    "1.2.840.113549.1.9.1",
];

fn attribute_name(oid: ObjectIdentifier) -> Option<String> {
    let dotted = oid.to_string();
    if !dotted.starts_with("2.5.4.") && !OTHERS.contains(&dotted.as_str()) {
        return None;
    }
    let mut best: Option<&str> = None;
    for name in x509_cert::der::oid::db::DB.find_names_for_oid(oid) {
        if best.is_none_or(|b| name.len() < b.len()) {
            best = Some(name);
        }
    }
    best.map(|b| b.to_ascii_uppercase())
}

fn to_rfc4514(name: &Name) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, rdn) in name
        .iter_rdn()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let v = &atv.value;
            let text = match v.tag() {
                Tag::PrintableString => PrintableStringRef::try_from(v).ok().map(|s| s.as_str()),
                Tag::Utf8String => Utf8StringRef::try_from(v).ok().map(|s| s.as_str()),
                Tag::Ia5String => Ia5StringRef::try_from(v).ok().map(|s| s.as_str()),
                Tag::TeletexString => TeletexStringRef::try_from(v).ok().map(|s| s.as_str()),
                _ => None,
            };
            if let (Some(key), Some(val)) = (attribute_name(atv.oid), text) {
                out.push_str(&key);
                out.push('=');
                let mut chars = val.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '#' if i == 0 => out.push_str("\\#"),
                        ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
                        '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        '\x00'..='\x1f' | '\x7f' => {
                            let _ = write!(out, "\\{:02x}", c as u8);
                        }
                        _ => out.push(c),
                    }
                }
            } else {
                let _ = write!(out, "{}=#", atv.oid);
                for b in v.to_der().unwrap_or_default() {
                    let _ = write!(out, "{b:02x}");
                }
            }
        }
    }
    out
}
