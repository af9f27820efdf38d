//! The routes, and the stack of layers around them.

use std::time::Duration;

use axum::extract::Query;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceBuilder;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub fn app(allowed_origin: &str) -> Router {
    // Only /quote is rate limited (TODO 3 is in limit.rs).
    let quote_routes = crate::limit::per_api_key(Router::new().route("/quote", get(quote)));
    let api = quote_routes
        .route(
            "/echo",
            post(echo).layer(RequestBodyLimitLayer::new(8 * 1024)),
        )
        .route("/slow", get(slow));

    let origin = HeaderValue::from_str(allowed_origin).expect("ALLOWED_ORIGIN is a header value");
    let cors = CorsLayer::new()
        .allow_origin([origin]) // a list: only a matching Origin is granted
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-api-key")])
        .max_age(Duration::from_secs(600));

    // Outside → in: every response gets the headers, preflights end at
    // CORS, and the deadline covers everything the routes do.
    let stack = ServiceBuilder::new()
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "no-referrer"))
        .layer(security_header(
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'",
        ))
        .layer(security_header(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ))
        .layer(cors)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(2),
        ));

    Router::new()
        .route("/", get(|| async { "ok" }))
        .nest("/api", api)
        .layer(stack)
}

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
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
