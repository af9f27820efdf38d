//! # job-queue: a reliable queue in Redis
//!
//! See the stub's header for the contract; this is the reference.

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
