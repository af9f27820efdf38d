//! A small notes API: the app under test.
//!
//! This file is correct: leave it as it is. Your work is in tests/http.rs
//! (see the TODOs there): in-process HTTP tests that drive `app(...)` with
//! `tower::ServiceExt::oneshot`, as a client would see it. The check runs
//! your tests against this file (they must pass), then against copies with
//! one bug planted in each (a wrong status, a boundary off by one, a check
//! left out): each bug must make one of your tests fail.
//!
//! The contract:
//! - `POST /notes` with a JSON body `{"title": "...", "body": "..."}`:
//!   201 Created, a `Location: /notes/{id}` header and the note as JSON
//!   (`{"id": 1, "title": ..., "body": ...}`). The title is trimmed; an
//!   empty title or one longer than 100 characters (after trimming) is 422
//!   with `{"error": "..."}`. Ids count up from 1.
//! - `GET /notes/{id}`: 200 and the note, or 404 with `{"error": "..."}`.
//! - `DELETE /notes/{id}` needs `Authorization: Bearer <the API key>`:
//!   204 and the note is gone; a missing or wrong key is 401 with
//!   `WWW-Authenticate: Bearer`; an unknown id is 404.
//!
//! Checked by: `serverlings check integration-http`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 100;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    pub id: u64,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
pub struct NewNote {
    pub title: String,
    #[serde(default)]
    pub body: String,
}

#[derive(Default)]
struct Store {
    next_id: u64,
    notes: BTreeMap<u64, Note>,
}

/// What the handlers share: the notes and the key that allows deleting.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    api_key: Arc<str>,
}

impl AppState {
    pub fn new(api_key: &str) -> Self {
        AppState {
            store: Arc::default(),
            api_key: api_key.into(),
        }
    }
}

/// The whole app, as `main` serves it.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/notes", post(create))
        .route("/notes/{id}", get(read).delete(remove))
        .with_state(state)
}

enum ApiError {
    Invalid(String),
    NotFound,
    Unauthorized,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "no such note".to_string()),
            ApiError::Unauthorized => {
                let body = Json(serde_json::json!({ "error": "a valid API key is required" }));
                return (
                    StatusCode::UNAUTHORIZED,
                    [(header::WWW_AUTHENTICATE, "Bearer")],
                    body,
                )
                    .into_response();
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

async fn create(
    State(state): State<AppState>,
    Json(new): Json<NewNote>,
) -> Result<Response, ApiError> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(ApiError::Invalid("the title is empty".into()));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(ApiError::Invalid(format!(
            "the title is longer than {MAX_TITLE} characters"
        )));
    }
    let mut store = state.store.lock().unwrap();
    store.next_id += 1;
    let note = Note {
        id: store.next_id,
        title: title.to_string(),
        body: new.body,
    };
    store.notes.insert(note.id, note.clone());
    let location = format!("/notes/{}", note.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(note),
    )
        .into_response())
}

async fn read(State(state): State<AppState>, Path(id): Path<u64>) -> Result<Json<Note>, ApiError> {
    let store = state.store.lock().unwrap();
    store
        .notes
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(ApiError::NotFound)
}

async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<StatusCode, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token != Some(&*state.api_key) {
        return Err(ApiError::Unauthorized);
    }
    let mut store = state.store.lock().unwrap();
    match store.notes.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError::NotFound),
    }
}
