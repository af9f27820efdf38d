//! # sqlx-crud: notes in PostgreSQL
//!
//! A notes API whose rows live in PostgreSQL. The server listens on
//! `127.0.0.1:$PORT`, connects to `$DATABASE_URL` and runs its migrations
//! at start:
//! - `POST /notes` `{"text"}` → 201 the note `{"id", "text", "created_at",
//!   "updated_at"}`, with `Location: /notes/{id}`
//! - `GET /notes` → 200 every note, oldest first
//! - `GET /notes/{id}` → 200 the note, or 404
//! - `PUT /notes/{id}` `{"text"}` → 200 the changed note, or 404
//! - `DELETE /notes/{id}` → 204, or 404
//!
//! A blank text, or one the table refuses (more than 500 characters), is
//! 422 `{"error"}`; a body that is not JSON is 400.
//!
//! ```text
//! migrations/0001_notes.sql   the table                     TODO(1)
//! src/db.rs                   one function per query        TODO(2)
//! src/web.rs                  HTTP in and out (given)
//! ```
//!
//! Checked by: the checker reads the schema and the rows itself (its own
//! connection to the check's database), creates, reads, changes and
//! deletes notes through the API with random texts (quotes included),
//! restarts the server and reads them again.

mod db;
mod web;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let pool = PgPoolOptions::new()
        .max_connections(5)
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
