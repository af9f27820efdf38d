//! HTTP in, HTTP out.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::repo::{Orders, Stock};
use crate::service::{self, NewOrder, OrderError};

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/stock", post(put_stock))
        .route("/stock/{sku}", get(get_stock))
        .route("/orders", post(place_order))
        .route("/orders/{id}", get(get_order))
        .with_state(pool)
}

impl IntoResponse for OrderError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            OrderError::Invalid(why) => (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": why })),
            OrderError::UnknownSku(sku) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "unknown sku", "sku": sku }),
            ),
            OrderError::NotEnough(sku) => (
                StatusCode::CONFLICT,
                json!({ "error": "insufficient stock", "sku": sku }),
            ),
            OrderError::Db(e) => {
                eprintln!("database error: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "internal error" }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

async fn place_order(
    State(pool): State<PgPool>,
    Json(new): Json<NewOrder>,
) -> Result<Response, OrderError> {
    let order = service::place_order(&pool, new).await?;
    Ok((StatusCode::CREATED, Json(order)).into_response())
}

async fn get_order(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Response, OrderError> {
    let mut conn = pool.acquire().await?;
    Ok(match Orders(&mut conn).get(id).await? {
        Some(order) => Json(order).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

#[derive(Deserialize)]
struct PutStock {
    sku: String,
    qty: i32,
}

async fn put_stock(
    State(pool): State<PgPool>,
    Json(put): Json<PutStock>,
) -> Result<Response, OrderError> {
    if put.sku.trim().is_empty() || put.qty < 0 {
        return Err(OrderError::Invalid("a sku and a qty >= 0"));
    }
    let mut conn = pool.acquire().await?;
    Stock(&mut conn).put(&put.sku, put.qty).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "sku": put.sku, "qty": put.qty })),
    )
        .into_response())
}

async fn get_stock(
    State(pool): State<PgPool>,
    Path(sku): Path<String>,
) -> Result<Response, OrderError> {
    let mut conn = pool.acquire().await?;
    Ok(match Stock(&mut conn).get(&sku).await? {
        Some(qty) => Json(json!({ "sku": sku, "qty": qty })).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}
