//! The business operations. Each one is one unit of work.

use serde::Deserialize;
use sqlx::PgPool;

use crate::repo::{Line, Order, Orders, Stock, Take};

#[derive(Debug, Deserialize)]
pub struct NewOrder {
    pub customer: String,
    pub lines: Vec<Line>,
}

#[derive(Debug)]
pub enum OrderError {
    /// No lines, a quantity below 1, a SKU twice, a blank customer.
    Invalid(&'static str),
    UnknownSku(String),
    NotEnough(String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for OrderError {
    fn from(e: sqlx::Error) -> Self {
        OrderError::Db(e)
    }
}

/// Creates the order, takes the stock of every line and records the
/// lines: all of it, or none of it.
pub async fn place_order(pool: &PgPool, new: NewOrder) -> Result<Order, OrderError> {
    let mut lines = new.lines;
    if new.customer.trim().is_empty() {
        return Err(OrderError::Invalid("a customer is required"));
    }
    if lines.is_empty() || lines.iter().any(|l| l.qty < 1) {
        return Err(OrderError::Invalid(
            "an order needs lines, each with qty >= 1",
        ));
    }
    // A fixed order of row locks: two orders of the same products cannot
    // deadlock each other.
    lines.sort_by(|a, b| a.sku.cmp(&b.sku));
    if lines.windows(2).any(|w| w[0].sku == w[1].sku) {
        return Err(OrderError::Invalid("each SKU once per order"));
    }

    // TODO(2): this works as long as nothing fails. Each statement runs
    // on a connection of its own and commits by itself, so an order whose
    // second line is short of stock keeps its order row and the stock its
    // first line took. Make the whole order one unit of work (uow.rs): the
    // order row, the stock taken and the lines, all or nothing; a line
    // that cannot be served ends the order with its error.
    let id = Orders(&mut *pool.acquire().await?)
        .create(&new.customer)
        .await?;
    for line in &lines {
        let mut conn = pool.acquire().await?;
        match Stock(&mut conn).take(&line.sku, line.qty).await? {
            Take::Taken => Orders(&mut conn).add_line(id, line).await?,
            Take::NotEnough => return Err(OrderError::NotEnough(line.sku.clone())),
            Take::UnknownSku => return Err(OrderError::UnknownSku(line.sku.clone())),
        }
    }
    Ok(Order {
        id,
        customer: new.customer,
        status: "placed".to_string(),
        lines,
    })
}
