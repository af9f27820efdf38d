//! The tree of routers, and which middleware guards which branch.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::service::Service;

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
    // TODO(1): build `api` as a router that nests `crate::web::project_routes()`
    // at "/projects" and `web::task_routes()` at "/tasks", and nest `api`
    // at "/api/v1" in the router below (`Router::nest(path, router)`).
    // Nesting keeps each file's routes relative: a version bump is one
    // line here.
    // TODO(4): nest `web::admin_routes()` at "/admin", with
    // `.route_layer(axum::middleware::from_fn_with_state(state.clone(),
    // require_admin))` on the admin router itself, so the token is asked
    // only there (a `.layer` on the outer router would guard everything).
    Router::new().with_state(state)
}

/// Lets a request through only with `x-admin-token: <state.admin_token>`;
/// anything else is 401.
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // TODO(4): compare the `x-admin-token` header with `state.admin_token`;
    // return `StatusCode::UNAUTHORIZED.into_response()` when it is missing
    // or different (`use axum::http::StatusCode;` and
    // `use axum::response::IntoResponse;`), `next.run(request).await` when
    // it matches.
    let _ = state;
    next.run(request).await
}
