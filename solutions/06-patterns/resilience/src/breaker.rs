//! A circuit breaker, one per upstream. The clock is passed in, so the
//! tests drive time themselves.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Calls go out; this many have failed in a row.
    Closed { failures: u32 },
    /// Calls are refused until then.
    Open { until: Instant },
    /// One trial call is out since then; the others are refused.
    HalfOpen { since: Instant },
}

#[derive(Debug)]
pub struct Breaker {
    state: State,
    threshold: u32,
    cooldown: Duration,
}

impl Breaker {
    /// Opens after `threshold` failures in a row, for `cooldown`.
    pub fn new(threshold: u32, cooldown: Duration) -> Breaker {
        Breaker {
            state: State::Closed { failures: 0 },
            threshold: threshold.max(1),
            cooldown,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// May a call go out at `now`? `Err(wait)`: refused, try again in
    /// `wait` (what `Retry-After` says).
    pub fn allow(&mut self, now: Instant) -> Result<(), Duration> {
        match self.state {
            State::Closed { .. } => Ok(()),
            State::Open { until } if now >= until => {
                self.state = State::HalfOpen { since: now };
                Ok(())
            }
            State::Open { until } => Err(until - now),
            // A trial that never reported (its caller gave up) must not
            // keep the breaker half-open forever: after a cooldown, another.
            State::HalfOpen { since } if now >= since + self.cooldown => {
                self.state = State::HalfOpen { since: now };
                Ok(())
            }
            State::HalfOpen { since } => Err(since + self.cooldown - now),
        }
    }

    /// The outcome of a call that `allow` let out.
    pub fn record(&mut self, ok: bool, now: Instant) {
        self.state = match (self.state, ok) {
            (_, true) => State::Closed { failures: 0 },
            (State::Closed { failures }, false) if failures + 1 < self.threshold => State::Closed {
                failures: failures + 1,
            },
            (_, false) => State::Open {
                until: now + self.cooldown,
            },
        };
    }
}
