//! The server's footprint from /proc: resident memory, open descriptors,
//! and how its CPU time was shared among its threads.

use std::time::Duration;

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
pub(super) fn stat_ticks(stat: &str) -> Option<u64> {
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
