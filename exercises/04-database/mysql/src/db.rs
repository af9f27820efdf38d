//! The queries, in MySQL's dialect.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::MySqlPool;

/// A row of `notes`, as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

// TODO(2): the five queries of sqlx-crud, against the table of TODO(1),
// on MariaDB/MySQL. The contract:
// - every value reaches the database as a bound parameter (placeholders
//   are `?` here, not `$1`);
// - `create` inserts one row and returns it as the database stored it,
//   with the id AUTO_INCREMENT gave it and its created_at (MySQL has no
//   RETURNING: the result of the insert knows the new id);
// - `list` returns every note, lowest id first;
// - `get` and `update` return `None` when there is no such note; an
//   update that sets the text a note already has still returns the note;
// - `delete` says whether a row was deleted.

pub async fn create(pool: &MySqlPool, text: &str) -> sqlx::Result<Note> {
    let _ = (pool, text);
    todo!("TODO(2): db::create")
}

pub async fn list(pool: &MySqlPool) -> sqlx::Result<Vec<Note>> {
    let _ = pool;
    todo!("TODO(2): db::list")
}

pub async fn get(pool: &MySqlPool, id: i64) -> sqlx::Result<Option<Note>> {
    let _ = (pool, id);
    todo!("TODO(2): db::get")
}

pub async fn update(pool: &MySqlPool, id: i64, text: &str) -> sqlx::Result<Option<Note>> {
    let _ = (pool, id, text);
    todo!("TODO(2): db::update")
}

pub async fn delete(pool: &MySqlPool, id: i64) -> sqlx::Result<bool> {
    let _ = (pool, id);
    todo!("TODO(2): db::delete")
}
