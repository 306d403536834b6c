//! Distinguished names: read strictly from DER, and written as RFC 4514 strings spelt exactly as
//! x509-cert's `Display` for `Name` spells them (`CN=…,O=…,C=US`: attribute types by their shortest
//! name in const-oid's database, upper-cased; values escaped the same way; other types and values
//! as `OID=#hex`), but from a table of the directory attribute types instead of the whole
//! 1,100-entry OID database, which `Display` links into the binary and searches linearly for every
//! attribute.
//!
//! The table holds every OID of the database under the arcs that name directory attributes —
//! X.520 `2.5.4`, COSINE `0.9.2342.19200300.100.1` (RFC 4519: UID, DC, ...) and PKCS #9
//! `1.2.840.113549.1.9` (emailAddress, ...) — with the name `Display` would give it; a unit test
//! checks it against the database. An attribute type outside those arcs is written as its dotted
//! OID with the value in hex, which `Display` did only for types the database does not know.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use der::asn1::{
    Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, Utf8StringRef,
};
use der::{Decode, Header, Reader, SliceReader, Tag};

/// The header and contents of the next TLV, whose tag must be `tag`. Callers read the contents
/// with a reader of their own and `finish` it, as der's nested decoding does: nothing may be left
/// over.
#[inline(never)]
pub(crate) fn tlv<'a>(r: &mut SliceReader<'a>, tag: Tag) -> der::Result<(Header, &'a [u8])> {
    let header = Header::decode(r)?;
    header.tag().assert_eq(tag)?;
    Ok((header, r.read_slice(header.length())?))
}

/// The contents of the next TLV, whose tag must be `tag` (see [`tlv`]).
pub(crate) fn contents<'a>(r: &mut SliceReader<'a>, tag: Tag) -> der::Result<&'a [u8]> {
    Ok(tlv(r, tag)?.1)
}

/// The next OBJECT IDENTIFIER. Out of line: inlined at each of its callers, der's decoder
/// (a 39-byte buffer and the arc checks) would be copied into each.
#[inline(never)]
pub(crate) fn object_identifier(r: &mut SliceReader<'_>) -> der::Result<ObjectIdentifier> {
    ObjectIdentifier::decode(r)
}

/// One AttributeTypeAndValue: its whole encoding, its type, its value's TLV, tag and contents.
struct Atv<'a> {
    tlv: &'a [u8],
    oid: ObjectIdentifier,
    value: &'a [u8],
    tag: Tag,
    contents: &'a [u8],
}

/// The RDNs of a Name, each as its SET's contents and its attributes.
type Rdns<'a> = Vec<(&'a [u8], Vec<Atv<'a>>)>;

fn read_rdns(name: &[u8]) -> der::Result<Rdns<'_>> {
    let mut outer = SliceReader::new(name)?;
    let mut rdns = SliceReader::new(contents(&mut outer, Tag::Sequence)?)?;
    outer.finish()?;
    let mut out = Vec::new();
    while !rdns.is_finished() {
        let set = contents(&mut rdns, Tag::Set)?;
        let mut elements = SliceReader::new(set)?;
        let mut atvs = Vec::new();
        while !elements.is_finished() {
            let tlv = elements.tlv_bytes()?;
            let mut seq = SliceReader::new(tlv)?;
            let mut fields = SliceReader::new(contents(&mut seq, Tag::Sequence)?)?;
            let oid = object_identifier(&mut fields)?;
            // A value of any type: one whole TLV.
            let value = fields.tlv_bytes()?;
            fields.finish()?;
            let mut v = SliceReader::new(value)?;
            let header = Header::decode(&mut v)?;
            atvs.push(Atv {
                tlv,
                oid,
                value,
                tag: header.tag(),
                contents: v.read_slice(header.length())?,
            });
        }
        out.push((set, atvs));
    }
    Ok(out)
}

