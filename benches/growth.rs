//! Growth of the runner with the course, not timed tests:
//! `cargo bench --bench growth`. Synthetic courses of 10, 50, 100 and 200
//! tests-only exercises (the shape of tests/fixtures/course: course.toml,
//! lessons/NN-x/part.toml + lesson.md, exercises/, solutions/, checks/; ten
//! exercises a part) are generated in a temp dir, and for each size:
//!
//! - `serverlings list` and `serverlings lint`, against the process
//!   start-up of `serverlings --version` in the same run;
//! - the TUI's time to first frame at 120x40 (as benches/tui.rs measures
//!   it: spawn to the status line of the first frame);
//! - the checker's overhead on one solved tests-only exercise: `serverlings
//!   check <id>` against the bare `cargo test -p <id>`, interleaved, same
//!   target dir.
//!
//! Each figure is printed with the 10-exercise figure and the slope per 100
//! exercises (least squares over the four sizes).

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const SIZES: [usize; 4] = [10, 50, 100, 200];
const PER_PART: usize = 10;
/// Interleaved pairs of `serverlings check` and `cargo test -p`.
const PAIRS: usize = 11;

fn lesson(part: usize) -> String {
    let mut s = format!("# Part {part}\n\n");
    for i in 0..12 {
        s.push_str(&format!(
            "## Section {i}\n\nA paragraph of prose about part {part}, section {i}: a \
             request arrives, a handler answers, the server keeps going. In Node.js the \
             event loop does this; in Rust the runtime does.\n\n```rust\nfn handler_{i}(x: u32) -> u32 {{\n    x * {i}\n}}\n```\n\n"
        ));
    }
    s
}

fn source(solved: bool) -> String {
    format!(
        "fn double(x: i32) -> i32 {{\n    {} // TODO(1): multiply instead\n}}\n\nfn main() {{\n    println!(\"{{}}\", double(2));\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn doubles_two() {{\n        assert_eq!(super::double(2), 4);\n    }}\n    #[test]\n    fn doubles_five() {{\n        assert_eq!(super::double(5), 10, \"TODO(1): double(5) should be 10\");\n    }}\n}}\n",
        if solved { "x * 2" } else { "x + 2" }
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A course of `n` tests-only exercises; returns its folder and the id of
/// its first exercise.
fn generate(n: usize) -> (PathBuf, String) {
    let root = scratch(&format!("growth-{n}"));
    write(
        &root.join("course.toml"),
        &format!("title = \"Synthetic course of {n}\"\nmin_rust = \"1.85\"\n"),
    );
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"exercises/*/*\", \"solutions/*/*\"]\nresolver = \"3\"\n",
    );
    for p in 0..n.div_ceil(PER_PART) {
        let part = format!("{:02}-part{}", p + 1, p + 1);
        let mut toml = format!("title = \"Part {}\"\nsummary = \"Synthetic.\"\n", p + 1);
        for e in (p * PER_PART)..((p + 1) * PER_PART).min(n) {
            let id = format!("ex{e:03}");
            toml.push_str(&format!(
                "\n[[exercises]]\nid = \"{id}\"\ntitle = \"Exercise {e}\"\nsection = \"section-{}\"\nhints = [\"multiply\", \"x * 2\"]\n",
                e % 3
            ));
            let manifest = |name: &str| {
                format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n"
                )
            };
            let ex = root.join("exercises").join(&part).join(&id);
            write(&ex.join("Cargo.toml"), &manifest(&id));
            write(&ex.join("src/main.rs"), &source(false));
            let sol = root.join("solutions").join(&part).join(&id);
            write(
                &sol.join("Cargo.toml"),
                &manifest(&format!("{id}-solution")),
            );
            write(&sol.join("src/main.rs"), &source(true));
            write(
                &root.join("checks").join(&part).join(format!("{id}.toml")),
                "[build]\ntimeout = \"120s\"\n\n[test]\ntimeout = \"30s\"\n",
            );
        }
        write(&root.join("lessons").join(&part).join("part.toml"), &toml);
        write(
            &root.join("lessons").join(&part).join("lesson.md"),
            &lesson(p + 1),
        );
    }
    (root, "ex000".into())
}

/// Least-squares slope of `y` over `SIZES`, per 100 exercises.
fn slope_per_100(y: &[f64]) -> f64 {
    let x: Vec<f64> = SIZES.iter().map(|&s| s as f64).collect();
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let num: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let den: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    num / den * 100.0
}

