//! # password-hashing: argon2id, verify, rehash on login
//!
//! Accounts with passwords that a leaked table does not give away. The
//! server (`127.0.0.1:$PORT`, PostgreSQL at `$DATABASE_URL`, the table made
//! by `migrations/` at start) hashes with the cost in `ARGON2_M_KIB`
//! (memory, KiB) and `ARGON2_T` (passes), one lane:
//! - `POST /register` `{"email", "password"}` → 201 `{"id", "email"}`; 409
//!   when the e-mail is taken; 422 for an empty e-mail or a password
//!   outside 8..=256 bytes. The row keeps an argon2id PHC string, never
//!   the password.
//! - `POST /login` `{"email", "password"}` → 200 `{"id", "email"}`, or 401
//!   `{"error": "invalid credentials"}` for a wrong password, an unknown
//!   e-mail or an unreadable stored hash, alike. A login whose stored
//!   hash was made with another cost than today's stores a fresh one.
//!
//! ```text
//! hashing.rs  Hasher: hash, verify, needs_rehash     TODO(1) TODO(2) TODO(3)
//! web.rs      the routes; login rehashes             TODO(4)
//! tests.rs    the shipped tests of hashing.rs (run them: `cargo test`)
//! ```
//!
//! Checked by: `cargo test` (the shipped tests, as shipped), then two
//! copies of the server with different costs on one database: the checker
//! registers and logs in through both and reads the `users` table itself.

// needs_rehash is unused until TODO(4) calls it: delete this line then.
#![allow(dead_code)]

mod hashing;
#[cfg(test)]
mod tests;
mod web;

use std::sync::Arc;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cost = hashing::Cost::from_env()?;
    let hasher = Arc::new(hashing::Hasher::new(cost)?);
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect(&url)
        .await?;
    sqlx::migrate!().run(&pool).await?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {} with {cost:?}", listener.local_addr()?);
    axum::serve(listener, web::router(pool, hasher)?).await?;
    Ok(())
}
