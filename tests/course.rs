//! The real course: its content is valid, every reference solution passes
//! its check and every pristine stub fails it, and exercises share their
//! compiled dependencies.

mod common;

use common::*;
use std::process::Command;

fn real(args: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let out = Command::new(bin())
        .args(args)
        .arg("--course")
        .arg(repo())
        .arg("--color")
        .arg("never")
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
    let run = real(&["verify", "--solutions", "--exercises"]);
    println!("{}", run.stdout);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" 0 failed"), "{}", run.stdout);
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
