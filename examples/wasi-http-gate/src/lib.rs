//! svidkit's edge gate as a `wasi:http` component: each request's caller is identified by a
//! JWT-SVID (`Authorization: Bearer`) or an X.509-SVID forwarded by the TLS-terminating proxy
//! (RFC 9440 `Client-Cert`, Envoy `x-forwarded-client-cert`, Cloudflare `Cf-Client-Cert-Der-Base64`),
//! verified with the svidkit core against the configured SPIFFE bundles, and admitted or refused by
//! route rules — the same headers, rules, codes and JSON as `svidkit/gate` in the npm package.
//! Admitted requests go to the upstream with the verified SPIFFE ID in `x-spiffe-id`.
//!
//! - [`config`]: the JSON configuration (`SVIDKIT_GATE_CONFIG` or `SVIDKIT_GATE_CONFIG_FILE`);
//! - [`credentials`]: reading the credential from the headers;
//! - [`gate`]: the decision, the refusal response, the audit line, the forwarded fields;
//! - `component` (wasm32 only): the `wasi:http/incoming-handler` export that does the I/O.
//!
//! Everything but `component` is plain Rust, unit-tested natively: `cargo test -p svidkit-gate`.

pub mod config;
pub mod credentials;
pub mod gate;

#[cfg(target_arch = "wasm32")]
mod component;
