//! The routes, and a middleware that logs every request once it has its
//! answer. Given: the exercise is in config.rs and log.rs.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::config::Config;

pub fn router(config: Config) -> Router {
    let config = Arc::new(config);
    Router::new()
        .route("/", get(index))
        .route("/hello/{who}", get(hello))
        .route("/admin", get(admin))
        .layer(middleware::from_fn_with_state(config.clone(), log_request))
        .with_state(config)
}

async fn index(State(config): State<Arc<Config>>) -> Json<serde_json::Value> {
    Json(json!({ "service": config.service }))
}

async fn hello(State(config): State<Arc<Config>>, Path(who): Path<String>) -> String {
    format!("{}, {who}!", config.greeting)
}

async fn admin(State(config): State<Arc<Config>>, headers: HeaderMap) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given.is_some_and(|t| t == config.api_token) {
        Json(json!({ "service": config.service, "admin": true })).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid bearer token is required\n",
        )
            .into_response()
    }
}

async fn log_request(State(config): State<Arc<Config>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    crate::log::event(
        &config.service,
        "request",
        &[
            ("method", method.into()),
            ("path", path.into()),
            ("status", status.into()),
        ],
    );
    response
}
