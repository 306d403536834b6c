//! The gate's configuration: the JSON object `svidkit/gate`'s `createGate` takes (js/src/gate.js),
//! minus its two function-valued options (`audit`: the component writes audit lines to stderr;
//! `now`: it reads `wasi:clocks/wall-clock`), plus `upstream`, where admitted requests go.
//!
//! ```json
//! { "audience": ["spiffe://city.gov/edge-gateway"],
//!   "sources": ["bearer", "client-cert", "xfcc", "cf-client-cert"],
//!   "routes": [{ "path": "/energy/*", "methods": ["GET"], "allow": ["spiffe://city.gov/energy-agent/*"] }],
//!   "bundles": { "city.gov": { "keys": [ ... ] } },
//!   "deny": [], "denySerials": [], "denyJti": [], "skew": 0, "realm": "svidkit",
//!   "upstream": "http://127.0.0.1:8081" }
//! ```
//!
//! Every rule is checked here, once, with the messages of the JS gate, so a typo fails at start-up
//! (every request answers 500 and stderr says why) rather than as a 401 on every request.

use std::fmt;

use serde_json::{Map, Value};
use svidkit::{BundleSet, Policy};

/// A configuration the gate cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "svidkit-gate: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

fn err<T>(message: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(message.into()))
}

/// Where a credential is read from (the JS gate's `sources` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `Authorization: Bearer <JWT-SVID>`.
    Bearer,
    /// RFC 9440 `Client-Cert` (+ `Client-Cert-Chain`).
    ClientCert,
    /// Envoy's `x-forwarded-client-cert`.
    Xfcc,
    /// Cloudflare's `Cf-Client-Cert-Der-Base64`.
    CfClientCert,
}

impl Source {
    /// Every source, in the JS gate's order.
    pub const ALL: [Source; 4] = [
        Source::Bearer,
        Source::ClientCert,
        Source::Xfcc,
        Source::CfClientCert,
    ];

    /// The name `sources` uses.
    pub fn name(self) -> &'static str {
        match self {
            Source::Bearer => "bearer",
            Source::ClientCert => "client-cert",
            Source::Xfcc => "xfcc",
            Source::CfClientCert => "cf-client-cert",
        }
    }

    /// How messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Bearer => "Authorization: Bearer",
            Source::ClientCert => "Client-Cert",
            Source::Xfcc => "X-Forwarded-Client-Cert",
            Source::CfClientCert => "Cf-Client-Cert-Der-Base64",
        }
    }

    /// The headers it reads (lower-case).
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Source::Bearer => &["authorization"],
            Source::ClientCert => &["client-cert", "client-cert-chain"],
            Source::Xfcc => &["x-forwarded-client-cert"],
            Source::CfClientCert => &["cf-client-cert-der-base64"],
        }
    }

    fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Which request paths a route covers.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PathMatch {
    /// `"*"`: every path.
    Any,
    /// `"/exact"`.
    Exact(String),
    /// `"/prefix/*"`, kept as `"/prefix/"`: it covers `/prefix/…`, not `/prefix`.
    Prefix(String),
}

/// One route rule.
#[derive(Clone, Debug)]
pub struct Route {
    /// The rule's `path` as written (what decisions and audit lines name).
    pub path: String,
    matcher: PathMatch,
    /// `None`: every method.
    methods: Option<Vec<String>>,
    /// The route's `allow` patterns plus the gate's deny lists.
    pub policy: Policy,
}

impl Route {
    /// Whether the rule covers `method` `path`.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match &self.matcher {
            PathMatch::Any => true,
            PathMatch::Exact(p) => p == path,
            PathMatch::Prefix(p) => path.starts_with(p.as_str()),
        };
        path_ok
            && self
                .methods
                .as_ref()
                .is_none_or(|m| m.iter().any(|m| m == method))
    }
}

/// Where admitted requests are forwarded: `http(s)://authority[/base-path]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// `true` for `https`.
    pub https: bool,
    /// `host[:port]`.
    pub authority: String,
    /// A path prefix without a trailing `/` (often empty).
    pub base_path: String,
}

