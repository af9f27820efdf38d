//! Save → verdict of a server exercise, not timed tests:
//! `cargo bench --bench save`. The TUI watches a copy of the fixture course
//! on a pseudo-terminal with `fx-bench-ready` (a std-only HTTP server whose
//! check starts it and sends `GET /`) as the current exercise; a second copy
//! with its own target dir does the bare work by hand, turn about with the
//! TUI's saves so both see the same machine load:
//!
//! - save → verdict against the bare work: `cargo build -p fx-bench-ready
//!   --bins --tests` (the checker's build), start the binary, a connect loop
//!   polling every millisecond, the same `GET /` sent by a minimal client
//!   (target: overhead ≤ 100 ms);
//! - readiness: from the server's bind (it writes the time to
//!   `BENCH_BIND_FILE`) to the checker's `ready` trace event, against the
//!   bare connect loop's notice (target: within 2×);
//! - time to the first compiler error after a save that breaks the crate
//!   (the TUI's failed verdict, and the error code on screen) against the
//!   bare `cargo build` of the same text (target: ≤ build + 50 ms).

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ID: &str = "fx-bench-ready";
const REL: &str = "exercises/01-fixtures/fx-bench-ready/src/main.rs";

fn fixture_course(label: &str) -> std::path::PathBuf {
    let d = scratch(label);
    copy_dir(&Path::new(REPO).join("tests/fixtures/course"), &d);
    d
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The checker's build on the raw copy: ms and success.
fn raw_build(course: &Path) -> (f64, bool) {
    let t = Instant::now();
    let ok = Command::new("cargo")
        .args([
            "build",
            "-p",
            ID,
            "--bins",
            "--tests",
            "--message-format=json-diagnostic-rendered-ansi",
            "--color=never",
        ])
        .current_dir(course)
        .env("CARGO_TARGET_DIR", course.join("target"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    (ms(t), ok)
}

/// The bare work after a save: build, start, connect loop, `GET /`.
/// Returns (total ms, readiness ms from bind to the loop's notice).
fn raw_cycle(course: &Path, text: &str) -> (f64, f64) {
    std::fs::write(course.join(REL), text).unwrap();
    let t0 = Instant::now();
    let (_, ok) = raw_build(course);
    assert!(ok, "the raw build");
    let bound = course.join("raw-bound.txt");
    let _ = std::fs::remove_file(&bound);
    let port = free_port();
    let mut server = Command::new(course.join("target/debug").join(ID))
        .env("PORT", port.to_string())
        .env("BENCH_BIND_FILE", &bound)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (mut conn, noticed) = loop {
        if let Ok(c) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            break (c, now_us());
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    conn.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _ = server.kill();
    let _ = server.wait();
    let total = ms(t0);
    let b = std::fs::read_to_string(&bound)
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .and_then(|v| v.parse::<u128>().ok())
        .unwrap_or(noticed);
    (total, noticed.saturating_sub(b) as f64 / 1e3)
}

fn bound_times(path: &Path) -> Vec<u128> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

fn broken(text: &str) -> String {
    text.replacen("fn main() {", "fn main() {\n    let _x: u32 = \"no\";", 1)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would run us too.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    println!(
        "serverlings save-to-verdict, server exercise ({BIN}); load average at start {}",
        load_average()
    );
    let course = fixture_course("save");
    let raw = fixture_course("save-raw");
    set_current(&course, ID);
    let trace = course.join("trace.txt");
    let bound = course.join("bound.txt");
    let src = course.join(REL);
    let text = std::fs::read_to_string(&src).unwrap();
    let env = [
        (
            "CARGO_TARGET_DIR",
            course.join("target").display().to_string(),
        ),
        ("SERVERLINGS_TRACE", trace.display().to_string()),
        ("BENCH_BIND_FILE", bound.display().to_string()),
    ];
    let t = Tui::spawn(&course, (120, 40), &env);
    t.wait_for(FRAME_DONE, 0, Duration::from_secs(20))
        .expect("a first frame");
    // Warm up both copies: the first build compiles the crate.
    std::fs::write(&src, format!("{text}\n// warm\n")).unwrap();
    wait_trace(&trace, "verdict", 1, Duration::from_secs(300));
    raw_cycle(&raw, &format!("{text}\n// warm\n"));

    let runs = 12;
    let (mut tui, mut start, mut ready, mut bare, mut bare_ready) =
        (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        let before = trace_lines(&trace, "verdict").len();
        let started = trace_lines(&trace, "check_start").len();
        let readies = trace_lines(&trace, "ready").len();
        let binds = bound_times(&bound).len();
        let t0 = now_us();
        std::fs::write(&src, format!("{text}\n// save {i}\n")).unwrap();
        let v = wait_trace(&trace, "verdict", before + 1, Duration::from_secs(120));
        assert_eq!(v[before].1, "passed");
        tui.push((v[before].0 - t0) as f64 / 1e3);
        if let Some(s) = trace_lines(&trace, "check_start").get(started) {
            start.push((s.0 - t0) as f64 / 1e3);
        }
        if let (Some(r), Some(b)) = (
            trace_lines(&trace, "ready").get(readies),
            bound_times(&bound).get(binds),
        ) {
            ready.push(r.0.saturating_sub(*b) as f64 / 1e3);
        }
        std::thread::sleep(Duration::from_millis(300));
        let (b, r) = raw_cycle(&raw, &format!("{text}\n// raw {i}\n"));
        bare.push(b);
        bare_ready.push(r);
    }

    // A save that breaks the crate: the failed verdict (and the error on
    // screen) against the bare `cargo build` of the same text.
    let runs_err = 8;
    let (mut err_verdict, mut err_screen, mut err_build) = (vec![], vec![], vec![]);
    for i in 0..runs_err {
        std::thread::sleep(Duration::from_millis(300));
        let before = trace_lines(&trace, "verdict").len();
        let from = t.len();
        let t0 = now_us();
        let at = Instant::now();
        std::fs::write(&src, format!("{}\n// broken {i}\n", broken(&text))).unwrap();
        let v = wait_trace(&trace, "verdict", before + 1, Duration::from_secs(120));
        assert_eq!(v[before].1, "failed");
        err_verdict.push((v[before].0 - t0) as f64 / 1e3);
        if let Some(seen) = t.wait_for(b"E0308", from, Duration::from_secs(2)) {
            err_screen.push(seen.duration_since(at).as_secs_f64() * 1e3);
        }
        // Back to a passing crate before the next round.
        std::thread::sleep(Duration::from_millis(300));
        std::fs::write(&src, format!("{text}\n// fixed {i}\n")).unwrap();
        wait_trace(&trace, "verdict", before + 2, Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(300));
        std::fs::write(raw.join(REL), format!("{}\n// broken {i}\n", broken(&text))).unwrap();
        let (b, ok) = raw_build(&raw);
        assert!(!ok, "the broken crate does not build");
        err_build.push(b);
    }
    t.quit();

    let (mt, mb) = (median(&tui), median(&bare));
    println!("save -> verdict, {ID} (build, start, GET /), {runs} saves each, interleaved:");
    println!(
        "  TUI (write to verdict):        median {mt:6.0} ms   p90 {:6.0} ms",
        pct(&tui, 0.9)
    );
    println!(
        "    of which write to start:     median {:6.0} ms   (watcher, debounce, event loop)",
        median(&start)
    );
    println!(
        "  baseline bare work:            median {mb:6.0} ms   p90 {:6.0} ms   (cargo build --bins --tests + start + 1 ms connect loop + GET /)",
        pct(&bare, 0.9)
    );
    println!(
        "  overhead:                      {:6.0} ms   ratio {:.2}   (target <= 100 ms)",
        mt - mb,
        mt / mb
    );
    let (mr, mbr) = (median(&ready), median(&bare_ready));
    println!(
        "readiness (bind -> noticed), {} / {} runs: checker median {mr:.2} ms p90 {:.2} ms vs bare 1 ms connect loop median {mbr:.2} ms -> ratio {:.1} (target <= 2)",
        ready.len(),
        bare_ready.len(),
        pct(&ready, 0.9),
        mr / mbr.max(0.001)
    );
    let (mv, mbe) = (median(&err_verdict), median(&err_build));
    println!("first compiler error after a save (E0308), {runs_err} saves each, interleaved:");
    println!(
        "  TUI failed verdict:            median {mv:6.0} ms   p90 {:6.0} ms",
        pct(&err_verdict, 0.9)
    );
    if !err_screen.is_empty() {
        println!(
            "  TUI error code on screen:      median {:6.0} ms   ({} of {runs_err} seen)",
            median(&err_screen),
            err_screen.len()
        );
    }
    println!(
        "  baseline bare cargo build:     median {mbe:6.0} ms   p90 {:6.0} ms",
        pct(&err_build, 0.9)
    );
    println!(
        "  over the build:                {:6.0} ms   (target <= 50 ms)",
        mv - mbe
    );
    println!("load average at end {}", load_average());
    let _ = std::fs::remove_dir_all(&course);
    let _ = std::fs::remove_dir_all(&raw);
}
