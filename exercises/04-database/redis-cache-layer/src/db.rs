//! The queries, straight to PostgreSQL.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub price_cents: i64,
}

pub async fn create(pool: &PgPool, name: &str, price_cents: i64) -> sqlx::Result<Product> {
    sqlx::query_as(
        "INSERT INTO products (name, price_cents) VALUES ($1, $2) RETURNING id, name, price_cents",
    )
    .bind(name)
    .bind(price_cents)
    .fetch_one(pool)
    .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Product>> {
    sqlx::query_as("SELECT id, name, price_cents FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn update(
    pool: &PgPool,
    id: i64,
    name: &str,
    price_cents: i64,
) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(
        "UPDATE products SET name = $1, price_cents = $2 WHERE id = $3
         RETURNING id, name, price_cents",
    )
    .bind(name)
    .bind(price_cents)
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn delete(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM products WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
