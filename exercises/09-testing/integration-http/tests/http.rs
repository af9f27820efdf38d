//! In-process HTTP tests of the notes API (src/lib.rs, whose header states
//! the contract). src/lib.rs is correct; this file is yours.
//!
//! How it is checked: `serverlings check integration-http` runs these tests
//! against the given src/lib.rs (they must all pass), then against copies
//! of it with one planted bug each: each must make at least one test fail.
//! Empty tests catch nothing: that is where you start. Run `cargo test`.

#![allow(unused_imports, dead_code)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use integration_http::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const KEY: &str = "test-key-1234";

fn fresh_app() -> Router {
    app(AppState::new(KEY))
}

// TODO(1): a helper that sends one request to the app in-process and gives
// back what a client sees: the status, the headers and the body (as JSON
// when there is one). `oneshot` consumes the service it is called on.

// TODO(2): fill in each test (add more if you like). Assert the status of
// every answer before anything else, and sit on both sides of each limit.

#[tokio::test]
async fn create_answers_201_with_a_location_that_reads_the_note_back() {
    // POST /notes with a JSON body: 201, a Location, the trimmed title;
    // GET on the Location gives the same note back.
}

#[tokio::test]
async fn a_title_of_exactly_100_characters_is_accepted_and_101_refused() {
    // Characters, not bytes.
}

#[tokio::test]
async fn an_empty_or_blank_title_is_422() {}

#[tokio::test]
async fn an_unknown_note_is_404() {}

#[tokio::test]
async fn delete_without_the_right_key_is_401_with_a_challenge_and_keeps_the_note() {
    // No header, a wrong key, the key without "Bearer ": each 401 with
    // WWW-Authenticate, and the note is still there.
}

#[tokio::test]
async fn delete_with_the_key_is_204_and_the_note_is_gone() {}
