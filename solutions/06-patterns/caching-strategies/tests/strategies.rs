//! Read-through, write-through and write-behind over a store that counts
//! what it is asked. Shipped with the exercise and run as shipped: do not
//! edit.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use caching_strategies::strategies::{ReadThrough, Store, StoreError, WriteBehind, WriteThrough};

#[derive(Default)]
struct Inner {
    rows: RefCell<HashMap<String, String>>,
    loads: Cell<usize>,
    saves: Cell<usize>,
    batches: RefCell<Vec<Vec<(String, String)>>>,
    down: Cell<bool>,
}

/// A store the test keeps a handle on while the cache owns a clone.
#[derive(Clone, Default)]
struct Fake(Rc<Inner>);

impl Fake {
    fn with(rows: &[(&str, &str)]) -> Fake {
        let f = Fake::default();
        for (k, v) in rows {
            f.0.rows.borrow_mut().insert(k.to_string(), v.to_string());
        }
        f
    }
    fn row(&self, k: &str) -> Option<String> {
        self.0.rows.borrow().get(k).cloned()
    }
}

impl Store<String, String> for Fake {
    fn load(&self, key: &String) -> Result<Option<String>, StoreError> {
        if self.0.down.get() {
            return Err(StoreError("down".into()));
        }
        self.0.loads.set(self.0.loads.get() + 1);
        Ok(self.0.rows.borrow().get(key).cloned())
    }
    fn save(&self, key: &String, value: &String) -> Result<(), StoreError> {
        if self.0.down.get() {
            return Err(StoreError("down".into()));
        }
        self.0.saves.set(self.0.saves.get() + 1);
        self.0.rows.borrow_mut().insert(key.clone(), value.clone());
        Ok(())
    }
    fn save_all(&self, entries: &[(String, String)]) -> Result<(), StoreError> {
        if self.0.down.get() {
            return Err(StoreError("down".into()));
        }
        self.0.batches.borrow_mut().push(entries.to_vec());
        for (k, v) in entries {
            self.0.rows.borrow_mut().insert(k.clone(), v.clone());
        }
        Ok(())
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn read_through_loads_a_key_once_then_serves_it_from_the_cache() {
    let store = Fake::with(&[("tea", "3.10")]);
    let mut c = ReadThrough::new(8, store.clone());
    assert_eq!(c.get(&s("tea")), Ok(Some(s("3.10"))));
    assert_eq!(c.get(&s("tea")), Ok(Some(s("3.10"))));
    assert_eq!(store.0.loads.get(), 1, "the second get is a hit");
    store.0.rows.borrow_mut().insert(s("tea"), s("3.20"));
    assert_eq!(
        c.get(&s("tea")),
        Ok(Some(s("3.10"))),
        "a cached copy can be stale..."
    );
    c.invalidate(&s("tea"));
    assert_eq!(
        c.get(&s("tea")),
        Ok(Some(s("3.20"))),
        "...until it is invalidated"
    );
    assert_eq!(store.0.loads.get(), 2);
}

#[test]
fn read_through_does_not_cache_what_the_store_lacks() {
    let store = Fake::default();
    let mut c = ReadThrough::new(8, store.clone());
    assert_eq!(c.get(&s("nope")), Ok(None));
    store.0.rows.borrow_mut().insert(s("nope"), s("now"));
    assert_eq!(
        c.get(&s("nope")),
        Ok(Some(s("now"))),
        "the row created meanwhile is found"
    );
}

#[test]
fn read_through_is_bounded_and_reloads_what_it_evicted() {
    let store = Fake::with(&[("a", "1"), ("b", "2"), ("c", "3")]);
    let mut c = ReadThrough::new(2, store.clone());
    for k in ["a", "b", "c", "a"] {
        c.get(&s(k)).unwrap();
    }
    assert_eq!(
        store.0.loads.get(),
        4,
        "a was evicted by c and loaded again"
    );
}

#[test]
fn read_through_passes_store_errors_on() {
    let store = Fake::default();
    store.0.down.set(true);
    let mut c = ReadThrough::new(2, store);
    assert_eq!(c.get(&s("a")), Err(StoreError("down".into())));
}

#[test]
fn write_through_writes_the_store_before_the_cache() {
    let store = Fake::default();
    let mut c = WriteThrough::new(8, store.clone());
    c.put(s("tea"), s("3.10")).unwrap();
    assert_eq!(
        store.row("tea"),
        Some(s("3.10")),
        "the store has it at once"
    );
    assert_eq!(c.get(&s("tea")), Ok(Some(s("3.10"))));
    assert_eq!(store.0.loads.get(), 0, "and the cache too: no load");
    assert_eq!(store.0.saves.get(), 1);
}

#[test]
fn write_through_keeps_the_cache_as_the_store_when_the_store_refuses() {
    let store = Fake::default();
    let mut c = WriteThrough::new(8, store.clone());
    c.put(s("tea"), s("3.10")).unwrap();
    store.0.down.set(true);
    assert_eq!(c.put(s("tea"), s("9.99")), Err(StoreError("down".into())));
    store.0.down.set(false);
    assert_eq!(
        c.get(&s("tea")),
        Ok(Some(s("3.10"))),
        "the refused value is not served"
    );
}

#[test]
fn write_behind_answers_at_once_and_writes_later_in_one_batch() {
    let store = Fake::default();
    let mut c = WriteBehind::new(8, store.clone());
    for (k, v) in [
        ("a", "1"),
        ("b", "1"),
        ("a", "2"),
        ("c", "1"),
        ("a", "3"),
        ("b", "2"),
    ] {
        c.put(s(k), s(v));
    }
    assert_eq!(c.get(&s("a")), Ok(Some(s("3"))));
    assert_eq!(store.row("a"), None, "nothing written yet");
    assert_eq!(c.pending(), 3);
    assert_eq!(c.flush(), Ok(3));
    let batches = store.0.batches.borrow().clone();
    assert_eq!(batches.len(), 1, "one round trip");
    let mut batch = batches[0].clone();
    batch.sort();
    assert_eq!(
        batch,
        vec![(s("a"), s("3")), (s("b"), s("2")), (s("c"), s("1"))],
        "the latest value of each key, once"
    );
    assert_eq!(store.0.saves.get(), 0, "no write one by one");
    assert_eq!(c.pending(), 0);
    assert_eq!(c.flush(), Ok(0));
    assert_eq!(
        store.0.batches.borrow().len(),
        1,
        "nothing to flush writes nothing"
    );
}

#[test]
fn write_behind_serves_a_dirty_value_even_after_evicting_it() {
    let store = Fake::with(&[("a", "old")]);
    let mut c = WriteBehind::new(2, store.clone());
    c.put(s("a"), s("new"));
    c.put(s("b"), s("1"));
    c.put(s("c"), s("1")); // evicts a from the cache, not from the writes
    assert_eq!(
        c.get(&s("a")),
        Ok(Some(s("new"))),
        "not the store's old value"
    );
    assert_eq!(c.flush(), Ok(3));
    assert_eq!(store.row("a"), Some(s("new")));
}

#[test]
fn write_behind_keeps_what_a_failed_flush_could_not_write() {
    let store = Fake::default();
    let mut c = WriteBehind::new(8, store.clone());
    c.put(s("a"), s("1"));
    c.put(s("b"), s("1"));
    store.0.down.set(true);
    assert_eq!(c.flush(), Err(StoreError("down".into())));
    assert_eq!(c.pending(), 2, "still dirty");
    c.put(s("a"), s("2"));
    store.0.down.set(false);
    assert_eq!(c.flush(), Ok(2));
    assert_eq!(store.row("a"), Some(s("2")));
    assert_eq!(store.row("b"), Some(s("1")));
}
