//! HTTP in, HTTP out.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::cache::{Catalogue, Error};

pub fn router(catalogue: Catalogue) -> Router {
    Router::new()
        .route("/products", post(create))
        .route("/products/{id}", get(read).put(update).delete(remove))
        .with_state(catalogue)
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        eprintln!("storage error: {self}");
        let body = Json(json!({ "error": "internal error" }));
        (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
    }
}

fn status(code: StatusCode, message: &str) -> Response {
    (code, Json(json!({ "error": message }))).into_response()
}

#[derive(Deserialize)]
struct ProductIn {
    name: String,
    price_cents: i64,
}

/// The product in the body, or the status and message that refuse it.
fn valid(body: Result<Json<ProductIn>, JsonRejection>) -> Result<ProductIn, (StatusCode, String)> {
    let Json(p) = body.map_err(|e| (e.status(), e.body_text()))?;
    if p.name.trim().is_empty() || p.price_cents < 0 {
        return Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            "a name and a price_cents >= 0".to_string(),
        ));
    }
    Ok(p)
}

async fn create(
    State(c): State<Catalogue>,
    body: Result<Json<ProductIn>, JsonRejection>,
) -> Result<Response, Error> {
    let p = match valid(body) {
        Ok(p) => p,
        Err((code, message)) => return Ok(status(code, &message)),
    };
    let product = c.create(&p.name, p.price_cents).await?;
    Ok((StatusCode::CREATED, Json(product)).into_response())
}

async fn read(State(mut c): State<Catalogue>, Path(id): Path<i64>) -> Result<Response, Error> {
    Ok(match c.get(id).await? {
        Some(p) => Json(p).into_response(),
        None => status(StatusCode::NOT_FOUND, "no such product"),
    })
}

async fn update(
    State(mut c): State<Catalogue>,
    Path(id): Path<i64>,
    body: Result<Json<ProductIn>, JsonRejection>,
) -> Result<Response, Error> {
    let p = match valid(body) {
        Ok(p) => p,
        Err((code, message)) => return Ok(status(code, &message)),
    };
    Ok(match c.update(id, &p.name, p.price_cents).await? {
        Some(p) => Json(p).into_response(),
        None => status(StatusCode::NOT_FOUND, "no such product"),
    })
}

async fn remove(State(mut c): State<Catalogue>, Path(id): Path<i64>) -> Result<Response, Error> {
    Ok(if c.delete(id).await? {
        StatusCode::NO_CONTENT.into_response()
    } else {
        status(StatusCode::NOT_FOUND, "no such product")
    })
}
