//! # dependency-injection: ports, adapters and a composition root
//!
//! See the stub's header for the contract; this is the reference.

use dependency_injection::app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let config = app::Config::from_env();
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app::compose(&config)).await
}
