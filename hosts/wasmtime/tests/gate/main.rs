//! The wasi:http gate component (examples/wasi-http-gate) end to end over real HTTP on 127.0.0.1:
//! the component runs in a wasi:http host on the wasmtime crates (server.rs, what `wasmtime serve`
//! does), in front of an echo upstream (http.rs); the credentials are made at test time with real
//! keys (fixtures.rs). Every check sends real requests and reads real responses; the gate's audit
//! lines (its stderr) are checked too. Prints one line per failing check and ends with
//! `N passed, M failed`; exits non-zero on any failure.
//!
//! The component is `$SVIDKIT_GATE_COMPONENT` or dist/svidkit-gate.component.wasm
//! (`make gate-component`). Run with `make test-gate-component`.

mod fixtures;
mod http;
#[allow(dead_code)] // Stderr::Inherit is for examples/serve_gate.rs
mod server;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

use fixtures::{b64, bundle, now, pem, url_encode, with_payload, Ca, JwtKey};
use http::{send, Response};
use server::{Compiled, Stderr};

const AUDIENCE: &str = "spiffe://city.gov/edge-gateway";
const ENERGY: &str = "spiffe://city.gov/energy-agent/meter-reader";
const TRAFFIC: &str = "spiffe://city.gov/traffic-agent/north-1";

fn component_path() -> PathBuf {
    match std::env::var_os("SVIDKIT_GATE_COMPONENT") {
        Some(p) => PathBuf::from(p),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist/svidkit-gate.component.wasm")
        }
    }
}

#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
}

impl Report {
    fn check(&mut self, name: &str, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(e) => {
                self.failed += 1;
                println!("FAIL {name}: {e}");
            }
        }
    }
}

fn ensure(cond: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(what())
    }
}

/// A refusal: this status, this code in the JSON body, the SPIFFE ID (or null) it names, and the
/// headers every refusal carries.
fn refused(
    r: &Result<Response, String>,
    status: u16,
    code: &str,
    spiffe_id: Option<&str>,
) -> Result<(), String> {
    let r = r.as_ref().map_err(|e| e.clone())?;
    let body = r.json();
    ensure(
        r.status == status && body["code"] == code && body["status"] == status,
        || format!("expected {status} {code}, got {} {}", r.status, r.text()),
    )?;
    ensure(body["spiffeId"] == json!(spiffe_id), || {
        format!("expected spiffeId {spiffe_id:?}, got {}", body["spiffeId"])
    })?;
    ensure(
        body["reason"].as_str().is_some_and(|s| !s.is_empty()),
        || "no reason in the body".into(),
    )?;
    ensure(
        r.header("content-type") == Some("application/json; charset=utf-8")
            && r.header("cache-control") == Some("no-store"),
        || format!("refusal headers: {:?}", r.headers),
    )?;
    if status == 401 {
        ensure(r.header("www-authenticate").is_some(), || {
            "a 401 without WWW-Authenticate".into()
        })?;
    }
    Ok(())
}

