//! Strict decoders for the text encodings SVIDs travel in: padded standard base64 (chain elements,
//! `x5c`), unpadded base64url (JWS segments), and PEM. Nothing is trimmed or repaired: a lenient
//! decoder would let two surfaces disagree about the same input.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{quoted, Error, Result};

/// Decodes standard, padded base64 (RFC 4648 §4). The url-safe alphabet, missing padding and
/// whitespace are rejected.
pub fn base64_std(text: &str) -> Result<Vec<u8>> {
    decode(text.as_bytes(), Alphabet::Standard)
        .ok_or_else(|| Error::malformed("not standard padded base64 (RFC 4648 §4)"))
}

/// Decodes unpadded base64url (RFC 7515 §2). `=`, `+`, `/` and whitespace are rejected.
pub fn base64url(text: &str) -> Result<Vec<u8>> {
    base64url_bytes(text).ok_or_else(|| Error::malformed("not unpadded base64url (RFC 7515 §2)"))
}

/// [`base64url`] without the error value, for callers that word their own.
pub(crate) fn base64url_bytes(text: &str) -> Option<Vec<u8>> {
    decode(text.as_bytes(), Alphabet::UrlUnpadded)
}

#[derive(Clone, Copy)]
enum Alphabet {
    /// `+` `/`, padded to a multiple of four with `=`.
    Standard,
    /// `-` `_`, never padded.
    UrlUnpadded,
}

/// Not an alphabet character.
const INVALID: u8 = 0xff;

/// The 6-bit value of each byte in the standard (`url == false`) or url-safe alphabet.
const fn table(url: bool) -> [u8; 256] {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    if url {
        t[b'-' as usize] = 62;
        t[b'_' as usize] = 63;
    } else {
        t[b'+' as usize] = 62;
        t[b'/' as usize] = 63;
    }
    t
}

const STANDARD: [u8; 256] = table(false);
const URL: [u8; 256] = table(true);

/// The one strict base64 decoder. Table-driven rather than constant-time (base64ct's decode was
/// ~15 % of a JWT-SVID check in Node): what it decodes — tokens, certificates, bundles — is public.
/// Strict as RFC 4648 §3.5 allows: canonical only, so the unused low bits of the last character
/// must be zero; a length of 1 mod 4 is never valid; padding only where the alphabet has it, and
/// only to complete the last quantum.
fn decode(text: &[u8], alphabet: Alphabet) -> Option<Vec<u8>> {
    let (table, body) = match alphabet {
        Alphabet::UrlUnpadded => (&URL, text),
        Alphabet::Standard => {
            if text.len() % 4 != 0 {
                return None;
            }
            let pad = match text {
                [.., b'=', b'='] => 2,
                [.., b'='] => 1,
                _ => 0,
            };
            (&STANDARD, &text[..text.len() - pad])
        }
    };
    let tail = body.len() % 4;
    if tail == 1 {
        return None;
    }
    // Written in place into an output of the exact length: per-quantum `extend_from_slice` calls
    // were most of the decoder's time at opt-level "z".
    let mut decoded = vec![0u8; body.len() / 4 * 3 + tail.saturating_sub(1)];
    // Indexing a slice, not the Vec: `Vec`'s `IndexMut` is a call at opt-level "z".
    let out = decoded.as_mut_slice();
    let mut at = 0;
    let mut quads = body.chunks_exact(4);
    for q in &mut quads {
        let n = (sextet(table, q[0])? << 18)
            | (sextet(table, q[1])? << 12)
            | (sextet(table, q[2])? << 6)
            | sextet(table, q[3])?;
        out[at] = (n >> 16) as u8;
        out[at + 1] = (n >> 8) as u8;
        out[at + 2] = n as u8;
        at += 3;
    }
    match *quads.remainder() {
        [] => {}
        [a, b] => {
            let n = (sextet(table, a)? << 18) | (sextet(table, b)? << 12);
            if n & 0xffff != 0 {
                return None;
            }
            out[at] = (n >> 16) as u8;
        }
        [a, b, c] => {
            let n =
                (sextet(table, a)? << 18) | (sextet(table, b)? << 12) | (sextet(table, c)? << 6);
            if n & 0xff != 0 {
                return None;
            }
            out[at] = (n >> 16) as u8;
            out[at + 1] = (n >> 8) as u8;
        }
        // A remainder of one character was refused above.
        _ => return None,
    }
    Some(decoded)
}

// Inlined even at opt-level "z": one call per character cost more than the lookup.
#[inline(always)]
fn sextet(table: &[u8; 256], c: u8) -> Option<u32> {
    match table[usize::from(c)] {
        INVALID => None,
        v => Some(u32::from(v)),
    }
}

/// Where `needle` (non-empty ASCII, so any match is at a char boundary) first occurs in `text`. A
/// plain scan instead of `str::find`, whose Two-Way searcher was ~1.5 kB of the .wasm for finding
/// PEM markers in inputs of at most a few hundred kB.
pub(crate) fn find(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Splits PEM text into the DER bodies of its blocks, checking every label is `label`. Text
/// between blocks is ignored (as OpenSSL's explanatory lines are); text without any block is an error.
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, "-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let label_end = find(after, "-----")
            .ok_or_else(|| Error::malformed("PEM BEGIN line is not closed with -----"))?;
        let found = &after[..label_end];
        if found != label {
            return Err(Error::malformed(format!(
                "PEM block is {}, expected {}",
                quoted(found),
                quoted(label)
            )));
        }
        let body_and_rest = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let end = find(body_and_rest, &end_marker).ok_or_else(|| {
            Error::malformed(format!("PEM block {} has no END line", quoted(label)))
        })?;
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
    use alloc::string::String;

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

    /// Both decoders accept and decode exactly what base64ct's strict decoders (the crate they
    /// replaced) do, on every string of up to 5 characters over an alphabet with both alphabets'
    /// specials, padding, a non-alphabet byte and values with and without low bits set.
    #[test]
    fn short_strings_agree_with_base64ct() {
        use base64ct::{Base64, Base64UrlUnpadded, Encoding};
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
                    "url {text:?}"
                );
                assert_eq!(
                    base64_std(text).ok(),
                    Base64::decode_vec(text).ok(),
                    "std {text:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 111_111);
        assert!(base64url("é").is_err());
        assert!(base64_std("é===").is_err());
    }

    /// Long inputs: base64ct's encoding of every length of bytes up to 200, each also with one
    /// character replaced by every byte value — the decoders must agree with base64ct's on all.
    #[test]
    fn long_strings_agree_with_base64ct() {
        use base64ct::{Base64, Base64UrlUnpadded, Encoding};
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for len in 0..200usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let std = Base64::encode_string(&bytes);
            let url = Base64UrlUnpadded::encode_string(&bytes);
            assert_eq!(base64_std(&std).unwrap(), bytes);
            assert_eq!(base64url(&url).unwrap(), bytes);
            for (text, at) in [
                (&std, len % (std.len().max(1))),
                (&url, (len * 7) % url.len().max(1)),
            ] {
                if text.is_empty() {
                    continue;
                }
                for b in 0..=255u8 {
                    let mut m = text.clone().into_bytes();
                    m[at] = b;
                    let Ok(m) = String::from_utf8(m) else {
                        continue;
                    };
                    assert_eq!(
                        base64_std(&m).ok(),
                        Base64::decode_vec(&m).ok(),
                        "std {m:?}"
                    );
                    assert_eq!(
                        base64url(&m).ok(),
                        Base64UrlUnpadded::decode_vec(&m).ok(),
                        "url {m:?}"
                    );
                }
            }
        }
    }
}
