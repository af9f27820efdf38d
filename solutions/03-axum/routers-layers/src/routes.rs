//! The tree of routers, and which middleware guards which branch.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::service::Service;
use crate::web;

#[derive(Clone)]
pub struct AppState {
    pub service: Arc<Service>,
    pub admin_token: Arc<str>,
}

/// ```text
/// /
/// ├── api/v1/
/// │   ├── projects/...   web::project_routes()
/// │   └── tasks/...      web::task_routes()
/// └── admin/...          web::admin_routes(), behind require_admin
/// ```
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .nest("/projects", web::project_routes())
        .nest("/tasks", web::task_routes());
    let admin = web::admin_routes()
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin));
    Router::new()
        .nest("/api/v1", api)
        .nest("/admin", admin)
        .with_state(state)
}

/// Lets a request through only with `x-admin-token: <state.admin_token>`;
/// anything else is 401.
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request.headers().get("x-admin-token");
    if token.and_then(|t| t.to_str().ok()) != Some(&*state.admin_token) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(request).await
}
