//! The queries: one function each, values always bound, never pasted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn create(pool: &PgPool, text: &str) -> sqlx::Result<Note> {
    sqlx::query_as(
        "INSERT INTO notes (text) VALUES ($1) RETURNING id, text, created_at, updated_at",
    )
    .bind(text)
    .fetch_one(pool)
    .await
}

pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as("SELECT id, text, created_at, updated_at FROM notes ORDER BY id")
        .fetch_all(pool)
        .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Note>> {
    sqlx::query_as("SELECT id, text, created_at, updated_at FROM notes WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn update(pool: &PgPool, id: i64, text: &str) -> sqlx::Result<Option<Note>> {
    sqlx::query_as(
        "UPDATE notes SET text = $1, updated_at = now() WHERE id = $2
         RETURNING id, text, created_at, updated_at",
    )
    .bind(text)
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn delete(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM notes WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
