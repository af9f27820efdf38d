//! Server processes: spawned detached or tied to serverlings, programs run
//! to their end (initdb), waiting until one is ready, and stopping it
//! (`Instance`, stopped when dropped).

use super::{Kind, RunAs, State, alive, remove};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a server process is tied to serverlings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Life {
    /// Lives for this serverlings process: own process group (Ctrl-C in the
    /// terminal does not reach it; serverlings stops it), killed by the
    /// kernel if serverlings dies.
    Run,
    /// Outlives serverlings (`services up`): its own session.
    Detached,
}

/// Spawns a server with stdin closed and its output appended to `log`.
pub fn spawn(
    program: &Path,
    args: &[String],
    cwd: &Path,
    log: &Path,
    user: Option<RunAs>,
    life: Life,
) -> io::Result<Child> {
    let out = File::options().create(true).append(true).open(log)?;
    let err = out.try_clone()?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    // Servers read these; an inherited one from the learner's shell must not
    // point them elsewhere.
    for v in ["PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE"] {
        cmd.env_remove(v);
    }
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe syscalls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if life == Life::Detached {
                libc::setsid();
            } else {
                libc::setpgid(0, 0);
            }
            if let Some(u) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(u.gid) != 0
                    || libc::setuid(u.uid) != 0)
            {
                return Err(io::Error::last_os_error());
            }
            // After setuid, which would clear it.
            #[cfg(target_os = "linux")]
            if life == Life::Run {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// Runs a program to completion (initdb), as `user`, within `limit`.
pub async fn run_to_end(
    program: &Path,
    args: &[String],
    cwd: &Path,
    user: Option<RunAs>,
    limit: Duration,
) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for v in ["PGDATA", "PGPORT", "PGHOST", "PGUSER"] {
        cmd.env_remove(v);
    }
    // SAFETY: only async-signal-safe syscalls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if let Some(u) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(u.gid) != 0
                    || libc::setuid(u.uid) != 0)
            {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let name = program.display();
    let child = cmd.spawn().map_err(|e| format!("cannot run {name}: {e}"))?;
    let out = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| format!("{name} did not finish within {}s", limit.as_secs()))?
        .map_err(|e| format!("{name} failed: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let last: Vec<&str> = text.lines().rev().take(5).collect();
    Err(format!(
        "{name} failed ({}): {}",
        out.status,
        last.into_iter().rev().collect::<Vec<_>>().join(" / ")
    ))
}

/// The last lines of a log file, for error messages.
pub fn log_tail(log: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Sends `first` to `pid`, waits up to `grace` for it to go, then SIGKILL.
/// `child` is reaped when it is ours.
pub async fn stop_pid(pid: i32, first: i32, grace: Duration, mut child: Option<&mut Child>) {
    if pid <= 0 {
        return;
    }
    // SAFETY: plain syscall; ESRCH (gone) is fine.
    unsafe {
        libc::kill(pid, first);
    }
    let deadline = Instant::now() + grace;
    let mut killed = false;
    loop {
        let gone = match child.as_deref_mut() {
            Some(c) => !matches!(c.try_wait(), Ok(None)),
            None => !alive(pid),
        };
        if gone {
            return;
        }
        if Instant::now() >= deadline {
            if killed {
                return;
            }
            // SAFETY: as above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            killed = true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// SIGKILL now and reap (Drop paths).
pub fn kill_now(pid: i32, child: Option<&mut Child>) {
    if pid > 0 {
        // SAFETY: plain syscall.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    if let Some(c) = child {
        let _ = c.wait();
    }
}

/// A server serverlings started, stopped when this handle is (or, for one
/// that must outlive serverlings, `detach`ed).
/// Polls a started server with `probe` (its version query) until it
/// answers; notices an early exit (with the log's last lines); gives up at
/// `limit`. `name` and `what` make the messages: "postgres did not accept
/// connections within 30s".
pub async fn wait_ready<F, Fut>(
    inst: &mut Instance,
    log: &Path,
    name: &str,
    what: &str,
    probe: F,
    limit: Duration,
) -> Result<String, String>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let deadline = Instant::now() + limit;
    let mut backoff = Duration::from_millis(2);
    loop {
        if let Some(c) = inst.child.as_mut()
            && let Ok(Some(status)) = c.try_wait()
        {
            return Err(format!(
                "{name} exited ({status}); its log ends with:\n{}",
                log_tail(log, 8)
            ));
        }
        if let Ok(v) = probe(inst.state.url.clone()).await {
            return Ok(v);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{name} did not {what} within {}s; its log ends with:\n{}",
                limit.as_secs(),
                log_tail(log, 8)
            ));
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_millis(50));
    }
}

#[derive(Debug)]
pub struct Instance {
    pub kind: Kind,
    pub dir: PathBuf,
    pub state: State,
    pub child: Option<Child>,
    /// How long each stage of the start took (for the benchmark).
    pub startup: Vec<(&'static str, Duration)>,
    done: bool,
}

impl Instance {
    pub fn new(kind: Kind, dir: PathBuf, state: State, child: Child) -> Instance {
        Instance {
            kind,
            dir,
            state,
            child: Some(child),
            startup: Vec::new(),
            done: false,
        }
    }

    /// Stops the server gracefully (PostgreSQL: fast shutdown) and removes
    /// its folder.
    pub async fn stop(mut self) {
        stop_state(self.kind, &self.state, self.child.as_mut()).await;
        remove(&self.dir);
        self.done = true;
    }

    /// Leaves the server running (`services up`); its state file stays.
    pub fn detach(mut self) -> State {
        self.done = true;
        self.state.clone()
    }
}

/// Stops the server a state file describes.
pub async fn stop_state(kind: Kind, s: &State, child: Option<&mut Child>) {
    // SIGINT is PostgreSQL's fast shutdown; Redis saves nothing (no persistence).
    let sig = if kind == Kind::Postgres {
        libc::SIGINT
    } else {
        libc::SIGTERM
    };
    stop_pid(s.pid, sig, Duration::from_secs(10), child).await;
}

impl Drop for Instance {
    fn drop(&mut self) {
        if !self.done {
            kill_now(self.state.pid, self.child.as_mut());
            remove(&self.dir);
        }
    }
}
