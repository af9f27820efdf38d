//! The catalogue: PostgreSQL is the truth, Redis keeps copies of it.

// Redis is unused until TODO(1) uses it: delete this line then.
#![allow(unused_imports, dead_code)]

use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use sqlx::PgPool;

use crate::db::{self, Product};

#[derive(Debug)]
pub enum Error {
    Db(sqlx::Error),
    Cache(redis::RedisError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Db(e) => write!(f, "database: {e}"),
            Error::Cache(e) => write!(f, "redis: {e}"),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Db(e)
    }
}

impl From<redis::RedisError> for Error {
    fn from(e: redis::RedisError) -> Self {
        Error::Cache(e)
    }
}

/// Shared by every handler: cloning it clones handles, not connections.
#[derive(Clone)]
pub struct Catalogue {
    pub pool: PgPool,
    /// One multiplexed connection that reconnects by itself.
    pub redis: ConnectionManager,
    /// How long a cached copy lives, in seconds.
    pub ttl: u64,
}

/// The key of a product's cached copy.
fn key(id: i64) -> String {
    format!("product:{id}")
}

impl Catalogue {
    pub async fn create(&self, name: &str, price_cents: i64) -> Result<Product, Error> {
        Ok(db::create(&self.pool, name, price_cents).await?)
    }

    // TODO(1): cache-aside. Today every read goes to the database. The
    // contract:
    // - look in Redis first, under `key(id)`; a copy there is the answer,
    //   with no database query at all;
    // - on a miss, read the database; a product that exists is stored in
    //   Redis as its JSON (serde_json), expiring after `self.ttl` seconds,
    //   with the value and its expiry set in one command;
    // - a product that does not exist is not cached (None, nothing stored);
    // - a copy in Redis that cannot be parsed is treated as a miss.
    // `self.redis` has the `redis::AsyncCommands` methods (`get`, `set_ex`,
    // `del`, ...); name the type you expect back: `let v: Option<String> = ...`.
    pub async fn get(&mut self, id: i64) -> Result<Option<Product>, Error> {
        Ok(db::get(&self.pool, id).await?)
    }

    // TODO(2): invalidation. Once TODO(1) caches, these two leave a copy in
    // Redis that says what the product was before the write, and every
    // copy of the server serves it until the TTL runs out. After a write
    // succeeds in the database, no cached copy of the product may remain:
    // the next read, on any copy of the server, must see the write.
    pub async fn update(
        &mut self,
        id: i64,
        name: &str,
        price_cents: i64,
    ) -> Result<Option<Product>, Error> {
        Ok(db::update(&self.pool, id, name, price_cents).await?)
    }

    pub async fn delete(&mut self, id: i64) -> Result<bool, Error> {
        Ok(db::delete(&self.pool, id).await?)
    }
}
