//! # structured-logging: JSON lines with a request id, latency, no secrets
//!
//! A small API whose logs someone will have to search at 3 a.m. The server
//! (`127.0.0.1:$PORT`; the routes in `routes.rs` are given):
//! - `GET /hello/{name}`, `GET /slow?ms=N` (answers after N ms),
//!   `GET /search?q=...`, `POST /login` `{"user", "password"}` (200 for
//!   `admin` with `$ADMIN_PASSWORD`, else 401), `GET /boom` (500); 404
//!   for anything else.
//!
//! What to build is in `logging.rs`: every line on stdout one JSON object
//! (TODO 1); every request in a span that carries its id, answered with
//! an `x-request-id` header and closed by one access line with status,
//! latency and level (TODO 2); passwords, tokens, cookies and credentials
//! in query strings never written anywhere (TODO 3).
//!
//! ```text
//! {"level":"INFO","message":"request finished","status":200,
//!  "latency_ms":1.8,"user_agent":"curl/8.5",
//!  "span":{"request_id":"7f3a9c","method":"GET","path":"/search",
//!          "query":"q=tea&api_key=[redacted]"}, ...}
//! ```
//!
//! Checked by: the checker sends requests with its own ids, tokens,
//! cookies, passwords and API keys (random each run), and reads the lines
//! the server printed on stdout after each one: the JSON fields above,
//! latency against the time it made the server wait, the level of 4xx and
//! 5xx lines, and that no secret it sent appears in any line.

mod logging;
mod routes;

#[tokio::main]
async fn main() {
    logging::init();
    let password = std::env::var("ADMIN_PASSWORD").unwrap_or_default();
    let app = routes::router(password).layer(axum::middleware::from_fn(logging::access_log));
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = match tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, port = %port, "cannot listen");
            std::process::exit(1);
        }
    };
    tracing::info!(addr = %format!("127.0.0.1:{port}"), "listening");
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(error = %e, "server failed");
        std::process::exit(1);
    }
}
