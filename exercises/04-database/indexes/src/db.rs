//! The shop's queries. They are right; what they lack is indexes
//! (migrations/0002_indexes.sql). `EXPLAIN ANALYZE <query>` in psql, with a
//! real id or e-mail in place of $1, shows how PostgreSQL runs each.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub name: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub created_at: DateTime<Utc>,
    pub total_cents: i64,
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct Item {
    pub sku: String,
    pub qty: i32,
}

pub async fn create_customer(pool: &PgPool, email: &str, name: &str) -> sqlx::Result<Customer> {
    sqlx::query_as("INSERT INTO customers (email, name) VALUES ($1, $2) RETURNING id, email, name")
        .bind(email)
        .bind(name)
        .fetch_one(pool)
        .await
}

/// Query 2: a customer by e-mail, case-insensitively.
pub async fn customer_by_email(pool: &PgPool, email: &str) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as("SELECT id, email, name FROM customers WHERE lower(email) = lower($1)")
        .bind(email)
        .fetch_optional(pool)
        .await
}

/// Creates the order and its items in one transaction; the total is
/// 100 cents per unit.
pub async fn create_order(pool: &PgPool, customer_id: i64, items: &[Item]) -> sqlx::Result<Order> {
    let total: i64 = items.iter().map(|i| i64::from(i.qty) * 100).sum();
    let mut tx = pool.begin().await?;
    let order: Order = sqlx::query_as(
        "INSERT INTO orders (customer_id, total_cents) VALUES ($1, $2)
         RETURNING id, customer_id, created_at, total_cents",
    )
    .bind(customer_id)
    .bind(total)
    .fetch_one(&mut *tx)
    .await?;
    for item in items {
        sqlx::query("INSERT INTO order_items (order_id, sku, qty) VALUES ($1, $2, $3)")
            .bind(order.id)
            .bind(&item.sku)
            .bind(item.qty)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(order)
}

/// Query 1: a customer's 20 latest orders, newest first; `id` breaks ties
/// between orders of the same instant.
pub async fn latest_orders(pool: &PgPool, customer_id: i64) -> sqlx::Result<Vec<Order>> {
    sqlx::query_as(
        "SELECT id, customer_id, created_at, total_cents FROM orders
          WHERE customer_id = $1
          ORDER BY created_at DESC, id DESC
          LIMIT 20",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await
}

pub async fn order(pool: &PgPool, id: i64) -> sqlx::Result<Option<Order>> {
    sqlx::query_as("SELECT id, customer_id, created_at, total_cents FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Query 3: the items of one order.
pub async fn items(pool: &PgPool, order_id: i64) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as("SELECT sku, qty FROM order_items WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(pool)
        .await
}
