//! Measurements of the TUI, not timed tests: `cargo bench --bench tui`.
//! The real binary runs in a pseudo-terminal, as a learner's terminal would
//! run it, and every figure is printed beside a baseline measured in the
//! same run on the same machine:
//!
//! - time to first frame on the full course, against the process start-up
//!   of `serverlings --version` and of the plain (non-terminal) overview;
//! - save-to-verdict of a tests-only exercise, against raw cargo doing the
//!   same work (`cargo build --bins --tests` and the test binary);
//! - resident memory after opening every lesson, against right after start;
//! - frame time while paging through the longest lesson, against the
//!   fixture course's one-screen lesson.
//!
//! Frame times and verdicts come from `SERVERLINGS_TRACE` (see
//! src/tui/trace.rs). Results go to stdout; docs/performance.md keeps them.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const BIN: &str = env!("CARGO_BIN_EXE_serverlings");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn now_us() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "target" || name == ".serverlings" {
            continue;
        }
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn scratch(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("serverlings-bench-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// The course content of this repository (no build output, no progress).
fn full_course() -> PathBuf {
    let d = scratch("course");
    std::fs::create_dir_all(&d).unwrap();
    for f in ["course.toml", "Cargo.toml", "Cargo.lock"] {
        std::fs::copy(Path::new(REPO).join(f), d.join(f)).unwrap();
    }
    for dir in ["lessons", "exercises", "solutions", "checks"] {
        copy_dir(&Path::new(REPO).join(dir), &d.join(dir));
    }
    d
}

fn fixture_course(label: &str) -> PathBuf {
    let d = scratch(label);
    copy_dir(&Path::new(REPO).join("tests/fixtures/course"), &d);
    d
}

fn set_current(course: &Path, id: &str) {
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    std::fs::write(
        course.join(".serverlings/progress.json"),
        format!("{{\"current\": \"{id}\", \"exercises\": {{}}}}"),
    )
    .unwrap();
}

/// What the TUI wrote, and when each piece arrived (offset, time).
type Output = Arc<Mutex<(Vec<u8>, Vec<(usize, Instant)>)>>;

/// The TUI on a pseudo-terminal; everything it writes is kept with the time
/// it arrived.
struct Tui {
    master: File,
    child: Child,
    out: Output,
    started: Instant,
}

impl Tui {
    fn spawn(course: &Path, size: (u16, u16), env: &[(&str, String)]) -> Tui {
        let (mut m, mut s) = (0, 0);
        let ws = libc::winsize {
            ws_row: size.1,
            ws_col: size.0,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty fills two descriptors we then own.
        let rc =
            unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) };
        assert_eq!(rc, 0, "openpty failed");
        let (master, slave) = unsafe { (File::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
        let mut cmd = Command::new(BIN);
        cmd.arg("--course")
            .arg(course)
            .current_dir(course)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        for (k, v) in env {
            cmd.env(k, v);
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY as _, 0);
                Ok(())
            });
        }
        let started = Instant::now();
        let child = cmd.spawn().expect("start serverlings");
        drop(slave);
        let out = Arc::new(Mutex::new((Vec::new(), Vec::new())));
        let mut reader = master.try_clone().unwrap();
        let sink = out.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut o = sink.lock().unwrap();
                o.0.extend_from_slice(&buf[..n]);
                let end = o.0.len();
                o.1.push((end, Instant::now()));
            }
        });
        Tui {
            master,
            child,
            out,
            started,
        }
    }

    /// When `needle` (searched after byte `from`) arrived.
    fn wait_for(&self, needle: &[u8], from: usize, within: Duration) -> Instant {
        let deadline = Instant::now() + within;
        loop {
            {
                let o = self.out.lock().unwrap();
                if let Some(i) = o.0[from.min(o.0.len())..]
                    .windows(needle.len())
                    .position(|w| w == needle)
                {
                    let end = from + i + needle.len();
                    let at = o.1.iter().find(|(e, _)| *e >= end).unwrap().1;
                    return at;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no {:?} on screen",
                String::from_utf8_lossy(needle)
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).unwrap();
    }

    /// A `/proc/PID/status` figure in KiB: `VmRSS` now, `VmHWM` the peak.
    fn mem_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    fn quit(mut self) {
        self.send(b"q");
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("the TUI did not quit");
    }
}

/// The status line is drawn last: once "quit" is on screen, so is the frame.
const FRAME_DONE: &[u8] = b"quit";

fn first_frame(course: &Path) {
    let runs = 15;
    let trace = course.join("first-frame.txt");
    let env = [("SERVERLINGS_TRACE", trace.display().to_string())];
    let (mut tui, mut inside) = (vec![], vec![]);
    for _ in 0..runs {
        let _ = std::fs::remove_file(&trace);
        let t = Tui::spawn(course, (120, 40), &env);
        let at = t.wait_for(FRAME_DONE, 0, Duration::from_secs(10));
        tui.push(at.duration_since(t.started).as_secs_f64() * 1e3);
        t.quit();
        let us = wait_trace(&trace, "first_frame_us", 1, Duration::from_secs(5));
        inside.push(us[0].1.parse::<f64>().unwrap() / 1e3);
    }
    let mut version = vec![];
    let mut overview = vec![];
    for _ in 0..runs {
        let t = Instant::now();
        let ok = Command::new(BIN)
            .arg("--version")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok);
        version.push(t.elapsed().as_secs_f64() * 1e3);
        // The plain overview (stdout is a pipe) loads the same course and
        // progress, prints and exits (with 2 if the content has problems).
        let t = Instant::now();
        Command::new(BIN)
            .arg("--course")
            .arg(course)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        overview.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "time to first frame, full course, 120x40 ({runs} runs, spawn to the last cell of the first frame):"
    );
    println!(
        "  TUI:                         median {:6.1} ms   p90 {:6.1} ms   (target <= 50 ms)",
        median(&mut tui),
        pct(&mut tui, 0.9)
    );
    println!(
        "    of which inside the TUI:   median {:6.1} ms   (from the TUI's start: content, progress, terminal, first draw)",
        median(&mut inside)
    );
    println!(
        "  baseline `--version`:        median {:6.1} ms",
        median(&mut version)
    );
    println!(
        "  baseline plain overview:     median {:6.1} ms",
        median(&mut overview)
    );
}

