//! Which verified SPIFFE IDs an application admits: allow / deny patterns plus denied certificate
//! serial numbers and JWT `jti`s. Applied after verification: deny wins (`revoked`), then allow
//! (`unauthorized` when no allow pattern admits the ID).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{quoted, Error, ErrorCode, Result};
use crate::id::{SpiffeId, TrustDomain};
use crate::jwt::JwtSvid;
use crate::x509::X509Svid;

/// One SPIFFE ID pattern: `spiffe://td/exact/id`, `spiffe://td/prefix/*` (every ID below
/// `/prefix/`), or `spiffe://td/*` (every ID of the trust domain, its own ID included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Exactly this ID.
    Exact(SpiffeId),
    /// IDs of the trust domain whose path starts with `prefix` (which ends in `/`).
    Prefix {
        /// Trust domain name.
        trust_domain: String,
        /// Path prefix, ending in `/`.
        prefix: String,
    },
    /// Every ID of the trust domain.
    TrustDomain(TrustDomain),
}

impl Pattern {
    /// Parses a pattern; a malformed one is `invalid-spiffe-id`, so a typo in a policy fails loudly.
    pub fn parse(pattern: &str) -> Result<Self> {
        let bad = |e: Error| {
            Error::new(
                ErrorCode::InvalidSpiffeId,
                format!("policy pattern {}: {}", quoted(pattern), e.message()),
            )
        };
        match pattern.strip_suffix("/*") {
            Some(base) => {
                let id = SpiffeId::parse(base).map_err(bad)?;
                if id.path().is_empty() {
                    Ok(Pattern::TrustDomain(
                        TrustDomain::new(id.trust_domain()).map_err(bad)?,
                    ))
                } else {
                    Ok(Pattern::Prefix {
                        trust_domain: id.trust_domain().to_string(),
                        prefix: format!("{}/", id.path()),
                    })
                }
            }
            None => Ok(Pattern::Exact(SpiffeId::parse(pattern).map_err(bad)?)),
        }
    }

    /// Whether `id` matches.
    pub fn matches(&self, id: &SpiffeId) -> bool {
        match self {
            Pattern::Exact(p) => p == id,
            Pattern::Prefix {
                trust_domain,
                prefix,
            } => id.trust_domain() == trust_domain && id.path().starts_with(prefix.as_str()),
            Pattern::TrustDomain(td) => id.trust_domain() == td.as_str(),
        }
    }
}

/// The pattern in the form [`Pattern::parse`] reads (`spiffe://td/exact/id`, `spiffe://td/prefix/*`,
/// `spiffe://td/*`): for a pattern `parse` made, parsing the text gives it back. A `Prefix` built
/// by hand is written as its fields say (a prefix without its final `/` writes a text `parse`
/// refuses).
impl core::fmt::Display for Pattern {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Pattern::Exact(id) => write!(f, "{id}"),
            Pattern::Prefix {
                trust_domain,
                prefix,
            } => write!(f, "spiffe://{trust_domain}{prefix}*"),
            Pattern::TrustDomain(td) => write!(f, "spiffe://{}/*", td.as_str()),
        }
    }
}

/// An authorization policy. Without any `allow` call every verified ID is admitted unless denied;
/// once an allow pattern is given, only IDs matching one are.
///
/// ```
/// use svidkit::policy::Pattern;
/// use svidkit::{ErrorCode, Policy, SpiffeId};
/// let policy = Policy::new()
///     .allow("spiffe://city.gov/traffic-agent/*")?
///     .deny("spiffe://city.gov/traffic-agent/compromised")?;
/// // Patterns: an exact ID, `spiffe://td/prefix/*` (anything under the prefix) or `spiffe://td/*`.
/// let pattern = Pattern::parse("spiffe://city.gov/traffic-agent/*")?;
/// assert!(pattern.matches(&SpiffeId::parse("spiffe://city.gov/traffic-agent/east")?));
/// assert!(!pattern.matches(&SpiffeId::parse("spiffe://city.gov/traffic-agent")?));
/// // Patterns are checked when made: a typo fails loudly.
/// let err = Policy::new().allow("spiffe://city.gov/a*").unwrap_err();
/// assert_eq!(err.code(), ErrorCode::InvalidSpiffeId);
/// # let _ = policy;
/// # Ok::<(), svidkit::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    allow: Option<Vec<Pattern>>,
    deny: Vec<Pattern>,
    deny_serials: Vec<String>,
    deny_jti: Vec<String>,
}

impl Policy {
    /// A policy that admits everything (until patterns are added).
    pub fn new() -> Self {
        Policy::default()
    }

    /// Admits IDs matching `pattern`.
    pub fn allow(mut self, pattern: &str) -> Result<Self> {
        let p = Pattern::parse(pattern)?;
        self.allow.get_or_insert_with(Vec::new).push(p);
        Ok(self)
    }

    /// Makes the allow list explicit and empty: nothing is admitted until `allow` adds a pattern.
    pub fn allow_none(mut self) -> Self {
        self.allow.get_or_insert_with(Vec::new);
        self
    }

    /// Refuses IDs matching `pattern` (`revoked`).
    pub fn deny(mut self, pattern: &str) -> Result<Self> {
        self.deny.push(Pattern::parse(pattern)?);
        Ok(self)
    }

