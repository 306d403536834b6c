//! Reading the caller's credential from the request headers, exactly as `svidkit/gate` does
//! (js/src/gate.js): each reader gives nothing (its headers are absent), a credential, or an error
//! (its headers are present but unusable: a 401 `malformed`). Base64 and PEM are decoded by the
//! core (`svidkit::x509::decode_base64_der` / `decode_pem_chain`), strictly.

use svidkit::x509::{decode_base64_der, decode_pem_chain};
use svidkit::ErrorCode;

use crate::config::{is_token, Source};

/// A credential header longer than this is refused before it is parsed (the core's own limits are
/// lower; this only bounds the gate's parsing).
pub const MAX_HEADER_LEN: usize = 2 * 1024 * 1024;
/// Most certificates a chain may hold (the core's limit too).
pub const MAX_CHAIN_LEN: usize = 16;
/// Most elements of an `x-forwarded-client-cert` header.
const MAX_XFCC_ELEMENTS: usize = 64;

/// The request's header fields: lower-case names, raw values, in order.
#[derive(Clone, Debug, Default)]
pub struct Headers(pub Vec<(String, Vec<u8>)>);

impl Headers {
    /// From `(name, value)` pairs in any case.
    pub fn new<N: AsRef<str>, V: AsRef<[u8]>>(fields: impl IntoIterator<Item = (N, V)>) -> Self {
        Headers(
            fields
                .into_iter()
                .map(|(n, v)| (n.as_ref().to_ascii_lowercase(), v.as_ref().to_vec()))
                .collect(),
        )
    }

    /// Whether a field `name` (lower-case) is present.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// The field's values joined with ", " as fetch's `Headers.get` does; `None` when absent.
    pub fn get_raw(&self, name: &str) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for (_, v) in self.0.iter().filter(|(n, _)| n == name) {
            match &mut out {
                None => out = Some(v.clone()),
                Some(o) => {
                    o.extend_from_slice(b", ");
                    o.extend_from_slice(v);
                }
            }
        }
        out
    }
}

/// What a source presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A JWT-SVID (compact JWS, exactly as sent after `Bearer `).
    Token(String),
    /// An X.509-SVID chain, leaf first, DER.
    Chain(Vec<Vec<u8>>),
}

/// A credential header that is present but unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialError {
    /// The error code (always a core code: `malformed` here).
    pub code: ErrorCode,
    /// What is wrong, for the 401's `reason` (never the credential itself).
    pub message: String,
}

fn malformed(message: impl Into<String>) -> CredentialError {
    CredentialError {
        code: ErrorCode::Malformed,
        message: message.into(),
    }
}

fn core_error(e: svidkit::Error) -> CredentialError {
    CredentialError {
        code: e.code(),
        message: e.message().to_string(),
    }
}

fn header(headers: &Headers, name: &str) -> Result<Option<String>, CredentialError> {
    let Some(raw) = headers.get_raw(name) else {
        return Ok(None);
    };
    if raw.len() > MAX_HEADER_LEN {
        return Err(malformed(format!(
            "the {name} header is {} bytes, over the gate's limit of {MAX_HEADER_LEN}",
            raw.len()
        )));
    }
    // Field values are bytes. A fetch `Headers` (the JS gate's) holds each byte as one code point
    // U+0000–U+00FF (ISO-8859-1, RFC 9110 §5.5's obs-text), and so does this, so both gates read
    // the same text: an `Authorization` of another scheme is no Bearer credential whatever bytes
    // follow, and a byte above 0x7F inside a credential makes the core find it malformed.
    Ok(Some(raw.iter().map(|&b| char::from(b)).collect()))
}

/// Reads the credential of `source`.
pub fn read(source: Source, headers: &Headers) -> Result<Option<Credential>, CredentialError> {
    match source {
        Source::Bearer => read_bearer(headers),
        Source::ClientCert => read_client_cert(headers),
        Source::Xfcc => read_xfcc(headers),
        Source::CfClientCert => read_cf_client_cert(headers),
    }
}

// RFC 6750 §2.1: `Authorization: Bearer <token>`. The scheme is case-insensitive (RFC 9110 §11.1);
// exactly "Bearer " (7 bytes) is removed and nothing is trimmed, so "Bearer  t" hands " t" to the
// core (malformed). Another scheme (Basic, DPoP…) is not a credential of this source.
fn read_bearer(headers: &Headers) -> Result<Option<Credential>, CredentialError> {
    let Some(auth) = header(headers, "authorization")? else {
        return Ok(None);
    };
    let b = auth.as_bytes();
    if b.len() < 6 || !b[..6].eq_ignore_ascii_case(b"bearer") || (b.len() > 6 && b[6] != b' ') {
        return Ok(None);
    }
    Ok(Some(Credential::Token(
        auth.get(7..).unwrap_or("").to_string(),
    )))
}

