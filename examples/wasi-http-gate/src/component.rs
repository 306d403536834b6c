//! The `wasi:http/incoming-handler` export: reads the configuration (`wasi:cli/environment`, or a
//! file through `wasi:filesystem`), the time (`wasi:clocks/wall-clock`) and the request, lets
//! [`crate::gate::decide`] decide, writes the audit line to `wasi:cli/stderr`, and answers the
//! refusal itself or forwards the request through `wasi:http/outgoing-handler`.

use std::io::Write as _;
use std::sync::OnceLock;

use wasi::clocks::wall_clock;
use wasi::exports::http::incoming_handler::Guest;
use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode as HttpError, Fields, IncomingBody, IncomingRequest, Method, OutgoingBody,
    OutgoingRequest, OutgoingResponse, RequestOptions, ResponseOutparam, Scheme,
};
use wasi::io::streams::{InputStream, StreamError};

use crate::config::{normalise_method, Config, Upstream};
use crate::credentials::Headers;
use crate::gate::{self, Decision, Identity, Request};

/// The configuration JSON itself.
const CONFIG_ENV: &str = "SVIDKIT_GATE_CONFIG";
/// A path (in the component's preopened directories) to read the configuration JSON from.
const CONFIG_FILE_ENV: &str = "SVIDKIT_GATE_CONFIG_FILE";
/// Connecting to the upstream gives up after this long.
const CONNECT_TIMEOUT_NS: u64 = 10_000_000_000;

struct Component;

wasi::http::proxy::export!(Component);

/// Read once per instance (wasmtime serve makes one instance per request, so a configuration file
/// edited on disk takes effect with the next request).
static CONFIG: OnceLock<Result<Config, String>> = OnceLock::new();

fn load_config() -> Result<Config, String> {
    let env = wasi::cli::environment::get_environment();
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let text = match (var(CONFIG_ENV), var(CONFIG_FILE_ENV)) {
        (Some(json), _) => json.to_string(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| format!("svidkit-gate: {CONFIG_FILE_ENV}={path:?}: {e}"))?,
        (None, None) => {
            return Err(format!(
                "svidkit-gate: no configuration: set {CONFIG_ENV} (the JSON) or {CONFIG_FILE_ENV} (a file path)"
            ))
        }
    };
    Config::from_json(&text).map_err(|e| e.to_string())
}

/// One line to stderr in a single write, so lines of concurrent instances never interleave.
fn log_line(line: &str) {
    let mut stderr = wasi::cli::stderr::get_stderr();
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    let _ = stderr
        .write_all(&bytes)
        .and_then(|()| std::io::Write::flush(&mut stderr));
}

fn log_error(message: &str) {
    log_line(&format!(
        "{{\"gateError\":{}}}",
        serde_json::Value::from(message)
    ));
}

fn method_name(method: &Method) -> String {
    match method {
        Method::Get => "GET".into(),
        Method::Head => "HEAD".into(),
        Method::Post => "POST".into(),
        Method::Put => "PUT".into(),
        Method::Delete => "DELETE".into(),
        Method::Connect => "CONNECT".into(),
        Method::Options => "OPTIONS".into(),
        Method::Trace => "TRACE".into(),
        Method::Patch => "PATCH".into(),
        Method::Other(m) => normalise_method(m),
    }
}

fn wasi_method(name: &str) -> Method {
    match name {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "CONNECT" => Method::Connect,
        "OPTIONS" => Method::Options,
        "TRACE" => Method::Trace,
        "PATCH" => Method::Patch,
        other => Method::Other(other.to_string()),
    }
}

fn fields<N: AsRef<str>, V: AsRef<[u8]>>(
    pairs: impl IntoIterator<Item = (N, V)>,
) -> Result<Fields, String> {
    let f = Fields::new();
    for (n, v) in pairs {
        f.append(n.as_ref(), v.as_ref())
            .map_err(|e| format!("header {:?}: {e:?}", n.as_ref()))?;
    }
    Ok(f)
}

