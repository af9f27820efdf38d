//! Server-side sessions: a random id in the cookie, everything else here.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Entry {
    /// `None` for a visitor who has not logged in.
    user: Option<String>,
    expires: Instant,
}

pub struct Sessions {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

/// TODO(2): a session id nobody can guess: 32 bytes from the operating
/// system's generator (`getrandom`), base64url without padding
/// (`data_encoding`), 43 characters. A counter is the first thing an
/// attacker tries.
pub fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{:043}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl Sessions {
    pub fn new(ttl: Duration) -> Sessions {
        Sessions {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new session for a visitor (`None`) or a user; returns its id.
    pub fn create(&self, user: Option<String>) -> String {
        let id = new_id();
        let entry = Entry {
            user,
            expires: Instant::now() + self.ttl,
        };
        self.entries().insert(id.clone(), entry);
        id
    }

    /// The session's user (`Some(None)` for a visitor), or `None` when the
    /// id is unknown or the session has expired.
    pub fn lookup(&self, id: &str) -> Option<Option<String>> {
        // TODO(5): a session past its `expires` is gone: forget it and
        // answer as for an unknown id.
        self.entries().get(id).map(|entry| entry.user.clone())
    }

    /// Logs `user` in; `presented` is the session id the request carried,
    /// if any. Returns the id the response must set.
    pub fn log_in(&self, presented: Option<&str>, user: &str) -> String {
        // TODO(3): the id the browser had before the login may be known to
        // someone else (planted in the victim's browser, session fixation).
        // It must not survive the login: the logged-in session gets an id
        // nobody has seen, and the old one no longer works.
        if let Some(old) = presented
            && let Some(entry) = self.entries().get_mut(old)
        {
            entry.user = Some(user.to_string());
            return old.to_string();
        }
        self.create(Some(user.to_string()))
    }

    pub fn delete(&self, id: &str) {
        self.entries().remove(id);
    }
}
