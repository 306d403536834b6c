//! Runs every conformance vector (tests/vectors/ of the repository, plus every `*.json` under
//! `$SVIDKIT_VECTORS` when set) through the svidkit component under wasmtime, checking verdict,
//! error code and the fields each kind reports. Each vector gets a fresh instance, so a trap fails
//! that vector only. Prints one line per failing vector and ends with `N passed, M failed`.
//!
//! The component is `$SVIDKIT_COMPONENT` or `dist/svidkit.component.wasm` (`make component`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;
use svidkit_wasmtime_host::types::{self, ErrorCode};
use svidkit_wasmtime_host::{component_path, Host, Svidkit};
use wasmtime::component::ResourceAny;
use wasmtime::Store;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The WIT error code's stable name (the `error-code` enum case, as in the vectors).
fn code_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Malformed => "malformed",
        ErrorCode::InvalidSpiffeId => "invalid-spiffe-id",
        ErrorCode::InvalidBundle => "invalid-bundle",
        ErrorCode::NoBundle => "no-bundle",
        ErrorCode::InvalidSvid => "invalid-svid",
        ErrorCode::UnsupportedAlgorithm => "unsupported-algorithm",
        ErrorCode::Untrusted => "untrusted",
        ErrorCode::BadSignature => "bad-signature",
        ErrorCode::Expired => "expired",
        ErrorCode::NotYetValid => "not-yet-valid",
        ErrorCode::AudienceMismatch => "audience-mismatch",
        ErrorCode::Unauthorized => "unauthorized",
        ErrorCode::Revoked => "revoked",
    }
}