/// Admitted and forwarded: the upstream answered, and saw exactly one `x-spiffe-id` (this one), the
/// source, and no credential header.
fn forwarded(r: &Result<Response, String>, spiffe_id: &str, source: &str) -> Result<Value, String> {
    let r = r.as_ref().map_err(|e| e.clone())?;
    ensure(
        r.status == 200 && r.header("x-upstream") == Some("echo"),
        || {
            format!(
                "expected 200 from the upstream, got {} {}",
                r.status,
                r.text()
            )
        },
    )?;
    let seen = r.json();
    ensure(seen["spiffeId"] == json!([spiffe_id]), || {
        format!("upstream saw x-spiffe-id {}", seen["spiffeId"])
    })?;
    ensure(seen["source"] == json!([source]), || {
        format!("upstream saw x-spiffe-source {}", seen["source"])
    })?;
    for h in [
        "authorization",
        "client-cert",
        "client-cert-chain",
        "x-forwarded-client-cert",
        "cf-client-cert-der-base64",
    ] {
        ensure(seen["headers"].get(h).is_none(), || {
            format!("the credential header {h} reached the upstream")
        })?;
    }
    Ok(seen)
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The fixtures of one run.
struct World {
    root: Ca,
    inter: Ca,
    jwt: JwtKey,
    other_root: Ca,
    other_jwt: JwtKey,
}

fn gate_config(world: &World, sources: Value, upstream: Option<String>) -> String {
    let mut config = json!({
        "audience": [AUDIENCE],
        "sources": sources,
        "routes": [
            { "path": "/energy/*", "methods": ["GET", "POST", "HEAD"], "allow": ["spiffe://city.gov/energy-agent/*"] },
            { "path": "/traffic/*", "allow": ["spiffe://city.gov/traffic-agent/*"] },
            { "path": "/status", "methods": ["GET"], "allow": ["spiffe://city.gov/*"] },
        ],
        "deny": ["spiffe://city.gov/energy-agent/stolen"],
        "bundles": { "city.gov": bundle(&[&world.root], &[&world.jwt]) },
    });
    if let Some(u) = upstream {
        config["upstream"] = Value::from(u);
    }
    config.to_string()
}

async fn start(
    compiled: &Compiled,
    config: Option<String>,
    stderr: Stderr,
) -> Result<SocketAddr, String> {
    let env = config
        .map(|c| vec![("SVIDKIT_GATE_CONFIG".to_string(), c)])
        .unwrap_or_default();
    start_with(compiled, env, Vec::new(), stderr).await
}

async fn start_with(
    compiled: &Compiled,
    env: Vec<(String, String)>,
    dirs: Vec<(PathBuf, String)>,
    stderr: Stderr,
) -> Result<SocketAddr, String> {
    let server = compiled
        .server(env, dirs, stderr)
        .map_err(|e| format!("linking the component: {e:?}"))?;
    Arc::new(server)
        .spawn_local()
        .await
        .map_err(|e| format!("binding 127.0.0.1: {e}"))
}

async fn run(report: &mut Report) -> Result<(), String> {
    let path = component_path();
    let started = Instant::now();
    let compiled = Compiled::load(&path).map_err(|e| {
        format!(
            "loading {} (run `make gate-component` first): {e:?}",
            path.display()
        )
    })?;
    println!(
        "gate component {} compiled in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    // The component's world: wasi:http/incoming-handler out; in: wasi:http, cli, clocks, io,
    // filesystem (the optional config file) — no sockets, no random beyond what std links.
    let exports = compiled.exports();
    report.check(
        "exports wasi:http/incoming-handler",
        ensure(
            exports
                .iter()
                .any(|e| e.starts_with("wasi:http/incoming-handler@0.2")),
            || format!("exports: {exports:?}"),
        ),
    );
    let imports = compiled.imports();
    println!("gate component imports: {}", imports.join(" "));
    report.check(
        "imports: outgoing-handler, environment, wall-clock, stderr; no sockets",
        ensure(
            [
                "wasi:http/outgoing-handler@",
                "wasi:cli/environment@",
                "wasi:clocks/wall-clock@",
                "wasi:cli/stderr@",
            ]
            .iter()
            .all(|want| imports.iter().any(|i| i.starts_with(want)))
                && !imports.iter().any(|i| i.starts_with("wasi:sockets/")),
            || format!("imports: {imports:?}"),
        ),
    );

    let now = now();
    let root = Ca::root("City Root CA", "city.gov", now);
    let inter = root.intermediate("City Issuing CA", "city.gov", now);
    let world = World {
        jwt: JwtKey::new("city-jwt-1"),
        other_root: Ca::root("Other Root CA", "other.org", now),
        other_jwt: JwtKey::new("other-jwt-1"),
        root,
        inter,
    };
    let upstream = http::spawn_echo()
        .await
        .map_err(|e| format!("upstream: {e}"))?;
    let audit = MemoryOutputPipe::new(16 << 20);
    let all_sources = json!(["bearer", "client-cert", "xfcc", "cf-client-cert"]);
    let gate = start(
        &compiled,
        Some(gate_config(
            &world,
            all_sources,
            Some(format!("http://{upstream}")),
        )),
        Stderr::Capture(audit.clone()),
    )
    .await?;
    let mut requests = 0usize; // to the main gate, for the audit check
    let mut secrets: Vec<String> = Vec::new(); // credentials that must never reach the audit log

    macro_rules! req {
        ($method:expr, $target:expr, $headers:expr) => {{
            requests += 1;
            send(gate, $method, $target, $headers, b"").await
        }};
        ($method:expr, $target:expr, $headers:expr, $body:expr) => {{
            requests += 1;
            send(gate, $method, $target, $headers, $body).await
        }};
    }

    // --- JWT-SVID in Authorization: Bearer --------------------------------------------------
    let energy = world.jwt.token(ENERGY, AUDIENCE, 600);
    secrets.push(energy.clone());
    let auth = bearer(&energy);
    let r = req!(
        "GET",
        "/energy/meter/7?window=1h",
        &[("authorization", &auth)]
    );
    report.check(
        "JWT-SVID on an allowed route: 200, the upstream saw the SPIFFE ID and the path",
        forwarded(&r, ENERGY, "bearer").and_then(|seen| {
            ensure(
                seen["method"] == "GET" && seen["target"] == "/energy/meter/7?window=1h",
                || format!("upstream saw {} {}", seen["method"], seen["target"]),
            )
        }),
    );

    let r = req!(
        "GET",
        "/energy/meter/7",
        &[
            ("authorization", &auth),
            ("x-spiffe-id", "spiffe://city.gov/admin"),
            ("x-spiffe-source", "forged"),
            ("accept", "application/json"),
        ]
    );
    report.check(
        "a client-sent x-spiffe-id is replaced; other headers pass",
        forwarded(&r, ENERGY, "bearer").and_then(|seen| {
            ensure(seen["headers"]["accept"] == "application/json", || {
                format!("upstream headers {}", seen["headers"])
            })
        }),
    );

    let payload = br#"{"reading": 42.5}"#;
    let r = req!(
        "POST",
        "/energy/readings",
        &[
            ("authorization", &auth),
            ("content-type", "application/json")
        ],
        payload
    );
    report.check(
        "POST: the request body reaches the upstream",
        forwarded(&r, ENERGY, "bearer").and_then(|seen| {
            ensure(
                seen["body"] == r#"{"reading": 42.5}"# && seen["method"] == "POST",
                || format!("upstream saw {} with body {}", seen["method"], seen["body"]),
            )
        }),
    );

    requests += 1;
    let chunked = format!(
        "POST /energy/readings HTTP/1.1\r\nHost: gate\r\nAuthorization: {auth}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    );
    let r = http::send_raw(gate, chunked.into_bytes()).await;
    report.check(
        "POST with a chunked body: the body reaches the upstream",
        r.and_then(|(status, body)| {
            let seen: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            ensure(
                status == 200
                    && seen["body"] == "hello world"
                    && seen["spiffeId"] == json!([ENERGY]),
                || format!("{status} {body}"),
            )
        }),
    );

    let r = req!("HEAD", "/energy/meter/7", &[("authorization", &auth)]);
    report.check(
        "HEAD: 200 from the upstream, no body",
        r.as_ref().map_err(|e| e.clone()).and_then(|r| {
            ensure(
                r.status == 200 && r.body.is_empty() && r.header("x-upstream") == Some("echo"),
                || format!("{} {:?} {}", r.status, r.headers, r.text()),
            )
        }),
    );

    let r = req!(
        "GET",
        "/status",
        &[(
            "authorization",
            &bearer(&world.jwt.token(TRAFFIC, AUDIENCE, 600))
        )]
    );
    report.check(
        "a trust-domain-wide rule (/status) admits any city.gov ID",
        forwarded(&r, TRAFFIC, "bearer").map(|_| ()),
    );

    // --- X.509-SVIDs from the proxy headers ---------------------------------------------------
    let leaf_via_inter = world.inter.leaf(ENERGY, now - 60, now + 3600);
    let leaf_direct = world.root.leaf(ENERGY, now - 60, now + 3600);
    secrets.push(b64(&leaf_via_inter));
    secrets.push(b64(&leaf_direct));
    let client_cert = format!(":{}:", b64(&leaf_via_inter));
    let client_chain = format!(":{}:", b64(&world.inter.der));
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[
            ("client-cert", &client_cert),
            ("client-cert-chain", &client_chain)
        ]
    );
    report.check(
        "RFC 9440 Client-Cert + Client-Cert-Chain (leaf ← intermediate ← bundle root): 200",
        forwarded(&r, ENERGY, "client-cert").map(|_| ()),
    );
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("client-cert", &format!(":{}:", b64(&leaf_direct)))]
    );
    report.check(
        "RFC 9440 Client-Cert alone (leaf issued by the bundle root): 200",
        forwarded(&r, ENERGY, "client-cert").map(|_| ()),
    );

    let chain_pem = format!("{}{}", pem(&leaf_via_inter), pem(&world.inter.der));
    let xfcc = format!(
        "By=spiffe://city.gov/client-written;Cert=\"{}\",By=spiffe://city.gov/gate;Hash=00;Cert=\"{}\";Chain=\"{}\";URI=\"{ENERGY}\"",
        url_encode(&pem(&world.other_root.leaf("spiffe://other.org/x", now - 60, now + 60))),
        url_encode(&pem(&leaf_via_inter)),
        url_encode(&chain_pem)
    );
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("x-forwarded-client-cert", &xfcc)]
    );
    report.check(
        "Envoy x-forwarded-client-cert (Cert + Chain of the last element): 200",
        forwarded(&r, ENERGY, "xfcc").map(|_| ()),
    );
    let xfcc_cert_only = format!("Cert=\"{}\"", url_encode(&pem(&leaf_direct)));
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("x-forwarded-client-cert", &xfcc_cert_only)]
    );
    report.check(
        "Envoy x-forwarded-client-cert with Cert only: 200",
        forwarded(&r, ENERGY, "xfcc").map(|_| ()),
    );

    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("cf-client-cert-der-base64", &b64(&leaf_direct))]
    );
    report.check(
        "Cloudflare Cf-Client-Cert-Der-Base64: 200",
        forwarded(&r, ENERGY, "cf-client-cert").map(|_| ()),
    );

    // --- Invalid credentials: 401 with the core's code ----------------------------------------
    let forged = with_payload(
        &energy,
        &json!({ "sub": "spiffe://city.gov/energy-agent/admin", "aud": AUDIENCE, "exp": now + 600 }),
    );
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", &bearer(&forged))]
    );
    report.check(
        "tampered JWT-SVID: 401 bad-signature, invalid_token challenge",
        refused(&r, 401, "bad-signature", None).and_then(|()| {
            let c = r.as_ref().unwrap().header("www-authenticate").unwrap_or("");
            ensure(
                c.starts_with("Bearer realm=\"svidkit\", error=\"invalid_token\""),
                || format!("WWW-Authenticate: {c}"),
            )
        }),
    );
    let expired = world
        .jwt
        .sign(&json!({ "sub": ENERGY, "aud": AUDIENCE, "exp": now - 120 }));
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", &bearer(&expired))]
    );
    report.check(
        "expired JWT-SVID: 401 expired",
        refused(&r, 401, "expired", None),
    );
    let wrong_aud = world.jwt.token(ENERGY, "spiffe://city.gov/billing", 600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", &bearer(&wrong_aud))]
    );
    report.check(
        "wrong-audience JWT-SVID: 401 audience-mismatch",
        refused(&r, 401, "audience-mismatch", None),
    );
    let foreign = world
        .other_jwt
        .token("spiffe://other.org/energy-agent/x", AUDIENCE, 600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", &bearer(&foreign))]
    );
    report.check(
        "JWT-SVID of an unknown trust domain: 401 no-bundle",
        refused(&r, 401, "no-bundle", None),
    );
    let foreign_leaf =
        world
            .other_root
            .leaf("spiffe://other.org/energy-agent/x", now - 60, now + 3600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("client-cert", &format!(":{}:", b64(&foreign_leaf)))]
    );
    report.check(
        "X.509-SVID of an unknown trust domain: 401 no-bundle",
        refused(&r, 401, "no-bundle", None),
    );
    let expired_leaf = world.root.leaf(ENERGY, now - 7200, now - 3600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("cf-client-cert-der-base64", &b64(&expired_leaf))]
    );
    report.check(
        "expired X.509-SVID: 401 expired",
        refused(&r, 401, "expired", None),
    );
    let impostor = Ca::root("City Root CA", "city.gov", now).leaf(ENERGY, now - 60, now + 3600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("client-cert", &format!(":{}:", b64(&impostor)))]
    );
    report.check(
        "X.509-SVID signed by a look-alike root: 401 bad-signature",
        refused(&r, 401, "bad-signature", None),
    );

    // --- Valid but not admitted: 403 -----------------------------------------------------------
    let r = req!("GET", "/traffic/lights/3", &[("authorization", &auth)]);
    report.check(
        "valid SVID on a route it may not use: 403 unauthorized naming the SPIFFE ID",
        refused(&r, 403, "unauthorized", Some(ENERGY)).and_then(|()| {
            let c = r.as_ref().unwrap().header("www-authenticate").unwrap_or("");
            ensure(c.contains("error=\"insufficient_scope\""), || {
                format!("WWW-Authenticate: {c}")
            })
        }),
    );
    let r = req!("DELETE", "/energy/meter/7", &[("authorization", &auth)]);
    report.check(
        "a method no rule allows: 403 unauthorized",
        refused(&r, 403, "unauthorized", Some(ENERGY)),
    );
    let r = req!(
        "GET",
        "/admin",
        &[
            ("client-cert", &client_cert),
            ("client-cert-chain", &client_chain)
        ]
    );
    report.check(
        "a path no rule covers (X.509-SVID): 403, default deny",
        refused(&r, 403, "unauthorized", Some(ENERGY)),
    );
    let r = req!(
        "GET",
        "/energy/%2e%2e/traffic/lights",
        &[("authorization", &auth)]
    );
    report.check(
        "/energy/%2e%2e/traffic/… is matched as /traffic/…: 403",
        refused(&r, 403, "unauthorized", Some(ENERGY)),
    );
    let stolen = world
        .jwt
        .token("spiffe://city.gov/energy-agent/stolen", AUDIENCE, 600);
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", &bearer(&stolen))]
    );
    report.check(
        "an ID on the deny list: 403 revoked",
        refused(
            &r,
            403,
            "revoked",
            Some("spiffe://city.gov/energy-agent/stolen"),
        ),
    );

    // --- No credential, malformed headers ------------------------------------------------------
    let r = req!("GET", "/energy/meter/7", &[]);
    report.check(
        "no credential: 401 no-credential, a bare Bearer challenge",
        refused(&r, 401, "no-credential", None).and_then(|()| {
            let c = r.as_ref().unwrap().header("www-authenticate").unwrap_or("");
            ensure(c == "Bearer realm=\"svidkit\"", || {
                format!("WWW-Authenticate: {c}")
            })
        }),
    );
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[("authorization", "Basic dXNlcjpwYXNz")]
    );
    report.check(
        "another Authorization scheme is no credential: 401 no-credential",
        refused(&r, 401, "no-credential", None),
    );
    for (name, headers) in [
        (
            "Bearer not-a-jwt",
            vec![("authorization", "Bearer not-a-jwt")],
        ),
        (
            "Bearer with padded base64",
            vec![("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9=.e30.AA")],
        ),
        ("Client-Cert without colons", vec![("client-cert", "MIIB")]),
        (
            "Client-Cert of url-safe base64",
            vec![("client-cert", ":MII-_w==:")],
        ),
        (
            "Client-Cert-Chain without Client-Cert",
            vec![("client-cert-chain", ":AAAA:")],
        ),
        (
            "x-forwarded-client-cert unterminated",
            vec![("x-forwarded-client-cert", "Cert=\"-----BEGIN")],
        ),
        (
            "x-forwarded-client-cert bad escape",
            vec![("x-forwarded-client-cert", "Cert=%zz")],
        ),
        (
            "x-forwarded-client-cert without Cert",
            vec![("x-forwarded-client-cert", "By=spiffe://a/b")],
        ),
        (
            "Cf-Client-Cert-Der-Base64 not base64",
            vec![("cf-client-cert-der-base64", "%%%")],
        ),
        (
            "Cf-Client-Cert-Der-Base64 not DER",
            vec![("cf-client-cert-der-base64", "AAAA")],
        ),
    ] {
        let r = req!("GET", "/energy/meter/7", &headers);
        report.check(
            &format!("malformed header ({name}): 401 malformed"),
            refused(&r, 401, "malformed", None),
        );
    }
    let r = req!("GET", "/energy/meter/7", &[("authorization", &auth)]);
    report.check(
        "after the malformed headers the gate still serves: 200",
        forwarded(&r, ENERGY, "bearer").map(|_| ()),
    );
    let r = req!(
        "GET",
        "/energy/meter/7",
        &[
            ("authorization", &bearer(&expired)),
            ("client-cert", &client_cert),
            ("client-cert-chain", &client_chain)
        ]
    );
    report.check(
        "the first source present decides alone: an expired token is not rescued by a valid certificate",
        refused(&r, 401, "expired", None),
    );

    // --- The audit log -------------------------------------------------------------------------
    let log = String::from_utf8_lossy(&audit.contents()).into_owned();
    let lines: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("gate").is_some())
        .collect();
    report.check(
        "one JSON audit line per decision",
        ensure(lines.len() == requests, || {
            format!(
                "{} audit lines for {requests} requests:\n{log}",
                lines.len()
            )
        }),
    );
    report.check(
        "audit lines carry time, method, path, route, SPIFFE ID, source, verdict, status, code",
        ensure(
            lines.iter().all(|l| {
                let g = &l["gate"];
                [
                    "time", "method", "path", "route", "spiffeId", "source", "verdict", "status",
                    "code",
                ]
                .iter()
                .all(|k| g.get(k).is_some())
            }) && lines.iter().any(|l| {
                l["gate"]["verdict"] == "allow"
                    && l["gate"]["spiffeId"] == ENERGY
                    && l["gate"]["route"] == "/energy/*"
                    && l["gate"]["path"] == "/energy/meter/7"
                    && l["gate"]["source"] == "bearer"
                    && l["gate"]["status"] == 200
            }) && lines.iter().any(|l| {
                l["gate"]["verdict"] == "deny"
                    && l["gate"]["status"] == 403
                    && l["gate"]["code"] == "unauthorized"
                    && l["gate"]["path"] == "/traffic/lights"
            }),
            || format!("audit log:\n{log}"),
        ),
    );
    report.check(
        "the audit log never holds a token or certificate",
        ensure(
            !secrets.iter().any(|s| log.contains(s.as_str()))
                && !log.contains(&energy[..40])
                && !log.contains("eyJ"),
            || "a credential appears in the audit log".into(),
        ),
    );

    // --- Other configurations -------------------------------------------------------------------
    // Certificate sources first, no upstream: the gate answers admitted requests itself.
    let cert_first = start(
        &compiled,
        Some(gate_config(&world, json!(["client-cert", "bearer"]), None)),
        Stderr::Capture(MemoryOutputPipe::new(1 << 20)),
    )
    .await?;
    let r = send(
        cert_first,
        "GET",
        "/energy/meter/7",
        &[
            ("authorization", &auth),
            ("client-cert", &format!(":{}:", b64(&leaf_direct))),
        ],
        b"",
    )
    .await;
    report.check(
        "sources order is configurable (client-cert before bearer); without upstream the gate answers",
        r.as_ref().map_err(|e| e.clone()).and_then(|r| {
            let b = r.json();
            ensure(
                r.status == 200
                    && b["ok"] == true
                    && b["spiffeId"] == ENERGY
                    && b["source"] == "client-cert"
                    && b["kind"] == "x509-svid"
                    && b["path"] == "/energy/meter/7",
                || format!("{} {}", r.status, r.text()),
            )
        }),
    );

    let cert_only = start(
        &compiled,
        Some(gate_config(&world, json!(["xfcc"]), None)),
        Stderr::Capture(MemoryOutputPipe::new(1 << 20)),
    )
    .await?;
    let r = send(
        cert_only,
        "GET",
        "/energy/meter/7",
        &[("authorization", &auth)],
        b"",
    )
    .await;
    report.check(
        "a source not enabled is ignored: 401 no-credential with a ClientCert challenge",
        refused(&r, 401, "no-credential", None).and_then(|()| {
            let r = r.as_ref().unwrap();
            ensure(
                r.header("www-authenticate") == Some("ClientCert realm=\"svidkit\"")
                    && r.json()["reason"]
                        .as_str()
                        .unwrap_or("")
                        .contains("ignored Authorization: Bearer"),
                || format!("{:?} {}", r.header("www-authenticate"), r.text()),
            )
        }),
    );

    let down = start(
        &compiled,
        Some(gate_config(
            &world,
            json!(["bearer"]),
            Some(format!("http://127.0.0.1:{}", http::closed_port())),
        )),
        Stderr::Capture(MemoryOutputPipe::new(1 << 20)),
    )
    .await?;
    let r = send(
        down,
        "GET",
        "/energy/meter/7",
        &[("authorization", &auth)],
        b"",
    )
    .await;
    report.check(
        "upstream unreachable: 502 upstream-error naming the SPIFFE ID",
        refused(&r, 502, "upstream-error", Some(ENERGY)),
    );

    let broken_log = MemoryOutputPipe::new(1 << 20);
    let broken = start(
        &compiled,
        Some(r#"{"audience": "x", "routes": [{"path": "/a*"}], "bundles": {}}"#.into()),
        Stderr::Capture(broken_log.clone()),
    )
    .await?;
    let r = send(broken, "GET", "/a", &[("authorization", &auth)], b"").await;
    let log = String::from_utf8_lossy(&broken_log.contents()).into_owned();
    report.check(
        "an unusable configuration: 500 internal-error, the reason on stderr",
        refused(&r, 500, "internal-error", None)
            .and_then(|()| ensure(log.contains("routes[0].path"), || format!("stderr: {log}"))),
    );
    // The configuration from a file (wasi:filesystem, a preopened directory). Each request gets a
    // fresh instance, which reads the file again: an edit takes effect on the next request.
    let dir = std::env::temp_dir().join(format!("svidkit-gate-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("gate.json");
    std::fs::write(&file, gate_config(&world, json!(["bearer"]), None))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let from_file = start_with(
        &compiled,
        vec![(
            "SVIDKIT_GATE_CONFIG_FILE".into(),
            "/config/gate.json".into(),
        )],
        vec![(dir.clone(), "/config".into())],
        Stderr::Capture(MemoryOutputPipe::new(1 << 20)),
    )
    .await?;
    let r = send(
        from_file,
        "GET",
        "/energy/meter/7",
        &[("authorization", &auth)],
        b"",
    )
    .await;
    report.check(
        "configuration from SVIDKIT_GATE_CONFIG_FILE (a preopened directory): 200",
        r.as_ref().map_err(|e| e.clone()).and_then(|r| {
            ensure(r.status == 200 && r.json()["spiffeId"] == ENERGY, || {
                format!("{} {}", r.status, r.text())
            })
        }),
    );
    let mut edited: Value = serde_json::from_str(&gate_config(&world, json!(["bearer"]), None))
        .map_err(|e| e.to_string())?;
    edited["deny"] = json!([ENERGY]);
    std::fs::write(&file, edited.to_string()).map_err(|e| format!("{}: {e}", file.display()))?;
    let r = send(
        from_file,
        "GET",
        "/energy/meter/7",
        &[("authorization", &auth)],
        b"",
    )
    .await;
    report.check(
        "an edited configuration file applies to the next request: 403 revoked",
        refused(&r, 403, "revoked", Some(ENERGY)),
    );
    let _ = std::fs::remove_dir_all(&dir);

    let unconfigured = start(
        &compiled,
        None,
        Stderr::Capture(MemoryOutputPipe::new(1 << 20)),
    )
    .await?;
    let r = send(unconfigured, "GET", "/", &[], b"").await;
    report.check(
        "no configuration at all: 500 internal-error",
        refused(&r, 500, "internal-error", None),
    );
    Ok(())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut report = Report::default();
    let started = Instant::now();
    if let Err(e) = runtime.block_on(run(&mut report)) {
        report.check("setup", Err(e));
    }
    println!(
        "wasi:http gate end to end: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("{} passed, {} failed", report.passed, report.failed);
    if report.failed > 0 {
        std::process::exit(1);
    }
}
