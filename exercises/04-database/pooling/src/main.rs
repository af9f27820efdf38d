//! # pooling: a bounded pool that fails fast
//!
//! A reporting API over PostgreSQL (`$DATABASE_URL`, `127.0.0.1:$PORT`)
//! whose reports are slow queries:
//! - `GET /report?ms=N` → 200 `{"slept_ms": N}` after a query that takes N
//!   milliseconds in PostgreSQL (0 to 5000; 400 otherwise);
//! - `GET /health` → 200 `ok`, without touching the database.
//!
//! Configuration, read at start (a bad value stops the server with exit
//! code 2 and a message naming it):
//! - `POOL_MAX`: the most connections this server may hold (1 to 100);
//! - `ACQUIRE_TIMEOUT_MS`: how long a request may wait for a free
//!   connection (1 to 60000).
//!
//! When every connection is busy and none frees up in time, the request is
//! answered at once with 503 Service Unavailable, `Retry-After: 1` and
//! `{"error"}`, instead of queueing behind the others.
//!
//! ```text
//! src/config.rs   reading POOL_MAX and ACQUIRE_TIMEOUT_MS (given)
//! src/main.rs     building the pool                      TODO(1)
//! src/web.rs      the handlers; what exhaustion answers  TODO(2)
//! ```
//!
//! Checked by: the checker holds every connection with a load of slow
//! reports, counts the server's connections in `pg_stat_activity` itself,
//! times a request that finds the pool empty, and checks that `/health`
//! and, afterwards, the reports still answer.

// The pool settings are unused until TODO(1) uses them: delete this line then.
#![allow(dead_code)]

mod config;
mod web;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = match config::Config::from_env() {
        Ok(c) => c,
        Err(problems) => {
            for p in problems {
                eprintln!("config: {p}");
            }
            return std::process::ExitCode::from(2);
        }
    };
    match run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(config: config::Config) -> Result<(), Box<dyn std::error::Error>> {
    // TODO(1): the pool takes sqlx's defaults: up to 10 connections, and
    // a request that finds them all busy waits up to 30 seconds for one.
    // Build it from the configuration instead: never more than
    // `config.pool_max` connections to PostgreSQL, and a request waits at
    // most `config.acquire_timeout_ms` for a free one before it fails
    // (TODO(2) decides what that failure answers).
    let pool = PgPoolOptions::new().connect_lazy(&config.database_url)?;
    // Fail at start, not at the first request, when the database is away.
    sqlx::query("SELECT 1")
        .execute(&pool)
        .await
        .map_err(|e| format!("cannot reach DATABASE_URL: {e}"))?;
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{}", config.port)).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(pool)).await?;
    Ok(())
}
