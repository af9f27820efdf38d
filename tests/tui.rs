//! The TUI end to end, driven through tmux (send-keys, capture-pane), as a
//! learner would: open the course at 80×24, see the exercise fail, replace
//! its source with the solution, and watch it turn green and be marked done.

mod common;

use common::{assert_no_process, bin, copy_of_fixture};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server of its own running `script` in a `width`×`height`
    /// window; `None` (the test skips) where tmux is missing, except in CI.
    fn start(label: &str, width: u16, height: u16, script: &str) -> Option<Tmux> {
        if !have_tmux() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs tmux (.ci/run installs it)"
            );
            eprintln!("tmux is not installed: skipping a TUI end-to-end test");
            return None;
        }
        let tmux = Tmux {
            socket: format!("serverlings-{label}-{}", std::process::id()),
        };
        let (w, h) = (width.to_string(), height.to_string());
        tmux.run(&["new-session", "-d", "-s", "tui", "-x", &w, "-y", &h, script]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "tui"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "tui"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Waits until the screen shows `text`; panics with the screen if not.
    fn wait_for(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed {text:?} within {within:?}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_save_turns_the_check_green_and_marks_the_exercise_done() {
    let course = copy_of_fixture("tui");
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    write(
        &course.join(".serverlings/progress.json"),
        r#"{ "current": "fx-wrong", "exercises": {} }"#,
    );
    let src = course.join("exercises/01-fixtures/fx-wrong/src/main.rs");
    let stub = std::fs::read_to_string(&src).unwrap();
    let solution =
        std::fs::read_to_string(course.join("solutions/01-fixtures/fx-wrong/src/main.rs")).unwrap();

    let script = format!(
        "cd '{c}' && CARGO_TARGET_DIR='{c}/target' NO_COLOR= '{bin}' --course '{c}'; echo EXITED:$?; sleep 60",
        c = course.display(),
        bin = bin()
    );
    let Some(tmux) = Tmux::start("test", 80, 24, &script) else {
        return;
    };

    // The TUI opens at the current exercise, its lesson and its check pane.
    let s = tmux.wait_for("Check · fx-wrong", Duration::from_secs(20));
    assert!(s.contains("01 · Fixture servers"), "{s}");
    assert!(
        s.contains("watching for saves") || s.contains("polling"),
        "{s}"
    );

    // A save of the stub as shipped: the check runs and fails.
    write(&src, &format!("{stub}\n"));
    tmux.wait_for("✗ fails", Duration::from_secs(120));

    // The learner's fix: the solution's source. The check passes.
    write(&src, &solution);
    let s = tmux.wait_for("✓ passes", Duration::from_secs(120));
    assert!(s.contains("fx-wrong passes"), "{s}");
    assert!(s.contains("1/"), "the header counts it done: {s}");

    // The sidebar marks it done.
    tmux.keys(&["Tab", "Tab"]);
    let s = tmux.wait_for("Exercises", Duration::from_secs(5));
    assert!(s.contains("✓ fx-wrong"), "{s}");
    let progress = std::fs::read_to_string(course.join(".serverlings/progress.json")).unwrap();
    let p: serde_json::Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(p["exercises"]["fx-wrong"]["state"], "done", "{progress}");

    // q quits, the shell gets its screen back, no server is left behind.
    tmux.keys(&["q"]);
    let s = tmux.wait_for("EXITED:0", Duration::from_secs(15));
    assert!(
        !s.contains("Check · fx-wrong"),
        "the alternate screen is gone: {s}"
    );
    assert_no_process(&course.join("target/debug").display().to_string());
    let _ = std::fs::remove_dir_all(&course);
}

#[test]
fn sigterm_restores_the_terminal_and_stops_the_check() {
    let course = copy_of_fixture("tui-term");
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    write(
        &course.join(".serverlings/progress.json"),
        r#"{ "current": "fx-sleeper", "exercises": {} }"#,
    );
    let script = format!(
        "cd '{c}' && CARGO_TARGET_DIR='{c}/target' '{bin}' --course '{c}' & pid=$!; echo PID:$pid; wait $pid; echo EXITED:$?; sleep 60",
        c = course.display(),
        bin = bin()
    );
    let Some(tmux) = Tmux::start("term", 100, 30, &script) else {
        return;
    };
    tmux.wait_for("Check · fx-sleeper", Duration::from_secs(20));
    tmux.keys(&["c"]);
    // fx-sleeper's server never binds: the check waits for it.
    tmux.wait_for("start the server", Duration::from_secs(120));
    let server = course.join("target/debug/fx-sleeper").display().to_string();
    assert!(
        !common::live_processes(&server).is_empty(),
        "the server runs"
    );
    // The TUI's own process (not the shell that started it).
    let live = common::live_processes(&format!("--course {}", course.display()));
    let pid = live
        .iter()
        .find(|l| l.split_whitespace().nth(2) == Some(bin()))
        .and_then(|l| l.split_whitespace().next())
        .expect("the TUI runs")
        .to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let s = tmux.wait_for("EXITED:0", Duration::from_secs(20));
    assert!(s.contains("PID:"), "the shell's screen is back: {s}");
    assert_no_process(&server);
    let _ = std::fs::remove_dir_all(&course);
}

#[test]
fn a_panic_gives_the_terminal_back_before_its_message() {
    let course = copy_of_fixture("tui-panic");
    // After the TUI ends, the shell prints whether the terminal is back in
    // canonical mode with echo (`icanon echo`, not `-icanon -echo`).
    let script = format!(
        "cd '{c}' && SERVERLINGS_TEST_PANIC=1 '{bin}' --course '{c}'; echo EXITED:$?; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo; sleep 60",
        c = course.display(),
        bin = bin()
    );
    let Some(tmux) = Tmux::start("panic", 100, 30, &script) else {
        return;
    };
    let s = tmux.wait_for("EXITED:101", Duration::from_secs(20));
    assert!(
        s.contains("panicking after the first frame"),
        "the panic message is on the restored screen: {s}"
    );
    assert!(s.contains("icanon echo"), "cooked mode again: {s}");
    assert!(!s.contains("-icanon"), "{s}");
    // The alternate screen was left: the TUI's sidebar is not on the screen.
    assert!(!s.contains("Check · "), "{s}");
    let _ = std::fs::remove_dir_all(&course);
}

#[test]
fn a_panic_in_a_check_is_shown_in_the_check_pane_and_the_tui_goes_on() {
    let course = copy_of_fixture("tui-check-panic");
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    write(
        &course.join(".serverlings/progress.json"),
        r#"{ "current": "fx-wrong", "exercises": {} }"#,
    );
    let script = format!(
        "cd '{c}' && SERVERLINGS_TEST_CHECK_PANIC=1 CARGO_TARGET_DIR='{c}/target' NO_COLOR= '{bin}' --course '{c}'; echo EXITED:$?; sleep 60",
        c = course.display(),
        bin = bin()
    );
    let Some(tmux) = Tmux::start("check-panic", 100, 30, &script) else {
        return;
    };
    tmux.wait_for("Check · fx-wrong", Duration::from_secs(20));
    tmux.keys(&["c"]);
    let s = tmux.wait_for("hit a bug", Duration::from_secs(30));
    assert!(
        s.contains("Check · fx-wrong"),
        "the TUI is still on screen: {s}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0", Duration::from_secs(15));
    let _ = std::fs::remove_dir_all(&course);
}

#[test]
fn a_tests_exercise_turns_green_in_the_tui_whatever_the_terminal() {
    // tmux's TERM makes test harnesses end colours with ESC [ m SI: the
    // counts must still be read (a tests exercise once showed "no test ran").
    let course = copy_of_fixture("tui-tests");
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    write(
        &course.join(".serverlings/progress.json"),
        r#"{ "current": "fx-protect", "exercises": {} }"#,
    );
    let script = format!(
        "cd '{c}' && CARGO_TARGET_DIR='{c}/target' NO_COLOR= '{bin}' --course '{c}'; echo EXITED:$?; sleep 60",
        c = course.display(),
        bin = bin()
    );
    let Some(tmux) = Tmux::start("tests", 80, 24, &script) else {
        return;
    };
    tmux.wait_for("Check · fx-protect", Duration::from_secs(20));
    let lib = course.join("exercises/01-fixtures/fx-protect/src/lib.rs");
    let solution =
        std::fs::read_to_string(course.join("solutions/01-fixtures/fx-protect/src/lib.rs"))
            .unwrap();
    write(&lib, &solution);
    let s = tmux.wait_for("✓ passes", Duration::from_secs(120));
    assert!(s.contains("2 passed"), "{s}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0", Duration::from_secs(15));
    let _ = std::fs::remove_dir_all(&course);
}
