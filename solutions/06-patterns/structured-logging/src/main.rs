//! # structured-logging: JSON lines with a request id, latency, no secrets
//!
//! See the stub's header for the contract; this is the reference.

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
