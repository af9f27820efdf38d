//! The server that uses the parser in `lib.rs`. It is given: you should not
//! need to change it.
//!
//! It binds `127.0.0.1:$PORT`, reads requests from each connection in a loop
//! and answers every one with `200 OK` and a one-line summary such as
//! `GET /path HTTP/1.1, 3 headers, 0 body bytes`. A request the parser
//! rejects gets the status of its `ParseError`, and the connection is closed.

use std::io;
use std::time::Duration;

use request_parser::{Parsed, Request, Version, parse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
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
        tokio::spawn(async move {
            if let Err(error) = serve(stream).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// Answers the requests of one connection until it closes.
async fn serve(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    loop {
        match parse(&buf) {
            Ok(Parsed::Complete { request, consumed }) => {
                buf.drain(..consumed);
                let close = wants_close(&request);
                respond(&mut stream, 200, "OK", &summary(&request), close).await?;
                if close {
                    close_gracefully(stream).await;
                    return Ok(());
                }
            }
            Ok(Parsed::Incomplete) => {
                buf.reserve(4096);
                if stream.read_buf(&mut buf).await? == 0 {
                    return Ok(()); // the client is done
                }
            }
            Err(error) => {
                respond(
                    &mut stream,
                    error.status(),
                    error.reason(),
                    &error.to_string(),
                    true,
                )
                .await?;
                close_gracefully(stream).await;
                return Ok(());
            }
        }
    }
}

/// `GET /path HTTP/1.1, 3 headers, 0 body bytes`
fn summary(request: &Request) -> String {
    format!(
        "{} {} {}, {} headers, {} body bytes",
        request.method,
        request.target,
        request.version,
        request.headers.len(),
        request.body.len()
    )
}

/// HTTP/1.1 keeps the connection open unless the client says `close`;
/// HTTP/1.0 closes it unless the client says `keep-alive`.
fn wants_close(request: &Request) -> bool {
    let says = |option: &str| {
        request
            .headers
            .get_all("connection")
            .flat_map(|value| value.split(','))
            .any(|token| token.trim().eq_ignore_ascii_case(option))
    };
    match request.version {
        Version::Http11 => says("close"),
        Version::Http10 => !says("keep-alive"),
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    reason: &str,
    body: &str,
    close: bool,
) -> io::Result<()> {
    let connection = if close { "close" } else { "keep-alive" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\n\
         Content-Type: text/plain\r\n\
         Content-Length: {}\r\n\
         Connection: {connection}\r\n\
         \r\n\
         {body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await
}

/// Closes the connection without losing the response: closing a socket
/// that still has unread bytes sends a reset, which can destroy the
/// response before the client reads it. So stop writing (the client sees
/// the end of the stream), then read and drop what the client still sends,
/// for at most a second.
async fn close_gracefully(mut stream: TcpStream) {
    if stream.shutdown().await.is_err() {
        return;
    }
    let mut sink = [0; 4096];
    let drain = async {
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
}
