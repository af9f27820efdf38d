//! # resilience: timeouts, retries with backoff and jitter, a breaker
//!
//! See the stub's header for the contract; this is the reference.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use resilience::breaker::Breaker;
use resilience::upstream::{Failure, Policy, Upstream};
use serde_json::json;

/// A whole number from the environment, with a default and a floor.
fn number(key: &str, default: u64, min: u64) -> Result<u64, String> {
    match std::env::var(key) {
        Err(_) => Ok(default),
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= min)
            .ok_or_else(|| format!("{key} must be a whole number of at least {min}")),
    }
}

fn upstream_from_env() -> Result<Upstream, String> {
    let url = std::env::var("UPSTREAM_URL").map_err(|_| "UPSTREAM_URL is required".to_string())?;
    let ms = |key, default, min| number(key, default, min).map(Duration::from_millis);
    let policy = Policy {
        timeout: ms("UPSTREAM_TIMEOUT_MS", 1000, 1)?,
        attempts: u32::try_from(number("RETRY_ATTEMPTS", 3, 1)?).map_err(|e| e.to_string())?,
        base: ms("RETRY_BASE_MS", 100, 1)?,
        cap: ms("RETRY_CAP_MS", 2000, 1)?,
    };
    let breaker = Breaker::new(
        u32::try_from(number("BREAKER_THRESHOLD", 5, 1)?).map_err(|e| e.to_string())?,
        ms("BREAKER_COOLDOWN_MS", 5000, 1)?,
    );
    Ok(Upstream::new(&url, policy, breaker))
}

#[tokio::main]
async fn main() {
    let upstream = match upstream_from_env() {
        Ok(u) => Arc::new(u),
        Err(e) => {
            eprintln!("config: {e}");
            std::process::exit(2);
        }
    };
    let app = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/quotes/{symbol}", get(quote))
        .with_state(upstream);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = match tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on port {port}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on 127.0.0.1:{port}");
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server failed: {e}");
        std::process::exit(1);
    }
}

/// `GET /quotes/{symbol}`: the upstream's price, or what went wrong.
async fn quote(State(upstream): State<Arc<Upstream>>, Path(symbol): Path<String>) -> Response {
    match upstream.price(&symbol).await {
        Ok((price, attempts)) => {
            Json(json!({ "symbol": symbol, "price": price, "attempts": attempts })).into_response()
        }
        Err(Failure::NotFound) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "unknown symbol" })),
        )
            .into_response(),
        Err(Failure::Failed { attempts, last }) => (
            StatusCode::BAD_GATEWAY,
            Json(json!({ "error": last, "attempts": attempts })),
        )
            .into_response(),
        Err(Failure::TimedOut { attempts }) => (
            StatusCode::GATEWAY_TIMEOUT,
            Json(json!({ "error": "the upstream did not answer in time", "attempts": attempts })),
        )
            .into_response(),
        Err(Failure::Open { retry_after }) => {
            // Whole seconds, rounded up (RFC 9110 delay-seconds).
            let secs = retry_after.as_millis().div_ceil(1000).max(1);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, secs.to_string())],
                Json(json!({ "error": "the upstream is unavailable; not calling it for now" })),
            )
                .into_response()
        }
    }
}
