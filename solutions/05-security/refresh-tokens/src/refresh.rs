//! Refresh tokens: single use, rotated on every refresh, and a replayed
//! one revokes every token descended from the same login.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use sha2::{Digest, Sha256};

/// What a refresh attempt comes to.
#[derive(Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// The token was good: here is its successor, for this user.
    Rotated { user: String, token: String },
    /// The token was already spent, or its family revoked: the family is
    /// revoked now, whoever presented it.
    Reused,
    /// Not a token this server issued.
    Unknown,
}

struct Entry {
    family: u64,
    user: String,
    spent: bool,
}

#[derive(Default)]
struct Inner {
    /// By SHA-256 of the token: a leak of this table hands out no tokens.
    tokens: HashMap<[u8; 32], Entry>,
    revoked: HashSet<u64>,
    next_family: u64,
}

#[derive(Default)]
pub struct RefreshStore {
    inner: Mutex<Inner>,
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random generator");
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Inner {
    fn issue(&mut self, family: u64, user: String) -> String {
        let token = new_token();
        self.tokens.insert(
            digest(&token),
            Entry {
                family,
                user,
                spent: false,
            },
        );
        token
    }
}

impl RefreshStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A login: a new family and its first token.
    pub fn start(&self, user: &str) -> String {
        let mut inner = self.lock();
        inner.next_family += 1;
        let family = inner.next_family;
        inner.issue(family, user.to_string())
    }

    /// One refresh, atomic under the lock: two requests racing with the
    /// same token cannot both rotate it.
    pub fn refresh(&self, presented: &str) -> Refreshed {
        let mut inner = self.lock();
        let Inner {
            tokens, revoked, ..
        } = &mut *inner;
        let Some(entry) = tokens.get_mut(&digest(presented)) else {
            return Refreshed::Unknown;
        };
        let family = entry.family;
        if entry.spent || revoked.contains(&family) {
            revoked.insert(family);
            return Refreshed::Reused;
        }
        entry.spent = true;
        let user = entry.user.clone();
        let token = inner.issue(family, user.clone());
        Refreshed::Rotated { user, token }
    }

    /// A logout: the token's whole family ends. `false` for an unknown token.
    pub fn revoke(&self, presented: &str) -> bool {
        let mut inner = self.lock();
        let Some(family) = inner.tokens.get(&digest(presented)).map(|e| e.family) else {
            return false;
        };
        inner.revoked.insert(family);
        true
    }
}
