//! Building and testing an exercise crate: one `cargo build` with JSON
//! messages gives the binaries, the test executables and the compiler's
//! rendered (coloured) diagnostics; tests are then run directly.

use serde::Deserialize;
use serverlings_proc::process::{Owned, Spawn};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    #[error(
        "cannot run cargo: {0}. Install Rust with rustup (https://rustup.rs) and make sure `cargo` is on PATH"
    )]
    Spawn(std::io::Error),
    #[error("cargo could not start the build: {0}")]
    Cargo(String),
}

#[derive(Debug, Default)]
pub struct Build {
    pub success: bool,
    /// Binary name → executable.
    pub bins: BTreeMap<String, PathBuf>,
    /// Test harnesses: (target name, executable).
    pub tests: Vec<(String, PathBuf)>,
    /// Rendered compiler messages (ANSI colours kept), errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Units cargo compiled in this run (as opposed to fresh ones).
    pub compiled: Vec<String>,
    pub fresh: Vec<String>,
    /// Cargo's own error lines (resolution failures, missing package).
    pub cargo_errors: Vec<String>,
    pub timed_out: bool,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub level: String,
    pub rendered: String,
}

/// One line of cargo's `--message-format=json` output (the fields the
/// checker and `prepare` read).
#[derive(Deserialize)]
pub struct Message {
    pub reason: String,
    #[serde(default)]
    pub package_id: String,
    pub target: Option<MsgTarget>,
    pub profile: Option<MsgProfile>,
    pub executable: Option<PathBuf>,
    #[serde(default)]
    pub fresh: bool,
    pub message: Option<CompilerMessage>,
    pub success: Option<bool>,
}

#[derive(Deserialize)]
pub struct MsgTarget {
    pub name: String,
    #[serde(default)]
    pub kind: Vec<String>,
}

#[derive(Deserialize)]
pub struct MsgProfile {
    pub test: bool,
}

#[derive(Deserialize)]
pub struct CompilerMessage {
    pub level: String,
    pub rendered: Option<String>,
}

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

/// `name v0.1.0` from a package id, in both of cargo's id formats.
fn unit_name(package_id: &str, target: &str) -> String {
    if let Some((_, rest)) = package_id.rsplit_once('#') {
        // path+file:///…/raw-server#0.1.0  or  registry+…#tokio@1.47.1
        if let Some((name, version)) = rest.split_once('@') {
            return format!("{name} {version}");
        }
        return format!("{target} {rest}");
    }
    package_id.split(' ').take(2).collect::<Vec<_>>().join(" ")
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

pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

/// `line` without escape sequences (see [`serverlings_core::ansi`]).
pub fn strip_ansi(line: &str) -> String {
    serverlings_core::ansi::strip(line)
}

/// The outcome of running a crate's test harnesses.
#[derive(Debug, Default)]
pub struct TestRun {
    pub passed: usize,
    pub failed: usize,
    pub ignored: usize,
    /// The full names of the tests that passed (`module::name`).
    pub passed_names: Vec<String>,
    /// The same, each after its target: `lib/tests::parses`,
    /// `api/round_trip` (tests/api.rs), `doc/src/lib.rs - slugify (line 7)`.
    pub passed_in: Vec<String>,
    /// Tests marked `#[ignore]`, as `target/name` (when asked for).
    pub ignored_in: Vec<String>,
    /// Output of the failing harnesses, from their `failures:` section.
    pub failure_output: Vec<String>,
    pub timed_out: Option<String>,
    /// A harness that crashed without a summary (exit status text).
    pub crashed: Vec<String>,
}

/// How the test harnesses are run.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestFlags {
    /// `--include-ignored`: the `#[ignore]` tests run too.
    pub include_ignored: bool,
    /// Also list which tests are marked `#[ignore]` (`--list --ignored`).
    pub list_ignored: bool,
}

