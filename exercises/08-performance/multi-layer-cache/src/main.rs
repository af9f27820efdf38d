//! # multi-layer-cache: 200 cold requests, one database query
//!
//! Product pages read through three layers: an in-process map (5 s, per
//! instance), Redis (`product:{id}`, 60 s, shared by every instance), and
//! PostgreSQL, whose query takes 100 ms.
//!
//! - `GET /products/{id}` → 200 JSON `{"id", "name", "price_cents"}` with
//!   `x-cache: l1`, `l2` or `origin` (where the answer came from); an
//!   unknown id → 404; an id that is not a positive whole number → 400
//!
//! The layers work one request at a time. Under a cold start they do not:
//! 200 requests for the same product arrive together, all miss, and all
//! ask PostgreSQL. Make concurrent misses of one key share one load:
//!
//! ```text
//! cache.rs   the read path through the layers         TODO(1)
//! local.rs   the in-process layer                     (given)
//! origin.rs  PostgreSQL: seed and the slow query      (given)
//! main.rs    configuration and the route              (given)
//! ```
//!
//! Checked by: two instances on their own ports share Redis and a database
//! behind the checker's proxy, which counts queries: 200 concurrent cold
//! requests must send one query; the key is in Redis with its TTL; the
//! second instance answers from Redis without a query.

mod cache;
mod local;
mod origin;

use std::process::ExitCode;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;

use cache::Cache;

async fn product(State(cache): State<Arc<Cache>>, Path(id): Path<String>) -> Response {
    let Some(id) = id.parse::<i32>().ok().filter(|n| *n > 0) else {
        let body = Json(json!({ "error": "the id must be a positive whole number" }));
        return (StatusCode::BAD_REQUEST, body).into_response();
    };
    match cache.get(id).await {
        Ok((Some(product), layer)) => ([("x-cache", layer.name())], Json(product)).into_response(),
        Ok((None, _)) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such product" })),
        )
            .into_response(),
        Err(e) => {
            eprintln!("product {id}: {}", e.0);
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(db_url), Ok(redis_url)) = (std::env::var("DATABASE_URL"), std::env::var("REDIS_URL"))
    else {
        eprintln!("config: DATABASE_URL and REDIS_URL are required");
        return ExitCode::from(2);
    };
    let Ok(port) = std::env::var("PORT")
        .as_deref()
        .unwrap_or("8080")
        .parse::<u16>()
    else {
        eprintln!("config: PORT must be a port number, 0 to 65535");
        return ExitCode::from(2);
    };
    let pool = match PgPoolOptions::new()
        .max_connections(5)
        .connect(&db_url)
        .await
    {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("cannot reach the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = sqlx::migrate!().run(&pool).await {
        eprintln!("migrations failed: {e}");
        return ExitCode::FAILURE;
    }
    if let Err(e) = origin::seed(&pool).await {
        eprintln!("seeding failed: {e}");
        return ExitCode::FAILURE;
    }
    let redis = match redis::Client::open(redis_url) {
        Ok(client) => match redis::aio::ConnectionManager::new(client).await {
            Ok(manager) => manager,
            Err(e) => {
                eprintln!("cannot reach Redis: {e}");
                return ExitCode::FAILURE;
            }
        },
        Err(e) => {
            eprintln!("config: REDIS_URL: {e}");
            return ExitCode::from(2);
        }
    };
    let cache = Arc::new(Cache::new(redis, pool));
    let router = Router::new()
        .route("/products/{id}", get(product))
        .with_state(cache);
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
