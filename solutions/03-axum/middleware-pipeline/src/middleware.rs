//! Two middleware functions, for `axum::middleware::from_fn`.
//!
//! A middleware gets the request and `next`, the rest of the onion. Code
//! before `next.run(request).await` runs on the way in, code after it on
//! the way out; returning without calling `next` answers early.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::{AppState, CurrentUser};

/// Adds `x-response-time: 0.412ms` to every response.
pub async fn timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("{millis:.3}ms")) {
        response.headers_mut().insert("x-response-time", value);
    }
    response
}

/// Lets a request through only with `Authorization: Bearer <state.token>`;
/// anything else is 401. Puts the `CurrentUser` in the request's
/// extensions for the handlers.
pub async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if presented != Some(&*state.token) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    request.extensions_mut().insert(CurrentUser {
        name: "api-client".into(),
    });
    next.run(request).await
}