/// Runs each test executable directly (no second cargo invocation).
pub async fn run_tests(
    tests: &[(String, PathBuf)],
    crate_dir: &Path,
    filter: Option<&str>,
    timeout: Duration,
    colour: bool,
    env: &[(String, String)],
    flags: TestFlags,
) -> std::io::Result<TestRun> {
    let mut run = TestRun::default();
    let deadline = tokio::time::Instant::now() + timeout;
    for (name, exe) in tests {
        let mut args = vec![
            "--color".to_string(),
            if colour { "always" } else { "never" }.to_string(),
        ];
        if let Some(f) = filter {
            args.push(f.to_string());
        }
        if flags.include_ignored {
            args.push("--include-ignored".into());
        }
        if flags.list_ignored {
            let mut list = tokio::process::Command::new(exe);
            list.args(["--list", "--ignored", "--format", "terse"])
                .current_dir(crate_dir)
                .env("CARGO_MANIFEST_DIR", crate_dir);
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if let Ok(out) = serverlings_proc::process::output_within(list, left).await {
                run.ignored_in.extend(
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .filter_map(|l| l.strip_suffix(": test"))
                        .map(|t| format!("{name}/{t}")),
                );
            }
        }
        let mut p = Owned::spawn(Spawn {
            program: exe,
            args,
            env: [
                (
                    "CARGO_MANIFEST_DIR".to_string(),
                    crate_dir.display().to_string(),
                ),
                ("RUST_BACKTRACE".to_string(), "0".to_string()),
            ]
            .into_iter()
            .chain(env.iter().cloned())
            .collect(),
            cwd: crate_dir,
        })?;
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let status = p.wait_for(left).await;
        // Every line the harness wrote before it exited (its pipes close).
        if status.is_some() {
            p.drained(Duration::from_secs(2)).await;
        }
        let lines: Vec<String> = p
            .tail
            .last(usize::MAX)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        let Some(status) = status else {
            p.stop(Duration::from_millis(200)).await;
            run.timed_out = Some(name.clone());
            run.failure_output
                .extend(lines.iter().rev().take(30).rev().cloned());
            return Ok(run);
        };
        let summary_seen = run.absorb(name, &lines);
        if !status.success() {
            if !summary_seen {
                run.crashed.push(format!(
                    "{name}: {}",
                    serverlings_proc::process::describe_exit(status)
                ));
            }
            let start = lines
                .iter()
                .position(|l| strip_ansi(l) == "failures:")
                .unwrap_or(0);
            run.failure_output
                .extend(first_failures(&lines[start..], 3));
        }
    }
    Ok(run)
}

impl TestRun {
    /// Counts and names from a harness's output; whether its summary line
    /// was there.
    fn absorb(&mut self, target: &str, lines: &[String]) -> bool {
        let mut summary_seen = false;
        for l in lines {
            let plain = strip_ansi(l);
            if let Some(name) = plain
                .strip_prefix("test ")
                .and_then(|r| r.strip_suffix(" ... ok"))
            {
                self.passed_names.push(name.to_string());
                self.passed_in.push(format!("{target}/{name}"));
            }
            if let Some(rest) = plain.strip_prefix("test result: ") {
                summary_seen = true;
                self.passed += count(rest, " passed");
                self.failed += count(rest, " failed");
                self.ignored += count(rest, " ignored");
            }
        }
        summary_seen
    }

    /// Adds the outcome of another run (the doc tests).
    pub fn merge(&mut self, other: TestRun) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
        self.passed_names.extend(other.passed_names);
        self.passed_in.extend(other.passed_in);
        self.ignored_in.extend(other.ignored_in);
        self.failure_output.extend(other.failure_output);
        self.crashed.extend(other.crashed);
        if self.timed_out.is_none() {
            self.timed_out = other.timed_out;
        }
    }
}

