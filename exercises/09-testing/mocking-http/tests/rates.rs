//! Tests of the rates client (src/lib.rs, whose header states the
//! upstream's contract) against a wiremock server standing in for the
//! upstream. src/lib.rs is correct; this file is yours.
//!
//! How it is checked: `serverlings check mocking-http` runs these tests
//! against the given src/lib.rs (they must all pass), then against copies
//! of it with one planted bug each: each must make at least one test fail.
//! Empty tests catch nothing: that is where you start. Run `cargo test`.

#![allow(unused_imports)]

use std::time::Duration;

use mocking_http::{RatesClient, RatesError};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

// TODO(1): each test starts its own `MockServer`, mounts the answers the
// upstream should give, and builds a `RatesClient` on `server.uri()` with
// a short timeout. Match the requests strictly (method, path, query, the
// Authorization header): a mock that matches anything cannot tell you the
// client asked for the wrong thing.

// TODO(2): fill in each test (add more if you like). Count the calls
// where the number matters (`expect(n)` is checked when the server drops).

#[tokio::test]
async fn asks_for_the_pair_with_the_key_and_rounds_to_the_nearest_cent() {
    // GET /v1/rates?base=USD&symbols=EUR with "Bearer <key>"; pick a rate
    // and an amount whose product ends in exactly half a cent.
}

#[tokio::test]
async fn a_client_error_is_reported_with_its_status_and_not_retried() {}

#[tokio::test]
async fn an_answer_without_the_rate_is_a_bad_answer() {}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {}

#[tokio::test]
async fn two_503s_then_an_answer_succeeds() {}

#[tokio::test]
async fn three_503s_give_up_after_three_calls() {}

#[tokio::test]
async fn a_stalled_upstream_is_a_timeout() {}
