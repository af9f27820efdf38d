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

/// A whole row of `orders`.
#[derive(Debug, sqlx::FromRow)]
#[allow(dead_code)] // every column is read, whether used or not
struct OrderRow {
    id: i64,
    customer_id: i32,
    status: String,
    created_at: DateTime<Utc>,
    product_id: i32,
    qty: i32,
    packing_slip: String,
}

/// The customer's 20 newest orders in `status`, newest first, each with
/// its product's name and its total (`qty` times the product's price).
///
/// TODO(2): this answers correctly and costs too much: count the round
/// trips one call makes and the bytes each brings back. Make it one round
/// trip that reads only what the answer needs, in a shape the index of
/// TODO(1) can serve. The answers must stay exactly the same.
pub async fn recent_orders(
    pool: &PgPool,
    customer: i32,
    status: &str,
) -> sqlx::Result<Vec<OrderLine>> {
    let rows: Vec<OrderRow> = sqlx::query_as(
        "SELECT * FROM orders
         WHERE customer_id = $1 AND status = $2
         ORDER BY created_at DESC
         LIMIT 20",
    )
    .bind(customer)
    .bind(status)
    .fetch_all(pool)
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let (product, price_cents): (String, i32) =
            sqlx::query_as("SELECT name, price_cents FROM products WHERE id = $1")
                .bind(row.product_id)
                .fetch_one(pool)
                .await?;
        lines.push(OrderLine {
            id: row.id,
            created_at: row.created_at,
            product,
            qty: row.qty,
            total_cents: row.qty * price_cents,
        });
    }
    Ok(lines)
}
