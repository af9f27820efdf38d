//! Calling a flaky upstream without becoming flaky yourself: a timeout on
//! every attempt, retries with backoff and jitter, and a circuit breaker.

pub mod backoff;
pub mod breaker;
pub mod upstream;
