//! The latency recorder: one HDR histogram of every measured request,
//! shared by all the tasks that serve them.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hdrhistogram::Histogram;
use serde_json::{Value, json};

/// The slowest latency the histogram keeps apart: a minute, in µs.
/// Anything slower is recorded as a minute (it is an outage anyway).
const HIGHEST_US: u64 = 60_000_000;

/// What `GET /metrics/latency` reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    pub count: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Snapshot {
    pub fn to_json(self) -> Value {
        json!({
            "count": self.count,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
        })
    }
}

/// Latencies of the requests served so far. Cloning shares it.
#[derive(Clone)]
pub struct Latencies {
    // TODO(1), done: 1 µs to a minute at 3 significant digits (0.1 %),
    // behind a lock: recording takes nanoseconds, so the lock is cheap.
    histogram: Arc<Mutex<Histogram<u64>>>,
}

impl Latencies {
    pub fn new() -> Self {
        let histogram = Histogram::new_with_bounds(1, HIGHEST_US, 3)
            .expect("1 µs to a minute at 3 digits are valid bounds");
        Latencies {
            histogram: Arc::new(Mutex::new(histogram)),
        }
    }

    fn histogram(&self) -> MutexGuard<'_, Histogram<u64>> {
        // A panic while holding the lock leaves counts that are still
        // counts: keep using them.
        self.histogram
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records one request's latency.
    pub fn record(&self, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.histogram()
            .saturating_record(micros.clamp(1, HIGHEST_US));
    }

    /// TODO(2), done: the count and percentiles so far, in milliseconds.
    pub fn snapshot(&self) -> Snapshot {
        let h = self.histogram();
        let ms = |micros: u64| micros as f64 / 1000.0;
        Snapshot {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.50)),
            p95_ms: ms(h.value_at_quantile(0.95)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }

    /// TODO(3), done: start a new window.
    pub fn reset(&self) {
        self.histogram().reset();
    }
}

impl Default for Latencies {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware on the measured routes (main.rs puts it on `/work`).
pub async fn record(State(latencies): State<Latencies>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    latencies.record(started.elapsed());
    response
}
