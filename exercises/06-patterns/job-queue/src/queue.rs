//! The queue's operations on Redis. Every change that moves a job from
//! one place to another must be one atomic step: a crash then lands before
//! it or after it, never half-way.
//!
//! As given, this is the naive queue: a job is popped, and a failure is
//! final. It works until a worker dies mid-job or a receiver has a bad
//! minute. TODO(1) to TODO(3) make it reliable; the worker loop in
//! `src/bin/job-queue-worker.rs` already calls everything in the right order.

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncCommands, RedisResult};

use crate::delivery::Job;
use crate::{Policy, keys};

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

// TODO(1): claim, complete and recover, so that a worker killed mid-job
// (SIGKILL: no cleanup, no last words) loses nothing and finishes nothing
// twice. The contract:
// - `claim` waits up to `wait` for an id at the right end of `jobs:ready`
//   and hands it to the caller *without the queue forgetting it*: the id
//   must be in this worker's processing list (`keys::processing`) from
//   the moment it leaves `jobs:ready`, with no instant in between.
// - `complete` records the job as `done` with one more attempt and
//   removes the id from the processing list, both or neither.
// - `recover` runs when the worker starts: every id still in its
//   processing list was claimed by a run that died; put each back at the
//   right end of `jobs:ready` (next in line) and return them.

/// Waits up to `wait` for a job and claims it.
pub async fn claim(
    conn: &mut MultiplexedConnection,
    worker: &str,
    wait: Duration,
) -> RedisResult<Option<String>> {
    let _ = worker;
    // Naive: once popped, the id exists only in this process.
    let popped: Option<(String, String)> = conn.brpop(keys::READY, wait.as_secs_f64()).await?;
    Ok(popped.map(|(_list, id)| id))
}

/// At start: puts back what a previous run of this worker left claimed.
pub async fn recover(conn: &mut MultiplexedConnection, worker: &str) -> RedisResult<Vec<String>> {
    let _ = (conn, worker);
    Ok(Vec::new())
}

/// The job was delivered.
pub async fn complete(
    conn: &mut MultiplexedConnection,
    worker: &str,
    job: &Job,
) -> RedisResult<()> {
    let _ = worker;
    let attempts = (job.attempts + 1).to_string();
    conn.hset_multiple(
        keys::job(&job.id),
        &[("state", "done"), ("attempts", attempts.as_str())],
    )
    .await
}

// TODO(2): retries with backoff, and dead letters. The contract of `fail`:
// - the attempt counts: `attempts` goes up by one and `last_error` is
//   the error;
// - a transient failure with attempts left (`attempts` after this one is
//   below `policy.max_attempts`) is scheduled again: state `retrying`,
//   the id in `jobs:delayed` scored by when it is due, in milliseconds
//   since the epoch (`crate::now_ms`), `backoff(policy, attempts)` from
//   now;
// - anything else is a dead letter: state `dead`, the id pushed on the
//   left of `jobs:dead`, never tried again;
// - either way the id leaves the processing list, in the same atomic step
//   as the rest (a crash must not leave it both scheduled and claimed).
// `backoff` is `base × 2^(attempts - 1)` after `attempts` failures
// (base, 2·base, 4·base, ...), capped at an hour, plus a random jitter of
// up to half of that again.

/// The wait before the attempt after `attempts` failed ones.
pub fn backoff(policy: &Policy, attempts: u32) -> Duration {
    let _ = (policy, attempts);
    todo!("TODO(2): base × 2^(attempts - 1), plus up to 50% jitter")
}

/// The attempt failed with `error`; `transient` says whether trying again
/// later may help.
pub async fn fail(
    conn: &mut MultiplexedConnection,
    worker: &str,
    job: &Job,
    error: &str,
    transient: bool,
    policy: &Policy,
) -> RedisResult<Failed> {
    let _ = (worker, transient, policy);
    // Naive: every failure is final.
    let attempts = (job.attempts + 1).to_string();
    let fields = [
        ("state", "dead"),
        ("attempts", attempts.as_str()),
        ("last_error", error),
    ];
    conn.hset_multiple::<_, _, _, ()>(keys::job(&job.id), &fields)
        .await?;
    conn.lpush::<_, _, ()>(keys::DEAD, &job.id).await?;
    Ok(Failed::Dead)
}

// TODO(3): `promote_due` moves every id of `jobs:delayed` whose score is
// at most `now_ms` to the left of `jobs:ready` and returns how many it
// moved. Another worker may run the same promoter at the same moment: an
// id must move once, never be lost between the two keys, never be
// pushed twice. (The worker calls this every 50 ms.)

/// Moves the retries that are due back to `jobs:ready`.
pub async fn promote_due(conn: &mut MultiplexedConnection, now_ms: u64) -> RedisResult<usize> {
    let _ = (conn, now_ms);
    Ok(0)
}
