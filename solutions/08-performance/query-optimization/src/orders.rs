//! The customer's order list: the query behind `GET /customers/{id}/orders`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

/// One line of the list, as the API answers it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct OrderLine {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub product: String,
    pub qty: i32,
    pub total_cents: i32,
}

/// The customer's 20 newest orders in `status`, newest first, each with
/// its product's name and its total (`qty` times the product's price).
///
/// TODO(2), done: one round trip (a join, not a query per order), only the
/// columns the answer needs, in a shape the index of TODO(1) serves.
pub async fn recent_orders(
    pool: &PgPool,
    customer: i32,
    status: &str,
) -> sqlx::Result<Vec<OrderLine>> {
    sqlx::query_as(
        "SELECT o.id, o.created_at, p.name AS product, o.qty, o.qty * p.price_cents AS total_cents
         FROM orders o
         JOIN products p ON p.id = o.product_id
         WHERE o.customer_id = $1 AND o.status = $2
         ORDER BY o.created_at DESC
         LIMIT 20",
    )
    .bind(customer)
    .bind(status)
    .fetch_all(pool)
    .await
}
