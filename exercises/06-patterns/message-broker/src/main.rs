//! # message-broker: a RabbitMQ work queue with acks, prefetch and dead
//! # letters
//!
//! Thumbnails made by a worker, on RabbitMQ at `$AMQP_URL`. Two binaries:
//!
//! - the API (`cargo run`, on `127.0.0.1:$PORT`; given):
//!   - `POST /jobs` `{"image", "width"}` → 202 `{"id", "state"}` once the
//!     broker confirmed the persistent message on the queue `resize`
//!   - `GET /jobs/{id}` → `{"id", "state": "queued" | "done", "reports",
//!     "redelivered"}`; `GET /stats` → `{"accepted", "done", "reports",
//!     "redelivered"}`
//!   - `POST /results` — the worker's report of a finished job
//! - the worker (`cargo run --bin message-broker-worker`, with
//!   `SERVER_URL` pointing at the API): takes jobs off `resize`, spends
//!   `WORK_MS` on each, reports it. A job with no image or a width outside
//!   1..=4096 can never be done.
//!
//! ```text
//! main.rs                       the API (given)
//! job.rs                        the message and its validation (given)
//! topology.rs                   resize and resize.dead          TODO(1)
//! bin/message-broker-worker.rs  manual acks, PREFETCH, ack
//!                               after the report                TODO(2)
//!                               reject the impossible, no
//!                               requeue                         TODO(3)
//! ```
//!
//! Checked by: the checker gives the check a RabbitMQ vhost of its own,
//! starts the API and the worker with a random `PREFETCH` and `WORK_MS`,
//! reads the queues itself (ready, unacknowledged, consumers) while the
//! worker is busy, kills the worker with SIGKILL in the middle of a burst
//! and starts it again, and counts the jobs the API saw done.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lapin::BasicProperties;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use message_broker::job::{Job, Report};
use message_broker::topology;
use serde::Deserialize;
use serde_json::json;

#[derive(Default)]
struct Record {
    reports: u32,
    redelivered: bool,
}

#[derive(Clone)]
struct App {
    channel: lapin::Channel,
    jobs: Arc<Mutex<HashMap<String, Record>>>,
}

impl App {
    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<String, Record>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let (_conn, channel) = message_broker::connect().await?;
    topology::declare(&channel)
        .await
        .map_err(|e| format!("cannot declare the queues: {e}"))?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(|e| format!("no publisher confirms: {e}"))?;
    let app = App {
        channel,
        jobs: Arc::default(),
    };
    let router = Router::new()
        .route("/jobs", post(enqueue))
        .route("/jobs/{id}", get(status))
        .route("/results", post(report))
        .route("/stats", get(stats))
        .with_state(app);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
    println!("listening on 127.0.0.1:{port}");
    axum::serve(listener, router)
        .await
        .map_err(|e| format!("server failed: {e}"))
}

#[derive(Deserialize)]
struct NewJob {
    image: String,
    width: u32,
}

/// `POST /jobs`: published as a persistent message, and answered once the
/// broker confirmed it has it.
async fn enqueue(State(app): State<App>, Json(new): Json<NewJob>) -> Response {
    let job = Job {
        id: uuid::Uuid::new_v4().to_string(),
        image: new.image,
        width: new.width,
    };
    let body = serde_json::to_vec(&job).unwrap_or_default();
    let props = BasicProperties::default()
        .with_delivery_mode(2)
        .with_content_type("application/json".into())
        .with_message_id(job.id.clone().into());
    let published = async {
        app.channel
            .basic_publish(
                "".into(),
                topology::WORK.into(),
                BasicPublishOptions::default(),
                &body,
                props,
            )
            .await?
            .await
    }
    .await;
    match published {
        Ok(confirm) if confirm.is_ack() => {
            app.jobs().entry(job.id.clone()).or_default();
            (
                StatusCode::ACCEPTED,
                Json(json!({ "id": job.id, "state": "queued" })),
            )
                .into_response()
        }
        Ok(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": "the broker refused the message" })),
        )
            .into_response(),
        Err(e) => {
            eprintln!("publish failed: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "the broker is unavailable" })),
            )
                .into_response()
        }
    }
}

/// `GET /jobs/{id}`: queued until the worker reported it.
async fn status(State(app): State<App>, Path(id): Path<String>) -> Response {
    match app.jobs().get(&id) {
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such job" })),
        )
            .into_response(),
        Some(r) => Json(json!({
            "id": id,
            "state": if r.reports > 0 { "done" } else { "queued" },
            "reports": r.reports,
            "redelivered": r.redelivered,
        }))
        .into_response(),
    }
}

/// `POST /results`: the worker's report.
async fn report(State(app): State<App>, Json(r): Json<Report>) -> StatusCode {
    let mut jobs = app.jobs();
    let record = jobs.entry(r.id).or_default();
    record.reports += 1;
    record.redelivered |= r.redelivered;
    StatusCode::NO_CONTENT
}

/// `GET /stats`: jobs accepted, jobs done, reports, redelivered jobs.
async fn stats(State(app): State<App>) -> Json<serde_json::Value> {
    let jobs = app.jobs();
    let done = jobs.values().filter(|r| r.reports > 0).count();
    let reports: u32 = jobs.values().map(|r| r.reports).sum();
    let redelivered = jobs.values().filter(|r| r.redelivered).count();
    Json(json!({
        "accepted": jobs.len(),
        "done": done,
        "reports": reports,
        "redelivered": redelivered,
    }))
}
