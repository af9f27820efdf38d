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

/// The database's refusals, in the contract's words.
fn refused(e: sqlx::Error) -> RepoError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => RepoError::Duplicate,
        _ => RepoError::Storage(e.to_string()),
    }
}

type Row = (i64, String, String, String, i64);

fn note((id, owner, title, body, version): Row) -> Note {
    Note {
        id,
        owner,
        title,
        body,
        version,
    }
}

impl NoteRepo for PgNotes {
    async fn create(&self, new: NewNote) -> Result<Note, RepoError> {
        let row: Row = sqlx::query_as(
            "INSERT INTO notes (owner, title, body) VALUES ($1, $2, $3)
             RETURNING id, owner, title, body, version",
        )
        .bind(&new.owner)
        .bind(&new.title)
        .bind(&new.body)
        .fetch_one(&self.pool)
        .await
        .map_err(refused)?;
        Ok(note(row))
    }

    async fn get(&self, id: i64) -> Result<Option<Note>, RepoError> {
        let row: Option<Row> =
            sqlx::query_as("SELECT id, owner, title, body, version FROM notes WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(refused)?;
        Ok(row.map(note))
    }

    async fn list(&self, owner: &str, limit: usize) -> Result<Vec<Note>, RepoError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, owner, title, body, version FROM notes
              WHERE owner = $1 ORDER BY id LIMIT $2",
        )
        .bind(owner)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(refused)?;
        Ok(rows.into_iter().map(note).collect())
    }

    async fn update(
        &self,
        id: i64,
        version: i64,
        title: &str,
        body: &str,
    ) -> Result<Note, RepoError> {
        // One statement: the version test and the write are atomic, so of
        // two updates from the same version only one matches a row.
        let row: Option<Row> = sqlx::query_as(
            "UPDATE notes SET title = $3, body = $4, version = version + 1
              WHERE id = $1 AND version = $2
             RETURNING id, owner, title, body, version",
        )
        .bind(id)
        .bind(version)
        .bind(title)
        .bind(body)
        .fetch_optional(&self.pool)
        .await
        .map_err(refused)?;
        match row {
            Some(row) => Ok(note(row)),
            // No row matched: tell a missing note from a newer version.
            None => match self.get(id).await? {
                Some(_) => Err(RepoError::Conflict),
                None => Err(RepoError::NotFound),
            },
        }
    }

    async fn delete(&self, id: i64) -> Result<bool, RepoError> {
        let done = sqlx::query("DELETE FROM notes WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(refused)?;
        Ok(done.rows_affected() == 1)
    }
}
