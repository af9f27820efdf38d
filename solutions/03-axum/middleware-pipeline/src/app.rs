//! The router and its layers.

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware as mw;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{Value, json};
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

use crate::middleware::{require_token, timing};

#[derive(Clone)]
pub struct AppState {
    /// The bearer token `/api` accepts.
    pub token: Arc<str>,
}

impl AppState {
    pub fn new(token: String) -> Self {
        AppState {
            token: token.into(),
        }
    }
}

/// Who `require_token` let in; it puts this in the request's extensions.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub name: String,
}

pub fn app(state: AppState) -> Router {
    // Only the routes of this router get the auth middleware.
    let api = Router::new()
        .route("/me", get(me))
        .route_layer(mw::from_fn_with_state(state.clone(), require_token));

    Router::new()
        .route("/health", get(|| async { "ok" }))
        .nest("/api", api)
        // ServiceBuilder reads top-down, outside → in: the id exists before
        // the span is made, and is on the request when it is propagated.
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(make_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(mw::from_fn(timing)),
        )
        .with_state(state)
}

/// The span every log line of a request belongs to, with its request id.
fn make_span(request: &Request) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    tracing::info_span!(
        "request",
        method = %request.method(),
        uri = %request.uri(),
        request_id = %request_id,
    )
}

/// `GET /api/me` → `{"user": ..., "request_id": ...}`.
async fn me(
    Extension(user): Extension<CurrentUser>,
    Extension(id): Extension<RequestId>,
) -> Json<Value> {
    let request_id = id.header_value().to_str().unwrap_or_default();
    Json(json!({ "user": user.name, "request_id": request_id }))
}
