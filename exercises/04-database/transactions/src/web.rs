//! HTTP in, HTTP out.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

use crate::bank::{self, TransferError};

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/accounts", post(open))
        .route("/accounts/{id}", get(account))
        .route("/transfers", post(transfer))
        .with_state(pool)
}

impl IntoResponse for TransferError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            TransferError::Invalid(why) => (StatusCode::UNPROCESSABLE_ENTITY, why.to_string()),
            TransferError::UnknownAccount(id) => {
                (StatusCode::NOT_FOUND, format!("no account {id}"))
            }
            TransferError::InsufficientFunds => {
                (StatusCode::CONFLICT, "insufficient funds".to_string())
            }
            TransferError::Db(e) => {
                eprintln!("database error: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                )
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

fn bad_json(e: JsonRejection) -> Response {
    (e.status(), Json(json!({ "error": e.body_text() }))).into_response()
}

#[derive(Deserialize)]
struct Open {
    owner: String,
    balance: i64,
}

async fn open(
    State(pool): State<PgPool>,
    body: Result<Json<Open>, JsonRejection>,
) -> Result<Response, TransferError> {
    let Json(open) = match body {
        Ok(b) => b,
        Err(e) => return Ok(bad_json(e)),
    };
    if open.owner.trim().is_empty() || open.balance < 0 {
        return Err(TransferError::Invalid("an owner and a balance >= 0"));
    }
    let account = bank::open(&pool, &open.owner, open.balance).await?;
    Ok((StatusCode::CREATED, Json(account)).into_response())
}

async fn account(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Response, TransferError> {
    match bank::account(&pool, id).await? {
        Some(a) => Ok(Json(a).into_response()),
        None => Err(TransferError::UnknownAccount(id)),
    }
}

#[derive(Deserialize)]
struct NewTransfer {
    from: i64,
    to: i64,
    amount: i64,
}

async fn transfer(
    State(pool): State<PgPool>,
    body: Result<Json<NewTransfer>, JsonRejection>,
) -> Result<Response, TransferError> {
    let Json(t) = match body {
        Ok(b) => b,
        Err(e) => return Ok(bad_json(e)),
    };
    if t.amount < 1 {
        return Err(TransferError::Invalid("the amount must be at least 1"));
    }
    if t.from == t.to {
        return Err(TransferError::Invalid("from and to must differ"));
    }
    let done = bank::transfer(&pool, t.from, t.to, t.amount).await?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}
