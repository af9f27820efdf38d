//! HTTP in, HTTP out.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::blog;

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/authors", post(create_author))
        .route("/posts", post(create_post).get(recent_posts))
        .with_state(pool)
}

pub enum ApiError {
    Status(StatusCode, String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                ApiError::Status(StatusCode::UNPROCESSABLE_ENTITY, "no such author".into())
            }
            _ => ApiError::Db(e),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::Status(e.status(), e.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Status(StatusCode::BAD_REQUEST, e.body_text())
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

fn blank(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "must not be blank".into(),
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
struct NewAuthor {
    name: String,
}

async fn create_author(
    State(pool): State<PgPool>,
    body: Result<Json<NewAuthor>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body?;
    blank(&new.name)?;
    let author = blog::create_author(&pool, &new.name).await?;
    Ok((StatusCode::CREATED, Json(author)).into_response())
}

#[derive(Deserialize)]
struct NewPost {
    author_id: i64,
    title: String,
}

async fn create_post(
    State(pool): State<PgPool>,
    body: Result<Json<NewPost>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body?;
    blank(&new.title)?;
    let post = blog::create_post(&pool, new.author_id, &new.title).await?;
    Ok((StatusCode::CREATED, Json(post)).into_response())
}

#[derive(Deserialize)]
struct Page {
    limit: Option<i64>,
}

async fn recent_posts(
    State(pool): State<PgPool>,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(page) = page?;
    let limit = page.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::Status(
            StatusCode::BAD_REQUEST,
            "limit must be 1 to 100".into(),
        ));
    }
    Ok(Json(blog::recent_posts(&pool, limit).await?).into_response())
}
