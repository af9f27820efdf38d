//! The queries: one function each, values always bound, never pasted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

/// A row of `notes`, as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// TODO(2): write the five queries against the table of TODO(1). The
// contract of each:
// - every value (a text, an id) reaches PostgreSQL as a bound parameter,
//   never inside the SQL text: a note may contain quotes, `--` or `;`;
// - `create` inserts one row and returns it as the database stored it,
//   generated id and timestamps included, in the same round trip;
// - `list` returns every note, oldest (lowest id) first;
// - `get` returns `None` when there is no such note (not an error);
// - `update` changes the text and sets `updated_at` to the time of the
//   change, and returns the changed row, or `None` when there is no such
//   note;
// - `delete` says whether a row was deleted.
// A query that fails returns its `sqlx::Error`: web.rs turns a refused
// CHECK into 422 and anything else into 500.

pub async fn create(pool: &PgPool, text: &str) -> sqlx::Result<Note> {
    let _ = (pool, text);
    todo!("TODO(2): db::create")
}

pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<Note>> {
    let _ = pool;
    todo!("TODO(2): db::list")
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Note>> {
    let _ = (pool, id);
    todo!("TODO(2): db::get")
}

pub async fn update(pool: &PgPool, id: i64, text: &str) -> sqlx::Result<Option<Note>> {
    let _ = (pool, id, text);
    todo!("TODO(2): db::update")
}

pub async fn delete(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let _ = (pool, id);
    todo!("TODO(2): db::delete")
}
