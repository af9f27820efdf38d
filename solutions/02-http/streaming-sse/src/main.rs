//! # streaming-sse: chunked responses and a resumable event stream
//!
//! The contract (`127.0.0.1:$PORT`):
//! - `POST /messages` with a text body → 201 `{"id": n}`: the message gets
//!   the next id, 1, 2, 3, ...
//! - `GET /messages` → 200 `text/plain`, every message on its own line,
//!   sent with `Transfer-Encoding: chunked` (one chunk per message)
//! - `GET /events` → a Server-Sent Events stream: `retry: 2000`, every
//!   message so far as an event (`id:` its id, `event: message`, `data:`
//!   its text), then each new message as it is posted, and a comment line
//!   every 15 s while nothing happens
//! - `GET /events` with `Last-Event-ID: n` → the same, from id n + 1
//! - a malformed request → 400 and the connection is closed; anything else
//!   → 404
//!
//! What to do: the HTTP plumbing (`http.rs`), the message log (`feed.rs`)
//! and this file's routing are given.
//! - `TODO(1)` in `chunked.rs`: the chunk framing;
//! - `TODO(2)` below: `GET /messages` as a chunked response;
//! - `TODO(3)` to `TODO(5)` in `sse.rs`: the event format, the stream with
//!   its resume, and the heartbeat.
//!
//! Checked by: the unit tests (`cargo test`), then the server is started:
//! random messages are posted, `/messages` is read over raw TCP (chunked,
//! keep-alive), `/events` is read and resumed with `Last-Event-ID`, and a
//! malformed request and a very slow client are sent.

mod chunked;
mod feed;
mod http;
mod sse;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::chunked::ChunkedWriter;
use crate::feed::Feed;
use crate::http::{Request, Response};

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    let feed = Arc::new(Feed::default());
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                // Usually out of file descriptors: pause instead of spinning.
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let feed = Arc::clone(&feed);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &feed).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// Answers the requests of one connection (keep-alive). `GET /events`
/// keeps the connection until the client leaves.
async fn serve(mut stream: TcpStream, feed: &Feed) -> io::Result<()> {
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
        match (request.method.as_str(), request.target.as_str()) {
            ("GET", "/events") => {
                let after = sse::last_event_id(request.header("last-event-id"));
                return sse::stream_events(feed, after, &mut stream, sse::HEARTBEAT).await;
            }
            ("GET", "/messages") => list_messages(&mut stream, feed).await?,
            _ => {
                let mut response = respond(&request, feed);
                if close {
                    response = response.with_header("Connection", "close");
                }
                stream.write_all(&response.to_bytes()).await?;
            }
        }
        if close {
            return Ok(());
        }
    }
}

/// The answer to a request that fits in one response with a length.
fn respond(request: &Request, feed: &Feed) -> Response {
    match (request.method.as_str(), request.target.as_str()) {
        ("POST", "/messages") => match std::str::from_utf8(&request.body) {
            Ok(text) => {
                let id = feed.publish(text);
                Response::json(201, &serde_json::json!({ "id": id }))
            }
            Err(_) => Response::text(400, "a message is UTF-8 text"),
        },
        _ => Response::text(404, "not found"),
    }
}

/// `GET /messages`: every message on its own line, one chunk each, sent as
/// they are read: the whole list never has to be in one buffer.
async fn list_messages(stream: &mut TcpStream, feed: &Feed) -> io::Result<()> {
    let mut body = ChunkedWriter::begin(stream, 200, &[("Content-Type", "text/plain")]).await?;
    for message in feed.since(0) {
        body.send(format!("{}\n", message.text).as_bytes()).await?;
    }
    body.finish().await
}
