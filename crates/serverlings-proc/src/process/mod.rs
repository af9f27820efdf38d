//! Child processes serverlings owns: each runs in its own process group,
//! with stdin closed and stdout/stderr read line by line into a bounded tail.
//! Dropping the handle kills the whole group and reaps the leader, so a
//! server is never left holding a port (also on panic and Ctrl-C).

mod mark;
mod output;
#[cfg(test)]
mod output_tests;
mod run;
mod teardown;

pub use mark::{OWNER_VAR, end_orphans, marked, new_mark};
pub use output::{Stream, Tail};
pub use run::{describe_exit, output_within, output_within_sync};

use output::pump;
use std::io;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tokio::process::{Child, Command};

/// A running child in its own process group.
#[derive(Debug)]
pub struct Owned {
    child: Child,
    pid: i32,
    pub tail: Tail,
    /// How many of its output pipes are still open.
    pipes: tokio::sync::watch::Receiver<usize>,
    exited: Option<ExitStatus>,
    /// The group was killed and the leader reaped: nothing left to signal.
    done: bool,
    /// The value of `SERVERLINGS_OWNER` in its environment, which every
    /// descendant inherits: how those that left the group are found.
    mark: String,
    /// Processes that had left its group (setsid, a double fork) and were
    /// ended by `stop`: "pid 4242 (daemon) listening on 127.0.0.1:8080".
    pub escaped: Vec<String>,
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
        let mark = new_mark();
        let mut cmd = Command::new(s.program);
        cmd.args(&s.args)
            .envs(s.env.iter().map(|(k, v)| (k, v)))
            .env(OWNER_VAR, &mark)
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
        let (open, pipes) = tokio::sync::watch::channel(2usize);
        let open = Arc::new(open);
        match child.stdout.take() {
            Some(out) => pump(out, Stream::Stdout, tail.clone(), open.clone()),
            None => open.send_modify(|n| *n -= 1),
        }
        match child.stderr.take() {
            Some(err) => pump(err, Stream::Stderr, tail.clone(), open.clone()),
            None => open.send_modify(|n| *n -= 1),
        }
        Ok(Owned {
            child,
            pid,
            tail,
            pipes,
            exited: None,
            done: false,
            mark,
            escaped: Vec::new(),
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

    /// Waits (up to `limit`) until the process's output pipes are closed and
    /// every line it wrote is in the tail: after its exit, the last lines.
    pub async fn drained(&self, limit: Duration) -> bool {
        let mut pipes = self.pipes.clone();
        tokio::time::timeout(limit, pipes.wait_for(|n| *n == 0))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}
