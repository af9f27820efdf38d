//! The `SERVERLINGS_OWNER` mark every started process carries, the marked
//! processes found through `/proc`, and the clean-up of what an earlier
//! serverlings left running.

/// The environment variable that marks every process serverlings starts,
/// and through inheritance their descendants:
/// `<serverlings pid>.<its start time>.<n>` (an older serverlings wrote
/// `<pid>.<n>`).
pub const OWNER_VAR: &str = "SERVERLINGS_OWNER";

static SPAWNED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fresh value for `SERVERLINGS_OWNER`: this process's pid, its start
/// time (so a later process given the same pid is not taken for it) and a
/// counter.
pub fn new_mark() -> String {
    let me = std::process::id();
    format!(
        "{me}.{}.{}",
        crate::procs::start_time(me as i32).unwrap_or(0),
        SPAWNED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Whether the serverlings named by a mark is still running. The start
/// time decides, whatever the binary is called (an installed copy, a
/// renamed one); a mark of an older serverlings (`<pid>.<n>`) falls back to
/// its command line.
fn owner_alive(mark: &str) -> bool {
    let parts: Vec<&str> = mark.split('.').collect();
    let Some(pid) = parts.first().and_then(|p| p.parse::<i32>().ok()) else {
        return true; // not ours to judge: leave it alone
    };
    if pid == std::process::id() as i32 {
        return true;
    }
    match parts.as_slice() {
        [_, started, _] => match started.parse::<u64>() {
            Ok(started) => crate::procs::start_time(pid) == Some(started),
            Err(_) => true,
        },
        _ => std::fs::read(format!("/proc/{pid}/cmdline"))
            .is_ok_and(|c| String::from_utf8_lossy(&c).contains("serverlings")),
    }
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
    let orphans = marked(&|v| !owner_alive(v));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_alive_by_its_pid_and_start_time_whatever_its_name() {
        // This test binary is not called serverlings: still alive.
        let mine = new_mark();
        assert!(owner_alive(&mine), "{mine}");
        // Another process: alive while it runs, dead once it has exited,
        // even though its name never said serverlings.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        let started = crate::procs::start_time(pid).unwrap();
        let theirs = format!("{pid}.{started}.0");
        assert!(owner_alive(&theirs));
        // The same pid with another start time is another process.
        assert!(!owner_alive(&format!("{pid}.{}.0", started + 1)));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!owner_alive(&theirs));
        // An older serverlings' mark: judged by the command line.
        assert!(!owner_alive(&format!("{pid}.0")));
    }
}
