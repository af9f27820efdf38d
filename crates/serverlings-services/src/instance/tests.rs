//! Free ports, liveness and state files.

use super::*;
use std::process::Command;

#[test]
fn free_ports_are_outside_the_ephemeral_range_and_never_repeat() {
    let first_ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    let ports: Vec<u16> = (0..200).map(|_| free_port().unwrap()).collect();
    let distinct: std::collections::HashSet<_> = ports.iter().collect();
    assert_eq!(distinct.len(), ports.len(), "{ports:?}");
    if first_ephemeral > 21000 {
        assert!(
            ports.iter().all(|p| (20000..first_ephemeral).contains(p)),
            "{ports:?}"
        );
    }
    // Each one can be bound now.
    for p in &ports[..20] {
        std::net::TcpListener::bind(("127.0.0.1", *p)).unwrap();
    }
}

#[test]
fn a_dead_pid_is_not_alive() {
    assert!(alive(std::process::id() as i32));
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id() as i32;
    c.wait().unwrap();
    assert!(!alive(pid));
    assert!(!alive(0));
}

#[test]
fn state_files_round_trip() {
    let dir = std::env::temp_dir().join(format!("sl-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = State {
        kind: "redis".into(),
        pid: 42,
        port: 1234,
        url: "redis://127.0.0.1:1234".into(),
        version: "Redis 7".into(),
        data: None,
        started: 1,
    };
    write_state(&dir, &s).unwrap();
    assert_eq!(read_state(&dir), Some(s));
    std::fs::remove_dir_all(&dir).unwrap();
}