// An RFC 8941 Byte Sequence item with no parameters: ":" base64 ":".
fn byte_sequence<'a>(text: &'a str, what: &str) -> Result<&'a str, CredentialError> {
    let inner = text
        .strip_prefix(':')
        .and_then(|t| t.strip_suffix(':'))
        .filter(|inner| !inner.contains(':'));
    inner.ok_or_else(|| {
        malformed(format!(
            "{what} is not a structured-field byte sequence (\":base64:\", no parameters)"
        ))
    })
}

// RFC 9440: Client-Cert is one Byte Sequence (the leaf's DER); Client-Cert-Chain a List of them (the
// rest of the chain, leaf-adjacent first). List members are separated by "," with optional spaces
// or tabs around it (RFC 8941 §4.2.1); an empty member is an error, an empty field an empty list.
fn read_client_cert(headers: &Headers) -> Result<Option<Credential>, CredentialError> {
    let cert = header(headers, "client-cert")?;
    let chain = header(headers, "client-cert-chain")?;
    let cert = match (cert, &chain) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(malformed(
                "Client-Cert-Chain is present without Client-Cert",
            ))
        }
        (Some(cert), _) => cert,
    };
    let mut out = vec![byte_sequence(&cert, "Client-Cert")?.to_string()];
    if let Some(chain) = chain.filter(|c| !c.is_empty()) {
        let members: Vec<&str> = chain.split(',').collect();
        if members.len() + 1 > MAX_CHAIN_LEN {
            return Err(malformed(format!(
                "Client-Cert-Chain has {} members; with the leaf that is over {MAX_CHAIN_LEN} certificates",
                members.len()
            )));
        }
        for (i, m) in members.iter().enumerate() {
            let m = m.trim_matches([' ', '\t']);
            out.push(byte_sequence(m, &format!("Client-Cert-Chain member {}", i + 1))?.to_string());
        }
    }
    let ders = out
        .iter()
        .map(|b64| decode_base64_der(b64).map_err(core_error))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Credential::Chain(ders)))
}

/// One `x-forwarded-client-cert` element: its keys (lower-case) and values, in order.
type XfccElement = Vec<(String, String)>;

// Envoy's x-forwarded-client-cert: elements separated by ",", each `key=value` pairs separated by
// ";"; a value holding , ; or = is double-quoted with \" for a quote inside. Keys are
// case-insensitive.
fn parse_xfcc(text: &str) -> Result<Vec<XfccElement>, CredentialError> {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let fail = |why: String, at: usize| {
        malformed(format!("X-Forwarded-Client-Cert: {why} at character {at}"))
    };
    let mut elements = Vec::new();
    loop {
        // Spaces are allowed only before an element (after a "," joining two header lines).
        while i < n && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let mut pairs: XfccElement = Vec::new();
        loop {
            let Some(eq) = text[i..].find('=').map(|e| e + i) else {
                return Err(fail("a key without '='".into(), i));
            };
            let key = &text[i..eq];
            if !is_token(key) {
                let shown: String = key.chars().take(40).collect();
                return Err(fail(format!("bad key {shown:?}"), i));
            }
            i = eq + 1;
            let value;
            if i < n && b[i] == b'"' {
                i += 1;
                let mut v = Vec::new();
                loop {
                    if i >= n {
                        return Err(fail("an unterminated quoted value".into(), i));
                    }
                    match b[i] {
                        b'"' => break,
                        b'\\' if i + 1 < n && b[i + 1] == b'"' => {
                            v.push(b'"');
                            i += 2;
                        }
                        c => {
                            v.push(c);
                            i += 1;
                        }
                    }
                }
                i += 1; // the closing quote
                if i < n && b[i] != b';' && b[i] != b',' {
                    return Err(fail("text after a quoted value".into(), i));
                }
                // Only ASCII bytes were replaced, so the bytes are still UTF-8.
                value = String::from_utf8(v).expect("a UTF-8 slice with ASCII replacements");
            } else {
                let end = text[i..].find([';', ',']).map_or(n, |e| e + i);
                let v = &text[i..end];
                if v.contains('"') {
                    return Err(fail("a quote inside an unquoted value".into(), i));
                }
                value = v.to_string();
                i = end;
            }
            pairs.push((key.to_ascii_lowercase(), value));
            if i < n && b[i] == b';' {
                i += 1;
                continue;
            }
            break;
        }
        elements.push(pairs);
        if i >= n {
            return Ok(elements);
        }
        i += 1; // ","
        if elements.len() > MAX_XFCC_ELEMENTS {
            return Err(fail(format!("more than {MAX_XFCC_ELEMENTS} elements"), i));
        }
    }
}

