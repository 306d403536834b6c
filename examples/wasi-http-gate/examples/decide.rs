//! The gate's decisions for a batch of requests, as JSON: the Rust half of the differential test
//! of the two gates (js/test/gate/differential.mjs), which sends the same requests through
//! `svidkit/gate` and compares.
//!
//! stdin: `{ "config": <gate configuration>, "requests": [{ "now", "method", "target",
//! "headers": [[name, value]] }] }`, where each header value is a string of code points
//! ≤ U+00FF, one per byte (what a fetch `Headers` holds). stdout: one decision per request,
//! `{ allow, status, code, source, spiffeId, route }`, as a JSON array.

use std::io::Read;

use serde_json::{json, Value};
use svidkit_gate::config::{normalise_method, Config};
use svidkit_gate::credentials::Headers;
use svidkit_gate::gate::{decide, normalise_path, Decision, Request};

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("stdin is UTF-8 JSON");
    let input: Value = serde_json::from_str(&input).expect("stdin is JSON");
    let config = Config::from_json(&input["config"].to_string()).expect("a valid configuration");
    let decisions: Vec<Value> = input["requests"]
        .as_array()
        .expect("requests: an array")
        .iter()
        .map(|r| answer(&config, r))
        .collect();
    println!("{}", Value::Array(decisions));
}

fn answer(config: &Config, r: &Value) -> Value {
    let fields = r["headers"]
        .as_array()
        .expect("headers: an array")
        .iter()
        .map(|f| {
            let name = f[0].as_str().expect("a header name");
            let value: Vec<u8> = f[1]
                .as_str()
                .expect("a header value")
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("header values are bytes"))
                .collect();
            (name.to_string(), value)
        });
    let headers = Headers::new(fields);
    let method = normalise_method(r["method"].as_str().unwrap_or("GET"));
    let target = r["target"].as_str().expect("a target");
    let path = normalise_path(target).map(|(path, _query)| path);
    let now = r["now"].as_u64().expect("now: Unix seconds");
    let d = decide(
        config,
        &Request {
            method: &method,
            path: path.as_deref(),
            headers: &headers,
        },
        now,
    );
    decision_json(&d)
}

fn decision_json(d: &Decision) -> Value {
    json!({
        "allow": d.allow,
        "status": d.status,
        "code": d.code,
        "source": d.source.map(|s| s.name()),
        "spiffeId": d.spiffe_id,
        "route": d.route,
    })
}
