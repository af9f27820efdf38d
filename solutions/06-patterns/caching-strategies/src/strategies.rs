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

/// Read-through: a miss loads from the store and fills the cache. A key
/// the store does not have is not cached (the next get asks again).
pub struct ReadThrough<K, V, S> {
    cache: LruCache<K, V>,
    store: S,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> ReadThrough<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        ReadThrough {
            cache: LruCache::new(capacity),
            store,
        }
    }

    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        if let Some(v) = self.cache.get(key) {
            return Ok(Some(v.clone()));
        }
        let loaded = self.store.load(key)?;
        if let Some(v) = &loaded {
            self.cache.put(key.clone(), v.clone());
        }
        Ok(loaded)
    }

    /// Drops the cached copy: the next get loads it again.
    pub fn invalidate(&mut self, key: &K) {
        self.cache.remove(key);
    }
}

/// Write-through: a put writes the store first, and the cache only once
/// the store has it; reads are read-through.
pub struct WriteThrough<K, V, S> {
    inner: ReadThrough<K, V, S>,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> WriteThrough<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        WriteThrough {
            inner: ReadThrough::new(capacity, store),
        }
    }

    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        self.inner.get(key)
    }

    /// When the store refuses, the error is returned and the cache keeps
    /// what it had (which is what the store still has).
    pub fn put(&mut self, key: K, value: V) -> Result<(), StoreError> {
        self.inner.store.save(&key, &value)?;
        self.inner.cache.put(key, value);
        Ok(())
    }
}

/// Write-behind: a put lands in the cache and in a set of dirty keys;
/// `flush` writes the latest value of each dirty key in one batch.
pub struct WriteBehind<K, V, S> {
    cache: LruCache<K, V>,
    dirty: HashMap<K, V>,
    store: S,
}

impl<K: Hash + Eq + Clone, V: Clone, S: Store<K, V>> WriteBehind<K, V, S> {
    pub fn new(capacity: usize, store: S) -> Self {
        WriteBehind {
            cache: LruCache::new(capacity),
            dirty: HashMap::new(),
            store,
        }
    }

    pub fn put(&mut self, key: K, value: V) {
        self.dirty.insert(key.clone(), value.clone());
        self.cache.put(key, value);
    }

    /// The cache, then what is waiting to be written (an entry evicted
    /// before its flush is still the newest value), then the store.
    pub fn get(&mut self, key: &K) -> Result<Option<V>, StoreError> {
        if let Some(v) = self.cache.get(key) {
            return Ok(Some(v.clone()));
        }
        if let Some(v) = self.dirty.get(key) {
            return Ok(Some(v.clone()));
        }
        let loaded = self.store.load(key)?;
        if let Some(v) = &loaded {
            self.cache.put(key.clone(), v.clone());
        }
        Ok(loaded)
    }

    /// How many keys the store has not seen yet.
    pub fn pending(&self) -> usize {
        self.dirty.len()
    }

    /// Writes every dirty key in one `save_all` and returns how many. With
    /// nothing dirty it writes nothing. When the store fails, every key
    /// stays dirty for the next flush.
    pub fn flush(&mut self) -> Result<usize, StoreError> {
        if self.dirty.is_empty() {
            return Ok(0);
        }
        let batch: Vec<(K, V)> = self
            .dirty
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.store.save_all(&batch)?;
        self.dirty.clear();
        Ok(batch.len())
    }
}
