//! The unit of work: one transaction that every repository of a business
//! operation runs on.

use sqlx::{PgPool, Postgres, Transaction};

use crate::repo::{Orders, Stock};

pub struct UnitOfWork {
    tx: Transaction<'static, Postgres>,
}

// TODO(1): write the unit of work. Its contract:
// - `begin` starts a transaction on one connection of the pool;
// - `orders()` and `stock()` hand that same connection to the
//   repositories, so that everything they write is part of the one
//   transaction (the repositories take a `&mut PgConnection`);
// - `commit` makes all of it visible at once; a unit that is dropped
//   without `commit` (an early `return Err(...)`, a `?`, a panic) must
//   leave no trace in the database.
impl UnitOfWork {
    pub async fn begin(pool: &PgPool) -> sqlx::Result<UnitOfWork> {
        let _ = pool;
        todo!("TODO(1): UnitOfWork::begin")
    }

    pub fn orders(&mut self) -> Orders<'_> {
        todo!("TODO(1): UnitOfWork::orders")
    }

    pub fn stock(&mut self) -> Stock<'_> {
        todo!("TODO(1): UnitOfWork::stock")
    }

    pub async fn commit(self) -> sqlx::Result<()> {
        let _ = self.tx;
        todo!("TODO(1): UnitOfWork::commit")
    }
}
