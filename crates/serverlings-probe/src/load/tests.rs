//! Footprints and CPU shares read from /proc.

#[test]
fn reads_its_own_footprint() {
    let f = super::footprint(std::process::id() as i32).expect("/proc is readable");
    assert!(f.rss_kib > 100, "{f:?}");
    assert!(f.fds >= 3, "{f:?}");
    assert!(!f.threads.is_empty(), "{f:?}");
}

#[test]
fn stat_lines_with_spaces_in_the_name_give_their_cpu_ticks() {
    let line = "4242 (tokio-rt (w) 1) S 1 4242 4242 0 -1 4194560 200 0 0 0 37 5 0 0 20 0 3 0";
    assert_eq!(super::footprint::stat_ticks(line), Some(42));
}

#[test]
fn work_spread_over_threads_is_told_from_work_on_one() {
    let fp = |threads: Vec<(i32, u64)>| super::Footprint {
        rss_kib: 1,
        peak_kib: 1,
        fds: 1,
        threads,
    };
    let before = fp(vec![(1, 10), (2, 0), (3, 5)]);
    // One thread did the work; two others woke for a tick or two.
    let one = fp(vec![(1, 12), (2, 90), (3, 6)]);
    let shares = super::cpu_shares(&before, &one);
    assert_eq!(shares[0], (2, 90));
    assert_eq!(super::busy_threads(&shares), 1);
    // Two threads shared it; a new thread appeared meanwhile.
    let two = fp(vec![(1, 50), (2, 45), (3, 6), (4, 1)]);
    assert_eq!(super::busy_threads(&super::cpu_shares(&before, &two)), 2);
}

/// A server may close an idle keep-alive connection at any time; when the
/// next request meets it, the client sees an end of stream or a reset,
/// and sends the request again on a new connection. A reset on a fresh
/// connection stays an error.
#[tokio::test]
async fn a_reset_of_an_idle_reused_connection_is_retried_once() {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let reset = |s: &std::net::TcpStream| {
        let linger = libc::linger {
            l_onoff: 1,
            l_linger: 0,
        };
        // SAFETY: setsockopt on a socket we own, with a valid struct.
        unsafe {
            libc::setsockopt(
                s.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                &linger as *const libc::linger as *const libc::c_void,
                std::mem::size_of::<libc::linger>() as libc::socklen_t,
            );
        }
    };
    let server = std::thread::spawn(move || {
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
        let mut buf = [0u8; 1024];
        // 1: one answer, then the next request on it is met with a reset.
        let (mut a, _) = listener.accept().unwrap();
        let _ = a.read(&mut buf).unwrap();
        a.write_all(ok).unwrap();
        let _ = a.read(&mut buf).unwrap();
        reset(&a);
        drop(a);
        // 2: the retry, answered.
        let (mut b, _) = listener.accept().unwrap();
        let _ = b.read(&mut buf).unwrap();
        b.write_all(ok).unwrap();
        // 3: a fresh connection reset at once.
        let (mut c, _) = listener.accept().unwrap();
        let _ = c.read(&mut buf).unwrap();
        reset(&c);
        drop(c);
    });
    let prepared = serverlings_probe_prepared(port);
    let req = super::client::RawRequest::new(&prepared);
    let mut conn = None;
    assert_eq!(req.send(&mut conn).await, Ok(200));
    assert_eq!(
        req.send(&mut conn).await,
        Ok(200),
        "retried on a new connection"
    );
    let mut fresh = None;
    assert!(
        req.send(&mut fresh).await.is_err(),
        "a fresh connection is not retried"
    );
    server.join().unwrap();
}

fn serverlings_probe_prepared(port: u16) -> crate::http::Prepared {
    crate::http::Prepared {
        method: "GET".into(),
        url: format!("http://127.0.0.1:{port}/"),
        headers: vec![],
        body: vec![],
    }
}
