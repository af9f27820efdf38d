//! DataLoaders: each collects the keys asked for while a query resolves,
//! then loads them all with one repository read.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use crate::repo::{Author, Book, Repo};

/// Authors by id.
pub struct AuthorLoader {
    repo: Repo,
}

impl AuthorLoader {
    pub fn new(repo: Repo) -> Self {
        AuthorLoader { repo }
    }
}

impl Loader<u64> for AuthorLoader {
    type Value = Author;
    type Error = String;

    async fn load(&self, keys: &[u64]) -> Result<HashMap<u64, Author>, String> {
        // TODO(2): every author asked for, with ONE read of the repository
        // however many keys there are, as a map from id to author. A key
        // missing from the map means "no such author" (`load_one` then
        // gives `None`).
        let _ = &self.repo;
        todo!("TODO(2): load the authors {keys:?} with one read")
    }
}

/// The books of each author: one author id → all their books.
pub struct BooksByAuthorLoader {
    repo: Repo,
}

impl BooksByAuthorLoader {
    pub fn new(repo: Repo) -> Self {
        BooksByAuthorLoader { repo }
    }
}

impl Loader<u64> for BooksByAuthorLoader {
    type Value = Vec<Book>;
    type Error = String;

    async fn load(&self, keys: &[u64]) -> Result<HashMap<u64, Vec<Book>>, String> {
        // TODO(4): the books of every author asked for, with ONE read of
        // the repository, as a map from author id to that author's books in
        // id order. An author without books may be absent from the map.
        let _ = &self.repo;
        todo!("TODO(4): load the books of the authors {keys:?} with one read")
    }
}
