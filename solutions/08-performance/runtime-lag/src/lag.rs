//! The lag probe: a task that asks the runtime to wake it every `TICK` and
//! notes how late the wake-up came. On a runtime that nothing blocks, it is
//! late by a fraction of a millisecond; while a task blocks the thread, it
//! is late by as long as the block lasts.

use std::sync::{Arc, Mutex};
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

#[derive(Debug, Default)]
struct Window {
    max: Duration,
    samples: u64,
}

/// A handle on the running probe. Cloning shares it.
#[derive(Clone, Default)]
pub struct LagProbe {
    window: Arc<Mutex<Window>>,
}

impl LagProbe {
    /// TODO(1), done: start the probe on the current runtime.
    pub fn start() -> Self {
        let probe = LagProbe::default();
        let recorder = probe.clone();
        tokio::spawn(async move {
            loop {
                let asked = Instant::now() + TICK;
                tokio::time::sleep_until(asked).await;
                recorder.observe(Instant::now().saturating_duration_since(asked));
            }
        });
        probe
    }

    fn observe(&self, lag: Duration) {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        window.max = window.max.max(lag);
        window.samples += 1;
    }

    /// TODO(1), done: what the probe saw since the previous call, and a new
    /// window from now on.
    pub fn take(&self) -> Reading {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        let seen = std::mem::take(&mut *window);
        Reading {
            max_lag_ms: seen.max.as_secs_f64() * 1000.0,
            samples: seen.samples,
        }
    }
}
