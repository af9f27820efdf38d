//! What the orchestrator asks: is it alive, is it ready, is it leaving.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::app::AppState;

/// Shared by the handlers and the shutdown path.
pub struct Health {
    draining: AtomicBool,
    prestop_delay: Duration,
}

impl Health {
    pub fn new(prestop_delay: Duration) -> Health {
        Health {
            draining: AtomicBool::new(false),
            prestop_delay,
        }
    }

    /// Shutdown has begun: from now on the server is not ready.
    #[allow(dead_code)] // unused until TODO(3)
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

/// `GET /live`: 200 `{"live": true}` while the process can serve.
//
// TODO(1): this pings the database, so a database blip fails every
// replica's liveness at once and the orchestrator restarts them all.
// Liveness answers from the process alone: no query, no dependency.
pub async fn live(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    match sqlx::query("SELECT 1").execute(&s.pool).await {
        Ok(_) => (StatusCode::OK, Json(json!({ "live": true }))),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "live": false })),
        ),
    }
}

/// `GET /ready`: 200 `{"ready": true}`, or 503 `{"ready": false,
/// "reason": "..."}`.
//
// TODO(2): always ready, whatever happens. Answer 503 with a reason
// - while shutdown is under way (`is_draining`), without asking anything;
// - when the database does not answer a cheap query (`SELECT 1`) within a
//   bound well under a probe's one-second timeout (`tokio::time::timeout`):
//   an error and no answer at all are both "not ready".
// Ask again on every call: a database that comes back makes it ready again.
pub async fn ready(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    let _ = &s;
    (StatusCode::OK, Json(json!({ "ready": true })))
}

/// `GET /prestop`: the preStop hook. Shutdown begins, the answer comes
/// after the delay.
//
// TODO(3): start draining first (the server turns unready while it keeps
// serving), then wait `prestop_delay`, then answer 200 `{"draining": true}`.
pub async fn prestop(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    tokio::time::sleep(s.health.prestop_delay).await;
    (
        StatusCode::OK,
        Json(json!({ "draining": s.health.is_draining() })),
    )
}
