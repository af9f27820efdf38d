//! The worker: consumes `resize` with manual acknowledgements and a
//! prefetch, reports each finished job to the API, and rejects what it
//! can never do. `AMQP_URL`, `SERVER_URL` (the API), `PREFETCH` (4 by
//! default), `WORK_MS` (how long a resize takes, 500 by default).

use std::time::Duration;

use futures::StreamExt;
use lapin::message::Delivery;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions};
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

async fn run() -> Result<(), String> {
    let prefetch = number("PREFETCH", 4, 1..=1000)? as u16;
    let work = Duration::from_millis(number("WORK_MS", 500, 0..=60_000)?);
    let server = std::env::var("SERVER_URL").map_err(|_| "SERVER_URL is required".to_string())?;
    let (_conn, channel) = message_broker::connect().await?;
    topology::declare(&channel)
        .await
        .map_err(|e| format!("cannot declare the queues: {e}"))?;
    // At most `prefetch` unacknowledged deliveries on this channel: the
    // rest stays in the queue for other consumers.
    channel
        .basic_qos(prefetch, BasicQosOptions::default())
        .await
        .map_err(|e| format!("basic.qos: {e}"))?;
    let manual = BasicConsumeOptions {
        no_ack: false,
        ..BasicConsumeOptions::default()
    };
    let tag = format!("worker-{}", std::process::id());
    let mut deliveries = channel
        .basic_consume(
            topology::WORK.into(),
            tag.into(),
            manual,
            FieldTable::default(),
        )
        .await
        .map_err(|e| format!("basic.consume: {e}"))?;
    println!(
        "worker: consuming {} with prefetch {prefetch}",
        topology::WORK
    );
    let http = reqwest::Client::new();
    while let Some(delivery) = deliveries.next().await {
        let delivery = delivery.map_err(|e| format!("the consumer failed: {e}"))?;
        match parse(&delivery) {
            Err(why) => {
                // Never going to work: dead-letter it, do not requeue.
                eprintln!("worker: rejecting: {why}");
                let reject = BasicNackOptions {
                    requeue: false,
                    multiple: false,
                };
                if let Err(e) = delivery.nack(reject).await {
                    eprintln!("worker: nack failed: {e}");
                }
            }
            // Up to `prefetch` jobs run at once, one task each.
            Ok(job) => {
                tokio::spawn(handle(http.clone(), server.clone(), work, job, delivery));
            }
        }
    }
    Err("the broker closed the consumer".into())
}

/// Does the job, reports it, and only then acknowledges the message. A
/// report the API did not take is requeued (after a pause) for another try.
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
    let result = match sent {
        Ok(r) if r.status().is_success() => {
            println!("worker: job {} done", job.id);
            delivery.ack(BasicAckOptions::default()).await
        }
        other => {
            eprintln!(
                "worker: job {}: the API did not take the report ({other:?}); requeued",
                job.id
            );
            tokio::time::sleep(Duration::from_secs(1)).await;
            let again = BasicNackOptions {
                requeue: true,
                multiple: false,
            };
            delivery.nack(again).await
        }
    };
    if let Err(e) = result {
        eprintln!("worker: job {}: acknowledgement failed: {e}", job.id);
    }
}
