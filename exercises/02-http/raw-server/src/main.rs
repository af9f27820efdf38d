//! # raw-server: an HTTP/1.1 server on a bare TcpListener
//!
//! The contract:
//! - binds `127.0.0.1:$PORT`; files live in the directory `$FILES_DIR`
//! - `GET /` → 200
//! - `GET /echo/{text}` → 200 `text/plain`, the body is `{text}`
//! - `GET /user-agent` → 200 `text/plain`, the body is the `User-Agent` header
//! - `GET /files/{name}` → 200 `application/octet-stream` with the bytes of
//!   `$FILES_DIR/{name}`, or 404 when there is no such file
//! - `POST /files/{name}` → writes the request body to `$FILES_DIR/{name}`, 201
//! - a file name with `/`, `\` or `..` in it, and any other path → 404
//! - keep-alive: many requests on one connection, until the client sends
//!   `Connection: close` (then the server closes after answering)
//! - gzip: when `Accept-Encoding` lists gzip, the body is compressed and the
//!   response says `Content-Encoding: gzip`
//! - one task per connection, so many clients are served at once
//!
//! What to do: the listener (one task per connection), the HTTP plumbing
//! (`http.rs`) and `GET /` are given. Work through `TODO(1)` to `TODO(6)`:
//! the routes in `routes.rs`, keep-alive here, gzip in `gzip.rs`. Today the
//! server answers `GET /` with 200, everything else with 404, and closes
//! every connection after one response.
//!
//! Checked by: the unit tests (`cargo test`), then the server is started with
//! `FILES_DIR` set and every line above is probed, with random words.

mod gzip;
mod http;
mod routes;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::http::Response;

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let files_dir = Arc::new(PathBuf::from(
        std::env::var_os("FILES_DIR").unwrap_or_else(|| ".".into()),
    ));
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

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
        // One task per connection: a slow or idle client holds only its own task.
        let files_dir = Arc::clone(&files_dir);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &files_dir).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// Answers the requests of one connection.
async fn serve(mut stream: TcpStream, files_dir: &Path) -> io::Result<()> {
    // TODO(5): keep-alive. An HTTP/1.1 connection carries request after
    // request until the client sends `Connection: close` (HTTP/1.0: until
    // the client does NOT send `Connection: keep-alive`). Loop: read a
    // request, answer it, and close only when the client asked for it
    // (`request.connection_has`), or when it closed its side (`Ok(None)`).
    // Keep using the same `buf`: it may already hold the next request.
    // (The solution also closes a connection that stays idle too long.)
    let mut buf = Vec::new();
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

    let response = routes::handle(&request, files_dir).await;
    let response = gzip::encode(response, request.header("accept-encoding"))?;
    // For now, every connection is closed after one response, and says so.
    let response = response.with_header("Connection", "close");
    stream.write_all(&response.to_bytes()).await
}
