//! svidkit's certificate reader against x509-cert 0.3, the decoder it replaced: any bytes must
//! get the same verdict from both, and the same facts when both accept (fuzz/src/cert_oracle.rs).
#![no_main]

#[path = "../src/cert_oracle.rs"]
mod cert_oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(difference) = cert_oracle::compare(data) {
        panic!("{difference}");
    }
});
