//! Short commands past their limit are killed with what they started.

use super::*;

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.contains(") Z ") && !s.contains(") X "))
}

#[test]
fn a_command_past_its_limit_is_killed_with_what_it_started() {
    // A shell that starts a background child and waits on it: the
    // child is in the group and goes too.
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "sleep 30 & echo $!; wait"]);
    let started = std::time::Instant::now();
    let e = output_within_sync(cmd, Duration::from_millis(300)).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::TimedOut);
    assert!(e.to_string().contains("300ms"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // The background sleep carried the mark; none of this test's is left.
    std::thread::sleep(Duration::from_millis(100));
    let left = marked(&|v| v.starts_with(&format!("{}.", std::process::id())));
    assert!(
        left.iter().all(|p| p.comm != "sleep" || !alive(p.pid)),
        "{left:?}"
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut cmd = tokio::process::Command::new("sh");
    cmd.args(["-c", "sleep 30 & wait"]);
    let e = rt
        .block_on(output_within(cmd, Duration::from_millis(300)))
        .unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::TimedOut);
    std::thread::sleep(Duration::from_millis(100));
    let left = marked(&|v| v.starts_with(&format!("{}.", std::process::id())));
    assert!(left.iter().all(|p| p.comm != "sleep"), "{left:?}");

    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "echo out; echo err >&2"]);
    let out = output_within_sync(cmd, Duration::from_secs(10)).unwrap();
    assert_eq!(out.stdout, b"out\n");
    assert_eq!(out.stderr, b"err\n");
}