/// Runs the doc tests of `package` (`cargo test --doc`): rustdoc compiles
/// each example of its documentation and runs it. Their names are
/// `doc/src/lib.rs - item (line N)`.
pub async fn run_doc_tests(
    workspace: &Path,
    package: &str,
    filter: Option<&str>,
    timeout: Duration,
    colour: bool,
    env: &[(String, String)],
) -> std::io::Result<TestRun> {
    let mut run = TestRun::default();
    let mut args = vec![
        "test".to_string(),
        "--doc".into(),
        "-p".into(),
        package.into(),
        if colour {
            "--color=always"
        } else {
            "--color=never"
        }
        .into(),
        "--".into(),
        "--color".into(),
        if colour { "always" } else { "never" }.into(),
    ];
    if let Some(f) = filter {
        args.push(f.to_string());
    }
    let program = cargo_bin();
    let mut p = Owned::spawn(Spawn {
        program: &program,
        args,
        env: std::iter::once(("RUST_BACKTRACE".to_string(), "0".to_string()))
            .chain(env.iter().cloned())
            .collect(),
        cwd: workspace,
    })?;
    let status = p.wait_for(timeout).await;
    if status.is_some() {
        p.drained(Duration::from_secs(2)).await;
    }
    let lines: Vec<String> = p
        .tail
        .last(usize::MAX)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    let Some(status) = status else {
        p.stop(Duration::from_millis(200)).await;
        run.timed_out = Some("the doc tests".into());
        run.failure_output
            .extend(lines.iter().rev().take(30).rev().cloned());
        return Ok(run);
    };
    let summary_seen = run.absorb("doc", &lines);
    if !status.success() {
        if let Some(start) = lines.iter().position(|l| strip_ansi(l) == "failures:") {
            run.failure_output
                .extend(first_failures(&lines[start..], 3));
        } else {
            // rustdoc could not build the crate's docs: its errors are the news.
            let said: Vec<&String> = lines
                .iter()
                .filter(|l| !strip_ansi(l).trim_start().starts_with("Compiling"))
                .collect();
            run.failure_output.extend(
                said[said.len().saturating_sub(40)..]
                    .iter()
                    .map(|l| l.to_string()),
            );
            if !summary_seen {
                run.crashed.push(format!(
                    "the doc tests: {}",
                    serverlings_proc::process::describe_exit(status)
                ));
            }
        }
    }
    Ok(run)
}

/// The output of the first `n` failing tests, then the names of the rest:
/// a learner fixes one failure at a time.
fn first_failures(section: &[String], n: usize) -> Vec<String> {
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut names = Vec::new();
    let mut in_list = false;
    for l in section.iter().skip(1) {
        let plain = strip_ansi(l);
        if plain.starts_with("---- ") {
            blocks.push(vec![l.clone()]);
        } else if plain == "failures:" {
            in_list = true;
        } else if in_list {
            if !plain.trim().is_empty() && !plain.starts_with("test result:") {
                names.push(plain.trim().to_string());
            }
        } else if let Some(b) = blocks.last_mut()
            && !plain.starts_with("test result:")
            && !plain.starts_with("note: run with `RUST_BACKTRACE")
        {
            b.push(l.clone());
        }
    }
    // Tests finish in any order; show the lowest TODO first, since stubs
    // number their TODOs in the order to work on them.
    blocks.sort_by_key(|b| {
        b.iter()
            .filter_map(|l| lowest_todo(&strip_ansi(l)))
            .min()
            .unwrap_or(usize::MAX)
    });
    if blocks.is_empty() {
        return section
            .iter()
            .filter(|l| !strip_ansi(l).starts_with("test result:"))
            .cloned()
            .collect();
    }
    let mut out: Vec<String> = blocks
        .iter()
        .take(n)
        .flatten()
        .filter(|l| !strip_ansi(l).trim().is_empty())
        .cloned()
        .collect();
    if blocks.len() > n {
        let shown: Vec<String> = blocks
            .iter()
            .take(n)
            .filter_map(|b| b.first())
            .map(|h| strip_ansi(h))
            .collect();
        let rest: Vec<String> = names
            .into_iter()
            .filter(|name| {
                !shown
                    .iter()
                    .any(|h| h == &format!("---- {name} stdout ----"))
            })
            .collect();
        out.push(format!(
            "… and {} more failing test{}: {}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" },
            rest.join(", ")
        ));
    }
    out
}

/// The smallest `TODO(n)` mentioned in a line.
fn lowest_todo(line: &str) -> Option<usize> {
    line.match_indices("TODO(")
        .filter_map(|(i, _)| line[i + 5..].split(')').next()?.parse().ok())
        .min()
}