impl Upstream {
    fn parse(url: &str) -> Result<Upstream, ConfigError> {
        let bad = |why: &str| {
            err(format!(
                "upstream: {url:?} {why} (expected \"http://host:port\" or \"https://host[:port][/base-path]\")"
            ))
        };
        let (https, rest) = if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else {
            return bad("is not an http or https URL");
        };
        let (authority, base_path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return bad("has no host");
        }
        if !authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b))
        {
            return bad(
                "has a host that is not host[:port] (user info, spaces or other characters)",
            );
        }
        if base_path.contains(['?', '#']) || base_path.bytes().any(|b| b <= b' ' || b >= 0x7f) {
            return bad("has a query, a fragment or characters a path cannot hold");
        }
        Ok(Upstream {
            https,
            authority: authority.to_string(),
            base_path: base_path.trim_end_matches('/').to_string(),
        })
    }
}

/// A compiled configuration.
#[derive(Debug)]
pub struct Config {
    /// The sources tried, in order.
    pub sources: Vec<Source>,
    /// The audiences a JWT-SVID must name (any of them); empty only without the bearer source.
    pub audience: Vec<String>,
    /// The rules, first match wins.
    pub routes: Vec<Route>,
    /// The policy for a request no route matches: the deny lists and an empty allow list.
    pub no_route: Policy,
    /// The trust bundles.
    pub bundles: BundleSet,
    /// Seconds of clock-skew allowance.
    pub skew: u64,
    /// The `realm` of `WWW-Authenticate` challenges.
    pub realm: String,
    /// Where admitted requests go; `None`: the gate answers them itself with the identity it saw.
    pub upstream: Option<Upstream>,
}

/// The request methods the fetch standard upper-cases (not PATCH); a rule naming them in any case
/// means them. Other methods match exactly.
pub const NORMALISED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

const CONFIG_KEYS: [&str; 10] = [
    "bundles",
    "audience",
    "routes",
    "deny",
    "denySerials",
    "denyJti",
    "sources",
    "skew",
    "realm",
    "upstream",
];
const ROUTE_KEYS: [&str; 3] = ["path", "methods", "allow"];

/// An RFC 9110 token (a method, an XFCC key).
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
}

