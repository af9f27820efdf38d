//! The `SERVERLINGS_OWNER` mark every started process carries, the marked
//! processes found through `/proc`, and the clean-up of what an earlier
//! serverlings left running.

/// The environment variable that marks every process serverlings starts,
/// and through inheritance their descendants: `<serverlings pid>.<n>`.
pub const OWNER_VAR: &str = "SERVERLINGS_OWNER";

static SPAWNED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fresh value for `SERVERLINGS_OWNER`: this process's pid and a counter.
pub fn new_mark() -> String {
    format!(
        "{}.{}",
        std::process::id(),
        SPAWNED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Live processes (not zombies) whose environment holds `var=value`
/// exactly. Linux reads /proc/<pid>/environ (only readable for one's own
/// processes); elsewhere none are found.
pub fn marked(value_matches: &dyn Fn(&str) -> bool) -> Vec<crate::procs::Proc> {
    let me = std::process::id() as i32;
    crate::procs::all()
        .into_iter()
        .filter(|p| p.pid != me && p.state != 'Z' && p.state != 'X')
        .filter(|p| {
            let Ok(env) = std::fs::read(format!("/proc/{}/environ", p.pid)) else {
                return false;
            };
            env.split(|b| *b == 0).any(|kv| {
                kv.strip_prefix(OWNER_VAR.as_bytes())
                    .and_then(|rest| rest.strip_prefix(b"="))
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .is_some_and(value_matches)
            })
        })
        .collect()
}

/// "pid 4242 (daemon) listening on 127.0.0.1:8080".
pub(super) fn describe_proc(p: &crate::procs::Proc) -> String {
    let ports = crate::procs::listening_self(p.pid);
    if ports.is_empty() {
        format!("pid {} ({})", p.pid, p.comm)
    } else {
        let shown: Vec<String> = ports.iter().map(|a| a.to_string()).collect();
        format!(
            "pid {} ({}) listening on {}",
            p.pid,
            p.comm,
            shown.join(", ")
        )
    }
}

/// Ends what an earlier serverlings left running when it was killed
/// (SIGKILL leaves no time to clean up; a child that called setsid() is
/// not reached by the kernel's parent-death signal): every marked process
/// whose serverlings is gone. Returns what it ended.
pub fn end_orphans() -> Vec<String> {
    let alive = |pid: i32| {
        std::fs::read(format!("/proc/{pid}/cmdline"))
            .is_ok_and(|c| String::from_utf8_lossy(&c).contains("serverlings"))
    };
    let orphans = marked(&|v| {
        v.split_once('.')
            .and_then(|(pid, _)| pid.parse::<i32>().ok())
            .is_some_and(|pid| pid != std::process::id() as i32 && !alive(pid))
    });
    let mut ended = Vec::new();
    for p in orphans {
        ended.push(describe_proc(&p));
        // SAFETY: plain syscall on a pid just read from /proc.
        unsafe {
            libc::kill(p.pid, libc::SIGKILL);
        }
    }
    ended
}
