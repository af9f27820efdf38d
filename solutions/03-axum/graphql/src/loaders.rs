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
        // A key missing from the map means "no such author": `load_one`
        // then gives `None`.
        let authors = self.repo.authors_by_ids(keys);
        Ok(authors.into_iter().map(|a| (a.id, a)).collect())
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
        let mut by_author: HashMap<u64, Vec<Book>> = HashMap::new();
        // In id order, so each author's list is in order too. An author
        // without books is absent from the map.
        for book in self.repo.books_by_authors(keys) {
            by_author.entry(book.author_id).or_default().push(book);
        }
        Ok(by_author)
    }
}
