//! Notes in PostgreSQL.

use sqlx::PgPool;

use crate::{NewNote, Note, NoteRepo, RepoError};

pub struct PgNotes {
    pool: PgPool,
}

impl PgNotes {
    /// Runs the crate's migrations, then wraps the pool.
    pub async fn new(pool: PgPool) -> Result<PgNotes, RepoError> {
        sqlx::migrate!()
            .run(&pool)
            .await
            .map_err(|e| RepoError::Storage(e.to_string()))?;
        Ok(PgNotes { pool })
    }
}

// TODO(2): the PostgreSQL implementation of the contract in lib.rs,
// against the table in migrations/0001_notes.sql. Values are always bound.
// Let the table do what it can: its UNIQUE (owner, title) refuses the
// duplicate (sqlx's `is_unique_violation()` tells you), and an UPDATE can
// test the version and write in one statement, which is what makes
// exactly one of several concurrent updates win. A failure that is not
// one of the contract's is `RepoError::Storage(e.to_string())`.
impl NoteRepo for PgNotes {
    async fn create(&self, new: NewNote) -> Result<Note, RepoError> {
        let _ = (&self.pool, new);
        todo!("TODO(2): PgNotes::create")
    }

    async fn get(&self, id: i64) -> Result<Option<Note>, RepoError> {
        let _ = id;
        todo!("TODO(2): PgNotes::get")
    }

    async fn list(&self, owner: &str, limit: usize) -> Result<Vec<Note>, RepoError> {
        let _ = (owner, limit);
        todo!("TODO(2): PgNotes::list")
    }

    async fn update(
        &self,
        id: i64,
        version: i64,
        title: &str,
        body: &str,
    ) -> Result<Note, RepoError> {
        let _ = (id, version, title, body);
        todo!("TODO(2): PgNotes::update")
    }

    async fn delete(&self, id: i64) -> Result<bool, RepoError> {
        let _ = id;
        todo!("TODO(2): PgNotes::delete")
    }
}
