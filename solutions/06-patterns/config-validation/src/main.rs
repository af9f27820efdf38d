//! # config-validation: refuse to start, and say why
//!
//! See the stub's header for the contract; this is the reference.

mod config;

use std::collections::HashMap;

use axum::routing::get;
use axum::{Json, Router};
use config::Config;
use serde_json::json;

#[tokio::main]
async fn main() {
    let env: HashMap<String, String> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let config = match Config::from_env(&env) {
        Ok(config) => config,
        Err(problems) => {
            for problem in &problems {
                eprintln!("config: {problem}");
            }
            eprintln!(
                "refusing to start: {} configuration problem(s)",
                problems.len()
            );
            std::process::exit(2);
        }
    };

    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on port {}: {e}", config.port);
            std::process::exit(1);
        }
    };
    println!(
        "listening on 127.0.0.1:{} ({}, debug {})",
        config.port,
        config.app_env.as_str(),
        config.debug
    );
    let shown = json!({
        "port": config.port,
        "app_env": config.app_env.as_str(),
        "request_timeout_ms": config.request_timeout.as_millis() as u64,
        "max_body_kb": config.max_body_kb,
        "upstream_url": config.upstream_url,
        "api_key": format!("{:?}", config.api_key),
        "debug": config.debug,
        "allowed_origins": config.allowed_origins,
    });
    let app = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/config", get(move || async move { Json(shown) }));
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server failed: {e}");
        std::process::exit(1);
    }
}
