//! The read path: in-process map (L1), then Redis (L2), then PostgreSQL.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use sqlx::PgPool;
use tokio::sync::OnceCell;

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
    // TODO(1), done: the loads in flight, one per key; everyone who misses
    // the same key while it loads awaits the same cell.
    flights: Mutex<HashMap<i32, Arc<OnceCell<Loaded>>>>,
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
            flights: Mutex::default(),
        }
    }

    /// The product and the layer it came from; None when it does not exist.
    pub async fn get(&self, id: i32) -> Result<Loaded, CacheError> {
        if let Some(product) = self.local.get(id) {
            return Ok((Some(product), Layer::L1));
        }
        // TODO(1), done: single-flight over both lower layers.
        let cell = self
            .flights
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id)
            .or_default()
            .clone();
        let loaded = cell.get_or_try_init(|| self.load(id)).await.cloned();
        // Done (or failed): the next miss, after the TTLs, loads afresh.
        // Only the cell this flight used is removed, not a newer one.
        let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        if flights.get(&id).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            flights.remove(&id);
        }
        loaded
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