    /// Refuses X.509-SVIDs whose path holds a certificate with this serial number (hex, any case,
    /// `:` separators and leading zero bytes allowed).
    pub fn deny_serial(mut self, serial_hex: &str) -> Result<Self> {
        self.deny_serials.push(normalize_serial(serial_hex)?);
        Ok(self)
    }

    /// Refuses JWT-SVIDs with this `jti`.
    pub fn deny_jti(mut self, jti: &str) -> Self {
        self.deny_jti.push(jti.to_string());
        self
    }

    fn admit_id(&self, id: &SpiffeId) -> Result<()> {
        if let Some(p) = self.deny.iter().find(|p| p.matches(id)) {
            return Err(Error::new(
                ErrorCode::Revoked,
                format!("{id} matches the deny pattern {}", quoted(&p.to_string())),
            ));
        }
        if let Some(allow) = &self.allow {
            if !allow.iter().any(|p| p.matches(id)) {
                return Err(Error::new(
                    ErrorCode::Unauthorized,
                    format!("{id} is verified but no allow pattern of the policy admits it"),
                ));
            }
        }
        Ok(())
    }

    /// Applies the policy to a verified X.509-SVID.
    pub fn admit_x509(&self, svid: &X509Svid) -> Result<()> {
        for cert in &svid.chain {
            let serial = normalize_serial(&cert.serial)?;
            if self.deny_serials.contains(&serial) {
                return Err(Error::new(
                    ErrorCode::Revoked,
                    format!(
                        "certificate {} has the denied serial number {}",
                        quoted(&cert.subject),
                        cert.serial
                    ),
                ));
            }
        }
        self.admit_id(&svid.spiffe_id)
    }

    /// Applies the policy to a verified JWT-SVID.
    pub fn admit_jwt(&self, svid: &JwtSvid) -> Result<()> {
        if let Some(jti) = &svid.jti {
            if self.deny_jti.contains(jti) {
                return Err(Error::new(
                    ErrorCode::Revoked,
                    format!("the token's jti {} is denied", quoted(jti)),
                ));
            }
        }
        self.admit_id(&svid.spiffe_id)
    }
}

fn normalize_serial(hex: &str) -> Result<String> {
    let digits: String = hex
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if digits.is_empty() || digits.len() % 2 != 0 || !digits.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(Error::malformed(format!(
            "serial number {} is not an even number of hex digits",
            quoted(hex)
        )));
    }
    // Leading zero bytes, two digits at a time (strip_prefix: no substring searcher in the .wasm).
    let mut trimmed = digits.as_str();
    while let Some(rest) = trimmed.strip_prefix("00") {
        trimmed = rest;
    }
    Ok(if trimmed.is_empty() {
        "00".to_string()
    } else {
        trimmed.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let id = SpiffeId::parse("spiffe://city.gov/energy-agent/north").unwrap();
        assert!(Pattern::parse("spiffe://city.gov/energy-agent/*")
            .unwrap()
            .matches(&id));
        assert!(Pattern::parse("spiffe://city.gov/*").unwrap().matches(&id));
        assert!(Pattern::parse("spiffe://city.gov/energy-agent/north")
            .unwrap()
            .matches(&id));
        assert!(!Pattern::parse("spiffe://city.gov/energy/*")
            .unwrap()
            .matches(&id));
        assert!(!Pattern::parse("spiffe://city.gov/energy-agent/north/*")
            .unwrap()
            .matches(&id));
        assert!(!Pattern::parse("spiffe://city.gov.evil/*")
            .unwrap()
            .matches(&id));
        assert!(!Pattern::parse("spiffe://city.gov/energy-agent")
            .unwrap()
            .matches(&id));
        for bad in [
            "city.gov/*",
            "spiffe://city.gov/a*",
            "spiffe://City.gov/*",
            "spiffe://city.gov/*/x",
            "",
        ] {
            assert_eq!(
                Pattern::parse(bad).unwrap_err().code(),
                ErrorCode::InvalidSpiffeId,
                "{bad}"
            );
        }
    }

    #[test]
    fn patterns_are_written_as_they_were_given() {
        for text in [
            "spiffe://city.gov/energy-agent/north",
            "spiffe://city.gov/energy-agent/*",
            "spiffe://city.gov/*",
        ] {
            let p = Pattern::parse(text).unwrap();
            assert_eq!(p.to_string(), text);
            assert_eq!(Pattern::parse(&p.to_string()).unwrap(), p);
        }
        let policy = Policy::new().deny("spiffe://city.gov/bad/*").unwrap();
        let id = SpiffeId::parse("spiffe://city.gov/bad/x").unwrap();
        let err = policy.admit_id(&id).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Revoked);
        assert_eq!(
            err.message(),
            "spiffe://city.gov/bad/x matches the deny pattern \"spiffe://city.gov/bad/*\""
        );
    }

    #[test]
    fn serials() {
        assert_eq!(normalize_serial("00:AB:cd").unwrap(), "abcd");
        assert!(normalize_serial("abc").is_err());
        assert!(normalize_serial("zz").is_err());
    }
}
