//! The rates client against a wiremock server that plays the upstream.
//!
//! Checked by: `serverlings check mocking-http`.

use std::time::Duration;

use mocking_http::{RatesClient, RatesError};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k-test-7781";

fn client(upstream: &MockServer) -> RatesClient {
    RatesClient::new(&upstream.uri(), KEY, Duration::from_millis(300))
}

fn rates(to: &str, rate: f64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "base": "USD", "rates": { to: rate } }))
}

#[tokio::test]
async fn asks_for_the_pair_with_the_key_and_rounds_to_the_nearest_cent() {
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/rates"))
        .and(query_param("base", "USD"))
        .and(query_param("symbols", "EUR"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(rates("EUR", 0.5))
        .expect(1)
        .mount(&upstream)
        .await;
    assert_eq!(client(&upstream).convert(1005, "usd", "eur").await, Ok(503));
}

#[tokio::test]
async fn a_client_error_is_reported_with_its_status_and_not_retried() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "bad key" })))
        .expect(1)
        .mount(&upstream)
        .await;
    assert_eq!(
        client(&upstream).rate("USD", "EUR").await,
        Err(RatesError::Upstream(401))
    );
}

#[tokio::test]
async fn an_answer_without_the_rate_is_a_bad_answer() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(rates("GBP", 0.8))
        .mount(&upstream)
        .await;
    assert_eq!(
        client(&upstream).rate("USD", "EUR").await,
        Err(RatesError::BadAnswer)
    );
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "17"))
        .expect(1)
        .mount(&upstream)
        .await;
    let got = client(&upstream).rate("USD", "EUR").await;
    assert_eq!(
        got,
        Err(RatesError::RateLimited {
            retry_after: Some(17)
        })
    );
}

#[tokio::test]
async fn two_503s_then_an_answer_succeeds() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&upstream)
        .await;
    Mock::given(path("/v1/rates"))
        .respond_with(rates("EUR", 0.92))
        .expect(1)
        .mount(&upstream)
        .await;
    assert_eq!(client(&upstream).rate("USD", "EUR").await, Ok(0.92));
}

#[tokio::test]
async fn three_503s_give_up_after_three_calls() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&upstream)
        .await;
    assert_eq!(
        client(&upstream).rate("USD", "EUR").await,
        Err(RatesError::Upstream(503))
    );
}

#[tokio::test]
async fn a_stalled_upstream_is_a_timeout() {
    let upstream = MockServer::start().await;
    Mock::given(path("/v1/rates"))
        .respond_with(rates("EUR", 0.92).set_delay(Duration::from_secs(2)))
        .mount(&upstream)
        .await;
    assert_eq!(
        client(&upstream).rate("USD", "EUR").await,
        Err(RatesError::Timeout)
    );
}
