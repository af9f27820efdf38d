//! HTTP in, HTTP out.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::db::{self, Item};

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/customers", post(create_customer).get(customer_by_email))
        .route("/customers/{id}/orders", get(latest_orders))
        .route("/orders", post(create_order))
        .route("/orders/{id}", get(order))
        .with_state(pool)
}

pub enum ApiError {
    Status(StatusCode, String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                ApiError::Status(StatusCode::CONFLICT, "already exists".into())
            }
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                ApiError::Status(StatusCode::UNPROCESSABLE_ENTITY, "no such customer".into())
            }
            sqlx::Error::Database(d) if d.is_check_violation() => ApiError::Status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "qty must be above 0".into(),
            ),
            _ => ApiError::Db(e),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::Status(e.status(), e.body_text())
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

fn not_found() -> ApiError {
    ApiError::Status(StatusCode::NOT_FOUND, "not found".into())
}

#[derive(Deserialize)]
struct NewCustomer {
    email: String,
    name: String,
}

async fn create_customer(
    State(pool): State<PgPool>,
    body: Result<Json<NewCustomer>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body?;
    if !new.email.contains('@') || new.name.trim().is_empty() {
        return Err(ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "an email and a name are required".into(),
        ));
    }
    let customer = db::create_customer(&pool, &new.email, &new.name).await?;
    Ok((StatusCode::CREATED, Json(customer)).into_response())
}

#[derive(Deserialize)]
struct ByEmail {
    email: String,
}

async fn customer_by_email(
    State(pool): State<PgPool>,
    Query(q): Query<ByEmail>,
) -> Result<Response, ApiError> {
    match db::customer_by_email(&pool, &q.email).await? {
        Some(c) => Ok(Json(c).into_response()),
        None => Err(not_found()),
    }
}

#[derive(Deserialize)]
struct NewOrder {
    customer_id: i64,
    items: Vec<Item>,
}

async fn create_order(
    State(pool): State<PgPool>,
    body: Result<Json<NewOrder>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body?;
    if new.items.is_empty() {
        return Err(ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "an order needs items".into(),
        ));
    }
    let order = db::create_order(&pool, new.customer_id, &new.items).await?;
    let body = json!({
        "id": order.id,
        "customer_id": order.customer_id,
        "created_at": order.created_at,
        "total_cents": order.total_cents,
        "items": new.items,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn latest_orders(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    Ok(Json(db::latest_orders(&pool, id).await?).into_response())
}

async fn order(State(pool): State<PgPool>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let Some(order) = db::order(&pool, id).await? else {
        return Err(not_found());
    };
    let items = db::items(&pool, id).await?;
    let mut body = serde_json::to_value(order)
        .map_err(|e| ApiError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    body["items"] = json!(items);
    Ok(Json(body).into_response())
}
