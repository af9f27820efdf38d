//! Server-side sessions: a random id in the cookie, everything else here.

use std::collections::HashMap;
use std::sync::Mutex;
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

/// A session id: 32 bytes from the operating system's generator, base64url
/// without padding (43 characters).
pub fn new_id() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random generator");
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
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
        let mut entries = self.entries();
        match entries.get(id) {
            Some(entry) if entry.expires > Instant::now() => Some(entry.user.clone()),
            Some(_) => {
                entries.remove(id);
                None
            }
            None => None,
        }
    }

    /// Logs `user` in; `presented` is the session id the request carried,
    /// if any. Returns the id the response must set.
    pub fn log_in(&self, presented: Option<&str>, user: &str) -> String {
        // The id the browser had before the login may be known to someone
        // else (planted in the victim's browser): it ends here, and the
        // logged-in session gets an id nobody has seen.
        if let Some(old) = presented {
            self.delete(old);
        }
        self.create(Some(user.to_string()))
    }

    pub fn delete(&self, id: &str) {
        self.entries().remove(id);
    }
}
