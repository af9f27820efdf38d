//! Notes in a map behind a mutex: the same contract as PostgreSQL.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use crate::{NewNote, Note, NoteRepo, RepoError};

#[derive(Default)]
pub struct MemoryNotes {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    last_id: i64,
    notes: BTreeMap<i64, Note>,
}

impl State {
    fn title_taken(&self, owner: &str, title: &str, except: Option<i64>) -> bool {
        self.notes
            .values()
            .any(|n| n.owner == owner && n.title == title && Some(n.id) != except)
    }
}

impl MemoryNotes {
    // Every method takes the lock once and never awaits while holding it,
    // so each operation is atomic, as a statement is in PostgreSQL.
    fn state(&self) -> Result<MutexGuard<'_, State>, RepoError> {
        self.state
            .lock()
            .map_err(|_| RepoError::Storage("a writer panicked".into()))
    }
}

impl NoteRepo for MemoryNotes {
    async fn create(&self, new: NewNote) -> Result<Note, RepoError> {
        let mut state = self.state()?;
        if state.title_taken(&new.owner, &new.title, None) {
            return Err(RepoError::Duplicate);
        }
        state.last_id += 1;
        let note = Note {
            id: state.last_id,
            owner: new.owner,
            title: new.title,
            body: new.body,
            version: 1,
        };
        state.notes.insert(note.id, note.clone());
        Ok(note)
    }

    async fn get(&self, id: i64) -> Result<Option<Note>, RepoError> {
        Ok(self.state()?.notes.get(&id).cloned())
    }

    async fn list(&self, owner: &str, limit: usize) -> Result<Vec<Note>, RepoError> {
        let state = self.state()?;
        // BTreeMap iterates in key order: lowest id first.
        Ok(state
            .notes
            .values()
            .filter(|n| n.owner == owner)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn update(
        &self,
        id: i64,
        version: i64,
        title: &str,
        body: &str,
    ) -> Result<Note, RepoError> {
        let mut state = self.state()?;
        let owner = match state.notes.get(&id) {
            None => return Err(RepoError::NotFound),
            Some(n) if n.version != version => return Err(RepoError::Conflict),
            Some(n) => n.owner.clone(),
        };
        if state.title_taken(&owner, title, Some(id)) {
            return Err(RepoError::Duplicate);
        }
        let note = state.notes.get_mut(&id).ok_or(RepoError::NotFound)?;
        note.title = title.to_string();
        note.body = body.to_string();
        note.version += 1;
        Ok(note.clone())
    }

    async fn delete(&self, id: i64) -> Result<bool, RepoError> {
        Ok(self.state()?.notes.remove(&id).is_some())
    }
}
