//! One X.509 certificate, parsed once into the facts path validation and the SVID profile need.
//! Decoding is strict DER (x509-cert's RFC 5280 profile); the raw TBS bytes are kept for the
//! signature check so nothing is re-encoded.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier};
use der::{Decode, Encode, Reader, SliceReader, TagMode, TagNumber};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, NameConstraints,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::Certificate;

use crate::error::{limits, Error, Result};
use crate::key::{PublicKey, SignatureAlgorithm};

const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const OID_ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const OID_RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const OID_RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const OID_RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

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
    /// notBefore, Unix seconds.
    pub not_before: u64,
    /// notAfter, Unix seconds.
    pub not_after: u64,
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

fn malformed(what: &str, e: der::Error) -> Error {
    Error::malformed(format!("certificate is not valid DER ({what}): {e}"))
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
        let cert = Certificate::from_der(der).map_err(|e| malformed("X.509 structure", e))?;
        let tbs = tbs_range(der).map_err(|e| malformed("TBSCertificate", e))?;
        let tbs_cert = cert.tbs_certificate();

        let spki_der = tbs_cert
            .subject_public_key_info()
            .to_der()
            .map_err(|e| malformed("subjectPublicKeyInfo", e))?;
        let spki = SubjectPublicKeyInfoRef::from_der(&spki_der)
            .map_err(|e| malformed("subjectPublicKeyInfo", e))?;
        let key = PublicKey::from_spki(&spki, spki_der.clone())?;

        let sig_alg_der = cert
            .signature_algorithm()
            .to_der()
            .map_err(|e| malformed("signatureAlgorithm", e))?;
        let sig_alg = AlgorithmIdentifierRef::from_der(&sig_alg_der)
            .map_err(|e| malformed("signatureAlgorithm", e))?;
        let signature_algorithm = signature_algorithm(&sig_alg);
        let tbs_sig_der = tbs_cert
            .signature()
            .to_der()
            .map_err(|e| malformed("signature", e))?;
        if tbs_sig_der != sig_alg_der {
            return Err(Error::malformed(
                "signatureAlgorithm differs from the TBSCertificate's signature field (RFC 5280 §4.1.1.2)",
            ));
        }
        let signature = cert
            .signature()
            .as_bytes()
            .ok_or_else(|| Error::malformed("signature BIT STRING has unused bits"))?
            .to_vec();

        let validity = tbs_cert.validity();
        let mut parsed = Cert {
            der: der.to_vec(),
            tbs,
            signature_algorithm_name: signature_algorithm_name(sig_alg.oid),
            signature_algorithm,
            signature,
            subject_der: tbs_cert
                .subject()
                .to_der()
                .map_err(|e| malformed("subject", e))?,
            issuer_der: tbs_cert
                .issuer()
                .to_der()
                .map_err(|e| malformed("issuer", e))?,
            subject: crate::dn::to_rfc4514(tbs_cert.subject()),
            issuer: crate::dn::to_rfc4514(tbs_cert.issuer()),
            serial: strip_sign_byte(tbs_cert.serial_number().as_bytes()).to_vec(),
            not_before: validity.not_before.to_unix_duration().as_secs(),
            not_after: validity.not_after.to_unix_duration().as_secs(),
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
        parsed.read_extensions(&cert)?;
        Ok(parsed)
    }

    fn read_extensions(&mut self, cert: &Certificate) -> Result<()> {
        let Some(extensions) = cert.tbs_certificate().extensions() else {
            return Ok(());
        };
        let mut seen: Vec<ObjectIdentifier> = Vec::new();
        for ext in extensions.iter() {
            if seen.contains(&ext.extn_id) {
                return Err(Error::malformed(format!(
                    "extension {} appears twice (RFC 5280 §4.2)",
                    ext.extn_id
                )));
            }
            seen.push(ext.extn_id);
            let value = ext.extn_value.as_bytes();
            let bad = |name: &str, e: der::Error| {
                Error::malformed(format!("{name} extension is not valid DER: {e}"))
            };
            match ext.extn_id {
                OID_BASIC_CONSTRAINTS => {
                    let bc = BasicConstraints::from_der(value)
                        .map_err(|e| bad("basicConstraints", e))?;
                    self.basic_constraints = Some((bc.ca, bc.path_len_constraint));
                }
                OID_KEY_USAGE => {
                    let ku = KeyUsage::from_der(value).map_err(|e| bad("keyUsage", e))?;
                    self.key_usage = Some(KeyUsageBits {
                        digital_signature: ku.digital_signature(),
                        key_cert_sign: ku.key_cert_sign(),
                        crl_sign: ku.crl_sign(),
                        names: key_usage_names(&ku),
                    });
                }
                OID_EXT_KEY_USAGE => {
                    let eku =
                        ExtendedKeyUsage::from_der(value).map_err(|e| bad("extKeyUsage", e))?;
                    self.extended_key_usage = eku.0.iter().map(|o| eku_name(*o)).collect();
                }
                OID_SAN => {
                    let san =
                        SubjectAltName::from_der(value).map_err(|e| bad("subjectAltName", e))?;
                    for name in san.0 {
                        match name {
                            GeneralName::UniformResourceIdentifier(uri) => {
                                self.uris.push(uri.to_string())
                            }
                            GeneralName::DnsName(dns) => self.dns_names.push(dns.to_string()),
                            _ => self.other_sans += 1,
                        }
                    }
                }
                OID_NAME_CONSTRAINTS => {
                    let nc =
                        NameConstraints::from_der(value).map_err(|e| bad("nameConstraints", e))?;
                    self.name_constraints = Some(nc);
                }
                OID_SKI => {
                    let ski = SubjectKeyIdentifier::from_der(value)
                        .map_err(|e| bad("subjectKeyIdentifier", e))?;
                    self.subject_key_id = Some(ski.0.as_bytes().to_vec());
                }
                OID_AKI => {
                    let aki = AuthorityKeyIdentifier::from_der(value)
                        .map_err(|e| bad("authorityKeyIdentifier", e))?;
                    self.authority_key_id = aki.key_identifier.map(|k| k.as_bytes().to_vec());
                }
                other if ext.critical && self.unknown_critical.is_none() => {
                    self.unknown_critical = Some(other.to_string());
                }
                _ => {}
            }
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
}

/// Finds the byte range of the TBSCertificate inside a Certificate SEQUENCE.
fn tbs_range(der: &[u8]) -> der::Result<core::ops::Range<usize>> {
    let mut reader = SliceReader::new(der)?;
    let tbs = reader.sequence(|r| {
        let tbs = r.tlv_bytes()?;
        let _alg: AnyRef<'_> = r.decode()?;
        let _sig: BitStringRef<'_> = r.decode()?;
        Ok::<_, der::Error>(tbs)
    })?;
    reader.finish()?;
    // `tbs` is a sub-slice of `der`: its offset is where it starts.
    let start = tbs.as_ptr() as usize - der.as_ptr() as usize;
    Ok(start..start + tbs.len())
}

fn strip_sign_byte(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => bytes,
    }
}

fn signature_algorithm(
    alg: &AlgorithmIdentifierRef<'_>,
) -> core::result::Result<SignatureAlgorithm, String> {
    let no_params = alg.parameters.is_none();
    let null_or_none = alg.parameters.is_none_or(|p| p.is_null());
    match alg.oid {
        OID_ECDSA_SHA256 if no_params => Ok(SignatureAlgorithm::Es256),
        OID_ECDSA_SHA384 if no_params => Ok(SignatureAlgorithm::Es384),
        OID_ECDSA_SHA512 if no_params => Ok(SignatureAlgorithm::Es512),
        OID_RSA_SHA256 if null_or_none => Ok(SignatureAlgorithm::Rs256),
        OID_RSA_SHA384 if null_or_none => Ok(SignatureAlgorithm::Rs384),
        OID_RSA_SHA512 if null_or_none => Ok(SignatureAlgorithm::Rs512),
        OID_ED25519 if no_params => Ok(SignatureAlgorithm::Ed25519),
        OID_RSA_PSS => pss_algorithm(alg.parameters),
        oid => Err(format!(
            "signature algorithm {} is not supported",
            signature_algorithm_name(oid)
        )),
    }
}

/// RSASSA-PSS parameters must name one SHA-2 hash for both the message and MGF1, with a salt as
/// long as the hash (what every PS256/384/512 signer produces).
fn pss_algorithm(params: Option<AnyRef<'_>>) -> core::result::Result<SignatureAlgorithm, String> {
    let unsupported = || {
        String::from("RSASSA-PSS parameters other than SHA-2 with MGF1 of the same hash and a salt of the hash length are not supported")
    };
    let params = params.ok_or_else(unsupported)?;
    let parsed = params.decode_as::<PssParams>().map_err(|_| unsupported())?;
    let (alg, salt) = match parsed.hash {
        OID_SHA256 => (SignatureAlgorithm::Ps256, 32),
        OID_SHA384 => (SignatureAlgorithm::Ps384, 48),
        OID_SHA512 => (SignatureAlgorithm::Ps512, 64),
        _ => return Err(unsupported()),
    };
    if parsed.mgf_hash != parsed.hash || parsed.salt != salt || parsed.trailer != 1 {
        return Err(unsupported());
    }
    Ok(alg)
}

struct PssParams {
    hash: ObjectIdentifier,
    mgf_hash: ObjectIdentifier,
    salt: u32,
    trailer: u32,
}

impl<'a> der::DecodeValue<'a> for PssParams {
    type Error = der::Error;
    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: der::Header) -> der::Result<Self> {
        let sha1 = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
        let hash = reader
            .context_specific::<AlgorithmIdentifierRef<'_>>(TagNumber(0), TagMode::Explicit)?
            .map(|a| a.oid)
            .unwrap_or(sha1);
        let mgf = reader
            .context_specific::<AlgorithmIdentifierRef<'_>>(TagNumber(1), TagMode::Explicit)?;
        let mgf_hash = match mgf {
            None => sha1,
            Some(m) if m.oid == OID_MGF1 => {
                m.parameters
                    .ok_or_else(|| der::Error::from(der::ErrorKind::Failed))?
                    .decode_as::<AlgorithmIdentifierRef<'_>>()?
                    .oid
            }
            Some(_) => return Err(der::ErrorKind::Failed.into()),
        };
        let salt = reader
            .context_specific::<u32>(TagNumber(2), TagMode::Explicit)?
            .unwrap_or(20);
        let trailer = reader
            .context_specific::<u32>(TagNumber(3), TagMode::Explicit)?
            .unwrap_or(1);
        Ok(PssParams {
            hash,
            mgf_hash,
            salt,
            trailer,
        })
    }
}

impl der::FixedTag for PssParams {
    const TAG: der::Tag = der::Tag::Sequence;
}

fn signature_algorithm_name(oid: ObjectIdentifier) -> String {
    let name = match oid {
        OID_ECDSA_SHA256 => "ecdsa-with-SHA256",
        OID_ECDSA_SHA384 => "ecdsa-with-SHA384",
        OID_ECDSA_SHA512 => "ecdsa-with-SHA512",
        OID_RSA_SHA256 => "sha256WithRSAEncryption",
        OID_RSA_SHA384 => "sha384WithRSAEncryption",
        OID_RSA_SHA512 => "sha512WithRSAEncryption",
        OID_RSA_PSS => "RSASSA-PSS",
        OID_ED25519 => "Ed25519",
        _ => {
            return match oid.to_string().as_str() {
                "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption".into(),
                "1.2.840.10045.4.1" => "ecdsa-with-SHA1".into(),
                "1.2.840.113549.1.1.4" => "md5WithRSAEncryption".into(),
                other => other.into(),
            }
        }
    };
    name.into()
}

fn key_usage_names(ku: &KeyUsage) -> Vec<&'static str> {
    let flags = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "contentCommitment"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    flags
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
