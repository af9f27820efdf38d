//! `serverlings prepare`: builds the course's crates ahead of time; Ctrl-C
//! stops it with the target dir usable, and the next run continues.

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

fn prepare(course: &std::path::Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["prepare", "--course"])
        .arg(course)
        .env("CARGO_TARGET_DIR", course.join("target"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

#[test]
fn ctrl_c_stops_prepare_and_the_next_run_finishes_what_is_left() {
    let course = copy_of_fixture("prepare");

    // Interrupted early in a cold build.
    let child = prepare(&course).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let stopped = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&stopped.stdout);
    assert_eq!(stopped.status.code(), Some(130), "{out}");
    assert!(
        out.contains("stopped after") && out.contains("continues from here"),
        "{out}"
    );

    // The next run completes; the stub that does not compile is named, not fatal.
    let done = prepare(&course).output().unwrap();
    let out = String::from_utf8_lossy(&done.stdout);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{out}\n{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(out.contains("units ready"), "{out}");
    assert!(out.contains("fx-no-compile"), "{out}");

    // And leaves nothing to compile: a check's build finds every unit fresh.
    let again = prepare(&course).output().unwrap();
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(out.contains("(0 compiled now"), "{out}");
    let check = serverlings(&course, &["check", "fx-good", "--format", "json"]);
    let build = json_lines(&check.stdout)
        .into_iter()
        .find(|l| l["name"] == "build")
        .unwrap();
    assert!(
        build["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("0 units compiled"),
        "{build}"
    );
}
