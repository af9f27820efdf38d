//! `serverlings prepare`: compiles every exercise and solution crate of the
//! course — above all their shared dependencies — ahead of time, with a
//! progress bar (units done/total, ETA), so the first check of a part does
//! not stall for minutes.
//!
//! One `cargo build` with the same flags as a check (`--bins --tests`), so
//! every unit it leaves in the target dir is one a check reuses. The total
//! is counted from `cargo metadata`; progress from cargo's JSON messages.
//! Ctrl-C is passed to cargo, which stops between units and leaves the
//! target dir usable: running `prepare` again continues.

use crate::out::outln;
use crate::style::Style;
use anyhow::{Context, Result};
use serde::Deserialize;
use serverlings_core::course::Course;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, IsTerminal};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Instant;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CARGO_PID: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let pid = CARGO_PID.load(Ordering::SeqCst);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe. Cargo in our process group got
        // the terminal's Ctrl-C already; this covers a signal sent to us alone.
        unsafe {
            libc::kill(pid, libc::SIGINT);
        }
    }
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    resolve: Resolve,
    workspace_members: Vec<String>,
}

#[derive(Deserialize)]
struct Package {
    id: String,
    name: String,
    targets: Vec<MetaTarget>,
}

#[derive(Deserialize)]
struct MetaTarget {
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    id: String,
    deps: Vec<NodeDep>,
}

#[derive(Deserialize)]
struct NodeDep {
    pkg: String,
    dep_kinds: Vec<DepKind>,
}

#[derive(Deserialize)]
struct DepKind {
    kind: Option<String>,
}

use serverlings_runner::cargo::Message;

/// The packages of every exercise and solution.
fn packages(course: &Course) -> Vec<String> {
    course
        .exercises()
        .flat_map(|e| [e.stub_package(), e.solution_package()])
        .collect()
}

fn host_triple() -> Option<String> {
    let mut cmd = Command::new("rustc");
    cmd.arg("-vV");
    let out =
        serverlings_proc::process::output_within_sync(cmd, std::time::Duration::from_secs(30))
            .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(String::from))
}

/// How many units (compiled targets and build-script runs) building
/// `wanted` with `--bins --tests` makes, counted from the resolved graph.
fn count_units(meta: &Metadata, wanted: &[String]) -> u64 {
    let by_id: HashMap<&str, &Package> = meta.packages.iter().map(|p| (p.id.as_str(), p)).collect();
    let nodes: HashMap<&str, &Node> = meta
        .resolve
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n))
        .collect();
    let members: HashSet<&str> = meta.workspace_members.iter().map(String::as_str).collect();
    let roots: Vec<&str> = meta
        .packages
        .iter()
        .filter(|p| members.contains(p.id.as_str()) && wanted.contains(&p.name))
        .map(|p| p.id.as_str())
        .collect();
    let mut seen: HashSet<&str> = roots.iter().copied().collect();
    let mut queue: VecDeque<&str> = roots.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        let Some(node) = nodes.get(id) else { continue };
        let is_root = roots.contains(&id);
        for d in &node.deps {
            // Dev-dependencies are built for the crates under test only.
            let dev_only = d.dep_kinds.iter().all(|k| k.kind.as_deref() == Some("dev"));
            if (dev_only && !is_root) || !seen.insert(d.pkg.as_str()) {
                continue;
            }
            queue.push_back(d.pkg.as_str());
        }
    }
    let mut total = 0;
    for id in &seen {
        let Some(p) = by_id.get(id) else { continue };
        let has = |k: &str| {
            p.targets
                .iter()
                .filter(|t| t.kind.iter().any(|x| x == k))
                .count() as u64
        };
        let build_script = has("custom-build") * 2; // compile it, run it
        if roots.contains(id) {
            let lib = has("lib") + has("proc-macro");
            total += lib * 2 + has("bin") * 2 + has("test") + build_script;
        } else {
            total += (has("lib") + has("proc-macro") + has("rlib")).max(1) + build_script;
        }
    }
    total
}

