//! The catalogue: PostgreSQL is the truth, Redis keeps copies of it.

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

    /// Cache-aside: Redis first; on a miss, the database, then a copy in
    /// Redis with a TTL (`SET key value EX ttl`, one atomic command). A
    /// missing product is not cached: the next create must be seen at once.
    pub async fn get(&mut self, id: i64) -> Result<Option<Product>, Error> {
        let cached: Option<String> = self.redis.get(key(id)).await?;
        if let Some(json) = cached {
            match serde_json::from_str(&json) {
                Ok(product) => return Ok(Some(product)),
                // A copy this version cannot read (an older shape, say) is
                // a miss, not an error.
                Err(e) => eprintln!("ignoring unreadable cache entry {}: {e}", key(id)),
            }
        }
        let Some(product) = db::get(&self.pool, id).await? else {
            return Ok(None);
        };
        if let Ok(json) = serde_json::to_string(&product) {
            let _: () = self.redis.set_ex(key(id), json, self.ttl).await?;
        }
        Ok(Some(product))
    }

    /// The database first, then the cached copy is deleted (not rewritten):
    /// the next read, on any copy of the server, fills it from the truth.
    pub async fn update(
        &mut self,
        id: i64,
        name: &str,
        price_cents: i64,
    ) -> Result<Option<Product>, Error> {
        let updated = db::update(&self.pool, id, name, price_cents).await?;
        let _: () = self.redis.del(key(id)).await?;
        Ok(updated)
    }

    pub async fn delete(&mut self, id: i64) -> Result<bool, Error> {
        let deleted = db::delete(&self.pool, id).await?;
        let _: () = self.redis.del(key(id)).await?;
        Ok(deleted)
    }
}
