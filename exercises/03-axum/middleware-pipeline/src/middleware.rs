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
    // TODO(2): measure `started.elapsed()` and insert the header
    // `x-response-time` with the milliseconds and three decimals, e.g.
    // `format!("{:.3}ms", elapsed.as_secs_f64() * 1000.0)`. Headers are
    // `HeaderValue`s: `HeaderValue::from_str(&text)` (it can fail, on
    // characters a header may not hold; these cannot), and the response
    // needs to be `mut`.
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
    // TODO(3): read the `authorization` header (`request.headers().get(...)`,
    // then `.to_str().ok()` and `.strip_prefix("Bearer ")`); when it is not
    // exactly `state.token`, return `StatusCode::UNAUTHORIZED.into_response()`
    // without calling `next`. Otherwise insert
    // `CurrentUser { name: "api-client".into() }` with
    // `request.extensions_mut().insert(...)` (the request must be `mut`)
    // and go on.
    let _ = state;
    next.run(request).await
}
