//! # transactions: transfers that keep the money where it is
//!
//! A bank's API over PostgreSQL (`$DATABASE_URL`, `127.0.0.1:$PORT`):
//! - `POST /accounts` `{"owner", "balance"}` → 201 `{"id", "owner", "balance"}`
//! - `GET /accounts/{id}` → 200 the account, or 404
//! - `POST /transfers` `{"from", "to", "amount"}` → 201 `{"id", "from",
//!   "to", "amount"}`: the amount leaves one balance, arrives on the other,
//!   and a row in `transfers` records it. 409 `{"error"}` when `from`
//!   cannot cover it, 404 when an account does not exist, 422 for an
//!   amount below 1 or `from` = `to`.
//!
//! Money is never created or destroyed: whatever the number of transfers
//! running at once, and however many copies of this server run against
//! the one database, the sum of the balances stays what was deposited, no
//! balance goes below zero, and every balance equals its opening amount
//! minus what the ledger says left it plus what arrived.
//!
//! ```text
//! src/bank.rs   transfer: the business operation        TODO(1)
//! src/web.rs    HTTP in and out (given)
//! ```
//!
//! Checked by: two copies of the server, one database. The checker opens
//! two accounts, sends 200 transfers at once through one copy while a
//! load of 200 transfers the other way runs through the second, then adds
//! up the balances and the ledger itself.

mod bank;
mod web;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect(&url)
        .await
        .map_err(|e| format!("cannot connect to DATABASE_URL: {e}"))?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .map_err(|e| format!("migrations failed: {e}"))?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(pool)).await?;
    Ok(())
}