// decodeURIComponent: %XX escapes (two hex digits each) of UTF-8; "+" stays "+".
fn url_decode(value: &str, what: &str) -> Result<String, CredentialError> {
    let bad = || {
        malformed(format!(
            "X-Forwarded-Client-Cert {what} is not valid URL encoding"
        ))
    };
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or_else(bad)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return Err(bad());
            }
            let digit = |c: u8| (c as char).to_digit(16).expect("a hex digit") as u8;
            out.push(digit(hex[0]) << 4 | digit(hex[1]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

// The element the gate uses is the LAST one: with forward_client_cert_details APPEND_FORWARD or
// SANITIZE_SET, the proxy in front of the gate appends its own element at the end (SANITIZE_SET
// leaves only that one). Earlier elements were written by earlier hops — or by the client.
// Chain (the whole chain, leaf first, URL-encoded PEM) is used when present, else Cert (the leaf).
fn read_xfcc(headers: &Headers) -> Result<Option<Credential>, CredentialError> {
    let Some(value) = header(headers, "x-forwarded-client-cert")? else {
        return Ok(None);
    };
    let elements = parse_xfcc(&value)?;
    let last = elements
        .last()
        .expect("parse_xfcc returns at least one element");
    let one = |key: &str| -> Result<Option<&str>, CredentialError> {
        let values: Vec<&str> = last
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect();
        match values.len() {
            0 => Ok(None),
            1 => Ok(Some(values[0])),
            n => Err(malformed(format!(
                "X-Forwarded-Client-Cert: the last element has {n} {key} keys"
            ))),
        }
    };
    let cert = one("cert")?;
    let chain = one("chain")?;
    if cert.is_none() && chain.is_none() {
        return Err(malformed("X-Forwarded-Client-Cert: the last element has neither Cert nor Chain (set_current_client_cert_details: cert/chain)"));
    }
    let cert_pem = cert.map(|c| url_decode(c, "Cert")).transpose()?;
    let chain_pem = chain.map(|c| url_decode(c, "Chain")).transpose()?;
    if let (Some(c), Some(ch)) = (&cert_pem, &chain_pem) {
        if !ch.starts_with(c.as_str()) {
            return Err(malformed(
                "X-Forwarded-Client-Cert: Chain does not start with the Cert of the same element",
            ));
        }
    }
    let pem = chain_pem.or(cert_pem).expect("one of them is present");
    Ok(Some(Credential::Chain(
        decode_pem_chain(&pem).map_err(core_error)?,
    )))
}

// Cloudflare's forwarded client certificate: base64 DER of the leaf only (it must be issued directly
// by a bundle authority). A wasi:http request has no `request.cf.tlsClientAuth` to compare it with
// (the JS gate does that check on Cloudflare): the proxy in front must set and strip the header.
fn read_cf_client_cert(headers: &Headers) -> Result<Option<Credential>, CredentialError> {
    let Some(value) = header(headers, "cf-client-cert-der-base64")? else {
        return Ok(None);
    };
    Ok(Some(Credential::Chain(vec![
        decode_base64_der(&value).map_err(core_error)?
    ])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Headers {
        Headers::new(pairs.iter().map(|(n, v)| (*n, v.as_bytes())))
    }

    #[test]
    fn bearer() {
        let read = |v: &str| read_bearer(&h(&[("Authorization", v)])).unwrap();
        assert_eq!(
            read("Bearer a.b.c"),
            Some(Credential::Token("a.b.c".into()))
        );
        assert_eq!(
            read("bEaReR a.b.c"),
            Some(Credential::Token("a.b.c".into()))
        );
        assert_eq!(read("Bearer  x"), Some(Credential::Token(" x".into())));
        assert_eq!(read("Bearer"), Some(Credential::Token("".into())));
        assert_eq!(read("Basic abc"), None);
        assert_eq!(read("Bearerx"), None);
        assert_eq!(read_bearer(&h(&[])).unwrap(), None);
        // Two fields join as fetch joins them: the core then finds the token malformed.
        let two = h(&[("authorization", "Bearer a"), ("authorization", "Bearer b")]);
        assert_eq!(
            read_bearer(&two).unwrap(),
            Some(Credential::Token("a, Bearer b".into()))
        );
        // Bytes above 0x7F are read as ISO-8859-1, as fetch's Headers reads them.
        let latin1 = Headers(vec![("authorization".into(), b"Bearer \xff".to_vec())]);
        assert_eq!(
            read_bearer(&latin1).unwrap(),
            Some(Credential::Token("\u{ff}".into()))
        );
        let other = Headers(vec![("authorization".into(), b"DPoP \xe9".to_vec())]);
        assert_eq!(read_bearer(&other).unwrap(), None);
    }

    #[test]
    fn client_cert_shapes() {
        let read = |pairs: &[(&str, &str)]| read_client_cert(&h(pairs));
        assert_eq!(read(&[]).unwrap(), None);
        assert!(read(&[("client-cert-chain", ":AA==:")])
            .unwrap_err()
            .message
            .contains("without Client-Cert"));
        for bad in ["AAAA", ":AAAA", "AAAA:", ":AA:AA:", ":AAAA:;a=1"] {
            assert_eq!(
                read(&[("client-cert", bad)]).unwrap_err().code,
                ErrorCode::Malformed,
                "{bad}"
            );
        }
        // Not a certificate: the core's base64 decoder accepts it, then nothing parses it here;
        // the verify step refuses it. Strict base64 is the core's.
        assert_eq!(
            read(&[("client-cert", ":AAAA:")]).unwrap(),
            Some(Credential::Chain(vec![vec![0, 0, 0]]))
        );
        assert_eq!(
            read(&[("client-cert", ":AAAA:"), ("client-cert-chain", "")]).unwrap(),
            Some(Credential::Chain(vec![vec![0, 0, 0]]))
        );
        assert_eq!(
            read(&[
                ("client-cert", ":AAAA:"),
                ("client-cert-chain", " :AQID: ,\t:BAUG:")
            ])
            .unwrap(),
            Some(Credential::Chain(vec![
                vec![0, 0, 0],
                vec![1, 2, 3],
                vec![4, 5, 6]
            ]))
        );
        assert!(read(&[("client-cert", ":AAAA:"), ("client-cert-chain", ":AQID:,")]).is_err());
        assert!(read(&[("client-cert", ":AA-_:")]).is_err());
        let long = vec![":AQID:"; 16].join(",");
        assert!(
            read(&[("client-cert", ":AAAA:"), ("client-cert-chain", &long)])
                .unwrap_err()
                .message
                .contains("over 16")
        );
    }

    #[test]
    fn xfcc_grammar() {
        let e = parse_xfcc(r#"By=spiffe://a/b;Hash=ab;Cert="x\"y,z";URI=u, by=c;cert=d"#).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0][2], ("cert".to_string(), "x\"y,z".to_string()));
        assert_eq!(e[1][1], ("cert".to_string(), "d".to_string()));
        for bad in [
            "Cert",
            "Cert=\"abc",
            "Cert=\"a\"b",
            "Cert=a\"b",
            "Ce rt=a",
            "=a",
            "Cert=a;",
            "Cert=a,",
        ] {
            assert!(parse_xfcc(bad).is_err(), "{bad}");
        }
        let many = vec!["a=b"; 70].join(",");
        assert!(parse_xfcc(&many).unwrap_err().message.contains("64"));
        assert_eq!(parse_xfcc("Cert=").unwrap()[0][0].1, "");
    }

    #[test]
    fn xfcc_reader() {
        let read = |v: &str| read_xfcc(&h(&[("x-forwarded-client-cert", v)]));
        assert!(read("By=x")
            .unwrap_err()
            .message
            .contains("neither Cert nor Chain"));
        assert!(read("Cert=a;cert=b")
            .unwrap_err()
            .message
            .contains("2 cert keys"));
        assert!(read("Cert=%zz")
            .unwrap_err()
            .message
            .contains("URL encoding"));
        assert!(read("Cert=%c3")
            .unwrap_err()
            .message
            .contains("URL encoding"));
        assert!(read("Cert=%2")
            .unwrap_err()
            .message
            .contains("URL encoding"));
        assert!(read("Cert=a;Chain=b")
            .unwrap_err()
            .message
            .contains("does not start with"));
        // URL-decoded, then the core's PEM splitter: no CERTIFICATE block → malformed.
        assert_eq!(
            read("Cert=hello%20world").unwrap_err().code,
            ErrorCode::Malformed
        );
        assert_eq!(url_decode("a%2Bb+c%0A", "x").unwrap(), "a+b+c\n");
        assert!(url_decode("%+1", "x").is_err());
    }

    #[test]
    fn cf_client_cert() {
        assert_eq!(read_cf_client_cert(&h(&[])).unwrap(), None);
        assert_eq!(
            read_cf_client_cert(&h(&[("cf-client-cert-der-base64", "AQID")])).unwrap(),
            Some(Credential::Chain(vec![vec![1, 2, 3]]))
        );
        assert!(read_cf_client_cert(&h(&[("cf-client-cert-der-base64", ":AQID:")])).is_err());
    }
}
