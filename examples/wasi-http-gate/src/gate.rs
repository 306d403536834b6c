//! The decision for one request, the refusal response, the audit line and what is forwarded — the
//! same rules, codes, challenges and JSON as `svidkit/gate` (js/src/gate.js), in plain Rust with
//! no I/O (src/component.rs does the wasi:http part).
//!
//! Per request, in this order:
//!  1. the route: the first rule whose path and methods match the (normalised) request;
//!  2. the credential: the first enabled source whose header is present decides alone (a failing
//!     token is never rescued by a certificate header, or vice versa);
//!  3. verification by the core: no credential or a failed verification → 401; verified but refused
//!     by the route's `allow` (or the deny lists, or no route matched) → 403; otherwise admitted.

use svidkit::{ErrorCode, Options};

use crate::config::{Config, Source};
use crate::credentials::{self, Credential, Headers};

/// The codes the gate adds to the core's.
pub const NO_CREDENTIAL: &str = "no-credential";
/// The gate itself failed (a configuration it cannot use).
pub const INTERNAL_ERROR: &str = "internal-error";
/// The request was admitted but the upstream could not be reached.
pub const UPSTREAM_ERROR: &str = "upstream-error";

/// The header carrying the verified SPIFFE ID to the upstream.
pub const IDENTITY_HEADER: &str = "x-spiffe-id";
/// The header naming the credential source (`bearer`, `client-cert`, `xfcc`, `cf-client-cert`).
pub const SOURCE_HEADER: &str = "x-spiffe-source";

const MAX_REASON_LEN: usize = 300;

/// What the gate verified of an admitted caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The verified SPIFFE ID.
    pub spiffe_id: String,
    /// `jwt-svid` or `x509-svid`.
    pub kind: &'static str,
    /// Where the credential came from.
    pub source: Source,
    /// The SVID's expiry, Unix seconds.
    pub expires_at: i64,
}

/// The verdict on one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request is admitted.
    pub allow: bool,
    /// 200 (admitted), 401, 403 or 500.
    pub status: u16,
    /// The error code of a refusal: a core code, `no-credential` or `internal-error`.
    pub code: Option<&'static str>,
    /// Why, in words (never the credential).
    pub reason: String,
    /// The SPIFFE ID, when one was verified.
    pub spiffe_id: Option<String>,
    /// The source that presented the credential.
    pub source: Option<Source>,
    /// The matching rule's path.
    pub route: Option<String>,
    /// The `WWW-Authenticate` value of a refusal.
    pub challenge: Option<String>,
    /// The admitted caller.
    pub identity: Option<Identity>,
}

impl Decision {
    /// A 500: the gate cannot decide (its configuration is unusable).
    pub fn internal_error(reason: impl Into<String>) -> Decision {
        Decision {
            allow: false,
            status: 500,
            code: Some(INTERNAL_ERROR),
            reason: reason.into(),
            spiffe_id: None,
            source: None,
            route: None,
            challenge: None,
            identity: None,
        }
    }
}

/// The request as the gate sees it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The method, normalised as fetch does ([`crate::config::normalise_method`]).
    pub method: &'a str,
    /// The normalised path ([`normalise_path`]); `None` when the target is not a path.
    pub path: Option<&'a str>,
    /// The header fields.
    pub headers: &'a Headers,
}

