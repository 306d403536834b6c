//! One X.509 certificate, parsed once into the facts path validation and the SVID profile need.
//!
//! The DER is read field by field with der's reader, under exactly the rules x509-cert 0.3's
//! RFC 5280 profile decoded it with: strict DER everywhere, the same optional and default fields,
//! the same checks of every string, time, integer and GeneralName (tests/cert_differential.rs
//! holds the two to the same verdict and the same facts on many certificates and mutations of
//! them). x509-cert's derive-generated decoders of every certificate type were most of the .wasm;
//! this reads only what a certificate has. The raw TBS bytes are kept for the signature check, so
//! nothing is re-encoded.
//!
//! The readers below are `#[inline(never)]`: inlined into `Cert::from_der` (most are called once)
//! or into each caller, the .wasm came out a few kB larger.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use der::asn1::{
    AnyRef, BitStringRef, BmpString, Ia5StringRef, IntRef, ObjectIdentifier, PrintableStringRef,
    TeletexStringRef, Utf8StringRef,
};
use der::{Decode, DecodeValue, ErrorKind, Header, Reader, SliceReader, Tag};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use crate::dn::{contents, object_identifier, read_name, tlv};
use crate::error::{limits, Error, Result};
use crate::key::{PublicKey, SignatureAlgorithm};

// Extension OIDs (DER bodies), the ones svidkit reads.
const BASIC_CONSTRAINTS: &[u8] = b"\x55\x1d\x13";
const KEY_USAGE: &[u8] = b"\x55\x1d\x0f";
const EXT_KEY_USAGE: &[u8] = b"\x55\x1d\x25";
const SUBJECT_ALT_NAME: &[u8] = b"\x55\x1d\x11";
const NAME_CONSTRAINTS: &[u8] = b"\x55\x1d\x1e";
const SUBJECT_KEY_ID: &[u8] = b"\x55\x1d\x0e";
const AUTHORITY_KEY_ID: &[u8] = b"\x55\x1d\x23";

/// The parameters a supported signature algorithm's AlgorithmIdentifier may have.
#[derive(Clone, Copy)]
enum Params {
    Absent,
    AbsentOrNull,
    /// RSASSA-PSS-params, which decide the algorithm.
    Pss,
}

/// A signature algorithm OID (DER body), its name, and what svidkit verifies it as.
type SignatureAlgorithmEntry = (
    &'static [u8],
    &'static str,
    Option<(SignatureAlgorithm, Params)>,
);

#[rustfmt::skip]
const SIGNATURE_ALGORITHMS: [SignatureAlgorithmEntry; 11] = [
    (b"\x2a\x86\x48\xce\x3d\x04\x03\x02", "ecdsa-with-SHA256", Some((SignatureAlgorithm::Es256, Params::Absent))),
    (b"\x2a\x86\x48\xce\x3d\x04\x03\x03", "ecdsa-with-SHA384", Some((SignatureAlgorithm::Es384, Params::Absent))),
    (b"\x2a\x86\x48\xce\x3d\x04\x03\x04", "ecdsa-with-SHA512", Some((SignatureAlgorithm::Es512, Params::Absent))),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b", "sha256WithRSAEncryption", Some((SignatureAlgorithm::Rs256, Params::AbsentOrNull))),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c", "sha384WithRSAEncryption", Some((SignatureAlgorithm::Rs384, Params::AbsentOrNull))),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0d", "sha512WithRSAEncryption", Some((SignatureAlgorithm::Rs512, Params::AbsentOrNull))),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a", "RSASSA-PSS", Some((SignatureAlgorithm::Ps256, Params::Pss))),
    (b"\x2b\x65\x70", "Ed25519", Some((SignatureAlgorithm::Ed25519, Params::Absent))),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05", "sha1WithRSAEncryption", None),
    (b"\x2a\x86\x48\xce\x3d\x04\x01", "ecdsa-with-SHA1", None),
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x04", "md5WithRSAEncryption", None),
];

const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const OID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// The key usage bits svidkit's rules look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyUsageBits {
    /// digitalSignature
    pub digital_signature: bool,
    /// keyCertSign
    pub key_cert_sign: bool,
    /// cRLSign
    pub crl_sign: bool,
    /// Every usage set, by its RFC 5280 name (`digitalSignature`, `keyEncipherment`, ...).
    pub names: Vec<&'static str>,
    /// Whether the extension is marked critical (X509-SVID §4.3 requires it on every SVID).
    pub critical: bool,
}

/// A nameConstraints extension as svidkit evaluates it: the bases of its URI and DNS subtrees,
/// in order, and whether it has only those. Public only for tests/cert_differential.rs.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameConstraints {
    /// Every subtree is a URI or DNS name with the default minimum (0) and no maximum; any other
    /// subtree is a constraint svidkit cannot evaluate, which fails every path through the CA.
    pub evaluable: bool,
    /// Permitted URI subtrees.
    pub permitted_uris: Vec<String>,
    /// Permitted DNS subtrees.
    pub permitted_dns: Vec<String>,
    /// Excluded URI subtrees.
    pub excluded_uris: Vec<String>,
    /// Excluded DNS subtrees.
    pub excluded_dns: Vec<String>,
}

