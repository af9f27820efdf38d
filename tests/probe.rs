//! Attach mode: `serverlings probe EXERCISE --url` runs the network steps
//! against a server the learner started themselves.

mod common;

use common::*;
use std::process::{Child, Command, Stdio};

/// Starts the fixture's correct server by hand, as a learner would.
fn start_good_server() -> (Child, u16) {
    // Build it (through a check) so the binary exists.
    let run = serverlings(&fixture_course(), &["check", "fx-good", "--color", "never"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(fixture_target().join("debug/fx-good"))
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (child, port);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("fx-good did not start");
}

#[test]
fn probing_a_running_server_runs_the_network_steps_only() {
    let (mut server, port) = start_good_server();
    let url = format!("http://127.0.0.1:{port}");
    let run = serverlings(
        &fixture_course(),
        &["probe", "fx-good", "--url", &url, "--color", "never", "-v"],
    );
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        !run.stdout.contains("✓ build"),
        "nothing is built in attach mode: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("connected to 127.0.0.1:{port}")),
        "{}",
        run.stdout
    );
    // Memory and descriptors need the process: skipped, and said so.
    assert!(
        run.stdout.contains("- 500 echoes from 8 clients"),
        "{}",
        run.stdout
    );
    // --verbose shows the transcript.
    assert!(
        run.stdout
            .contains(&format!("> GET http://127.0.0.1:{port}/")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("< HTTP/1.1 200 OK"), "{}", run.stdout);
    assert!(
        run.stdout.contains(r"> GET / HTTP/1.1\r\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("does not mark the exercise done"),
        "{}",
        run.stdout
    );
}

#[test]
fn nothing_listening_is_one_clear_failure() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = serverlings(
        &fixture_course(),
        &[
            "probe",
            "fx-good",
            "--url",
            &format!("127.0.0.1:{port}"),
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains(&format!("nothing accepts connections at 127.0.0.1:{port}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("start your server first"),
        "{}",
        run.stdout
    );
}

#[test]
fn remote_targets_are_refused_unless_allowed() {
    let run = serverlings(
        &fixture_course(),
        &["probe", "fx-good", "--url", "http://203.0.113.7:8080"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not this machine") && run.stderr.contains("--allow-remote"),
        "{}",
        run.stderr
    );
    let run = serverlings(
        &fixture_course(),
        &["probe", "fx-good", "--url", "ftp://127.0.0.1/"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("only http://"), "{}", run.stderr);
}