/// Answers with a complete body.
fn respond(out: ResponseOutparam, status: u16, headers: Vec<(String, String)>, body: &str) {
    let mut headers = headers;
    headers.push(("content-length".into(), body.len().to_string()));
    let response = match fields(headers) {
        Ok(f) => OutgoingResponse::new(f),
        Err(e) => {
            log_error(&e);
            OutgoingResponse::new(Fields::new())
        }
    };
    let _ = response.set_status_code(status);
    let body_handle = response.body().expect("the body of a new response");
    ResponseOutparam::set(out, Ok(response));
    let Ok(mut stream) = body_handle.write() else {
        return;
    };
    if let Err(e) = stream
        .write_all(body.as_bytes())
        .and_then(|()| std::io::Write::flush(&mut stream))
    {
        log_error(&format!("writing the response: {e}"));
    }
    drop(stream);
    let _ = OutgoingBody::finish(body_handle, None);
}

fn refuse(out: ResponseOutparam, decision: &Decision) {
    let body = gate::refusal_body(
        decision.status,
        decision.code.unwrap_or(gate::INTERNAL_ERROR),
        decision.spiffe_id.as_deref(),
        &decision.reason,
    );
    respond(out, decision.status, gate::refusal_headers(decision), &body);
}

/// Most bytes read from a body stream at once.
const BODY_CHUNK: u64 = 64 * 1024;

/// The first bytes of the client's body; empty when it has none (it ends at once). Read before the
/// upstream request is made, so a request without a body is forwarded without one, whatever
/// framing (length, chunks, HTTP/2 frames) it arrived with.
fn first_chunk(from: &InputStream) -> Result<Vec<u8>, ForwardError> {
    loop {
        match from.blocking_read(BODY_CHUNK) {
            Ok(chunk) if chunk.is_empty() => continue,
            Ok(chunk) => return Ok(chunk),
            Err(StreamError::Closed) => return Ok(Vec::new()),
            Err(StreamError::LastOperationFailed(e)) => {
                return Err(ForwardError(format!(
                    "reading the request body: {}",
                    e.to_debug_string()
                )))
            }
        }
    }
}

/// Why forwarding failed before the response was sent.
struct ForwardError(String);

fn http_error(what: &str, e: &HttpError) -> ForwardError {
    ForwardError(format!("{what}: {e:?}"))
}

