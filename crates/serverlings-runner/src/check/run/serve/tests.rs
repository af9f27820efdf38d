//! A server listening elsewhere is named.

use super::launch::listens_elsewhere;

#[test]
fn a_listener_elsewhere_is_named() {
    let a = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
    assert!(listens_elsewhere(&[], 8080).is_none());
    assert!(listens_elsewhere(&[a("127.0.0.1:8080")], 8080).is_none());
    assert!(listens_elsewhere(&[a("0.0.0.0:8080")], 8080).is_none());
    assert!(listens_elsewhere(&[a("[::]:8080")], 8080).is_none());
    assert!(listens_elsewhere(&[a("127.0.0.1:9100"), a("127.0.0.1:8080")], 8080).is_none());
    let f = listens_elsewhere(&[a("127.0.0.1:8081")], 8080).unwrap();
    assert!(
        f.summary.contains("127.0.0.1:8081, not on port 8080"),
        "{}",
        f.summary
    );
    let f = listens_elsewhere(&[a("[::1]:8080")], 8080).unwrap();
    assert!(
        f.summary
            .contains("[::1]:8080, which 127.0.0.1:8080 does not reach"),
        "{}",
        f.summary
    );
}
