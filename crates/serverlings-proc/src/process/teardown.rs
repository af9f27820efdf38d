//! Ending an owned process: signals to its group, TERM → grace → KILL,
//! the strays that left the group, and the kill on drop.

use super::Owned;
use super::mark::{describe_proc, marked};
use std::process::ExitStatus;
use std::time::Duration;

impl Owned {
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
