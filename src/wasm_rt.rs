//! The runtime of the npm package's .wasm (feature `js` on wasm32), which links no std: std on
//! wasm32-unknown-unknown adds only a panic hook that formats messages into nothing (~2 kB gzip).
//! A library crate defining these items would collide with any dependent that links std, which is
//! why they hang on the adapter feature, not on the target.

/// talc, not dlmalloc (std's choice here): 2.2 kB gzip smaller and as fast for svidkit's small,
/// short-lived allocations (measured). It grows the wasm memory as needed, single-threaded (the
/// module is built without atomics).
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic is a bug; it traps, as std's `panic = "abort"` does, and the JS glue throws a
/// `RuntimeError` (the core never panics on input: every parser is fuzzed).
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
