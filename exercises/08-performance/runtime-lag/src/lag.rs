//! The lag probe: a task that asks the runtime to wake it every `TICK` and
//! notes how late the wake-up came. On a runtime that nothing blocks, it is
//! late by a fraction of a millisecond; while a task blocks the thread, it
//! is late by as long as the block lasts.

use std::time::Duration;

use tokio::time::Instant;

/// How often the probe asks to be woken.
pub const TICK: Duration = Duration::from_millis(10);

/// What one window of the probe saw.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Reading {
    /// The latest wake-up in the window, in milliseconds.
    pub max_lag_ms: f64,
    /// How many wake-ups the window holds.
    pub samples: u64,
}

/// A handle on the running probe. Cloning shares it.
#[derive(Clone, Default)]
pub struct LagProbe {
    // TODO(1): what the probe task and the `/metrics/lag` handler share.
}

impl LagProbe {
    /// Starts the probe on the current runtime and returns its handle.
    pub fn start() -> Self {
        // TODO(1): a task that, for as long as the server runs, asks to be
        // woken `TICK` from now, notes how much later than asked it really
        // woke, and keeps the worst of those and their number for `take`.
        let _ = (TICK, Instant::now());
        LagProbe::default()
    }

    /// What the probe saw since the previous call (the worst lag, in
    /// milliseconds, and the number of wake-ups; zeros when none), and a
    /// new window from now on.
    pub fn take(&self) -> Reading {
        // TODO(1)
        Reading::default()
    }
}
