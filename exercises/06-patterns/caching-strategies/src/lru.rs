//! Least recently used: a hash map from key to slot, and the slots in one
//! list ordered by use, newest at the front. Every operation is O(1).

use std::collections::HashMap;
use std::hash::Hash;

use crate::list::{Ends, Slab};

// TODO(1): an LRU cache where `get`, `peek`, `put` and `remove` are O(1):
// no operation may walk the entries (tests/lru.rs times a cache 100 times
// larger). The fields below are one way: `map` finds a key's slot,
// `order` links the slots newest first through `slab` (the list in
// list.rs: `push_front`, `unlink`, `back`), so the victim is
// `order.back`. The contract of each method is on it; `keys` is for the
// tests and may walk.

#[allow(dead_code)] // until TODO(1)
#[derive(Debug)]
pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    slab: Slab<(K, V)>,
    order: Ends,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// A cache of at most `capacity` entries (0: it keeps nothing).
    pub fn new(capacity: usize) -> Self {
        let _ = capacity;
        todo!("TODO(1): new")
    }

    pub fn len(&self) -> usize {
        todo!("TODO(1): len")
    }

    pub fn is_empty(&self) -> bool {
        todo!("TODO(1): is_empty")
    }

    pub fn capacity(&self) -> usize {
        todo!("TODO(1): capacity")
    }

    /// The value, and `key` becomes the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("TODO(1): get")
    }

    /// The value, leaving the order alone.
    pub fn peek(&self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("TODO(1): peek")
    }

    /// Inserts or replaces; either way `key` becomes the most recently
    /// used. Returns the entry evicted to make room, if one was.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let _ = (key, value);
        todo!("TODO(1): put")
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let _ = key;
        todo!("TODO(1): remove")
    }

    /// The keys, most recently used first.
    pub fn keys(&self) -> Vec<&K> {
        todo!("TODO(1): keys")
    }
}
