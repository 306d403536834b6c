//! Runs the README's Rust example (examples/verify_jwt.rs) against a conformance vector's token
//! and bundle, under wasmtime, with the component `make component` built.

#[allow(dead_code)]
#[path = "../examples/verify_jwt.rs"]
mod example;

use example::exports::svidkit::verify::types::ErrorCode;
use serde_json::Value;

fn vector(name: &str) -> Value {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/jwt-svid/").to_string() + name;
    serde_json::from_str(&std::fs::read_to_string(&path).expect("vector")).expect("JSON vector")
}

#[test]
fn readme_example_verifies_and_refuses() {
    // The same engine settings as the conformance runner (a quick compile on a debug build).
    let mut config = wasmtime::Config::new();
    config.cranelift_opt_level(wasmtime::OptLevel::None);
    let engine = wasmtime::Engine::new(&config).unwrap();
    let component =
        wasmtime::component::Component::from_file(&engine, svidkit_wasmtime_host::component_path())
            .expect("the component (run `make component` first)");
    let v = vector("ok-es256.json");
    let (td, bundle) = v["input"]["bundles"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    let token = v["input"]["token"].as_str().unwrap();
    let audience = v["input"]["audience"][0].as_str().unwrap();
    let now = v["now"].as_u64().unwrap();

    let svid = example::verify_jwt(
        &engine,
        &component,
        td,
        bundle.as_str().unwrap(),
        audience,
        token,
        now,
    )
    .expect("the component runs")
    .expect("the vector's token verifies");
    assert_eq!(svid.spiffe_id, v["expect"]["spiffe_id"].as_str().unwrap());
    assert_eq!(Some(svid.expires_at), v["expect"]["expires_at"].as_i64());
    assert_eq!(svid.audience, [audience]);

    let err = example::verify_jwt(
        &engine,
        &component,
        td,
        bundle.as_str().unwrap(),
        "another-audience",
        token,
        now,
    )
    .expect("the component runs")
    .expect_err("a wrong audience is refused");
    assert_eq!(err.code, ErrorCode::AudienceMismatch);
}
