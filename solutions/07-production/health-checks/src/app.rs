//! The service itself: a visit counter and a slow route (given).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::health::{self, Health};

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub health: Arc<Health>,
}

pub fn router(pool: PgPool, health: Arc<Health>) -> Router {
    Router::new()
        .route("/visits/{page}", get(count).post(visit))
        .route("/work", get(work))
        .route("/live", get(health::live))
        .route("/ready", get(health::ready))
        .route("/prestop", get(health::prestop))
        .with_state(AppState { pool, health })
}

type Answer = (StatusCode, Json<Value>);

fn unavailable(e: sqlx::Error) -> Answer {
    eprintln!("database: {e}");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "error": "the database is not available" })),
    )
}

async fn visit(State(s): State<AppState>, Path(page): Path<String>) -> Answer {
    let sql = "INSERT INTO visits (page, n) VALUES ($1, 1)
               ON CONFLICT (page) DO UPDATE SET n = visits.n + 1 RETURNING n";
    match sqlx::query_scalar::<_, i64>(sql)
        .bind(&page)
        .fetch_one(&s.pool)
        .await
    {
        Ok(n) => (StatusCode::OK, Json(json!({ "page": page, "visits": n }))),
        Err(e) => unavailable(e),
    }
}

async fn count(State(s): State<AppState>, Path(page): Path<String>) -> Answer {
    let sql = "SELECT n FROM visits WHERE page = $1";
    match sqlx::query_scalar::<_, i64>(sql)
        .bind(&page)
        .fetch_optional(&s.pool)
        .await
    {
        Ok(n) => (
            StatusCode::OK,
            Json(json!({ "page": page, "visits": n.unwrap_or(0) })),
        ),
        Err(e) => unavailable(e),
    }
}

#[derive(Deserialize)]
struct Work {
    ms: u64,
}

async fn work(Query(w): Query<Work>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(w.ms.min(10_000))).await;
    "done"
}