/// Splits a request target into its path, normalised as a WHATWG URL parser normalises it (what
/// `new URL(request.url).pathname` gives the JS gate: `\` is `/`; `.`, `..` and their
/// `%2e` spellings are resolved), and its query (with the `?`). `None` unless it starts with `/`.
/// The gate matches routes on this path *and forwards this path*, so the upstream serves exactly
/// what the rule admitted (`/energy/../admin` is `/admin`, not a `/energy/*` request).
pub fn normalise_path(path_with_query: &str) -> Option<(String, String)> {
    let (path, query) = match path_with_query.find('?') {
        Some(i) => (&path_with_query[..i], &path_with_query[i..]),
        None => (path_with_query, ""),
    };
    let path = path.replace('\\', "/");
    let rest = path.strip_prefix('/')?;
    let single = |s: &str| s == "." || s.eq_ignore_ascii_case("%2e");
    let double = |s: &str| {
        s == ".."
            || s.eq_ignore_ascii_case(".%2e")
            || s.eq_ignore_ascii_case("%2e.")
            || s.eq_ignore_ascii_case("%2e%2e")
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if double(seg) {
            out.pop();
            if last {
                out.push("");
            }
        } else if single(seg) {
            if last {
                out.push("");
            }
        } else {
            out.push(seg);
        }
    }
    Some((format!("/{}", out.join("/")), query.to_string()))
}

// RFC 6750 §3: error_description is a quoted-string of %x20-21 / %x23-5B / %x5D-7E.
fn quotable(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            ' ' | '!' | '#'..='[' | ']'..='~' => c,
            _ => '?',
        })
        .collect();
    if clean.len() > MAX_REASON_LEN {
        format!("{}...", &clean[..MAX_REASON_LEN - 3])
    } else {
        clean
    }
}

fn challenge(
    cfg: &Config,
    source: Option<Source>,
    code: &str,
    reason: &str,
    status: u16,
) -> Option<String> {
    let realm = &cfg.realm;
    if !cfg.sources.contains(&Source::Bearer) {
        // RFC 9110 §11.6.1 requires a challenge on every 401; TLS client certificates have no
        // registered scheme, so the gate names one (clients ignore schemes they don't know).
        return (status == 401).then(|| format!("ClientCert realm=\"{realm}\""));
    }
    if status == 403 {
        return (source == Some(Source::Bearer)).then(|| {
            format!(
                "Bearer realm=\"{realm}\", error=\"insufficient_scope\", error_description=\"{}\"",
                quotable(reason)
            )
        });
    }
    // RFC 6750 §3.1: no error code when the request carried no bearer token.
    if source != Some(Source::Bearer) {
        return Some(format!("Bearer realm=\"{realm}\""));
    }
    Some(format!(
        "Bearer realm=\"{realm}\", error=\"invalid_token\", error_description=\"{}\"",
        quotable(&format!("{code}: {reason}"))
    ))
}

#[allow(clippy::too_many_arguments)]
fn refuse(
    cfg: &Config,
    status: u16,
    code: &'static str,
    reason: String,
    source: Option<Source>,
    route: Option<&str>,
    spiffe_id: Option<String>,
) -> Decision {
    Decision {
        allow: false,
        status,
        code: Some(code),
        challenge: challenge(cfg, source, code, &reason, status),
        reason,
        spiffe_id,
        source,
        route: route.map(str::to_string),
        identity: None,
    }
}

