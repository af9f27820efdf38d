//! The repository contract (see src/lib.rs), run against both
//! implementations: every test below exists twice, as `memory::NAME` and
//! `postgres::NAME`. The PostgreSQL ones need `DATABASE_URL` (the checker
//! sets it to a fresh database).
//!
//! These tests are the check: it runs them as shipped.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use repository_pattern::{MemoryNotes, NewNote, NoteRepo, PgNotes, RepoError};

/// An owner no other test uses, so tests sharing one database do not see
/// each other's notes.
fn owner(tag: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{tag}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn new(owner: &str, title: &str) -> NewNote {
    NewNote {
        owner: owner.into(),
        title: title.into(),
        body: format!("body of {title}"),
    }
}

async fn create_then_get<R: NoteRepo>(repo: Arc<R>) {
    let me = owner("get");
    let note = repo.create(new(&me, "milk")).await.expect("create");
    assert!(note.id > 0, "ids are positive, got {}", note.id);
    assert_eq!(
        (note.owner.as_str(), note.title.as_str()),
        (me.as_str(), "milk")
    );
    assert_eq!(note.body, "body of milk");
    assert_eq!(note.version, 1, "a new note has version 1");
    assert_eq!(repo.get(note.id).await.expect("get"), Some(note.clone()));
    assert_eq!(
        repo.get(note.id + 1_000_000).await.expect("get"),
        None,
        "a missing id is None, not an error"
    );
}

async fn ids_increase<R: NoteRepo>(repo: Arc<R>) {
    let me = owner("ids");
    let mut last = 0;
    for title in ["a", "b", "c"] {
        let id = repo.create(new(&me, title)).await.expect("create").id;
        assert!(
            id > last,
            "each id is larger than the one before: {id} after {last}"
        );
        last = id;
    }
}

async fn duplicate_titles<R: NoteRepo>(repo: Arc<R>) {
    let (me, you) = (owner("dup"), owner("dup"));
    repo.create(new(&me, "plans")).await.expect("create");
    assert_eq!(
        repo.create(new(&me, "plans")).await,
        Err(RepoError::Duplicate),
        "same owner, same title"
    );
    let yours = repo.create(new(&you, "plans")).await;
    assert!(yours.is_ok(), "another owner may use the title: {yours:?}");
    assert_eq!(
        repo.list(&me, 10).await.expect("list").len(),
        1,
        "the refused note was not stored"
    );
}

async fn list_by_owner<R: NoteRepo>(repo: Arc<R>) {
    let (me, you) = (owner("list"), owner("list"));
    for title in ["n1", "n2", "n3", "n4", "n5"] {
        repo.create(new(&me, title)).await.expect("create");
    }
    repo.create(new(&you, "other")).await.expect("create");
    let titles = |notes: Vec<repository_pattern::Note>| {
        notes.into_iter().map(|n| n.title).collect::<Vec<_>>()
    };
    assert_eq!(
        titles(repo.list(&me, 10).await.expect("list")),
        ["n1", "n2", "n3", "n4", "n5"],
        "lowest id first, only mine"
    );
    assert_eq!(
        titles(repo.list(&me, 2).await.expect("list")),
        ["n1", "n2"],
        "at most `limit`"
    );
    assert!(
        repo.list(&me, 0).await.expect("list").is_empty(),
        "limit 0 is none"
    );
    assert!(
        repo.list(&owner("nobody"), 10)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn update_with_versions<R: NoteRepo>(repo: Arc<R>) {
    let me = owner("upd");
    let note = repo.create(new(&me, "draft")).await.expect("create");
    let taken = repo.create(new(&me, "taken")).await.expect("create");
    let changed = repo
        .update(note.id, 1, "final", "done")
        .await
        .expect("update from the current version");
    assert_eq!(
        (changed.id, changed.version),
        (note.id, 2),
        "same note, version one higher"
    );
    assert_eq!(
        (changed.title.as_str(), changed.body.as_str()),
        ("final", "done")
    );
    assert_eq!(
        repo.get(note.id).await.expect("get"),
        Some(changed.clone()),
        "get sees the update"
    );
    assert_eq!(
        repo.update(note.id, 1, "again", "stale").await,
        Err(RepoError::Conflict),
        "version 1 is stale now"
    );
    assert_eq!(
        repo.update(note.id + 1_000_000, 1, "x", "y").await,
        Err(RepoError::NotFound)
    );
    assert_eq!(
        repo.update(note.id, 2, "taken", "z").await,
        Err(RepoError::Duplicate),
        "the title belongs to another note"
    );
    assert_eq!(
        repo.get(note.id).await.expect("get"),
        Some(changed),
        "refused updates change nothing"
    );
    let same_title = repo
        .update(taken.id, 1, "taken", "new body")
        .await
        .expect("a note may keep its own title");
    assert_eq!(same_title.version, 2);
}

async fn one_of_concurrent_updates_wins<R: NoteRepo + 'static>(repo: Arc<R>) {
    let me = owner("race");
    let note = repo.create(new(&me, "race")).await.expect("create");
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let repo = repo.clone();
            tokio::spawn(async move {
                repo.update(note.id, 1, "race", &format!("writer {i}"))
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => won += 1,
            Err(RepoError::Conflict) => {}
            Err(e) => panic!("an update lost the race with {e:?}, expected Conflict"),
        }
    }
    assert_eq!(won, 1, "exactly one of 8 updates from version 1 wins");
    assert_eq!(
        repo.get(note.id).await.expect("get").map(|n| n.version),
        Some(2)
    );
}

async fn delete_once<R: NoteRepo>(repo: Arc<R>) {
    let me = owner("del");
    let note = repo.create(new(&me, "bin")).await.expect("create");
    assert!(
        repo.delete(note.id).await.expect("delete"),
        "the first delete deletes"
    );
    assert!(
        !repo.delete(note.id).await.expect("delete"),
        "the second finds nothing"
    );
    assert_eq!(repo.get(note.id).await.expect("get"), None);
    assert!(repo.list(&me, 10).await.expect("list").is_empty());
    repo.create(new(&me, "bin"))
        .await
        .expect("a deleted note's title is free again");
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(std::sync::Arc::new(super::MemoryNotes::default())).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::pg().await).await;
                }
            )*
        }
    };
}

