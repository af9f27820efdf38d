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
/// A line longer than this is cut (the rest of it is dropped, with a note).
const MAX_LINE: usize = 16 * 1024;

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
fn describe_proc(p: &crate::procs::Proc) -> String {
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

    /// Its descendants that left its process group and are still running.
    pub fn strays(&self) -> Vec<crate::procs::Proc> {
        let pgid = self.pid;
        marked(&|v| v == self.mark)
            .into_iter()
            .filter(|p| p.pgrp != pgid)
            .collect()
    }

    /// Ends the strays, noting each in `escaped`.
    fn end_strays(&mut self) {
        for p in self.strays() {
            self.escaped.push(describe_proc(&p));
            // SAFETY: plain syscall on a pid just read from /proc.
            unsafe {
                libc::kill(p.pid, libc::SIGKILL);
            }
        }
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
        // Children that outlive the leader still hold the group: kill them
        // too, and those that left the group.
        self.signal_group(libc::SIGKILL);
        self.end_strays();
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
        if !self.done {
            self.end_strays();
        }
        if tokio::runtime::Handle::try_current().is_ok() {
            // On a runtime's thread nothing here may sleep: tokio reaps a
            // child dropped unwaited when its SIGCHLD comes, and the wait
            // for the rest of the group goes to the blocking pool.
            if !self.done {
                let pid = self.pid;
                drop(tokio::task::spawn_blocking(move || {
                    for _ in 0..500 {
                        if !group_alive(pid) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }));
            }
            return;
        }
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

/// Reads a pipe as bytes, line by line: a line is decoded lossily (a bad
/// byte does not stop the reading, so the child never dies of SIGPIPE), and
/// cut at `MAX_LINE` with a note.
fn pump<R: AsyncRead + Unpin + Send + 'static>(
    r: R,
    stream: Stream,
    tail: Tail,
    open: Arc<tokio::sync::watch::Sender<usize>>,
) {
    tokio::spawn(async move {
        let mut reader = BufReader::new(r);
        let mut line = Vec::new();
        loop {
            line.clear();
            let mut cut = false;
            // Read up to a newline, keeping at most MAX_LINE bytes of it.
            let done = loop {
                let buf = match reader.fill_buf().await {
                    Ok(b) => b,
                    Err(_) => break true,
                };
                if buf.is_empty() {
                    break true;
                }
                let (take, newline) = match buf.iter().position(|b| *b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                let room = MAX_LINE.saturating_sub(line.len());
                line.extend_from_slice(&buf[..take.min(room)]);
                cut |= take > room;
                reader.consume(take);
                if newline {
                    break false;
                }
            };
            if !line.is_empty() {
                while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    line.pop();
                }
                let mut text = String::from_utf8_lossy(&line).into_owned();
                if cut {
                    text.push_str(&format!(" … [line cut at {MAX_LINE} bytes]"));
                }
                tail.push(stream, text);
            }
            if done {
                break;
            }
        }
        open.send_modify(|n| *n = n.saturating_sub(1));
    });
}

/// Runs a short command to its end and collects its output, within
/// `limit`: in its own process group (so a VM or a shell pipeline it starts
/// goes with it), stdin closed, marked with `SERVERLINGS_OWNER`. At the
/// limit the whole group is killed and the error says how long it waited.
pub async fn output_within(
    mut cmd: tokio::process::Command,
    limit: Duration,
) -> io::Result<std::process::Output> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .env(OWNER_VAR, new_mark());
    let child = cmd.spawn()?;
    let pid = child.id().map_or(0, |p| p as i32);
    match tokio::time::timeout(limit, child.wait_with_output()).await {
        Ok(out) => out,
        Err(_) => {
            if pid > 0 {
                // SAFETY: plain syscall on the group we made; the leader is
                // not reaped yet (wait_with_output was cut short).
                unsafe {
                    libc::killpg(pid, libc::SIGKILL);
                }
            }
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "no answer within {}",
                    serverlings_core::duration::show(limit)
                ),
            ))
        }
    }
}

/// The same for code without a runtime: doctor, version probes.
pub fn output_within_sync(
    mut cmd: std::process::Command,
    limit: Duration,
) -> io::Result<std::process::Output> {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .env(OWNER_VAR, new_mark());
    let mut child = cmd.spawn()?;
    let pid = child.id() as i32;
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = pipe(
        child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn Read + Send>),
    );
    let err = pipe(
        child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn Read + Send>),
    );
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if std::time::Instant::now() >= deadline {
            // SAFETY: the leader is not reaped yet: its group is ours.
            unsafe {
                libc::killpg(pid, libc::SIGKILL);
            }
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "no answer within {}",
                    serverlings_core::duration::show(limit)
                ),
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(std::process::Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
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

#[cfg(test)]
mod output_tests {
    use super::*;

    fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| !s.contains(") Z ") && !s.contains(") X "))
    }

    #[test]
    fn a_command_past_its_limit_is_killed_with_what_it_started() {
        // A shell that starts a background child and waits on it: the
        // child is in the group and goes too.
        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", "sleep 30 & echo $!; wait"]);
        let started = std::time::Instant::now();
        let e = output_within_sync(cmd, Duration::from_millis(300)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(e.to_string().contains("300ms"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(3));
        // The background sleep carried the mark; none of this test's is left.
        std::thread::sleep(Duration::from_millis(100));
        let left = marked(&|v| v.starts_with(&format!("{}.", std::process::id())));
        assert!(
            left.iter().all(|p| p.comm != "sleep" || !alive(p.pid)),
            "{left:?}"
        );

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut cmd = tokio::process::Command::new("sh");
        cmd.args(["-c", "sleep 30 & wait"]);
        let e = rt
            .block_on(output_within(cmd, Duration::from_millis(300)))
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        std::thread::sleep(Duration::from_millis(100));
        let left = marked(&|v| v.starts_with(&format!("{}.", std::process::id())));
        assert!(left.iter().all(|p| p.comm != "sleep"), "{left:?}");

        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2"]);
        let out = output_within_sync(cmd, Duration::from_secs(10)).unwrap();
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
    }
}
