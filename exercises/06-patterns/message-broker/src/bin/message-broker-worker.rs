//! The worker: consumes `resize` with manual acknowledgements and a
//! prefetch, reports each finished job to the API, and rejects what it
//! can never do. `AMQP_URL`, `SERVER_URL` (the API), `PREFETCH` (4 by
//! default), `WORK_MS` (how long a resize takes, 500 by default).

use std::time::Duration;

use futures::StreamExt;
use lapin::message::Delivery;
use lapin::options::BasicConsumeOptions;
use lapin::types::FieldTable;
use message_broker::job::{Job, Report};
use message_broker::topology;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("worker: {e}");
        std::process::exit(1);
    }
}

fn number(key: &str, default: u64, range: std::ops::RangeInclusive<u64>) -> Result<u64, String> {
    match std::env::var(key) {
        Err(_) => Ok(default),
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| format!("{key} must be a whole number in {range:?}")),
    }
}

/// The job in a message, or why the worker can never do it.
fn parse(delivery: &Delivery) -> Result<Job, String> {
    let job: Job = serde_json::from_slice(&delivery.data).map_err(|e| format!("not a job: {e}"))?;
    match job.problem() {
        Some(why) => Err(format!("job {}: {why}", job.id)),
        None => Ok(job),
    }
}

// TODO(2): reliable consumption. As given, the worker consumes with
// `no_ack: true`: the broker forgets each message the moment it sends it,
// ignores any prefetch and pushes the whole queue at once, so a worker
// killed mid-burst loses every job it had received. The contract:
// - at most PREFETCH deliveries unacknowledged on the worker's channel
//   at any time (the rest stay in the queue, for this worker later or
//   for another one), and up to PREFETCH jobs running at once;
// - a job is acknowledged only after it is done and the API took its
//   report (`handle` reports it); when the API did not take it, the
//   message goes back to the queue, after a pause;
// - the report says whether the broker had delivered this message before
//   (`delivery.redelivered`).
//
// TODO(3): a message `parse` refuses can never be done: reject it without
// requeue, so the broker dead-letters it into `resize.dead` (TODO 1)
// instead of handing it out again and again.

async fn run() -> Result<(), String> {
    let prefetch = number("PREFETCH", 4, 1..=1000)? as u16;
    let work = Duration::from_millis(number("WORK_MS", 500, 0..=60_000)?);
    let server = std::env::var("SERVER_URL").map_err(|_| "SERVER_URL is required".to_string())?;
    let (_conn, channel) = message_broker::connect().await?;
    topology::declare(&channel)
        .await
        .map_err(|e| format!("cannot declare the queues: {e}"))?;
    let auto_ack = BasicConsumeOptions {
        no_ack: true,
        ..BasicConsumeOptions::default()
    };
    let tag = format!("worker-{}", std::process::id());
    let mut deliveries = channel
        .basic_consume(
            topology::WORK.into(),
            tag.into(),
            auto_ack,
            FieldTable::default(),
        )
        .await
        .map_err(|e| format!("basic.consume: {e}"))?;
    println!(
        "worker: consuming {} (PREFETCH={prefetch} is not applied yet)",
        topology::WORK
    );
    let http = reqwest::Client::new();
    while let Some(delivery) = deliveries.next().await {
        let delivery = delivery.map_err(|e| format!("the consumer failed: {e}"))?;
        match parse(&delivery) {
            Err(why) => eprintln!("worker: dropping: {why}"),
            Ok(job) => handle(http.clone(), server.clone(), work, job, delivery).await,
        }
    }
    Err("the broker closed the consumer".into())
}

/// Does the job and reports it to the API.
async fn handle(
    http: reqwest::Client,
    server: String,
    work: Duration,
    job: Job,
    delivery: Delivery,
) {
    tokio::time::sleep(work).await; // the resize itself
    let report = Report {
        id: job.id.clone(),
        width: job.width,
        redelivered: delivery.redelivered,
    };
    let sent = http
        .post(format!("{server}/results"))
        .json(&report)
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => println!("worker: job {} done", job.id),
        other => eprintln!(
            "worker: job {}: the API did not take the report ({other:?})",
            job.id
        ),
    }
}
