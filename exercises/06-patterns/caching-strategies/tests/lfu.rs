//! The LFU cache. Shipped with the exercise and run as shipped: do not
//! edit.

use std::time::{Duration, Instant};

use caching_strategies::LfuCache;

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
fn the_least_frequently_used_goes_first() {
    let mut c = LfuCache::new(2);
    c.put("a", 1);
    c.put("b", 2);
    c.get(&"a");
    c.get(&"a");
    c.get(&"b");
    assert_eq!(c.uses(&"a"), Some(3));
    assert_eq!(c.uses(&"b"), Some(2));
    assert_eq!(c.put("c", 3), Some(("b", 2)), "b has fewer uses than a");
    assert_eq!(c.uses(&"c"), Some(1), "a new entry starts at one use");
}

#[test]
fn a_tie_goes_to_the_least_recently_used() {
    let mut c = LfuCache::new(3);
    c.put("a", 1);
    c.put("b", 2);
    c.put("c", 3);
    c.get(&"a"); // a: 2
    c.get(&"c"); // c: 2, and more recent than a
    c.get(&"b"); // b: 2, the most recent of all
    assert_eq!(
        c.put("d", 4),
        Some(("a", 1)),
        "all have 2 uses; a was used longest ago"
    );
}

#[test]
fn a_newcomer_can_be_evicted_next_even_after_favourites() {
    let mut c = LfuCache::new(2);
    c.put("fav", 0);
    for _ in 0..5 {
        c.get(&"fav");
    }
    c.put("x", 1);
    assert_eq!(
        c.put("y", 2),
        Some(("x", 1)),
        "the rarest is the newcomer x"
    );
    assert_eq!(c.put("z", 3), Some(("y", 2)));
    assert_eq!(c.peek(&"fav"), Some(&0), "the favourite survived the scan");
    assert_eq!(c.uses(&"fav"), Some(6), "peek is not a use");
}

#[test]
fn replacing_a_value_counts_as_a_use() {
    let mut c = LfuCache::new(2);
    c.put("a", 1);
    c.put("b", 2);
    assert_eq!(c.put("a", 10), None);
    assert_eq!(c.uses(&"a"), Some(2));
    assert_eq!(c.put("c", 3), Some(("b", 2)));
    assert_eq!(c.get(&"a"), Some(&10));
}

#[test]
fn capacity_zero_keeps_nothing() {
    let mut c = LfuCache::new(0);
    assert_eq!(c.put("a", 1), Some(("a", 1)));
    assert!(c.is_empty());
}

#[test]
fn matches_a_plain_model_over_20000_random_operations() {
    let cap = 12;
    let mut c = LfuCache::new(cap);
    // (key, value, uses, last use): the victim has the fewest uses, then
    // the oldest last use.
    let mut model: Vec<(u64, u64, u64, u64)> = Vec::new();
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for tick in 0..20_000u64 {
        let key = rng.below(40);
        let pos = model.iter().position(|e| e.0 == key);
        if rng.below(2) == 0 {
            let want = pos.map(|i| {
                model[i].2 += 1;
                model[i].3 = tick;
                model[i].1
            });
            assert_eq!(c.get(&key).copied(), want, "get({key}) at tick {tick}");
        } else {
            let mut evicted = None;
            match pos {
                Some(i) => {
                    model[i].1 = tick;
                    model[i].2 += 1;
                    model[i].3 = tick;
                }
                None => {
                    if model.len() == cap {
                        let v = (0..model.len())
                            .min_by_key(|&i| (model[i].2, model[i].3))
                            .unwrap();
                        let e = model.remove(v);
                        evicted = Some((e.0, e.1));
                    }
                    model.push((key, tick, 1, tick));
                }
            }
            assert_eq!(c.put(key, tick), evicted, "put({key}) at tick {tick}");
        }
        assert_eq!(c.len(), model.len(), "len at tick {tick}");
        if tick % 89 == 0 {
            for e in &model {
                assert_eq!(c.uses(&e.0), Some(e.2), "uses of {} at tick {tick}", e.0);
            }
        }
    }
}

fn time_ops(cap: usize) -> Duration {
    let mut c = LfuCache::new(cap);
    for k in 0..cap as u64 {
        c.put(k, k);
    }
    let mut rng = Rng(7);
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
