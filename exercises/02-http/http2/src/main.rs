//! # http2: h2c by hand, many streams on one connection
//!
//! The contract (`127.0.0.1:$PORT`):
//! - a client that starts with the HTTP/2 preface speaks HTTP/2 without
//!   TLS ("h2c with prior knowledge", `curl --http2-prior-knowledge`);
//!   any other client is served HTTP/1.1
//! - `GET /echo/{text}` → 200, the text; `POST /echo` → 200, the body;
//!   `GET /slow?ms=N` → 200 after N ms; anything else → 404 (`app.rs`)
//! - over HTTP/2, every answer has `x-stream-id`: the stream it came on
//! - many requests on one HTTP/2 connection are served at the same time:
//!   a slow stream holds up no other
//!
//! What to do: HPACK (`hpack.rs`), the routes (`app.rs`), the HTTP/1.1
//! fallback and the frame loop of `h2.rs` are given.
//! - `TODO(1)` in `frame.rs`: the 9-byte frame header, both ways;
//! - `TODO(2)` in `h2.rs`: acknowledge SETTINGS and answer PINGs;
//! - `TODO(3)` in `h2.rs`: answer each stream in a task of its own;
//! - `TODO(4)` in `h2.rs`: a response as HEADERS and DATA frames.
//!
//! Checked by: the unit tests, then the server is started and probed over
//! HTTP/2: an echo, a 40 KB body both ways, 404, and 20 slow requests at
//! once on one connection, which must all be answered about as fast as
//! one. Then over HTTP/1.1: a request, a malformed one, a slow client.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use http2::app::{self, Request};
use http2::frame::PREFACE;
use http2::h2;
use http2::http1::{self, Response};

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

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

/// Reads until the first bytes are the whole preface (HTTP/2) or cannot
/// be (HTTP/1.1), then serves the connection in that protocol.
async fn serve(mut stream: TcpStream) -> io::Result<()> {
    let mut start = Vec::with_capacity(PREFACE.len());
    while start.len() < PREFACE.len() && PREFACE.starts_with(&start) {
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).await? == 0 {
            return Ok(());
        }
        start.push(byte[0]);
    }
    if start == PREFACE {
        let (reader, writer) = stream.into_split();
        return h2::serve(reader, writer).await;
    }
    serve_http1(stream, start).await
}

/// HTTP/1.1 for clients without prior knowledge; `buf` holds the bytes
/// already read.
async fn serve_http1(mut stream: TcpStream, mut buf: Vec<u8>) -> io::Result<()> {
    loop {
        let request = match http1::read_request(&mut stream, &mut buf).await {
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
        let answer = app::respond(&Request {
            method: request.method.clone(),
            path: request.target.clone(),
            body: request.body.clone(),
        })
        .await;
        let mut response = Response::text(answer.status, &String::from_utf8_lossy(&answer.body));
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}
