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

use tokio::signal::unix::{Signal, SignalKind, signal};

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

/// The signals passed on to the server, as `tini` passes them.
const FORWARDED: [libc::c_int; 6] = [
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

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
    // One thread is plenty: the init only waits for signals.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("init: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(supervise(app)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("init: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the server until it exits; forwards signals, reaps every child,
/// and returns the exit code the init must exit with.
async fn supervise(app: PathBuf) -> std::io::Result<u8> {
    // Every handler is in place before the child exists: a signal that
    // arrives in between is not lost, and neither is an early SIGCHLD.
    let mut children = signal(SignalKind::child())?;
    let mut handlers: Vec<(libc::c_int, Signal)> = Vec::new();
    for sig in FORWARDED {
        handlers.push((sig, signal(SignalKind::from_raw(sig))?));
    }
    let child = Command::new(&app).spawn().map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot start {}: {e}", app.display()))
    })?;
    let Ok(server) = libc::pid_t::try_from(child.id()) else {
        return Err(std::io::Error::other(
            "the child's pid does not fit a pid_t",
        ));
    };
    // The std handle is not used to wait: waitpid(-1) below reaps it.
    drop(child);
    let [term, int, hup, quit, usr1, usr2] = &mut handlers[..] else {
        unreachable!("six handlers were installed");
    };
    loop {
        if let Some(code) = reap(server) {
            return Ok(code);
        }
        let sig = tokio::select! {
            _ = children.recv() => continue,
            _ = term.1.recv() => term.0,
            _ = int.1.recv() => int.0,
            _ = hup.1.recv() => hup.0,
            _ = quit.1.recv() => quit.0,
            _ = usr1.1.recv() => usr1.0,
            _ = usr2.1.recv() => usr2.0,
        };
        // SAFETY: kill(2) on our own child, not reaped yet (reap() returns
        // as soon as it is), so the pid cannot belong to another process.
        unsafe {
            libc::kill(server, sig);
        }
    }
}

/// Collects every child that has exited, adopted orphans included.
/// Returns the server's exit code once the server is among them.
fn reap(server: libc::pid_t) -> Option<u8> {
    let mut server_code = None;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: waitpid writes the status into a local integer.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        // 0: children left, none exited; -1 (ECHILD): no children at all.
        if pid <= 0 {
            return server_code;
        }
        if pid == server {
            server_code = Some(exit_code(status));
        }
    }
}

/// The shell's convention: the exit code, or 128 + the signal's number.
fn exit_code(status: libc::c_int) -> u8 {
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else if libc::WIFSIGNALED(status) {
        128 + libc::WTERMSIG(status)
    } else {
        1
    };
    u8::try_from(code).unwrap_or(u8::MAX)
}