#[allow(clippy::too_many_arguments)]
fn forward(
    request: IncomingRequest,
    out: ResponseOutparam,
    upstream: &Upstream,
    method: &str,
    path: &str,
    query: &str,
    headers: &Headers,
    identity: &Identity,
) -> Result<(), (ResponseOutparam, ForwardError)> {
    // Everything up to ResponseOutparam::set may still fail with a 502.
    let prepared = (|| -> Result<_, ForwardError> {
        let req = OutgoingRequest::new(
            fields(gate::upstream_request_headers(headers, identity)).map_err(ForwardError)?,
        );
        let scheme = if upstream.https {
            Scheme::Https
        } else {
            Scheme::Http
        };
        let target = format!("{}{path}{query}", upstream.base_path);
        req.set_method(&wasi_method(method))
            .and_then(|()| req.set_scheme(Some(&scheme)))
            .and_then(|()| req.set_authority(Some(&upstream.authority)))
            .and_then(|()| req.set_path_with_query(Some(&target)))
            .map_err(|()| {
                ForwardError(format!(
                    "the upstream request {method} {target} is not valid"
                ))
            })?;
        let options = RequestOptions::new();
        let _ = options.set_connect_timeout(Some(CONNECT_TIMEOUT_NS));

        let incoming = request
            .consume()
            .map_err(|()| ForwardError("the request body was already taken".into()))?;
        let mut from = incoming.stream().expect("the stream of a new body");
        let first = first_chunk(&from)?;
        let body = if first.is_empty() {
            None
        } else {
            Some(req.body().expect("the body of a new request"))
        };
        let pending = outgoing_handler::handle(req, Some(options))
            .map_err(|e| http_error("the upstream request", &e))?;
        if let Some(body) = body {
            let mut to = body.write().expect("the stream of a new body");
            to.write_all(&first)
                .and_then(|()| std::io::copy(&mut from, &mut to))
                .and_then(|_| std::io::Write::flush(&mut to))
                .map_err(|e| ForwardError(format!("passing the request body on: {e}")))?;
            drop(to);
            OutgoingBody::finish(body, None)
                .map_err(|e| http_error("finishing the request body", &e))?;
        }
        drop(from);
        let _ = IncomingBody::finish(incoming);
        pending.subscribe().block();
        let response = pending
            .get()
            .expect("ready after block")
            .map_err(|()| ForwardError("the upstream response was already taken".into()))?
            .map_err(|e| http_error("the upstream", &e))?;
        Ok(response)
    })();
    let response = match prepared {
        Ok(r) => r,
        Err(e) => return Err((out, e)),
    };

    let status = response.status();
    let upstream_headers = Headers(response.headers().entries());
    let copied = gate::client_response_headers(&upstream_headers, method, status);
    let answer = match fields(copied) {
        Ok(f) => OutgoingResponse::new(f),
        Err(e) => return Err((out, ForwardError(format!("the upstream response: {e}")))),
    };
    let _ = answer.set_status_code(status);
    let body = answer.body().expect("the body of a new response");
    ResponseOutparam::set(out, Ok(answer));

    // Headers are sent; a failure from here on can only cut the body short.
    let Ok(incoming) = response.consume() else {
        return Ok(());
    };
    let copied = (|| -> std::io::Result<()> {
        let mut from = incoming
            .stream()
            .map_err(|()| std::io::Error::other("no stream"))?;
        let mut to = body
            .write()
            .map_err(|()| std::io::Error::other("no stream"))?;
        std::io::copy(&mut from, &mut to)?;
        std::io::Write::flush(&mut to)
    })();
    if let Err(e) = copied {
        log_error(&format!("passing the upstream's body on: {e}"));
    }
    let _ = IncomingBody::finish(incoming);
    let _ = OutgoingBody::finish(body, None);
    Ok(())
}

impl Guest for Component {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let now = wall_clock::now().seconds;
        let method = method_name(&request.method());
        let target = request.path_with_query().unwrap_or_default();
        let normalised = gate::normalise_path(&target);
        let (path, query) = match &normalised {
            Some((p, q)) => (Some(p.as_str()), q.as_str()),
            None => (None, ""),
        };
        let headers = Headers(request.headers().entries());

        let config = match CONFIG.get_or_init(load_config) {
            Ok(c) => c,
            Err(e) => {
                log_error(e);
                let decision = Decision::internal_error("the gate is not configured correctly");
                log_line(&gate::audit_line(now, &method, path, &decision));
                return refuse(out, &decision);
            }
        };
        let decision = gate::decide(
            config,
            &Request {
                method: &method,
                path,
                headers: &headers,
            },
            now,
        );
        log_line(&gate::audit_line(now, &method, path, &decision));
        let (Some(identity), Some(path)) = (&decision.identity, path) else {
            return refuse(out, &decision);
        };
        let Some(upstream) = &config.upstream else {
            let headers = vec![
                (
                    "content-type".to_string(),
                    "application/json; charset=utf-8".to_string(),
                ),
                ("cache-control".to_string(), "no-store".to_string()),
            ];
            return respond(out, 200, headers, &gate::identity_body(path, identity));
        };
        if let Err((out, ForwardError(why))) = forward(
            request, out, upstream, &method, path, query, &headers, identity,
        ) {
            log_error(&format!("{method} {path}: {why}"));
            let mut refusal = Decision::internal_error(format!("the upstream failed: {why}"));
            refusal.status = 502;
            refusal.code = Some(gate::UPSTREAM_ERROR);
            refusal.spiffe_id = Some(identity.spiffe_id.clone());
            refuse(out, &refusal);
        }
    }
}
