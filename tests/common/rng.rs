//! A small deterministic generator for the tests that make or mutate inputs (tests/json.rs,
//! tests/fuzz_smoke.rs): xorshift64*, so a failure reproduces from its seed.

pub struct Rng(pub u64);

#[allow(dead_code)] // each test crate uses part of it
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
