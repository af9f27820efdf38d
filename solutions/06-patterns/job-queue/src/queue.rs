//! The queue's operations on Redis. Every change that moves a job from
//! one place to another is one atomic step: a crash lands before it or
//! after it, never half-way.

use std::time::Duration;

use rand::Rng;
use redis::aio::MultiplexedConnection;
use redis::{AsyncCommands, Direction, RedisResult};

use crate::delivery::Job;
use crate::{Policy, keys, now_ms};

/// What became of a failed attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Failed {
    /// Scheduled again, this long from now.
    Retrying(Duration),
    /// Moved to the dead letters.
    Dead,
}

/// Reads a job's record; `None` when the id has no record.
pub async fn load(conn: &mut MultiplexedConnection, id: &str) -> RedisResult<Option<Job>> {
    let fields: std::collections::HashMap<String, String> = conn.hgetall(keys::job(id)).await?;
    let Some(url) = fields.get("url") else {
        return Ok(None);
    };
    Ok(Some(Job {
        id: id.to_string(),
        url: url.clone(),
        payload: fields
            .get("payload")
            .cloned()
            .unwrap_or_else(|| "null".into()),
        attempts: fields
            .get("attempts")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0),
    }))
}

/// Marks a claimed job as running (for `GET /jobs/{id}`).
pub async fn mark_running(conn: &mut MultiplexedConnection, id: &str) -> RedisResult<()> {
    conn.hset(keys::job(id), "state", "running").await
}

/// Forgets a claimed id that has no record.
pub async fn drop_claim(
    conn: &mut MultiplexedConnection,
    worker: &str,
    id: &str,
) -> RedisResult<()> {
    conn.lrem(keys::processing(worker), 1, id).await
}

/// Waits up to `wait` for a job and claims it: the id moves from
/// `jobs:ready` to this worker's processing list in one step, so that a
/// worker that dies while running it leaves it there, not nowhere.
pub async fn claim(
    conn: &mut MultiplexedConnection,
    worker: &str,
    wait: Duration,
) -> RedisResult<Option<String>> {
    conn.blmove(
        keys::READY,
        keys::processing(worker),
        Direction::Right,
        Direction::Left,
        wait.as_secs_f64(),
    )
    .await
}

/// At start: what this worker's previous life claimed and never finished
/// goes back to the head of `jobs:ready`. Returns the ids.
pub async fn recover(conn: &mut MultiplexedConnection, worker: &str) -> RedisResult<Vec<String>> {
    let mine = keys::processing(worker);
    let mut back = Vec::new();
    while let Some(id) = conn
        .lmove::<_, _, Option<String>>(&mine, keys::READY, Direction::Right, Direction::Right)
        .await?
    {
        back.push(id);
    }
    Ok(back)
}

/// The job was delivered: its record says so and the claim is released,
/// in one transaction.
pub async fn complete(
    conn: &mut MultiplexedConnection,
    worker: &str,
    job: &Job,
) -> RedisResult<()> {
    let attempts = (job.attempts + 1).to_string();
    redis::pipe()
        .atomic()
        .hset_multiple(
            keys::job(&job.id),
            &[("state", "done"), ("attempts", attempts.as_str())],
        )
        .ignore()
        .lrem(keys::processing(worker), 1, &job.id)
        .ignore()
        .query_async(conn)
        .await
}

/// The wait before the attempt after `attempts` failed ones:
/// `base × 2^(attempts - 1)`, plus up to half of that again at random.
pub fn backoff(policy: &Policy, attempts: u32) -> Duration {
    let exp = policy
        .base
        .saturating_mul(1 << attempts.saturating_sub(1).min(20))
        .min(Duration::from_secs(3600));
    exp + rand::rng().random_range(Duration::ZERO..=exp / 2)
}

/// The attempt failed with `error`. A transient failure with attempts left
/// waits in `jobs:delayed` until `now + backoff`; anything else is a dead
/// letter. Either way the claim is released in the same transaction.
pub async fn fail(
    conn: &mut MultiplexedConnection,
    worker: &str,
    job: &Job,
    error: &str,
    transient: bool,
    policy: &Policy,
) -> RedisResult<Failed> {
    let attempts = job.attempts + 1;
    let key = keys::job(&job.id);
    let count = attempts.to_string();
    let mut tx = redis::pipe();
    tx.atomic();
    let failed = if transient && attempts < policy.max_attempts {
        let wait = backoff(policy, attempts);
        let due = now_ms().saturating_add(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
        tx.hset_multiple(
            &key,
            &[
                ("state", "retrying"),
                ("attempts", &count),
                ("last_error", error),
            ],
        )
        .ignore()
        .zadd(keys::DELAYED, &job.id, due)
        .ignore();
        Failed::Retrying(wait)
    } else {
        tx.hset_multiple(
            &key,
            &[
                ("state", "dead"),
                ("attempts", &count),
                ("last_error", error),
            ],
        )
        .ignore()
        .lpush(keys::DEAD, &job.id)
        .ignore();
        Failed::Dead
    };
    tx.lrem(keys::processing(worker), 1, &job.id).ignore();
    tx.query_async::<()>(conn).await?;
    Ok(failed)
}

/// Moves the ids of `jobs:delayed` due at `now_ms` back to `jobs:ready`,
/// atomically (a script runs alone on the server). Returns how many.
pub async fn promote_due(conn: &mut MultiplexedConnection, now_ms: u64) -> RedisResult<usize> {
    let script = redis::Script::new(
        r"
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
        for _, id in ipairs(due) do
            redis.call('ZREM', KEYS[1], id)
            redis.call('LPUSH', KEYS[2], id)
        end
        return #due
        ",
    );
    script
        .key(keys::DELAYED)
        .key(keys::READY)
        .arg(now_ms)
        .invoke_async(conn)
        .await
}
