//! The in-process layer (given): a map with a short TTL, one per instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::origin::Product;

pub struct Local {
    ttl: Duration,
    entries: Mutex<HashMap<i32, (Instant, Product)>>,
}

impl Local {
    pub fn new(ttl: Duration) -> Self {
        Local {
            ttl,
            entries: Mutex::default(),
        }
    }

    pub fn get(&self, id: i32) -> Option<Product> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(&id) {
            Some((at, product)) if at.elapsed() < self.ttl => Some(product.clone()),
            Some(_) => {
                entries.remove(&id);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, product: &Product) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: an expired-entries sweep when it grows past 10 000.
        if entries.len() >= 10_000 {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        entries.insert(product.id, (Instant::now(), product.clone()));
    }
}
