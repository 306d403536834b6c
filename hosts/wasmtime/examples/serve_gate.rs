//! Serves a wasi:http component on 127.0.0.1 — a stand-in for `wasmtime serve -S cli=y` where the
//! wasmtime CLI is not installed (it takes ~25 min to build here). The same host the gate's
//! end-to-end tests use (tests/gate/server.rs); the guest's stderr (the gate's audit lines) goes to
//! this process's stderr.
//!
//! ```sh
//! cargo run -p svidkit-wasmtime-host --example serve_gate -- \
//!     --addr 127.0.0.1:8080 --env SVIDKIT_GATE_CONFIG="$(cat gate.json)" dist/svidkit-gate.component.wasm
//! ```
//!
//! `--env NAME=VALUE` sets a variable of the guest, `--env NAME` passes this process's value on,
//! `--dir HOST::GUEST` preopens a host directory read-only (as `wasmtime serve --env` / `--dir`
//! do). Stops with Ctrl-C.

#[allow(dead_code)] // imports()/exports() are for the tests
#[path = "../tests/gate/server.rs"]
mod server;

use std::path::PathBuf;
use std::sync::Arc;

fn usage() -> ! {
    eprintln!(
        "usage: serve_gate [--addr 127.0.0.1:8080] [--env NAME[=VALUE]]... [--dir HOST[::GUEST]]... COMPONENT.wasm"
    );
    std::process::exit(2)
}

fn main() {
    let mut addr = "127.0.0.1:8080".to_string();
    let mut env = Vec::new();
    let mut dirs = Vec::new();
    let mut component = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().unwrap_or_else(|| usage()),
            "--env" => {
                let spec = args.next().unwrap_or_else(|| usage());
                match spec.split_once('=') {
                    Some((k, v)) => env.push((k.to_string(), v.to_string())),
                    None => {
                        if let Ok(v) = std::env::var(&spec) {
                            env.push((spec, v));
                        }
                    }
                }
            }
            "--dir" => {
                let spec = args.next().unwrap_or_else(|| usage());
                let (host, guest) = spec.split_once("::").unwrap_or((&spec, &spec));
                dirs.push((PathBuf::from(host), guest.to_string()));
            }
            "-h" | "--help" => usage(),
            _ if component.is_none() && !arg.starts_with('-') => {
                component = Some(PathBuf::from(arg))
            }
            _ => usage(),
        }
    }
    let component = component.unwrap_or_else(|| usage());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let compiled = server::Compiled::load(&component).unwrap_or_else(|e| {
            eprintln!("serve_gate: {}: {e:?}", component.display());
            std::process::exit(1)
        });
        let server = compiled
            .server(env, dirs, server::Stderr::Inherit)
            .unwrap_or_else(|e| {
                eprintln!("serve_gate: linking {}: {e:?}", component.display());
                std::process::exit(1)
            });
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .unwrap_or_else(|e| {
                eprintln!("serve_gate: binding {addr}: {e}");
                std::process::exit(1)
            });
        eprintln!(
            "Serving HTTP on http://{}/",
            listener.local_addr().expect("an address")
        );
        Arc::new(server).serve(listener).await;
    });
}
