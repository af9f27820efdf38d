//! The read path: in-process map (L1), then Redis (L2), then PostgreSQL.

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use sqlx::PgPool;

use crate::local::Local;
use crate::origin::{self, Product};

/// How long Redis keeps a product.
pub const REDIS_TTL_SECS: u64 = 60;

/// Where an answer came from, for the `x-cache` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    L1,
    L2,
    Origin,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::L1 => "l1",
            Layer::L2 => "l2",
            Layer::Origin => "origin",
        }
    }
}

#[derive(Debug)]
pub struct CacheError(pub String);

type Loaded = (Option<Product>, Layer);

pub struct Cache {
    local: Local,
    redis: ConnectionManager,
    pool: PgPool,
    // TODO(1): what the requests that miss the same key at the same time
    // need to share.
}

pub fn key(id: i32) -> String {
    format!("product:{id}")
}

impl Cache {
    pub fn new(redis: ConnectionManager, pool: PgPool) -> Self {
        Cache {
            local: Local::new(Duration::from_secs(5)),
            redis,
            pool,
        }
    }

    /// The product and the layer it came from; None when it does not exist.
    pub async fn get(&self, id: i32) -> Result<Loaded, CacheError> {
        if let Some(product) = self.local.get(id) {
            return Ok((Some(product), Layer::L1));
        }
        // TODO(1): single-flight. While one request loads a key (from
        // Redis, then PostgreSQL), every other request that misses the same
        // key waits for that load's result instead of starting its own.
        // A failed load is not kept: the next request tries again. Once a
        // load is done, nothing of it stays behind but the filled layers
        // (the map of loads in flight must not grow with every key ever
        // asked for).
        self.load(id).await
    }

    /// Redis, then PostgreSQL; fills the layers above on the way back.
    async fn load(&self, id: i32) -> Result<Loaded, CacheError> {
        let mut redis = self.redis.clone();
        let cached: Option<String> = redis.get(key(id)).await.unwrap_or_else(|e| {
            eprintln!("redis GET {}: {e}", key(id));
            None
        });
        if let Some(product) = cached.and_then(|json| serde_json::from_str::<Product>(&json).ok()) {
            self.local.put(&product);
            return Ok((Some(product), Layer::L2));
        }
        let product = origin::load(&self.pool, id)
            .await
            .map_err(|e| CacheError(format!("database: {e}")))?;
        if let Some(product) = &product {
            let json = serde_json::to_string(product).map_err(|e| CacheError(e.to_string()))?;
            if let Err(e) = redis
                .set_ex::<_, _, ()>(key(id), json, REDIS_TTL_SECS)
                .await
            {
                eprintln!("redis SET {}: {e}", key(id));
            }
            self.local.put(product);
        }
        Ok((product, Layer::Origin))
    }
}
