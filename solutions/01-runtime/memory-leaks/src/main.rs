//! # memory-leaks: a session store that only grows
//!
//! The contract (`127.0.0.1:$PORT`):
//! - `GET /visit` without a session cookie → 200 `{"visits": 1}` and
//!   `Set-Cookie: sid=<id>; Path=/; HttpOnly`: a new session
//! - `GET /visit` with `Cookie: sid=<id>` of a known session → 200
//!   `{"visits": n}`, one more than last time
//! - `GET /stats` → 200 `{"sessions": <how many are kept>}`
//! - anything else → 404
//! - the store keeps at most 1000 sessions (the least recently seen go
//!   first), and forgets sessions idle for 30 minutes: memory stays flat
//!   however many visitors come
//!
//! What to do: the server works, and leaks: every visit without a cookie
//! adds a session of about 4 KiB that is never removed. Bound the store
//! in `sessions.rs`: `TODO(1)` (a capacity, least recently seen evicted)
//! and `TODO(2)` (expire idle sessions). Each has unit tests.
//!
//! Checked by: `cargo test`, then the server is started: a visitor's
//! count goes up, then 20,000 visits without cookies arrive, and the
//! server's resident memory may grow by at most 30 MiB.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use memory_leaks::http::{self, Request, Response};
use memory_leaks::sessions::Sessions;

/// The most sessions kept in memory.
const CAPACITY: usize = 1000;
/// A session not seen for this long is forgotten.
const IDLE_TTL: Duration = Duration::from_secs(30 * 60);
/// How often expired sessions are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(10);

type Store = Arc<Mutex<Sessions>>;

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    let store: Store = Arc::new(Mutex::new(Sessions::new(CAPACITY, IDLE_TTL)));
    tokio::spawn({
        let store = Arc::clone(&store);
        async move {
            let mut every = tokio::time::interval(SWEEP_EVERY);
            loop {
                every.tick().await;
                let expired = lock(&store).expire(Instant::now());
                if expired > 0 {
                    println!("{expired} idle sessions expired");
                }
            }
        }
    });

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &store).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

fn lock(store: &Store) -> MutexGuard<'_, Sessions> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The `sid` cookie of a request.
fn session_id(request: &Request) -> Option<&str> {
    request.header("cookie")?.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == "sid").then_some(value.trim())
    })
}

/// A new session id: 128 bits from the OS's random source, as hex.
fn new_id() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut bytes)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn respond(request: &Request, store: &Store) -> io::Result<Response> {
    let response = match (request.method.as_str(), request.target.as_str()) {
        ("GET", "/visit") => {
            let (visits, created) =
                lock(store).visit(session_id(request), Instant::now(), new_id()?);
            let response = Response::json(200, &serde_json::json!({ "visits": visits }));
            match created {
                Some(id) => {
                    response.with_header("Set-Cookie", &format!("sid={id}; Path=/; HttpOnly"))
                }
                None => response,
            }
        }
        ("GET", "/stats") => {
            let sessions = lock(store).len();
            Response::json(200, &serde_json::json!({ "sessions": sessions }))
        }
        _ => Response::text(404, "not found"),
    };
    Ok(response)
}

/// Answers the requests of one connection (keep-alive).
async fn serve(mut stream: TcpStream, store: &Store) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let request = match http::read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response =
                    Response::text(400, &error.to_string()).with_header("Connection", "close");
                return stream.write_all(&response.to_bytes()).await;
            }
            Err(error) => return Err(error),
        };
        let close = request.connection_has("close");
        let mut response = respond(&request, store)?;
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}
