//! The feed: articles newest first, a page at a time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

pub async fn publish(pool: &PgPool, title: &str, at: DateTime<Utc>) -> sqlx::Result<Article> {
    sqlx::query_as(
        "INSERT INTO articles (title, published_at) VALUES ($1, $2)
         RETURNING id, title, published_at",
    )
    .bind(title)
    .bind(at)
    .fetch_one(pool)
    .await
}

// TODO(1): this is offset pagination dressed up as a cursor. The cursor
// holds "how many rows were already shown", so when an article is
// published at the top between two requests, every row moves down by one
// and the next page starts with a row the client has already seen (a
// deleted row makes one vanish instead). And OFFSET 10000 reads 10 000
// rows to throw them away.
//
// Make the cursor the position of the last article of the page, and the
// page "the articles after that position" in the feed's order. The
// contract:
// - the order is published_at descending, and for the same published_at,
//   id descending: several articles can share an instant, and none of them
//   may be skipped or repeated at a page boundary;
// - `encode` gives text that `decode` turns back into the same cursor;
//   `decode` returns `None` for anything else (web.rs answers 400);
// - `page` returns at most `limit` articles and the cursor of the next
//   page, or `None` when there is no article after this page (also when
//   the last page is exactly full);
// - the migration's index on (published_at, id) can serve every page.

/// Where the next page starts. Clients only ever see `encode`'s text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub offset: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("offset:{}", self.offset))
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let key = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
        let offset = key.strip_prefix("offset:")?.parse().ok()?;
        Some(Cursor { offset })
    }
}

pub async fn page(
    pool: &PgPool,
    after: Option<Cursor>,
    limit: i64,
) -> sqlx::Result<(Vec<Article>, Option<Cursor>)> {
    let offset = after.map_or(0, |c| c.offset);
    let rows: Vec<Article> = sqlx::query_as(
        "SELECT id, title, published_at FROM articles
          ORDER BY published_at DESC, id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let next = (rows.len() as i64 == limit).then_some(Cursor {
        offset: offset + limit,
    });
    Ok((rows, next))
}
