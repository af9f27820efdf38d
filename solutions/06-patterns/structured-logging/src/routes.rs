//! The routes. They log what they do through `tracing`, knowing nothing
//! about requests ids or JSON: the request's span adds those.

use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tracing::{error, info, warn};

use crate::logging::Secret;

pub fn router(admin_password: String) -> Router {
    Router::new()
        .route("/hello/{name}", get(hello))
        .route("/slow", get(slow))
        .route("/search", get(search))
        .route("/login", post(login))
        .route("/boom", get(boom))
        .fallback(|| async { (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))) })
        .with_state(Secret(admin_password))
}

async fn hello(Path(name): Path<String>) -> Json<serde_json::Value> {
    info!(name = %name, "saying hello");
    Json(json!({ "hello": name }))
}

#[derive(Deserialize)]
struct SlowParams {
    ms: u64,
}

async fn slow(Query(p): Query<SlowParams>) -> Json<serde_json::Value> {
    let ms = p.ms.min(10_000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Json(json!({ "slept_ms": ms }))
}

#[derive(Deserialize)]
struct SearchParams {
    q: String,
}

async fn search(Query(p): Query<SearchParams>) -> Json<serde_json::Value> {
    info!(terms = p.q.split_whitespace().count(), "searching");
    Json(json!({ "q": p.q, "results": [] }))
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    user: String,
    password: Secret,
}

async fn login(State(admin): State<Secret>, Json(form): Json<LoginForm>) -> Response {
    info!(?form, "login attempt");
    if form.user == "admin" && !admin.0.is_empty() && form.password.0 == admin.0 {
        Json(json!({ "welcome": form.user })).into_response()
    } else {
        warn!(user = %form.user, "login refused");
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "wrong user or password" })),
        )
            .into_response()
    }
}

async fn boom() -> Response {
    error!(
        dependency = "inventory",
        "the inventory service is unreachable"
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "error": "internal error" })),
    )
        .into_response()
}
