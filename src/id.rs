//! SPIFFE IDs and trust domains (SPIFFE-ID standard §2), parsed strictly: nothing is case-folded,
//! trimmed or percent-decoded.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{limits, Error, ErrorCode, Quoted, Result};

const SCHEME: &str = "spiffe://";

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidSpiffeId, message)
}

/// A trust domain name: 1–255 bytes of `[a-z0-9._-]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrustDomain(String);

impl TrustDomain {
    /// Parses a bare trust domain name such as `example.org` (not a `spiffe://` URI).
    pub fn new(name: &str) -> Result<Self> {
        check_trust_domain(name)?;
        Ok(TrustDomain(name.to_string()))
    }

    /// The name, e.g. `example.org`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The trust domain's own SPIFFE ID, `spiffe://<name>`.
    pub fn id(&self) -> SpiffeId {
        SpiffeId {
            id: format!("{SCHEME}{}", self.0),
            td_end: SCHEME.len() + self.0.len(),
        }
    }
}

impl fmt::Display for TrustDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A SPIFFE ID: `spiffe://<trust domain><path>`, the path empty or made of `/segment`s.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpiffeId {
    id: String,
    td_end: usize,
}

impl SpiffeId {
    /// Parses and validates a SPIFFE ID by every rule of the SPIFFE-ID standard.
    ///
    /// ```
    /// let id = svidkit::SpiffeId::parse("spiffe://city.gov/traffic-agent/east").unwrap();
    /// assert_eq!(id.trust_domain(), "city.gov");
    /// assert_eq!(id.path(), "/traffic-agent/east");
    /// ```
    pub fn parse(id: &str) -> Result<Self> {
        if id.is_empty() {
            return Err(invalid("SPIFFE ID is empty (SPIFFE-ID §2)"));
        }
        if id.len() > limits::MAX_SPIFFE_ID_LEN {
            return Err(invalid(format!(
                "SPIFFE ID is {} bytes, over the limit of {} (SPIFFE-ID §2.3)",
                id.len(),
                limits::MAX_SPIFFE_ID_LEN
            )));
        }
        let rest = match id.strip_prefix(SCHEME) {
            Some(rest) => rest,
            None => {
                return Err(invalid(
                    "scheme must be exactly `spiffe://` in lower case (SPIFFE-ID §2)",
                ))
            }
        };
        let td_len = rest.find('/').unwrap_or(rest.len());
        check_trust_domain(&rest[..td_len])?;
        check_path(&rest[td_len..])?;
        Ok(SpiffeId {
            id: id.to_string(),
            td_end: SCHEME.len() + td_len,
        })
    }

    /// The trust domain name, e.g. `example.org`.
    pub fn trust_domain(&self) -> &str {
        &self.id[SCHEME.len()..self.td_end]
    }

    /// The path, e.g. `/ns/payments/sa/api`; empty for a trust domain's own ID.
    pub fn path(&self) -> &str {
        &self.id[self.td_end..]
    }

    /// The whole ID as a string.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// Whether the ID belongs to the trust domain `td`.
    pub fn is_member_of(&self, td: &str) -> bool {
        self.trust_domain() == td
    }
}

impl fmt::Display for SpiffeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

