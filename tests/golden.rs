//! Golden-file tests of the CLI: what a learner or an instructor reads.
//!
//! Each folder of `tests/golden/` is a case: `args` (one argument per line;
//! the first line may be `@copy`, for a fresh copy of the fixture course,
//! instead of the fixture course itself), and beside it the expected
//! `stdout`, `stderr` and `code`. What differs from run to run — ports,
//! paths, times, measured figures — is filtered on both sides before the
//! comparison. `SERVERLINGS_BLESS=1 cargo test --test golden` rewrites the
//! expected files from what the commands print now (read the diff!).

mod common;

use common::*;
use regex::Regex;
use std::path::Path;

/// Replaces what changes between runs with a placeholder.
fn filter(text: &str, course: &Path) -> String {
    let mut s = text.replace(&course.display().to_string(), "<course>");
    let rules: &[(&str, &str)] = &[
        // ports and addresses the checker picked
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        (r"listening on \d+", "listening on <port>"),
        // times and rates
        (r"\d+(\.\d+)?(ms|µs|s|m)\b", "<t>"),
        (r"\(\d+/s\)", "(<rate>)"),
        (
            r#""(duration_ms|build|test|serve|probe)":\s*\d+"#,
            r#""$1":<t>"#,
        ),
        // how many requests a timed load sent
        (r"\d+ requests in", "<n> requests in"),
        (r"(\d{3})×\d+", "$1×<n>"),
        // what cargo did: depends on what was built before
        (r"\d+ units? compiled, \d+ fresh", "<units>"),
        (r"\d+ units? fresh", "<units>"),
        // measured figures of the server
        (r"\d+(\.\d+)? MiB", "<mem>"),
        (r"descriptors \d+ → \d+", "descriptors <n> → <n>"),
        (r"pid \d+", "pid <n>"),
    ];
    for (pattern, with) in rules {
        s = Regex::new(pattern)
            .unwrap()
            .replace_all(&s, *with)
            .into_owned();
    }
    s
}

fn case(name: &str) {
    let dir = repo().join("tests/golden").join(name);
    let args_text = std::fs::read_to_string(dir.join("args")).expect("a case has an args file");
    let mut args: Vec<&str> = args_text.lines().filter(|l| !l.is_empty()).collect();
    let course = if args.first() == Some(&"@copy") {
        args.remove(0);
        copy_of_fixture(&format!("golden-{name}"))
    } else {
        fixture_course()
    };
    let run = serverlings(&course, &args);
    let got = [
        ("stdout", filter(&run.stdout, &course)),
        ("stderr", filter(&run.stderr, &course)),
        ("code", format!("{}\n", run.code)),
    ];
    let bless = std::env::var_os("SERVERLINGS_BLESS").is_some();
    let mut wrong = Vec::new();
    for (file, text) in &got {
        let path = dir.join(file);
        if bless {
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if &want != text {
            wrong.push(format!(
                "--- {name}/{file}, expected:\n{want}\n--- got:\n{text}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "`serverlings {}` printed something else (SERVERLINGS_BLESS=1 rewrites the files):\n{}",
        args.join(" "),
        wrong.join("\n")
    );
}

#[test]
fn list() {
    case("list");
}

#[test]
fn lint() {
    case("lint");
}

#[test]
fn hint() {
    case("hint");
}

#[test]
fn check_passing() {
    case("check-passing");
}

#[test]
fn check_failing() {
    case("check-failing");
}

#[test]
fn check_json() {
    case("check-json");
}

#[test]
fn verify_json() {
    case("verify-json");
}

#[test]
fn probe_nothing_listening() {
    case("probe-nothing-listening");
}

#[test]
fn an_unknown_exercise() {
    case("unknown-exercise");
}
