//! `cargo build` of an exercise crate: one run with JSON messages gives the
//! binaries, the test executables and the rendered diagnostics; its process
//! group goes when the build does.

use super::messages::{Message, unit_name};
use super::{Build, CargoError, Diagnostic, cargo_bin, strip_ansi};
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// Builds `package`'s binaries and tests in the course workspace, with extra
/// environment for cargo (e.g. `CARGO_TARGET_DIR`).
pub async fn build_in(
    root: &Path,
    package: &str,
    timeout: Duration,
    colour: bool,
    env: &[(String, String)],
) -> Result<Build, CargoError> {
    let mut cmd = Command::new(cargo_bin());
    cmd.args([
        "build",
        "-p",
        package,
        "--bins",
        "--tests",
        "--message-format=json-diagnostic-rendered-ansi",
    ])
    .arg(if colour {
        "--color=always"
    } else {
        "--color=never"
    })
    .current_dir(root)
    .envs(env.iter().map(|(k, v)| (k, v)))
    // Marks cargo and every rustc and build script under it, so a
    // serverlings killed mid-build has them ended at its next start.
    .env(
        serverlings_proc::process::OWNER_VAR,
        serverlings_proc::process::new_mark(),
    )
    .stdin(std::process::Stdio::null())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .process_group(0)
    .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(CargoError::Spawn)?;
    let pid = child.id().unwrap_or(0) as i32;
    // Kill cargo and its rustc children if the check is cancelled or times out.
    let _guard = GroupGuard(pid);
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| CargoError::Cargo("no stdout".into()))?;
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| CargoError::Cargo("no stderr".into()))?;

    let err_task = tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        let mut errors = Vec::new();
        while let Ok(Some(l)) = lines.next_line().await {
            let plain = strip_ansi(&l);
            if plain.starts_with("error")
                || (!errors.is_empty() && !plain.trim().is_empty() && !plain.starts_with("warning"))
            {
                errors.push(plain);
            }
        }
        errors
    });

    let mut out = Build::default();
    let read = async {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(msg) = serde_json::from_str::<Message>(&line) else {
                continue;
            };
            match msg.reason.as_str() {
                "compiler-artifact" => {
                    let Some(target) = msg.target else { continue };
                    let unit = format!(
                        "{} ({})",
                        unit_name(&msg.package_id, &target.name),
                        target.kind.join(",")
                    );
                    if msg.fresh {
                        out.fresh.push(unit)
                    } else {
                        out.compiled.push(unit)
                    }
                    let is_test = msg.profile.as_ref().is_some_and(|p| p.test);
                    if let Some(exe) = msg.executable {
                        if is_test {
                            // The library's unit tests are `lib` (its name
                            // is the crate's); the others keep theirs.
                            let name = if target.kind.iter().any(|k| k.ends_with("lib")) {
                                "lib".to_string()
                            } else {
                                target.name
                            };
                            out.tests.push((name, exe));
                        } else if target.kind.iter().any(|k| k == "bin") {
                            out.bins.insert(target.name, exe);
                        }
                    }
                }
                "compiler-message" => {
                    if let Some(m) = msg.message
                        && let Some(rendered) = m.rendered
                        && (m.level == "error" || m.level == "warning")
                    {
                        // Summary lines ("aborting due to …") add nothing.
                        // The bin and its test harness compile the same file:
                        // show each message once.
                        if !rendered.contains("aborting due to")
                            && !out.diagnostics.iter().any(|d| d.rendered == rendered)
                        {
                            out.diagnostics.push(Diagnostic {
                                level: m.level,
                                rendered,
                            });
                        }
                    }
                }
                "build-finished" => out.success = msg.success.unwrap_or(false),
                _ => {}
            }
        }
    };
    if tokio::time::timeout(timeout, read).await.is_err() {
        out.timed_out = true;
        out.success = false;
        return Ok(out);
    }
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
    out.cargo_errors = err_task.await.unwrap_or_default();
    if !out.diagnostics.is_empty() {
        // "could not compile …" only repeats what the diagnostics say.
        out.cargo_errors.retain(|l| {
            !l.starts_with("error: could not compile") && !l.starts_with("warning: build failed")
        });
    }
    if let Ok(Ok(s)) = status
        && !s.success()
    {
        out.success = false;
    }
    Ok(out)
}

struct GroupGuard(i32);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if self.0 > 0 {
            // SAFETY: plain syscall; the group may already be gone (ESRCH).
            unsafe {
                libc::killpg(self.0, libc::SIGKILL);
            }
        }
    }
}
