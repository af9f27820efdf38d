//! # runtime-lag: find the call that stalls every request
//!
//! A quote service on a tokio runtime with one thread (like Node's event
//! loop: one blocking call there stops everything, so the bug shows at
//! once; the fix is the same on a multi-threaded runtime, where the same
//! bug only shows once as many calls block as there are workers):
//!
//! - `GET /ping` → 200 `pong`
//! - `GET /quote/{symbol}?qty=N` → 200 JSON `{"symbol", "qty", "rate",
//!   "total"}`, the rate asked from the rates service at `RATES_URL`;
//!   a symbol of 1 to 10 letters and a qty from 1 to 1000000, else 400
//! - `GET /metrics/lag` → 200 JSON `{"max_lag_ms", "samples"}`: the worst
//!   scheduler lag the probe saw since the previous call, in milliseconds,
//!   and how many wake-ups that was; each call starts a new window
//! - `POST /debug/stall?ms=N` → blocks the runtime's thread for N ms (at
//!   most 5000) on purpose, then 200: a drill to see your probe at work.
//!   It must keep blocking.
//!
//! ```text
//! lag.rs    the lag probe                               TODO(1)
//! main.rs   the routes; one of them blocks the runtime  TODO(2)
//! rates.rs  the rates service's synchronous client      (given)
//! ```
//!
//! TODO(2): with your probe running, load the routes and watch
//! `/metrics/lag`: one handler blocks the runtime's only thread while it
//! waits. Keep calling the client it uses (it is the only one there is),
//! but never on the runtime's thread.
//!
//! Checked by: the checker starts the server with a mock rates service
//! that answers slowly, stalls it on purpose and reads your probe, then
//! asks for quotes in parallel and keeps `/quote` under load while it
//! measures `/ping`: a ping must not wait behind a quote.

mod lag;
mod rates;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use lag::LagProbe;

#[derive(Clone)]
struct App {
    rates_url: Arc<str>,
    probe: LagProbe,
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn ping() -> &'static str {
    "pong"
}

async fn quote(
    State(app): State<App>,
    Path(symbol): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if symbol.is_empty() || symbol.len() > 10 || !symbol.bytes().all(|b| b.is_ascii_alphabetic()) {
        return bad_request(format!("symbol must be 1 to 10 letters, not {symbol:?}"));
    }
    let qty = match query.get("qty").map(|q| q.parse::<u64>()) {
        None => 1,
        Some(Ok(n)) if (1..=1_000_000).contains(&n) => n,
        Some(_) => return bad_request("qty must be a whole number from 1 to 1000000".into()),
    };
    // TODO(2), done: the client blocks its thread for as long as the rates
    // service takes, so it runs on tokio's blocking pool, not on the
    // runtime's thread; the handler awaits it without blocking anything.
    let rates_url = app.rates_url.clone();
    let wanted = symbol.clone();
    let fetched = tokio::task::spawn_blocking(move || rates::fetch_rate(&rates_url, &wanted)).await;
    match fetched {
        Ok(Ok(rate)) => Json(json!({
            "symbol": symbol,
            "qty": qty,
            "rate": rate,
            "total": rate * qty as f64,
        }))
        .into_response(),
        Ok(Err(problem)) => {
            eprintln!("quote {symbol}: {problem}");
            (StatusCode::BAD_GATEWAY, Json(json!({ "error": problem }))).into_response()
        }
        Err(join) => {
            eprintln!("quote {symbol}: the rates call panicked: {join}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn lag_report(State(app): State<App>) -> Json<serde_json::Value> {
    let reading = app.probe.take();
    Json(json!({ "max_lag_ms": reading.max_lag_ms, "samples": reading.samples }))
}

async fn stall(Query(query): Query<HashMap<String, String>>) -> Response {
    let ms = match query.get("ms").map(|m| m.parse::<u64>()) {
        Some(Ok(ms)) if ms <= 5000 => ms,
        _ => return bad_request("ms must be a whole number from 0 to 5000".into()),
    };
    // The drill: block the runtime's thread on purpose.
    std::thread::sleep(Duration::from_millis(ms));
    format!("stalled {ms} ms\n").into_response()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let port = match std::env::var("PORT")
        .as_deref()
        .unwrap_or("8080")
        .parse::<u16>()
    {
        Ok(port) => port,
        Err(_) => {
            eprintln!("config: PORT must be a port number, 0 to 65535");
            return ExitCode::from(2);
        }
    };
    let Ok(rates_url) = std::env::var("RATES_URL") else {
        eprintln!("config: RATES_URL is required (the rates service, http://host:port)");
        return ExitCode::from(2);
    };
    let app = App {
        rates_url: rates_url.into(),
        probe: LagProbe::start(),
    };
    let router = Router::new()
        .route("/ping", get(ping))
        .route("/quote/{symbol}", get(quote))
        .route("/metrics/lag", get(lag_report))
        .route("/debug/stall", post(stall))
        .with_state(app);
    let listener = match tokio::net::TcpListener::bind(("0.0.0.0", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on port {port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on port {port}");
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("server error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
