//! The queries, in MySQL's dialect: `?` placeholders, and no RETURNING
//! (MySQL has none; MariaDB only since 10.5), so a write reads its row
//! back by id.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::MySqlPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

pub async fn create(pool: &MySqlPool, text: &str) -> sqlx::Result<Note> {
    let done = sqlx::query("INSERT INTO notes (text) VALUES (?)")
        .bind(text)
        .execute(pool)
        .await?;
    // The id AUTO_INCREMENT gave this connection's insert.
    let id = i64::try_from(done.last_insert_id()).map_err(|e| sqlx::Error::Decode(e.into()))?;
    get(pool, id).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn list(pool: &MySqlPool) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as("SELECT id, text, created_at FROM notes ORDER BY id")
        .fetch_all(pool)
        .await
}

pub async fn get(pool: &MySqlPool, id: i64) -> sqlx::Result<Option<Note>> {
    sqlx::query_as("SELECT id, text, created_at FROM notes WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn update(pool: &MySqlPool, id: i64, text: &str) -> sqlx::Result<Option<Note>> {
    let done = sqlx::query("UPDATE notes SET text = ? WHERE id = ?")
        .bind(text)
        .bind(id)
        .execute(pool)
        .await?;
    // sqlx connects with CLIENT_FOUND_ROWS, so this counts the rows the
    // WHERE matched (the mysql command-line client counts rows changed,
    // and an update to the same text changes none).
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    get(pool, id).await
}

pub async fn delete(pool: &MySqlPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM notes WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
