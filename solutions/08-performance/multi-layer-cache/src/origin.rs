//! The origin (given): PostgreSQL, and an expensive query. The 100 ms of
//! `pg_sleep` stand for the joins and aggregates a real product page needs.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Product {
    pub id: i32,
    pub name: String,
    pub price_cents: i32,
}

/// 1000 products, written once (both instances may try at the same time).
pub async fn seed(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO products
           SELECT g, 'product ' || md5(g::text), 100 + (g * 37) % 9000
           FROM generate_series(1, 1000) g
         ON CONFLICT (id) DO NOTHING",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The product, or None when there is no such id. Slow on purpose.
pub async fn load(pool: &PgPool, id: i32) -> sqlx::Result<Option<Product>> {
    sqlx::query_as("SELECT id, name, price_cents FROM products, pg_sleep(0.1) WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