fn trace_lines(path: &Path, name: &str) -> Vec<(u128, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (t, n, v) = (w.next()?, w.next()?, w.next()?);
            if n == name {
                Some((t.parse().ok()?, v.to_string()))
            } else {
                None
            }
        })
        .collect()
}

fn wait_trace(path: &Path, name: &str, count: usize, within: Duration) -> Vec<(u128, String)> {
    let deadline = Instant::now() + within;
    loop {
        let l = trace_lines(path, name);
        if l.len() >= count {
            return l;
        }
        assert!(
            Instant::now() < deadline,
            "no {count}th {name} in the trace"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// One save of the exercise by raw cargo: build as the checker does, then
/// run the test binary. Milliseconds.
fn raw_cargo(course: &Path, src: &Path, text: &str) -> f64 {
    let crate_dir = course.join("exercises/01-fixtures/fx-tests-fail");
    std::fs::write(src, text).unwrap();
    let t0 = Instant::now();
    let out = Command::new("cargo")
        .args([
            "build",
            "-p",
            "fx-tests-fail",
            "--bins",
            "--tests",
            "--message-format=json-diagnostic-rendered-ansi",
            "--color=never",
        ])
        .current_dir(course)
        .env("CARGO_TARGET_DIR", course.join("target"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let exe = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["profile"]["test"] == true && v["executable"].is_string())
        .and_then(|v| v["executable"].as_str().map(str::to_string))
        .expect("a test binary");
    let ok = Command::new(exe)
        .args(["--color", "never"])
        .current_dir(&crate_dir)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok);
    t0.elapsed().as_secs_f64() * 1e3
}

fn save_to_verdict() {
    // Two copies of the fixture course, each with its own target dir: the
    // TUI watches one, raw cargo builds the other, turn about, so both see
    // the same machine load.
    let course = fixture_course("verdict");
    let raw = fixture_course("verdict-raw");
    set_current(&course, "fx-tests-fail");
    let trace = course.join("trace.txt");
    let rel = "exercises/01-fixtures/fx-tests-fail/src/main.rs";
    let (src, raw_src) = (course.join(rel), raw.join(rel));
    // The stub with its TODO done: the shipped tests stay (the checker
    // requires them to run; the fixture's solutions/ copy has none).
    let solution = std::fs::read_to_string(&src)
        .unwrap()
        .replace("x + 2 // TODO(1)", "x * 2 // TODO(1)");
    assert!(solution.contains("x * 2"), "the fx-tests-fail stub changed");
    let env = [
        (
            "CARGO_TARGET_DIR",
            course.join("target").display().to_string(),
        ),
        ("SERVERLINGS_TRACE", trace.display().to_string()),
    ];
    let t = Tui::spawn(&course, (120, 40), &env);
    t.wait_for(FRAME_DONE, 0, Duration::from_secs(10));
    // Warm up both: the first build compiles the crate from scratch.
    std::fs::write(&src, &solution).unwrap();
    wait_trace(&trace, "verdict", 1, Duration::from_secs(300));
    raw_cargo(&raw, &raw_src, &solution);
    let runs = 10;
    let (mut tui, mut start, mut cargo) = (vec![], vec![], vec![]);
    for i in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        let before = trace_lines(&trace, "verdict").len();
        let started = trace_lines(&trace, "check_start").len();
        let t0 = now_us();
        std::fs::write(&src, format!("{solution}\n// save {i}\n")).unwrap();
        let v = wait_trace(&trace, "verdict", before + 1, Duration::from_secs(120));
        assert_eq!(v[before].1, "passed");
        tui.push((v[before].0 - t0) as f64 / 1e3);
        let s = trace_lines(&trace, "check_start");
        start.push((s[started].0 - t0) as f64 / 1e3);
        std::thread::sleep(Duration::from_millis(300));
        cargo.push(raw_cargo(
            &raw,
            &raw_src,
            &format!("{solution}\n// raw {i}\n"),
        ));
    }
    t.quit();
    let (mt, mr) = (median(&mut tui), median(&mut cargo));
    println!(
        "save-to-verdict, tests-only exercise (fx-tests-fail), {runs} saves each, interleaved:"
    );
    println!(
        "  TUI (write to verdict):      median {mt:6.0} ms   p90 {:6.0} ms",
        pct(&mut tui, 0.9)
    );
    println!(
        "    of which write to start:   median {:6.0} ms   (watcher, debounce, event loop)",
        median(&mut start)
    );
    println!(
        "  baseline raw cargo:          median {mr:6.0} ms   p90 {:6.0} ms   (cargo build --bins --tests + the test binary)",
        pct(&mut cargo, 0.9)
    );
    println!(
        "  overhead:                    {:6.0} ms   (target <= 100 ms, debounce included)",
        mt - mr
    );
    let _ = std::fs::remove_dir_all(&course);
    let _ = std::fs::remove_dir_all(&raw);
}

fn memory(course: &Path) {
    let exercises = count_exercises(course);
    let first = first_exercise(course);
    set_current(course, &first);
    let mut t = Tui::spawn(course, (120, 40), &[]);
    t.wait_for(FRAME_DONE, 0, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(1000));
    let start = t.mem_kib("VmRSS:");
    for _ in 1..exercises {
        t.send(b"n");
        std::thread::sleep(Duration::from_millis(150));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let after = t.mem_kib("VmRSS:");
    let peak = t.mem_kib("VmHWM:");
    t.quit();
    println!("resident memory, full course ({exercises} exercises):");
    println!(
        "  after opening every lesson:  {:6.1} MB   (target <= 40 MB)",
        after as f64 / 1024.0
    );
    println!(
        "  baseline right after start:  {:6.1} MB",
        start as f64 / 1024.0
    );
    println!(
        "  peak (VmHWM, while highlighting): {:6.1} MB   (the syntaxes are dropped after each burst)",
        peak as f64 / 1024.0
    );
}

fn count_exercises(course: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(course.join("lessons")).unwrap() {
        let t = std::fs::read_to_string(e.unwrap().path().join("part.toml")).unwrap_or_default();
        n += t.matches("[[exercises]]").count();
    }
    n
}

fn first_exercise(course: &Path) -> String {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(course.join("lessons"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    first_of(&parts[0])
}

fn first_of(part: &Path) -> String {
    let t = std::fs::read_to_string(part.join("part.toml")).unwrap();
    let v: toml::Table = toml::from_str(&t).unwrap();
    v["exercises"][0]["id"].as_str().unwrap().to_string()
}

/// Pages down and back up through the lesson of `exercise`; frame times.
fn page_through(course: &Path, exercise: &str, pages: usize) -> Vec<f64> {
    set_current(course, exercise);
    let trace = course.join("frames.txt");
    let _ = std::fs::remove_file(&trace);
    let mut t = Tui::spawn(
        course,
        (120, 40),
        &[("SERVERLINGS_TRACE", trace.display().to_string())],
    );
    t.wait_for(FRAME_DONE, 0, Duration::from_secs(10));
    // Let the highlighter finish, then start from the top.
    std::thread::sleep(Duration::from_millis(1000));
    t.send(b"g");
    std::thread::sleep(Duration::from_millis(100));
    let skip = trace_lines(&trace, "frame_us").len();
    for key in [b"\x1b[6~", b"\x1b[5~"] {
        for _ in 0..pages {
            t.send(key);
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    t.quit();
    trace_lines(&trace, "frame_us")
        .into_iter()
        .skip(skip)
        .map(|(_, v)| v.parse::<f64>().unwrap() / 1e3)
        .collect()
}

fn frame_time(course: &Path) {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(course.join("lessons"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort_by_key(|p| {
        std::fs::metadata(p.join("lesson.md"))
            .map(|m| m.len())
            .unwrap_or(0)
    });
    let longest = parts.last().unwrap();
    let bytes = std::fs::metadata(longest.join("lesson.md")).unwrap().len();
    let mut long = page_through(course, &first_of(longest), 30);
    let fixture = fixture_course("frames");
    let mut short = page_through(&fixture, "fx-good", 30);
    let _ = std::fs::remove_dir_all(&fixture);
    println!(
        "frame time (view + diff + write), paging through the longest lesson ({}, {} KB) at 120x40:",
        longest.file_name().unwrap().to_string_lossy(),
        bytes / 1024
    );
    println!(
        "  longest lesson:              median {:5.2} ms   p99 {:5.2} ms   max {:5.2} ms   ({} frames, target <= 5 ms)",
        median(&mut long),
        pct(&mut long, 0.99),
        pct(&mut long, 1.0),
        long.len()
    );
    println!(
        "  baseline one-screen lesson:  median {:5.2} ms   p99 {:5.2} ms   max {:5.2} ms   ({} frames)",
        median(&mut short),
        pct(&mut short, 0.99),
        pct(&mut short, 1.0),
        short.len()
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would run us too.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let course = full_course();
    println!("serverlings TUI measurements ({})", BIN);
    first_frame(&course);
    memory(&course);
    frame_time(&course);
    save_to_verdict();
    let _ = std::fs::remove_dir_all(&course);
}