/// Decides on one request at `now` (Unix seconds).
pub fn decide(cfg: &Config, req: &Request<'_>, now: u64) -> Decision {
    let route = req
        .path
        .and_then(|p| cfg.routes.iter().find(|r| r.matches(req.method, p)));
    let route_name = route.map(|r| r.path.as_str());

    // The credential: the first enabled source that presents one.
    let mut found = None;
    for &source in &cfg.sources {
        match credentials::read(source, req.headers) {
            Err(e) => {
                return refuse(
                    cfg,
                    401,
                    e.code.as_str(),
                    e.message,
                    Some(source),
                    route_name,
                    None,
                )
            }
            Ok(Some(c)) => {
                found = Some((source, c));
                break;
            }
            Ok(None) => {}
        }
    }
    let Some((source, credential)) = found else {
        let expected: Vec<&str> = cfg.sources.iter().map(|s| s.label()).collect();
        let ignored: Vec<&str> = Source::ALL
            .iter()
            .filter(|s| !cfg.sources.contains(s) && s.headers().iter().any(|h| req.headers.has(h)))
            .map(|s| s.label())
            .collect();
        let hint = if ignored.is_empty() {
            String::new()
        } else {
            format!("; ignored {} (source not enabled)", ignored.join(", "))
        };
        return refuse(
            cfg,
            401,
            NO_CREDENTIAL,
            format!("no credential: expected {}{hint}", expected.join(" or ")),
            None,
            route_name,
            None,
        );
    };

    // Verify, then apply the route's policy (the deny lists and an empty allow list when no route
    // matched: nothing is admitted). One verification either way; the 403 names the SPIFFE ID.
    let options = Options::new(now).skew(cfg.skew);
    let policy = route.map_or(&cfg.no_route, |r| &r.policy);
    let verified = match &credential {
        Credential::Token(token) => {
            let audience: Vec<&str> = cfg.audience.iter().map(String::as_str).collect();
            svidkit::verify_jwt_svid(token, &audience, &cfg.bundles, &options).map(|svid| {
                let admitted = policy.admit_jwt(&svid);
                (
                    svid.spiffe_id.to_string(),
                    "jwt-svid",
                    svid.expires_at,
                    admitted,
                )
            })
        }
        Credential::Chain(ders) => {
            let chain: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
            svidkit::verify_x509_svid(&chain, &cfg.bundles, &options).map(|svid| {
                let admitted = policy.admit_x509(&svid);
                (
                    svid.spiffe_id.to_string(),
                    "x509-svid",
                    svid.expires_at,
                    admitted,
                )
            })
        }
    };
    let (spiffe_id, kind, expires_at, admitted) = match verified {
        Ok(v) => v,
        Err(e) => {
            return refuse(
                cfg,
                401,
                e.code().as_str(),
                e.message().to_string(),
                Some(source),
                route_name,
                None,
            )
        }
    };
    if let Err(e) = admitted {
        let reason = match (e.code(), route) {
            (ErrorCode::Revoked, _) => e.message().to_string(),
            (_, Some(r)) => format!(
                "{spiffe_id} is not admitted by the rule of route {}",
                r.path
            ),
            (_, None) => format!(
                "no route rule matches {} {}",
                req.method,
                req.path.unwrap_or("(no path)")
            ),
        };
        return refuse(
            cfg,
            403,
            e.code().as_str(),
            reason,
            Some(source),
            route_name,
            Some(spiffe_id),
        );
    }
    let route_name = route_name.expect("a policy admitted the ID, so a route matched");
    Decision {
        allow: true,
        status: 200,
        code: None,
        reason: format!("{spiffe_id} admitted by route {route_name}"),
        spiffe_id: Some(spiffe_id.clone()),
        source: Some(source),
        route: Some(route_name.to_string()),
        challenge: None,
        identity: Some(Identity {
            spiffe_id,
            kind,
            source,
            expires_at,
        }),
    }
}

fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn json_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_string(), json_str)
}

/// The body of a refusal (or of a 502): `{ status, code, spiffeId, reason }`, the JS gate's
/// `refusalResponse` body.
pub fn refusal_body(status: u16, code: &str, spiffe_id: Option<&str>, reason: &str) -> String {
    format!(
        "{{\"status\":{status},\"code\":{},\"spiffeId\":{},\"reason\":{}}}",
        json_str(code),
        json_opt(spiffe_id),
        json_str(reason)
    )
}

/// The headers of a refusal: JSON, not cached, and the challenge when there is one.
pub fn refusal_headers(decision: &Decision) -> Vec<(String, String)> {
    let mut headers = vec![
        (
            "content-type".to_string(),
            "application/json; charset=utf-8".to_string(),
        ),
        ("cache-control".to_string(), "no-store".to_string()),
    ];
    if let Some(c) = &decision.challenge {
        headers.push(("www-authenticate".to_string(), c.clone()));
    }
    headers
}