/// Reads a Name (RDNSequence: SEQUENCE OF SET OF AttributeTypeAndValue, values of any type) and
/// returns its DER as x509-cert decoded and re-encoded it: strict DER, except that the attributes
/// of a multi-valued RDN that are not in DER SET OF order are sorted (by their encodings, which is
/// der's `DerOrd` for them) rather than rejected. Issuer/subject matching and the RFC 4514 string
/// see the same name they saw with x509-cert.
pub(crate) fn read_name(r: &mut SliceReader<'_>) -> der::Result<Vec<u8>> {
    let tlv = r.tlv_bytes()?;
    let mut out = tlv.to_vec();
    for (set, atvs) in read_rdns(tlv)? {
        let mut tlvs: Vec<&[u8]> = atvs.iter().map(|a| a.tlv).collect();
        if !tlvs.is_sorted() {
            crate::sort::heap_sort(&mut tlvs, |a, b| a < b);
            // Reordering keeps every length, so the sorted SET overwrites the original in place.
            let at = set.as_ptr() as usize - tlv.as_ptr() as usize;
            if let Some(dst) = out.get_mut(at..at + set.len()) {
                dst.copy_from_slice(&tlvs.concat());
            }
        }
    }
    Ok(out)
}

/// The name of an attribute type (its OID's DER body), as `Display` would write it. A binary
/// search: a linear one compared ~130 entries for a CN (~10 % of reading a certificate).
fn attribute_name(oid: &[u8]) -> Option<&'static str> {
    ATTRIBUTE_NAMES
        .binary_search_by(|(der, _)| (*der).cmp(oid))
        .ok()
        .and_then(|i| ATTRIBUTE_NAMES.get(i))
        .map(|(_, name)| *name)
}

/// `name` (DER as [`read_name`] returns it) in RFC 4514 form: RDNs last to first, separated by
/// `,`; multi-valued RDNs joined by `+`.
pub(crate) fn to_rfc4514(name: &[u8]) -> String {
    let mut out = String::new();
    // `read_name` has read this DER already, so this does not fail.
    let rdns = read_rdns(name).unwrap_or_default();
    for (i, (_, atvs)) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in atvs.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            write_atv(&mut out, atv);
        }
    }
    out
}

/// The text of a value of one of the string types `Display` writes as text, if valid for its type.
fn string_value<'a>(atv: &Atv<'a>) -> Option<&'a str> {
    let bytes = atv.contents;
    let valid = match atv.tag {
        Tag::PrintableString => PrintableStringRef::new(bytes).is_ok(),
        Tag::Utf8String => Utf8StringRef::new(bytes).is_ok(),
        Tag::Ia5String => Ia5StringRef::new(bytes).is_ok(),
        Tag::TeletexString => TeletexStringRef::new(bytes).is_ok(),
        _ => false,
    };
    // All four are UTF-8 once valid (three of them ASCII).
    valid.then(|| core::str::from_utf8(bytes).ok()).flatten()
}

fn write_atv(out: &mut String, atv: &Atv<'_>) {
    if let (Some(key), Some(val)) = (attribute_name(atv.oid.as_bytes()), string_value(atv)) {
        out.push_str(key);
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
        for b in atv.value {
            let _ = write!(out, "{b:02x}");
        }
    }
}

