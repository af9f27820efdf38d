//! The worker: claims jobs, delivers them, and records what happened.
//! `REDIS_URL`, `WORKER_ID` (`w1` by default), `RETRY_BASE_MS`,
//! `MAX_ATTEMPTS`. Stops between jobs on SIGTERM or Ctrl-C.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use job_queue::delivery::{self, Outcome};
use job_queue::queue::{self, Failed};
use job_queue::{Policy, now_ms};
use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("REDIS_URL").map_err(|_| "REDIS_URL is required")?;
    let worker = std::env::var("WORKER_ID").unwrap_or_else(|_| "w1".to_string());
    let policy = Policy::from_env()?;
    let client = redis::Client::open(url)?;
    // A blocking claim waits up to a second: this connection must wait
    // longer than that for a reply, and it carries nothing else.
    let patient = AsyncConnectionConfig::new().set_response_timeout(Some(Duration::from_secs(5)));
    let mut claims = client
        .get_multiplexed_async_connection_with_config(&patient)
        .await?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let promoter = client.get_multiplexed_async_connection().await?;

    let back = queue::recover(&mut conn, &worker).await?;
    if !back.is_empty() {
        println!("worker {worker}: put back {back:?}, claimed by a previous run");
    }
    tokio::spawn(promote_forever(promoter));

    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(stop_on_signal(stop.clone()));
    let http = reqwest::Client::new();
    println!("worker {worker}: waiting for jobs");
    while !stop.load(Ordering::Relaxed) {
        let id = match queue::claim(&mut claims, &worker, Duration::from_secs(1)).await {
            Ok(Some(id)) => id,
            Ok(None) => continue,
            Err(e) => {
                eprintln!("worker {worker}: claim failed: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if let Err(e) = run(&mut conn, &http, &worker, &id, &policy).await {
            // The id stays claimed: the next start of this worker retries it.
            eprintln!("worker {worker}: job {id}: {e}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    println!("worker {worker}: stopped");
    Ok(())
}

/// Runs one claimed job to its next state.
async fn run(
    conn: &mut MultiplexedConnection,
    http: &reqwest::Client,
    worker: &str,
    id: &str,
    policy: &Policy,
) -> redis::RedisResult<()> {
    let Some(job) = queue::load(conn, id).await? else {
        eprintln!("worker {worker}: job {id} has no record; dropped");
        return queue::drop_claim(conn, worker, id).await;
    };
    queue::mark_running(conn, id).await?;
    let (error, transient) = match delivery::deliver(http, &job).await {
        Outcome::Delivered => {
            queue::complete(conn, worker, &job).await?;
            println!("job {id}: delivered (attempt {})", job.attempts + 1);
            return Ok(());
        }
        Outcome::Transient(e) => (e, true),
        Outcome::Permanent(e) => (e, false),
    };
    match queue::fail(conn, worker, &job, &error, transient, policy).await? {
        Failed::Retrying(wait) => println!(
            "job {id}: attempt {} failed ({error}); next in {} ms",
            job.attempts + 1,
            wait.as_millis()
        ),
        Failed::Dead => println!(
            "job {id}: dead after {} attempt(s): {error}",
            job.attempts + 1
        ),
    }
    Ok(())
}

/// Every 50 ms, moves the retries that are due back to `jobs:ready`.
async fn promote_forever(mut conn: MultiplexedConnection) {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    loop {
        tick.tick().await;
        if let Err(e) = queue::promote_due(&mut conn, now_ms()).await {
            eprintln!("promoter: {e}");
        }
    }
}

async fn stop_on_signal(stop: Arc<AtomicBool>) {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("no SIGTERM handler: {e}");
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    stop.store(true, Ordering::Relaxed);
}
