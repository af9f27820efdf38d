//! # security-stack: the layers every public API needs
//!
//! The server (`127.0.0.1:$PORT`, browser origin allowed in
//! `$ALLOWED_ORIGIN`):
//! - `GET /` → 200 `ok`
//! - `GET /api/quote` → 200 `{"quote": "..."}`, for a client that names
//!   itself with an `x-api-key` header (any value; 401 without one).
//!   Each key gets a burst of 5 requests, then one more per minute;
//!   beyond that → 429 with `Retry-After: <seconds>`
//! - `POST /api/echo` → 200 with the request body; a body over 8 KiB → 413
//! - `GET /api/slow?ms=N` → 200 after N milliseconds; a request that takes
//!   longer than 2 seconds is cut off with 503
//!
//! On every response (404, 413, 429 and 503 included):
//! - `x-content-type-options: nosniff`
//! - `x-frame-options: DENY`
//! - `referrer-policy: no-referrer`
//! - `content-security-policy: default-src 'none'; frame-ancestors 'none'`
//! - `strict-transport-security: max-age=63072000; includeSubDomains`
//!
//! CORS: `$ALLOWED_ORIGIN` (and no other origin) may call `/api` from a
//! browser with GET and POST and the headers `content-type` and
//! `x-api-key`; a preflight is answered with `access-control-max-age: 600`
//! and needs no API key.
//!
//! On SIGTERM or Ctrl-C: stop accepting connections, finish the requests
//! in flight, exit 0.
//!
//! What to do: the routes and handlers are given. Add the layers in
//! `app.rs` (`TODO(1)`, `TODO(2)`, `TODO(4)`, `TODO(5)`), the rate limiter
//! in `limit.rs` (`TODO(3)`), and graceful shutdown here (`TODO(6)`).
//!
//! Checked by: `serverlings check security-stack` starts the server, reads
//! the headers of many kinds of response, sends preflights from two
//! origins, bursts of requests per key, oversized bodies and slow
//! requests (one of them under load), then SIGTERM while requests are in
//! flight.

mod app;
mod limit;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let origin = std::env::var("ALLOWED_ORIGIN").unwrap_or_else(|_| "http://localhost:3000".into());
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    // TODO(6): on SIGTERM or Ctrl-C, stop accepting, let the requests in
    // flight finish, then return (exit 0). Handle both signals from the
    // start, so that neither kills the process outright.
    axum::serve(listener, app::app(&origin)).await
}