/// What one vector gave: the fields it reports, or the error code.
type Outcome = Result<Vec<(&'static str, Value)>, ErrorCode>;

/// What the matching `inspect-*` function said of an SVID vector.
struct Inspected {
    /// Its verdict: `None` = verified.
    verdict: Option<ErrorCode>,
    /// Whether some check of its checklist failed.
    failing_check: bool,
}

impl Inspected {
    fn of(result: Result<types::Inspection, types::Error>) -> Self {
        match result {
            Ok(i) => Inspected {
                verdict: i.error.map(|e| e.code),
                failing_check: i
                    .checks
                    .iter()
                    .any(|c| c.status == types::CheckStatus::Fail),
            },
            Err(e) => Inspected {
                verdict: Some(e.code),
                failing_check: true,
            },
        }
    }
}

/// A `bundle-set` holding `input.bundles`; `Ok(Err(code))` when adding one fails.
fn bundle_set(
    store: &mut Store<()>,
    svidkit: &Svidkit,
    input: &Value,
) -> wasmtime::Result<Result<ResourceAny, ErrorCode>> {
    let set = svidkit.svidkit_verify_types().bundle_set();
    let bundles = set.call_constructor(&mut *store)?;
    if let Some(map) = input.get("bundles").and_then(Value::as_object) {
        for (td, doc) in map {
            if let Err(e) =
                set.call_add(&mut *store, bundles, td, doc.as_str().unwrap_or_default())?
            {
                bundles.resource_drop(&mut *store)?;
                return Ok(Err(e.code));
            }
        }
    }
    Ok(Ok(bundles))
}

/// Runs one vector's operation in a fresh instance (and, for an SVID whose input decoded, the
/// matching `inspect-*` function). `Err` is a trap or a host error.
fn outcome(
    host: &Host,
    v: &Value,
) -> wasmtime::Result<Result<(Outcome, Option<Inspected>), String>> {
    let (mut store, svidkit) = host.instantiate()?;
    let (types, verifier) = (
        svidkit.svidkit_verify_types(),
        svidkit.svidkit_verify_verifier(),
    );
    let input = &v["input"];
    let now = v["now"].as_u64().unwrap_or_default();
    let skew = input
        .get("options")
        .and_then(|o| o.get("skew"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let text = |name: &str| input[name].as_str().unwrap_or_default().to_string();
    let mut inspected = None;
    let outcome: Outcome = match v["kind"].as_str().unwrap_or("") {
        "spiffe-id" => verifier
            .call_parse_spiffe_id(&mut store, &text("id"))?
            .map(|id| {
                vec![
                    ("trust_domain", id.trust_domain.into()),
                    ("path", id.path.into()),
                ]
            })
            .map_err(|e| e.code),
        "bundle" => {
            let set = types.bundle_set();
            let bundles = set.call_constructor(&mut store)?;
            let info = set.call_add(
                &mut store,
                bundles,
                &text("trust_domain"),
                &text("document"),
            )?;
            bundles.resource_drop(&mut store)?;
            info.map(|b: types::BundleInfo| {
                vec![
                    ("x509_authorities", b.x509_authorities.len().into()),
                    ("jwt_authorities", b.jwt_authorities.len().into()),
                    ("refresh_hint", b.refresh_hint.into()),
                    ("sequence", b.sequence.into()),
                ]
            })
            .map_err(|e| e.code)
        }
        "x509-svid" => match bundle_set(&mut store, &svidkit, input)? {
            Err(code) => Err(code),
            Ok(bundles) => {
                let mut chain = Vec::new();
                let mut decoded = Ok(());
                for element in input["chain"].as_array().into_iter().flatten() {
                    match verifier
                        .call_decode_base64_der(&mut store, element.as_str().unwrap_or_default())?
                    {
                        Ok(der) => chain.push(der),
                        Err(e) => {
                            decoded = Err(e.code);
                            break;
                        }
                    }
                }
                if decoded.is_ok() {
                    let inspection = verifier
                        .call_inspect_x509_svid(&mut store, &chain, bundles, now, skew, None)?;
                    inspected = Some(Inspected::of(inspection));
                }
                let result = match decoded {
                    Err(code) => Err(code),
                    Ok(()) => verifier
                        .call_verify_x509_svid(&mut store, &chain, bundles, now, skew, None)?
                        .map(|s| {
                            vec![
                                ("spiffe_id", s.spiffe_id.into()),
                                ("expires_at", s.expires_at.into()),
                            ]
                        })
                        .map_err(|e| e.code),
                };
                bundles.resource_drop(&mut store)?;
                result
            }
        },
        "jwt-svid" => match bundle_set(&mut store, &svidkit, input)? {
            Err(code) => Err(code),
            Ok(bundles) => {
                let audiences: Vec<String> = input["audience"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str().map(String::from))
                    .collect();
                let inspection = verifier.call_inspect_jwt_svid(
                    &mut store,
                    &text("token"),
                    &audiences,
                    bundles,
                    now,
                    skew,
                    None,
                )?;
                inspected = Some(Inspected::of(inspection));
                let result = verifier
                    .call_verify_jwt_svid(
                        &mut store,
                        &text("token"),
                        &audiences,
                        bundles,
                        now,
                        skew,
                        None,
                    )?
                    .map(|s| {
                        vec![
                            ("spiffe_id", s.spiffe_id.into()),
                            ("expires_at", s.expires_at.into()),
                        ]
                    })
                    .map_err(|e| e.code);
                bundles.resource_drop(&mut store)?;
                result
            }
        },
        other => return Ok(Err(format!("unknown kind {other:?}"))),
    };
    Ok(Ok((outcome, inspected)))
}

/// Ok(()) when the vector's outcome is what it expects, else a description of what was got.
fn check(host: &Host, v: &Value) -> Result<(), String> {
    let (outcome, inspected) = match outcome(host, v) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(message)) => return Err(message),
        Err(trap) => return Err(format!("trap: {trap:#}")),
    };
    if let Some(inspected) = inspected {
        let verify = outcome.as_ref().err().copied();
        if inspected.verdict != verify {
            let name = |c: Option<ErrorCode>| c.map_or("ok", code_name);
            return Err(format!(
                "inspect gives {}, verify {}",
                name(inspected.verdict),
                name(verify)
            ));
        }
        if verify.is_some() && !inspected.failing_check {
            return Err("inspect: no failing check".into());
        }
    }
    let expect = &v["expect"];
    match (outcome, expect["ok"].as_bool().unwrap_or(false)) {
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
        (Err(code), true) => Err(format!("error {}", code_name(code))),
        (Err(code), false) if expect["error"].as_str() == Some(code_name(code)) => Ok(()),
        (Err(code), false) => Err(format!("error {}", code_name(code))),
    }
}

fn main() {
    let mut files = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors"),
        &mut files,
    );
    assert!(!files.is_empty(), "no vectors found in tests/vectors");
    if let Some(extra) = std::env::var_os("SVIDKIT_VECTORS") {
        collect(Path::new(&extra), &mut files);
    }

    let path = component_path();
    let started = Instant::now();
    let host = match Host::load(&path) {
        Ok(host) => host,
        Err(e) => {
            println!(
                "FAIL cannot load {}: {e:#} (run `make component` first)",
                path.display()
            );
            println!("0 passed, {} failed", files.len());
            std::process::exit(1);
        }
    };
    println!(
        "wasmtime: compiled {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    let (mut passed, mut failed) = (0, 0);
    // The component must import nothing: no WASI, no clock.
    let imports = host.imports();
    if imports.is_empty() {
        passed += 1;
    } else {
        println!("FAIL the component imports {imports:?}; it must import nothing");
        failed += 1;
    }

    let started = Instant::now();
    for file in &files {
        let name = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(file)
            .display()
            .to_string();
        let v: Value = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                println!("FAIL {name}: not a JSON vector: {e}");
                failed += 1;
                continue;
            }
        };
        match check(&host, &v) {
            Ok(()) => passed += 1,
            Err(got) => {
                let expected = if v["expect"]["ok"].as_bool() == Some(true) {
                    "ok".to_string()
                } else {
                    format!("error {}", v["expect"]["error"].as_str().unwrap_or("?"))
                };
                println!("FAIL {name}: expected {expected}, got {got}");
                failed += 1;
            }
        }
    }
    println!(
        "wasmtime: {} vectors in {:.2} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
