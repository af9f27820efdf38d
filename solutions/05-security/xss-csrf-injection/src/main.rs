//! # xss-csrf-injection: a comment board that stays yours
//!
//! Members post comments; nothing they type may run as HTML in another
//! member's browser, as SQL in the database, or be posted by another site
//! on their behalf. The server (`127.0.0.1:$PORT`, PostgreSQL at
//! `$DATABASE_URL`, tables made by `migrations/` at start):
//! - `POST /login` (form `name`) → 303 to `/comments`, session cookie `sid`
//! - `GET /comments` → 200 HTML: every comment, and for a member a form
//!   with a hidden `csrf` field (the same token in `X-CSRF-Token`)
//! - `POST /comments` (form `body`, `csrf`) → 303 to `/comments`; 401
//!   without a session, 403 when `csrf` is not this session's token
//! - `GET /search?q=` → 200 HTML: the comments containing `q` literally
//!
//! ```text
//! templates/  the pages (askama)
//! web.rs      routes, the CSRF check
//! db.rs       the queries
//! sessions.rs cookie sessions with a CSRF token each (given)
//! ```
//!
//! Checked by: the checker logs in, posts script tags, attribute breakers
//! and SQL injection payloads, forges posts without the token or with
//! another session's, searches with an injection, and then reads the HTML
//! and the tables itself.

mod db;
mod sessions;
mod web;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect(&url)
        .await?;
    sqlx::migrate!().run(&pool).await?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(pool)).await?;
    Ok(())
}
