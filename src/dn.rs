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
/// byte order of the DER bodies for [`attribute_name`]'s binary search. Every X.520 attribute
/// type (2.5.4.*) the database names, and of the others the ones found in certificate names:
/// UID and DC (RFC 4514 §3's table), MAIL and EMAIL (emailAddress, RFC 5280 §4.1.2.6). The rest
/// of the database under 0.9.2342.19200300.100.1 and 1.2.840.113549.1.9 (pilot attributes such as
/// DRINK, CMS attributes such as ID-AA-SIGNINGCERTIFICATE) are written as the OID and the value's
/// DER in hex, RFC 4514 §2.4's form for types without a name; listing them cost 2.8 kB of .wasm
/// (gzip) for names no certificate subject carries.
#[rustfmt::skip]
const ATTRIBUTE_NAMES: &[(&[u8], &str)] = &[
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "UID"), // 0.9.2342.19200300.100.1.1
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x03", "MAIL"), // 0.9.2342.19200300.100.1.3
    (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "DC"), // 0.9.2342.19200300.100.1.25
    (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "EMAIL"), // 1.2.840.113549.1.9.1
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
    fn the_table_is_the_databases_shortest_names_for_x520_and_four_more() {
        assert!(
            ATTRIBUTE_NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        // Every entry is the database's name for its OID ...
        for (der, name) in ATTRIBUTE_NAMES {
            let oid = ObjectIdentifier::from_bytes(der).unwrap();
            assert_eq!(shortest_name(oid).as_deref(), Some(*name), "{oid}");
        }
        // ... every OID the database names up to two arcs below X.520's attribute arc is there ...
        let mut found = 0;
        for n in 0..128 {
            for sub in core::iter::once(String::new()).chain((0..8).map(|m| alloc::format!(".{m}")))
            {
                let oid = ObjectIdentifier::new(&alloc::format!("2.5.4.{n}{sub}")).unwrap();
                if let Some(name) = shortest_name(oid) {
                    assert_eq!(attribute_name(oid.as_bytes()), Some(name.as_str()), "{oid}");
                    found += 1;
                }
            }
        }
        assert!(found > 60, "{found}");
        // ... and outside it exactly these.
        let others: Vec<&str> = ATTRIBUTE_NAMES
            .iter()
            .filter(|(der, _)| !der.starts_with(&[0x55, 0x04]))
            .map(|(_, name)| *name)
            .collect();
        assert_eq!(others, ["UID", "MAIL", "DC", "EMAIL"]);
    }

    #[test]
    fn attributes_without_a_name_are_written_as_oid_and_hex() {
        // PKCS #9 contentType and a pilot attribute: named in const-oid's database (so x509-cert
        // writes a name) but not in svidkit's table (RFC 4514 §2.4's form instead).
        for (oid, der_oid) in [
            (
                "1.2.840.113549.1.9.3",
                &b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03"[..],
            ),
            (
                "0.9.2342.19200300.100.1.5",
                &b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x05"[..],
            ),
        ] {
            let name: Name = alloc::format!("{oid}=#0c0378797a,CN=a").parse().unwrap();
            let der = name.to_der().unwrap();
            let (ours, theirs) = both(&der);
            assert_eq!(ours.0, theirs.0);
            assert_eq!(ours.1, alloc::format!("{oid}=#0c0378797a,CN=a"));
            assert!(attribute_name(der_oid).is_none());
            assert!(shortest_name(ObjectIdentifier::new(oid).unwrap()).is_some());
        }
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
