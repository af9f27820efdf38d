//! The retry loop of `Upstream::price` against a local price service that
//! always answers 503: the waits between attempts must grow as `backoff`
//! says (base, 2 × base, 4 × base, each plus up to half again), not stay
//! at the base. Shipped with the exercise and run as shipped: do not edit.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use resilience::breaker::Breaker;
use resilience::upstream::{Failure, Policy, Upstream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A price service that answers every request 503 and closes the
/// connection; returns its URL and when each request arrived.
async fn always_503() -> (String, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                seen.lock().unwrap().push(Instant::now());
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, arrivals)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waits_between_attempts_double() {
    let (url, arrivals) = always_503().await;
    let base = Duration::from_millis(250);
    let policy = Policy {
        timeout: Duration::from_secs(5),
        attempts: 4,
        base,
        cap: Duration::from_secs(10),
    };
    let upstream = Upstream::new(&url, policy, Breaker::new(100, Duration::from_secs(60)));
    let got = upstream.price("down").await;
    assert!(
        matches!(got, Err(Failure::Failed { attempts: 4, .. })),
        "TODO(2): four attempts, each a 503, end in Failed {{ attempts: 4 }}; got {got:?}"
    );
    let at = arrivals.lock().unwrap().clone();
    assert_eq!(at.len(), 4, "TODO(2): one call per attempt");
    let gaps: Vec<u128> = at.windows(2).map(|w| (w[1] - w[0]).as_millis()).collect();
    for (i, gap) in gaps.iter().enumerate() {
        let least = base.as_millis() << i;
        assert!(
            *gap >= least * 95 / 100,
            "TODO(2): the wait after failure {} was {gap} ms, but backoff({}, base, cap) is at least base × 2^{i} = {least} ms: pass the number of failures so far to backoff (waits {gaps:?} ms)",
            i + 1,
            i + 1
        );
    }
}