contract!(
    create_then_get,
    ids_increase,
    duplicate_titles,
    list_by_owner,
    update_with_versions,
    one_of_concurrent_updates_wins,
    delete_once,
);

/// PostgreSQL only: the notes are rows of the notes table, so a second
/// `PgNotes` over a pool of its own (another process of the server, say)
/// sees what the first one wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_notes_live_in_the_database() {
    let (a, b) = (pg().await, pg().await);
    let me = owner("shared");
    let note = a.create(new(&me, "shared")).await.expect("create");
    assert_eq!(
        b.get(note.id).await.expect("get"),
        Some(note.clone()),
        "a second PgNotes, with its own pool, reads the note the first created"
    );
    let changed = b
        .update(note.id, 1, "shared", "changed")
        .await
        .expect("update through the second PgNotes");
    assert_eq!(a.get(note.id).await.expect("get"), Some(changed));
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notes WHERE owner = $1 AND version = 2")
            .bind(&me)
            .fetch_one(&pool().await)
            .await
            .expect("count the rows");
    assert_eq!(
        rows, 1,
        "the note is a row of the notes table, at version 2"
    );
    assert!(a.delete(note.id).await.expect("delete"));
    assert_eq!(b.get(note.id).await.expect("get"), None);
}

async fn pool() -> sqlx::PgPool {
    let url = std::env::var("DATABASE_URL")
        .expect("the PostgreSQL tests need DATABASE_URL (serverlings check sets it)");
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL: {e}"))
}

async fn pg() -> Arc<PgNotes> {
    Arc::new(PgNotes::new(pool().await).await.expect("migrations"))
}
