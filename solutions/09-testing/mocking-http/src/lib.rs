//! A client for an exchange-rates API: the code under test.
//!
//! This file is correct: leave it as it is. Your work is in tests/rates.rs
//! (see the TODOs there): tests that stand a wiremock server in for the
//! upstream and script its good and bad days. The check runs your tests
//! against this file (they must pass), then against copies with one bug
//! planted in each (a status not checked, a header not sent, a timeout
//! dropped, a retry too few): each bug must make one of your tests fail.
//!
//! The upstream's contract: `GET {base}/v1/rates?base=USD&symbols=EUR`
//! with `Authorization: Bearer <key>` answers 200 and
//! `{"base": "USD", "rates": {"EUR": 0.92}}`; 429 with a `Retry-After`
//! (seconds) when the client goes too fast; 503 on a bad day.
//!
//! Checked by: `serverlings check mocking-http`.

use std::time::Duration;

use reqwest::{StatusCode, Url, header};

/// How many times a 503 is tried in all (the first call and two retries).
pub const ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, PartialEq)]
pub enum RatesError {
    /// A currency code is not three ASCII letters.
    BadCurrency(String),
    /// The upstream answered 429; the seconds of its `Retry-After`, if any.
    RateLimited { retry_after: Option<u64> },
    /// The upstream answered another non-2xx status (after the retries,
    /// for a 503).
    Upstream(u16),
    /// The answer is not JSON, or has no rate for the asked currency.
    BadAnswer,
    /// No answer within the client's timeout.
    Timeout,
    /// The connection failed.
    Network(String),
}

pub struct RatesClient {
    base: String,
    api_key: String,
    timeout: Duration,
    http: reqwest::Client,
}

impl RatesClient {
    /// `base` is the upstream's base URL (`http://127.0.0.1:9999`), without
    /// a trailing slash; `timeout` bounds each attempt.
    pub fn new(base: &str, api_key: &str, timeout: Duration) -> Self {
        RatesClient {
            base: base.trim_end_matches('/').to_string(),
            api_key: api_key.to_string(),
            timeout,
            http: reqwest::Client::new(),
        }
    }

    /// Converts `cents` of `from` into cents of `to`, rounded to the
    /// nearest cent. A 503 is retried (ATTEMPTS in all, 50 ms apart);
    /// other failures are returned at once.
    pub async fn convert(&self, cents: i64, from: &str, to: &str) -> Result<i64, RatesError> {
        let rate = self.rate(from, to).await?;
        Ok((cents as f64 * rate).round() as i64)
    }

    /// The rate from `from` to `to`.
    pub async fn rate(&self, from: &str, to: &str) -> Result<f64, RatesError> {
        for code in [from, to] {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(RatesError::BadCurrency(code.to_string()));
            }
        }
        let (from, to) = (from.to_ascii_uppercase(), to.to_ascii_uppercase());
        let url = Url::parse_with_params(
            &format!("{}/v1/rates", self.base),
            [("base", &from), ("symbols", &to)],
        )
        .map_err(|e| RatesError::Network(e.to_string()))?;
        let mut attempt = 1;
        loop {
            match self.once(url.clone(), &to).await {
                Err(RatesError::Upstream(503)) if attempt < ATTEMPTS => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => return other,
            }
        }
    }

    async fn once(&self, url: Url, to: &str) -> Result<f64, RatesError> {
        let response = self
            .http
            .get(url)
            .bearer_auth(&self.api_key)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    RatesError::Timeout
                } else {
                    RatesError::Network(e.to_string())
                }
            })?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok());
            return Err(RatesError::RateLimited { retry_after });
        }
        if !status.is_success() {
            return Err(RatesError::Upstream(status.as_u16()));
        }
        let body: serde_json::Value = response.json().await.map_err(|e| {
            if e.is_timeout() {
                RatesError::Timeout
            } else {
                RatesError::BadAnswer
            }
        })?;
        body["rates"][to].as_f64().ok_or(RatesError::BadAnswer)
    }
}
