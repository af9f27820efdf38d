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

mod config;
mod web;

use std::time::Duration;

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
    // At most `pool_max` connections; a request that finds them all busy
    // waits `acquire_timeout` for one, then gets PoolTimedOut.
    let pool = PgPoolOptions::new()
        .max_connections(config.pool_max)
        .acquire_timeout(Duration::from_millis(config.acquire_timeout_ms))
        .connect_lazy(&config.database_url)?;
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
