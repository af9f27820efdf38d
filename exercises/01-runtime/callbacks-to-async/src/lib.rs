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

#[allow(unused_imports)] // TODO(2) needs them
use crate::legacy::{LegacyError, Quote, QuoteService};
#[allow(unused_imports)]
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
    // TODO(2): the price of `symbol` from `service.fetch`, which answers
    // once, later, through a callback (on another thread). The callback
    // and this function are connected by a `reply()` pair; the answer maps
    // onto `Error`: an unknown symbol is `Error::Unknown(symbol)`, and a
    // callback the service dropped without calling it is `Error::NoAnswer`
    // (never a future that waits forever).
    let _ = service;
    todo!("TODO(2): ask the service for {symbol} and await the answer")
}

/// Two prices, asked for at the same time: it takes as long as the slower.
pub async fn quote_pair(
    service: &Arc<QuoteService>,
    a: &str,
    b: &str,
) -> Result<(Quote, Quote), Error> {
    // TODO(3): both prices, asked for at the same time: the service must
    // have both requests in flight at once, so the pair takes as long as
    // the slower one, not the sum. The first error fails the pair.
    let _ = service;
    todo!("TODO(3): quote {a} and {b} at the same time")
}

/// The price of `symbol`, or `Error::TimedOut` after `limit`.
pub async fn quote_within(
    service: &Arc<QuoteService>,
    symbol: &str,
    limit: Duration,
) -> Result<Quote, Error> {
    // TODO(4): the quote, or `Error::TimedOut` as soon as `limit` has
    // passed; a quote that was too slow is abandoned, not waited for.
    let _ = service;
    todo!("TODO(4): quote {symbol} within {limit:?}")
}

/// Asks for both prices at once and returns the first answer to arrive,
/// whatever it is; the slower call is dropped.
pub async fn fastest(service: &Arc<QuoteService>, a: &str, b: &str) -> Result<Quote, Error> {
    // TODO(5): ask for both at once and answer with whichever arrives
    // first, error or not; stop waiting for the other one.
    let _ = service;
    todo!("TODO(5): race {a} against {b}")
}

#[cfg(test)]
mod tests;