/// The answer to an admitted request when no upstream is configured (what the Cloudflare Worker
/// example answers without a backend).
pub fn identity_body(path: &str, identity: &Identity) -> String {
    format!(
        "{{\"ok\":true,\"path\":{},\"spiffeId\":{},\"kind\":{},\"source\":{},\"expiresAt\":{}}}",
        json_str(path),
        json_str(&identity.spiffe_id),
        json_str(identity.kind),
        json_str(identity.source.name()),
        identity.expires_at
    )
}

/// `YYYY-MM-DDTHH:MM:SS.000Z` of Unix seconds (JS `Date#toISOString`).
pub fn iso_time(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The audit line of a decision: `{"gate": {time, method, path, route, spiffeId, source, verdict,
/// status, code}}` — the JS gate's audit record, as the Worker example logs it. Never the token or
/// certificate. One line, no newline inside.
pub fn audit_line(now: u64, method: &str, path: Option<&str>, decision: &Decision) -> String {
    format!(
        "{{\"gate\":{{\"time\":\"{}\",\"method\":{},\"path\":{},\"route\":{},\"spiffeId\":{},\"source\":{},\"verdict\":\"{}\",\"status\":{},\"code\":{}}}}}",
        iso_time(now),
        json_str(method),
        json_opt(path),
        json_opt(decision.route.as_deref()),
        json_opt(decision.spiffe_id.as_deref()),
        json_opt(decision.source.map(Source::name)),
        if decision.allow { "allow" } else { "deny" },
        decision.status,
        json_opt(decision.code)
    )
}

/// Fields never copied between the client and the upstream: hop-by-hop fields (RFC 9110 §7.6.1)
/// and the ones a wasi:http host refuses from a guest (wasmtime's forbidden list includes `host`).
const HOP_BY_HOP: [&str; 11] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "http2-settings",
];

/// Credentials are not passed on, and no client-sent identity header survives: the upstream trusts
/// `x-spiffe-id`, which only the gate sets.
const STRIPPED: [&str; 8] = [
    "authorization",
    "client-cert",
    "client-cert-chain",
    "x-forwarded-client-cert",
    "cf-client-cert-der-base64",
    "cf-client-cert-sha256",
    IDENTITY_HEADER,
    SOURCE_HEADER,
];

