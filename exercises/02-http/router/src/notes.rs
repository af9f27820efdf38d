//! The `notes` resource, kept in memory. Given: the handlers follow REST
//! semantics; `create` uses the idempotency store of `idempotency.rs`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use crate::http::{Request, Response};
use crate::idempotency::{IdempotencyStore, Seen};
use crate::router::Params;

/// Everything the handlers share.
#[derive(Debug, Default)]
pub struct App {
    notes: Mutex<Notes>,
    idempotency: Mutex<IdempotencyStore>,
}

#[derive(Debug, Default)]
struct Notes {
    last_id: u64,
    by_id: BTreeMap<u64, String>,
}

#[derive(Serialize)]
struct Note<'a> {
    id: u64,
    text: &'a str,
}

/// The body of POST and PUT: `{"text": "..."}`.
#[derive(Deserialize)]
struct NoteBody {
    text: String,
}

/// `GET /notes`: every note, oldest first.
pub fn list(app: &App, _request: &Request, _params: &Params) -> Response {
    let notes = lock(&app.notes);
    let all: Vec<Note> = notes
        .by_id
        .iter()
        .map(|(&id, text)| Note { id, text })
        .collect();
    Response::json(200, &all)
}

/// `POST /notes`: 201 with the new note and its `Location`. With an
/// `Idempotency-Key`, a repeat gets the first answer again.
pub fn create(app: &App, request: &Request, _params: &Params) -> Response {
    let Some(key) = request.header("idempotency-key") else {
        return create_note(app, &request.body);
    };
    // Held until the answer is remembered, so that two requests with the
    // same key at the same time cannot both create a note.
    let mut store = lock(&app.idempotency);
    match store.lookup(key, &request.body) {
        Seen::Replay(response) => response.with_header("Idempotency-Replayed", "true"),
        Seen::Conflict => Response::error(422, "Idempotency-Key reused with a different body"),
        Seen::New => {
            let response = create_note(app, &request.body);
            store.remember(key, &request.body, &response);
            response
        }
    }
}

fn create_note(app: &App, body: &[u8]) -> Response {
    let Some(NoteBody { text }) = parse_body(body) else {
        return bad_body();
    };
    let mut notes = lock(&app.notes);
    notes.last_id += 1;
    let id = notes.last_id;
    let response = Response::json(201, &Note { id, text: &text })
        .with_header("Location", &format!("/notes/{id}"));
    notes.by_id.insert(id, text);
    response
}

/// `GET /notes/{id}`
pub fn read(app: &App, _request: &Request, params: &Params) -> Response {
    let notes = lock(&app.notes);
    match id(params).and_then(|id| Some((id, notes.by_id.get(&id)?))) {
        Some((id, text)) => Response::json(200, &Note { id, text }),
        None => not_found(),
    }
}

/// `PUT /notes/{id}`: replaces the text of an existing note.
pub fn replace(app: &App, request: &Request, params: &Params) -> Response {
    let Some(NoteBody { text }) = parse_body(&request.body) else {
        return bad_body();
    };
    let mut notes = lock(&app.notes);
    match id(params).and_then(|id| Some((id, notes.by_id.get_mut(&id)?))) {
        Some((id, stored)) => {
            *stored = text;
            Response::json(200, &Note { id, text: stored })
        }
        None => not_found(),
    }
}

/// `DELETE /notes/{id}`: 204, and the note is gone.
pub fn delete(app: &App, _request: &Request, params: &Params) -> Response {
    let mut notes = lock(&app.notes);
    match id(params).and_then(|id| notes.by_id.remove(&id)) {
        Some(_) => Response::empty(204),
        None => not_found(),
    }
}

/// The `{id}` parameter, when it is a number.
fn id(params: &Params) -> Option<u64> {
    params.get("id")?.parse().ok()
}

fn parse_body(body: &[u8]) -> Option<NoteBody> {
    serde_json::from_slice(body).ok()
}

fn bad_body() -> Response {
    Response::error(400, r#"expected a JSON body like {"text": "..."}"#)
}

fn not_found() -> Response {
    Response::error(404, "no such note")
}

/// A handler that panicked while holding a lock leaves the data as it was
/// (every change here is one assignment), so keep serving it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
