//! Running the test harnesses directly, and the doc tests through
//! `cargo test --doc`: libtest's summaries counted, the first failures shown.

use super::{cargo_bin, strip_ansi};
use serverlings_proc::process::{Owned, Spawn};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    pub(super) fn absorb(&mut self, target: &str, lines: &[String]) -> bool {
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
pub(super) fn first_failures(section: &[String], n: usize) -> Vec<String> {
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
pub(super) fn lowest_todo(line: &str) -> Option<usize> {
    line.match_indices("TODO(")
        .filter_map(|(i, _)| line[i + 5..].split(')').next()?.parse().ok())
        .min()
}

pub(super) fn count(summary: &str, word: &str) -> usize {
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
