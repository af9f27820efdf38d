//! # n-plus-one: a page of posts in two queries
//!
//! A blog's API over PostgreSQL (`$DATABASE_URL`, `127.0.0.1:$PORT`):
//! - `POST /authors` `{"name"}` → 201 `{"id", "name"}`
//! - `POST /posts` `{"author_id", "title"}` → 201 `{"id", "author_id", "title"}`;
//!   422 for an unknown author
//! - `GET /posts?limit=N` → 200 the N newest posts (highest id first; N is
//!   1 to 100, 20 when absent, 400 otherwise), each as
//!   `{"id", "title", "author": {"id", "name"}}`
//!
//! The page must cost the database at most two queries, however many
//! posts and authors it shows.
//!
//! ```text
//! src/blog.rs   the queries; recent_posts              TODO(1)
//! src/web.rs    HTTP in and out (given)
//! ```
//!
//! Checked by: two copies of this server; the checker writes through one
//! and reads pages through the other. Its own proxy sits between them and
//! PostgreSQL and counts the queries each request sends; the pages are
//! also compared post by post with what the checker wrote.

mod blog;
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
