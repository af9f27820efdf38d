//! The routes, and the stack of layers around them.

use std::time::Duration;

use axum::extract::Query;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn app(allowed_origin: &str) -> Router {
    let _ = allowed_origin; // for TODO(2)
    // Only /quote is rate limited (TODO 3 is in limit.rs).
    let quote_routes = crate::limit::per_api_key(Router::new().route("/quote", get(quote)));
    let api = quote_routes
        // TODO(4): a body limit of 8 KiB for this route only:
        // `post(echo).layer(RequestBodyLimitLayer::new(8 * 1024))`
        // (tower_http::limit). It refuses an announced Content-Length
        // before reading a byte, and stops a body that grows past it.
        .route("/echo", post(echo))
        .route("/slow", get(slow));

    // TODO(1): security headers on every response: a
    // `tower::ServiceBuilder` given to one `.layer(...)` below, with one
    // `SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))`
    // (tower_http::set_header) per header of the contract in main.rs.
    // They must wrap everything else (put them first in the
    // ServiceBuilder), so that the 413, 429 and 503 answered by the other
    // layers get them too.
    // TODO(2): CORS, inside the headers: a `CorsLayer::new()`
    // (tower_http::cors) with `.allow_origin([origin])` where `origin` is
    // `HeaderValue::from_str(allowed_origin)` (`.expect` it: a bad
    // ALLOWED_ORIGIN should stop the server at start; and pass a list, even
    // of one: then only a request whose Origin matches gets the grant),
    // `.allow_methods([Method::GET, Method::POST])`,
    // `.allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-api-key")])`
    // and `.max_age(Duration::from_secs(600))`. It answers preflights
    // itself, so it must sit outside the rate limiter, which would ask a
    // preflight for an API key it never carries.
    // TODO(5): a deadline for every request: `TimeoutLayer::with_status_code(
    // StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(2))`
    // (tower_http::timeout), inside CORS.
    Router::new()
        .route("/", get(|| async { "ok" }))
        .nest("/api", api)
}

const QUOTES: [&str; 3] = [
    "Make it work, make it right, make it fast.",
    "There is no cloud, just other people's computers.",
    "It's always DNS.",
];

async fn quote() -> Json<Value> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let pick = now.map_or(0, |d| d.subsec_nanos() as usize) % QUOTES.len();
    Json(json!({ "quote": QUOTES[pick] }))
}

async fn echo(body: String) -> String {
    body
}

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(Query(slow): Query<Slow>) -> String {
    tokio::time::sleep(Duration::from_millis(slow.ms)).await;
    format!("slept {} ms", slow.ms)
}
