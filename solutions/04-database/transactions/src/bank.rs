//! Accounts and transfers.

use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub owner: String,
    pub balance: i64,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Transfer {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub amount: i64,
}

#[derive(Debug)]
pub enum TransferError {
    Invalid(&'static str),
    UnknownAccount(i64),
    InsufficientFunds,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for TransferError {
    fn from(e: sqlx::Error) -> Self {
        TransferError::Db(e)
    }
}

pub async fn open(pool: &PgPool, owner: &str, balance: i64) -> sqlx::Result<Account> {
    sqlx::query_as(
        "INSERT INTO accounts (owner, balance) VALUES ($1, $2) RETURNING id, owner, balance",
    )
    .bind(owner)
    .bind(balance)
    .fetch_one(pool)
    .await
}

pub async fn account(pool: &PgPool, id: i64) -> sqlx::Result<Option<Account>> {
    sqlx::query_as("SELECT id, owner, balance FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Moves `amount` from `from` to `to` and records it, all or nothing.
///
/// One transaction at READ COMMITTED (PostgreSQL's default). Both rows
/// are locked with `SELECT ... FOR UPDATE` before anything is decided, the
/// lower id first: two transfers between the same accounts in opposite
/// directions then queue on the same first lock instead of each holding
/// one and waiting for the other (a deadlock). Once a row is locked, no
/// other transaction can change its balance until this one ends, so the
/// balance read is the balance written against.
pub async fn transfer(
    pool: &PgPool,
    from: i64,
    to: i64,
    amount: i64,
) -> Result<Transfer, TransferError> {
    let mut tx = pool.begin().await?;
    let mut from_balance = None;
    for id in [from.min(to), from.max(to)] {
        let balance: Option<i64> =
            sqlx::query_scalar("SELECT balance FROM accounts WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(balance) = balance else {
            return Err(TransferError::UnknownAccount(id));
        };
        if id == from {
            from_balance = Some(balance);
        }
    }
    if from_balance < Some(amount) {
        return Err(TransferError::InsufficientFunds);
    }
    sqlx::query("UPDATE accounts SET balance = balance - $1 WHERE id = $2")
        .bind(amount)
        .bind(from)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE accounts SET balance = balance + $1 WHERE id = $2")
        .bind(amount)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    let done: Transfer = sqlx::query_as(
        r#"INSERT INTO transfers (from_id, to_id, amount) VALUES ($1, $2, $3)
           RETURNING id, from_id AS "from", to_id AS "to", amount"#,
    )
    .bind(from)
    .bind(to)
    .bind(amount)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done)
}
