//! Bounded caches with O(1) eviction (LRU and LFU), and the strategies
//! that put a cache in front of a store: read-through, write-through and
//! write-behind.

pub mod lfu;
mod list;
pub mod lru;
pub mod strategies;

pub use lfu::LfuCache;
pub use lru::LruCache;
