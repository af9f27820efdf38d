//! # graceful-shutdown: finish what was started, then exit 0
//!
//! The contract (`127.0.0.1:$PORT`, data in the directory `$DATA_DIR`):
//! - `GET /` → 200 `ok`
//! - `GET /slow?ms=N` → 200 after N milliseconds (at most 10 s): a request
//!   that is still running when a deploy stops the server
//! - `POST /orders` with one line of text → 201; `GET /orders` → every
//!   order, one per line. Orders reach the disk in batches (`orders.rs`).
//! - a malformed request → 400; anything else → 404
//! - on SIGTERM or SIGINT: stop accepting connections at once; let the
//!   requests in flight finish (each answered with `Connection: close`);
//!   close idle keep-alive connections; write the pending orders; exit 0.
//!   If the connections are not done after 10 s, exit 1 anyway.
//!
//! What to do: everything but the shutdown is written. Today the signal
//! kills the process where it stands: requests in flight get no answer and
//! pending orders are lost. `TODO(1)` to `TODO(4)` below.
//!
//! Checked by: the server is started and probed (routes, a malformed
//! request, a slow client), then SIGTERM arrives while three slow requests
//! run: all three must get their 200, a new connection must be refused,
//! and the server must exit 0. It is started again: the order posted
//! before must still be there. Then SIGINT, with nothing in flight.

mod http;
mod orders;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
#[allow(unused_imports)] // TODO(1) and TODO(2) need them
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;
#[allow(unused_imports)]
use tokio::task::JoinSet;

use crate::http::{Request, Response};
use crate::orders::Orders;

#[allow(dead_code)] // TODO(4) uses it
/// How long the connections get to finish after the signal.
const DRAIN_DEADLINE: Duration = Duration::from_secs(10);

/// How often pending orders are written to disk.
const FLUSH_EVERY: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let dir = PathBuf::from(std::env::var_os("DATA_DIR").unwrap_or_else(|| ".".into()));
    let orders = Arc::new(Orders::new(&dir));
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    #[allow(unused_variables)] // TODO(4) uses it
    let flusher = tokio::spawn({
        let orders = Arc::clone(&orders);
        async move {
            let mut every = tokio::time::interval(FLUSH_EVERY);
            loop {
                every.tick().await;
                if let Err(error) = orders.flush().await {
                    eprintln!("flushing orders: {error}");
                }
            }
        }
    });

    // `true` once the server is stopping; every connection watches it.
    #[allow(unused_variables)] // TODO(4) uses `stopping`
    let (stopping, stop) = watch::channel(false);
    // TODO(2): this loop only ever accepts. It must also end when the
    // signal comes (print which one), and keep every connection it starts
    // where TODO(4) can wait for them all, reaping the finished ones as it
    // goes so that they do not pile up.
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let orders = Arc::clone(&orders);
        let stop = stop.clone();
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &orders, stop).await {
                eprintln!("{peer}: {error}");
            }
        });
    }

    // TODO(4): after the loop, in this order: refuse new connections;
    // tell the connections the server is stopping (idle ones close, busy
    // ones finish their request); wait for them all, DRAIN_DEADLINE at
    // most; stop the flusher and write what is pending. Then `Ok(())`
    // (exit code 0), or an error if the deadline cut something off (exit
    // code 1, so someone notices).
}

#[allow(dead_code)] // until TODO(2) calls it
/// Resolves when SIGTERM (a deploy, `docker stop`, Kubernetes) or SIGINT
/// (Ctrl-C) arrives, with the signal's name. Listening for a signal
/// replaces its default action, which is to kill the process on the spot.
async fn shutdown_signal() -> io::Result<&'static str> {
    // TODO(1): today nothing listens for signals, so SIGTERM and SIGINT do
    // what they do by default: kill the process on the spot, requests in
    // flight and all (and as PID 1 of a container, the kernel ignores them
    // instead, until the orchestrator's SIGKILL). Complete when either
    // arrives, with the name of the one that came. Listening for a signal
    // replaces its default action.
    std::future::pending().await
}

/// Answers the requests of one connection (keep-alive) until the client
/// closes it or the server stops.
#[allow(unused_variables, unused_mut)] // until TODO(3) uses `stop`
async fn serve(
    mut stream: TcpStream,
    orders: &Orders,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        // TODO(3): between two requests the connection is idle, and an idle
        // keep-alive connection would keep TODO(4) waiting until the
        // client gives up. When the server stops while this one waits for
        // its next request, return: the connection closes.
        let next = http::read_request(&mut stream, &mut buf).await;
        let request = match next {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response =
                    Response::text(400, &error.to_string()).with_header("Connection", "close");
                return stream.write_all(&response.to_bytes()).await;
            }
            Err(error) => return Err(error),
        };
        // A request that has arrived is in flight: it runs to the end.
        let response = respond(&request, orders).await;
        // TODO(3): when the server is stopping (maybe since this request
        // began), this answer is the last on the connection: say so, and
        // close after it.
        let close = request.connection_has("close");
        let response = if close {
            response.with_header("Connection", "close")
        } else {
            response
        };
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}

/// The answer to one request.
async fn respond(request: &Request, orders: &Orders) -> Response {
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    match (request.method.as_str(), path) {
        ("GET", "/") => Response::text(200, "ok"),
        ("GET", "/slow") => {
            let ms = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("ms="))
                .and_then(|ms| ms.parse::<u64>().ok())
                .unwrap_or(1000)
                .min(10_000);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Response::text(200, &format!("done after {ms} ms"))
        }
        ("POST", "/orders") => match std::str::from_utf8(&request.body) {
            Ok(order) if !order.trim().is_empty() => {
                orders.add(order.trim());
                Response::text(201, "taken")
            }
            _ => Response::text(400, "an order is a line of text"),
        },
        ("GET", "/orders") => match orders.all().await {
            Ok(all) => Response::text(200, &all.join("\n")),
            Err(error) => {
                eprintln!("reading orders: {error}");
                Response::text(500, "internal server error")
            }
        },
        _ => Response::text(404, "not found"),
    }
}
