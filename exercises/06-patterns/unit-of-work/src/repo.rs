//! The repositories. Each borrows a connection for its calls and never
//! starts, commits or rolls back a transaction: whoever lends it the
//! connection decides that.

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Line {
    pub sku: String,
    pub qty: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub id: i64,
    pub customer: String,
    pub status: String,
    pub lines: Vec<Line>,
}

pub struct Orders<'c>(pub &'c mut PgConnection);

impl Orders<'_> {
    /// A new order without lines; returns its id.
    pub async fn create(&mut self, customer: &str) -> sqlx::Result<i64> {
        sqlx::query_scalar("INSERT INTO orders (customer) VALUES ($1) RETURNING id")
            .bind(customer)
            .fetch_one(&mut *self.0)
            .await
    }

    pub async fn add_line(&mut self, order_id: i64, line: &Line) -> sqlx::Result<()> {
        sqlx::query("INSERT INTO order_lines (order_id, sku, qty) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(&line.sku)
            .bind(line.qty)
            .execute(&mut *self.0)
            .await?;
        Ok(())
    }

    pub async fn get(&mut self, id: i64) -> sqlx::Result<Option<Order>> {
        let head: Option<(String, String)> =
            sqlx::query_as("SELECT customer, status FROM orders WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await?;
        let Some((customer, status)) = head else {
            return Ok(None);
        };
        let lines =
            sqlx::query_as("SELECT sku, qty FROM order_lines WHERE order_id = $1 ORDER BY sku")
                .bind(id)
                .fetch_all(&mut *self.0)
                .await?;
        Ok(Some(Order {
            id,
            customer,
            status,
            lines,
        }))
    }
}

/// What taking stock found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Take {
    Taken,
    NotEnough,
    UnknownSku,
}

pub struct Stock<'c>(pub &'c mut PgConnection);

impl Stock<'_> {
    /// Sets the quantity of a product, creating it if needed.
    pub async fn put(&mut self, sku: &str, qty: i32) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO stock (sku, qty) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET qty = EXCLUDED.qty",
        )
        .bind(sku)
        .bind(qty)
        .execute(&mut *self.0)
        .await?;
        Ok(())
    }

    pub async fn get(&mut self, sku: &str) -> sqlx::Result<Option<i32>> {
        sqlx::query_scalar("SELECT qty FROM stock WHERE sku = $1")
            .bind(sku)
            .fetch_optional(&mut *self.0)
            .await
    }

    /// Takes `qty` of `sku` if there is that much: one conditional UPDATE,
    /// so two orders at once cannot both take the last unit.
    pub async fn take(&mut self, sku: &str, qty: i32) -> sqlx::Result<Take> {
        let taken = sqlx::query("UPDATE stock SET qty = qty - $2 WHERE sku = $1 AND qty >= $2")
            .bind(sku)
            .bind(qty)
            .execute(&mut *self.0)
            .await?
            .rows_affected();
        if taken == 1 {
            return Ok(Take::Taken);
        }
        Ok(match self.get(sku).await? {
            Some(_) => Take::NotEnough,
            None => Take::UnknownSku,
        })
    }
}
