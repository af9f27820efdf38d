//! A TCP proxy between the learner's server and PostgreSQL, owned by the
//! checker: it counts the queries the server sends (simple `Q` and extended
//! `E`xecute messages), outside the learner's process, and can cut every
//! connection and refuse new ones (the database "goes down") until restored.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Proxy {
    pub port: u16,
    queries: Arc<AtomicU64>,
    down: Arc<AtomicBool>,
    /// Bumped on every cut: live connections end when it changes.
    cuts: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream` (host:port).
    pub async fn start(upstream: String) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let queries = Arc::new(AtomicU64::new(0));
        let down = Arc::new(AtomicBool::new(false));
        let (cuts, _) = watch::channel(0u64);
        let (q, d, c) = (queries.clone(), down.clone(), cuts.clone());
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                if d.load(Ordering::SeqCst) {
                    drop(client); // the database is "down": refuse
                    continue;
                }
                let (q, up, cut) = (q.clone(), upstream.clone(), c.subscribe());
                conns.spawn(async move {
                    let _ = relay(client, &up, q, cut).await;
                });
            }
        });
        Ok(Proxy {
            port,
            queries,
            down,
            cuts,
            task,
        })
    }

    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::SeqCst)
    }

    /// Ends every connection and refuses new ones.
    pub fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

async fn relay(
    client: TcpStream,
    upstream: &str,
    queries: Arc<AtomicU64>,
    mut cut: watch::Receiver<u64>,
) -> std::io::Result<()> {
    let server = TcpStream::connect(upstream).await?;
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let to_server = async {
        let mut counter = Counter::default();
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = cr.read(&mut buf).await?;
            if n == 0 {
                return Ok::<(), std::io::Error>(());
            }
            queries.fetch_add(counter.feed(&buf[..n]), Ordering::SeqCst);
            sw.write_all(&buf[..n]).await?;
        }
    };
    let to_client = tokio::io::copy(&mut sr, &mut cw);
    tokio::select! {
        _ = to_server => {}
        _ = to_client => {}
        _ = cut.changed() => {}
    }
    Ok(())
}

/// Follows the frontend message framing of the PostgreSQL protocol: the
/// untyped startup (and SSL/GSS request) messages, then `type, length,
/// payload` messages; counts `Q` (simple query) and `E` (execute).
#[derive(Debug, Default)]
pub struct Counter {
    started: bool,
    /// Bytes of the current message header seen so far.
    head: Vec<u8>,
    /// Payload bytes still to skip in the current message.
    skip: usize,
}

impl Counter {
    pub fn feed(&mut self, mut bytes: &[u8]) -> u64 {
        let mut count = 0;
        while !bytes.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(bytes.len());
                self.skip -= n;
                bytes = &bytes[n..];
                continue;
            }
            let want = if self.started { 5 } else { 4 };
            let n = (want - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if self.head.len() < want {
                break;
            }
            if self.started {
                let kind = self.head[0];
                let len =
                    u32::from_be_bytes([self.head[1], self.head[2], self.head[3], self.head[4]])
                        as usize;
                if kind == b'Q' || kind == b'E' {
                    count += 1;
                }
                self.skip = len.saturating_sub(4);
            } else {
                let len =
                    u32::from_be_bytes([self.head[0], self.head[1], self.head[2], self.head[3]])
                        as usize;
                self.skip = len.saturating_sub(4);
                // SSLRequest/GSSENCRequest (8 bytes) come before the startup
                // message; the startup message itself is longer.
                if len != 8 {
                    self.started = true;
                }
            }
            self.head.clear();
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::{Counter, Proxy};

    /// Against the PostgreSQL of this machine (CI has one at 5432); on a
    /// machine without one there is nothing to proxy and the test says so.
    #[tokio::test]
    async fn counts_a_real_clients_queries_and_cuts_the_connection() {
        let upstream =
            std::env::var("SERVERLINGS_TEST_PG").unwrap_or_else(|_| "127.0.0.1:5432".into());
        if tokio::net::TcpStream::connect(&upstream).await.is_err() {
            eprintln!("no PostgreSQL at {upstream}: proxy test not run");
            return;
        }
        let proxy = Proxy::start(upstream).await.unwrap();
        let url = format!("postgres://postgres@127.0.0.1:{}/postgres", proxy.port);
        let client = serverlings_services::postgres::connect(&url).await.unwrap();
        let before = proxy.queries();
        client.simple_query("SELECT 1").await.unwrap();
        let stmt = client.prepare("SELECT $1::int + 1").await.unwrap();
        for i in 0..3 {
            let row = client.query_one(&stmt, &[&i]).await.unwrap();
            assert_eq!(row.get::<_, i32>(0), i + 1);
        }
        assert_eq!(
            proxy.queries() - before,
            4,
            "one simple query and three executions"
        );
        proxy.cut();
        assert!(
            client.simple_query("SELECT 1").await.is_err(),
            "the connection is cut"
        );
        assert!(
            serverlings_services::postgres::connect(&url).await.is_err(),
            "new connections are refused"
        );
        proxy.restore();
        let again = serverlings_services::postgres::connect(&url).await.unwrap();
        again.simple_query("SELECT 1").await.unwrap();
    }

    fn msg(kind: u8, payload: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend_from_slice(&((payload.len() + 4) as u32).to_be_bytes());
        m.extend_from_slice(payload);
        m
    }

    #[test]
    fn counts_simple_and_extended_queries_across_reads() {
        let mut c = Counter::default();
        let mut stream = vec![0, 0, 0, 8, 4, 210, 22, 47]; // SSLRequest
        stream.extend_from_slice(&[0, 0, 0, 12, 0, 3, 0, 0, b'u', 0, 0, 0]); // startup
        stream.extend(msg(b'Q', b"SELECT 1\0"));
        stream.extend(msg(b'P', b"\0SELECT $1\0\0\0"));
        stream.extend(msg(b'B', b"\0\0\0\0\0\0\0\0"));
        stream.extend(msg(b'E', b"\0\0\0\0\0"));
        stream.extend(msg(b'S', b""));
        stream.extend(msg(b'E', b"\0\0\0\0\0"));
        // Fed in awkward pieces, the count is the same.
        let total: u64 = stream.chunks(3).map(|ch| c.feed(ch)).sum();
        assert_eq!(total, 3);
    }
}
