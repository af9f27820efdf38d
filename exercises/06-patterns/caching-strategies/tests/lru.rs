//! The LRU cache. Shipped with the exercise and run as shipped: do not
//! edit.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use caching_strategies::LruCache;

/// A small deterministic random source (xorshift64*).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

#[test]
fn the_least_recently_used_goes_first() {
    let mut c = LruCache::new(2);
    assert_eq!(c.put("a", 1), None);
    assert_eq!(c.put("b", 2), None);
    assert_eq!(c.get(&"a"), Some(&1), "a is now the most recent");
    assert_eq!(c.put("c", 3), Some(("b", 2)), "so b is evicted");
    assert_eq!(c.get(&"b"), None);
    assert_eq!(c.keys(), vec![&"c", &"a"]);
    assert_eq!(c.len(), 2);
}

#[test]
fn replacing_a_value_refreshes_it_and_evicts_nothing() {
    let mut c = LruCache::new(2);
    c.put("a", 1);
    c.put("b", 2);
    assert_eq!(c.put("a", 10), None);
    assert_eq!(c.peek(&"a"), Some(&10));
    assert_eq!(c.put("c", 3), Some(("b", 2)));
    assert_eq!(c.keys(), vec![&"c", &"a"]);
}

#[test]
fn peek_does_not_refresh() {
    let mut c = LruCache::new(2);
    c.put("a", 1);
    c.put("b", 2);
    assert_eq!(c.peek(&"a"), Some(&1));
    assert_eq!(c.put("c", 3), Some(("a", 1)));
}

#[test]
fn remove_frees_a_place() {
    let mut c = LruCache::new(2);
    c.put("a", 1);
    c.put("b", 2);
    assert_eq!(c.remove(&"a"), Some(1));
    assert_eq!(c.remove(&"a"), None);
    assert_eq!(c.put("c", 3), None, "there was room");
    assert_eq!(c.len(), 2);
    assert_eq!(c.keys(), vec![&"c", &"b"]);
}

#[test]
fn capacity_zero_keeps_nothing_and_one_keeps_the_last() {
    let mut zero = LruCache::new(0);
    assert_eq!(zero.put("a", 1), Some(("a", 1)));
    assert!(zero.is_empty());
    let mut one = LruCache::new(1);
    one.put("a", 1);
    assert_eq!(one.put("b", 2), Some(("a", 1)));
    assert_eq!(one.get(&"b"), Some(&2));
}

#[test]
fn matches_a_plain_model_over_20000_random_operations() {
    let cap = 16;
    let mut c = LruCache::new(cap);
    let mut model: VecDeque<(u64, u64)> = VecDeque::new(); // front = newest
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for step in 0..20_000u64 {
        let key = rng.below(48);
        match rng.below(10) {
            0..=3 => {
                let want = model.iter().position(|(k, _)| *k == key).map(|i| {
                    let e = model.remove(i).unwrap();
                    model.push_front(e);
                    e.1
                });
                assert_eq!(c.get(&key).copied(), want, "get({key}) at step {step}");
            }
            4 => {
                let want = model
                    .iter()
                    .position(|(k, _)| *k == key)
                    .map(|i| model.remove(i).unwrap().1);
                assert_eq!(c.remove(&key), want, "remove({key}) at step {step}");
            }
            _ => {
                let mut evicted = None;
                if let Some(i) = model.iter().position(|(k, _)| *k == key) {
                    model.remove(i);
                } else if model.len() == cap {
                    evicted = model.pop_back();
                }
                model.push_front((key, step));
                assert_eq!(c.put(key, step), evicted, "put({key}) at step {step}");
            }
        }
        assert_eq!(c.len(), model.len(), "len at step {step}");
        if step % 97 == 0 {
            let want: Vec<&u64> = model.iter().map(|(k, _)| k).collect();
            assert_eq!(c.keys(), want, "the order at step {step}");
        }
    }
}

/// 40 000 mixed operations on a full cache of `cap` entries.
fn time_ops(cap: usize) -> Duration {
    let mut c = LruCache::new(cap);
    for k in 0..cap as u64 {
        c.put(k, k);
    }
    let mut rng = Rng(42);
    let start = Instant::now();
    for _ in 0..40_000 {
        let k = rng.below(2 * cap as u64);
        if rng.below(2) == 0 {
            std::hint::black_box(c.get(&k));
        } else {
            std::hint::black_box(c.put(k, k));
        }
    }
    start.elapsed()
}

#[test]
fn operations_do_not_scan_the_cache() {
    let small = time_ops(200);
    let large = time_ops(20_000);
    assert!(
        large < small * 10 + Duration::from_millis(20),
        "100 times more entries made each operation {:.1} times slower ({small:?} vs {large:?}): something walks the entries",
        large.as_secs_f64() / small.as_secs_f64()
    );
}
