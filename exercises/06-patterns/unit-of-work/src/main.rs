//! # unit-of-work: one transaction across two repositories
//!
//! A shop's orders. The server (`127.0.0.1:$PORT`, PostgreSQL at
//! `$DATABASE_URL`, tables made by `migrations/` at start):
//! - `POST /stock` `{"sku", "qty"}` → 201: sets a product's stock
//! - `GET /stock/{sku}` → 200 `{"sku", "qty"}`, or 404
//! - `POST /orders` `{"customer", "lines": [{"sku", "qty"}, ...]}` → 201
//!   `{"id", "customer", "status": "placed", "lines"}`: the order row, one
//!   `order_lines` row per line, and each line's quantity taken from
//!   `stock`. When a line cannot be served: 409 `{"error", "sku"}` (not
//!   enough stock) or 422 `{"error", "sku"}` (no such SKU); 422 for no
//!   lines, a quantity below 1, a SKU twice
//! - `GET /orders/{id}` → 200 the order with its lines, or 404
//!
//! A refused order leaves nothing behind: no order row, no line, no stock
//! taken, even when its first lines were fine.
//!
//! ```text
//! web.rs      HTTP in and out, errors to statuses (given)
//! service.rs  place_order: the business operation        TODO(2)
//! uow.rs      UnitOfWork: the transaction it runs in     TODO(1)
//! repo.rs     Orders and Stock, on a borrowed connection (given)
//! ```
//!
//! Checked by: the checker seeds stock through the API, places orders
//! that succeed, fail on their last line, name unknown SKUs, and race for
//! the last units, and after each one reads the tables itself.

// UnitOfWork is unused until TODO(2) uses it: delete this line then.
#![allow(dead_code)]

mod repo;
mod service;
mod uow;
mod web;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect(&url)
        .await?;
    sqlx::migrate!().run(&pool).await?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(pool)).await?;
    Ok(())
}
