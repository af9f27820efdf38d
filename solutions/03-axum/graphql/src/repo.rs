//! The storage, in memory, standing in for a database: every read method
//! is what one SQL query would be, and is counted.

// A repository offers more reads than one version of the schema uses.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Clone, Debug)]
pub struct Author {
    pub id: u64,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Book {
    pub id: u64,
    pub title: String,
    pub author_id: u64,
}

#[derive(Default)]
struct Tables {
    last_id: u64,
    authors: BTreeMap<u64, Author>,
    books: BTreeMap<u64, Book>,
}

#[derive(Default)]
struct Reads {
    authors: AtomicUsize,
    books: AtomicUsize,
}

/// A handle to the shared tables, with its own read counters.
#[derive(Clone, Default)]
pub struct Repo {
    tables: Arc<RwLock<Tables>>,
    reads: Arc<Reads>,
}

impl Repo {
    /// The same tables, counted from zero: one per request.
    pub fn counting(&self) -> Repo {
        Repo {
            tables: Arc::clone(&self.tables),
            reads: Arc::default(),
        }
    }

    /// How many times this handle read (authors, books).
    pub fn reads(&self) -> (usize, usize) {
        let reads = &self.reads;
        (
            reads.authors.load(Ordering::Relaxed),
            reads.books.load(Ordering::Relaxed),
        )
    }

    fn read_authors(&self) -> RwLockReadGuard<'_, Tables> {
        self.reads.authors.fetch_add(1, Ordering::Relaxed);
        self.tables
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn read_books(&self) -> RwLockReadGuard<'_, Tables> {
        self.reads.books.fetch_add(1, Ordering::Relaxed);
        self.tables
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Tables> {
        self.tables
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `SELECT * FROM authors ORDER BY id`
    pub fn all_authors(&self) -> Vec<Author> {
        self.read_authors().authors.values().cloned().collect()
    }

    /// `SELECT * FROM authors WHERE id = $1`
    pub fn author(&self, id: u64) -> Option<Author> {
        self.read_authors().authors.get(&id).cloned()
    }

    /// `SELECT * FROM authors WHERE id = ANY($1)`: one read for many ids.
    pub fn authors_by_ids(&self, ids: &[u64]) -> Vec<Author> {
        let tables = self.read_authors();
        ids.iter()
            .filter_map(|id| tables.authors.get(id).cloned())
            .collect()
    }

    /// `SELECT * FROM books ORDER BY id`
    pub fn all_books(&self) -> Vec<Book> {
        self.read_books().books.values().cloned().collect()
    }

    /// `SELECT * FROM books WHERE id = $1`
    pub fn book(&self, id: u64) -> Option<Book> {
        self.read_books().books.get(&id).cloned()
    }

    /// `SELECT * FROM books WHERE author_id = $1 ORDER BY id`
    pub fn books_by_author(&self, author_id: u64) -> Vec<Book> {
        let tables = self.read_books();
        let books = tables.books.values();
        books
            .filter(|b| b.author_id == author_id)
            .cloned()
            .collect()
    }

    /// `SELECT * FROM books WHERE author_id = ANY($1) ORDER BY id`
    pub fn books_by_authors(&self, author_ids: &[u64]) -> Vec<Book> {
        let tables = self.read_books();
        let books = tables.books.values();
        books
            .filter(|b| author_ids.contains(&b.author_id))
            .cloned()
            .collect()
    }

    pub fn insert_author(&self, name: &str) -> Author {
        let mut tables = self.write();
        tables.last_id += 1;
        let author = Author {
            id: tables.last_id,
            name: name.to_string(),
        };
        tables.authors.insert(author.id, author.clone());
        author
    }

    pub fn insert_book(&self, title: &str, author_id: u64) -> Book {
        let mut tables = self.write();
        tables.last_id += 1;
        let book = Book {
            id: tables.last_id,
            title: title.to_string(),
            author_id,
        };
        tables.books.insert(book.id, book.clone());
        book
    }
}
