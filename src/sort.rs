//! One sort shared by the crate's orderings: indices ordered by a `u64` key, ties by index.
//!
//! Every `sort_by` with its own closure is its own copy of the standard library's sorting code
//! (3 to 5 kB each in the browser module); ordering through this function shares one copy. Ties
//! go to the smaller index, so the result is what a stable sort by the key gives. Keys pack what
//! is compared: [`f64_key`] keeps `f64::total_cmp`'s order, and two-level orders sort twice (the
//! second pass keeps the first pass's order among its ties).
//!
//! This is rule 3 of docs/SIZE.md; clippy's wasm32 configuration (`clippy/wasm32/clippy.toml`)
//! forbids the standard sorts everywhere else in the library, and allows them here.
#![allow(
    clippy::disallowed_methods,
    reason = "the one sort: the standard library's, called once (docs/SIZE.md, rule 3)"
)]

/// The one sort: `(key, index)` pairs in ascending order. Every ordering below, and any that can
/// pack what it compares into such pairs (the graph's edges), goes through it.
pub fn pairs(keyed: &mut [(u64, u32)]) {
    keyed.sort_unstable();
}

/// The indices `0..n`, ordered by `key(i)`, ties by index.
pub fn indices_by_key(n: usize, key: impl Fn(usize) -> u64) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = (0..n).map(|i| (key(i), i as u32)).collect();
    pairs(&mut keyed);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Reorders `indices` in place by `key(i)`, ties by index; `buffer` is scratch space, reused
/// across calls.
pub fn indices_in_place(
    indices: &mut [u32],
    buffer: &mut Vec<(u64, u32)>,
    key: impl Fn(u32) -> u64,
) {
    buffer.clear();
    buffer.extend(indices.iter().map(|&i| (key(i), i)));
    pairs(buffer);
    for (slot, &(_, i)) in indices.iter_mut().zip(buffer.iter()) {
        *slot = i;
    }
}

/// Reorders `items` stably by `key`.
pub fn by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let order = indices_by_key(items.len(), |i| key(&items[i]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots[i as usize].take()));
}

/// A key whose unsigned order is `f64::total_cmp`'s order.
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    // Negative numbers: all bits flipped (larger magnitude sorts first); others: the sign bit set.
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// A key whose unsigned order is `f32::total_cmp`'s order.
pub fn f32_key(x: f32) -> u32 {
    let bits = x.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_follow_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            0.5,
            1.0,
            3.0,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in xs {
            for b in xs {
                assert_eq!(f64_key(a).cmp(&f64_key(b)), a.total_cmp(&b), "{a} {b}");
                let (a, b) = (a as f32, b as f32);
                assert_eq!(f32_key(a).cmp(&f32_key(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn by_key_is_stable() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        let mut expected = items.clone();
        expected.sort_by_key(|&(k, _)| k);
        by_key(&mut items, |&(k, _)| k);
        assert_eq!(items, expected);
        assert_eq!(indices_by_key(4, |i| [5, 1, 5, 0][i]), [3, 1, 0, 2]);
    }
}
