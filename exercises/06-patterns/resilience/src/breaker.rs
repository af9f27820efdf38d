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

    // TODO(3): the state machine. The contract (tests/breaker.rs checks
    // each point, on a clock the tests move):
    // - closed: every call goes out; `record(false)` counts failures in a
    //   row, `record(true)` resets the count; the `threshold`-th failure
    //   in a row opens the breaker until `now + cooldown`;
    // - open: `allow` refuses with `Err(time left)` until then; the first
    //   `allow` at or after it lets one trial out (half-open, since now);
    // - half-open: other calls are refused (`Err`, the time until the
    //   trial is given up); the trial's success closes the breaker, its
    //   failure opens it again for a whole cooldown from that failure; a
    //   trial that never reports is given up after a cooldown, and the
    //   next `allow` is a new trial.

    /// May a call go out at `now`? `Err(wait)`: refused, try again in
    /// `wait` (what `Retry-After` says).
    pub fn allow(&mut self, now: Instant) -> Result<(), Duration> {
        let _ = (now, self.cooldown);
        todo!("TODO(3): Breaker::allow")
    }

    /// The outcome of a call that `allow` let out.
    pub fn record(&mut self, ok: bool, now: Instant) {
        let _ = (ok, now, self.threshold);
        todo!("TODO(3): Breaker::record")
    }
}
