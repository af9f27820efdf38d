//! Least recently used: a hash map from key to slot, and the slots in one
//! list ordered by use, newest at the front. Every operation is O(1).

use std::collections::HashMap;
use std::hash::Hash;

use crate::list::{Ends, Slab};

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
        LruCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            slab: Slab::new(),
            order: Ends::EMPTY,
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The value, and `key` becomes the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let i = *self.map.get(key)?;
        self.order.unlink(&mut self.slab, i);
        self.order.push_front(&mut self.slab, i);
        Some(&self.slab.get(i).item.1)
    }

    /// The value, leaving the order alone.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|&i| &self.slab.get(i).item.1)
    }

    /// Inserts or replaces; either way `key` becomes the most recently
    /// used. Returns the entry evicted to make room, if one was.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.map.get(&key) {
            self.slab.get_mut(i).item.1 = value;
            self.order.unlink(&mut self.slab, i);
            self.order.push_front(&mut self.slab, i);
            return None;
        }
        if self.capacity == 0 {
            return Some((key, value));
        }
        let evicted = if self.map.len() >= self.capacity {
            let victim = self.order.back;
            self.order.unlink(&mut self.slab, victim);
            let (k, v) = self.slab.release(victim);
            self.map.remove(&k);
            Some((k, v))
        } else {
            None
        };
        let i = self.slab.alloc((key.clone(), value));
        self.order.push_front(&mut self.slab, i);
        self.map.insert(key, i);
        evicted
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.map.remove(key)?;
        self.order.unlink(&mut self.slab, i);
        Some(self.slab.release(i).1)
    }

    /// The keys, most recently used first.
    pub fn keys(&self) -> Vec<&K> {
        self.order.iter(&self.slab).map(|(k, _)| k).collect()
    }
}
