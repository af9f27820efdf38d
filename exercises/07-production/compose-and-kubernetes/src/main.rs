//! # compose-and-kubernetes: the files that run this server
//!
//! The server is finished: on `0.0.0.0:$PORT` it answers `GET /` with
//! `orders`, `GET /live` (liveness) and `GET /ready` (readiness) with 200,
//! and drains on SIGTERM. The work is in two files an orchestrator reads:
//!
//! - `compose.yaml`, TODO(1) and TODO(2): the server (`api`) and its
//!   PostgreSQL (`db`) for a laptop; the api starts only once the
//!   database is healthy, and finds it by its service name.
//! - `k8s/deployment.yaml`, TODO(3) to TODO(6): a Deployment of several
//!   replicas with a pinned image, liveness and readiness probes on the
//!   right paths and port, resources, the database URL from a Secret, and
//!   a preStop pause inside a grace period.
//!
//! Checked by: there is no container engine or cluster here. The checker
//! reads both files as documents and judges their structure, then starts
//! this server and requests the probe paths your Deployment names.

use axum::{Router, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    let app = Router::new()
        .route("/", get(|| async { "orders" }))
        .route("/live", get(|| async { "live" }))
        .route("/ready", get(|| async { "ready" }));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            if let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                term.recv().await;
            }
        })
        .await
}
