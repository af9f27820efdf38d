//! The real course: its content is valid, every reference solution passes
//! its check and every pristine stub fails it, and exercises share their
//! compiled dependencies.

mod common;

use common::*;
use std::process::Command;

/// Held by the tests that build much or time their probes, so the scaffolded
/// database exercise's first build (sqlx) does not run beside verify's load
/// steps on a 2-core machine.
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

fn real(args: &[&str]) -> Run {
    on_course(&repo(), args)
}

/// Runs serverlings on `course`, building into the repository's target dir
/// (where a copy of the course finds the shared dependencies compiled).
fn on_course(course: &std::path::Path, args: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    let out = Command::new(bin())
        .args(args)
        .arg("--course")
        .arg(course)
        .arg("--color")
        .arg("never")
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

#[test]
fn the_course_content_lints_clean() {
    let run = real(&["lint"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn every_solution_passes_and_every_stub_fails() {
    let _one = heavy();
    let run = real(&["verify", "--solutions", "--exercises"]);
    println!("{}", run.stdout);
    // The failed cases with their details, last: a log cut short in the
    // middle still shows them.
    let failed = failed_cases(&run.stdout);
    assert_eq!(run.code, 0, "failed cases:\n{failed}\n{}", run.stderr);
    assert!(run.stdout.contains(" 0 failed"), "{}", run.stdout);
}

/// The `✗` lines of a verify report and the indented lines under each.
fn failed_cases(report: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in report.lines() {
        if line.starts_with('✗') {
            inside = true;
        } else if !line.starts_with(' ') {
            inside = false;
        }
        if inside {
            out.push(line);
        }
    }
    out.join("\n")
}

struct Unit {
    name: String,
    /// The first output file; its name carries cargo's hash of the unit's
    /// features and profile, so equal files mean one shared compilation.
    file: String,
    fresh: bool,
}

fn build_units(package: &str) -> Vec<Unit> {
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            package,
            "--bins",
            "--tests",
            "--message-format=json",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .map(|m| Unit {
            name: format!(
                "{} {} ({})",
                m["package_id"].as_str().unwrap_or(""),
                m["target"]["name"].as_str().unwrap_or(""),
                m["target"]["kind"]
            ),
            file: m["filenames"][0].as_str().unwrap_or("").to_string(),
            fresh: m["fresh"].as_bool().unwrap_or(false),
        })
        .collect()
}

#[test]
fn a_second_exercise_compiles_only_its_own_crate() {
    // request-parser's dependencies are a subset of router's, all taken
    // from the workspace: once router is built, request-parser compiles
    // nothing but itself.
    let first = build_units("router");
    let second = build_units("request-parser");
    let own = |u: &Unit| u.name.contains("/exercises/");
    let mut shared = 0;
    for u in second.iter().filter(|u| !own(u)) {
        if let Some(f) = first.iter().find(|f| f.name == u.name) {
            shared += 1;
            assert_eq!(
                f.file, u.file,
                "{} is compiled with different features for the two exercises",
                u.name
            );
            assert!(
                u.fresh,
                "{} was compiled again for the second exercise",
                u.name
            );
        }
    }
    assert!(
        shared >= 5,
        "router should share tokio and its dependencies with raw-server; shared {shared}"
    );
    let rebuilt: Vec<&str> = second
        .iter()
        .filter(|u| !u.fresh && !own(u))
        .map(|u| u.name.as_str())
        .collect();
    assert!(
        rebuilt.is_empty(),
        "the second exercise compiled more than its own crate: {rebuilt:?}"
    );
}

#[test]
fn new_db_exercise_keeps_notes_in_postgresql_and_verifies_both_ways() {
    let _one = heavy();
    // A copy of the course (not its build output): `new` edits part.toml and
    // the root Cargo.toml. It builds into the course's target dir, where the
    // shared dependencies already are; its new packages have names of their
    // own.
    let copy = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("real-course-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&repo(), &copy);
    let run = |args: &[&str]| {
        let r = on_course(&copy, args);
        (r.code, r.stdout + &r.stderr)
    };
    let (code, out) = run(&["new", "3", "notes-kept", "--kind", "db"]);
    assert_eq!(code, 0, "{out}");
    // The course already declares sqlx (with the features every crate
    // shares) and asks for a Rust that sqlx 0.9 builds with: nothing to add,
    // nothing to warn about.
    assert!(
        out.contains("PostgreSQL")
            && !out.contains("now declares sqlx")
            && !out.contains("raise min_rust"),
        "{out}"
    );
    let part = std::fs::read_to_string(copy.join("lessons/03-axum/part.toml")).unwrap();
    let entry = &part[part.find("id = \"notes-kept\"").unwrap()..];
    assert!(entry.contains("services = [\"postgres\"]"), "{entry}");
    let (code, out) = run(&["lint"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&[
        "verify",
        "--solutions",
        "--exercises",
        "--exercise",
        "notes-kept",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("notes-kept solution passes"), "{out}");
    assert!(
        out.contains("notes-kept stub fails as it should, at “POST /notes stores the note and answers 201 with its id”"),
        "{out}"
    );
    // Twice is refused; the manifest is not extended again.
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).unwrap();
    assert_eq!(manifest.matches("sqlx = {").count(), 1, "{manifest}");
    let (code, out) = run(&["new", "3", "notes-kept", "--kind", "db"]);
    assert_eq!(code, 2, "{out}");
    let _ = std::fs::remove_dir_all(&copy);
}
