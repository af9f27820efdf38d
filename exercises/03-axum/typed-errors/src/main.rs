//! # typed-errors: one error type, problem+json, and panics as plain 500s
//!
//! The server (`127.0.0.1:$PORT`) keeps accounts in memory:
//! - `POST /accounts` `{"owner"}` → 201 `{"id", "owner", "balance": 0}`
//! - `GET /accounts/{id}` → 200 with the account
//! - `POST /accounts/{id}/deposit` and `.../withdraw` `{"amount"}` → 200
//!   with the account; a withdrawal larger than the balance changes
//!   nothing and is refused
//! - `GET /accounts/{id}/statement?month=YYYY-MM` → 200 text, made by
//!   `legacy.rs` (which panics on a month it cannot read)
//!
//! Every error is `Content-Type: application/problem+json` (RFC 9457),
//! `{"type", "title", "status", "detail"}`:
//! - an unknown account → 404, `"type": "about:blank"`,
//!   `"title": "Not Found"`, the id in `detail`
//! - too large a withdrawal → 409, `"type":
//!   "https://serverlings.dev/problems/insufficient-funds"`, with two
//!   more members, `"balance"` and `"requested"`
//! - a body that is not JSON → 400; JSON of the wrong shape → 422; a
//!   Content-Type other than JSON → 415; `detail` says what was wrong
//! - an unknown path → 404
//! - a panic → 500, exactly `{"type": "about:blank", "title": "Internal
//!   Server Error", "status": 500}`: not a word of the panic reaches the
//!   client. The panic message goes to the log instead: one JSON line on
//!   stdout at level ERROR, with the message in the field `panic`.
//!
//! What to do: `TODO(1)` and `TODO(3)` in `error.rs`, `TODO(2)` in
//! `accounts.rs`, `TODO(4)` here. `legacy.rs` is given: leave its panic
//! alone, the point is to survive it.
//!
//! Checked by: `serverlings check typed-errors` starts the server and sends
//! requests that fail in each of these ways, then reads the log.

mod accounts;
mod error;
mod legacy;

use axum::Router;
use axum::routing::{get, post};
use tracing_subscriber::EnvFilter;

pub fn app(state: accounts::Store) -> Router {
    // TODO(4): two safety nets for the whole router. Any unknown path is
    // the 404 problem of the contract, not axum's empty 404. A handler that
    // panics answers a bare 500 problem: the panic's message goes to the
    // log (level ERROR, a field `panic` holding the message) and not one
    // word of it to the client, and the server goes on serving.
    Router::new()
        .route("/accounts", post(accounts::create))
        .route("/accounts/{id}", get(accounts::get))
        .route("/accounts/{id}/deposit", post(accounts::deposit))
        .route("/accounts/{id}/withdraw", post(accounts::withdraw))
        .route("/accounts/{id}/statement", get(accounts::statement))
        .with_state(state)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    axum::serve(listener, app(accounts::Store::default())).await
}
