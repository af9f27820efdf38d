//! The router and its layers.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware as mw;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
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
        // TODO(1): the contract, for every response (the fallback's 404
        // included): it carries the request id (the client's, or one made
        // here); the log line of the request shows that same id; and
        // x-response-time covers all the work of the layers and the
        // handler. As written, some of these layers run before what they
        // depend on exists. Work out, from how `Router::layer` nests (the
        // lesson's section on layer order), in which order each one sees the
        // request, and make it the order the contract needs.
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(make_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(mw::from_fn(timing))
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
async fn me() -> Response {
    // TODO(4): answer `{"user": <the name>, "request_id": <the id>}` with
    // what the layers left in the request: the `CurrentUser` that
    // `require_token` put there (TODO 3), and the request id that
    // `SetRequestIdLayer` set (`tower_http::request_id::RequestId`). Take
    // both with extractors; read nothing from the headers yourself.
    (
        StatusCode::NOT_IMPLEMENTED,
        "TODO(4): answer with the CurrentUser and the RequestId from the request's extensions",
    )
        .into_response()
}