/// The method as the fetch standard normalises it: the six standard ones upper-cased.
pub fn normalise_method(method: &str) -> String {
    let upper = method.to_ascii_uppercase();
    if NORMALISED_METHODS.contains(&upper.as_str()) {
        upper
    } else {
        method.to_string()
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string_array(value: &Value, what: &str, allow_empty: bool) -> Result<Vec<String>, ConfigError> {
    let Value::Array(items) = value else {
        return err(format!(
            "{what}: expected an array of strings, got {}",
            describe(value)
        ));
    };
    if !allow_empty && items.is_empty() {
        return err(format!("{what}: must not be empty"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) => Ok(s.clone()),
            other => err(format!(
                "{what}[{i}]: expected a string, got {}",
                describe(other)
            )),
        })
        .collect()
}

/// The lists every route's policy shares.
struct DenyLists {
    deny: Vec<String>,
    serials: Vec<String>,
    jti: Vec<String>,
}

impl DenyLists {
    /// An empty allow list plus the deny lists; the caller adds the route's allow patterns.
    fn policy(&self) -> Policy {
        let mut policy = Policy::new().allow_none();
        for p in &self.deny {
            policy = policy
                .deny(p)
                .expect("checked when the configuration was read");
        }
        for s in &self.serials {
            policy = policy
                .deny_serial(s)
                .expect("checked when the configuration was read");
        }
        for j in &self.jti {
            policy = policy.deny_jti(j);
        }
        policy
    }
}

fn compile_route(route: &Value, i: usize, deny: &DenyLists) -> Result<Route, ConfigError> {
    let what = format!("routes[{i}]");
    let Value::Object(route) = route else {
        return err(format!(
            "{what}: expected an object, got {}",
            describe(route)
        ));
    };
    for key in route.keys() {
        if !ROUTE_KEYS.contains(&key.as_str()) {
            return err(format!(
                "{what}.{key}: unknown member (expected {})",
                ROUTE_KEYS.join(", ")
            ));
        }
    }
    let path = match route.get("path") {
        Some(Value::String(p)) if p == "*" || p.starts_with('/') => p.clone(),
        other => {
            return err(format!(
                "{what}.path: expected \"*\", an exact path or \"/prefix/*\" (starting with \"/\"), got {}",
                other.map_or("nothing".to_string(), |v| v.to_string())
            ))
        }
    };
    let matcher = if path == "*" {
        PathMatch::Any
    } else {
        match path.find('*') {
            None => PathMatch::Exact(path.clone()),
            Some(star) if star == path.len() - 1 && path.ends_with("/*") => {
                PathMatch::Prefix(path[..path.len() - 1].to_string())
            }
            Some(_) => {
                return err(format!(
                    "{what}.path: {path:?}: \"*\" may only end a path, as \"/prefix/*\", or be the whole path"
                ))
            }
        }
    };
    let methods = match route.get("methods") {
        None => None,
        Some(v) => {
            let methods = string_array(v, &format!("{what}.methods"), false)?;
            let mut out = Vec::with_capacity(methods.len());
            for (j, m) in methods.iter().enumerate() {
                if !is_token(m) {
                    return err(format!("{what}.methods[{j}]: {m:?} is not an HTTP method"));
                }
                out.push(normalise_method(m));
            }
            Some(out)
        }
    };
    let Some(allow) = route.get("allow") else {
        return err(format!(
            "{what}.allow: required (the SPIFFE ID patterns this route admits)"
        ));
    };
    let allow = string_array(allow, &format!("{what}.allow"), true)?;
    let mut policy = deny.policy();
    for (j, p) in allow.iter().enumerate() {
        policy = policy.allow(p).map_err(|e| {
            ConfigError(format!(
                "{what}.allow[{j}]: {p:?} is not a SPIFFE ID pattern ({})",
                e.message()
            ))
        })?;
    }
    Ok(Route {
        path,
        matcher,
        methods,
        policy,
    })
}

fn compile_bundles(value: &Value) -> Result<BundleSet, ConfigError> {
    let Value::Object(map) = value else {
        return err(format!(
            "bundles: expected {{ trustDomain: bundleDocument }}, got {}",
            describe(value)
        ));
    };
    if map.is_empty() {
        return err("bundles: holds no trust domain");
    }
    let mut set = BundleSet::new();
    for (td, doc) in map {
        // A document is a parsed object or JSON text, as BundleSet.from takes.
        let text = match doc {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        set.add(td, text.as_bytes())
            .map_err(|e| ConfigError(format!("bundles: {}: {}", e.code(), e.message())))?;
    }
    Ok(set)
}

impl Config {
    /// Reads a configuration from JSON text.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ConfigError(format!("config: not JSON ({e})")))?;
        Config::from_value(&value)
    }

    /// Reads a configuration from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Config, ConfigError> {
        let Value::Object(config) = value else {
            return err(format!(
                "config: expected an object, got {}",
                describe(value)
            ));
        };
        for key in config.keys() {
            match key.as_str() {
                k if CONFIG_KEYS.contains(&k) => {}
                "audit" => return err("config.audit: the component writes one JSON audit line per decision to stderr; remove this option"),
                "now" => return err("config.now: the component reads the time from wasi:clocks/wall-clock; remove this option"),
                _ => {
                    return err(format!(
                        "config.{key}: unknown option (expected {})",
                        CONFIG_KEYS.join(", ")
                    ))
                }
            }
        }
        let sources = compile_sources(config)?;
        let audience = match config.get("audience") {
            Some(Value::String(a)) => vec![a.clone()],
            Some(v) => string_array(v, "audience", false)?,
            None if sources.contains(&Source::Bearer) => {
                return err("audience: required when the \"bearer\" source is enabled (the audience JWT-SVIDs must name)")
            }
            None => Vec::new(),
        };
        if let Some(i) = audience.iter().position(|a| a.is_empty()) {
            return err(format!("audience[{i}]: must not be empty"));
        }

        let deny = compile_deny(config)?;
        let routes =
            match config.get("routes") {
                None => return err(
                    "routes: required (first match wins; a request no route matches is refused)",
                ),
                Some(Value::Array(routes)) => routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| compile_route(r, i, &deny))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(other) => {
                    return err(format!(
                        "routes: expected an array, got {}",
                        describe(other)
                    ))
                }
            };
        let bundles = match config.get("bundles") {
            None => return err("bundles: required ({ trustDomain: bundleDocument })"),
            Some(b) => compile_bundles(b)?,
        };
        let skew = match config.get("skew") {
            None => 0,
            Some(v) => match v.as_u64() {
                Some(s) if s < (1 << 53) => s,
                _ => return err("skew: expected seconds (a non-negative integer)"),
            },
        };
        let realm = match config.get("realm") {
            None => "svidkit".to_string(),
            Some(Value::String(r))
                if r.bytes()
                    .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\') =>
            {
                r.clone()
            }
            Some(_) => {
                return err("realm: expected a string of printable ASCII without '\"' or '\\'")
            }
        };
        let upstream = match config.get("upstream") {
            None | Some(Value::Null) => None,
            Some(Value::String(u)) => Some(Upstream::parse(u)?),
            Some(other) => {
                return err(format!(
                    "upstream: expected a URL string, got {}",
                    describe(other)
                ))
            }
        };
        Ok(Config {
            sources,
            audience,
            routes,
            no_route: deny.policy(),
            bundles,
            skew,
            realm,
            upstream,
        })
    }
}

