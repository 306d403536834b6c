//! The fuzz targets' logic (fuzz/src/lib.rs) as a plain test on stable Rust: every target runs
//! over its seeds (fuzz/seeds/<target>/) and deterministic mutations of them, and once over part
//! of any corpus cargo-fuzz left (fuzz/corpus/<target>/). No libFuzzer, no coverage guidance: a
//! quick check that the targets build and hold on the inputs they start from. `make fuzz` fuzzes
//! for real. `FUZZ_SMOKE_ITERS` sets the mutations per seed (default 64; 512 for SPIFFE IDs).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;
use std::fs;
use std::path::Path;

const INTERESTING: [u8; 12] = [
    0, 1, 0x7f, 0x80, 0xff, b'"', b'.', b'/', b'=', b'-', b'{', b'}',
];

fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 if len > 0 => out.truncate(rng.below(len)),
            3 => {
                let i = rng.below(len + 1);
                out.insert(i, INTERESTING[rng.below(INTERESTING.len())]);
            }
            4 if len > 1 => {
                let (a, b) = (rng.below(len), rng.below(len));
                let (a, b) = (a.min(b), a.max(b));
                out.drain(a..b);
            }
            5 if len > 1 => {
                let (a, b) = (rng.below(len), rng.below(len));
                let (a, b) = (a.min(b), a.max(b).min(a + 256));
                let chunk = out[a..b].to_vec();
                let at = rng.below(len);
                out.splice(at..at, chunk);
            }
            6 if !others.is_empty() => {
                let other = &others[rng.below(others.len())];
                let cut = rng.below(out.len() + 1);
                let from = rng.below(other.len() + 1);
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            _ if len > 0 => {
                // Overwrite a byte with a digit, the kind of change that moves lengths and times.
                let i = rng.below(len);
                out[i] = b'0' + rng.below(10) as u8;
            }
            _ => out.push(rng.below(256) as u8),
        }
    }
    out
}

/// The committed seeds, and (run once each, not mutated) up to 200 inputs of a local
/// cargo-fuzz corpus.
fn inputs(target: &str) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let read = |dir: std::path::PathBuf, max: usize| -> Vec<Vec<u8>> {
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        paths
            .into_iter()
            .take(max)
            .map(|p| fs::read(p).unwrap())
            .collect()
    };
    (
        read(root.join("seeds").join(target), usize::MAX),
        read(root.join("corpus").join(target), 200),
    )
}

fn run(target: &str, f: fn(&[u8]), default_iters: usize) {
    let iters: usize = std::env::var("FUZZ_SMOKE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_iters);
    let (seeds, corpus) = inputs(target);
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let mut rng = Rng(0x5eed_0000 ^ target.len() as u64);
    f(&[]);
    for input in &corpus {
        f(input);
    }
    for seed in &seeds {
        f(seed);
        for _ in 0..iters {
            let m = mutate(&mut rng, seed, &seeds);
            f(&m);
        }
    }
}

#[test]
fn spiffe_id() {
    run("spiffe_id", targets::spiffe_id, 512);
}

#[test]
fn bundle() {
    run("bundle", targets::bundle, 64);
}

#[test]
fn jwks() {
    run("jwks", targets::jwks, 64);
}

#[test]
fn pem() {
    run("pem", targets::pem, 64);
}

#[test]
fn x509_chain() {
    run("x509_chain", targets::x509_chain, 64);
}

#[test]
fn der_chain() {
    run("der_chain", targets::der_chain, 64);
}

#[test]
fn jwt() {
    run("jwt", targets::jwt, 64);
}

#[test]
fn base64() {
    run("base64", targets::base64, 2000);
}

#[test]
fn json() {
    run("json", targets::json, 256);
}

#[test]
fn inspect() {
    run("inspect", targets::inspect, 128);
}

#[test]
fn chain_framing_round_trips() {
    let certs: [&[u8]; 3] = [b"abc", b"", &[7; 300]];
    assert_eq!(targets::split_chain(&targets::join_chain(&certs)), certs);
}
