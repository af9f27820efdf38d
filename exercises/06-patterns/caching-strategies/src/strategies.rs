//! A bounded cache in front of a slower store, three ways. Callers only
//! see `get` and `put`: filling and writing back are the cache's job.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use crate::LruCache;

/// The store failed (the database is down, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "store error: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// The slow, authoritative copy: a database table, a remote service.
pub trait Store<K, V> {
    fn load(&self, key: &K) -> Result<Option<V>, StoreError>;
    fn save(&self, key: &K, value: &V) -> Result<(), StoreError>;
    /// Many writes in one round trip.
    fn save_all(&self, entries: &[(K, V)]) -> Result<(), StoreError>;
}

// TODO(3): the three strategies, on top of your LruCache; each method's
// contract is in its comment, and tests/strategies.rs checks them with a
// store that counts its loads, saves and batches. `new` only builds: no
// I/O in a constructor.

/// Read-through: a miss loads from the store and fills the cache. A key
/// the store does not have is not cached (the next get asks again).
#[allow(dead_code)] // until TODO(3)
pub struct ReadThrough<K, V, S> {
    cache: LruCache<K, V>,
    store: S,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> ReadThrough<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        let _ = (capacity, store);
        todo!("TODO(3): new")
    }

    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        let _ = key;
        todo!("TODO(3): get")
    }

    /// Drops the cached copy: the next get loads it again.
    pub fn invalidate(&mut self, key: &K) {
        let _ = key;
        todo!("TODO(3): invalidate")
    }
}

/// Write-through: a put writes the store first, and the cache only once
/// the store has it; reads are read-through.
#[allow(dead_code)] // until TODO(3)
pub struct WriteThrough<K, V, S> {
    inner: ReadThrough<K, V, S>,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> WriteThrough<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        let _ = (capacity, store);
        todo!("TODO(3): new")
    }

    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        let _ = key;
        todo!("TODO(3): get")
    }

    /// When the store refuses, the error is returned and the cache keeps
    /// what it had (which is what the store still has).
    pub fn put(&mut self, key: K, value: V) -> Result<(), StoreError> {
        let _ = (key, value);
        todo!("TODO(3): put")
    }
}

/// Write-behind: a put lands in the cache and in a set of dirty keys;
/// `flush` writes the latest value of each dirty key in one batch.
#[allow(dead_code)] // until TODO(3)
pub struct WriteBehind<K, V, S> {
    cache: LruCache<K, V>,
    dirty: HashMap<K, V>,
    store: S,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> WriteBehind<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        let _ = (capacity, store);
        todo!("TODO(3): new")
    }

    pub fn put(&mut self, key: K, value: V) {
        let _ = (key, value);
        todo!("TODO(3): put")
    }

    /// The cache, then what is waiting to be written (an entry evicted
    /// before its flush is still the newest value), then the store.
    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        let _ = key;
        todo!("TODO(3): get")
    }

    /// How many keys the store has not seen yet.
    pub fn pending(&self) -> usize {
        todo!("TODO(3): pending")
    }

    /// Writes every dirty key in one `save_all` and returns how many. With
    /// nothing dirty it writes nothing. When the store fails, every key
    /// stays dirty for the next flush.
    pub fn flush(&mut self) -> Result<usize, StoreError> {
        todo!("TODO(3): flush")
    }
}