/// A parsed certificate.
#[derive(Clone, Debug)]
pub struct Cert {
    der: Vec<u8>,
    tbs: core::ops::Range<usize>,
    pub(crate) signature_algorithm: core::result::Result<SignatureAlgorithm, String>,
    pub(crate) signature: Vec<u8>,
    pub(crate) subject_der: Vec<u8>,
    pub(crate) issuer_der: Vec<u8>,
    /// Subject as an RFC 4514 string.
    pub subject: String,
    /// Issuer as an RFC 4514 string.
    pub issuer: String,
    /// Serial number, big-endian bytes without a leading sign byte.
    pub serial: Vec<u8>,
    /// notBefore, Unix seconds (negative before 1970).
    pub not_before: i64,
    /// notAfter, Unix seconds (negative before 1970).
    pub not_after: i64,
    /// The subject public key.
    pub key: PublicKey,
    /// basicConstraints: `None` when absent, else (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u8>)>,
    /// keyUsage, `None` when absent.
    pub key_usage: Option<KeyUsageBits>,
    /// extendedKeyUsage OIDs as dotted strings (not checked; shown by inspect).
    pub extended_key_usage: Vec<String>,
    /// URI SANs, in order.
    pub uris: Vec<String>,
    /// DNS SANs, in order.
    pub dns_names: Vec<String>,
    /// Count of SANs of other kinds (email, IP, ...).
    pub other_sans: usize,
    pub(crate) name_constraints: Option<NameConstraints>,
    /// OID of the first critical extension svidkit does not process.
    pub unknown_critical: Option<String>,
    /// subjectKeyIdentifier bytes.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier bytes.
    pub authority_key_id: Option<Vec<u8>>,
    /// Name of the signature algorithm (`ecdsa-with-SHA256`, ... or the OID when unknown).
    pub signature_algorithm_name: String,
}

/// The crate-private parts of a [`Cert`], for tests/cert_differential.rs and the differential
/// fuzz target, which compare them with x509-cert's reading of the same bytes.
#[doc(hidden)]
#[derive(Debug)]
pub struct Internals<'a> {
    /// The TBSCertificate as received.
    pub tbs: &'a [u8],
    /// The signature BIT STRING's bytes.
    pub signature: &'a [u8],
    /// The subject Name's DER (multi-valued RDNs in DER order).
    pub subject_der: &'a [u8],
    /// The issuer Name's DER (multi-valued RDNs in DER order).
    pub issuer_der: &'a [u8],
    /// The signature algorithm, or why it is not supported.
    pub signature_algorithm: core::result::Result<SignatureAlgorithm, &'a str>,
    /// The nameConstraints extension.
    pub name_constraints: Option<&'a NameConstraints>,
}

fn malformed(what: &str, e: der::Error) -> Error {
    Error::malformed(format!("certificate is not valid DER ({what}): {e}"))
}

/// One extension as the TBSCertificate holds it.
struct Extension<'a> {
    oid: ObjectIdentifier,
    critical: bool,
    value: &'a [u8],
}

/// A certificate's fields, each checked as x509-cert checked it, none interpreted yet.
struct Fields<'a> {
    tbs: &'a [u8],
    serial: &'a [u8],
    tbs_signature: &'a [u8],
    issuer: Vec<u8>,
    not_before: i64,
    not_after: i64,
    subject: Vec<u8>,
    spki: &'a [u8],
    extensions: Vec<Extension<'a>>,
    signature_algorithm: &'a [u8],
    signature: BitStringRef<'a>,
}

