//! Cookie sessions (given): a random id in an HttpOnly cookie, and on the
//! server the member's name and the session's CSRF token.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Clone)]
pub struct Session {
    pub name: String,
    /// The token every form of this session carries.
    pub csrf: String,
}

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes from the OS, base64url (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random generator");
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

impl Sessions {
    /// A new session for `name`; returns its id.
    pub fn create(&self, name: &str) -> String {
        let id = random_token();
        let session = Session {
            name: name.to_string(),
            csrf: random_token(),
        };
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.clone(), session);
        id
    }

    pub fn get(&self, id: &str) -> Option<Session> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }
}
