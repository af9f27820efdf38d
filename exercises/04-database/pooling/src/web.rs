//! HTTP in, HTTP out.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/report", get(report))
        .route("/health", get(|| async { "ok" }))
        .with_state(pool)
}

pub struct ApiError(sqlx::Error);

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError(e)
    }
}

// TODO(2): what a saturated pool answers. Today every database error is
// a 500, including the one the pool returns when no connection freed up
// within the acquire timeout: the client cannot tell "the server is
// overloaded, come back in a moment" from "the server is broken". When
// the pool times out, answer 503 Service Unavailable with a Retry-After
// header (in seconds: 1) and a JSON `{"error"}`; other errors stay 500.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        eprintln!("database error: {}", self.0);
        let body = Json(json!({ "error": "internal error" }));
        (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
    }
}

#[derive(Deserialize)]
struct ReportQuery {
    ms: u32,
}

async fn report(
    State(pool): State<PgPool>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let ms = match query {
        Ok(Query(q)) if q.ms <= 5000 => q.ms,
        _ => {
            let body = Json(json!({ "error": "ms must be a whole number from 0 to 5000" }));
            return Ok((StatusCode::BAD_REQUEST, body).into_response());
        }
    };
    sqlx::query("SELECT pg_sleep($1)")
        .bind(f64::from(ms) / 1000.0)
        .execute(&pool)
        .await?;
    Ok(Json(json!({ "slept_ms": ms })).into_response())
}
