//! Strict decoders for the text encodings SVIDs travel in: padded standard base64 (chain elements,
//! `x5c`), unpadded base64url (JWS segments), and PEM. Nothing is trimmed or repaired: a lenient
//! decoder would let two surfaces disagree about the same input.

use alloc::format;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use crate::error::{Error, Result};

/// Decodes standard, padded base64 (RFC 4648 §4). The url-safe alphabet, missing padding and
/// whitespace are rejected.
pub fn base64_std(text: &str) -> Result<Vec<u8>> {
    Base64::decode_vec(text)
        .map_err(|_| Error::malformed("not standard padded base64 (RFC 4648 §4)"))
}

/// Decodes unpadded base64url (RFC 7515 §2). `=`, `+`, `/` and whitespace are rejected.
pub fn base64url(text: &str) -> Result<Vec<u8>> {
    base64url_bytes(text).ok_or_else(|| Error::malformed("not unpadded base64url (RFC 7515 §2)"))
}

/// Unpadded base64url, decoded by the standard padded decoder after `-`/`_` become `+`/`/` and
/// the padding is added: one strict decoder in the .wasm instead of two (~1 kB gzip). What only
/// the standard form allows (`+`, `/`, `=`) is refused first; the rest of the strictness — the
/// alphabet, non-zero trailing bits, a length of 1 mod 4 — is the decoder's own.
pub(crate) fn base64url_bytes(text: &str) -> Option<Vec<u8>> {
    let mut std = Vec::with_capacity(text.len() + 3);
    for &b in text.as_bytes() {
        std.push(match b {
            b'-' => b'+',
            b'_' => b'/',
            b'+' | b'/' | b'=' => return None,
            _ => b,
        });
    }
    while std.len() % 4 != 0 {
        std.push(b'=');
    }
    Base64::decode_vec(core::str::from_utf8(&std).ok()?).ok()
}

/// Splits PEM text into the DER bodies of its blocks, checking every label is `label`. Text
/// between blocks is ignored (as OpenSSL's explanatory lines are); text without any block is an error.
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| Error::malformed("PEM BEGIN line is not closed with -----"))?;
        let found = &after[..label_end];
        if found != label {
            return Err(Error::malformed(format!(
                "PEM block is {found:?}, expected {label:?}"
            )));
        }
        let body_and_rest = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let end = body_and_rest
            .find(&end_marker)
            .ok_or_else(|| Error::malformed(format!("PEM block {label:?} has no END line")))?;
        let body = &body_and_rest[..end];
        let mut b64 = Vec::with_capacity(body.len());
        for line in body.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.contains(':') {
                return Err(Error::malformed(
                    "PEM headers (encrypted PEM) are not supported",
                ));
            }
            b64.extend_from_slice(line.as_bytes());
        }
        let b64 =
            core::str::from_utf8(&b64).map_err(|_| Error::malformed("PEM body is not ASCII"))?;
        let der = base64_std(b64).map_err(|_| Error::malformed("PEM body is not valid base64"))?;
        blocks.push(der);
        rest = &body_and_rest[end + end_marker.len()..];
    }
    if blocks.is_empty() {
        return Err(Error::malformed(format!("no PEM {label} block found")));
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness() {
        assert_eq!(base64_std("AAEC").unwrap(), [0, 1, 2]);
        assert!(base64_std("AAE").is_err());
        assert!(base64_std(" AAEC").is_err());
        assert!(base64_std("AA-_").is_err());
        assert!(base64url("AA-_").is_ok());
        assert!(base64url("AAE=").is_err());
        assert!(base64url("AA+/").is_err());
        let pem = "x\n-----BEGIN CERTIFICATE-----\r\nAAE=\r\nAwQF\r\n-----END CERTIFICATE-----\n";
        assert!(
            pem_blocks(pem, "CERTIFICATE").is_err(),
            "inner padding is not base64"
        );
        let pem = "-----BEGIN CERTIFICATE-----\nAAEC\nAwQF\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem_blocks(pem, "CERTIFICATE").unwrap(),
            [[0, 1, 2, 3, 4, 5]]
        );
        assert!(pem_blocks(
            "-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----",
            "CERTIFICATE"
        )
        .is_err());
        assert!(pem_blocks("nothing", "CERTIFICATE").is_err());
    }

    /// `base64url` accepts and decodes exactly what base64ct's own unpadded base64url decoder
    /// does, on every string of up to 5 characters over an alphabet with both alphabets'
    /// specials, padding, a non-alphabet byte and values with and without low bits set.
    #[test]
    fn base64url_agrees_with_base64ct() {
        use base64ct::Base64UrlUnpadded;
        let chars = [b'A', b'Q', b'B', b'w', b'-', b'_', b'+', b'/', b'=', b'.'];
        let mut text = Vec::new();
        let mut checked = 0;
        for len in 0..=5u32 {
            for mut n in 0..chars.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(chars[n % chars.len()]);
                    n /= chars.len();
                }
                let text = core::str::from_utf8(&text).unwrap();
                assert_eq!(
                    base64url(text).ok(),
                    Base64UrlUnpadded::decode_vec(text).ok(),
                    "{text:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 111_111);
        assert!(base64url("é").is_err());
    }
}
