//! HTTP in, HTTP out.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::feed::{self, Cursor};

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/articles", get(page).post(publish))
        .with_state(pool)
}

pub enum ApiError {
    Status(StatusCode, String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Db(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::Status(status, m) => (status, m),
            ApiError::Db(e) => {
                eprintln!("database error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::Status(StatusCode::BAD_REQUEST, message.into())
}

#[derive(Deserialize)]
struct NewArticle {
    title: String,
    published_at: DateTime<Utc>,
}

async fn publish(
    State(pool): State<PgPool>,
    body: Result<Json<NewArticle>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body.map_err(|e| ApiError::Status(e.status(), e.body_text()))?;
    if new.title.trim().is_empty() {
        return Err(ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a title is required".into(),
        ));
    }
    let article = feed::publish(&pool, &new.title, new.published_at).await?;
    Ok((StatusCode::CREATED, Json(article)).into_response())
}

#[derive(Deserialize)]
struct PageQuery {
    limit: Option<i64>,
    cursor: Option<String>,
}

async fn page(
    State(pool): State<PgPool>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| bad(e.body_text()))?;
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(bad("limit must be 1 to 50"));
    }
    let after = match q.cursor.as_deref() {
        None => None,
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| bad("not a cursor of this feed"))?),
    };
    let (items, next) = feed::page(&pool, after, limit).await?;
    let next_cursor = next.map(|c| c.encode());
    Ok(Json(json!({ "items": items, "next_cursor": next_cursor })).into_response())
}
