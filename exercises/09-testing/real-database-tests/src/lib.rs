//! Users and accounts in PostgreSQL: the code under test.
//!
//! This file and migrations/ are correct: leave them as they are. Your work
//! is in tests/bank.rs (see the TODOs there): tests against a real
//! PostgreSQL, each isolated from the others. The check runs your tests
//! against this file (they must pass), then against copies with one bug
//! planted in each (a boundary off by one, an e-mail not normalised, a
//! transfer that is not atomic): each bug must make one of your tests fail.
//!
//! The tests get a server in `DATABASE_URL` (the check provides one; on
//! your machine, export it). Checked by: `serverlings check real-database-tests`.

use sqlx::PgPool;

/// What the repository functions refuse, besides the database failing.
#[derive(Debug)]
pub enum BankError {
    DuplicateEmail,
    UnknownAccount,
    InsufficientFunds,
    InvalidAmount,
    Database(sqlx::Error),
}

impl std::fmt::Display for BankError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BankError::DuplicateEmail => write!(f, "a user with this e-mail exists"),
            BankError::UnknownAccount => write!(f, "no such account"),
            BankError::InsufficientFunds => write!(f, "the balance does not cover the amount"),
            BankError::InvalidAmount => write!(f, "the amount must be above zero"),
            BankError::Database(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for BankError {}

impl From<sqlx::Error> for BankError {
    fn from(e: sqlx::Error) -> Self {
        BankError::Database(e)
    }
}

/// Creates a user; the e-mail is stored trimmed and lowercased, so
/// `Ada@Example.test` and `ada@example.test` are the same user
/// (`DuplicateEmail`). Returns the user's id.
pub async fn create_user(pool: &PgPool, email: &str, name: &str) -> Result<i64, BankError> {
    let result = sqlx::query_scalar("INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id")
        .bind(email.trim().to_lowercase())
        .bind(name)
        .fetch_one(pool)
        .await;
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(BankError::DuplicateEmail),
        Err(e) => Err(e.into()),
    }
}

/// Finds a user's id by e-mail (matched the way it is stored).
pub async fn find_user(pool: &PgPool, email: &str) -> Result<Option<i64>, BankError> {
    Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(pool)
        .await?)
}

/// Opens an account for `owner` with an opening balance (in cents).
pub async fn open_account(pool: &PgPool, owner: i64, balance: i64) -> Result<i64, BankError> {
    Ok(
        sqlx::query_scalar("INSERT INTO accounts (owner, balance) VALUES ($1, $2) RETURNING id")
            .bind(owner)
            .bind(balance)
            .fetch_one(pool)
            .await?,
    )
}

/// The balance of an account, `UnknownAccount` if there is none.
pub async fn balance(pool: &PgPool, account: i64) -> Result<i64, BankError> {
    sqlx::query_scalar("SELECT balance FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_optional(pool)
        .await?
        .ok_or(BankError::UnknownAccount)
}

/// Moves `amount` cents from one account to another, all or nothing: the
/// whole balance may be moved; more than the balance is
/// `InsufficientFunds`; an unknown account on either side is
/// `UnknownAccount`; in every refusal no balance changes.
pub async fn transfer(pool: &PgPool, from: i64, to: i64, amount: i64) -> Result<(), BankError> {
    if amount <= 0 {
        return Err(BankError::InvalidAmount);
    }
    let mut tx = pool.begin().await?;
    let debited =
        sqlx::query("UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2")
            .bind(from)
            .bind(amount)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if debited == 0 {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM accounts WHERE id = $1)")
                .bind(from)
                .fetch_one(&mut *tx)
                .await?;
        return Err(if exists {
            BankError::InsufficientFunds
        } else {
            BankError::UnknownAccount
        });
    }
    let credited = sqlx::query("UPDATE accounts SET balance = balance + $2 WHERE id = $1")
        .bind(to)
        .bind(amount)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if credited == 0 {
        // Dropping the transaction rolls the debit back.
        return Err(BankError::UnknownAccount);
    }
    tx.commit().await?;
    Ok(())
}

/// The ids of `owner`'s accounts, at most `limit`, newest first.
pub async fn accounts_of(pool: &PgPool, owner: i64, limit: i64) -> Result<Vec<i64>, BankError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM accounts WHERE owner = $1 ORDER BY id DESC LIMIT $2")
            .bind(owner)
            .bind(limit)
            .fetch_all(pool)
            .await?,
    )
}
