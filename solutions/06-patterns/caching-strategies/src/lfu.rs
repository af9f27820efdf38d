//! Least frequently used: a hash map from key to slot, one list per use
//! count (newest at the front), and the smallest count that has entries.
//! The victim is the oldest entry of the rarest count. Every operation is
//! O(1).

use std::collections::HashMap;
use std::hash::Hash;

use crate::list::{Ends, Slab};

#[derive(Debug)]
struct Entry<K, V> {
    key: K,
    value: V,
    uses: u64,
}

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
        LfuCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            slab: Slab::new(),
            by_uses: HashMap::new(),
            min_uses: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// How many times `key` was used (put or got) since it came in.
    pub fn uses(&self, key: &K) -> Option<u64> {
        self.map.get(key).map(|&i| self.slab.get(i).item.uses)
    }

    /// Moves slot `i` from its count's list to the next count's front.
    fn touch(&mut self, i: usize) {
        let uses = self.slab.get(i).item.uses;
        let list = self.by_uses.get_mut(&uses).expect("the entry's list");
        list.unlink(&mut self.slab, i);
        if list.is_empty() {
            self.by_uses.remove(&uses);
            if self.min_uses == uses {
                self.min_uses = uses + 1;
            }
        }
        self.slab.get_mut(i).item.uses = uses + 1;
        self.by_uses
            .entry(uses + 1)
            .or_insert(Ends::EMPTY)
            .push_front(&mut self.slab, i);
    }

    /// The value, and one more use of `key`.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let i = *self.map.get(key)?;
        self.touch(i);
        Some(&self.slab.get(i).item.value)
    }

    /// The value, without counting a use.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|&i| &self.slab.get(i).item.value)
    }

    /// Inserts (one use) or replaces (one more use). Returns the entry
    /// evicted to make room, if one was.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.map.get(&key) {
            self.slab.get_mut(i).item.value = value;
            self.touch(i);
            return None;
        }
        if self.capacity == 0 {
            return Some((key, value));
        }
        let evicted = if self.map.len() >= self.capacity {
            let list = self
                .by_uses
                .get_mut(&self.min_uses)
                .expect("the rarest list");
            let victim = list.back;
            list.unlink(&mut self.slab, victim);
            if list.is_empty() {
                self.by_uses.remove(&self.min_uses);
            }
            let e = self.slab.release(victim);
            self.map.remove(&e.key);
            Some((e.key, e.value))
        } else {
            None
        };
        let i = self.slab.alloc(Entry {
            key: key.clone(),
            value,
            uses: 1,
        });
        self.by_uses
            .entry(1)
            .or_insert(Ends::EMPTY)
            .push_front(&mut self.slab, i);
        self.map.insert(key, i);
        self.min_uses = 1;
        evicted
    }
}
