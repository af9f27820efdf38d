//! Load: C concurrent clients over keep-alive connections for N requests or
//! T seconds (both bounded), latencies in an HDR histogram, and the
//! server's resident memory and open file descriptors read from /proc.

use crate::probe::http::Prepared;
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
        use crate::probe::response::{Parse, parse};
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
                            format!("no response within {}", crate::duration::show(per_request))
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

/// Resident memory (KiB) and open file descriptors of a process, from /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    pub rss_kib: u64,
    /// The highest resident memory since the process started (VmHWM).
    pub peak_kib: u64,
    pub fds: u64,
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

#[cfg(test)]
mod tests {
    #[test]
    fn reads_its_own_footprint() {
        let f = super::footprint(std::process::id() as i32).expect("/proc is readable");
        assert!(f.rss_kib > 100, "{f:?}");
        assert!(f.fds >= 3, "{f:?}");
    }
}

/// Mismatches between a load's outcome and what the step expects.
pub fn judge(
    o: &Outcome,
    e: &crate::check::spec::LoadExpect,
    statuses: &[u16],
    before: Option<Footprint>,
    after: Option<Footprint>,
) -> Vec<crate::probe::assert::Mismatch> {
    use crate::probe::assert::mismatch;
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
