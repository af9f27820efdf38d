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
        // TODO(4): a body over 8 KiB (8192 bytes) is a 413, on this route
        // only: refused at once when it announces its length, cut off when
        // it grows past the limit on the way.
        .route("/echo", post(echo))
        .route("/slow", get(slow));

    // TODO(1): the five security headers of main.rs's contract on every
    // response, those that other layers answer by themselves (413, 429,
    // 503) and the fallback's 404 included: so they wrap everything else.
    // TODO(2): CORS for `allowed_origin` only (no other origin gets a
    // grant), GET and POST, the headers `content-type` and `x-api-key`,
    // preflights cached for 600 s. The CORS layer answers preflights
    // itself, and must do so before the rate limiter could ask a preflight
    // for an API key it never carries. A bad ALLOWED_ORIGIN stops the
    // server at start-up.
    // TODO(5): every request gets 2 seconds; one that takes longer is cut
    // off with 503, inside CORS (so the 503 is readable by the page) and
    // inside the headers.
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
