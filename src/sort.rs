//! The one sort of the core: JSON members by key (`crate::json`) and the attributes of a DER
//! SET OF in a name (`crate::dn`). Heapsort: O(n log n) whatever the input (both sort what an
//! untrusted document holds), no allocation, and a fraction of the code of `core`'s sorts, which
//! were ~4 kB of the .wasm for sorting a handful of items.

/// Sorts `v` so that no element is `less` than one before it. Not stable.
pub(crate) fn heap_sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift_down = |v: &mut [T], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    for node in (0..v.len() / 2).rev() {
        sift_down(v, node, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    /// Every length up to 64, values with many repeats: the result is `core`'s sort's.
    #[test]
    fn sorts_like_core() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..64 {
            for _ in 0..20 {
                let v: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (seed % 7) as u8
                    })
                    .collect();
                let mut mine = v.clone();
                super::heap_sort(&mut mine, |a, b| a < b);
                let mut theirs = v;
                theirs.sort_unstable();
                assert_eq!(mine, theirs);
            }
        }
    }
}
