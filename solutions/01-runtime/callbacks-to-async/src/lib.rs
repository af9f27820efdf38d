//! # callbacks-to-async: wrap a callback API into futures, then compose them
//!
//! `legacy.rs` is a quote service with a callback API (given: you wrap it,
//! you do not change it). `reply.rs` is a one-shot channel whose receiving
//! half is a hand-written `Future`. With those two you build an async API
//! on top of the callbacks, then run calls at the same time, with a
//! deadline, and as a race.
//!
//! What to do, in order:
//! - `TODO(1)` in `reply.rs`: the `poll` of the `Reply` future.
//! - `TODO(2)` to `TODO(5)` below: `quote`, `quote_pair` (`join!`),
//!   `quote_within` (a timeout) and `fastest` (`select!`).
//!
//! Checked by: `cargo test` (the tests in `src/tests.rs`, one group per
//! TODO; every failing test names its TODO).

pub mod legacy;
pub mod reply;

use std::sync::Arc;
use std::time::Duration;

use crate::legacy::{LegacyError, Quote, QuoteService};
use crate::reply::reply;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The service does not know the symbol.
    Unknown(String),
    /// The service dropped the callback: no answer will ever come.
    NoAnswer,
    /// No answer within the time limit.
    TimedOut,
}

/// The price of `symbol`, as a future.
pub async fn quote(service: &Arc<QuoteService>, symbol: &str) -> Result<Quote, Error> {
    let (sender, reply) = reply();
    // The callback owns the sender and runs once, on the service's thread.
    service.fetch(symbol, Box::new(move |result| sender.send(result)));
    match reply.await {
        Ok(Ok(quote)) => Ok(quote),
        Ok(Err(LegacyError::UnknownSymbol(symbol))) => Err(Error::Unknown(symbol)),
        // The callback was dropped without being called.
        Err(_closed) => Err(Error::NoAnswer),
    }
}

/// Two prices, asked for at the same time: it takes as long as the slower.
pub async fn quote_pair(
    service: &Arc<QuoteService>,
    a: &str,
    b: &str,
) -> Result<(Quote, Quote), Error> {
    tokio::try_join!(quote(service, a), quote(service, b))
}

/// The price of `symbol`, or `Error::TimedOut` after `limit`.
pub async fn quote_within(
    service: &Arc<QuoteService>,
    symbol: &str,
    limit: Duration,
) -> Result<Quote, Error> {
    match tokio::time::timeout(limit, quote(service, symbol)).await {
        Ok(result) => result,
        // The `quote` future is dropped here; its callback still runs later
        // and sends into a Reply nobody holds, which is harmless.
        Err(_elapsed) => Err(Error::TimedOut),
    }
}

/// Asks for both prices at once and returns the first answer to arrive,
/// whatever it is; the slower call is dropped.
pub async fn fastest(service: &Arc<QuoteService>, a: &str, b: &str) -> Result<Quote, Error> {
    tokio::select! {
        first = quote(service, a) => first,
        second = quote(service, b) => second,
    }
}

#[cfg(test)]
mod tests;
