//! Short commands run to their end with a time limit (`output_within`,
//! `output_within_sync`), and how an exit is described.

use super::OWNER_VAR;
use super::mark::new_mark;
use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

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
