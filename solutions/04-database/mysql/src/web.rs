//! HTTP in, HTTP out: status codes, JSON, errors. The SQL is in db.rs.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::MySqlPool;

use crate::db;

pub fn router(pool: MySqlPool) -> Router {
    Router::new()
        .route("/notes", get(list).post(create))
        .route("/notes/{id}", get(read).put(update).delete(remove))
        .with_state(pool)
}

#[derive(Deserialize)]
pub struct NoteIn {
    text: String,
}

pub enum ApiError {
    BadRequest(String),
    Invalid(String),
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Db(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        match e {
            JsonRejection::JsonDataError(e) => ApiError::Invalid(e.body_text()),
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "no such note".into()),
            ApiError::Db(e) => {
                eprintln!("database error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

fn text_of(body: Result<Json<NoteIn>, JsonRejection>) -> Result<String, ApiError> {
    let Json(note) = body?;
    if note.text.trim().is_empty() {
        return Err(ApiError::Invalid("text must not be blank".into()));
    }
    if note.text.chars().count() > 500 {
        return Err(ApiError::Invalid(
            "text must be at most 500 characters".into(),
        ));
    }
    Ok(note.text)
}

async fn create(
    State(pool): State<MySqlPool>,
    body: Result<Json<NoteIn>, JsonRejection>,
) -> Result<Response, ApiError> {
    let text = text_of(body)?;
    let note = db::create(&pool, &text).await?;
    let location = format!("/notes/{}", note.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(note),
    )
        .into_response())
}

async fn list(State(pool): State<MySqlPool>) -> Result<Response, ApiError> {
    Ok(Json(db::list(&pool).await?).into_response())
}

async fn read(State(pool): State<MySqlPool>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    match db::get(&pool, id).await? {
        Some(note) => Ok(Json(note).into_response()),
        None => Err(ApiError::NotFound),
    }
}

async fn update(
    State(pool): State<MySqlPool>,
    Path(id): Path<i64>,
    body: Result<Json<NoteIn>, JsonRejection>,
) -> Result<Response, ApiError> {
    let text = text_of(body)?;
    match db::update(&pool, id, &text).await? {
        Some(note) => Ok(Json(note).into_response()),
        None => Err(ApiError::NotFound),
    }
}

async fn remove(State(pool): State<MySqlPool>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    if db::delete(&pool, id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::NotFound)
    }
}
