//! The unit of work: one transaction that every repository of a business
//! operation runs on.

use sqlx::{PgPool, Postgres, Transaction};

use crate::repo::{Orders, Stock};

pub struct UnitOfWork {
    tx: Transaction<'static, Postgres>,
}

impl UnitOfWork {
    /// Starts the transaction (`BEGIN`).
    pub async fn begin(pool: &PgPool) -> sqlx::Result<UnitOfWork> {
        Ok(UnitOfWork {
            tx: pool.begin().await?,
        })
    }

    /// The orders repository, on this unit's transaction.
    pub fn orders(&mut self) -> Orders<'_> {
        Orders(&mut self.tx)
    }

    /// The stock repository, on the same transaction.
    pub fn stock(&mut self) -> Stock<'_> {
        Stock(&mut self.tx)
    }

    /// Makes every write of the unit visible at once (`COMMIT`). A unit
    /// dropped without it is rolled back.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}
