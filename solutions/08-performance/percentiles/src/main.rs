//! # percentiles: a server that knows its own p99
//!
//! `GET /work` does the service's work (given: it waits for the one
//! database connection, then takes `WORK_MS`, and one request in
//! `SLOW_EVERY` takes `SLOW_MS` while holding the connection). Your part is
//! to measure it the way an on-call engineer would want:
//!
//! - every `/work` request's latency goes into an HDR histogram
//!   (microseconds, 3 significant digits), from the moment the request
//!   reaches the router to the moment its response is ready;
//! - `GET /metrics/latency` → 200 JSON
//!   `{"count", "p50_ms", "p95_ms", "p99_ms", "max_ms"}` for the `/work`
//!   requests recorded so far (milliseconds, as numbers; all 0 when none);
//! - `POST /metrics/reset` → 204, and the histogram starts again empty
//!   (a new measuring window). The metrics routes are not recorded.
//!
//! ```text
//! latency.rs  the recorder and its middleware   TODO(1), TODO(2), TODO(3)
//! main.rs     configuration, /work, the router  (given)
//! ```
//!
//! Checked by: the checker starts the server with random `WORK_MS`,
//! `SLOW_MS` and `SLOW_EVERY`, loads `/work` twice with different
//! concurrency (a reset in between), measures every latency itself in its
//! own HDR histogram, and compares your p50/p95/p99 with its own.

mod latency;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use tokio::sync::Semaphore;

use latency::Latencies;

/// What `/work` costs, from the environment.
#[derive(Debug, Clone, Copy)]
struct Costs {
    work: Duration,
    slow: Duration,
    slow_every: u64,
}

fn number(name: &str, default: u64, min: u64) -> Result<u64, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(format!(
                "{name} must be a whole number of at least {min}, not {text:?}"
            )),
        },
    }
}

fn costs() -> Result<Costs, Vec<String>> {
    let work = number("WORK_MS", 3, 0);
    let slow = number("SLOW_MS", 200, 0);
    let every = number("SLOW_EVERY", 150, 1);
    match (work, slow, every) {
        (Ok(w), Ok(s), Ok(e)) => Ok(Costs {
            work: Duration::from_millis(w),
            slow: Duration::from_millis(s),
            slow_every: e,
        }),
        (w, s, e) => Err([w.err(), s.err(), e.err()].into_iter().flatten().collect()),
    }
}

#[derive(Clone)]
struct App {
    costs: Costs,
    /// The one database connection every request needs (a pool of one).
    connection: Arc<Semaphore>,
    served: Arc<AtomicU64>,
    latencies: Latencies,
}

async fn work(State(app): State<App>) -> Result<String, StatusCode> {
    let _connection = app
        .connection
        .acquire()
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let n = app.served.fetch_add(1, Ordering::Relaxed) + 1;
    let cost = if n % app.costs.slow_every == 0 {
        app.costs.slow
    } else {
        app.costs.work
    };
    tokio::time::sleep(cost).await;
    Ok(format!("done {n}\n"))
}

async fn latency_report(State(app): State<App>) -> Json<serde_json::Value> {
    Json(app.latencies.snapshot().to_json())
}

async fn reset(State(app): State<App>) -> StatusCode {
    app.latencies.reset();
    StatusCode::NO_CONTENT
}

#[tokio::main]
async fn main() -> ExitCode {
    let costs = match costs() {
        Ok(costs) => costs,
        Err(problems) => {
            for problem in problems {
                eprintln!("config: {problem}");
            }
            return ExitCode::from(2);
        }
    };
    let port = match number("PORT", 8080, 0).map(u16::try_from) {
        Ok(Ok(port)) => port,
        _ => {
            eprintln!("config: PORT must be a port number, 0 to 65535");
            return ExitCode::from(2);
        }
    };
    let app = App {
        costs,
        connection: Arc::new(Semaphore::new(1)),
        served: Arc::default(),
        latencies: Latencies::new(),
    };
    let measured =
        Router::new()
            .route("/work", get(work))
            .route_layer(middleware::from_fn_with_state(
                app.latencies.clone(),
                latency::record,
            ));
    let router = Router::new()
        .merge(measured)
        .route("/metrics/latency", get(latency_report))
        .route("/metrics/reset", post(reset))
        .with_state(app);
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
