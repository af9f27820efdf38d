//! Two middleware functions, for `axum::middleware::from_fn`.
//!
//! A middleware gets the request and `next`, the rest of the onion. Code
//! before `next.run(request).await` runs on the way in, code after it on
//! the way out; returning without calling `next` answers early.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

#[allow(unused_imports)] // for TODO(3)
use crate::app::{AppState, CurrentUser};

/// Adds `x-response-time: 0.412ms` to every response.
pub async fn timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    // TODO(2): every response leaves with `x-response-time`, the time spent
    // inside this layer in milliseconds with three decimals (`0.412ms`).
    let _ = started;
    response
}

/// Lets a request through only with `Authorization: Bearer <state.token>`;
/// anything else is 401. Puts the `CurrentUser` in the request's
/// extensions for the handlers.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // TODO(3): only a request with `Authorization: Bearer <state.token>`
    // (exactly that token) reaches the handler; any other gets 401 and the
    // handler never runs. One that passes carries a `CurrentUser` named
    // `api-client` for the handlers, in the request's extensions.
    let _ = state;
    next.run(request).await
}