impl Cert {
    /// Parses one DER certificate; the bytes must hold exactly one certificate and nothing else.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > limits::MAX_CERT_LEN {
            return Err(Error::malformed(format!(
                "certificate is {} bytes, over the limit of {}",
                der.len(),
                limits::MAX_CERT_LEN
            )));
        }
        // The whole structure first, then the key, the algorithm and each extension's contents:
        // the order x509-cert's decode and the checks after it went in, so the first failure
        // reported is the one it was.
        let fields = read_certificate(der).map_err(|e| malformed("X.509 structure", e))?;
        // `tbs` is a sub-slice of `der`: its offset is where it starts.
        let start = fields.tbs.as_ptr() as usize - der.as_ptr() as usize;

        let spki = SubjectPublicKeyInfoRef::from_der(fields.spki)
            .map_err(|e| malformed("subjectPublicKeyInfo", e))?;
        let key = PublicKey::from_spki(&spki, fields.spki.to_vec())?;

        let sig_alg = AlgorithmIdentifierRef::from_der(fields.signature_algorithm)
            .map_err(|e| malformed("signatureAlgorithm", e))?;
        let signature_algorithm = signature_algorithm(&sig_alg);
        if fields.tbs_signature != fields.signature_algorithm {
            return Err(Error::malformed(
                "signatureAlgorithm differs from the TBSCertificate's signature field (RFC 5280 §4.1.1.2)",
            ));
        }
        let signature = fields
            .signature
            .as_bytes()
            .ok_or_else(|| Error::malformed("signature BIT STRING has unused bits"))?
            .to_vec();

        let mut parsed = Cert {
            der: der.to_vec(),
            tbs: start..start + fields.tbs.len(),
            signature_algorithm_name: signature_algorithm_name(sig_alg.oid),
            signature_algorithm,
            signature,
            subject: crate::dn::to_rfc4514(&fields.subject),
            issuer: crate::dn::to_rfc4514(&fields.issuer),
            subject_der: fields.subject,
            issuer_der: fields.issuer,
            serial: strip_sign_byte(fields.serial).to_vec(),
            not_before: fields.not_before,
            not_after: fields.not_after,
            key,
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
        };
        parsed.read_extensions(&fields.extensions)?;
        Ok(parsed)
    }

    #[inline(never)]
    fn read_extensions(&mut self, extensions: &[Extension<'_>]) -> Result<()> {
        let mut seen: Vec<ObjectIdentifier> = Vec::new();
        for ext in extensions {
            if seen.contains(&ext.oid) {
                return Err(Error::malformed(format!(
                    "extension {} appears twice (RFC 5280 §4.2)",
                    ext.oid
                )));
            }
            seen.push(ext.oid);
            let name = match ext.oid.as_bytes() {
                BASIC_CONSTRAINTS => "basicConstraints",
                KEY_USAGE => "keyUsage",
                EXT_KEY_USAGE => "extKeyUsage",
                SUBJECT_ALT_NAME => "subjectAltName",
                NAME_CONSTRAINTS => "nameConstraints",
                SUBJECT_KEY_ID => "subjectKeyIdentifier",
                AUTHORITY_KEY_ID => "authorityKeyIdentifier",
                _ => {
                    if ext.critical && self.unknown_critical.is_none() {
                        self.unknown_critical = Some(ext.oid.to_string());
                    }
                    continue;
                }
            };
            self.read_extension(ext.oid, ext.value, ext.critical)
                .map_err(|e| Error::malformed(format!("{name} extension is not valid DER: {e}")))?;
        }
        Ok(())
    }

    /// Reads the value of an extension svidkit processes into its fields.
    #[inline(never)]
    fn read_extension(
        &mut self,
        oid: ObjectIdentifier,
        value: &[u8],
        critical: bool,
    ) -> der::Result<()> {
        match oid.as_bytes() {
            BASIC_CONSTRAINTS => self.basic_constraints = Some(basic_constraints(value)?),
            KEY_USAGE => {
                let bits = key_usage(value)?;
                self.key_usage = Some(KeyUsageBits {
                    digital_signature: bits & 1 != 0,
                    key_cert_sign: bits & 1 << 5 != 0,
                    crl_sign: bits & 1 << 6 != 0,
                    names: KEY_USAGE_NAMES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| bits & 1 << i != 0)
                        .map(|(_, name)| *name)
                        .collect(),
                    critical,
                });
            }
            EXT_KEY_USAGE => self.extended_key_usage = extended_key_usage(value)?,
            SUBJECT_ALT_NAME => {
                let mut names = sequence(value)?;
                while !names.is_finished() {
                    match general_name(&mut names)? {
                        GeneralName::Uri(uri) => self.uris.push(uri.into()),
                        GeneralName::Dns(dns) => self.dns_names.push(dns.into()),
                        GeneralName::Other => self.other_sans += 1,
                    }
                }
            }
            NAME_CONSTRAINTS => self.name_constraints = Some(name_constraints(value)?),
            SUBJECT_KEY_ID => self.subject_key_id = Some(octet_string(value)?.to_vec()),
            AUTHORITY_KEY_ID => {
                self.authority_key_id = authority_key_identifier(value)?.map(<[u8]>::to_vec)
            }
            _ => {}
        }
        Ok(())
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The signed part (TBSCertificate), exactly as it was received.
    pub(crate) fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// Whether subject and issuer names are the same (a self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject_der == self.issuer_der
    }

    /// Whether basicConstraints marks it a CA.
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    #[doc(hidden)]
    pub fn internals(&self) -> Internals<'_> {
        Internals {
            tbs: self.tbs(),
            signature: &self.signature,
            subject_der: &self.subject_der,
            issuer_der: &self.issuer_der,
            signature_algorithm: self
                .signature_algorithm
                .as_ref()
                .copied()
                .map_err(|e| e.as_str()),
            name_constraints: self.name_constraints.as_ref(),
        }
    }
}

/// Certificate, TBSCertificate and Validity (RFC 5280 §4.1), field by field as x509-cert's
/// `Certificate` decodes them.
#[inline(never)]
fn read_certificate(der: &[u8]) -> der::Result<Fields<'_>> {
    let mut outer = SliceReader::new(der)?;
    let mut cert = SliceReader::new(contents(&mut outer, Tag::Sequence)?)?;
    outer.finish()?;
    let tbs = cert.tlv_bytes()?;
    let mut fields = read_tbs(tbs)?;
    fields.signature_algorithm = algorithm_identifier(&mut cert)?;
    let (header, body) = tlv(&mut cert, Tag::BitString)?;
    fields.signature = decode_value(header, body)?;
    cert.finish()?;
    Ok(fields)
}

