//! # twelve-factor: configuration in, logs out, a port bound
//!
//! One build, many deploys: everything that differs between a laptop and
//! production comes from the environment, read once at start, and every
//! event goes to stdout as one JSON line. The server (`0.0.0.0:$PORT`):
//! - `GET /` → 200 `{"service": SERVICE_NAME}`
//! - `GET /hello/{who}` → 200 `{GREETING}, {who}!` (text)
//! - `GET /admin` with `Authorization: Bearer {API_TOKEN}` → 200
//!   `{"service", "admin": true}`; without it, or with another token, 401
//!
//! The environment:
//!
//! | variable | required | meaning |
//! | --- | --- | --- |
//! | `PORT` | yes | the port to bind, 0 to 65535 |
//! | `SERVICE_NAME` | yes | the name in answers and in every log line |
//! | `API_TOKEN` | yes | the bearer token of `/admin`: a secret, never printed |
//! | `GREETING` | no, `hello` | the word `/hello` answers with |
//!
//! A bad environment stops the process before it binds: every problem on
//! its own line on stderr, naming the variable, then exit code 2.
//!
//! ```text
//! config.rs  Config::from_env, and how a Config is printed   TODO(1), TODO(3)
//! log.rs     one event, written where the platform reads it  TODO(2)
//! app.rs     the routes and the request log (given)
//! main.rs    start-up: config, bind, serve (given)
//! ```
//!
//! Checked by: the checker starts the server with a random name, greeting
//! and token, calls the three routes, reads what the server printed on
//! stdout (a `listening` line, one line per request, never the token),
//! then runs the binary with broken environments and expects exit code 2
//! and the name of each bad variable.

mod app;
mod config;
mod log;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config::Config::from_env(|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(problems) => {
            for problem in &problems {
                eprintln!("config: {problem}");
            }
            return ExitCode::from(2);
        }
    };
    eprintln!("starting with {config:?}");
    let listener = match tokio::net::TcpListener::bind(("0.0.0.0", config.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot bind port {}: {e}", config.port);
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(config.port, |a| a.port());
    log::event(&config.service, "listening", &[("port", port.into())]);
    if let Err(e) = axum::serve(listener, app::router(config)).await {
        eprintln!("server error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
