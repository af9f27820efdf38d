//! # caching-strategies: LRU and LFU in O(1); read-through, write-through,
//! # write-behind
//!
//! A library, no server. Build the two eviction policies a bounded cache
//! needs, then the three ways of putting such a cache in front of a slow
//! store, so that callers only ever say `get` and `put`:
//!
//! ```text
//! list.rs        a doubly linked list in a Vec, linked by index (given)
//! lru.rs         LruCache: evict the least recently used      TODO(1)
//! lfu.rs         LfuCache: evict the least frequently used    TODO(2)
//! strategies.rs  ReadThrough, WriteThrough, WriteBehind       TODO(3)
//! ```
//!
//! Checked by: the tests in `tests/`, run as shipped (do not edit them):
//! worked examples, 20 000 random operations compared with a simple model
//! of each policy, a timing that fails when an operation walks the
//! entries, and a fake store that counts its loads, saves and batches.

pub mod lfu;
#[allow(dead_code)] // used by TODO(1) and TODO(2)
mod list;
pub mod lru;
pub mod strategies;

pub use lfu::LfuCache;
pub use lru::LruCache;