#[inline(never)]
fn read_tbs(tbs: &[u8]) -> der::Result<Fields<'_>> {
    let mut r = sequence(tbs)?;
    // version [0] EXPLICIT Version DEFAULT v1 (an explicitly encoded v1 is taken, as x509-cert
    // takes it). Unlike x509-cert, the optional fields must fit the version (RFC 5280 §4.1.2.1):
    // unique IDs need v2 or v3, extensions v3 — Go reads no extension of an older certificate and
    // webpki takes none, so a v1 "CA" or "SVID" is no such thing to them either.
    let mut version = 0;
    // A version out of range, or too old for a field that follows.
    let version_error = || der::Error::from(Tag::Integer.value_error());
    if next_is(&r, 0)? {
        let mut v = explicit(&mut r, 0)?;
        let (header, body) = tlv(&mut v, Tag::Integer)?;
        version = decode_value::<u8>(header, body)?;
        if version > 2 {
            return Err(version_error());
        }
        v.finish()?;
    }
    let (header, body) = tlv(&mut r, Tag::Integer)?;
    let serial = serial_number(body, header)?;
    let tbs_signature = algorithm_identifier(&mut r)?;
    let issuer = read_name(&mut r)?;
    let mut validity = SliceReader::new(contents(&mut r, Tag::Sequence)?)?;
    let not_before = time(&mut validity)?;
    let not_after = time(&mut validity)?;
    validity.finish()?;
    let subject = read_name(&mut r)?;
    let spki = r.tlv_bytes()?;
    SubjectPublicKeyInfoRef::from_der(spki)?;
    // issuerUniqueID [1] and subjectUniqueID [2]: IMPLICIT BIT STRINGs, checked, not used.
    for n in [1, 2] {
        if next_is(&r, n)? {
            if version < 1 {
                return Err(version_error());
            }
            let (header, body) = implicit(&mut r, false)?;
            decode_value::<BitStringRef<'_>>(header, body)?;
        }
    }
    // extensions [3] EXPLICIT SEQUENCE OF Extension (empty allowed, as x509-cert allows it).
    let mut extensions = Vec::new();
    if next_is(&r, 3)? {
        if version < 2 {
            return Err(version_error());
        }
        let mut x = explicit(&mut r, 3)?;
        let mut list = SliceReader::new(contents(&mut x, Tag::Sequence)?)?;
        x.finish()?;
        while !list.is_finished() {
            let mut e = SliceReader::new(contents(&mut list, Tag::Sequence)?)?;
            let oid = object_identifier(&mut e)?;
            // critical BOOLEAN DEFAULT FALSE: x509-cert also takes an encoded FALSE.
            let critical = optional(&mut e, Tag::Boolean)?.unwrap_or(false);
            let value = contents(&mut e, Tag::OctetString)?;
            e.finish()?;
            extensions.push(Extension {
                oid,
                critical,
                value,
            });
        }
    }
    r.finish()?;
    Ok(Fields {
        tbs,
        serial,
        tbs_signature,
        issuer,
        not_before,
        not_after,
        subject,
        spki,
        extensions,
        signature_algorithm: &[],
        signature: BitStringRef::from_bytes(&[])?,
    })
}

/// A reader over the contents of the SEQUENCE that is all of `der`.
#[inline(never)]
fn sequence(der: &[u8]) -> der::Result<SliceReader<'_>> {
    let mut outer = SliceReader::new(der)?;
    let inner = SliceReader::new(contents(&mut outer, Tag::Sequence)?)?;
    outer.finish()?;
    Ok(inner)
}

/// Whether the next field is context-specific `[number]`, primitive or constructed: how der
/// decides an OPTIONAL or DEFAULT tagged field is present (the wrong form is then an error).
#[inline(never)]
fn next_is(r: &SliceReader<'_>, number: u32) -> der::Result<bool> {
    Ok(!r.is_finished()
        && matches!(Tag::peek(r)?, Tag::ContextSpecific { number: n, .. } if n.0 == number))
}

/// A value read from its header and contents as der's `Decode` reads it, without der's generic
/// nested-reader wrapper (one copy of which per type was most of the code this needs).
fn decode_value<'a, T: DecodeValue<'a, Error = der::Error>>(
    header: Header,
    body: &'a [u8],
) -> der::Result<T> {
    let mut r = SliceReader::new(body)?;
    let value = T::decode_value(&mut r, header)?;
    r.finish()?;
    Ok(value)
}

/// An OPTIONAL (or DEFAULT) untagged field of type `tag`, present when the next tag is that one
/// (der's `Option<T>`: an encoded DEFAULT value is taken, not rejected).
fn optional<'a, T: DecodeValue<'a, Error = der::Error>>(
    r: &mut SliceReader<'a>,
    tag: Tag,
) -> der::Result<Option<T>> {
    if r.is_finished() || Tag::peek(r)? != tag {
        return Ok(None);
    }
    let (header, body) = tlv(r, tag)?;
    decode_value(header, body).map(Some)
}

/// The contents of an EXPLICIT `[number]` field: constructed, as der requires.
#[inline(never)]
fn explicit<'a>(r: &mut SliceReader<'a>, number: u32) -> der::Result<SliceReader<'a>> {
    let header = Header::decode(r)?;
    match header.tag() {
        Tag::ContextSpecific {
            constructed: true,
            number: n,
        } if n.0 == number => SliceReader::new(r.read_slice(header.length())?),
        tag => Err(tag.unexpected_error(None).into()),
    }
}

/// The header and contents of an IMPLICIT context-specific field, which der requires to be
/// constructed exactly when the underlying type is.
#[inline(never)]
fn implicit<'a>(r: &mut SliceReader<'a>, constructed: bool) -> der::Result<(Header, &'a [u8])> {
    let header = Header::decode(r)?;
    if header.tag().is_constructed() != constructed {
        return Err(header.tag().non_canonical_error().into());
    }
    Ok((header, r.read_slice(header.length())?))
}

/// An AlgorithmIdentifier (OID, optional parameters of any type), as its TLV.
#[inline(never)]
fn algorithm_identifier<'a>(r: &mut SliceReader<'a>) -> der::Result<&'a [u8]> {
    let tlv = r.tlv_bytes()?;
    AlgorithmIdentifierRef::from_der(tlv)?;
    Ok(tlv)
}

