//! A quote service with a callback API, the way a C library, a vendor SDK
//! or a pre-async crate hands out results. Given: you do not change it, you
//! wrap it.
//!
//! `fetch` returns at once. The answer comes later, on a thread of the
//! service, by calling the callback you passed. Like many real callback
//! APIs it has a flaw: for one symbol it forgets your callback and never
//! calls it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A price, in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub symbol: String,
    pub cents: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyError {
    UnknownSymbol(String),
}

/// What `fetch` calls when it is done: once, from another thread.
pub type Callback = Box<dyn FnOnce(Result<Quote, LegacyError>) + Send + 'static>;

/// How each symbol behaves: how long it takes, and what comes back.
fn behaviour(symbol: &str) -> (Duration, Option<Result<u64, ()>>) {
    let ms = Duration::from_millis;
    match symbol {
        "ACME" => (ms(100), Some(Ok(12_345))),
        "GLOBEX" => (ms(150), Some(Ok(6_789))),
        "INITECH" => (ms(50), Some(Ok(4_200))),
        // A slow one: far slower than anyone should wait.
        "HOOLI" => (ms(3_000), Some(Ok(99_999))),
        // The bug: the callback is dropped without being called.
        "LOST" => (ms(50), None),
        _ => (ms(10), Some(Err(()))),
    }
}

/// The service. `most_in_flight` tells how many requests it ever had
/// running at the same time.
#[derive(Debug, Default)]
pub struct QuoteService {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl QuoteService {
    pub fn new() -> Arc<QuoteService> {
        Arc::new(QuoteService::default())
    }

    /// Asks for the price of `symbol`; `done` is called with the answer.
    pub fn fetch(self: &Arc<Self>, symbol: &str, done: Callback) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        let service = Arc::clone(self);
        let symbol = symbol.to_string();
        std::thread::spawn(move || {
            let (delay, outcome) = behaviour(&symbol);
            std::thread::sleep(delay);
            service.in_flight.fetch_sub(1, Ordering::SeqCst);
            match outcome {
                Some(Ok(cents)) => done(Ok(Quote { symbol, cents })),
                Some(Err(())) => done(Err(LegacyError::UnknownSymbol(symbol))),
                None => drop(done),
            }
        });
    }

    /// The most requests that were ever running at the same time.
    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }
}
