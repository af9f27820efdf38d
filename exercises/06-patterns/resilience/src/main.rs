//! # resilience: timeouts, retries with backoff and jitter, a breaker
//!
//! A quote service in front of a price service that is sometimes slow,
//! sometimes down, sometimes hung. The server (`127.0.0.1:$PORT`):
//! - `GET /quotes/{symbol}` asks `GET $UPSTREAM_URL/prices/{symbol}`
//!   (which answers `{"price"}`) and answers
//!   - 200 `{"symbol", "price", "attempts"}`
//!   - 404 when the upstream says 404 (not retried)
//!   - 502 `{"error", "attempts"}` when the attempts ran out (or the
//!     upstream answered something permanent, such as a 400)
//!   - 504 `{"error", "attempts"}` when the last attempt got no answer
//!     in time
//!   - 503 with `Retry-After` (whole seconds) while the breaker is open,
//!     without calling the upstream at all
//! - `GET /health` → `ok`
//!
//! Configuration (all given in `main.rs`): `UPSTREAM_TIMEOUT_MS` per
//! attempt, `RETRY_ATTEMPTS` in all, `RETRY_BASE_MS` and `RETRY_CAP_MS`
//! for the backoff, `BREAKER_THRESHOLD` failed requests in a row to open,
//! `BREAKER_COOLDOWN_MS` to stay open.
//!
//! ```text
//! main.rs      configuration, routes, failures to statuses (given)
//! upstream.rs  one attempt with a timeout                   TODO(1)
//!              price(): breaker, attempts, backoff          TODO(2)
//! backoff.rs   exponential, capped, with jitter             TODO(2)
//! breaker.rs   closed → open → half-open → closed           TODO(3)
//! ```
//!
//! Checked by: the tests in `tests/breaker.rs` and `tests/retries.rs`
//! (the waits between retries double from the base), run as shipped (do
//! not edit them); then the server runs against a price service the checker
//! serves, with random settings, and the checker counts and times the
//! calls it receives while it fails, hangs and recovers on cue.

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