fn compile_sources(config: &Map<String, Value>) -> Result<Vec<Source>, ConfigError> {
    let Some(value) = config.get("sources") else {
        // Only `Authorization: Bearer` unless configured: a certificate header carries public
        // data, safe only behind a proxy that verified the client's certificate and strips
        // client-sent copies of the header.
        return Ok(vec![Source::Bearer]);
    };
    let names = string_array(value, "sources", false)?;
    let mut sources = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let Some(source) = Source::from_name(name) else {
            let known: Vec<&str> = Source::ALL.iter().map(|s| s.name()).collect();
            return err(format!(
                "sources[{i}]: unknown source {name:?} (expected {})",
                known.join(", ")
            ));
        };
        if sources.contains(&source) {
            return err(format!("sources[{i}]: {name:?} is listed twice"));
        }
        sources.push(source);
    }
    Ok(sources)
}

fn compile_deny(config: &Map<String, Value>) -> Result<DenyLists, ConfigError> {
    let list = |key: &str| -> Result<Vec<String>, ConfigError> {
        config
            .get(key)
            .map_or(Ok(Vec::new()), |v| string_array(v, key, true))
    };
    let deny = list("deny")?;
    for (i, p) in deny.iter().enumerate() {
        Policy::new().deny(p).map_err(|e| {
            ConfigError(format!(
                "deny[{i}]: {p:?} is not a SPIFFE ID pattern ({})",
                e.message()
            ))
        })?;
    }
    let serials = list("denySerials")?;
    for (i, s) in serials.iter().enumerate() {
        Policy::new().deny_serial(s).map_err(|_| {
            ConfigError(format!(
                "denySerials[{i}]: {s:?} is not an even number of hex digits"
            ))
        })?;
    }
    let jti = list("denyJti")?;
    Ok(DenyLists { deny, serials, jti })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLE: &str = r#"{"keys": []}"#;

    fn config(extra: &str) -> Result<Config, ConfigError> {
        Config::from_json(&format!(
            r#"{{ "audience": "api", "routes": [], "bundles": {{ "city.gov": {BUNDLE} }} {extra} }}"#
        ))
    }

    fn message(extra: &str) -> String {
        match config(extra) {
            Ok(_) => panic!("accepted {extra}"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn minimal_and_full() {
        let c = config("").unwrap();
        assert_eq!(c.sources, [Source::Bearer]);
        assert_eq!(c.audience, ["api"]);
        assert_eq!(c.realm, "svidkit");
        assert!(c.upstream.is_none());
        let c = config(
            r#", "sources": ["xfcc", "bearer"], "skew": 30, "realm": "city",
               "routes": [{"path": "/energy/*", "methods": ["get", "PATCH"], "allow": ["spiffe://city.gov/energy-agent/*"]},
                          {"path": "*", "allow": []}],
               "deny": ["spiffe://city.gov/bad"], "denySerials": ["01:ab"], "denyJti": ["j1"],
               "upstream": "http://127.0.0.1:8081/api/""#,
        )
        .unwrap();
        assert_eq!(c.sources, [Source::Xfcc, Source::Bearer]);
        assert_eq!(c.skew, 30);
        assert_eq!(
            c.upstream,
            Some(Upstream {
                https: false,
                authority: "127.0.0.1:8081".into(),
                base_path: "/api".into()
            })
        );
        let r = &c.routes[0];
        assert!(r.matches("GET", "/energy/x"));
        assert!(r.matches("PATCH", "/energy/x"));
        assert!(!r.matches("patch", "/energy/x"));
        assert!(!r.matches("GET", "/energy"));
        assert!(!r.matches("POST", "/energy/x"));
        assert!(c.routes[1].matches("DELETE", "/anything"));
    }

    #[test]
    fn refusals_name_the_member() {
        assert!(message(r#", "bogus": 1"#).starts_with("config.bogus: unknown option"));
        assert!(message(r#", "now": 1"#).contains("wall-clock"));
        assert!(message(r#", "sources": ["bearer", "bearer"]"#).contains("listed twice"));
        assert!(message(r#", "sources": ["tls"]"#).contains("unknown source"));
        assert!(message(r#", "sources": []"#).contains("must not be empty"));
        assert!(message(r#", "routes": [{"path": "/a*b", "allow": []}]"#).contains("may only end"));
        assert!(message(r#", "routes": [{"path": "a", "allow": []}]"#).contains("routes[0].path"));
        assert!(message(r#", "routes": [{"path": "/a"}]"#).contains("routes[0].allow: required"));
        assert!(
            message(r#", "routes": [{"path": "/a", "allow": ["spiffe://City/x"]}]"#)
                .contains("routes[0].allow[0]")
        );
        assert!(
            message(r#", "routes": [{"path": "/a", "methods": ["G T"], "allow": []}]"#)
                .contains("not an HTTP method")
        );
        assert!(
            message(r#", "routes": [{"path": "/a", "allow": [], "x": 1}]"#)
                .contains("routes[0].x: unknown member")
        );
        assert!(message(r#", "denySerials": ["abc"]"#).contains("denySerials[0]"));
        assert!(message(r#", "deny": ["nope"]"#).contains("deny[0]"));
        assert!(message(r#", "skew": -1"#).contains("skew"));
        assert!(message(r#", "realm": "a\"b""#).contains("realm"));
        assert!(message(r#", "upstream": "ftp://x""#).contains("upstream"));
        assert!(message(r#", "upstream": "http://u@h""#).contains("upstream"));
        assert!(message(r#", "upstream": "http://h/a?b""#).contains("upstream"));
        assert!(
            Config::from_json(r#"{"routes": [], "bundles": {"a": {"keys": []}}}"#)
                .unwrap_err()
                .0
                .starts_with("audience: required")
        );
        assert!(Config::from_json(
            r#"{"sources": ["xfcc"], "routes": [], "bundles": {"a": {"keys": []}}}"#
        )
        .is_ok());
        assert!(
            Config::from_json(r#"{"audience": "a", "routes": [], "bundles": {}}"#)
                .unwrap_err()
                .0
                .contains("no trust domain")
        );
        assert!(Config::from_json(
            r#"{"audience": "a", "routes": [], "bundles": {"a": {"keys": 1}}}"#
        )
        .unwrap_err()
        .0
        .contains("invalid-bundle"));
        assert!(Config::from_json(
            r#"{"audience": "a", "routes": [], "bundles": {"a": "{\"keys\": []}"}}"#
        )
        .is_ok());
    }
}
