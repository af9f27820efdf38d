//! Load: C concurrent clients over keep-alive connections for N requests or
//! T seconds (both bounded), latencies in an HDR histogram, and the
//! server's resident memory and open file descriptors read from /proc.

use crate::http::Prepared;
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

/// One keep-alive connection of a load client.
struct Conn {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
    /// Whether a response already came back on it (a reused connection the
    /// server closed while idle is retried once on a fresh one).
    used: bool,
}

/// The request as bytes, written as is on every keep-alive connection: no
/// HTTP library in the loop, so the generator keeps up with the server.
struct RawRequest {
    addr: String,
    bytes: Vec<u8>,
    head: bool,
}

impl RawRequest {
    fn new(req: &Prepared) -> RawRequest {
        let (addr, path) = match url::Url::parse(&req.url) {
            Ok(u) => {
                let host = u.host_str().unwrap_or("127.0.0.1").to_string();
                let host = if host.contains(':') && !host.starts_with('[') {
                    format!("[{host}]")
                } else {
                    host
                };
                let path = match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_string(),
                };
                (
                    format!("{host}:{}", u.port_or_known_default().unwrap_or(80)),
                    path,
                )
            }
            Err(_) => ("127.0.0.1:80".into(), "/".into()),
        };
        let mut head = format!("{} {path} HTTP/1.1\r\nhost: {addr}\r\n", req.method);
        for (k, v) in &req.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !req.body.is_empty() || matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") {
            head.push_str(&format!("content-length: {}\r\n", req.body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&req.body);
        RawRequest {
            addr,
            bytes,
            head: req.method == "HEAD",
        }
    }

    async fn send(&self, conn: &mut Option<Conn>) -> Result<u16, String> {
        use serverlings_core::response::{Parse, parse};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        for attempt in 0..2 {
            if conn.is_none() {
                let stream = tokio::net::TcpStream::connect(&self.addr)
                    .await
                    .map_err(|e| e.to_string())?;
                let _ = stream.set_nodelay(true);
                *conn = Some(Conn {
                    stream,
                    buf: Vec::new(),
                    used: false,
                });
            }
            let c = conn.as_mut().expect("connected above");
            let reused = c.used;
            if let Err(e) = c.stream.write_all(&self.bytes).await {
                *conn = None;
                if reused && attempt == 0 {
                    continue;
                }
                return Err(e.to_string());
            }
            let mut chunk = [0u8; 16 * 1024];
            loop {
                let (p, r) = parse(&c.buf, false);
                match p {
                    Parse::Done(n) => {
                        let r = r.unwrap_or_default();
                        c.buf.drain(..n);
                        c.used = true;
                        if r.header("connection")
                            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
                        {
                            *conn = None;
                        }
                        return Ok(r.status);
                    }
                    // A HEAD answer has a Content-Length but no body.
                    Parse::Incomplete
                        if self.head && c.buf.windows(4).any(|w| w == b"\r\n\r\n") =>
                    {
                        let end = c.buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
                        let status = String::from_utf8_lossy(&c.buf[..end])
                            .split(' ')
                            .nth(1)
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0);
                        c.buf.drain(..end);
                        c.used = true;
                        return Ok(status);
                    }
                    Parse::Invalid(m, _) => {
                        *conn = None;
                        return Err(format!("the response is not valid HTTP ({m})"));
                    }
                    Parse::Incomplete => {}
                }
                let n = c.stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
                if n == 0 {
                    let (p, r) = parse(&c.buf, true);
                    *conn = None;
                    if let (Parse::Done(_), Some(r)) = (p, r) {
                        return Ok(r.status);
                    }
                    if reused && attempt == 0 {
                        break; // the server closed an idle connection: retry
                    }
                    return Err("the connection closed before a complete response".into());
                }
                c.buf.extend_from_slice(&chunk[..n]);
            }
        }
        Err("the connection closed before a complete response".into())
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

/// Resident memory (KiB), open file descriptors and the CPU time of each
/// thread of a process, from /proc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    pub rss_kib: u64,
    /// The highest resident memory since the process started (VmHWM).
    pub peak_kib: u64,
    pub fds: u64,
    /// (thread id, user + system CPU time in clock ticks) of every thread.
    pub threads: Vec<(i32, u64)>,
}

/// The CPU time (user + system, in clock ticks) of each thread of `pid`.
pub fn thread_ticks(pid: i32) -> Vec<(i32, u64)> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return vec![];
    };
    dir.filter_map(|e| {
        let tid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).ok()?;
        Some((tid, stat_ticks(&stat)?))
    })
    .collect()
}

