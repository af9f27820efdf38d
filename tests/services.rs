//! Real services for checks, on this machine: PostgreSQL and Redis started
//! on demand and by `services up`, URLs from the environment, isolation of
//! parallel checks, the install message, and recovery after SIGKILL.
//!
//! These need a local PostgreSQL and Redis installation (and, for the env
//! URL case, servers on 5432/6379). Without them a test says so and
//! passes, unless `SERVERLINGS_REQUIRE_SERVICES=1` (CI) makes that a failure.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const URL_VARS: [&str; 4] = ["DATABASE_URL", "REDIS_URL", "AMQP_URL", "MYSQL_URL"];

/// Whether this machine can run the test; if not, say so (or fail in CI).
fn have(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("SERVERLINGS_REQUIRE_SERVICES").is_none(),
            "this machine lacks {what}, and SERVERLINGS_REQUIRE_SERVICES is set"
        );
        eprintln!("skipped: this machine lacks {what}");
    }
    ok
}

fn installed(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "command -v {program} || ls /usr/lib/postgresql/*/bin/{program}"
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn local_servers() -> bool {
    installed("initdb") && installed("redis-server")
}

/// serverlings in a course, with no service URLs or user config from the
/// test's own environment, plus `env`.
fn command(course: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .arg("--course")
        .arg(course)
        .env("CARGO_TARGET_DIR", course.join("target"))
        .env("XDG_CONFIG_HOME", course.join("no-config"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for v in URL_VARS {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(course: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(course, args, env)
        .output()
        .expect("serverlings runs")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The JSON verdict and the notes of "start the server".
fn verdict(o: &Output) -> (Value, String) {
    let out = String::from_utf8_lossy(&o.stdout);
    let lines = json_lines(&out);
    let check = lines
        .iter()
        .find(|l| l["type"] == "check")
        .cloned()
        .unwrap_or_else(|| panic!("no verdict:\n{}", text(o)));
    let start = lines
        .iter()
        .find(|l| l["name"] == "start the server")
        .map(|l| l["notes"].to_string())
        .unwrap_or_default();
    (check, start)
}

fn check_db_env(course: &Path, seed: &str, env: &[(&str, &str)]) -> Output {
    run(
        course,
        &["check", "fx-db-env", "--format", "json", "--seed", seed],
        env,
    )
}

fn services_dir(course: &Path) -> PathBuf {
    course.join(".serverlings/services")
}

/// Folders of on-demand instances (`run-<pid>`).
fn run_dirs(course: &Path) -> Vec<String> {
    std::fs::read_dir(services_dir(course))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("run-"))
        .collect()
}

fn state_pid(dir: &Path) -> i32 {
    let s = std::fs::read_to_string(dir.join("state.toml")).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("pid = "))
        .and_then(|p| p.trim().parse().ok())
        .unwrap()
}

#[test]
fn on_demand_postgres_and_redis_serve_a_check_then_are_stopped_and_removed() {
    if !have("PostgreSQL and Redis installations", local_servers()) {
        return;
    }
    let course = copy_of_fixture("svc-on-demand");
    let o = check_db_env(&course, "11", &[]);
    let (check, start) = verdict(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(check["passed"], true);
    assert!(
        start.contains("PostgreSQL database sl_fx_db_env_")
            && start.contains("started for this run")
            && start.contains("Redis database"),
        "{start}"
    );
    // Stopped, and their folders (data included) removed.
    assert_eq!(run_dirs(&course), Vec::<String>::new());
    assert_no_process(&services_dir(&course).display().to_string());
}

#[test]
fn a_check_uses_the_servers_named_in_the_environment() {
    let reachable = |port| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
    if !have(
        "servers on 127.0.0.1:5432 and :6379",
        reachable(5432) && reachable(6379),
    ) {
        return;
    }
    let course = copy_of_fixture("svc-env");
    let o = check_db_env(
        &course,
        "12",
        &[
            (
                "DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
        ],
    );
    let (check, start) = verdict(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(check["passed"], true);
    assert!(
        start.contains("DATABASE_URL from the environment")
            && start.contains("REDIS_URL from the environment"),
        "{start}"
    );
    // Nothing was started.
    assert_eq!(run_dirs(&course), Vec::<String>::new());
    // The check's database was dropped afterwards.
    let db = start
        .split("PostgreSQL database ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let left = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-tAc"])
        .arg(format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{db}'"
        ))
        .output();
    if let Ok(left) = left {
        assert_eq!(
            String::from_utf8_lossy(&left.stdout).trim(),
            "0",
            "{db} left behind"
        );
    }
}

#[test]
fn without_the_binaries_the_check_says_what_to_install_instead_of_failing() {
    let course = copy_of_fixture("svc-missing");
    // Only the Rust toolchain on PATH, and no well-known folders.
    let cargo_dir = Path::new(env!("CARGO"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    let o = check_db_env(
        &course,
        "13",
        &[("PATH", &cargo_dir), ("SERVERLINGS_SERVICE_DIRS", "")],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    for want in [
        "needs PostgreSQL: `fx-db-env` uses PostgreSQL",
        "DATABASE_URL",
        "Debian/Ubuntu: sudo apt install postgresql",
        "Fedora:        sudo dnf install postgresql-server",
        "macOS:         brew install postgresql@17",
    ] {
        assert!(err.contains(want), "`{want}` missing:\n{}", text(&o));
    }
    // Said before building anything.
    assert!(!String::from_utf8_lossy(&o.stdout).contains("\"name\":\"build\""));
    assert!(!err.contains("panicked"));

    // doctor names the problem in one actionable line and exits non-zero.
    let d = run(
        &course,
        &["doctor"],
        &[("PATH", &cargo_dir), ("SERVERLINGS_SERVICE_DIRS", "")],
    );
    let out = String::from_utf8_lossy(&d.stdout);
    assert_eq!(d.status.code(), Some(2), "{}", text(&d));
    let line = out
        .lines()
        .find(|l| l.contains("postgres ") && l.starts_with('✗'))
        .unwrap_or_else(|| panic!("no postgres problem line:\n{out}"));
    assert!(line.contains("sudo apt install postgresql"), "{line}");
    assert!(line.contains("fx-db-env"), "{line}");
}

#[test]
fn two_checks_in_parallel_on_one_server_do_not_see_each_others_tables() {
    if !have("PostgreSQL and Redis installations", local_servers()) {
        return;
    }
    let course = copy_of_fixture("svc-parallel");
    let up = run(&course, &["services", "up"], &[]);
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    let status = run(&course, &["services", "status"], &[]);
    let st = String::from_utf8_lossy(&status.stdout);
    assert!(
        st.contains("started by `serverlings services up`")
            && st.contains("postgres://postgres@127.0.0.1:"),
        "{st}"
    );
    // Build once, so both checks reach their servers together.
    assert_eq!(check_db_env(&course, "1", &[]).status.code(), Some(0));
    let spawn = |seed: &str| {
        command(
            &course,
            &["check", "fx-db-env", "--format", "json", "--seed", seed],
            &[],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (a, b) = (spawn("21"), spawn("22"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let down = run(&course, &["services", "down"], &[]);
    for o in [&a, &b] {
        let (check, start) = verdict(o);
        assert_eq!(check["passed"], true, "{}", text(o));
        assert!(
            start.contains("started by `serverlings services up`"),
            "{start}"
        );
    }
    assert_eq!(down.status.code(), Some(0), "{}", text(&down));
    assert!(!services_dir(&course).join("up/postgres").exists());
    assert_no_process(&services_dir(&course).display().to_string());
}

/// Waits for a file, up to `limit`.
fn wait_for(path: &Path, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if path.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn sigkill(child: &mut Child) {
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    child.wait().unwrap();
}

#[test]
fn a_serverlings_killed_while_its_instances_run_leaves_nothing_in_the_way() {
    if !have("PostgreSQL and Redis installations", local_servers()) {
        return;
    }
    let course = copy_of_fixture("svc-sigkill");
    // Build first, so the kill lands while the instances run.
    assert_eq!(check_db_env(&course, "1", &[]).status.code(), Some(0));

    let mut check = command(&course, &["check", "fx-db-env", "--seed", "2"], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let dir = services_dir(&course).join(format!("run-{}", check.id()));
    // Redis starts after PostgreSQL: both are up once its state exists.
    assert!(
        wait_for(&dir.join("redis/state.toml"), Duration::from_secs(30)),
        "no on-demand instance appeared"
    );
    sigkill(&mut check);
    let pg = state_pid(&dir.join("postgres"));

    let up = run(&course, &["services", "up"], &[]);
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    assert!(!dir.exists(), "the killed run's folder is still there");
    assert_no_process(&dir.display().to_string());
    assert!(
        !std::path::Path::new(&format!("/proc/{pg}")).exists()
            || !std::fs::read_to_string(format!("/proc/{pg}/cmdline"))
                .unwrap_or_default()
                .contains(&*dir.to_string_lossy()),
        "the killed run's PostgreSQL still runs"
    );

    // An instance of `services up` killed with SIGKILL: the next `up` sees
    // its stale state and starts afresh.
    let up_pg = services_dir(&course).join("up/postgres");
    unsafe {
        libc::kill(state_pid(&up_pg), libc::SIGKILL);
    }
    std::thread::sleep(Duration::from_millis(200));
    let again = run(&course, &["services", "up", "postgres"], &[]);
    let out = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        out.contains("started PostgreSQL") && out.contains("stale"),
        "{out}"
    );
    assert_eq!(check_db_env(&course, "3", &[]).status.code(), Some(0));
    let down = run(&course, &["services", "down"], &[]);
    assert_eq!(down.status.code(), Some(0), "{}", text(&down));
    assert_no_process(&services_dir(&course).display().to_string());
}

#[test]
fn doctor_says_which_server_checks_use_and_that_the_machines_is_not_it() {
    if !have("PostgreSQL and Redis installations", local_servers()) {
        return;
    }
    let course = copy_of_fixture("svc-doctor");
    let d = run(&course, &["doctor"], &[]);
    let out = String::from_utf8_lossy(&d.stdout);
    let line = |kind: &str| {
        out.lines()
            .find(|l| l.contains(&format!("{kind} ")))
            .unwrap_or_else(|| panic!("no {kind} line:\n{out}"))
            .to_string()
    };
    for (kind, port, var) in [
        ("postgres", 5432, "DATABASE_URL"),
        ("redis", 6379, "REDIS_URL"),
    ] {
        let l = line(kind);
        assert!(
            l.contains("checks start their own throwaway instance from"),
            "{l}"
        );
        assert!(!l.contains("not running"), "{l}");
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(
                l.contains(&format!("the server answering on 127.0.0.1:{port} is not used unless you name it ({var}=")),
                "{l}"
            );
        }
    }
    // Piped: no colours, and it says so.
    assert!(
        line("terminal").contains("not a terminal: plain output, no colours"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "{out}");
}
