//! # config-validation: refuse to start, and say why
//!
//! A service configured from its environment (the variables and their
//! rules are listed in `config.rs`). With a good configuration it serves,
//! on `127.0.0.1:$PORT`:
//! - `GET /health` → 200 `ok`
//! - `GET /config` → 200 the configuration in effect: `{"port",
//!   "app_env", "request_timeout_ms", "max_body_kb", "upstream_url",
//!   "api_key": "[redacted]", "debug", "allowed_origins"}`
//!
//! With a bad one it must not start at all: it prints every problem on
//! stderr, one per line as `config: <problem>`, and exits with status 2
//! before it opens a port. The given code does the opposite: whatever
//! does not parse quietly becomes a default, and the service starts.
//!
//! ```text
//! config.rs  Config::from_env: every rule, every problem     TODO(1)
//!            parse_duration: a number and a unit             TODO(2)
//! main.rs    print the problems, exit 2                      TODO(3)
//! ```
//!
//! Checked by: the checker starts the server with a good configuration
//! (random values) and reads `GET /config`; then it runs the binary again
//! and again with broken environments (random values, several problems at
//! once) and judges the exit code and each line printed, and that the
//! API key never appears.

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
        // TODO(3): a configuration with problems must stop the service
        // here, before it opens a port: every problem on stderr, one per
        // line as `config: <problem>`, then exit status 2 (not 0: for a
        // supervisor or a deploy script, 0 means "all is well").
        Err(problems) => {
            let _ = problems;
            todo!("TODO(3): print every problem, then exit(2)")
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
