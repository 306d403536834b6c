//! Verify a JWT-SVID with the svidkit component from a Rust program on the `wasmtime` crate.
//!
//! cargo run -p svidkit-wasmtime-host --example verify_jwt -- \
//!     dist/svidkit.component.wasm example.org bundle.json api "$TOKEN"
use std::time::{SystemTime, UNIX_EPOCH};

use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};

// Generates `Svidkit` and the WIT types from svidkit's wit/ folder (the path is relative to
// your crate's Cargo.toml).
wasmtime::component::bindgen!({ path: "../../wit", world: "svidkit" });

use exports::svidkit::verify::types::{Error, JwtSvid};

/// Verifies `token` for `audience` against `bundle_json`, the SPIFFE bundle of `trust_domain`,
/// as of `now` (Unix seconds). The outer `Result` is wasmtime's (instantiation, traps); the inner
/// one is svidkit's verdict. Each call gets a fresh store and instance, which is cheap: the
/// expensive step, compiling the component, happens once, in `main`.
pub fn verify_jwt(
    engine: &Engine,
    component: &Component,
    trust_domain: &str,
    bundle_json: &str,
    audience: &str,
    token: &str,
    now: u64,
) -> wasmtime::Result<Result<JwtSvid, Error>> {
    let mut store = Store::new(engine, ());
    // svidkit imports nothing: an empty linker is enough.
    let svidkit = Svidkit::instantiate(&mut store, component, &Linker::new(engine))?;
    let (types, verifier) = (
        svidkit.svidkit_verify_types(),
        svidkit.svidkit_verify_verifier(),
    );

    let bundles = types.bundle_set().call_constructor(&mut store)?;
    let verdict =
        match types
            .bundle_set()
            .call_add(&mut store, bundles, trust_domain, bundle_json)?
        {
            Err(e) => Err(e),
            Ok(_info) => verifier.call_verify_jwt_svid(
                &mut store,
                token,
                &[audience.to_string()],
                bundles,
                now,
                0,    // skew, seconds
                None, // policy
            )?,
        };
    bundles.resource_drop(&mut store)?;
    Ok(verdict)
}

fn main() -> wasmtime::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [component, trust_domain, bundle_file, audience, token, ..] = &args[..] else {
        eprintln!("usage: verify_jwt <svidkit.component.wasm> <trust domain> <bundle.json> <audience> <token> [now]");
        std::process::exit(2);
    };
    let now = match args.get(5) {
        Some(now) => now.parse()?,
        None => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
    };
    let bundle_json = std::fs::read_to_string(bundle_file)?;

    let engine = Engine::default();
    let component = Component::from_file(&engine, component)?; // compiles: do it once
    match verify_jwt(
        &engine,
        &component,
        trust_domain,
        &bundle_json,
        audience,
        token,
        now,
    )? {
        Ok(svid) => println!("ok {} (expires at {})", svid.spiffe_id, svid.expires_at),
        Err(e) => {
            println!("refused {:?}: {}", e.code, e.message);
            std::process::exit(1);
        }
    }
    Ok(())
}
