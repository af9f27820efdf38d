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

/// Where a page ended: the sort key of its last article. Clients see it
/// only as base64url text, so its content can change without breaking
/// them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub published_at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let key = format!("v1:{}:{}", self.published_at.timestamp_micros(), self.id);
        URL_SAFE_NO_PAD.encode(key)
    }

    /// `None` for anything `encode` did not make.
    pub fn decode(text: &str) -> Option<Cursor> {
        if text.len() > 100 {
            return None;
        }
        let key = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
        let mut parts = key.split(':');
        let (Some("v1"), Some(micros), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let published_at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(Cursor {
            published_at,
            id: id.parse().ok()?,
        })
    }
}

/// One page after `after` (from the top when `None`), and the cursor of
/// the next page when there is one. One more row than asked for is read:
/// its presence says whether a next page exists.
pub async fn page(
    pool: &PgPool,
    after: Option<Cursor>,
    limit: i64,
) -> sqlx::Result<(Vec<Article>, Option<Cursor>)> {
    let mut rows: Vec<Article> = match after {
        None => {
            sqlx::query_as(
                "SELECT id, title, published_at FROM articles
                  ORDER BY published_at DESC, id DESC LIMIT $1",
            )
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        }
        Some(c) => {
            // A row comparison: strictly after (published_at, id) in the
            // descending order, served by the index on (published_at, id).
            sqlx::query_as(
                "SELECT id, title, published_at FROM articles
                  WHERE (published_at, id) < ($1, $2)
                  ORDER BY published_at DESC, id DESC LIMIT $3",
            )
            .bind(c.published_at)
            .bind(c.id)
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        }
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = match rows.last() {
        Some(last) if more => Some(Cursor {
            published_at: last.published_at,
            id: last.id,
        }),
        _ => None,
    };
    Ok((rows, next))
}
