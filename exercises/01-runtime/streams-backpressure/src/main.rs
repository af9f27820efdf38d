//! # streams-backpressure: send a large body with a small buffer
//!
//! The contract (`127.0.0.1:$PORT`):
//! - `GET /download/{n}` → 200 `application/octet-stream`,
//!   `Content-Length: n`, and n bytes of `0123456789` repeated (n up to
//!   1 GiB; more is 413, not a number is 400)
//! - `GET /ping` → 200 `pong`
//! - anything else → 404
//! - memory stays flat however large the downloads and however many run
//!   at once: the body is never all in memory
//!
//! What to do: `TODO(1)` in `pattern.rs`, the `poll_read` of the byte
//! source (it has unit tests), and `TODO(2)` below: today each download
//! is read into one `Vec` before a byte is sent.
//!
//! Checked by: `cargo test`, then the server is started: downloads of a
//! random size are checked byte for byte, then four clients download
//! 64 MiB each, over and over, while the server's resident memory must
//! stay under 48 MiB.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use streams_backpressure::http::{self, Response};
use streams_backpressure::pattern::Pattern;

/// The largest download served.
const MAX_DOWNLOAD: u64 = 1 << 30;

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

/// Sends `len` bytes of the pattern as the body of a 200.
async fn download(stream: &mut TcpStream, len: u64) -> io::Result<()> {
    let headers = [("Content-Type", "application/octet-stream")];
    stream
        .write_all(&Response::head_bytes(200, &headers, len))
        .await?;
    // TODO(2): this reads the whole body into memory before sending a
    // byte, like `fs.readFile` then `res.end(data)`: four downloads of
    // 64 MiB hold 256 MiB. Send the same bytes so that memory holds a
    // buffer's worth per download, whatever its size: the source is read
    // only as fast as the client takes what was sent (backpressure).
    let mut body = Vec::new();
    Pattern::new(len).read_to_end(&mut body).await?;
    stream.write_all(&body).await
}

/// Answers the requests of one connection (keep-alive).
async fn serve(mut stream: TcpStream) -> io::Result<()> {
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
        let answer = match (request.method.as_str(), request.target.as_str()) {
            ("GET", "/ping") => Some(Response::text(200, "pong")),
            ("GET", path) if path.starts_with("/download/") => {
                match path["/download/".len()..].parse::<u64>() {
                    Ok(len) if len <= MAX_DOWNLOAD => {
                        download(&mut stream, len).await?;
                        None
                    }
                    Ok(_) => Some(Response::text(413, "at most 1 GiB")),
                    Err(_) => Some(Response::text(400, "the size is a number of bytes")),
                }
            }
            _ => Some(Response::text(404, "not found")),
        };
        if let Some(mut response) = answer {
            if close {
                response = response.with_header("Connection", "close");
            }
            stream.write_all(&response.to_bytes()).await?;
        }
        if close {
            return Ok(());
        }
    }
}