/// The fields `Connection` names are hop-by-hop too.
fn connection_listed(headers: &Headers) -> Vec<String> {
    headers
        .0
        .iter()
        .filter(|(n, _)| n == "connection")
        .flat_map(|(_, v)| {
            String::from_utf8_lossy(v)
                .split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The fields of the request forwarded to the upstream: the client's, less hop-by-hop fields,
/// credentials and any identity header, plus `x-spiffe-id` and `x-spiffe-source`.
pub fn upstream_request_headers(headers: &Headers, identity: &Identity) -> Vec<(String, Vec<u8>)> {
    let listed = connection_listed(headers);
    let mut out: Vec<(String, Vec<u8>)> = headers
        .0
        .iter()
        .filter(|(n, _)| {
            !HOP_BY_HOP.contains(&n.as_str())
                && !STRIPPED.contains(&n.as_str())
                && !listed.contains(n)
        })
        .cloned()
        .collect();
    out.push((
        IDENTITY_HEADER.to_string(),
        identity.spiffe_id.clone().into_bytes(),
    ));
    out.push((
        SOURCE_HEADER.to_string(),
        identity.source.name().as_bytes().to_vec(),
    ));
    out
}

/// The fields of the upstream's response passed back to the client: all but hop-by-hop ones, and
/// no `content-length` where no body follows (HEAD, 204, 304) — the host checks the body written
/// against it.
pub fn client_response_headers(
    headers: &Headers,
    method: &str,
    status: u16,
) -> Vec<(String, Vec<u8>)> {
    let listed = connection_listed(headers);
    let bodiless = method == "HEAD" || status == 204 || status == 304;
    headers
        .0
        .iter()
        .filter(|(n, _)| {
            let dropped = HOP_BY_HOP.contains(&n.as_str())
                || listed.contains(n)
                || (bodiless && n == "content-length");
            !dropped
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_like_whatwg_urls() {
        let n = |p: &str| normalise_path(p).map(|(p, q)| format!("{p}{q}"));
        assert_eq!(n("/energy/x?a=1").as_deref(), Some("/energy/x?a=1"));
        assert_eq!(n("/energy/../admin").as_deref(), Some("/admin"));
        assert_eq!(n("/energy/%2E%2e/admin").as_deref(), Some("/admin"));
        assert_eq!(
            n("/energy/.%2E/admin?x=/..").as_deref(),
            Some("/admin?x=/..")
        );
        assert_eq!(n("/energy\\..\\admin").as_deref(), Some("/admin"));
        assert_eq!(n("/a/./b/.").as_deref(), Some("/a/b/"));
        assert_eq!(n("/a/..").as_deref(), Some("/"));
        assert_eq!(n("/../..").as_deref(), Some("/"));
        assert_eq!(n("/a//b").as_deref(), Some("/a//b"));
        assert_eq!(n("/a/..%2fb").as_deref(), Some("/a/..%2fb"));
        assert_eq!(n("/").as_deref(), Some("/"));
        assert_eq!(n("*"), None);
        assert_eq!(n("http://x/"), None);
    }

    #[test]
    fn quotable_reasons() {
        assert_eq!(quotable("a \"b\" \\c é\n"), "a 'b' /c ??");
        let long = "x".repeat(400);
        assert_eq!(quotable(&long).len(), 300);
        assert!(quotable(&long).ends_with("..."));
    }

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(1_795_466_859), "2026-11-23T20:47:39.000Z");
        assert_eq!(iso_time(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_time(4_102_444_799), "2099-12-31T23:59:59.000Z");
    }

    #[test]
    fn forwarded_fields() {
        let h = Headers::new([
            ("Authorization", "Bearer t"),
            ("X-SPIFFE-ID", "spiffe://evil/x"),
            ("x-spiffe-source", "bearer"),
            ("Connection", "keep-alive, X-Private"),
            ("x-private", "1"),
            ("Host", "gate"),
            ("Accept", "text/plain"),
            ("Client-Cert", ":AA==:"),
            ("x-forwarded-client-cert", "Cert=x"),
        ]);
        let id = Identity {
            spiffe_id: "spiffe://city.gov/a".into(),
            kind: "jwt-svid",
            source: Source::Bearer,
            expires_at: 1,
        };
        let out = upstream_request_headers(&h, &id);
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["accept", "x-spiffe-id", "x-spiffe-source"]);
        assert_eq!(out[1].1, b"spiffe://city.gov/a");

        let r = Headers::new([
            ("content-length", "5"),
            ("transfer-encoding", "chunked"),
            ("x-a", "1"),
        ]);
        let names = |v: Vec<(String, Vec<u8>)>| v.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(
            names(client_response_headers(&r, "GET", 200)),
            ["content-length", "x-a"]
        );
        assert_eq!(names(client_response_headers(&r, "HEAD", 200)), ["x-a"]);
        assert_eq!(names(client_response_headers(&r, "GET", 304)), ["x-a"]);
    }

    #[test]
    fn bodies_and_audit() {
        assert_eq!(
            refusal_body(401, "expired", None, "a \"b\""),
            r#"{"status":401,"code":"expired","spiffeId":null,"reason":"a \"b\""}"#
        );
        let d = Decision::internal_error("x");
        let line = audit_line(0, "GET", Some("/a"), &d);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["gate"]["status"], 500);
        assert_eq!(v["gate"]["verdict"], "deny");
        assert_eq!(v["gate"]["code"], "internal-error");
        assert_eq!(v["gate"]["route"], serde_json::Value::Null);
    }
}
