//! Load: C concurrent clients over keep-alive connections for N requests or
//! T seconds (both bounded), latencies in an HDR histogram, and the
//! server's resident memory and open file descriptors read from /proc.
//!
//! `client` holds the connections and raw requests, `footprint` what /proc
//! says of the server, `judge` the comparison with `expect`.

mod client;
mod footprint;
mod judge;
#[cfg(test)]
mod tests;

pub use footprint::{
    Footprint, busy_threads, cpu_shares, footprint, settled_footprint, show_shares, thread_ticks,
};
pub use judge::judge;

use crate::http::Prepared;
use client::{Conn, RawRequest};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Plan {
    pub concurrency: usize,
    /// Stop after this many requests in all...
    pub requests: Option<u64>,
    /// ...or after this long, whichever comes first.
    pub duration: Duration,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub requests: u64,
    /// Requests that got no response (refused, reset, timed out).
    pub errors: u64,
    pub first_error: Option<String>,
    pub statuses: BTreeMap<u16, u64>,
    /// Latencies in microseconds.
    pub latency: Histogram<u64>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn percentile_ms(&self, q: f64) -> f64 {
        self.latency.value_at_quantile(q) as f64 / 1000.0
    }
    pub fn summary(&self) -> String {
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect();
        format!(
            "{} requests in {:.1}s ({:.0}/s), {} errors; p50 {:.1}ms p95 {:.1}ms p99 {:.1}ms max {:.1}ms; {}",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.rps(),
            self.errors,
            self.percentile_ms(0.50),
            self.percentile_ms(0.95),
            self.percentile_ms(0.99),
            self.latency.max() as f64 / 1000.0,
            if statuses.is_empty() {
                "no responses".into()
            } else {
                statuses.join(" ")
            }
        )
    }
}

pub async fn run(req: &Prepared, plan: &Plan, per_request: Duration) -> Outcome {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + plan.duration;
    let issued = Arc::new(AtomicU64::new(0));
    let target = Arc::new(RawRequest::new(req));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..plan.concurrency {
        let (target, issued, limit) = (target.clone(), issued.clone(), plan.requests);
        set.spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
                .expect("valid histogram bounds");
            let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
            let (mut errors, mut first_error) = (0u64, None);
            let mut conn: Option<Conn> = None;
            loop {
                if tokio::time::Instant::now() >= deadline {
                    break;
                }
                if let Some(limit) = limit
                    && issued.fetch_add(1, Ordering::Relaxed) >= limit
                {
                    break;
                }
                let t = Instant::now();
                match tokio::time::timeout(per_request, target.send(&mut conn)).await {
                    Ok(Ok(status)) => {
                        let _ = hist.record((t.elapsed().as_micros() as u64).max(1));
                        *statuses.entry(status).or_default() += 1;
                    }
                    Ok(Err(e)) => {
                        errors += 1;
                        conn = None;
                        first_error.get_or_insert(e);
                    }
                    Err(_) => {
                        errors += 1;
                        conn = None;
                        first_error.get_or_insert_with(|| {
                            format!(
                                "no response within {}",
                                serverlings_core::duration::show(per_request)
                            )
                        });
                    }
                }
            }
            (hist, statuses, errors, first_error)
        });
    }
    let mut out = Outcome {
        requests: 0,
        errors: 0,
        first_error: None,
        statuses: BTreeMap::new(),
        latency: Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds"),
        elapsed: Duration::ZERO,
    };
    while let Some(Ok((hist, statuses, errors, first_error))) = set.join_next().await {
        let _ = out.latency.add(&hist);
        for (s, n) in statuses {
            *out.statuses.entry(s).or_default() += n;
        }
        out.errors += errors;
        if out.first_error.is_none() {
            out.first_error = first_error;
        }
    }
    out.requests = out.statuses.values().sum::<u64>() + out.errors;
    out.elapsed = started.elapsed();
    out
}
