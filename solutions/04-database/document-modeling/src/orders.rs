//! Orders as documents: lines and address embedded, customer referenced.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::types::Json;

use crate::shop::{self, Customer};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
}

#[derive(Debug, Deserialize)]
pub struct LineIn {
    pub sku: String,
    pub qty: i64,
}

#[derive(Debug, Deserialize)]
pub struct NewOrder {
    pub customer_id: i64,
    pub lines: Vec<LineIn>,
    pub ship_to: Address,
}

/// A line as sold: the product's name and price are copied in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub price_cents: i64,
}

/// What the `doc` column holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Doc {
    pub lines: Vec<Line>,
    pub ship_to: Address,
}

/// An order as the API shows it.
#[derive(Debug, Serialize)]
pub struct OrderView {
    pub id: i64,
    pub customer: Customer,
    pub lines: Vec<Line>,
    pub ship_to: Address,
    pub total_cents: i64,
}

#[derive(Debug)]
pub enum OrderError {
    Invalid(String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for OrderError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                OrderError::Invalid("no such customer".into())
            }
            _ => OrderError::Db(e),
        }
    }
}

type Row = (i64, Json<Doc>, i64, String);

fn view((id, Json(doc), customer_id, name): Row) -> OrderView {
    let total_cents = doc.lines.iter().map(|l| l.qty * l.price_cents).sum();
    OrderView {
        id,
        customer: Customer {
            id: customer_id,
            name,
        },
        lines: doc.lines,
        ship_to: doc.ship_to,
        total_cents,
    }
}

/// The order document, with the customer's current name joined in. The
/// queries below add their WHERE to this constant: text from the code only,
/// which is what `AssertSqlSafe` promises; every value is still bound.
const SELECT: &str = "SELECT o.id, o.doc, c.id, c.name
                        FROM orders o JOIN customers c ON c.id = o.customer_id";

pub async fn place(pool: &PgPool, new: NewOrder) -> Result<OrderView, OrderError> {
    if new.lines.is_empty() || new.lines.iter().any(|l| l.qty < 1) {
        return Err(OrderError::Invalid(
            "an order needs lines, each with qty >= 1".into(),
        ));
    }
    let skus: Vec<String> = new.lines.iter().map(|l| l.sku.clone()).collect();
    let products: HashMap<String, shop::Product> = shop::products(pool, &skus)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    // Embed a snapshot of each product as sold: a later price change must
    // not rewrite what this customer paid.
    let mut lines = Vec::with_capacity(new.lines.len());
    for line in new.lines {
        let Some(p) = products.get(&line.sku) else {
            return Err(OrderError::Invalid(format!("no product {}", line.sku)));
        };
        lines.push(Line {
            sku: p.sku.clone(),
            name: p.name.clone(),
            qty: line.qty,
            price_cents: p.price_cents,
        });
    }
    let doc = Doc {
        lines,
        ship_to: new.ship_to,
    };
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO orders (customer_id, doc) VALUES ($1, $2) RETURNING id")
            .bind(new.customer_id)
            .bind(Json(&doc))
            .fetch_one(pool)
            .await?;
    get(pool, id)
        .await?
        .ok_or(OrderError::Db(sqlx::Error::RowNotFound))
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<OrderView>, OrderError> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.id = $1")))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(view))
}

/// Containment: documents whose `lines` include an object with this SKU,
/// served by the GIN index on `doc`.
pub async fn with_sku(pool: &PgPool, sku: &str) -> Result<Vec<OrderView>, OrderError> {
    let probe = serde_json::json!({ "lines": [{ "sku": sku }] });
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE o.doc @> $1 ORDER BY o.id"
    )))
    .bind(Json(probe))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Replaces the address inside the document in one UPDATE: no read, modify
/// and write back of the whole document, so a concurrent change to another
/// part of it cannot be lost.
pub async fn ship_to(
    pool: &PgPool,
    id: i64,
    to: &Address,
) -> Result<Option<OrderView>, OrderError> {
    let done = sqlx::query("UPDATE orders SET doc = jsonb_set(doc, '{ship_to}', $2) WHERE id = $1")
        .bind(id)
        .bind(Json(to))
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    get(pool, id).await
}
