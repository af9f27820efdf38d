//! # repository-pattern: one trait, two implementations
//!
//! `NoteRepo` is everything the rest of an application may know about how
//! notes are stored. Two implementations keep the same contract:
//! `MemoryNotes` (src/memory.rs, for tests and prototypes) and `PgNotes`
//! (src/postgres.rs, PostgreSQL through sqlx, schema in migrations/).
//!
//! The contract, which tests/contract.rs runs against both:
//! - `create` gives each note a new id, larger than every id before, and
//!   version 1; a second note with the same owner and title is
//!   `Duplicate` (the table has `UNIQUE (owner, title)`);
//! - `get` is `None` for an id that does not exist;
//! - `list(owner, limit)` is that owner's notes, lowest id first, at most
//!   `limit` of them (none for a limit of 0);
//! - `update(id, version, title, body)` changes the note only if its
//!   version is still `version` (optimistic locking) and returns it with
//!   the version one higher: `NotFound` for no such note, `Conflict` when
//!   someone else updated it first, `Duplicate` when the new title is
//!   taken by another note of the same owner. Of several concurrent
//!   updates from the same version, exactly one wins;
//! - `delete` says whether a note was deleted.
//!
//! ```text
//! src/memory.rs     MemoryNotes                           TODO(1)
//! src/postgres.rs   PgNotes                               TODO(2)
//! tests/contract.rs the contract, run against both (given; the checker
//!                   runs it as shipped)
//! ```
//!
//! Checked by: `cargo test` with `DATABASE_URL` set to a fresh database.

use std::future::Future;

mod memory;
mod postgres;

pub use memory::MemoryNotes;
pub use postgres::PgNotes;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub owner: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub owner: String,
    pub title: String,
    pub body: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoError {
    /// Another note of the same owner has this title.
    Duplicate,
    /// No note with this id.
    NotFound,
    /// The note changed since the version the caller read.
    Conflict,
    /// The storage itself failed (the database is away, say).
    Storage(String),
}

impl std::fmt::Display for RepoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepoError::Duplicate => write!(f, "a note with this title exists"),
            RepoError::NotFound => write!(f, "no such note"),
            RepoError::Conflict => write!(f, "the note was changed meanwhile"),
            RepoError::Storage(e) => write!(f, "storage: {e}"),
        }
    }
}

impl std::error::Error for RepoError {}

/// How notes are stored. The methods return `Send` futures so that a
/// handler on a multi-threaded runtime can await them.
pub trait NoteRepo: Send + Sync {
    fn create(&self, new: NewNote) -> impl Future<Output = Result<Note, RepoError>> + Send;
    fn get(&self, id: i64) -> impl Future<Output = Result<Option<Note>, RepoError>> + Send;
    fn list(
        &self,
        owner: &str,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Note>, RepoError>> + Send;
    fn update(
        &self,
        id: i64,
        version: i64,
        title: &str,
        body: &str,
    ) -> impl Future<Output = Result<Note, RepoError>> + Send;
    fn delete(&self, id: i64) -> impl Future<Output = Result<bool, RepoError>> + Send;
}
