//! Native RustCrypto on the operations `make bench` measures in Node (bench/run.mjs), on the same
//! fixtures, so the report can put pure wasm next to native: JWT-SVID ES256, ES384, RS256, PS256
//! the 3-certificate P-256 chain and the 2-certificate Ed25519 chain, each through the public API
//! with the pure-Rust verifier.
//!
//! The fixtures come from `make bench` (bench/fixtures.mjs writes `jwt.json` with node:crypto keys,
//! examples/bench_fixtures.rs writes `chain.json`); `SVIDKIT_BENCH_DIR` names their folder
//! (default `target/bench`). Criterion's medians land in target/criterion/<group>/<name>/.

use std::path::PathBuf;
use std::time::Duration;

use base64ct::{Base64, Encoding};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;
use svidkit::{BundleSet, Options};

fn fixture(name: &str) -> Value {
    let dir = std::env::var_os("SVIDKIT_BENCH_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench"),
        PathBuf::from,
    );
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; `make bench` writes the fixtures before running this",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("fixture JSON")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("fixture: {key} is not a string"))
}

fn verify(c: &mut Criterion) {
    let jwt = fixture("jwt.json");
    let chain = fixture("chain.json");
    let now = jwt["now"]
        .as_u64()
        .unwrap()
        .min(chain["now"].as_u64().unwrap())
        + 1;
    let options = Options::new(now);

    let mut jwt_bundles = BundleSet::new();
    jwt_bundles
        .add(
            str_of(&jwt, "trustDomain"),
            str_of(&jwt, "bundle").as_bytes(),
        )
        .expect("JWT bundle");
    let audience = str_of(&jwt, "audience");
    let mut group = c.benchmark_group("jwt");
    for alg in ["ES256", "ES384", "RS256", "PS256"] {
        let token = str_of(&jwt["tokens"][alg], "token").to_string();
        let svid = svidkit::verify_jwt_svid(&token, &[audience], &jwt_bundles, &options)
            .expect("the fixture token verifies");
        assert_eq!(svid.spiffe_id.as_str(), str_of(&jwt, "spiffeId"));
        group.bench_function(alg, |b| {
            b.iter(|| {
                svidkit::verify_jwt_svid(
                    std::hint::black_box(&token),
                    &[audience],
                    &jwt_bundles,
                    &options,
                )
                .expect("verifies")
            })
        });
    }
    group.finish();

    let mut x509_bundles = BundleSet::new();
    x509_bundles
        .add(
            str_of(&chain, "trustDomain"),
            str_of(&chain, "bundle").as_bytes(),
        )
        .expect("X.509 bundle");
    let der: Vec<Vec<u8>> = chain["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .map(|b| Base64::decode_vec(b.as_str().unwrap()).expect("base64"))
        .collect();
    let refs: Vec<&[u8]> = der.iter().map(Vec::as_slice).collect();
    let svid = svidkit::verify_x509_svid(&refs, &x509_bundles, &options).expect("chain verifies");
    assert_eq!(svid.chain.len(), 3);

    // The Ed25519 chain has a bundle of its own (examples/bench_fixtures.rs).
    let ed = &chain["ed25519"];
    let mut ed_bundles = BundleSet::new();
    ed_bundles
        .add(
            str_of(&chain, "trustDomain"),
            str_of(ed, "bundle").as_bytes(),
        )
        .expect("Ed25519 bundle");
    let ed_der: Vec<Vec<u8>> = ed["chain"]
        .as_array()
        .expect("Ed25519 chain")
        .iter()
        .map(|b| Base64::decode_vec(b.as_str().unwrap()).expect("base64"))
        .collect();
    let ed_refs: Vec<&[u8]> = ed_der.iter().map(Vec::as_slice).collect();
    let svid =
        svidkit::verify_x509_svid(&ed_refs, &ed_bundles, &options).expect("Ed25519 chain verifies");
    assert_eq!(svid.spiffe_id.as_str(), str_of(ed, "spiffeId"));
    assert_eq!(svid.chain.len(), 2);

    let mut group = c.benchmark_group("x509");
    group.bench_function("p256-chain-3", |b| {
        b.iter(|| {
            svidkit::verify_x509_svid(std::hint::black_box(&refs), &x509_bundles, &options)
                .expect("verifies")
        })
    });
    group.bench_function("ed25519-chain-2", |b| {
        b.iter(|| {
            svidkit::verify_x509_svid(std::hint::black_box(&ed_refs), &ed_bundles, &options)
                .expect("verifies")
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = verify
}
criterion_main!(benches);
