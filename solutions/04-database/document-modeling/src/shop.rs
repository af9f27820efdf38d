//! Customers and products: plain rows, referenced by the orders.

use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Customer {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub price_cents: i64,
}

pub async fn create_customer(pool: &PgPool, name: &str) -> sqlx::Result<Customer> {
    sqlx::query_as("INSERT INTO customers (name) VALUES ($1) RETURNING id, name")
        .bind(name)
        .fetch_one(pool)
        .await
}

pub async fn rename_customer(pool: &PgPool, id: i64, name: &str) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as("UPDATE customers SET name = $1 WHERE id = $2 RETURNING id, name")
        .bind(name)
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn create_product(pool: &PgPool, p: &Product) -> sqlx::Result<Product> {
    sqlx::query_as(
        "INSERT INTO products (sku, name, price_cents) VALUES ($1, $2, $3)
         RETURNING sku, name, price_cents",
    )
    .bind(&p.sku)
    .bind(&p.name)
    .bind(p.price_cents)
    .fetch_one(pool)
    .await
}

pub async fn reprice(pool: &PgPool, sku: &str, price_cents: i64) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(
        "UPDATE products SET price_cents = $1 WHERE sku = $2 RETURNING sku, name, price_cents",
    )
    .bind(price_cents)
    .bind(sku)
    .fetch_optional(pool)
    .await
}

/// The products of these SKUs (those that exist).
pub async fn products(pool: &PgPool, skus: &[String]) -> sqlx::Result<Vec<Product>> {
    sqlx::query_as("SELECT sku, name, price_cents FROM products WHERE sku = ANY($1)")
        .bind(skus)
        .fetch_all(pool)
        .await
}
