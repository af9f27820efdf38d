//! # threads-vs-processes, part two: processes that share a port
//!
//! The contract (`127.0.0.1:$PORT`, started twice on the same port):
//! - every response has an `X-Pid` header: the id of the process that
//!   answered
//! - `GET /pid` → 200, the process id as the body
//! - `POST /words` with a text as the body → 200, the number of words in
//!   it, counted on all cores by `count_words_parallel` (part one, lib.rs)
//! - anything else → 404
//! - two copies of this server run on one port at the same time, and both
//!   get connections
//!
//! What to do: `TODO(1)` to `TODO(3)` in lib.rs first (`cargo test`), then
//! `TODO(4)` below: today a second copy cannot bind the port and exits.
//! Try it: `PORT=8080 cargo run` in two terminals.
//!
//! Checked by: `cargo test`, then two copies are started on one port:
//! `/pid` and `/words` with a random text, then 40 requests at once must
//! see two different `X-Pid` values.

mod http;

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
#[allow(unused_imports)] // TcpSocket: TODO(4) needs it
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use crate::http::{Request, Response};
use threads_vs_processes::count_words_parallel;

#[tokio::main]
async fn main() -> io::Result<()> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "PORT is not a port"))?,
        Err(_) => 8080,
    };
    let listener = bind_shared(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!(
        "process {} listening on {}",
        std::process::id(),
        listener.local_addr()?
    );

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        tokio::spawn(async move {
            if let Err(error) = serve(stream).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// A listener on `addr` that other processes may bind too.
async fn bind_shared(addr: SocketAddr) -> io::Result<TcpListener> {
    // TODO(4): `TcpListener::bind` refuses an address that another process
    // holds (`Address already in use`). Listen so that every copy of the
    // server started on this port gets the port too, and the kernel
    // spreads new connections among them; and so that a restart is not
    // refused while old connections linger in TIME_WAIT. The socket options
    // must be set before the bind.
    TcpListener::bind(addr).await
}

/// The answer to one request.
async fn respond(request: Request) -> Response {
    match (request.method.as_str(), request.target.as_str()) {
        ("GET", "/pid") => Response::text(200, &std::process::id().to_string()),
        ("POST", "/words") => {
            let Ok(text) = String::from_utf8(request.body) else {
                return Response::text(400, "the body must be UTF-8 text");
            };
            let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
            // CPU work: off the async workers (see blocking-the-loop).
            let counted =
                tokio::task::spawn_blocking(move || count_words_parallel(&text, threads)).await;
            match counted {
                Ok(words) => Response::text(200, &words.to_string()),
                Err(error) => {
                    eprintln!("counting failed: {error}");
                    Response::text(500, "internal server error")
                }
            }
        }
        _ => Response::text(404, "not found"),
    }
}

/// Answers the requests of one connection (keep-alive).
async fn serve(mut stream: TcpStream) -> io::Result<()> {
    let pid = std::process::id().to_string();
    let mut buf = Vec::new();
    loop {
        let request = match http::read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response = Response::text(400, &error.to_string())
                    .with_header("X-Pid", &pid)
                    .with_header("Connection", "close");
                return stream.write_all(&response.to_bytes()).await;
            }
            Err(error) => return Err(error),
        };
        let close = request.connection_has("close");
        let mut response = respond(request).await.with_header("X-Pid", &pid);
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}
