//! The business operations. Each one is one unit of work.

use serde::Deserialize;
use sqlx::PgPool;

use crate::repo::{Line, Order, Take};
use crate::uow::UnitOfWork;

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

    let mut uow = UnitOfWork::begin(pool).await?;
    let id = uow.orders().create(&new.customer).await?;
    for line in &lines {
        match uow.stock().take(&line.sku, line.qty).await? {
            Take::Taken => uow.orders().add_line(id, line).await?,
            // Returning drops `uow`: the order row and the stock already
            // taken are rolled back with it.
            Take::NotEnough => return Err(OrderError::NotEnough(line.sku.clone())),
            Take::UnknownSku => return Err(OrderError::UnknownSku(line.sku.clone())),
        }
    }
    uow.commit().await?;
    Ok(Order {
        id,
        customer: new.customer,
        status: "placed".to_string(),
        lines,
    })
}
