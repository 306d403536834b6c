//! The core's sorts: JSON members by key (`crate::json`) and the attributes of a DER SET OF in a
//! name (`crate::dn`). Heapsort: O(n log n) whatever the input (both sort what an untrusted
//! document holds), no allocation, and a fraction of the code of `core`'s sorts, which were ~4 kB
//! of the .wasm for sorting a handful of items. Insertion sort, stable, for the short slices
//! (a token's few claims) where its O(n²) is bounded by the caller.

/// Sorts `v` so that no element is `less` than one before it, keeping equal elements in their
/// order. O(n²): only for slices the caller keeps short.
pub(crate) fn insertion_sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for end in 1..v.len() {
        let mut at = end;
        while at > 0 && less(&v[at], &v[at - 1]) {
            v.swap(at, at - 1);
            at -= 1;
        }
    }
}

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
                let mut theirs = v.clone();
                theirs.sort_unstable();
                assert_eq!(mine, theirs);
                // Stability: sorted by value only, equal values keep their positions' order.
                let tagged: Vec<(u8, usize)> = v.iter().copied().zip(0..).collect();
                let mut mine = tagged.clone();
                super::insertion_sort(&mut mine, |a, b| a.0 < b.0);
                let mut theirs = tagged;
                theirs.sort_by_key(|&(value, _)| value);
                assert_eq!(mine, theirs);
            }
        }
    }
}
