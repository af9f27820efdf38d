//! # indexes: the index a slow query needs
//!
//! A shop's API over PostgreSQL (`$DATABASE_URL`, `127.0.0.1:$PORT`). The
//! code and its queries are finished and correct; they are slow, because
//! every one of them reads a whole table. Your work is one migration.
//! - `POST /customers` `{"email", "name"}` → 201 `{"id", "email", "name"}`;
//!   409 when the e-mail is taken
//! - `GET /customers?email=...` → 200 the customer, the e-mail compared
//!   without regard to case; 404
//! - `POST /orders` `{"customer_id", "items": [{"sku", "qty"}]}` → 201
//!   `{"id", "customer_id", "created_at", "total_cents", "items"}`
//! - `GET /customers/{id}/orders` → 200 the customer's 20 latest orders,
//!   newest first (without items)
//! - `GET /orders/{id}` → 200 the order with its items; 404
//!
//! ```text
//! migrations/0001_shop.sql      the tables and a year of orders (given)
//! migrations/0002_indexes.sql   the indexes                  TODO(1)
//! src/db.rs                     the queries (given: read them)
//! src/web.rs                    HTTP (given)
//! ```
//!
//! Checked by: the checker uses the API, then asks PostgreSQL itself for
//! the plan of each query (`EXPLAIN`, with sequential scans switched off,
//! so the plan shows whether an index *can* serve the query) and counts
//! the indexes of the orders table.

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
