//! # middleware-pipeline: request ids, timing, auth, in the right order
//!
//! The server (`127.0.0.1:$PORT`, token in `$API_TOKEN`):
//! - `GET /health` → 200 `ok`, for anyone
//! - `GET /api/me` with `Authorization: Bearer $API_TOKEN` → 200
//!   `{"user": "api-client", "request_id": "<this request's id>"}`;
//!   without the header, or with another token → 401
//! - any other path → 404
//!
//! And on every response, 200, 401 and 404 alike:
//! - `x-request-id`: the one the client sent, or a new UUID v4
//! - `x-response-time`: how long the server took, e.g. `0.412ms`
//! - one JSON log line on stdout (from `TraceLayer`) whose span carries
//!   the same `request_id`, with the response's `status`
//!
//! What to do: the handlers' plumbing, the logger and the tower-http layers
//! are given. `TODO(1)` in `app.rs` puts the layers in the right order;
//! `TODO(2)` and `TODO(3)` in `middleware.rs` write two middleware
//! functions; `TODO(4)` in `app.rs` answers `/api/me` from what the
//! middleware left in the request.
//!
//! Checked by: `serverlings check middleware-pipeline` starts the server
//! with a random `API_TOKEN`, sends requests with and without ids and
//! tokens, and reads the log lines the server printed.

// The token and CurrentUser are unused until TODO(3) and TODO(4): delete
// this line once they are done.
#![allow(dead_code)]

mod app;
mod middleware;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // JSON lines on stdout; `RUST_LOG=debug` shows more.
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    let token = std::env::var("API_TOKEN").unwrap_or_else(|_| "dev-token".to_string());
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    axum::serve(listener, app::app(app::AppState::new(token))).await
}
