//! The orders (given): 30 000 of them, in memory for the list, and a
//! cursor-like stream for the export that yields them in batches of 500,
//! about 10 ms per batch, the way a database cursor does.

use std::time::Duration;

use futures::Stream;
use serde::Serialize;

pub const ORDERS: u64 = 30_000;
const BATCH: u64 = 500;

#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: u64,
    pub customer: String,
    pub total_cents: u64,
}

pub fn order(id: u64) -> Order {
    Order {
        id,
        customer: format!("customer-{}", id % 977),
        total_cents: (id * 7919) % 100_000,
    }
}

/// Every order, in id order, for the list.
pub fn all() -> Vec<Order> {
    (1..=ORDERS).map(order).collect()
}

/// Every order, in id order, batch by batch.
pub fn batches() -> impl Stream<Item = Vec<Order>> + Send + 'static {
    futures::stream::unfold(1u64, |next| async move {
        if next > ORDERS {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        let end = (next + BATCH - 1).min(ORDERS);
        Some(((next..=end).map(order).collect(), end + 1))
    })
}
