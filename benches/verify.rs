//! `verify --solutions` over the whole course, measured, not a timed test:
//! `cargo bench --bench verify`. Cold (an empty target dir) and warm, with
//! `--jobs 1` and `--jobs 2`, and where the time goes: build, test, serve,
//! probes, summed over the course and for the slowest exercises.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_serverlings");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

struct Run {
    seconds: f64,
    cases: Vec<serde_json::Value>,
    ok: bool,
}

fn verify(target: &Path, jobs: usize) -> Run {
    let started = Instant::now();
    let out = Command::new(BIN)
        .args([
            "verify",
            "--solutions",
            "--format",
            "json",
            "--jobs",
            &jobs.to_string(),
            "--course",
            REPO,
        ])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("serverlings runs");
    let seconds = started.elapsed().as_secs_f64();
    let cases: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "case")
        .collect();
    Run {
        seconds,
        ok: out.status.success(),
        cases,
    }
}

fn phases(run: &Run) -> [u64; 4] {
    let mut t = [0u64; 4];
    for c in &run.cases {
        for (i, p) in ["build", "test", "serve", "probe"].iter().enumerate() {
            t[i] += c["phases_ms"][p].as_u64().unwrap_or(0);
        }
    }
    t
}

fn report(label: &str, run: &Run) {
    let [b, t, s, p] = phases(run);
    println!(
        "{label:<14} {:>7.1} s  {} cases {}  build {:.1} s, test {:.1} s, serve {:.1} s, probes {:.1} s",
        run.seconds,
        run.cases.len(),
        if run.ok {
            "all passed"
        } else {
            "NOT all passed"
        },
        b as f64 / 1000.0,
        t as f64 / 1000.0,
        s as f64 / 1000.0,
        p as f64 / 1000.0
    );
}

fn main() {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verify-bench");
    let _ = std::fs::remove_dir_all(&base);
    let (one, two) = (base.join("jobs1"), base.join("jobs2"));
    println!("verify --solutions over the course ({})", REPO);
    let cold1 = verify(&one, 1);
    report("cold, jobs 1", &cold1);
    let warm1 = verify(&one, 1);
    report("warm, jobs 1", &warm1);
    let cold2 = verify(&two, 2);
    report("cold, jobs 2", &cold2);
    let warm2 = verify(&two, 2);
    report("warm, jobs 2", &warm2);
    println!(
        "jobs 2 vs jobs 1: cold ×{:.2}, warm ×{:.2} (wall time ratio; below 1 is faster)",
        cold2.seconds / cold1.seconds,
        warm2.seconds / warm1.seconds
    );
    let mut slowest: Vec<&serde_json::Value> = cold1.cases.iter().collect();
    slowest.sort_by_key(|c| std::cmp::Reverse(c["duration_ms"].as_u64().unwrap_or(0)));
    println!("slowest exercises, cold, jobs 1 (build / test / serve / probes, ms):");
    for c in slowest.iter().take(6) {
        let p = &c["phases_ms"];
        println!(
            "  {:<24} {:>6} ms  {} / {} / {} / {}",
            c["exercise"].as_str().unwrap_or("?"),
            c["duration_ms"],
            p["build"],
            p["test"],
            p["serve"],
            p["probe"]
        );
    }
    let mut slowest: Vec<&serde_json::Value> = warm1.cases.iter().collect();
    slowest.sort_by_key(|c| std::cmp::Reverse(c["duration_ms"].as_u64().unwrap_or(0)));
    println!("slowest exercises, warm, jobs 1:");
    for c in slowest.iter().take(6) {
        let p = &c["phases_ms"];
        println!(
            "  {:<24} {:>6} ms  {} / {} / {} / {}",
            c["exercise"].as_str().unwrap_or("?"),
            c["duration_ms"],
            p["build"],
            p["test"],
            p["serve"],
            p["probe"]
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}
