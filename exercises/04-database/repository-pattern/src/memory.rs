//! Notes in memory: the same contract as PostgreSQL.

use crate::{NewNote, Note, NoteRepo, RepoError};

// TODO(1): an in-memory implementation of the contract in lib.rs. It is
// what the application's tests will run against, so it must not be more
// forgiving than the database: the same ids rule, the same uniqueness of
// (owner, title), the same ordering, the same optimistic locking, and each
// operation atomic when several tasks call it at once (the struct is
// shared through an `Arc`; `Default` must still build an empty one). A
// `std::sync::Mutex` around your data is enough, as long as no lock is
// held across an `.await`.
#[derive(Default)]
pub struct MemoryNotes {}

impl NoteRepo for MemoryNotes {
    async fn create(&self, new: NewNote) -> Result<Note, RepoError> {
        let _ = new;
        todo!("TODO(1): MemoryNotes::create")
    }

    async fn get(&self, id: i64) -> Result<Option<Note>, RepoError> {
        let _ = id;
        todo!("TODO(1): MemoryNotes::get")
    }

    async fn list(&self, owner: &str, limit: usize) -> Result<Vec<Note>, RepoError> {
        let _ = (owner, limit);
        todo!("TODO(1): MemoryNotes::list")
    }

    async fn update(
        &self,
        id: i64,
        version: i64,
        title: &str,
        body: &str,
    ) -> Result<Note, RepoError> {
        let _ = (id, version, title, body);
        todo!("TODO(1): MemoryNotes::update")
    }

    async fn delete(&self, id: i64) -> Result<bool, RepoError> {
        let _ = id;
        todo!("TODO(1): MemoryNotes::delete")
    }
}
