//! A reliable job queue in Redis: what the API (`main.rs`) and the worker
//! (`src/bin/`) share.

pub mod delivery;
pub mod keys;
pub mod queue;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How failed jobs are retried, from the environment.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The wait before the second attempt; each later one doubles it.
    pub base: Duration,
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
}

impl Policy {
    /// `RETRY_BASE_MS` (1000 by default) and `MAX_ATTEMPTS` (5 by default).
    pub fn from_env() -> Result<Policy, String> {
        let number = |key: &str, default: u64| -> Result<u64, String> {
            match std::env::var(key) {
                Err(_) => Ok(default),
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("{key} must be a whole number of at least 1")),
            }
        };
        let base = number("RETRY_BASE_MS", 1000)?;
        let max_attempts = number("MAX_ATTEMPTS", 5)?;
        Ok(Policy {
            base: Duration::from_millis(base),
            max_attempts: u32::try_from(max_attempts).map_err(|_| "MAX_ATTEMPTS is too large")?,
        })
    }
}

/// Milliseconds since the Unix epoch: the scores of `jobs:delayed`.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