/// utime + stime of a `stat` line: fields 14 and 15, counted after the
/// command name, which may itself hold spaces and parentheses.
fn stat_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// How the CPU time between two footprints was shared among threads:
/// (thread id, ticks used), the busiest first; threads that used none are
/// left out.
pub fn cpu_shares(before: &Footprint, after: &Footprint) -> Vec<(i32, u64)> {
    let mut used: Vec<(i32, u64)> = after
        .threads
        .iter()
        .map(|&(tid, t)| {
            let was = before
                .threads
                .iter()
                .find(|(b, _)| *b == tid)
                .map_or(0, |&(_, t)| t);
            (tid, t.saturating_sub(was))
        })
        .filter(|&(_, t)| t > 0)
        .collect();
    used.sort_by_key(|&(_, t)| std::cmp::Reverse(t));
    used
}

/// "0.84 s of CPU: 51%, 47%, 2%" (the busiest threads first).
pub fn show_shares(shares: &[(i32, u64)]) -> String {
    let total: u64 = shares.iter().map(|s| s.1).sum();
    if total == 0 {
        return "no CPU time used".into();
    }
    // /proc counts in clock ticks (USER_HZ, 100 on Linux).
    // SAFETY: sysconf reads a constant of the system and has no preconditions.
    let hz = match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
        n if n > 0 => n as f64,
        _ => 100.0,
    };
    let mut parts: Vec<String> = shares
        .iter()
        .take(6)
        .map(|s| format!("{:.0}%", s.1 as f64 * 100.0 / total as f64))
        .collect();
    if shares.len() > 6 {
        parts.push(format!("{} more", shares.len() - 6));
    }
    format!(
        "{:.2} s of CPU over {} thread{}: {}",
        total as f64 / hz,
        shares.len(),
        if shares.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// The threads that each did at least a seventh of the work: a thread
/// that only accepted connections or parsed requests does not count.
pub fn busy_threads(shares: &[(i32, u64)]) -> usize {
    let total: u64 = shares.iter().map(|s| s.1).sum();
    shares
        .iter()
        .filter(|&&(_, t)| t >= 2 && t * 7 >= total)
        .count()
}

pub fn footprint(pid: i32) -> Option<Footprint> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())?;
    let peak_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(rss_kib);
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some(Footprint {
        rss_kib,
        peak_kib,
        fds,
        threads: thread_ticks(pid),
    })
}

/// The footprint once the load's connections have been let go: the server
/// closes them a moment after the client does, so wait (up to 500 ms) until
/// the descriptor count stops falling.
pub async fn settled_footprint(pid: i32) -> Option<Footprint> {
    let mut last = footprint(pid)?;
    for _ in 0..25 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = footprint(pid)?;
        if now.fds >= last.fds {
            return Some(now);
        }
        last = now;
    }
    Some(last)
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn reads_its_own_footprint() {
        let f = super::footprint(std::process::id() as i32).expect("/proc is readable");
        assert!(f.rss_kib > 100, "{f:?}");
        assert!(f.fds >= 3, "{f:?}");
        assert!(!f.threads.is_empty(), "{f:?}");
    }

    #[test]
    fn stat_lines_with_spaces_in_the_name_give_their_cpu_ticks() {
        let line = "4242 (tokio-rt (w) 1) S 1 4242 4242 0 -1 4194560 200 0 0 0 37 5 0 0 20 0 3 0";
        assert_eq!(super::stat_ticks(line), Some(42));
    }

    #[test]
    fn work_spread_over_threads_is_told_from_work_on_one() {
        let fp = |threads: Vec<(i32, u64)>| super::Footprint {
            rss_kib: 1,
            peak_kib: 1,
            fds: 1,
            threads,
        };
        let before = fp(vec![(1, 10), (2, 0), (3, 5)]);
        // One thread did the work; two others woke for a tick or two.
        let one = fp(vec![(1, 12), (2, 90), (3, 6)]);
        let shares = super::cpu_shares(&before, &one);
        assert_eq!(shares[0], (2, 90));
        assert_eq!(super::busy_threads(&shares), 1);
        // Two threads shared it; a new thread appeared meanwhile.
        let two = fp(vec![(1, 50), (2, 45), (3, 6), (4, 1)]);
        assert_eq!(super::busy_threads(&super::cpu_shares(&before, &two)), 2);
    }
}
