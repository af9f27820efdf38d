//! `Idempotency-Key`: a client that retries a POST (its connection dropped,
//! it never saw the answer) sends the same key again, and gets the first
//! answer back instead of creating a second note.

use std::collections::HashMap;

use crate::http::Response;

/// What the store knows about a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// The key is new: do the work, then `remember` the answer.
    New,
    /// The same key with the same body: send this answer again.
    Replay(Response),
    /// The same key with another body: a client bug, answer 422.
    Conflict,
}

/// The first request body and the answer for every key seen.
///
/// A real store keeps keys for a day or so, and in a database shared by all
/// the instances of the server; this one lives in memory forever.
#[derive(Debug, Default)]
pub struct IdempotencyStore {
    entries: HashMap<String, Entry>,
}

#[derive(Debug)]
struct Entry {
    body: Vec<u8>,
    response: Response,
}

impl IdempotencyStore {
    /// Looks up `key`, sent with a request whose body is `body`.
    pub fn lookup(&self, key: &str, body: &[u8]) -> Seen {
        match self.entries.get(key) {
            None => Seen::New,
            Some(entry) if entry.body == body => Seen::Replay(entry.response.clone()),
            Some(_) => Seen::Conflict,
        }
    }

    /// Remembers the answer to the first request with `key`.
    pub fn remember(&mut self, key: &str, body: &[u8], response: &Response) {
        let entry = Entry {
            body: body.to_vec(),
            response: response.clone(),
        };
        self.entries.entry(key.to_string()).or_insert(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::{IdempotencyStore, Seen};
    use crate::http::Response;

    fn created() -> Response {
        Response::json(201, &serde_json::json!({ "id": 1, "text": "milk" }))
            .with_header("Location", "/notes/1")
    }

    #[test]
    fn an_unknown_key_is_new() {
        let store = IdempotencyStore::default();
        assert_eq!(
            store.lookup("k1", b"{}"),
            Seen::New,
            "TODO(4): nothing stored yet"
        );
    }

    #[test]
    fn the_same_key_and_body_replay_the_first_answer() {
        let mut store = IdempotencyStore::default();
        store.remember("k1", br#"{"text":"milk"}"#, &created());
        assert_eq!(
            store.lookup("k1", br#"{"text":"milk"}"#),
            Seen::Replay(created()),
            "TODO(4)/TODO(5): the remembered answer comes back"
        );
        assert_eq!(store.lookup("k2", br#"{"text":"milk"}"#), Seen::New);
    }

    #[test]
    fn the_same_key_with_another_body_is_a_conflict() {
        let mut store = IdempotencyStore::default();
        store.remember("k1", br#"{"text":"milk"}"#, &created());
        assert_eq!(
            store.lookup("k1", br#"{"text":"eggs"}"#),
            Seen::Conflict,
            "TODO(4): a key belongs to one request body"
        );
    }

    #[test]
    fn the_first_answer_is_kept() {
        let mut store = IdempotencyStore::default();
        store.remember("k1", b"first", &created());
        store.remember("k1", b"second", &Response::error(400, "bad"));
        assert_eq!(
            store.lookup("k1", b"first"),
            Seen::Replay(created()),
            "TODO(5)"
        );
    }
}
