//! What a job does: deliver its payload to its URL, as a webhook would.

use std::time::Duration;

/// A job as the worker reads it from its hash.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub url: String,
    /// JSON text.
    pub payload: String,
    pub attempts: u32,
}

/// How one delivery attempt ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered,
    /// Worth another try later: no answer in time, a refused connection,
    /// 408, 429 or 5xx.
    Transient(String),
    /// Trying again would fail again: any other answer (a 4xx, say).
    Permanent(String),
}

/// One attempt: `POST {url}` with the payload as JSON and the job id as
/// `Idempotency-Key`, so a receiver can tell a repeat (after a crash, say)
/// from a new message.
pub async fn deliver(http: &reqwest::Client, job: &Job) -> Outcome {
    let sent = http
        .post(&job.url)
        .header("content-type", "application/json")
        .header("idempotency-key", &job.id)
        .body(job.payload.clone())
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    match sent {
        Err(e) if e.is_timeout() => Outcome::Transient("no answer within 10s".to_string()),
        Err(e) => Outcome::Transient(format!("request failed: {e}")),
        Ok(r) if r.status().is_success() => Outcome::Delivered,
        Ok(r) => {
            let status = r.status();
            let why = format!("the receiver answered {status}");
            if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
                Outcome::Transient(why)
            } else {
                Outcome::Permanent(why)
            }
        }
    }
}