/// DER bodies of directory attribute type OIDs and their names (generated from const-oid 0.10's
/// database: for each OID the shortest of its names, upper-cased, as x509-cert writes it), in
/// byte order of the DER bodies for [`attribute_name`]'s binary search.
#[rustfmt::skip]
const ATTRIBUTE_NAMES: &[(&[u8], &str)] = &[
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "UID"), // 0.9.2342.19200300.100.1.1
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x02", "TEXTENCODEDORADDRESS"), // 0.9.2342.19200300.100.1.2
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x03", "MAIL"), // 0.9.2342.19200300.100.1.3
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x04", "INFO"), // 0.9.2342.19200300.100.1.4
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x05", "DRINK"), // 0.9.2342.19200300.100.1.5
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x06", "ROOMNUMBER"), // 0.9.2342.19200300.100.1.6
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x07", "PHOTO"), // 0.9.2342.19200300.100.1.7
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x08", "USERCLASS"), // 0.9.2342.19200300.100.1.8
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x09", "HOST"), // 0.9.2342.19200300.100.1.9
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0a", "MANAGER"), // 0.9.2342.19200300.100.1.10
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0b", "DOCUMENTIDENTIFIER"), // 0.9.2342.19200300.100.1.11
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0c", "DOCUMENTTITLE"), // 0.9.2342.19200300.100.1.12
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0d", "DOCUMENTVERSION"), // 0.9.2342.19200300.100.1.13
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0e", "DOCUMENTAUTHOR"), // 0.9.2342.19200300.100.1.14
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0f", "DOCUMENTLOCATION"), // 0.9.2342.19200300.100.1.15
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x14", "HOMEPHONE"), // 0.9.2342.19200300.100.1.20
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x15", "SECRETARY"), // 0.9.2342.19200300.100.1.21
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x16", "OTHERMAILBOX"), // 0.9.2342.19200300.100.1.22
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x17", "LASTMODIFIEDTIME"), // 0.9.2342.19200300.100.1.23
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x18", "LASTMODIFIEDBY"), // 0.9.2342.19200300.100.1.24
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "DC"), // 0.9.2342.19200300.100.1.25
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1a", "ARECORD"), // 0.9.2342.19200300.100.1.26
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1b", "MDRECORD"), // 0.9.2342.19200300.100.1.27
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1c", "MXRECORD"), // 0.9.2342.19200300.100.1.28
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1d", "NSRECORD"), // 0.9.2342.19200300.100.1.29
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1e", "SOARECORD"), // 0.9.2342.19200300.100.1.30
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1f", "CNAMERECORD"), // 0.9.2342.19200300.100.1.31
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x25", "ASSOCIATEDDOMAIN"), // 0.9.2342.19200300.100.1.37
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x26", "ASSOCIATEDNAME"), // 0.9.2342.19200300.100.1.38
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x27", "HOMEPOSTALADDRESS"), // 0.9.2342.19200300.100.1.39
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x28", "PERSONALTITLE"), // 0.9.2342.19200300.100.1.40
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x29", "MOBILE"), // 0.9.2342.19200300.100.1.41
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2a", "PAGER"), // 0.9.2342.19200300.100.1.42
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2b", "CO"), // 0.9.2342.19200300.100.1.43
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2c", "UNIQUEIDENTIFIER"), // 0.9.2342.19200300.100.1.44
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2d", "ORGANIZATIONALSTATUS"), // 0.9.2342.19200300.100.1.45
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2e", "JANETMAILBOX"), // 0.9.2342.19200300.100.1.46
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2f", "MAILPREFERENCEOPTION"), // 0.9.2342.19200300.100.1.47
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x30", "BUILDINGNAME"), // 0.9.2342.19200300.100.1.48
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x31", "DSAQUALITY"), // 0.9.2342.19200300.100.1.49
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x32", "SINGLELEVELQUALITY"), // 0.9.2342.19200300.100.1.50
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x33", "SUBTREEMINIMUMQUALITY"), // 0.9.2342.19200300.100.1.51
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x34", "SUBTREEMAXIMUMQUALITY"), // 0.9.2342.19200300.100.1.52
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x35", "PERSONALSIGNATURE"), // 0.9.2342.19200300.100.1.53
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x36", "DITREDIRECT"), // 0.9.2342.19200300.100.1.54
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x37", "AUDIO"), // 0.9.2342.19200300.100.1.55
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x38", "DOCUMENTPUBLISHER"), // 0.9.2342.19200300.100.1.56
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x3c", "JPEGPHOTO"), // 0.9.2342.19200300.100.1.60
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x00", "PKCS-9-MO"), // 1.2.840.113549.1.9.0
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "EMAIL"), // 1.2.840.113549.1.9.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x02", "PKCS-9-AT-UNSTRUCTUREDNAME"), // 1.2.840.113549.1.9.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x02\x33", "ID-AA-MULTIPLESIGNATURES"), // 1.2.840.113549.1.9.2.51
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03", "ID-CONTENTTYPE"), // 1.2.840.113549.1.9.3
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04", "ID-MESSAGEDIGEST"), // 1.2.840.113549.1.9.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05", "ID-SIGNINGTIME"), // 1.2.840.113549.1.9.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x06", "ID-COUNTERSIGNATURE"), // 1.2.840.113549.1.9.6
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x07", "PKCS-9-AT-CHALLENGEPASSWORD"), // 1.2.840.113549.1.9.7
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x08", "PKCS-9-AT-UNSTRUCTUREDADDRESS"), // 1.2.840.113549.1.9.8
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x09", "PKCS-9-AT-EXTENDEDCERTIFICATEATTRIBUTES"), // 1.2.840.113549.1.9.9
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0a", "PKCS-9-AT-ISSUERANDSERIALNUMBER"), // 1.2.840.113549.1.9.10
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0b", "PKCS-9-AT-PASSWORDCHECK"), // 1.2.840.113549.1.9.11
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0c", "PKCS-9-AT-PUBLICKEY"), // 1.2.840.113549.1.9.12
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0d", "PKCS-9-AT-SIGNINGDESCRIPTION"), // 1.2.840.113549.1.9.13
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0e", "ID-EXTENSIONREQ"), // 1.2.840.113549.1.9.14
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0f", "SMIMECAPABILITIES"), // 1.2.840.113549.1.9.15
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10", "SMIME"), // 1.2.840.113549.1.9.16
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x00", "ID-MOD"), // 1.2.840.113549.1.9.16.0
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x00\x4e", "ID-MOD-SHA3-OIDS-2023"), // 1.2.840.113549.1.9.16.0.78
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01", "ID-CT"), // 1.2.840.113549.1.9.16.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x01", "ID-CT-RECEIPT"), // 1.2.840.113549.1.9.16.1.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x02", "ID-CT-AUTHDATA"), // 1.2.840.113549.1.9.16.1.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04", "ID-CT-TSTINFO"), // 1.2.840.113549.1.9.16.1.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x06", "ID-CT-CONTENTINFO"), // 1.2.840.113549.1.9.16.1.6
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x09", "ID-CT-COMPRESSEDDATA"), // 1.2.840.113549.1.9.16.1.9
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x0a", "ID-CT-SCVP-CERTVALREQUEST"), // 1.2.840.113549.1.9.16.1.10
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x0b", "ID-CT-SCVP-CERTVALRESPONSE"), // 1.2.840.113549.1.9.16.1.11
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x0c", "ID-CT-SCVP-VALPOLREQUEST"), // 1.2.840.113549.1.9.16.1.12
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x0d", "ID-CT-SCVP-VALPOLRESPONSE"), // 1.2.840.113549.1.9.16.1.13
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x10", "ID-CT-FIRMWAREPACKAGE"), // 1.2.840.113549.1.9.16.1.16
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x11", "ID-CT-FIRMWARELOADRECEIPT"), // 1.2.840.113549.1.9.16.1.17
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x12", "ID-CT-FIRMWARELOADERROR"), // 1.2.840.113549.1.9.16.1.18
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x13", "ID-CT-CONTENTCOLLECTION"), // 1.2.840.113549.1.9.16.1.19
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x14", "ID-CT-CONTENTWITHATTRS"), // 1.2.840.113549.1.9.16.1.20
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x15", "ID-CT-ENCKEYWITHID"), // 1.2.840.113549.1.9.16.1.21
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x17", "ID-CT-AUTHENVELOPEDDATA"), // 1.2.840.113549.1.9.16.1.23
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02", "ID-AA"), // 1.2.840.113549.1.9.16.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x01", "ID-AA-RECEIPTREQUEST"), // 1.2.840.113549.1.9.16.2.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x02", "ID-AA-SECURITYLABEL"), // 1.2.840.113549.1.9.16.2.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x03", "ID-AA-MLEXPANDHISTORY"), // 1.2.840.113549.1.9.16.2.3
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x04", "ID-AA-CONTENTHINT"), // 1.2.840.113549.1.9.16.2.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x05", "ID-AA-MSGSIGDIGEST"), // 1.2.840.113549.1.9.16.2.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x07", "ID-AA-CONTENTIDENTIFIER"), // 1.2.840.113549.1.9.16.2.7
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x09", "ID-AA-EQUIVALENTLABELS"), // 1.2.840.113549.1.9.16.2.9
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0a", "ID-AA-CONTENTREFERENCE"), // 1.2.840.113549.1.9.16.2.10
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0b", "ID-AA-ENCRYPKEYPREF"), // 1.2.840.113549.1.9.16.2.11
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0c", "ID-AA-SIGNINGCERTIFICATE"), // 1.2.840.113549.1.9.16.2.12
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0e", "ID-AA-TIMESTAMPTOKEN"), // 1.2.840.113549.1.9.16.2.14
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x22", "ID-AA-CMC-UNSIGNEDDATA"), // 1.2.840.113549.1.9.16.2.34
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x23", "ID-AA-FIRMWAREPACKAGEID"), // 1.2.840.113549.1.9.16.2.35
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x24", "ID-AA-TARGETHARDWAREIDS"), // 1.2.840.113549.1.9.16.2.36
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x25", "ID-AA-DECRYPTKEYID"), // 1.2.840.113549.1.9.16.2.37
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x26", "ID-AA-IMPLCRYPTOALGS"), // 1.2.840.113549.1.9.16.2.38
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x27", "ID-AA-WRAPPEDFIRMWAREKEY"), // 1.2.840.113549.1.9.16.2.39
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x28", "ID-AA-COMMUNITYIDENTIFIERS"), // 1.2.840.113549.1.9.16.2.40
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2a", "ID-AA-FIRMWAREPACKAGEINFO"), // 1.2.840.113549.1.9.16.2.42
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2b", "ID-AA-IMPLCOMPRESSALGS"), // 1.2.840.113549.1.9.16.2.43
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2e", "ID-AA-BINARYSIGNINGTIME"), // 1.2.840.113549.1.9.16.2.46
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2f", "ID-AA-SIGNINGCERTIFICATEV2"), // 1.2.840.113549.1.9.16.2.47
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x31", "ID-AA-ER-INTERNAL"), // 1.2.840.113549.1.9.16.2.49
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x32", "ID-AA-ER-EXTERNAL"), // 1.2.840.113549.1.9.16.2.50
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03", "ID-ALG"), // 1.2.840.113549.1.9.16.3
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x05", "ID-ALG-ESDH"), // 1.2.840.113549.1.9.16.3.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x06", "ID-ALG-CMS3DESWRAP"), // 1.2.840.113549.1.9.16.3.6
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x07", "ID-ALG-CMSRC2WRAP"), // 1.2.840.113549.1.9.16.3.7
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x08", "ID-ALG-ZLIBCOMPRESS"), // 1.2.840.113549.1.9.16.3.8
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x0a", "ID-ALG-SSDH"), // 1.2.840.113549.1.9.16.3.10
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x20", "ID-ALG-HKDF-WITH-SHA3-224"), // 1.2.840.113549.1.9.16.3.32
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x21", "ID-ALG-HKDF-WITH-SHA3-256"), // 1.2.840.113549.1.9.16.3.33
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x22", "ID-ALG-HKDF-WITH-SHA3-384"), // 1.2.840.113549.1.9.16.3.34
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x03\x23", "ID-ALG-HKDF-WITH-SHA3-512"), // 1.2.840.113549.1.9.16.3.35
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x04", "ID-CD"), // 1.2.840.113549.1.9.16.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x05", "ID-SPQ"), // 1.2.840.113549.1.9.16.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x06", "ID-CTI"), // 1.2.840.113549.1.9.16.6
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x07", "ID-TSP"), // 1.2.840.113549.1.9.16.7
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08", "ID-SKD"), // 1.2.840.113549.1.9.16.8
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x01", "ID-SKD-GLUSEKEK"), // 1.2.840.113549.1.9.16.8.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x02", "ID-SKD-GLDELETE"), // 1.2.840.113549.1.9.16.8.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x03", "ID-SKD-GLADDMEMBER"), // 1.2.840.113549.1.9.16.8.3
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x04", "ID-SKD-GLDELETEMEMBER"), // 1.2.840.113549.1.9.16.8.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x05", "ID-SKD-GLREKEY"), // 1.2.840.113549.1.9.16.8.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x06", "ID-SKD-GLADDOWNER"), // 1.2.840.113549.1.9.16.8.6
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x07", "ID-SKD-GLREMOVEOWNER"), // 1.2.840.113549.1.9.16.8.7
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x08", "ID-SKD-GLKEYCOMPROMISE"), // 1.2.840.113549.1.9.16.8.8
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x09", "ID-SKD-GLKREFRESH"), // 1.2.840.113549.1.9.16.8.9
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x0b", "ID-SKD-GLAQUERYREQUEST"), // 1.2.840.113549.1.9.16.8.11
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x0c", "ID-SKD-GLAQUERYRESPONSE"), // 1.2.840.113549.1.9.16.8.12
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x0d", "ID-SKD-GLPROVIDECERT"), // 1.2.840.113549.1.9.16.8.13
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x0e", "ID-SKD-GLMANAGECERT"), // 1.2.840.113549.1.9.16.8.14
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x08\x0f", "ID-SKD-GLKEY"), // 1.2.840.113549.1.9.16.8.15
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x09", "ID-STI"), // 1.2.840.113549.1.9.16.9
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x0a", "ID-EIT"), // 1.2.840.113549.1.9.16.10
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x0b", "ID-CAP"), // 1.2.840.113549.1.9.16.11
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x0b\x01", "ID-CAP-PREFERBINARYINSIDE"), // 1.2.840.113549.1.9.16.11.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x0c", "ID-PSKC"), // 1.2.840.113549.1.9.16.12
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x14", "PKCS-9-AT-FRIENDLYNAME"), // 1.2.840.113549.1.9.20
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x15", "PKCS-9-AT-LOCALKEYID"), // 1.2.840.113549.1.9.21
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x16", "CERTTYPES"), // 1.2.840.113549.1.9.22
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x17", "CRLTYPES"), // 1.2.840.113549.1.9.23
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x18", "PKCS-9-OC"), // 1.2.840.113549.1.9.24
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x18\x01", "PKCS-9-OC-PKCSENTITY"), // 1.2.840.113549.1.9.24.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x18\x02", "PKCS-9-OC-NATURALPERSON"), // 1.2.840.113549.1.9.24.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19", "PKCS-9-AT"), // 1.2.840.113549.1.9.25
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19\x01", "PKCS-9-AT-PKCS15TOKEN"), // 1.2.840.113549.1.9.25.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19\x02", "PKCS-9-AT-ENCRYPTEDPRIVATEKEYINFO"), // 1.2.840.113549.1.9.25.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19\x03", "PKCS-9-AT-RANDOMNONCE"), // 1.2.840.113549.1.9.25.3
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19\x04", "PKCS-9-AT-SEQUENCENUMBER"), // 1.2.840.113549.1.9.25.4
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x19\x05", "PKCS-9-AT-PKCS7PDU"), // 1.2.840.113549.1.9.25.5
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1a", "PKCS-9-SX"), // 1.2.840.113549.1.9.26
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1a\x01", "PKCS-9-SX-PKCS9STRING"), // 1.2.840.113549.1.9.26.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1a\x02", "PKCS-9-SX-SIGNINGTIME"), // 1.2.840.113549.1.9.26.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1b", "PKCS-9-MR"), // 1.2.840.113549.1.9.27
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1b\x01", "PKCS-9-MR-CASEIGNOREMATCH"), // 1.2.840.113549.1.9.27.1
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x1b\x02", "PKCS-9-MR-SIGNINGTIMEMATCH"), // 1.2.840.113549.1.9.27.2
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x34", "ID-AA-CMSALGORITHMPROTECT"), // 1.2.840.113549.1.9.52
    (b"\x55\x04\x00", "OBJECTCLASS"), // 2.5.4.0
    (b"\x55\x04\x01", "ALIASEDOBJECTNAME"), // 2.5.4.1
    (b"\x55\x04\x02", "KNOWLEDGEINFORMATION"), // 2.5.4.2
    (b"\x55\x04\x03", "CN"), // 2.5.4.3
    (b"\x55\x04\x04", "SN"), // 2.5.4.4
    (b"\x55\x04\x05", "SERIALNUMBER"), // 2.5.4.5
    (b"\x55\x04\x06", "C"), // 2.5.4.6
    (b"\x55\x04\x07", "L"), // 2.5.4.7
    (b"\x55\x04\x07\x01", "C-L"), // 2.5.4.7.1
    (b"\x55\x04\x08", "ST"), // 2.5.4.8
    (b"\x55\x04\x08\x01", "C-ST"), // 2.5.4.8.1
    (b"\x55\x04\x09", "STREET"), // 2.5.4.9
    (b"\x55\x04\x09\x01", "C-STREET"), // 2.5.4.9.1
    (b"\x55\x04\x0a", "O"), // 2.5.4.10
    (b"\x55\x04\x0a\x01", "C-O"), // 2.5.4.10.1
    (b"\x55\x04\x0b", "OU"), // 2.5.4.11
    (b"\x55\x04\x0b\x01", "C-OU"), // 2.5.4.11.1
    (b"\x55\x04\x0c", "TITLE"), // 2.5.4.12
    (b"\x55\x04\x0d", "DESCRIPTION"), // 2.5.4.13
    (b"\x55\x04\x0e", "SEARCHGUIDE"), // 2.5.4.14
    (b"\x55\x04\x0f", "BUSINESSCATEGORY"), // 2.5.4.15
    (b"\x55\x04\x10", "POSTALADDRESS"), // 2.5.4.16
    (b"\x55\x04\x10\x01", "C-POSTALADDRESS"), // 2.5.4.16.1
    (b"\x55\x04\x11", "POSTALCODE"), // 2.5.4.17
    (b"\x55\x04\x11\x01", "C-POSTALCODE"), // 2.5.4.17.1
    (b"\x55\x04\x12", "POSTOFFICEBOX"), // 2.5.4.18
    (b"\x55\x04\x12\x01", "C-POSTOFFICEBOX"), // 2.5.4.18.1
    (b"\x55\x04\x13", "PHYSICALDELIVERYOFFICENAME"), // 2.5.4.19
    (b"\x55\x04\x13\x01", "C-PHYSICALDELIVERYOFFICE"), // 2.5.4.19.1
    (b"\x55\x04\x14", "TELEPHONENUMBER"), // 2.5.4.20
    (b"\x55\x04\x14\x01", "C-TELEPHONENUMBER"), // 2.5.4.20.1
    (b"\x55\x04\x15", "TELEXNUMBER"), // 2.5.4.21
    (b"\x55\x04\x15\x01", "C-TELEXNUMBER"), // 2.5.4.21.1
    (b"\x55\x04\x16", "TELETEXTERMINALIDENTIFIER"), // 2.5.4.22
    (b"\x55\x04\x17", "FACSIMILETELEPHONENUMBER"), // 2.5.4.23
    (b"\x55\x04\x17\x01", "C-FACSIMILETELEPHONENUMBER"), // 2.5.4.23.1
    (b"\x55\x04\x18", "X121ADDRESS"), // 2.5.4.24
    (b"\x55\x04\x19", "INTERNATIONALISDNNUMBER"), // 2.5.4.25
    (b"\x55\x04\x19\x01", "C-INTERNATIONALISDNNUMBER"), // 2.5.4.25.1
    (b"\x55\x04\x1a", "REGISTEREDADDRESS"), // 2.5.4.26
    (b"\x55\x04\x1b", "DESTINATIONINDICATOR"), // 2.5.4.27
    (b"\x55\x04\x1c", "PREFERREDDELIVERYMETHOD"), // 2.5.4.28
    (b"\x55\x04\x1d", "PRESENTATIONADDRESS"), // 2.5.4.29
    (b"\x55\x04\x1e", "SUPPORTEDAPPLICATIONCONTEXT"), // 2.5.4.30
    (b"\x55\x04\x1f", "MEMBER"), // 2.5.4.31
    (b"\x55\x04\x20", "OWNER"), // 2.5.4.32
    (b"\x55\x04\x21", "ROLEOCCUPANT"), // 2.5.4.33
    (b"\x55\x04\x22", "SEEALSO"), // 2.5.4.34
    (b"\x55\x04\x23", "USERPASSWORD"), // 2.5.4.35
    (b"\x55\x04\x24", "USERCERTIFICATE"), // 2.5.4.36
    (b"\x55\x04\x25", "CACERTIFICATE"), // 2.5.4.37
    (b"\x55\x04\x26", "AUTHORITYREVOCATIONLIST"), // 2.5.4.38
    (b"\x55\x04\x27", "CERTIFICATEREVOCATIONLIST"), // 2.5.4.39
    (b"\x55\x04\x28", "CROSSCERTIFICATEPAIR"), // 2.5.4.40
    (b"\x55\x04\x29", "NAME"), // 2.5.4.41
    (b"\x55\x04\x2a", "GN"), // 2.5.4.42
    (b"\x55\x04\x2b", "INITIALS"), // 2.5.4.43
    (b"\x55\x04\x2c", "GENERATIONQUALIFIER"), // 2.5.4.44
    (b"\x55\x04\x2d", "X500UNIQUEIDENTIFIER"), // 2.5.4.45
    (b"\x55\x04\x2e", "DNQUALIFIER"), // 2.5.4.46
    (b"\x55\x04\x2f", "ENHANCEDSEARCHGUIDE"), // 2.5.4.47
    (b"\x55\x04\x30", "PROTOCOLINFORMATION"), // 2.5.4.48
    (b"\x55\x04\x31", "DISTINGUISHEDNAME"), // 2.5.4.49
    (b"\x55\x04\x32", "UNIQUEMEMBER"), // 2.5.4.50
    (b"\x55\x04\x33", "HOUSEIDENTIFIER"), // 2.5.4.51
    (b"\x55\x04\x34", "SUPPORTEDALGORITHMS"), // 2.5.4.52
    (b"\x55\x04\x35", "DELTAREVOCATIONLIST"), // 2.5.4.53
    (b"\x55\x04\x36", "DMDNAME"), // 2.5.4.54
    (b"\x55\x04\x41", "PSEUDONYM"), // 2.5.4.65
    (b"\x55\x04\x48", "ID-AT-ROLE"), // 2.5.4.72
];

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use der::asn1::ObjectIdentifier;
    use der::oid::db::DB;
    use der::{Decode, Encode};
    use x509_cert::name::Name;

    const ARCS: [&str; 3] = ["2.5.4.", "0.9.2342.19200300.100.1.", "1.2.840.113549.1.9."];

    fn shortest_name(oid: ObjectIdentifier) -> Option<String> {
        let mut best: Option<&str> = None;
        for name in DB.find_names_for_oid(oid) {
            if best.is_none_or(|b| name.len() < b.len()) {
                best = Some(name);
            }
        }
        best.map(|b| b.to_ascii_uppercase())
    }

    #[test]
    fn the_table_is_the_databases_shortest_names_under_the_attribute_arcs() {
        assert!(
            ATTRIBUTE_NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        // Every entry is the database's name for its OID ...
        for (der, name) in ATTRIBUTE_NAMES {
            let oid = ObjectIdentifier::from_bytes(der).unwrap();
            assert_eq!(shortest_name(oid).as_deref(), Some(*name), "{oid}");
        }
        // ... and every OID the database names up to two arcs below the attribute arcs is there.
        let mut found = 0;
        for arc in ARCS {
            for n in 0..128 {
                for sub in
                    core::iter::once(String::new()).chain((0..8).map(|m| alloc::format!(".{m}")))
                {
                    let oid = ObjectIdentifier::new(&alloc::format!("{arc}{n}{sub}")).unwrap();
                    if let Some(name) = shortest_name(oid) {
                        assert_eq!(attribute_name(oid.as_bytes()), Some(name.as_str()), "{oid}");
                        found += 1;
                    }
                }
            }
        }
        assert!(found > 120, "{found}");
    }

    /// The name as svidkit reads and writes it, and as x509-cert does.
    fn both(der: &[u8]) -> ((Vec<u8>, String), (Vec<u8>, String)) {
        let mut r = SliceReader::new(der).unwrap();
        let ours = read_name(&mut r).unwrap();
        r.finish().unwrap();
        let theirs = Name::from_der(der).unwrap();
        (
            (ours.clone(), to_rfc4514(&ours)),
            (theirs.to_der().unwrap(), theirs.to_string()),
        )
    }

    #[test]
    fn names_are_written_as_x509_cert_writes_them() {
        // CN with characters to escape, a multi-valued RDN, a UID, an emailAddress, an unknown
        // attribute type and a BMPString value (both written as hex).
        let text = "1.3.6.1.4.1.99999.1=#0c0378797a,CN=\\#a\\,b\\+c\\ ,OU=x+UID=u1,C=US,EMAIL=a@b";
        let name: Name = text.parse().unwrap();
        let der = name.to_der().unwrap();
        let (ours, theirs) = both(&der);
        assert_eq!(ours, theirs);
        assert_eq!(ours.0, der);
        let mut bmp = der.clone();
        // Retag the PrintableString "US" (13 02 55 53) as a BMPString (1e): not a string type
        // Display decodes.
        let at = bmp
            .windows(4)
            .position(|w| w == [0x13, 0x02, 0x55, 0x53])
            .unwrap();
        bmp[at] = 0x1e;
        let (ours, theirs) = both(&bmp);
        assert_eq!(ours, theirs);
        assert!(ours.1.contains("2.5.4.6=#1e025553"));
        assert_eq!(both(&[0x30, 0x00]).0 .1, "");
    }

    #[test]
    fn unsorted_multi_valued_rdns_are_sorted_as_x509_cert_sorts_them() {
        // SET { CN=b, CN=a, OU=zz, CN=a }: out of DER order, with a duplicate, in the second RDN.
        let atv = |oid: u8, v: &[u8]| {
            let mut out = alloc::vec![0x30, 7 + v.len() as u8, 0x06, 0x03, 0x55, 0x04, oid];
            out.extend([0x0c, v.len() as u8]);
            out.extend_from_slice(v);
            out
        };
        let set: Vec<u8> = [atv(3, b"b"), atv(3, b"a"), atv(11, b"zz"), atv(3, b"a")].concat();
        let c = atv(6, b"US");
        let mut rdns = alloc::vec![0x31, c.len() as u8];
        rdns.extend(&c);
        rdns.extend([0x31, set.len() as u8]);
        rdns.extend(&set);
        let mut der = alloc::vec![0x30, rdns.len() as u8];
        der.extend(&rdns);
        let (ours, theirs) = both(&der);
        assert_eq!(ours, theirs);
        assert_ne!(ours.0, der);
        assert_eq!(ours.1, "CN=a+CN=a+CN=b+OU=zz,C=US");
    }
}
