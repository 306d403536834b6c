#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| svidkit_fuzz::der_chain(data));
