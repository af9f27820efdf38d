//! The queries. Every value travels as a bound parameter: whatever a
//! member types stays text and never becomes SQL.

use serde::Serialize;
use sqlx::PgPool;

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

pub async fn add_comment(pool: &PgPool, author: &str, body: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO comments (author, body) VALUES ($1, $2)")
        .bind(author)
        .bind(body)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn comments(pool: &PgPool) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as("SELECT author, body FROM comments ORDER BY id")
        .fetch_all(pool)
        .await
}

/// Comments containing `q` literally: `%`, `_` and `\` in it are escaped,
/// so they match themselves instead of acting as LIKE wildcards.
pub async fn search(pool: &PgPool, q: &str) -> sqlx::Result<Vec<Comment>> {
    let pattern = format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    sqlx::query_as("SELECT author, body FROM comments WHERE body LIKE $1 ORDER BY id")
        .bind(pattern)
        .fetch_all(pool)
        .await
}
