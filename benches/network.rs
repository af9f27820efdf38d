//! Measurements of the network layer, not timed tests:
//! `cargo bench --bench network`. Each figure is printed beside a baseline
//! measured in the same run on the same machine:
//!
//! - the load generator's request rate (a `load` step through
//!   `serverlings probe`) against wrk's, both hammering the same server
//!   with 16 connections for 3 seconds (target: at least half);
//! - readiness latency, from the server's bind (it writes the time) to the
//!   checker noticing it is ready (SERVERLINGS_TRACE), against a bare
//!   connect loop polling every millisecond (target: median ≤ 20 ms).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_serverlings");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn course() -> PathBuf {
    Path::new(REPO).join("tests/fixtures/course")
}

fn target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-fixture-target")
}

fn serverlings(args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--course")
        .arg(course())
        .env("CARGO_TARGET_DIR", target())
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("serverlings runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn now_us() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

fn last_number_before(text: &str, marker: &str) -> Option<f64> {
    let i = text.find(marker)?;
    text[..i]
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .rev()
        .find(|s| !s.is_empty())?
        .parse()
        .ok()
}

fn load_rate() {
    // Build the server through one check, then run it by hand.
    serverlings(&["check", "fx-bench-ready", "--color", "never"], &[]);
    let exe = target().join("debug/fx-bench-ready");
    let port = free_port();
    let mut server = Command::new(&exe)
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .expect("the bench server starts");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let url = format!("http://127.0.0.1:{port}/");
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..3 {
        let out = serverlings(
            &["probe", "fx-bench", "--url", &url, "--format", "json"],
            &[],
        );
        if let Some(rps) = last_number_before(&out, "/s)") {
            ours.push(rps);
        }
        match Command::new("wrk")
            .args(["-t2", "-c16", "-d3s", &url])
            .output()
        {
            Ok(o) => {
                let text = String::from_utf8_lossy(&o.stdout);
                if let Some(line) = text.lines().find(|l| l.starts_with("Requests/sec:"))
                    && let Some(v) = line.split_whitespace().nth(1).and_then(|v| v.parse().ok())
                {
                    theirs.push(v);
                }
            }
            Err(_) => {
                println!(
                    "wrk is not installed (apt-get install wrk): no baseline for the load generator"
                );
                break;
            }
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    if ours.is_empty() {
        println!("load generator: no figure (the probe printed no rate)");
        return;
    }
    let o = median(ours.clone());
    if theirs.is_empty() {
        println!("load generator: {o:.0} requests/s (16 connections, 3 s; runs {ours:?})");
        return;
    }
    let t = median(theirs.clone());
    println!(
        "load generator: {o:.0} requests/s vs wrk {t:.0} requests/s on the same server → ratio {:.2} (target ≥ 0.5; runs ours {ours:?}, wrk {theirs:?})",
        o / t
    );
}

fn readiness() {
    let dir = std::env::temp_dir().join(format!("serverlings-bench-ready-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ours = Vec::new();
    for i in 0..15 {
        let bound = dir.join(format!("bound-{i}"));
        let trace = dir.join(format!("trace-{i}"));
        serverlings(
            &["check", "fx-bench-ready", "--color", "never"],
            &[("BENCH_BIND_FILE", &bound), ("SERVERLINGS_TRACE", &trace)],
        );
        let b = std::fs::read_to_string(&bound).unwrap_or_default();
        let r = std::fs::read_to_string(&trace).unwrap_or_default();
        let first = |text: &str, name: &str| {
            text.lines()
                .find(|l| l.split_whitespace().nth(1) == Some(name))
                .and_then(|l| l.split_whitespace().next()?.parse::<u128>().ok())
        };
        if let (Some(b), Some(r)) = (first(&b, "bound"), first(&r, "ready")) {
            ours.push((r.saturating_sub(b)) as f64 / 1000.0);
        }
    }
    // Baseline: the same server started by hand, noticed by a connect loop
    // polling every millisecond.
    let exe = target().join("debug/fx-bench-ready");
    let mut base = Vec::new();
    for i in 0..15 {
        let bound = dir.join(format!("base-{i}"));
        let port = free_port();
        let mut server = Command::new(&exe)
            .env("PORT", port.to_string())
            .env("BENCH_BIND_FILE", &bound)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let noticed = loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break now_us();
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let _ = server.kill();
        let _ = server.wait();
        let b = std::fs::read_to_string(&bound).unwrap_or_default();
        if let Some(b) = b
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u128>().ok())
        {
            base.push(noticed.saturating_sub(b) as f64 / 1000.0);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if ours.is_empty() || base.is_empty() {
        println!("readiness: no figure");
        return;
    }
    let (o, b) = (median(ours.clone()), median(base.clone()));
    println!(
        "readiness latency (bind → checker ready), median of {}: {o:.2} ms vs a 1 ms connect loop {b:.2} ms → ratio {:.1} (target median ≤ 20 ms)",
        ours.len(),
        o / b.max(0.001)
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    load_rate();
    readiness();
}
