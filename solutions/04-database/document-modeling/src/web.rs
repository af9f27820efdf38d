//! HTTP in, HTTP out.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::orders::{self, Address, NewOrder, OrderError};
use crate::shop::{self, Product};

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/customers", post(create_customer))
        .route("/customers/{id}", put(rename_customer))
        .route("/products", post(create_product))
        .route("/products/{sku}", put(reprice))
        .route("/orders", post(place).get(with_sku))
        .route("/orders/{id}", get(order))
        .route("/orders/{id}/ship_to", put(ship_to))
        .with_state(pool)
}

impl From<JsonRejection> for OrderError {
    fn from(e: JsonRejection) -> Self {
        OrderError::Invalid(e.body_text())
    }
}

impl IntoResponse for OrderError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            OrderError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
            OrderError::Db(e) => {
                eprintln!("database error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))).into_response()
}

fn found<T: serde::Serialize>(value: Option<T>) -> Response {
    match value {
        Some(v) => Json(v).into_response(),
        None => not_found(),
    }
}

#[derive(Deserialize)]
struct Name {
    name: String,
}

async fn create_customer(
    State(pool): State<PgPool>,
    body: Result<Json<Name>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(n) = body?;
    let customer = shop::create_customer(&pool, &n.name).await?;
    Ok((StatusCode::CREATED, Json(customer)).into_response())
}

async fn rename_customer(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
    body: Result<Json<Name>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(n) = body?;
    Ok(found(shop::rename_customer(&pool, id, &n.name).await?))
}

#[derive(Deserialize)]
struct ProductIn {
    sku: String,
    name: String,
    price_cents: i64,
}

async fn create_product(
    State(pool): State<PgPool>,
    body: Result<Json<ProductIn>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(p) = body?;
    if p.price_cents < 0 {
        return Err(OrderError::Invalid("price_cents must be >= 0".into()));
    }
    let product = Product {
        sku: p.sku,
        name: p.name,
        price_cents: p.price_cents,
    };
    let created = shop::create_product(&pool, &product).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize)]
struct Price {
    price_cents: i64,
}

async fn reprice(
    State(pool): State<PgPool>,
    Path(sku): Path<String>,
    body: Result<Json<Price>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(p) = body?;
    if p.price_cents < 0 {
        return Err(OrderError::Invalid("price_cents must be >= 0".into()));
    }
    Ok(found(shop::reprice(&pool, &sku, p.price_cents).await?))
}

async fn place(
    State(pool): State<PgPool>,
    body: Result<Json<NewOrder>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(new) = body?;
    let order = orders::place(&pool, new).await?;
    Ok((StatusCode::CREATED, Json(order)).into_response())
}

async fn order(State(pool): State<PgPool>, Path(id): Path<i64>) -> Result<Response, OrderError> {
    Ok(found(orders::get(&pool, id).await?))
}

#[derive(Deserialize)]
struct BySku {
    sku: String,
}

async fn with_sku(
    State(pool): State<PgPool>,
    Query(q): Query<BySku>,
) -> Result<Response, OrderError> {
    Ok(Json(orders::with_sku(&pool, &q.sku).await?).into_response())
}

async fn ship_to(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
    body: Result<Json<Address>, JsonRejection>,
) -> Result<Response, OrderError> {
    let Json(to) = body?;
    Ok(found(orders::ship_to(&pool, id, &to).await?))
}
