//! The client of the price service: every call through the breaker, with
//! a timeout per attempt and retries for what is worth retrying.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::backoff::backoff;
use crate::breaker::Breaker;

/// How the client behaves, from the environment.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub timeout: Duration,
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

/// Why there is no price.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// The upstream does not know the symbol (404): not retried, and not
    /// the upstream's fault.
    NotFound,
    /// Every attempt failed; the last one with this (a status, a refused
    /// connection).
    Failed { attempts: u32, last: String },
    /// Every attempt failed and the last one got no answer in time.
    TimedOut { attempts: u32 },
    /// The breaker is open: nothing was sent. Try again in this long.
    Open { retry_after: Duration },
}

#[derive(Debug, Deserialize)]
struct Price {
    price: serde_json::Value,
}

/// One attempt's outcome.
enum Attempt {
    Price(serde_json::Value),
    NotFound,
    /// Worth another attempt.
    Transient {
        why: String,
        timed_out: bool,
    },
    /// Not worth another attempt (a 400, an answer that is not a price).
    Permanent(String),
}

pub struct Upstream {
    http: reqwest::Client,
    base_url: String,
    policy: Policy,
    breaker: Mutex<Breaker>,
}

impl Upstream {
    pub fn new(base_url: &str, policy: Policy, breaker: Breaker) -> Upstream {
        Upstream {
            http: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_string(),
            policy,
            breaker: Mutex::new(breaker),
        }
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        // A panic while holding the lock leaves a breaker that is still a
        // valid state machine: keep using it.
        self.breaker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One GET, bounded by the policy's timeout.
    async fn attempt(&self, symbol: &str) -> Attempt {
        let url = format!("{}/prices/{symbol}", self.base_url);
        let sent = self.http.get(url).timeout(self.policy.timeout).send().await;
        let response = match sent {
            Err(e) if e.is_timeout() => {
                return Attempt::Transient {
                    why: format!("no answer within {} ms", self.policy.timeout.as_millis()),
                    timed_out: true,
                };
            }
            Err(e) => {
                return Attempt::Transient {
                    why: format!("request failed: {e}"),
                    timed_out: false,
                };
            }
            Ok(r) => r,
        };
        let status = response.status();
        match status.as_u16() {
            200..=299 => match response.json::<Price>().await {
                Ok(p) => Attempt::Price(p.price),
                Err(e) if e.is_timeout() => Attempt::Transient {
                    why: "the body did not arrive in time".into(),
                    timed_out: true,
                },
                Err(e) => Attempt::Permanent(format!("not a price: {e}")),
            },
            404 => Attempt::NotFound,
            429 | 502 | 503 | 504 => Attempt::Transient {
                why: format!("the upstream answered {status}"),
                timed_out: false,
            },
            _ => Attempt::Permanent(format!("the upstream answered {status}")),
        }
    }

    /// The price of `symbol`, and how many attempts it took.
    pub async fn price(&self, symbol: &str) -> Result<(serde_json::Value, u32), Failure> {
        if let Err(wait) = self.breaker().allow(Instant::now()) {
            return Err(Failure::Open { retry_after: wait });
        }
        let mut n = 0;
        let outcome = loop {
            n += 1;
            match self.attempt(symbol).await {
                Attempt::Price(p) => break Ok((p, n)),
                Attempt::NotFound => break Err(Failure::NotFound),
                Attempt::Permanent(why) => {
                    break Err(Failure::Failed {
                        attempts: n,
                        last: why,
                    });
                }
                Attempt::Transient { why, timed_out } if n >= self.policy.attempts => {
                    break Err(if timed_out {
                        Failure::TimedOut { attempts: n }
                    } else {
                        Failure::Failed {
                            attempts: n,
                            last: why,
                        }
                    });
                }
                Attempt::Transient { .. } => {
                    tokio::time::sleep(backoff(n, self.policy.base, self.policy.cap)).await;
                }
            }
        };
        // A 404 is an answer: the upstream is healthy.
        let healthy = matches!(outcome, Ok(_) | Err(Failure::NotFound));
        self.breaker().record(healthy, Instant::now());
        outcome
    }
}
