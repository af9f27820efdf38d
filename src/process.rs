//! Child processes serverlings owns: each runs in its own process group,
//! with stdin closed and stdout/stderr read line by line into a bounded tail.
//! Dropping the handle kills the whole group and reaps the leader, so a
//! server is never left holding a port (also on panic and Ctrl-C).

use std::collections::VecDeque;
use std::io;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

const TAIL_LINES: usize = 5000;

/// The last lines a process wrote, tagged by stream, and how many it wrote
/// in all (so a caller can ask for the lines since a moment).
#[derive(Debug, Clone, Default)]
pub struct Tail(Arc<Mutex<Lines>>);

#[derive(Debug, Default)]
struct Lines {
    kept: VecDeque<(Stream, String)>,
    total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Tail {
    fn push(&self, stream: Stream, line: String) {
        let mut q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if q.kept.len() == TAIL_LINES {
            q.kept.pop_front();
        }
        q.kept.push_back((stream, line));
        q.total += 1;
    }

    /// The last `n` lines of both streams, in the order they arrived.
    pub fn last(&self, n: usize) -> Vec<(Stream, String)> {
        let q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        q.kept
            .iter()
            .skip(q.kept.len().saturating_sub(n))
            .cloned()
            .collect()
    }

    /// How many lines were written so far.
    pub fn mark(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// The lines written since `mark` (as many as are still kept).
    pub fn since(&self, mark: usize) -> Vec<(Stream, String)> {
        let q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let first_kept = q.total - q.kept.len();
        q.kept
            .iter()
            .skip(mark.saturating_sub(first_kept))
            .cloned()
            .collect()
    }

    /// The last `n` lines, formatted for a report (`stderr| ...`).
    pub fn render(&self, n: usize) -> Vec<String> {
        self.last(n)
            .into_iter()
            .map(|(s, l)| {
                format!(
                    "{}| {l}",
                    if s == Stream::Stdout {
                        "stdout"
                    } else {
                        "stderr"
                    }
                )
            })
            .collect()
    }
}

/// A running child in its own process group.
#[derive(Debug)]
pub struct Owned {
    child: Child,
    pid: i32,
    pub tail: Tail,
    exited: Option<ExitStatus>,
    /// The group was killed and the leader reaped: nothing left to signal.
    done: bool,
}

/// How to start one.
pub struct Spawn<'a> {
    pub program: &'a Path,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: &'a Path,
}

impl Owned {
    pub fn spawn(s: Spawn<'_>) -> io::Result<Owned> {
        let mut cmd = Command::new(s.program);
        cmd.args(&s.args)
            .envs(s.env.iter().map(|(k, v)| (k, v)))
            .current_dir(s.cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        // If serverlings itself is killed with SIGKILL, the kernel kills the
        // child's leader too (Linux), so no orphaned server keeps the port.
        #[cfg(target_os = "linux")]
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        let pid = child.id().map(|p| p as i32).unwrap_or(0);
        let tail = Tail::default();
        if let Some(out) = child.stdout.take() {
            pump(out, Stream::Stdout, tail.clone());
        }
        if let Some(err) = child.stderr.take() {
            pump(err, Stream::Stderr, tail.clone());
        }
        Ok(Owned {
            child,
            pid,
            tail,
            exited: None,
            done: false,
        })
    }

    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The exit status if the leader has exited, without waiting.

    pub fn try_exited(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Waits for the leader to exit, up to `limit`.
    pub async fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        if let Some(s) = self.try_exited() {
            return Some(s);
        }
        match tokio::time::timeout(limit, self.child.wait()).await {
            Ok(Ok(s)) => {
                self.exited = Some(s);
                Some(s)
            }
            _ => None,
        }
    }

    /// Sends a signal to the whole group.
    pub fn signal_group(&self, sig: i32) {
        if self.pid > 0 && !self.done {
            // SAFETY: plain syscall; ESRCH (group gone) is fine.
            unsafe {
                libc::killpg(self.pid, sig);
            }
        }
    }

    /// SIGTERM, up to `grace` for the leader to exit, then SIGKILL of the
    /// whole group (stragglers included) and a bounded wait.
    /// Returns the exit status and whether it had to be killed.
    pub async fn stop(&mut self, grace: Duration) -> (Option<ExitStatus>, bool) {
        let mut killed = false;
        if self.try_exited().is_none() {
            self.signal_group(libc::SIGTERM);
            if self.wait_for(grace).await.is_none() {
                killed = true;
            }
        }
        // Children that outlive the leader still hold the group: kill them too.
        self.signal_group(libc::SIGKILL);
        let status = self.wait_for(Duration::from_secs(5)).await;
        // A forked child dies a moment after the leader; its sockets (a
        // listening port) are only released once it has exited.
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while group_alive(self.pid) && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        self.done = status.is_some();
        (status, killed)
    }
}

/// Whether a process of group `pgid` is still running (zombies have already
/// closed their files: they do not count). Linux reads /proc; elsewhere the
/// answer is "no" and the wait above is skipped.
fn group_alive(pgid: i32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            return false;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return false;
        };
        // After the command name in parentheses: state, ppid, pgrp, …
        let mut fields = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace())
            .into_iter()
            .flatten();
        let state = fields.next().unwrap_or("");
        let pgrp = fields.nth(1).and_then(|g| g.parse::<i32>().ok());
        pgrp == Some(pgid) && state != "Z" && state != "X"
    })
}

impl Drop for Owned {
    fn drop(&mut self) {
        // Always kill the group: a child may have forked and kept the port.
        self.signal_group(libc::SIGKILL);
        if self.exited.is_none() {
            // Reap the leader now (it dies at once on SIGKILL) so no zombie
            // lingers; give up after a short bounded wait.
            for _ in 0..200 {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        if !self.done {
            for _ in 0..500 {
                if !group_alive(self.pid) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

fn pump<R: AsyncRead + Unpin + Send + 'static>(r: R, stream: Stream, tail: Tail) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(r).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            tail.push(stream, line);
        }
    });
}

/// "exit code 3" or "killed by signal 9 (SIGKILL)".
pub fn describe_exit(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        format!("exit code {code}")
    } else if let Some(sig) = status.signal() {
        let name = match sig {
            libc::SIGSEGV => " (SIGSEGV: a crash)",
            libc::SIGABRT => " (SIGABRT: an abort, e.g. a panic in a panic)",
            libc::SIGKILL => " (SIGKILL)",
            libc::SIGTERM => " (SIGTERM)",
            libc::SIGINT => " (SIGINT)",
            _ => "",
        };
        format!("killed by signal {sig}{name}")
    } else {
        "an unknown status".to_string()
    }
}
