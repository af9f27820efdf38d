//! A serverlings killed with SIGKILL leaves behind a process that had left
//! its process group; the next start ends it and says so.
//!
//! A test binary of its own: every serverlings start ends such orphans, so
//! a check of another test running beside this one (tests/checker.rs runs
//! its tests in parallel) would end it first and hide what this test looks
//! at. Cargo runs test binaries one after another.

mod common;

use common::*;
use std::time::Duration;

#[test]
fn a_process_that_left_the_group_of_a_killed_serverlings_is_ended_at_the_next_start() {
    use std::process::{Command, Stdio};
    let exe = fixture_target()
        .join("debug/fx-escapee")
        .display()
        .to_string();
    let mut child = Command::new(bin())
        .args(["check", "fx-escapee", "--color", "never", "--course"])
        .arg(fixture_course())
        .env("CARGO_TARGET_DIR", fixture_target())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The server and its helper (a second process of the same binary).
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while live_processes(&exe).len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the helper never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // The kernel ended the server (its parent-death signal); the helper had
    // called setsid() and is still there.
    assert_eq!(live_processes(&exe).len(), 1, "{:?}", live_processes(&exe));
    let run = serverlings(&fixture_course(), &["doctor"]);
    assert!(
        run.stderr
            .contains("left running by an earlier serverlings that was killed: pid"),
        "{}",
        run.stderr
    );
    assert_no_process(&exe);
}