fn cargo_test_ms(course: &Path, id: &str, target: &Path) -> f64 {
    let t = Instant::now();
    let ok = Command::new("cargo")
        .args(["test", "-p", id, "--color=never"])
        .current_dir(course)
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "cargo test -p {id}");
    ms(t)
}

struct Row {
    n: usize,
    version: f64,
    list: f64,
    lint: f64,
    lint_ok: bool,
    frame: f64,
    check: f64,
    cargo: f64,
}

fn measure(n: usize) -> Row {
    let (course, id) = generate(n);
    let target = course.join("target");
    let env = [("CARGO_TARGET_DIR", target.as_path())];
    let runs = 11;
    let (mut version, mut list, mut lint, mut frame) = (vec![], vec![], vec![], vec![]);
    let mut lint_ok = true;
    // First: the overview, so progress exists before list and the TUI run.
    run_ms(&course, &["list"], &[]);
    let out = Command::new(BIN)
        .args(["lint", "--course"])
        .arg(&course)
        .output()
        .unwrap();
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        println!("  lint, {n} exercises, reports (first lines):");
        for l in text.lines().take(6) {
            println!("    {l}");
        }
    }
    for _ in 0..runs {
        version.push(version_ms());
        list.push(run_ms(&course, &["list"], &[]).0);
        let (t, ok) = run_ms(&course, &["lint"], &[]);
        lint.push(t);
        lint_ok &= ok;
        frame.push(first_frame_ms(&course));
    }
    // The learner's copy of the first exercise, solved.
    let part = "01-part1";
    write(
        &course
            .join("exercises")
            .join(part)
            .join(&id)
            .join("src/main.rs"),
        &source(true),
    );
    // Warm both up (the first build compiles the crate).
    run_ms(&course, &["check", &id, "--color", "never"], &env);
    cargo_test_ms(&course, &id, &target);
    let (mut check, mut cargo) = (vec![], vec![]);
    // Turn about, each first every other time, so neither always runs
    // right after the other's build.
    for i in 0..PAIRS {
        if i % 2 == 1 {
            cargo.push(cargo_test_ms(&course, &id, &target));
        }
        let (t, ok) = run_ms(&course, &["check", &id, "--color", "never"], &env);
        assert!(ok, "serverlings check {id} passes");
        check.push(t);
        if i % 2 == 0 {
            cargo.push(cargo_test_ms(&course, &id, &target));
        }
    }
    let _ = std::fs::remove_dir_all(&course);
    Row {
        n,
        version: median(&version),
        list: median(&list),
        lint: median(&lint),
        lint_ok,
        frame: median(&frame),
        check: median(&check),
        cargo: median(&cargo),
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would run us too.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    println!(
        "serverlings growth measurements ({BIN}); load average at start {}",
        load_average()
    );
    let mut rows = vec![];
    for n in SIZES {
        let r = measure(n);
        println!(
            "{:4} exercises: --version {:5.1} ms | list {:6.1} ms | lint {:6.1} ms{} | first frame {:6.1} ms | check {:6.0} ms vs cargo test {:6.0} ms (×{:.2}, {:+.0} ms)   [load {}]",
            r.n,
            r.version,
            r.list,
            r.lint,
            if r.lint_ok {
                ""
            } else {
                " (lint found problems)"
            },
            r.frame,
            r.check,
            r.cargo,
            r.check / r.cargo,
            r.check - r.cargo,
            load_average()
        );
        rows.push(r);
    }
    let col = |f: &dyn Fn(&Row) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    println!("medians; slope = least squares over 10/50/100/200 exercises, per 100 exercises:");
    for (name, y) in [
        ("--version (baseline)", col(&|r| r.version)),
        ("list", col(&|r| r.list)),
        ("lint", col(&|r| r.lint)),
        ("TUI first frame", col(&|r| r.frame)),
        ("check, tests-only", col(&|r| r.check)),
        ("cargo test -p (baseline)", col(&|r| r.cargo)),
        ("check overhead over cargo", col(&|r| r.check - r.cargo)),
    ] {
        println!(
            "  {name:28} 10: {:7.1} ms   200: {:7.1} ms   slope {:+7.2} ms per 100 exercises ({:+.1}% of the 10-exercise figure)",
            y[0],
            y[3],
            slope_per_100(&y),
            slope_per_100(&y) / y[0].abs().max(0.001) * 100.0
        );
    }
    println!("load average at end {}", load_average());
}
