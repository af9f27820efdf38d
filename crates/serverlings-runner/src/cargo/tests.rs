//! Libtest summaries, first failures, colours and unit names.

use super::harness::{count, first_failures};
use super::messages::unit_name;
use super::*;

#[test]
fn reads_libtest_summaries() {
    let s = "ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s";
    assert_eq!(count(s, " passed"), 3);
    assert_eq!(count(s, " failed"), 0);
    assert_eq!(count(s, " ignored"), 1);
    let f = "FAILED. 2 passed; 5 failed; 0 ignored; 0 measured; 0 filtered out";
    assert_eq!(count(f, " passed"), 2);
    assert_eq!(count(f, " failed"), 5);
}

/// The TUI runs harnesses with colours on: its counts must be the same
/// as `serverlings check`'s ("✓ test — 0 passed" once showed there).
#[test]
fn coloured_harness_output_counts_like_plain() {
    let plain = [
        "test tests::ping_then_pong ... ok".to_string(),
        "test tests::as_they_finish ... ok".to_string(),
        "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s".to_string(),
    ];
    let coloured = [
        "test tests::ping_then_pong ... \x1b[32mok\x1b[0m".to_string(),
        "test tests::as_they_finish ... \x1b[32mok\x1b[0m".to_string(),
        "test result: \x1b[32mok\x1b[0m. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s".to_string(),
    ];
    let (mut a, mut b) = (TestRun::default(), TestRun::default());
    assert!(a.absorb("lib", &plain));
    assert!(b.absorb("lib", &coloured));
    assert_eq!((a.passed, a.passed_names.len()), (2, 2));
    assert_eq!((b.passed, b.passed_names), (a.passed, a.passed_names));
}

#[test]
fn shows_the_first_failures_and_names_the_rest() {
    let section: Vec<String> = "failures:\n\n---- a stdout ----\npanicked: TODO(1)\nnote: run with `RUST_BACKTRACE=1`\n\n---- b stdout ----\nTODO(2)\n\n---- c stdout ----\nTODO(3)\n\nfailures:\n    a\n    b\n    c\n"
        .lines()
        .map(String::from)
        .collect();
    let out = first_failures(&section, 2);
    assert_eq!(
        out,
        [
            "---- a stdout ----",
            "panicked: TODO(1)",
            "---- b stdout ----",
            "TODO(2)",
            "… and 1 more failing test: c"
        ]
    );
    // Blocks are ordered by their TODO number, not by finishing order.
    let shuffled: Vec<String> = "failures:\n---- c stdout ----\nTODO(3)\n---- a stdout ----\nTODO(1)\nfailures:\n    c\n    a\ntest result: FAILED. 0 passed; 2 failed"
        .lines()
        .map(String::from)
        .collect();
    let out = first_failures(&shuffled, 1);
    assert_eq!(
        out,
        [
            "---- a stdout ----",
            "TODO(1)",
            "… and 1 more failing test: c"
        ]
    );
}

#[test]
fn strips_colours() {
    assert_eq!(
        strip_ansi("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: x"),
        "error: x"
    );
}

#[test]
fn unit_names_from_both_id_formats() {
    assert_eq!(
        unit_name(
            "registry+https://github.com/rust-lang/crates.io-index#tokio@1.47.1",
            "tokio"
        ),
        "tokio 1.47.1"
    );
    assert_eq!(
        unit_name(
            "path+file:///w/exercises/02-http/raw-server#0.1.0",
            "raw_server"
        ),
        "raw_server 0.1.0"
    );
}
