//! The queries.

use serde::Serialize;
use sqlx::{AssertSqlSafe, PgPool};

#[derive(Serialize, sqlx::FromRow)]
pub struct Comment {
    pub author: String,
    pub body: String,
}

/// Makes sure `name` is a member (with an API key of its own).
pub async fn ensure_member(pool: &PgPool, name: &str, api_key: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO members (name, api_key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(api_key)
    .execute(pool)
    .await?;
    Ok(())
}

/// TODO(3): the member's text is pasted into the SQL: a quote in it ends
/// the string literal, and what follows runs as SQL. `AssertSqlSafe` is
/// sqlx's way of saying "I promise this string is safe"; it is not. The
/// values must travel as bound parameters.
pub async fn add_comment(pool: &PgPool, author: &str, body: &str) -> sqlx::Result<()> {
    let sql = format!("INSERT INTO comments (author, body) VALUES ('{author}', '{body}')");
    sqlx::query(AssertSqlSafe(sql)).execute(pool).await?;
    Ok(())
}

pub async fn comments(pool: &PgPool) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as("SELECT author, body FROM comments ORDER BY id")
        .fetch_all(pool)
        .await
}

/// TODO(3): comments containing `q` literally. The same hole as above;
/// and once `q` is a parameter, `%` and `_` in it would still act as LIKE
/// wildcards: escape them (and `\`) so they match themselves.
pub async fn search(pool: &PgPool, q: &str) -> sqlx::Result<Vec<Comment>> {
    let sql = format!("SELECT author, body FROM comments WHERE body LIKE '%{q}%' ORDER BY id");
    sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await
}
