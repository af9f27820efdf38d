//! # job-queue: retries, backoff and dead letters that survive a crash
//!
//! Webhook deliveries, run by a worker beside the API. Two binaries of this
//! crate, both on Redis at `$REDIS_URL`:
//!
//! - the API (`cargo run`, on `127.0.0.1:$PORT`; given):
//!   - `POST /jobs` `{"url", "payload"}` → 202 `{"id", "state": "queued"}`
//!     (422 when `url` is not http(s)): the job's record and its id in
//!     `jobs:ready`, in one transaction
//!   - `GET /jobs/{id}` → 200 `{"id", "url", "state", "attempts",
//!     "last_error"}`, or 404
//!   - `GET /dead-letters` → the newest dead jobs, newest first
//! - the worker (`cargo run --bin job-queue-worker`): claims a job, POSTs
//!   its payload to its URL with the job id as `Idempotency-Key`, and
//!   records the outcome. A 2xx is done; no answer, a refused connection,
//!   408, 429 or 5xx is transient (retry later, `RETRY_BASE_MS` × 2^(n-1)
//!   after the n-th failure, at most `MAX_ATTEMPTS` attempts in all); any
//!   other answer is permanent (a dead letter at once).
//!
//! The keys are in `src/keys.rs`. The guarantee to reach: a job accepted
//! is delivered at least once, even when the worker is SIGKILLed in the
//! middle of it; a job that was finished is never run again; a job that
//! cannot succeed ends in `jobs:dead` instead of being retried forever.
//!
//! ```text
//! main.rs                  the API (given)
//! bin/job-queue-worker.rs  the worker loop: recover, then claim, deliver,
//!                          record (given)
//! delivery.rs              one delivery attempt and its Outcome (given)
//! queue.rs                 claim, complete, recover               TODO(1)
//!                          fail: retry later or dead letter       TODO(2)
//!                          promote_due: due retries back to ready TODO(3)
//! ```
//!
//! Checked by: the checker starts the API and the worker with a random
//! `RETRY_BASE_MS` and `MAX_ATTEMPTS`, serves the webhook receivers itself
//! (one fine, one slow, one flaky, one gone, one down), kills the worker
//! with SIGKILL in the middle of a delivery and starts it again, counts
//! the deliveries each receiver got, and reads the Redis keys and the
//! retry schedule (`jobs:delayed`) itself.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use job_queue::keys;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::Deserialize;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("REDIS_URL").map_err(|_| "REDIS_URL is required")?;
    let redis = ConnectionManager::new(redis::Client::open(url)?).await?;
    let app = Router::new()
        .route("/jobs", post(enqueue))
        .route("/jobs/{id}", get(status))
        .route("/dead-letters", get(dead_letters))
        .with_state(redis);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

#[derive(Deserialize)]
struct NewJob {
    url: String,
    #[serde(default)]
    payload: Value,
}

fn problem(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

fn unavailable(e: redis::RedisError) -> Response {
    eprintln!("redis: {e}");
    problem(StatusCode::SERVICE_UNAVAILABLE, "the queue is unavailable")
}

/// `POST /jobs`: the record and the id in `jobs:ready`, in one transaction.
async fn enqueue(State(mut redis): State<ConnectionManager>, Json(new): Json<NewJob>) -> Response {
    let ok_url =
        reqwest::Url::parse(&new.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !ok_url {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "url must be an http(s) URL",
        );
    }
    let id = uuid::Uuid::new_v4().to_string();
    let payload = new.payload.to_string();
    let fields = [
        ("url", new.url.as_str()),
        ("payload", payload.as_str()),
        ("state", "queued"),
        ("attempts", "0"),
    ];
    let stored: redis::RedisResult<()> = redis::pipe()
        .atomic()
        .hset_multiple(keys::job(&id), &fields)
        .ignore()
        .lpush(keys::READY, &id)
        .ignore()
        .query_async(&mut redis)
        .await;
    if let Err(e) = stored {
        return unavailable(e);
    }
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/jobs/{id}"))],
        Json(json!({ "id": id, "state": "queued" })),
    )
        .into_response()
}

async fn read(redis: &mut ConnectionManager, id: &str) -> redis::RedisResult<Option<Value>> {
    let f: std::collections::HashMap<String, String> = redis.hgetall(keys::job(id)).await?;
    if f.is_empty() {
        return Ok(None);
    }
    let attempts: u64 = f.get("attempts").and_then(|a| a.parse().ok()).unwrap_or(0);
    Ok(Some(json!({
        "id": id,
        "url": f.get("url"),
        "state": f.get("state"),
        "attempts": attempts,
        "last_error": f.get("last_error"),
    })))
}

/// `GET /jobs/{id}`: the job's record.
async fn status(State(mut redis): State<ConnectionManager>, Path(id): Path<String>) -> Response {
    match read(&mut redis, &id).await {
        Ok(Some(job)) => Json(job).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "no such job"),
        Err(e) => unavailable(e),
    }
}

/// `GET /dead-letters`: the newest 100 dead jobs, newest first.
async fn dead_letters(State(mut redis): State<ConnectionManager>) -> Response {
    let ids: Vec<String> = match redis.lrange(keys::DEAD, 0, 99).await {
        Ok(ids) => ids,
        Err(e) => return unavailable(e),
    };
    let mut jobs = Vec::with_capacity(ids.len());
    for id in ids {
        match read(&mut redis, &id).await {
            Ok(Some(job)) => jobs.push(job),
            Ok(None) => {}
            Err(e) => return unavailable(e),
        }
    }
    Json(jobs).into_response()
}
