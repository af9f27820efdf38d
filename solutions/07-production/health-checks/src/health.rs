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
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

/// How long readiness waits for the database: well under the one second
/// a Kubernetes probe waits by default, so a hung database reads as "not
/// ready", not as a probe timeout.
const DB_CHECK: Duration = Duration::from_millis(500);

/// `GET /live`: 200 `{"live": true}` while the process can serve.
///
/// Answered from the process alone: a database blip must not get every
/// replica restarted at once.
pub async fn live() -> (StatusCode, Json<Value>) {
    (StatusCode::OK, Json(json!({ "live": true })))
}

fn not_ready(reason: String) -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "ready": false, "reason": reason })),
    )
}

/// `GET /ready`: 200 `{"ready": true}`, or 503 `{"ready": false,
/// "reason": "..."}` while shutting down or while the database does not
/// answer. Asked afresh on every call.
pub async fn ready(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    if s.health.is_draining() {
        return not_ready("shutting down".into());
    }
    let check = sqlx::query("SELECT 1").execute(&s.pool);
    match tokio::time::timeout(DB_CHECK, check).await {
        Ok(Ok(_)) => (StatusCode::OK, Json(json!({ "ready": true }))),
        Ok(Err(e)) => not_ready(format!("database: {e}")),
        Err(_) => not_ready(format!("database: no answer within {DB_CHECK:?}")),
    }
}

/// `GET /prestop`: the preStop hook. Shutdown begins (unready, still
/// serving), and the answer comes after the delay load balancers need to
/// stop sending new requests here.
pub async fn prestop(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    s.health.start_draining();
    tokio::time::sleep(s.health.prestop_delay).await;
    (StatusCode::OK, Json(json!({ "draining": true })))
}
