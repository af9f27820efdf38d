//! The blog's queries.

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

async fn author(pool: &PgPool, id: i64) -> sqlx::Result<Author> {
    sqlx::query_as("SELECT id, name FROM authors WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// The `limit` newest posts with their authors.
//
// TODO(1): this sends 1 + N queries: the page, then one per post for its
// author (20 posts, 21 round trips; the same author is even fetched
// again for each of their posts). Make the whole page cost at most two
// queries, whatever `limit` is and however many authors the page has.
// The answer stays exactly the same: newest first, every post with its
// own author's id and name.
pub async fn recent_posts(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<PostView>> {
    let posts = newest_posts(pool, limit).await?;
    let mut page = Vec::with_capacity(posts.len());
    for post in posts {
        let author = author(pool, post.author_id).await?;
        page.push(PostView {
            id: post.id,
            title: post.title,
            author,
        });
    }
    Ok(page)
}