pub fn run(course: &Course, style: Style) -> Result<ExitCode> {
    let wanted = packages(course);
    if wanted.is_empty() {
        outln!("the course has no exercises: nothing to prepare");
        return Ok(ExitCode::SUCCESS);
    }
    let cargo = serverlings_runner::cargo::cargo_bin();
    let mut meta_cmd = Command::new(&cargo);
    meta_cmd
        .args(["metadata", "--format-version", "1"])
        .current_dir(&course.root)
        .stderr(Stdio::inherit());
    if let Some(t) = host_triple() {
        meta_cmd.args(["--filter-platform", &t]);
    }
    let meta_out = meta_cmd.output().context("cannot run cargo metadata")?;
    anyhow::ensure!(
        meta_out.status.success(),
        "cargo metadata failed: see above"
    );
    let meta: Metadata =
        serde_json::from_slice(&meta_out.stdout).context("cannot read cargo metadata's output")?;
    let total = count_units(&meta, &wanted);
    let member_ids: HashMap<String, String> = meta
        .packages
        .iter()
        .filter(|p| wanted.contains(&p.name))
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();

    let mut cmd = Command::new(&cargo);
    cmd.arg("build");
    for p in &wanted {
        cmd.args(["-p", p]);
    }
    cmd.args(["--bins", "--tests", "--keep-going", "--message-format=json"])
        .current_dir(&course.root)
        .env(
            serverlings_proc::process::OWNER_VAR,
            serverlings_proc::process::new_mark(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: installs a handler that only stores a flag and calls kill.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as *const () as libc::sighandler_t,
        );
    }
    let mut child = cmd.spawn().context("cannot run cargo")?;
    CARGO_PID.store(child.id() as i32, Ordering::SeqCst);
    let stderr = child.stderr.take().context("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .filter(|l| l.starts_with("error") || l.starts_with("  "))
            .collect::<Vec<_>>()
    });

    let tty = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(total);
    if tty {
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:30} {pos}/{len} units  {elapsed} elapsed, ETA {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = Instant::now();
    // `compiled`: units rustc built now (build-script runs are not counted:
    // cargo reports them every time).
    let (mut done, mut compiled, mut last_report) = (0u64, 0u64, 0u64);
    let mut broken: Vec<String> = Vec::new();
    let mut success = false;
    let stdout = child.stdout.take().context("no stdout")?;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(m) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        match m.reason.as_str() {
            "compiler-artifact" | "build-script-executed" => {
                done += 1;
                if m.reason == "compiler-artifact" && !m.fresh {
                    compiled += 1;
                }
                if done >= bar.length().unwrap_or(0) {
                    bar.set_length(done + 1);
                }
                bar.set_position(done);
                if let Some(t) = &m.target {
                    bar.set_message(t.name.clone());
                }
                if !tty && done * 4 / total.max(1) > last_report {
                    last_report = done * 4 / total.max(1);
                    outln!(
                        "prepare: {done}/{total} units ({}s)",
                        started.elapsed().as_secs()
                    );
                }
            }
            "compiler-message" if m.message.as_ref().is_some_and(|c| c.level == "error") => {
                if let Some(name) = member_ids.get(&m.package_id)
                    && !broken.contains(name)
                {
                    broken.push(name.clone());
                }
            }
            "build-finished" => success = m.success == Some(true),
            _ => {}
        }
    }
    let status = child.wait().context("cannot wait for cargo")?;
    CARGO_PID.store(0, Ordering::SeqCst);
    bar.finish_and_clear();
    let errors = err_reader.join().unwrap_or_default();
    let took = serverlings_core::duration::show(started.elapsed());
    if INTERRUPTED.load(Ordering::SeqCst) {
        outln!(
            "stopped after {took}: {done} of about {total} units ready. The target dir is fine: `serverlings prepare` continues from here."
        );
        return Ok(ExitCode::from(130));
    }
    if success
        || (status.code() == Some(101)
            && !broken.is_empty()
            && only_member_errors(&errors, &broken))
    {
        outln!(
            "{} {done} units ready ({compiled} compiled now, the others already were) in {took}: checks start without waiting for dependencies",
            style.green("✓")
        );
        if !broken.is_empty() {
            outln!(
                "  {} crate{} of the course do{} not compile yet (work in progress is fine): {}",
                broken.len(),
                if broken.len() == 1 { "" } else { "s" },
                if broken.len() == 1 { "es" } else { "" },
                broken.join(", ")
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    for e in errors.iter().take(20) {
        eprintln!("{e}");
    }
    anyhow::bail!(
        "cargo could not build the course's dependencies ({status}); the lines above say why. Run `serverlings prepare` again once it is fixed: what was built is kept"
    )
}

/// Whether every "could not compile `x`" names a crate of the course.
fn only_member_errors(errors: &[String], broken: &[String]) -> bool {
    errors
        .iter()
        .filter_map(|l| l.split("could not compile `").nth(1)?.split('`').next())
        .all(|name| broken.iter().any(|b| b == name))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_course_crates_failing_is_fine() {
        let errors = vec!["error: could not compile `fx-no-compile` (bin \"fx-no-compile\") due to 1 previous error".to_string()];
        assert!(super::only_member_errors(
            &errors,
            &["fx-no-compile".into()]
        ));
        assert!(!super::only_member_errors(&errors, &["other".into()]));
    }
}
