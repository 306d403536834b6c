//! Runs every conformance vector in tests/vectors/ (and, when SVIDKIT_VECTORS names a folder,
//! every `*.json` under it) through the Rust API, checking verdict, error code and returned fields.
//! Prints one line per failing vector and ends with `N passed, M failed`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use svidkit::{Bundle, BundleSet, ErrorCode, Options, TrustDomain};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn bundle_set(input: &Value) -> Result<BundleSet, svidkit::Error> {
    let mut set = BundleSet::new();
    if let Some(map) = input.get("bundles").and_then(Value::as_object) {
        for (td, doc) in map {
            set.add(td, doc.as_str().unwrap_or_default().as_bytes())?;
        }
    }
    Ok(set)
}

fn options(v: &Value) -> (u64, u64) {
    let now = v["now"].as_u64().expect("vector has now");
    let skew = v["input"]
        .get("options")
        .and_then(|o| o.get("skew"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    (now, skew)
}

/// `inspect` must reach the verdict the verify function reaches, and its checklist must fail
/// exactly one rule when the verdict is a failure.
fn same_verdict<T>(
    report: &svidkit::inspect::Report,
    verdict: &Result<T, svidkit::Error>,
) -> Result<(), svidkit::Error> {
    let fails = report
        .checks
        .iter()
        .filter(|c| c.status == svidkit::inspect::Status::Fail)
        .count();
    let want = verdict.as_ref().err().map(|e| e.code());
    let got = report.verdict.as_ref().err().map(|e| e.code());
    if want != got || fails != usize::from(want.is_some()) {
        return Err(svidkit::Error::new(
            ErrorCode::Revoked,
            format!("inspect disagrees: verdict {got:?}, {fails} failed checks, verify {want:?}"),
        ));
    }
    Ok(())
}

/// Runs one vector; Ok(()) when the outcome matches, else a description of what was got.
fn run(v: &Value) -> Result<(), String> {
    let input = &v["input"];
    let expect = &v["expect"];
    let (now, skew) = options(v);
    let opts = Options::new(now).skew(skew);
    // Each arm yields Ok(fields to compare) or Err(code).
    let outcome: Result<Vec<(&str, Value)>, ErrorCode> = match v["kind"].as_str().unwrap_or("") {
        "spiffe-id" => svidkit::parse_spiffe_id(input["id"].as_str().unwrap_or_default())
            .map(|id| {
                vec![
                    ("trust_domain", id.trust_domain().into()),
                    ("path", id.path().into()),
                ]
            })
            .map_err(|e| e.code()),
        "bundle" => TrustDomain::new(input["trust_domain"].as_str().unwrap_or_default())
            .and_then(|td| {
                Bundle::parse(
                    td,
                    input["document"].as_str().unwrap_or_default().as_bytes(),
                )
            })
            .map(|b| {
                vec![
                    ("x509_authorities", b.x509_authorities().len().into()),
                    ("jwt_authorities", b.jwt_authorities().len().into()),
                    ("refresh_hint", b.refresh_hint().into()),
                    ("sequence", b.sequence().into()),
                ]
            })
            .map_err(|e| e.code()),
        "x509-svid" => (|| {
            let bundles = bundle_set(input)?;
            let ders = input["chain"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| svidkit::x509::decode_base64_der(c.as_str().unwrap_or("")))
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap_or_else(|| Ok(Vec::new()))?;
            let refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
            let verdict = svidkit::verify_x509_svid(&refs, &bundles, &opts);
            same_verdict(
                &svidkit::inspect::inspect_x509(&refs, &bundles, &opts),
                &verdict,
            )?;
            verdict
        })()
        .map(|s| {
            vec![
                ("spiffe_id", s.spiffe_id.as_str().into()),
                ("expires_at", s.expires_at.into()),
            ]
        })
        .map_err(|e| e.code()),
        "jwt-svid" => (|| {
            let bundles = bundle_set(input)?;
            let auds: Vec<&str> = input["audience"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            svidkit::verify_jwt_svid(
                input["token"].as_str().unwrap_or_default(),
                &auds,
                &bundles,
                &opts,
            )
        })()
        .map(|s| {
            vec![
                ("spiffe_id", s.spiffe_id.as_str().into()),
                ("expires_at", s.expires_at.into()),
            ]
        })
        .map_err(|e| e.code()),
        other => return Err(format!("unknown kind {other:?}")),
    };
    let expect_ok = expect["ok"].as_bool().unwrap_or(false);
    match (outcome, expect_ok) {
        (Ok(fields), true) => {
            for (name, got) in fields {
                if let Some(want) = expect.get(name) {
                    if *want != got {
                        return Err(format!("{name} = {got}, expected {want}"));
                    }
                }
            }
            Ok(())
        }
        (Ok(_), false) => Err("ok".into()),
        (Err(code), true) => Err(format!("error {}", code.as_str())),
        (Err(code), false) => {
            let want = expect["error"].as_str().unwrap_or("");
            if code.as_str() == want {
                Ok(())
            } else {
                Err(format!("error {}", code.as_str()))
            }
        }
    }
}

fn main() {
    let mut files = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"),
        &mut files,
    );
    let own = files.len();
    if let Ok(extra) = std::env::var("SVIDKIT_VECTORS") {
        collect(Path::new(&extra), &mut files);
    }
    assert!(own > 0, "no vectors found in tests/vectors");
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable vector");
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                println!("FAIL {}: not a JSON vector: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let expected = if v["expect"]["ok"].as_bool() == Some(true) {
            "ok".to_string()
        } else {
            format!("error {}", v["expect"]["error"].as_str().unwrap_or("?"))
        };
        match run(&v) {
            Ok(()) => passed += 1,
            Err(got) => {
                println!("FAIL {}: expected {expected}, got {got}", file.display());
                failed += 1;
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
