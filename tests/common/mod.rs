//! Helpers shared by serverlings' integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_serverlings")
}

pub fn fixture_course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fixture crates build into the test's own scratch target dir. The first
/// call of a test process builds the whole fixture workspace there in one
/// cargo invocation, so no check's build deadline (nor a readiness wait)
/// includes compiling the fixtures' dependencies on a cold cache.
pub fn fixture_target() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target");
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        // --keep-going: fx-no-compile fails on purpose; fx-slow-build is
        // built by the tests that time its deadline, with FX_SLOW_BUILD.
        let status = Command::new(cargo)
            .args([
                "build",
                "--workspace",
                "--bins",
                "--tests",
                "--keep-going",
                "--quiet",
            ])
            .args([
                "--exclude",
                "fx-slow-build",
                "--exclude",
                "fx-slow-build-solution",
            ])
            .arg("--manifest-path")
            .arg(fixture_course().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        assert!(status.is_ok(), "cargo did not start: {status:?}");
    });
    target
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

pub fn serverlings(course: &Path, args: &[&str]) -> Run {
    serverlings_env(course, args, &[])
}

/// The same, with more environment for serverlings (and so for cargo and
/// the learner's processes).
pub fn serverlings_env(course: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    // Copies of the fixture course build into their own target dir: two
    // packages of one name sharing a target dir would overwrite each
    // other's binaries.
    let target = if course == fixture_course() {
        fixture_target()
    } else {
        course.join("target")
    };
    let out: Output = Command::new(bin())
        .args(args)
        .arg("--course")
        .arg(course)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("serverlings runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// A copy of the fixture course in a fresh temporary folder (no build output).
pub fn copy_of_fixture(label: &str) -> PathBuf {
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("course-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dest);
    copy_dir(&fixture_course(), &dest);
    dest
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "target" || name == ".serverlings" || name == ".git" {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// Live (non-zombie) processes whose command line mentions `needle`.
pub fn live_processes(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = e.file_name().to_string_lossy().into_owned();
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if !cmd.contains(needle) {
            continue;
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?");
        if state != "Z" && state != "X" {
            found.push(format!("{pid} {state} {cmd}"));
        }
    }
    found
}

/// Waits up to a second for processes to be gone (SIGKILL takes a moment).
/// `debug/<name>` means this checkout's fixture binary, so test runs of
/// other checkouts on the machine do not count.
pub fn assert_no_process(needle: &str) {
    let owned;
    let needle = if needle.starts_with("debug/") {
        owned = fixture_target().join(needle).display().to_string();
        owned.as_str()
    } else {
        needle
    };
    let deadline = Instant::now() + Duration::from_secs(1);

    loop {
        let live = live_processes(needle);
        if live.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "processes left behind: {live:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn assert_port_free(port: u16) {
    std::net::TcpListener::bind(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("port {port} is still taken: {e}"));
}

/// The JSON lines of `--format json`.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}
