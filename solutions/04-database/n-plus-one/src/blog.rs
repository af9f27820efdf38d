//! The blog's queries.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Author {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
}

/// A post as a page shows it: with its author.
#[derive(Debug, Serialize)]
pub struct PostView {
    pub id: i64,
    pub title: String,
    pub author: Author,
}

pub async fn create_author(pool: &PgPool, name: &str) -> sqlx::Result<Author> {
    sqlx::query_as("INSERT INTO authors (name) VALUES ($1) RETURNING id, name")
        .bind(name)
        .fetch_one(pool)
        .await
}

pub async fn create_post(pool: &PgPool, author_id: i64, title: &str) -> sqlx::Result<Post> {
    sqlx::query_as(
        "INSERT INTO posts (author_id, title) VALUES ($1, $2) RETURNING id, author_id, title",
    )
    .bind(author_id)
    .bind(title)
    .fetch_one(pool)
    .await
}

async fn newest_posts(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Post>> {
    sqlx::query_as("SELECT id, author_id, title FROM posts ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// The `limit` newest posts with their authors, in two queries: the page
/// of posts, then every author it mentions at once (ids deduplicated, the
/// array bound as one parameter), joined in memory.
pub async fn recent_posts(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<PostView>> {
    let posts = newest_posts(pool, limit).await?;
    let mut ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let authors: HashMap<i64, Author> =
        sqlx::query_as::<_, Author>("SELECT id, name FROM authors WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    posts
        .into_iter()
        .map(|p| {
            // The foreign key guarantees the author exists; a row deleted
            // between the two queries is reported, not unwrapped.
            let author = authors
                .get(&p.author_id)
                .cloned()
                .ok_or(sqlx::Error::RowNotFound)?;
            Ok(PostView {
                id: p.id,
                title: p.title,
                author,
            })
        })
        .collect()
}
