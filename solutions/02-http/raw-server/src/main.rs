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
//! - a request body is framed by `Content-Length` or sent in chunks
//!   (`Transfer-Encoding: chunked`, as `curl -T -` uploads a stream): both
//!   are read; a body over 8 MiB → 413; a malformed chunk, or a request
//!   with both `Transfer-Encoding` and `Content-Length` → 400 (the
//!   connection closes after each refusal)
//! - one task per connection, so many clients are served at once
//!
//! Checked by: the unit tests (`cargo test`), then the server is started with
//! `FILES_DIR` set and every line above is probed, with random words and
//! chunked bodies sent over raw TCP.

mod gzip;
mod http;
mod routes;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::http::Response;

/// A connection that brings no complete request for this long is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a refused client may go on sending before we stop reading.
const LINGER: Duration = Duration::from_secs(1);

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

/// Answers the requests of one connection, one after the other.
async fn serve(mut stream: TcpStream, files_dir: &Path) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let next = tokio::time::timeout(IDLE_TIMEOUT, http::read_request(&mut stream, &mut buf));
        let request = match next.await {
            Ok(Ok(Some(request))) => request,
            // The client closed its side, or went quiet for too long.
            Ok(Ok(None)) | Err(_) => return Ok(()),
            Ok(Err(error)) => match http::status_for(&error) {
                Some(status) => return refuse(&mut stream, status, &error.to_string()).await,
                None => return Err(error),
            },
        };

        // HTTP/1.1 keeps the connection open unless the client says close;
        // HTTP/1.0 closes it unless the client says keep-alive.
        let close = if request.version == "HTTP/1.0" {
            !request.connection_has("keep-alive")
        } else {
            request.connection_has("close")
        };

        let response = routes::handle(&request, files_dir).await;
        let mut response = gzip::encode(response, request.header("accept-encoding"))?;
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}

/// Answers a request that could not be read, then closes the connection:
/// our side first, while what the client still sends is read and dropped
/// for a moment, so that the answer is not lost to a reset (RFC 9112, 9.6).
async fn refuse(stream: &mut TcpStream, status: u16, reason: &str) -> io::Result<()> {
    let response = Response::text(status, reason).with_header("Connection", "close");
    stream.write_all(&response.to_bytes()).await?;
    stream.shutdown().await?;
    let mut sink = [0; 4096];
    let drain = async {
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
    Ok(())
}
