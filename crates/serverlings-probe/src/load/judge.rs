//! Judging a load: its outcome and footprints against the step's `expect`.

use super::{Footprint, Outcome, busy_threads, cpu_shares, show_shares};

/// Mismatches between a load's outcome and what the step expects.
pub fn judge(
    o: &Outcome,
    e: &serverlings_core::spec::LoadExpect,
    statuses: &[u16],
    before: Option<&Footprint>,
    after: Option<&Footprint>,
) -> Vec<serverlings_core::assert::Mismatch> {
    use serverlings_core::assert::mismatch;
    let mut out = Vec::new();
    if o.errors > e.errors {
        out.push(mismatch(
            "errors",
            format!(
                "at most {} request{} without a response",
                e.errors,
                if e.errors == 1 { "" } else { "s" }
            ),
            format!(
                "{} of {} ({})",
                o.errors,
                o.requests,
                o.first_error.clone().unwrap_or_default()
            ),
        ));
    }
    if !statuses.is_empty() {
        let wrong: Vec<String> = o
            .statuses
            .iter()
            .filter(|(s, _)| !statuses.contains(s))
            .map(|(s, n)| format!("{s}×{n}"))
            .collect();
        if !wrong.is_empty() {
            let want: Vec<String> = statuses.iter().map(u16::to_string).collect();
            out.push(mismatch(
                "status",
                format!("every response {}", want.join(" or ")),
                wrong.join(" "),
            ));
        }
    }
    let answered = o.statuses.values().sum::<u64>() > 0;
    for (name, q, limit) in [
        ("p50", 0.50, e.p50_ms),
        ("p95", 0.95, e.p95_ms),
        ("p99", 0.99, e.p99_ms),
    ] {
        if let Some(limit) = limit {
            let got = o.percentile_ms(q);
            if !answered || got > limit {
                out.push(mismatch(
                    format!("{name} latency"),
                    format!("at most {limit} ms"),
                    if answered {
                        format!("{got:.1} ms")
                    } else {
                        "no responses".into()
                    },
                ));
            }
        }
    }
    if let Some(min) = e.rps
        && o.rps() < min
    {
        out.push(mismatch(
            "throughput",
            format!("at least {min} requests/s"),
            format!("{:.0} requests/s", o.rps()),
        ));
    }
    if let Some(want) = e.busy_threads {
        match (before, after) {
            (Some(b), Some(a)) => {
                let shares = cpu_shares(b, a);
                let busy = busy_threads(&shares) as u64;
                // A machine with one CPU cannot show more than one.
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
                let want = want.min(cores);
                if busy < want {
                    out.push(mismatch(
                        "threads doing the work",
                        format!("at least {want}, each with a seventh or more of the CPU time"),
                        format!("{busy} ({})", show_shares(&shares)),
                    ));
                }
            }
            _ => out.push(mismatch(
                "server",
                "running, to read its threads' CPU time",
                "not running",
            )),
        }
    }
    let wants_footprint = e.rss_mb.is_some()
        || e.rss_peak_mb.is_some()
        || e.rss_growth_mb.is_some()
        || e.fd_growth.is_some();
    if wants_footprint {
        match (before, after) {
            (Some(b), Some(a)) => {
                let mib = |k: u64| k as f64 / 1024.0;
                if let Some(max) = e.rss_mb
                    && mib(a.rss_kib) > max
                {
                    out.push(mismatch(
                        "resident memory",
                        format!("at most {max} MiB"),
                        format!("{:.1} MiB", mib(a.rss_kib)),
                    ));
                }
                if let Some(max) = e.rss_peak_mb
                    && mib(a.peak_kib) > max
                {
                    out.push(mismatch(
                        "peak resident memory",
                        format!("at most {max} MiB"),
                        format!("{:.1} MiB (VmHWM)", mib(a.peak_kib)),
                    ));
                }
                if let Some(max) = e.rss_growth_mb {
                    let growth = mib(a.rss_kib) - mib(b.rss_kib);
                    if growth > max {
                        out.push(mismatch(
                            "memory growth",
                            format!("at most {max} MiB"),
                            format!(
                                "{growth:.1} MiB ({:.1} → {:.1})",
                                mib(b.rss_kib),
                                mib(a.rss_kib)
                            ),
                        ));
                    }
                }
                if let Some(max) = e.fd_growth {
                    let growth = a.fds.saturating_sub(b.fds);
                    if growth > max {
                        out.push(mismatch(
                            "open file descriptors",
                            format!("at most {max} more after the load"),
                            format!("{growth} more ({} → {})", b.fds, a.fds),
                        ));
                    }
                }
            }
            _ => out.push(mismatch(
                "server",
                "running, to read its memory and file descriptors",
                "not running",
            )),
        }
    }
    out
}
