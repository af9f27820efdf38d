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

/// The listening socket on `0.0.0.0:port`.
//
// TODO(1): a plain bind fails with "address in use" while the previous
// version still holds the port, so the new version cannot start until the
// old one is gone: the gap is downtime. Build the socket with
// `tokio::net::TcpSocket` and set SO_REUSEPORT (and SO_REUSEADDR) before
// binding, so that both versions listen at once and the kernel spreads new
// connections over them.
async fn listen(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(("0.0.0.0", port)).await
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
    // TODO(2): this serves until the process is killed: SIGTERM ends it at
    // once, and every request in flight (and every keep-alive client) gets
    // a reset connection. Serve with a graceful shutdown that starts on
    // SIGTERM or SIGINT: stop accepting, let the requests in flight finish,
    // then return, and exit 0. The listening socket must be gone before the
    // idle keep-alive connections are closed: a client that reconnects into
    // the queue of a socket that is closing gets a reset (the lesson's
    // SO_REUSEPORT section).
    if let Err(e) = axum::serve(listener, app()).await {
        eprintln!("server error: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
