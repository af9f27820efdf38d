//! # memory-leak-hunt: memory that only grows
//!
//! An event intake: clients post events, one shipper task forwards them to
//! a slow sink (about a millisecond each), and every accepted event gets a
//! watcher that reports it if it is not shipped within 30 seconds.
//!
//! - `POST /events` with a body of 1 byte to 64 KiB → 202 `{"id"}`;
//!   an empty body → 400, a bigger one → 413; when the queue is full → 503
//!   with `Retry-After: 1` (the client should slow down)
//! - `GET /stats` → 200 `{"accepted", "shipped", "refused", "queued",
//!   "tasks"}`, `tasks` being the runtime's live tasks
//!
//! It works, and under a steady load its memory and its task count climb
//! until the container is killed. Two leaks, both in pipeline.rs:
//!
//! ```text
//! pipeline.rs  the queue and the deadline watchers   TODO(1), TODO(2)
//! main.rs      the routes (given)
//! ```
//!
//! Checked by: the checker posts 8 KiB events from 8 clients for 3 s and
//! reads the server's resident memory before and after (it may grow by
//! 40 MiB at most), then waits for the queue to drain and the task count
//! to fall back (at most 20 live tasks), and counts the process's threads.

mod pipeline;

use std::process::ExitCode;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use pipeline::{Pipeline, Refused};

const MAX_BODY: usize = 64 * 1024;

async fn post_event(State(pipeline): State<Pipeline>, body: Bytes) -> Response {
    if body.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "an event needs a body" })),
        )
            .into_response();
    }
    match pipeline.submit(body) {
        Ok(id) => (StatusCode::ACCEPTED, Json(json!({ "id": id }))).into_response(),
        Err(Refused::Busy) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "1")],
            Json(json!({ "error": "the queue is full, try again in a second" })),
        )
            .into_response(),
        Err(Refused::Closed) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn stats(State(pipeline): State<Pipeline>) -> Json<serde_json::Value> {
    let c = &pipeline.counters;
    Json(json!({
        "accepted": c.accepted.load(Ordering::Relaxed),
        "shipped": c.shipped.load(Ordering::Relaxed),
        "refused": c.refused.load(Ordering::Relaxed),
        "queued": pipeline.queued(),
        "tasks": tokio::runtime::Handle::current().metrics().num_alive_tasks(),
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(port) = std::env::var("PORT")
        .as_deref()
        .unwrap_or("8080")
        .parse::<u16>()
    else {
        eprintln!("config: PORT must be a port number, 0 to 65535");
        return ExitCode::from(2);
    };
    let router = Router::new()
        .route("/events", post(post_event))
        .route("/stats", get(stats))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Pipeline::start());
    let listener = match tokio::net::TcpListener::bind(("0.0.0.0", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on port {port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on port {port}");
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("server error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
