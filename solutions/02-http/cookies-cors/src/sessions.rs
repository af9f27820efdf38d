//! Server-side sessions: a random id in a cookie, the data here. Given.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Who is logged in, by session id.
#[derive(Debug, Default)]
pub struct Sessions {
    users: Mutex<HashMap<String, String>>,
}

impl Sessions {
    /// Starts a session for `user`; returns its new id.
    pub fn create(&self, user: &str) -> String {
        let id = new_id();
        self.lock().insert(id.clone(), user.to_string());
        id
    }

    /// The user of session `id`, if it exists.
    pub fn user(&self, id: &str) -> Option<String> {
        self.lock().get(id).cloned()
    }

    /// Ends session `id`.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, String>> {
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// 128 random bits as 32 hex digits, from the OS's random source. A
/// session id must be unguessable: never a counter, a timestamp or a hash
/// of the user name.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .expect("the OS has a random source");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
