//! Least frequently used: a hash map from key to slot, one list per use
//! count (newest at the front), and the smallest count that has entries.
//! The victim is the oldest entry of the rarest count. Every operation is
//! O(1).

use std::collections::HashMap;
use std::hash::Hash;

use crate::list::{Ends, Slab};

#[allow(dead_code)] // until TODO(2)
#[derive(Debug)]
struct Entry<K, V> {
    key: K,
    value: V,
    uses: u64,
}

// TODO(2): an LFU cache, O(1) for `get`, `peek` and `put` as well. The
// victim is the entry with the fewest uses; among those, the one used
// longest ago. A new entry has 1 use; `get` and a `put` that replaces a
// value add one; `peek` does not. One way, with the fields below: a list
// of slots per use count (`by_uses`, newest first), and `min_uses`, the
// smallest count that has entries: a use moves an entry from list n to
// the front of list n + 1 (and `min_uses` moves on if list n emptied),
// a new entry resets `min_uses` to 1, and the victim is the back of list
// `min_uses`.

#[allow(dead_code)] // until TODO(2)
#[derive(Debug)]
pub struct LfuCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    slab: Slab<Entry<K, V>>,
    by_uses: HashMap<u64, Ends>,
    min_uses: u64,
}

impl<K: Hash + Eq + Clone, V> LfuCache<K, V> {
    /// A cache of at most `capacity` entries (0: it keeps nothing).
    pub fn new(capacity: usize) -> Self {
        let _ = capacity;
        todo!("TODO(2): new")
    }

    pub fn len(&self) -> usize {
        todo!("TODO(2): len")
    }

    pub fn is_empty(&self) -> bool {
        todo!("TODO(2): is_empty")
    }

    /// How many times `key` was used (put or got) since it came in.
    pub fn uses(&self, key: &K) -> Option<u64> {
        let _ = key;
        todo!("TODO(2): uses")
    }

    /// The value, and one more use of `key`.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("TODO(2): get")
    }

    /// The value, without counting a use.
    pub fn peek(&self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("TODO(2): peek")
    }

    /// Inserts (one use) or replaces (one more use). Returns the entry
    /// evicted to make room, if one was.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let _ = (key, value);
        todo!("TODO(2): put")
    }
}