#[cfg(test)]
mod ansi_tests {
    #[test]
    fn every_escape_form_a_test_harness_writes_is_stripped() {
        // What `--color always` test harnesses print (terminfo's sgr0 ends
        // with ESC ( B).
        let l = "test result: \u{1b}[32mok\u{1b}(B\u{1b}[m. 6 passed; 0 failed";
        assert_eq!(super::strip_ansi(l), "test result: ok. 6 passed; 0 failed");
        let l = "test a::b ... \u{1b}[32mok\u{1b}(B\u{1b}[m";
        assert_eq!(super::strip_ansi(l), "test a::b ... ok");
        // TERM=screen / tmux: sgr0 is ESC [ m then SI.
        let l = "test result: \u{1b}[32mok\u{1b}[m\u{f}. 8 passed; 0 failed";
        assert_eq!(super::strip_ansi(l), "test result: ok. 8 passed; 0 failed");
        let l = "\u{1b}]8;;file:///x\u{1b}\\x\u{1b}]8;;\u{1b}\\ and \u{1b}]0;title\u{7}y";
        assert_eq!(super::strip_ansi(l), "x and y");
        assert_eq!(super::count("ok. 6 passed; 0 failed", " passed"), 6);
    }
}

fn count(summary: &str, word: &str) -> usize {
    summary
        .split(';')
        .map(|part| {
            part.trim()
                .trim_start_matches("ok.")
                .trim_start_matches("FAILED.")
                .trim()
        })
        .find_map(|part| {
            let (n, w) = part.split_once(' ')?;
            (w == word.trim()).then(|| n.parse().ok()).flatten()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let s = "ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(count(s, " passed"), 3);
        assert_eq!(count(s, " failed"), 0);
        assert_eq!(count(s, " ignored"), 1);
        let f = "FAILED. 2 passed; 5 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(count(f, " passed"), 2);
        assert_eq!(count(f, " failed"), 5);
    }

    /// The TUI runs harnesses with colours on: its counts must be the same
    /// as `serverlings check`'s ("✓ test — 0 passed" once showed there).
    #[test]
    fn coloured_harness_output_counts_like_plain() {
        let plain = [
            "test tests::ping_then_pong ... ok".to_string(),
            "test tests::as_they_finish ... ok".to_string(),
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s".to_string(),
        ];
        let coloured = [
            "test tests::ping_then_pong ... \x1b[32mok\x1b[0m".to_string(),
            "test tests::as_they_finish ... \x1b[32mok\x1b[0m".to_string(),
            "test result: \x1b[32mok\x1b[0m. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s".to_string(),
        ];
        let (mut a, mut b) = (TestRun::default(), TestRun::default());
        assert!(a.absorb("lib", &plain));
        assert!(b.absorb("lib", &coloured));
        assert_eq!((a.passed, a.passed_names.len()), (2, 2));
        assert_eq!((b.passed, b.passed_names), (a.passed, a.passed_names));
    }

    #[test]
    fn shows_the_first_failures_and_names_the_rest() {
        let section: Vec<String> = "failures:\n\n---- a stdout ----\npanicked: TODO(1)\nnote: run with `RUST_BACKTRACE=1`\n\n---- b stdout ----\nTODO(2)\n\n---- c stdout ----\nTODO(3)\n\nfailures:\n    a\n    b\n    c\n"
            .lines()
            .map(String::from)
            .collect();
        let out = first_failures(&section, 2);
        assert_eq!(
            out,
            [
                "---- a stdout ----",
                "panicked: TODO(1)",
                "---- b stdout ----",
                "TODO(2)",
                "… and 1 more failing test: c"
            ]
        );
        // Blocks are ordered by their TODO number, not by finishing order.
        let shuffled: Vec<String> = "failures:\n---- c stdout ----\nTODO(3)\n---- a stdout ----\nTODO(1)\nfailures:\n    c\n    a\ntest result: FAILED. 0 passed; 2 failed"
            .lines()
            .map(String::from)
            .collect();
        let out = first_failures(&shuffled, 1);
        assert_eq!(
            out,
            [
                "---- a stdout ----",
                "TODO(1)",
                "… and 1 more failing test: c"
            ]
        );
    }

    #[test]
    fn strips_colours() {
        assert_eq!(
            strip_ansi("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: x"),
            "error: x"
        );
    }

    #[test]
    fn unit_names_from_both_id_formats() {
        assert_eq!(
            unit_name(
                "registry+https://github.com/rust-lang/crates.io-index#tokio@1.47.1",
                "tokio"
            ),
            "tokio 1.47.1"
        );
        assert_eq!(
            unit_name(
                "path+file:///w/exercises/02-http/raw-server#0.1.0",
                "raw_server"
            ),
            "raw_server 0.1.0"
        );
    }
}
