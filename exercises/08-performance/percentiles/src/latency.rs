//! The latency recorder: one HDR histogram of every measured request,
//! shared by all the tasks that serve them.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

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
    // TODO(1): keep the latencies in an HDR histogram (the `hdrhistogram`
    // crate is a dependency), in microseconds from 1 µs to a minute at 3
    // significant digits. Every request is served by its own task, possibly
    // on another thread, and they all record into this one: clones must
    // share it.
}

impl Latencies {
    pub fn new() -> Self {
        Latencies {}
    }

    /// Records one request's latency. A latency outside the histogram's
    /// range is recorded at its edge, never dropped and never a panic.
    pub fn record(&self, elapsed: Duration) {
        // TODO(1): record `elapsed` in microseconds.
        let _ = elapsed;
    }

    /// The count and percentiles of what was recorded, in milliseconds
    /// (1234 µs is 1.234 ms); all 0 when nothing was recorded.
    pub fn snapshot(&self) -> Snapshot {
        // TODO(2): read the count, p50, p95, p99 and max from the histogram.
        Snapshot {
            count: 0,
            p50_ms: 0.0,
            p95_ms: 0.0,
            p99_ms: 0.0,
            max_ms: 0.0,
        }
    }

    /// Starts a new measuring window: afterwards, the snapshot is empty.
    pub fn reset(&self) {
        // TODO(3): empty the histogram.
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
