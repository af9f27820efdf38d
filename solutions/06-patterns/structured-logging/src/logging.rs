//! Logging: one JSON object per line on stdout, one span per request
//! carrying its id, one access line when it ends, and no secrets.

use std::fmt;
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use tracing::{Instrument, error, info, info_span, warn};

/// JSON lines on stdout: the event's fields at the top level, the fields
/// of the span it happened in under `span`.
pub fn init() {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(std::io::stdout)
        .init();
}

/// A value that is never printed: `Debug` shows `[redacted]`.
#[derive(Deserialize, Clone, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Query parameters whose values are credentials.
const SECRET_PARAMS: [&str; 5] = ["api_key", "access_token", "token", "password", "secret"];

/// The query string with the values of credential parameters replaced by
/// `[redacted]`; everything else as it came.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or(pair);
            if SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                format!("{name}=[redacted]")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An id we accept from a client or a proxy: 1 to 64 characters out of
/// letters, digits, `-`, `_` and `.`. Anything else is replaced.
fn acceptable_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Middleware: the request's span, its id in the response, and one access
/// line at the end, at a level that follows the status.
pub async fn access_log(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_id(v))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let user_agent = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>();
    let span = info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.uri().path(),
        query = tracing::field::Empty,
    );
    if let Some(q) = req.uri().query() {
        span.record("query", redact_query(q));
    }

    let mut response = next.run(req).instrument(span.clone()).await;

    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    span.in_scope(|| match status {
        500.. => error!(status, latency_ms, user_agent, "request finished"),
        400..=499 => warn!(status, latency_ms, user_agent, "request finished"),
        _ => info!(status, latency_ms, user_agent, "request finished"),
    });
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_query_are_redacted() {
        assert_eq!(
            redact_query("q=tea&api_key=sk_1&Token=t&page=2"),
            "q=tea&api_key=[redacted]&Token=[redacted]&page=2"
        );
    }

    #[test]
    fn odd_ids_are_refused() {
        assert!(acceptable_id("7f3a9c-01.b_x"));
        assert!(!acceptable_id(""));
        assert!(!acceptable_id("a b"));
        assert!(!acceptable_id(&"x".repeat(65)));
    }

    #[test]
    fn secrets_do_not_print() {
        let shown = format!("{:?}", Secret("hunter2".into()));
        assert_eq!(shown, "[redacted]");
    }
}
