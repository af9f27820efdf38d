//! # mysql: the notes, in MariaDB
//!
//! The notes API of `sqlx-crud`, on MariaDB (or MySQL) this time. The
//! server listens on `127.0.0.1:$PORT`, connects to `$MYSQL_URL` and runs
//! its migrations at start:
//! - `POST /notes` `{"text"}` → 201 the note `{"id", "text", "created_at"}`,
//!   with `Location: /notes/{id}`
//! - `GET /notes` → 200 every note, oldest first
//! - `GET /notes/{id}` → 200 the note, or 404
//! - `PUT /notes/{id}` `{"text"}` → 200 the changed note, or 404
//! - `DELETE /notes/{id}` → 204, or 404
//!
//! A blank text, or one of more than 500 characters, is 422 `{"error"}`;
//! a body that is not JSON is 400. Any Unicode text is kept as sent.
//!
//! ```text
//! migrations/0001_notes.sql   the table, MySQL's dialect     TODO(1)
//! src/db.rs                   the five queries               TODO(2)
//! src/web.rs                  HTTP in and out (given)
//! ```
//!
//! Checked by: two copies of the server share one MariaDB database; the
//! checker writes notes (quotes and emoji included) through one and reads
//! them through the other, changes and deletes them, restarts the first
//! copy and reads them again.

mod db;
mod web;

use sqlx::mysql::MySqlPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("MYSQL_URL").map_err(|_| "MYSQL_URL is required")?;
    let pool = MySqlPoolOptions::new()
        .max_connections(5)
        .connect(&url)
        .await
        .map_err(|e| format!("cannot connect to MYSQL_URL: {e}"))?;
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
