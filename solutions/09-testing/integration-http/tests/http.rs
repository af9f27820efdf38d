//! In-process HTTP tests of the notes API: each request goes through the
//! whole router with `tower::ServiceExt::oneshot`, no socket involved.
//!
//! Checked by: `serverlings check integration-http` (these tests against the
//! given src/lib.rs, then against one planted bug at a time).

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use integration_http::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const KEY: &str = "test-key-1234";

/// What a client sees of one answer.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    json: Value,
}

// TODO(1): a helper that sends one request and reads the answer.
async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router never fails");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body under 1 MiB");
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    Answer {
        status,
        headers,
        json,
    }
}

fn post_note(body: Value) -> Request<Body> {
    Request::post("/notes")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn delete(uri: &str, auth: Option<&str>) -> Request<Body> {
    let mut request = Request::delete(uri);
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    request.body(Body::empty()).unwrap()
}

fn fresh_app() -> Router {
    app(AppState::new(KEY))
}

// TODO(2): the behaviours.

#[tokio::test]
async fn create_answers_201_with_a_location_that_reads_the_note_back() {
    let app = fresh_app();
    let created = send(
        &app,
        post_note(json!({ "title": "  groceries ", "body": "tea" })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.json["title"], "groceries");
    let location = created.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(location, format!("/notes/{}", created.json["id"]));
    let read = send(&app, get(&location)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json, created.json);
}

#[tokio::test]
async fn a_title_of_exactly_100_characters_is_accepted_and_101_refused() {
    let app = fresh_app();
    let ok = send(&app, post_note(json!({ "title": "é".repeat(100) }))).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let long = send(&app, post_note(json!({ "title": "é".repeat(101) }))).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.json["error"].is_string());
}

#[tokio::test]
async fn an_empty_or_blank_title_is_422() {
    let app = fresh_app();
    for title in ["", "   ", "\t\n"] {
        let answer = send(&app, post_note(json!({ "title": title }))).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "title {title:?}"
        );
    }
}

#[tokio::test]
async fn an_unknown_note_is_404() {
    let answer = send(&fresh_app(), get("/notes/42")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.json["error"].is_string());
}

#[tokio::test]
async fn delete_without_the_right_key_is_401_with_a_challenge_and_keeps_the_note() {
    let app = fresh_app();
    let created = send(&app, post_note(json!({ "title": "keep me" }))).await;
    let uri = created.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    for auth in [None, Some("Bearer wrong-key"), Some(KEY)] {
        let answer = send(&app, delete(&uri, auth)).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "authorization {auth:?}"
        );
        assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
    assert_eq!(send(&app, get(&uri)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn delete_with_the_key_is_204_and_the_note_is_gone() {
    let app = fresh_app();
    let created = send(&app, post_note(json!({ "title": "drop me" }))).await;
    let uri = created.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let bearer = format!("Bearer {KEY}");
    assert_eq!(
        send(&app, delete(&uri, Some(&bearer))).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(send(&app, get(&uri)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        send(&app, delete(&uri, Some(&bearer))).await.status,
        StatusCode::NOT_FOUND
    );
}
