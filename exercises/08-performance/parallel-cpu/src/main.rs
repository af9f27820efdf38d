//! # parallel-cpu: CPU work off the runtime, and on every core
//!
//! A server that counts primes. Counting is pure CPU work: it never waits
//! for anything, so on the runtime's worker threads it stalls every other
//! request, and on one thread it leaves the other cores idle.
//! The server (`0.0.0.0:$PORT`):
//! - `GET /primes?below=N` → 200 `{"below", "count", "largest"}` (the
//!   number of primes below N and the largest one, `null` when there is
//!   none); 400 when N is missing, not a number or above 50 000 000
//! - `GET /ping` → `pong`, quickly, whatever else is running
//!
//! ```text
//! main.rs     the routes; /primes runs the count       TODO(1)
//! primes.rs   is_prime (given) and the count           TODO(2)
//! tests/      the count's answers, run as shipped
//! ```
//!
//! Checked by: the shipped tests, a few counts checked against their known
//! values, `/ping` timed while several big counts run at once, and one big
//! count alone, during which the checker reads from /proc how much CPU
//! time each of the server's threads used: the work must be shared by
//! several threads, not done by one.

use axum::Json;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use parallel_cpu::primes;
use serde::Deserialize;
use serde_json::{Value, json};

/// The largest `below` the server accepts: a bound on one request's work.
const MAX_BELOW: u64 = 50_000_000;

#[derive(Deserialize)]
struct Params {
    below: Option<String>,
}

async fn count(Query(p): Query<Params>) -> Result<Json<Value>, (StatusCode, String)> {
    let below: u64 = p
        .below
        .as_deref()
        .and_then(|b| b.parse().ok())
        .filter(|&b| b <= MAX_BELOW)
        .ok_or((
            StatusCode::BAD_REQUEST,
            format!("below must be a whole number up to {MAX_BELOW}\n"),
        ))?;
    // TODO(1): this count runs on one of the runtime's worker threads,
    // and holds it until the count is done: a few counts at once and no
    // worker is left for /ping. Run it where blocking is allowed, and
    // answer 500 if it fails there.
    let found = primes::below(below);
    Ok(Json(json!({
        "below": below,
        "count": found.count,
        "largest": found.largest,
    })))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let app = Router::new()
        .route("/primes", get(count))
        .route("/ping", get(|| async { "pong" }));
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    println!("listening on :{port}");
    axum::serve(listener, app).await?;
    Ok(())
}
