//! Stable sorting through one shared copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type and the comparator, so every call site
//! with its own closure gets its own copy of the driftsort code (about 3.7 KB of wasm each;
//! the page had 64 of them, SIZE.md session 10). [`sort_by`] sorts the positions `0..len`
//! with a `dyn` comparator instead (one copy for the whole crate) and then moves the
//! elements into that order with swaps (a few bytes per call site). Same result as
//! `sort_by`, stable; slower by a dynamic call per comparison, so it is meant for the
//! printers and parsers, not for the engine's per-event paths.

use std::cmp::Ordering;

/// Sorts `v` like `v.sort_by(cmp)` (stable).
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    apply(v, order);
}

/// Sorts `v` like `v.sort_by_key(key)` (stable).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `cmp` puts them (stable).
#[inline(never)]
fn sorted_positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Puts the element that was at `order[i]` at position `i`, for every `i`, in place: an
/// element that an earlier swap moved away is found by following the positions it was
/// sent to.
fn apply<T>(v: &mut [T], order: Vec<usize>) {
    for i in 0..order.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        v.swap(i, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // small deterministic pseudo-random inputs with many equal keys: stability shows
        let mut seed = 7u64;
        for len in 0..60 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (((seed >> 33) % 5) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "{v:?}");
            let mut ours = v.clone();
            sort_by_key(&mut ours, |a| std::cmp::Reverse(a.0));
            let mut std = v;
            std.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(ours, std);
        }
    }
}
