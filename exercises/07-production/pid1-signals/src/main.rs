//! # pid1-signals: a tiny init
//!
//! In a container, the first process is PID 1: signals it has no handler
//! for do nothing, and every orphan in the container becomes its child.
//! This binary is the init that sits there, like `tini`: it starts the
//! server (the crate's second binary, `src/app.rs`, given) as its child and
//! then, until the server exits:
//!
//! - forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to it
//!   (TODO 1);
//! - reaps every child that exits, the server and every orphan it adopted,
//!   so no zombie stays in the process table (TODO 2);
//! - exits with the server's exit code, or 128 + the signal number if a
//!   signal killed it (TODO 3).
//!
//! Off PID 1 (on your machine, under the checker) orphans go to the
//! nearest ancestor that declared itself a child subreaper: `main` does
//! that first (given), so the init adopts them as PID 1 would.
//!
//! Checked by: the checker starts this init, makes the server leave
//! orphans behind, and reads the process tree from /proc until every
//! orphan is gone and no zombie is left; then it sends SIGTERM while a slow
//! request is running (it must be answered, and the init must exit with
//! the server's exit code, drawn at random), starts it again and sends
//! SIGINT.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The server's binary: `<this binary's name>-app`, beside this one.
fn app_path() -> std::io::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let name = me
        .file_name()
        .map(|n| format!("{}-app", n.to_string_lossy()))
        .unwrap_or_default();
    Ok(me.with_file_name(name))
}

/// Orphans of our descendants are re-parented to us (as to PID 1).
fn become_subreaper() -> std::io::Result<()> {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes a plain integer flag.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn main() -> ExitCode {
    if let Err(e) = become_subreaper() {
        eprintln!("init: cannot become a child subreaper: {e}");
    }
    let app = match app_path() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("init: cannot find the server's binary: {e}");
            return ExitCode::FAILURE;
        }
    };
    // TODO(1): install handlers for SIGTERM, SIGINT, SIGHUP, SIGQUIT,
    // SIGUSR1 and SIGUSR2 (before the child starts, so none is lost), and
    // send each one that arrives to the child with libc::kill(pid, sig).
    // Without a handler, a SIGTERM kills this init and the server never
    // hears of it (as PID 1 in a container, it would be ignored instead).
    let mut child = match Command::new(&app).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("init: cannot start {}: {e}", app.display());
            return ExitCode::FAILURE;
        }
    };
    // TODO(2): this waits for the server only. Orphans adopted by this
    // init exit too, and each stays a zombie until someone waits for it.
    // Each time SIGCHLD arrives, reap with libc::waitpid(-1, .., WNOHANG)
    // in a loop until it returns 0 (children still running) or -1 (none
    // left): that collects the server and every orphan alike.
    let status = child.wait();
    // TODO(3): exit with the server's status: its exit code, or 128 + the
    // signal number when a signal killed it (libc::WIFEXITED,
    // WEXITSTATUS, WIFSIGNALED, WTERMSIG on the raw status from waitpid).
    eprintln!("init: the server ended ({status:?})");
    ExitCode::SUCCESS
}