fn check_trust_domain(td: &str) -> Result<()> {
    if td.is_empty() {
        return Err(invalid("trust domain is empty (SPIFFE-ID §2.1)"));
    }
    if td.len() > limits::MAX_TRUST_DOMAIN_LEN {
        return Err(invalid(format!(
            "trust domain is {} bytes, over the limit of {} (SPIFFE-ID §2.3)",
            td.len(),
            limits::MAX_TRUST_DOMAIN_LEN
        )));
    }
    for c in td.chars() {
        match c {
            'a'..='z' | '0'..='9' | '.' | '-' | '_' => {}
            ':' => {
                return Err(invalid(
                    "trust domain must not have a port (SPIFFE-ID §2.1)",
                ))
            }
            '@' => {
                return Err(invalid(
                    "trust domain must not have userinfo (SPIFFE-ID §2.1)",
                ))
            }
            '?' => return Err(invalid("SPIFFE ID must not have a query (SPIFFE-ID §2)")),
            '#' => return Err(invalid("SPIFFE ID must not have a fragment (SPIFFE-ID §2)")),
            '%' => {
                return Err(invalid(
                    "trust domain must not be percent-encoded (SPIFFE-ID §2.1)",
                ))
            }
            'A'..='Z' => return Err(invalid("trust domain must be lower case (SPIFFE-ID §2.1)")),
            _ => {
                return Err(invalid(format!(
                    "trust domain has {}; only [a-z0-9._-] are allowed (SPIFFE-ID §2.1)",
                    Quoted(c.encode_utf8(&mut [0; 4]), '\'')
                )))
            }
        }
    }
    Ok(())
}

fn check_path(path: &str) -> Result<()> {
    if path.is_empty() {
        return Ok(());
    }
    // `path` starts with '/': every segment follows one.
    for segment in path[1..].split('/') {
        match segment {
            "" if path.ends_with('/') => {
                return Err(invalid("path must not end with `/` (SPIFFE-ID §2.2)"))
            }
            "" => return Err(invalid("path has an empty segment (SPIFFE-ID §2.2)")),
            "." | ".." => {
                return Err(invalid(format!(
                    "path segment `{segment}` is a relative path modifier (SPIFFE-ID §2.2)"
                )))
            }
            _ => {}
        }
        for c in segment.chars() {
            match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' => {}
                '?' => return Err(invalid("SPIFFE ID must not have a query (SPIFFE-ID §2)")),
                '#' => return Err(invalid("SPIFFE ID must not have a fragment (SPIFFE-ID §2)")),
                '%' => return Err(invalid("path must not be percent-encoded (SPIFFE-ID §2.2)")),
                _ => {
                    return Err(invalid(format!(
                        "path has {}; only [A-Za-z0-9._-] are allowed (SPIFFE-ID §2.2)",
                        Quoted(c.encode_utf8(&mut [0; 4]), '\'')
                    )))
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_every_rule() {
        for bad in [
            "",
            "spiffe://",
            "SPIFFE://td/a",
            "spiffe:/td/a",
            "https://td/a",
            "spiffe://TD/a",
            "spiffe://td:8080/a",
            "spiffe://u@td/a",
            "spiffe://td/a?q",
            "spiffe://td/a#f",
            "spiffe://td/a/",
            "spiffe://td/",
            "spiffe://td//a",
            "spiffe://td/./a",
            "spiffe://td/a/..",
            "spiffe://td/a%20b",
            "spiffe://td/a b",
            "spiffe://td/é",
            "spiffe://tdé/a",
        ] {
            let err = SpiffeId::parse(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidSpiffeId, "{bad}");
        }
    }

    #[test]
    fn splits_trust_domain_and_path() {
        let id = SpiffeId::parse("spiffe://a-b_c.d/X/y.z-_0").unwrap();
        assert_eq!(id.trust_domain(), "a-b_c.d");
        assert_eq!(id.path(), "/X/y.z-_0");
        let root = SpiffeId::parse("spiffe://192.168.0.1").unwrap();
        assert_eq!(root.path(), "");
        assert_eq!(TrustDomain::new("192.168.0.1").unwrap().id(), root);
    }

    #[test]
    fn length_limits() {
        let td = "a".repeat(255);
        assert!(SpiffeId::parse(&format!("spiffe://{td}")).is_ok());
        assert!(SpiffeId::parse(&format!("spiffe://{td}a")).is_err());
        let head = "spiffe://td/";
        let ok = format!("{head}{}", "p".repeat(2048 - head.len()));
        assert!(SpiffeId::parse(&ok).is_ok());
        assert!(SpiffeId::parse(&format!("{ok}p")).is_err());
    }
}
