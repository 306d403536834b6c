//! The one error type of svidkit: a stable [`ErrorCode`] shared by Rust, JS and WIT, plus a
//! human message that names the rule that failed.

use alloc::string::String;
use core::fmt;

/// The stable error codes. Their kebab-case spelling ([`ErrorCode::as_str`]) is the public contract:
/// JS `err.code` and the WIT `error-code` enum use exactly these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input cannot be decoded: bad base64, PEM, DER, JSON or JWS structure, or over a size limit.
    Malformed,
    /// A SPIFFE ID (the input, a leaf's URI SAN, a token's `sub`) breaks SPIFFE-ID syntax.
    InvalidSpiffeId,
    /// A bundle document breaks the SPIFFE bundle format.
    InvalidBundle,
    /// No authorities of the needed kind for the SVID's trust domain.
    NoBundle,
    /// The SVID breaks the X509-SVID or JWT-SVID profile.
    InvalidSvid,
    /// A signature or key algorithm that is not allowed.
    UnsupportedAlgorithm,
    /// No path to a bundle authority: unknown issuer, unknown `kid`.
    Untrusted,
    /// The issuer or key was found but the signature does not verify.
    BadSignature,
    /// `now` is past a certificate's notAfter or the token's `exp`.
    Expired,
    /// `now` is before a certificate's notBefore or the token's `nbf`.
    NotYetValid,
    /// None of the token's audiences is among the expected ones.
    AudienceMismatch,
    /// Verified, but the policy does not admit this SPIFFE ID.
    Unauthorized,
    /// Verified, but on the policy's deny list.
    Revoked,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::Malformed,
        ErrorCode::InvalidSpiffeId,
        ErrorCode::InvalidBundle,
        ErrorCode::NoBundle,
        ErrorCode::InvalidSvid,
        ErrorCode::UnsupportedAlgorithm,
        ErrorCode::Untrusted,
        ErrorCode::BadSignature,
        ErrorCode::Expired,
        ErrorCode::NotYetValid,
        ErrorCode::AudienceMismatch,
        ErrorCode::Unauthorized,
        ErrorCode::Revoked,
    ];

    /// The stable kebab-case name, e.g. `"bad-signature"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::InvalidSpiffeId => "invalid-spiffe-id",
            ErrorCode::InvalidBundle => "invalid-bundle",
            ErrorCode::NoBundle => "no-bundle",
            ErrorCode::InvalidSvid => "invalid-svid",
            ErrorCode::UnsupportedAlgorithm => "unsupported-algorithm",
            ErrorCode::Untrusted => "untrusted",
            ErrorCode::BadSignature => "bad-signature",
            ErrorCode::Expired => "expired",
            ErrorCode::NotYetValid => "not-yet-valid",
            ErrorCode::AudienceMismatch => "audience-mismatch",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Revoked => "revoked",
        }
    }

    /// The code for a kebab-case name, the inverse of [`ErrorCode::as_str`].
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed verification: a stable [`ErrorCode`] and a message naming the failed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// An error with the given code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message; it names the rule that failed. Not stable: match on [`Error::code`].
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Malformed, message)
    }
    pub(crate) fn invalid_svid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidSvid, message)
    }
    pub(crate) fn invalid_bundle(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidBundle, message)
    }
    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::UnsupportedAlgorithm, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl core::error::Error for Error {}

/// `Result` with svidkit's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Input limits. Anything larger is rejected as [`ErrorCode::Malformed`] before it is parsed, so no
/// input can make the core allocate or loop without bound.
pub mod limits {
    /// Most certificates in a presented X.509-SVID chain (leaf included).
    pub const MAX_CHAIN_LEN: usize = 16;
    /// Largest compact JWS accepted as a JWT-SVID, in bytes.
    pub const MAX_TOKEN_LEN: usize = 16 * 1024;
    /// Largest bundle document (SPIFFE bundle JSON, JWK Set or PEM), in bytes.
    pub const MAX_BUNDLE_LEN: usize = 1024 * 1024;
    /// Longest SPIFFE ID, in bytes.
    pub const MAX_SPIFFE_ID_LEN: usize = 2048;
    /// Longest trust domain name, in bytes.
    pub const MAX_TRUST_DOMAIN_LEN: usize = 255;
    /// Largest single certificate, in bytes (a chain element or a bundle authority).
    pub const MAX_CERT_LEN: usize = 64 * 1024;
}

/// Input quoted in a message: `"…"` (or `'…'` for a character), with the quote, `\`, `\t`,
/// `\r` and `\n` escaped as `{:?}` escapes them, and every other control or non-ASCII character
/// written as `\u{…}`. Unlike `{:?}`, which keeps printable Unicode, nothing can look like
/// something else (a Cyrillic `а` in a trust domain, a bidi override in a kid) — and the .wasm
/// carries no Unicode printability tables for it.
pub(crate) struct Quoted<'a>(pub &'a str, pub char);

/// `text` in double quotes, escaped as [`Quoted`] escapes.
pub(crate) fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text, '"')
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let Quoted(text, quote) = *self;
        f.write_char(quote)?;
        for c in text.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\n' => f.write_str("\\n")?,
                c if c == quote => write!(f, "\\{c}")?,
                ' '..='~' => f.write_char(c)?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
        }
        f.write_char(quote)
    }
}

/// A list of input strings as `{:?}` writes a slice of them: `["a", "b"]`, each [`quoted`].
pub(crate) struct QuotedList<'a, S>(pub &'a [S]);

impl<S: AsRef<str>> fmt::Display for QuotedList<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", quoted(s.as_ref()))?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn quoted_escapes_what_could_hide_or_mislead() {
        let q = |s: &str| quoted(s).to_string();
        assert_eq!(q("example.org"), "\"example.org\"");
        // As {:?} writes ASCII.
        for s in ["a\"b", "a\\b", "tab\there", "cr\rlf\n", "it's", "~ !"] {
            assert_eq!(q(s), alloc::format!("{s:?}"), "{s:?}");
        }
        // A Cyrillic а (U+0430) that looks like a Latin a, a right-to-left override, an escape
        // and a NUL: all visible.
        assert_eq!(q("ex\u{430}mple"), "\"ex\\u{430}mple\"");
        assert_eq!(q("kid\u{202e}gnp.exe"), "\"kid\\u{202e}gnp.exe\"");
        assert_eq!(q("\u{1b}[31m\0"), "\"\\u{1b}[31m\\u{0}\"");
        assert_eq!(q("é"), "\"\\u{e9}\"");
        // A character in single quotes, as {:?} writes a char.
        assert_eq!(Quoted("'", '\'').to_string(), "'\\''");
        assert_eq!(Quoted("A", '\'').to_string(), "'A'");
        assert_eq!(
            QuotedList(&["a", "b\"c"]).to_string(),
            "[\"a\", \"b\\\"c\"]"
        );
        assert_eq!(QuotedList::<&str>(&[]).to_string(), "[]");
    }
}
