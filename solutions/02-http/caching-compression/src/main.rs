//! # caching-compression: ETags, 304, Cache-Control and gzip
//!
//! The contract (`127.0.0.1:$PORT`):
//! - `PUT /articles/{slug}` with a text body → 201 (new) or 200 (replaced),
//!   with the `ETag` of the new version; with an `If-Match` that names
//!   another version → 412 and nothing changes
//! - `GET /articles/{slug}` → 200 `text/plain`, `ETag: "<16 hex digits>"`,
//!   `Cache-Control: public, max-age=60`, `Vary: Accept-Encoding`; 404 if
//!   there is no such article
//! - with `If-None-Match` naming the current version (or `*`) → 304, no
//!   body, the same three headers
//! - with `Accept-Encoding` accepting gzip, and a text of 256 bytes or
//!   more → the body gzipped, `Content-Encoding: gzip`, and an ETag of its
//!   own (the same digits with `-gz`)
//! - `GET /account` → 200 JSON, `Cache-Control: private, no-store`
//! - a malformed request → 400; anything else → 404
//!
//! What to do: the HTTP plumbing, the article store, gzip and this file
//! are given. `TODO(1)`, `TODO(2)` and `TODO(5)` are in `caching.rs` (the
//! validators), `TODO(3)` and `TODO(4)` in `routes.rs` (304, gzip). Each
//! has unit tests: `cargo test`.
//!
//! Checked by: the unit tests, then the server is started and a random
//! article goes through every line above, over HTTP and raw TCP, with a
//! malformed request and a slow client.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use caching_compression::articles::Articles;
use caching_compression::http::{self, Response};
use caching_compression::routes::respond;

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    let articles = Arc::new(Articles::default());
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let articles = Arc::clone(&articles);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &articles).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// Answers the requests of one connection (keep-alive).
async fn serve(mut stream: TcpStream, articles: &Articles) -> io::Result<()> {
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
        let mut response = respond(&request, articles);
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}
