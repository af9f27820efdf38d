//! The server the init runs (given: the exercise is src/main.rs). It is a
//! well-behaved service: it drains on SIGTERM and SIGINT and says so on
//! stdout. It also runs helper programs that leave orphans behind, as
//! image converters and shell scripts do.
//!
//! - `GET /` → `ok`; `GET /pid` → this process's id and its parent's,
//!   `{"pid", "ppid"}`
//! - `GET /slow?ms=N` → `done` after N milliseconds
//! - `GET /orphans?n=N&ms=M` → runs `sh`, which starts N `sleep` processes
//!   of M milliseconds in the background and exits at once: the sleeps are
//!   orphans, adopted by the nearest subreaper, which must reap them
//! - on SIGTERM or SIGINT: prints `app: <signal>, draining`, finishes the
//!   requests in flight, then exits: 0 after SIGTERM, 130 after SIGINT
//!   (the shell's code for an interrupted program)
//! - `EXIT_AFTER_MS=N`: exits by itself after N ms, with the code in
//!   `EXIT_CODE` (a batch job ending, or a crash the init must report);
//!   `ABORT_AFTER_MS=N`: aborts after N ms (killed by SIGABRT)

use std::time::Duration;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tokio::signal::unix::{SignalKind, signal};

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

#[derive(Deserialize)]
struct Orphans {
    n: u32,
    ms: u64,
}

async fn orphans(Query(q): Query<Orphans>) -> (StatusCode, String) {
    if q.n == 0 || q.n > 50 || q.ms > 60_000 {
        return (
            StatusCode::BAD_REQUEST,
            "n is 1 to 50, ms at most 60000\n".into(),
        );
    }
    let secs = format!("{:.3}", q.ms as f64 / 1000.0);
    let script = format!("for i in $(seq {}); do sleep {secs} & done; exit 0", q.n);
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &script])
            .status()
    });
    match run.await {
        Ok(Ok(status)) if status.success() => (StatusCode::OK, format!("{} orphans\n", q.n)),
        Ok(Ok(status)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("sh: {status}\n")),
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot run sh: {e}\n"),
        ),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let number = |name: &str| std::env::var(name).ok().map(|v| v.parse::<u64>());
    if let Some(parsed) = number("EXIT_AFTER_MS") {
        let (Ok(ms), Ok(code)) = (
            parsed,
            std::env::var("EXIT_CODE")
                .unwrap_or("0".into())
                .parse::<u8>(),
        ) else {
            eprintln!("app: EXIT_AFTER_MS and EXIT_CODE must be numbers");
            return std::process::ExitCode::from(2);
        };
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            println!("app: exiting by itself with {code}");
            std::process::exit(code.into());
        });
    }
    if let Some(Ok(ms)) = number("ABORT_AFTER_MS") {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            println!("app: aborting");
            std::process::abort();
        });
    }
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        eprintln!("app: cannot install the signal handlers");
        return std::process::ExitCode::FAILURE;
    };
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let listener = match tokio::net::TcpListener::bind(format!("0.0.0.0:{port}")).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("app: cannot bind port {port}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let app = Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/pid",
            get(|| async {
                let ppid = std::os::unix::process::parent_id();
                Json(serde_json::json!({ "pid": std::process::id(), "ppid": ppid }))
            }),
        )
        .route(
            "/slow",
            get(|Query(q): Query<Slow>| async move {
                tokio::time::sleep(Duration::from_millis(q.ms.min(30_000))).await;
                "done"
            }),
        )
        .route("/orphans", get(orphans));
    println!("app: listening on port {port}, pid {}", std::process::id());
    let (tx, rx) = tokio::sync::oneshot::channel();
    let shutdown = async move {
        let (name, code) = tokio::select! {
            _ = term.recv() => ("SIGTERM", 0),
            _ = int.recv() => ("SIGINT", 130),
        };
        println!("app: {name}, draining");
        let _ = tx.send(code);
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("app: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let code = rx.await.unwrap_or(1);
    println!("app: drained, exiting with {code}");
    std::process::ExitCode::from(code)
}
