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

/// Moves `amount` from `from` to `to` and records it in the ledger.
//
// TODO(1): this is correct as long as one transfer runs at a time. Under
// load it loses money: two transfers read the same balance, each writes
// back "what I read minus my amount", and one of the two withdrawals is
// overwritten (a lost update). And if it fails half-way, the money has
// left one account without arriving on the other.
//
// Make it one transaction in which the balance a decision is based on
// cannot change before the transaction ends. The contract:
// - all or nothing: both balances and the ledger row, or none of them;
// - 404 (`UnknownAccount`) and 409 (`InsufficientFunds`) change nothing;
// - it stays correct with many transfers at once, in both directions
//   between the same two accounts, and with several copies of the server
//   (a lock in Rust protects one process only): the lock has to be
//   PostgreSQL's;
// - it never deadlocks, never answers 500 because of concurrency, and
//   gets through 200 transfers at once on the same two accounts within
//   seconds (the check waits 30 s).
// The lesson compares the isolation levels. At SERIALIZABLE every
// collision is an error (40001) the caller must retry, and on two rows
// this hot that means mostly retrying; at READ COMMITTED, row locks make
// the transfers queue instead.
pub async fn transfer(
    pool: &PgPool,
    from: i64,
    to: i64,
    amount: i64,
) -> Result<Transfer, TransferError> {
    let Some(source) = account(pool, from).await? else {
        return Err(TransferError::UnknownAccount(from));
    };
    let Some(target) = account(pool, to).await? else {
        return Err(TransferError::UnknownAccount(to));
    };
    if source.balance < amount {
        return Err(TransferError::InsufficientFunds);
    }
    sqlx::query("UPDATE accounts SET balance = $1 WHERE id = $2")
        .bind(source.balance - amount)
        .bind(from)
        .execute(pool)
        .await?;
    sqlx::query("UPDATE accounts SET balance = $1 WHERE id = $2")
        .bind(target.balance + amount)
        .bind(to)
        .execute(pool)
        .await?;
    let done: Transfer = sqlx::query_as(
        r#"INSERT INTO transfers (from_id, to_id, amount) VALUES ($1, $2, $3)
           RETURNING id, from_id AS "from", to_id AS "to", amount"#,
    )
    .bind(from)
    .bind(to)
    .bind(amount)
    .fetch_one(pool)
    .await?;
    Ok(done)
}