/// CertificateSerialNumber: a canonical INTEGER (negative and zero allowed, as x509-cert allows
/// them) of at most 21 bytes — RFC 5280's 20 plus a sign byte, x509-cert's limit.
#[inline(never)]
fn serial_number(body: &[u8], header: Header) -> der::Result<&[u8]> {
    decode_value::<IntRef<'_>>(header, body)?;
    if body.len() > 21 {
        return Err(Tag::Integer.value_error().into());
    }
    Ok(body)
}

/// Time ::= CHOICE { utcTime, generalTime } (RFC 5280 §4.1.2.5) as Unix seconds: UTCTime
/// `YYMMDDHHMMSSZ` (1950–2049) or GeneralizedTime `YYYYMMDDHHMMSSZ`, the only DER forms; a
/// GeneralizedTime before 2050 is accepted, as x509-cert accepts it. Read here rather than by der's
/// `UtcTime`/`GeneralizedTime`, which stop at 1970 (der's `DateTime`): a certificate valid from
/// 1950 is well-formed, and reading it as `malformed` would be wrong. Accepts exactly what those
/// accept from 1970 on (tests/cert_differential.rs holds it to them).
#[inline(never)]
fn time(r: &mut SliceReader<'_>) -> der::Result<i64> {
    let header = Header::decode(r)?;
    let body = r.read_slice(header.length())?;
    let (year, rest) = match header.tag() {
        Tag::UtcTime if body.len() == 13 => {
            let yy = decimal(&body[..2])?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &body[2..])
        }
        Tag::GeneralizedTime if body.len() == 15 => (decimal(&body[..4])?, &body[4..]),
        Tag::UtcTime | Tag::GeneralizedTime => return Err(ErrorKind::DateTime.into()),
        tag => return Err(tag.unexpected_error(None).into()),
    };
    let [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map(|i| decimal(&rest[i..i + 2]));
    let (month, day, hour, minute, second) = (month?, day?, hour?, minute?, second?);
    if rest[10] != b'Z'
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(ErrorKind::DateTime.into());
    }
    let days = days_from_civil(i64::from(year), month, day);
    Ok(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

/// ASCII decimal digits (only `0`–`9`: no sign, no space) as a number.
fn decimal(digits: &[u8]) -> der::Result<u32> {
    digits.iter().try_fold(0u32, |n, &d| {
        if d.is_ascii_digit() {
            Ok(n * 10 + u32::from(d - b'0'))
        } else {
            Err(ErrorKind::DateTime.into())
        }
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`: years counted from March, so the leap day ends a year).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = i64::from((153 * ((month + 9) % 12) + 2) / 5 + day - 1);
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The GeneralName kinds svidkit looks at.
enum GeneralName<'a> {
    Uri(&'a str),
    Dns(&'a str),
    Other,
}

/// A GeneralName (RFC 5280 §4.2.1.6) as x509-cert's CHOICE reads one: only the alternatives it
/// has (not x400Address [3]), each in its tag's form, each checked — IA5String characters, the
/// whole Name of a directoryName, the DirectoryStrings of an ediPartyName, the OID of a
/// registeredID.
fn general_name<'a>(r: &mut SliceReader<'a>) -> der::Result<GeneralName<'a>> {
    let header = Header::decode(r)?;
    let body = r.read_slice(header.length())?;
    let tag = header.tag();
    let Tag::ContextSpecific {
        constructed,
        number,
    } = tag
    else {
        return Err(tag.unexpected_error(None).into());
    };
    let mut inner = SliceReader::new(body)?;
    let name = match (number.0, constructed) {
        // otherName: type-id, [0] EXPLICIT value of any type
        (0, true) => {
            object_identifier(&mut inner)?;
            let mut value = explicit(&mut inner, 0)?;
            AnyRef::decode(&mut value)?;
            value.finish()?;
            GeneralName::Other
        }
        (1, false) => {
            Ia5StringRef::new(body)?;
            return Ok(GeneralName::Other);
        }
        (2, false) => return Ok(GeneralName::Dns(ia5_str(body)?)),
        (4, true) => {
            read_name(&mut inner)?;
            GeneralName::Other
        }
        // ediPartyName: nameAssigner [0] EXPLICIT DirectoryString OPTIONAL,
        // partyName [1] EXPLICIT DirectoryString
        (5, true) => {
            if next_is(&inner, 0)? {
                let mut v = explicit(&mut inner, 0)?;
                directory_string(&mut v)?;
                v.finish()?;
            }
            let mut v = explicit(&mut inner, 1)?;
            directory_string(&mut v)?;
            v.finish()?;
            GeneralName::Other
        }
        (6, false) => return Ok(GeneralName::Uri(ia5_str(body)?)),
        (7, false) => return Ok(GeneralName::Other),
        (8, false) => {
            decode_value::<ObjectIdentifier>(header, body)?;
            return Ok(GeneralName::Other);
        }
        _ => return Err(tag.unexpected_error(None).into()),
    };
    inner.finish()?;
    Ok(name)
}

fn ia5_str(body: &[u8]) -> der::Result<&str> {
    Ia5StringRef::new(body)?;
    // IA5 is ASCII, which `Ia5StringRef::new` has just checked.
    core::str::from_utf8(body).map_err(|_| Tag::Ia5String.value_error().into())
}

/// DirectoryString: PrintableString, TeletexString, UTF8String or BMPString, each checked as der
/// checks it (x509-cert's CHOICE has no UniversalString).
#[inline(never)]
fn directory_string(r: &mut SliceReader<'_>) -> der::Result<()> {
    let header = Header::decode(r)?;
    let body = r.read_slice(header.length())?;
    match header.tag() {
        Tag::PrintableString => PrintableStringRef::new(body).map(drop),
        Tag::TeletexString => TeletexStringRef::new(body).map(drop),
        Tag::Utf8String => Utf8StringRef::new(body).map(drop),
        Tag::BmpString => BmpString::from_ucs2(body).map(drop),
        tag => Err(tag.unexpected_error(None).into()),
    }
}

/// A primitive IMPLICIT INTEGER field that must fit a u32 (GeneralSubtree's minimum, maximum).
#[inline(never)]
fn implicit_u32(r: &mut SliceReader<'_>) -> der::Result<u32> {
    let (header, body) = implicit(r, false)?;
    decode_value(header, body)
}

/// An OCTET STRING that is all of `der`.
#[inline(never)]
fn octet_string(der: &[u8]) -> der::Result<&[u8]> {
    let mut r = SliceReader::new(der)?;
    let value = contents(&mut r, Tag::OctetString)?;
    r.finish()?;
    Ok(value)
}

/// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..255) OPTIONAL }
#[inline(never)]
fn basic_constraints(der: &[u8]) -> der::Result<(bool, Option<u8>)> {
    let mut r = sequence(der)?;
    let ca = optional(&mut r, Tag::Boolean)?.unwrap_or(false);
    let path_len = optional(&mut r, Tag::Integer)?;
    r.finish()?;
    Ok((ca, path_len))
}

/// The keyUsage names by bit (RFC 5280 §4.2.1.3).
const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "contentCommitment",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// KeyUsage BIT STRING as bits (bit 0 = digitalSignature); at most 16 bits, as der's flag sets
/// allow, and bits past decipherOnly ignored.
#[inline(never)]
fn key_usage(der: &[u8]) -> der::Result<u16> {
    let mut r = SliceReader::new(der)?;
    let (header, body) = tlv(&mut r, Tag::BitString)?;
    let bits: BitStringRef<'_> = decode_value(header, body)?;
    r.finish()?;
    if bits.bit_len() > 16 {
        return Err(ErrorKind::Overlength.into());
    }
    Ok(bits
        .bits()
        .enumerate()
        .fold(0, |acc, (i, bit)| acc | u16::from(bit) << i))
}

/// ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId, by name.
#[inline(never)]
fn extended_key_usage(der: &[u8]) -> der::Result<Vec<String>> {
    let mut r = sequence(der)?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(eku_name(object_identifier(&mut r)?));
    }
    Ok(out)
}

/// NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
/// excludedSubtrees [1] GeneralSubtrees OPTIONAL }, both IMPLICIT; GeneralSubtree ::= SEQUENCE {
/// base GeneralName, minimum [0] INTEGER DEFAULT 0, maximum [1] INTEGER OPTIONAL }.
#[inline(never)]
fn name_constraints(der: &[u8]) -> der::Result<NameConstraints> {
    let mut r = sequence(der)?;
    let mut nc = NameConstraints {
        evaluable: true,
        ..NameConstraints::default()
    };
    for n in [0, 1] {
        if !next_is(&r, n)? {
            continue;
        }
        let (_, body) = implicit(&mut r, true)?;
        let mut subtrees = SliceReader::new(body)?;
        while !subtrees.is_finished() {
            let mut s = SliceReader::new(contents(&mut subtrees, Tag::Sequence)?)?;
            let base = general_name(&mut s)?;
            let minimum = if next_is(&s, 0)? {
                implicit_u32(&mut s)?
            } else {
                0
            };
            let maximum = if next_is(&s, 1)? {
                Some(implicit_u32(&mut s)?)
            } else {
                None
            };
            s.finish()?;
            let (uris, dns) = if n == 0 {
                (&mut nc.permitted_uris, &mut nc.permitted_dns)
            } else {
                (&mut nc.excluded_uris, &mut nc.excluded_dns)
            };
            match base {
                GeneralName::Uri(u) => uris.push(u.into()),
                GeneralName::Dns(d) => dns.push(d.into()),
                GeneralName::Other => nc.evaluable = false,
            }
            if minimum != 0 || maximum.is_some() {
                nc.evaluable = false;
            }
        }
    }
    r.finish()?;
    Ok(nc)
}

/// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OCTET STRING OPTIONAL,
/// authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2]
/// CertificateSerialNumber OPTIONAL }, all IMPLICIT; the keyIdentifier.
#[inline(never)]
fn authority_key_identifier(der: &[u8]) -> der::Result<Option<&[u8]>> {
    let mut r = sequence(der)?;
    let mut key_id = None;
    if next_is(&r, 0)? {
        key_id = Some(implicit(&mut r, false)?.1);
    }
    if next_is(&r, 1)? {
        let (_, body) = implicit(&mut r, true)?;
        let mut names = SliceReader::new(body)?;
        while !names.is_finished() {
            general_name(&mut names)?;
        }
    }
    if next_is(&r, 2)? {
        let (header, body) = implicit(&mut r, false)?;
        serial_number(body, header)?;
    }
    r.finish()?;
    Ok(key_id)
}

fn strip_sign_byte(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => bytes,
    }
}

#[inline(never)]
fn signature_algorithm(
    alg: &AlgorithmIdentifierRef<'_>,
) -> core::result::Result<SignatureAlgorithm, String> {
    let known = SIGNATURE_ALGORITHMS
        .iter()
        .find(|(oid, _, _)| *oid == alg.oid.as_bytes());
    match known.and_then(|(_, _, supported)| *supported) {
        Some((_, Params::Pss)) => pss_algorithm(alg.parameters),
        Some((a, Params::Absent)) if alg.parameters.is_none() => Ok(a),
        Some((a, Params::AbsentOrNull)) if alg.parameters.is_none_or(|p| p.is_null()) => Ok(a),
        _ => Err(format!(
            "signature algorithm {} is not supported",
            signature_algorithm_name(alg.oid)
        )),
    }
}

/// RSASSA-PSS parameters must name one SHA-2 hash for both the message and MGF1, with a salt as
/// long as the hash (what every PS256/384/512 signer produces).
#[inline(never)]
fn pss_algorithm(params: Option<AnyRef<'_>>) -> core::result::Result<SignatureAlgorithm, String> {
    let unsupported = || {
        String::from("RSASSA-PSS parameters other than SHA-2 with MGF1 of the same hash and a salt of the hash length are not supported")
    };
    let params = params.ok_or_else(unsupported)?;
    let (hash, mgf_hash, salt, trailer) = pss_params(params).map_err(|_| unsupported())?;
    let (alg, want) = pss_with_hash(hash).ok_or_else(unsupported)?;
    if mgf_hash != hash || salt != want || trailer != 1 {
        return Err(unsupported());
    }
    Ok(alg)
}

/// The one signature algorithm svidkit verifies that an id-RSASSA-PSS key with these parameters
/// allows (RFC 4055 §3.1: the signature's hash and MGF those of the key, its salt at least as
/// long, the same trailer), or `None` if they allow none of PS256/384/512 (salt = hash length).
pub(crate) fn pss_key_algorithm(params: AnyRef<'_>) -> der::Result<Option<SignatureAlgorithm>> {
    let (hash, mgf_hash, salt, trailer) = pss_params(params)?;
    Ok(pss_with_hash(hash)
        .filter(|&(_, len)| mgf_hash == hash && salt <= len && trailer == 1)
        .map(|(alg, _)| alg))
}

/// The RSASSA-PSS algorithm svidkit verifies with this hash, and its salt length (the hash's).
fn pss_with_hash(hash: ObjectIdentifier) -> Option<(SignatureAlgorithm, u32)> {
    match hash {
        OID_SHA256 => Some((SignatureAlgorithm::Ps256, 32)),
        OID_SHA384 => Some((SignatureAlgorithm::Ps384, 48)),
        OID_SHA512 => Some((SignatureAlgorithm::Ps512, 64)),
        _ => None,
    }
}

/// RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
/// maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20,
/// trailerField [3] TrailerField DEFAULT trailerFieldBC }, all EXPLICIT (RFC 4055): the hash, the
/// MGF1 hash, the salt length and the trailer field.
fn pss_params(params: AnyRef<'_>) -> der::Result<(ObjectIdentifier, ObjectIdentifier, u32, u32)> {
    params.header().tag().assert_eq(Tag::Sequence)?;
    let mut r = SliceReader::new(params.value())?;
    let hash = match explicit_field(&mut r, 0, algorithm_identifier)? {
        Some(tlv) => AlgorithmIdentifierRef::from_der(tlv)?.oid,
        None => OID_SHA1,
    };
    let mgf_hash = match explicit_field(&mut r, 1, algorithm_identifier)? {
        None => OID_SHA1,
        Some(tlv) => {
            let mgf = AlgorithmIdentifierRef::from_der(tlv)?;
            if mgf.oid != OID_MGF1 {
                return Err(der::ErrorKind::Failed.into());
            }
            let p = mgf.parameters.ok_or(der::ErrorKind::Failed)?;
            p.header().tag().assert_eq(Tag::Sequence)?;
            decode_value::<AlgorithmIdentifierRef<'_>>(p.header(), p.value())?.oid
        }
    };
    let salt = explicit_field(&mut r, 2, integer_u32)?.unwrap_or(20);
    let trailer = explicit_field(&mut r, 3, integer_u32)?.unwrap_or(1);
    r.finish()?;
    Ok((hash, mgf_hash, salt, trailer))
}

/// An OPTIONAL EXPLICIT `[number]` field holding exactly one value, read by `read`.
fn explicit_field<'a, T>(
    r: &mut SliceReader<'a>,
    number: u32,
    read: fn(&mut SliceReader<'a>) -> der::Result<T>,
) -> der::Result<Option<T>> {
    if !next_is(r, number)? {
        return Ok(None);
    }
    let mut inner = explicit(r, number)?;
    let value = read(&mut inner)?;
    inner.finish()?;
    Ok(Some(value))
}

fn integer_u32(r: &mut SliceReader<'_>) -> der::Result<u32> {
    let (header, body) = tlv(r, Tag::Integer)?;
    decode_value(header, body)
}

fn signature_algorithm_name(oid: ObjectIdentifier) -> String {
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|(der, _, _)| *der == oid.as_bytes())
        .map_or_else(|| oid.to_string(), |(_, name, _)| String::from(*name))
}

fn eku_name(oid: ObjectIdentifier) -> String {
    let name = match oid.as_bytes() {
        b"\x2b\x06\x01\x05\x05\x07\x03\x01" => "serverAuth",
        b"\x2b\x06\x01\x05\x05\x07\x03\x02" => "clientAuth",
        b"\x2b\x06\x01\x05\x05\x07\x03\x03" => "codeSigning",
        b"\x2b\x06\x01\x05\x05\x07\x03\x04" => "emailProtection",
        _ => return oid.to_string(),
    };
    name.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{GeneralizedTime, UtcTime};

    fn read_time(tag: u8, text: &str) -> der::Result<i64> {
        let mut tlv = alloc::vec![tag, text.len() as u8];
        tlv.extend_from_slice(text.as_bytes());
        let mut r = SliceReader::new(&tlv)?;
        time(&mut r)
    }

    #[test]
    fn times_before_1970_are_read() {
        // Expected values: Python's calendar.timegm of the same dates.
        for (tag, text, unix) in [
            (0x17, "500101000000Z", -631_152_000),
            (0x17, "520229120000Z", -562_939_200),
            (0x17, "691231235959Z", -1),
            (0x17, "700101000000Z", 0),
            (0x17, "491231235959Z", 2_524_607_999),
            (0x18, "00010101000000Z", -62_135_596_800),
            (0x18, "16000301000000Z", -11_670_912_000),
            (0x18, "19000228235959Z", -2_203_891_201),
            (0x18, "99991231235959Z", 253_402_300_799),
        ] {
            assert_eq!(read_time(tag, text).ok(), Some(unix), "{text}");
        }
        for (tag, text) in [
            (0x17, "530229000000Z"),   // 1953 is no leap year
            (0x18, "19000229000000Z"), // nor is 1900
            (0x17, "691231240000Z"),
            (0x17, "691231235960Z"),
            (0x17, "690001000000Z"),
            (0x17, "691300000000Z"),
            (0x17, "69123123595Z"),
            (0x17, "6912312359590"),
            (0x17, "69123123595+Z"),
            (0x17, " 9123123595ZZ"),
            (0x18, "1969123123595Z"),
            (0x18, "19691231235959.5Z"),
            (0x04, "691231235959Z"),
        ] {
            assert!(read_time(tag, text).is_err(), "{text}");
        }
    }

    /// From 1970 on, the same verdict and seconds as der's own types, across month ends, leap
    /// days, and a byte changed in each position.
    #[test]
    fn times_from_1970_are_read_as_der_reads_them() {
        let der_time = |tag: u8, text: &str| -> Option<u64> {
            let mut tlv = alloc::vec![tag, text.len() as u8];
            tlv.extend_from_slice(text.as_bytes());
            match tag {
                0x17 => UtcTime::from_der(&tlv)
                    .ok()
                    .map(|t| t.to_unix_duration().as_secs()),
                _ => GeneralizedTime::from_der(&tlv)
                    .ok()
                    .map(|t| t.to_unix_duration().as_secs()),
            }
        };
        let mut compared = 0;
        for year in (1970..=2110).chain([2399, 2400, 9999]) {
            for month in 0..=13 {
                for day in [0, 1, 28, 29, 30, 31, 32] {
                    let date = alloc::format!("{year:04}{month:02}{day:02}235959Z");
                    let mut texts = alloc::vec![(0x18, date.clone())];
                    if year < 2050 {
                        texts.push((0x17, date[2..].into()));
                    }
                    for (tag, text) in texts {
                        let mut variants = alloc::vec![text.clone()];
                        for i in 0..text.len() {
                            for b in [b'0', b'9', b':', b'/', b'Z'] {
                                let mut v = text.clone().into_bytes();
                                v[i] = b;
                                variants.extend(String::from_utf8(v));
                            }
                        }
                        for v in variants {
                            let theirs = der_time(tag, &v).map(|t| t as i64);
                            let ours = read_time(tag, &v).ok().filter(|&t| t >= 0);
                            assert_eq!(ours, theirs, "{tag:#x} {v}");
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert!(compared > 500_000, "{compared}");
    }

    #[test]
    fn the_oid_tables_hold_the_oids_they_name() {
        let oid = |dotted: &str| ObjectIdentifier::new_unwrap(dotted);
        for (der, dotted) in [
            (BASIC_CONSTRAINTS, "2.5.29.19"),
            (KEY_USAGE, "2.5.29.15"),
            (EXT_KEY_USAGE, "2.5.29.37"),
            (SUBJECT_ALT_NAME, "2.5.29.17"),
            (NAME_CONSTRAINTS, "2.5.29.30"),
            (SUBJECT_KEY_ID, "2.5.29.14"),
            (AUTHORITY_KEY_ID, "2.5.29.35"),
        ] {
            assert_eq!(der, oid(dotted).as_bytes(), "{dotted}");
        }
        let dotted = [
            "1.2.840.10045.4.3.2",
            "1.2.840.10045.4.3.3",
            "1.2.840.10045.4.3.4",
            "1.2.840.113549.1.1.11",
            "1.2.840.113549.1.1.12",
            "1.2.840.113549.1.1.13",
            "1.2.840.113549.1.1.10",
            "1.3.101.112",
            "1.2.840.113549.1.1.5",
            "1.2.840.10045.4.1",
            "1.2.840.113549.1.1.4",
        ];
        for ((der, name, _), dotted) in SIGNATURE_ALGORITHMS.iter().zip(dotted) {
            assert_eq!(*der, oid(dotted).as_bytes(), "{name}");
        }
        assert_eq!(signature_algorithm_name(oid("1.2.3.4")), "1.2.3.4");
        assert_eq!(
            signature_algorithm_name(oid("1.2.840.10045.4.1")),
            "ecdsa-with-SHA1"
        );
    }
}
