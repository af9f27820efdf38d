//! # zero-downtime: hand the port over to the next version
//!
//! A deploy on one machine: version N runs on the port, version N+1
//! starts beside it on the same port, N is asked to leave with SIGTERM,
//! and no client may see a failed request meanwhile. The server
//! (`0.0.0.0:$PORT`, its version in `$VERSION`):
//! - `GET /` → 200 `{"version": VERSION, "pid"}`, with an `x-version`
//!   header
//! - `GET /slow?ms=N` → the same after N ms
//! - on SIGTERM (or SIGINT): stop accepting, finish every request in
//!   flight (keep-alive clients are told to reconnect), exit 0
//!
//! ```text
//!            ┌──── v1 (accepting) ───── SIGTERM: drain, exit 0
//!  :PORT ────┤
//!            └──── v2 (joins with SO_REUSEPORT) ─── serves alone after
//! ```
//!
//! Checked by: the checker starts v1, runs a load in the background,
//! starts v2 on the same port, checks that both answer, sends SIGTERM to
//! v1 and waits for it to exit 0, then judges the load: every request
//! answered 200, none failed. After that only v2 answers.

use std::time::Duration;

use axum::extract::Query;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

fn version() -> String {
    std::env::var("VERSION").unwrap_or_else(|_| "dev".to_string())
}

fn answer() -> Response {
    let version = version();
    let mut response =
        Json(json!({ "version": version, "pid": std::process::id() })).into_response();
    if let Ok(v) = HeaderValue::from_str(&version) {
        response.headers_mut().insert("x-version", v);
    }
    response
}

fn app() -> Router {
    Router::new().route("/", get(|| async { answer() })).route(
        "/slow",
        get(
            |Query(q): Query<std::collections::HashMap<String, String>>| async move {
                let ms = q.get("ms").and_then(|m| m.parse().ok()).unwrap_or(0u64);
                tokio::time::sleep(Duration::from_millis(ms.min(10_000))).await;
                answer()
            },
        ),
    )
}

/// The listening socket on `0.0.0.0:port`, shared with any other process
/// of the same user that binds it with SO_REUSEPORT: the next version can
/// join before this one leaves.
async fn listen(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.set_reuseport(true)?;
    socket.bind(std::net::SocketAddr::from(([0, 0, 0, 0], port)))?;
    socket.listen(1024)
}

/// The listening socket, closed on its own as soon as this version leaves
/// (before its connections), so it leaves the port's SO_REUSEPORT group
/// while the other version is still in it.
struct Leaving {
    inner: Option<tokio::net::TcpListener>,
    addr: std::net::SocketAddr,
    leaving: tokio::sync::watch::Receiver<bool>,
}

impl axum::serve::Listener for Leaving {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Some(listener) = self.inner.as_ref() else {
                return std::future::pending().await;
            };
            let leaving = &mut self.leaving;
            let left = async move {
                let _ = leaving.wait_for(|l| *l).await;
            };
            let leave = tokio::select! {
                _ = left => true,
                accepted = listener.accept() => match accepted {
                    Ok(conn) => return conn,
                    Err(_) => false,
                },
            };
            if leave {
                self.inner = None;
            } else {
                // Out of descriptors, say: wait a little, go on.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

/// Resolves on SIGTERM or SIGINT.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        eprintln!("cannot install the signal handlers");
        return std::future::pending().await;
    };
    let name = tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    };
    println!("{}: {name}, draining", version());
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let port = match std::env::var("PORT").map(|p| p.parse::<u16>()) {
        Ok(Ok(p)) => p,
        _ => {
            eprintln!("PORT must be a number from 0 to 65535");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match listen(port).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{}: cannot listen on port {port}: {e}", version());
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "{} listening on port {port}, pid {}",
        version(),
        std::process::id()
    );
    // On the signal, the listening socket closes first: the kernel then
    // sends every new connection to the other version. Only then does axum
    // finish the requests in flight and close idle keep-alive connections,
    // so a client that reconnects cannot land in this socket's queue, which
    // the kernel resets when the socket closes.
    let (leave, leaving) = tokio::sync::watch::channel(false);
    let listener = match listener.local_addr() {
        Ok(addr) => Leaving {
            inner: Some(listener),
            addr,
            leaving,
        },
        Err(e) => {
            eprintln!("{}: {e}", version());
            return std::process::ExitCode::FAILURE;
        }
    };
    let shutdown = async move {
        stop_signal().await;
        let _ = leave.send(true);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let serving = axum::serve(listener, app()).with_graceful_shutdown(shutdown);
    if let Err(e) = serving.await {
        eprintln!("server error: {e}");
        return std::process::ExitCode::FAILURE;
    }
    println!("{}: drained, bye", version());
    std::process::ExitCode::SUCCESS
}
