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

    /// One refresh. Today a refresh token works forever and never changes:
    /// whoever copied it once can refresh as long as the user does, and
    /// nobody notices.
    ///
    /// TODO(1): rotation. A good token is spent by its refresh and
    /// `Rotated` carries a new token of the same family (`Inner::issue`).
    /// Spending and issuing happen under one lock, so two requests racing
    /// with the same token cannot both rotate it.
    ///
    /// TODO(2): reuse detection. A spent token, or one of a revoked family,
    /// is `Reused`, and its whole family is revoked: the thief's copy and
    /// the user's newest token stop working alike.
    pub fn refresh(&self, presented: &str) -> Refreshed {
        let inner = self.lock();
        match inner.tokens.get(&digest(presented)) {
            Some(entry) if !inner.revoked.contains(&entry.family) => Refreshed::Rotated {
                user: entry.user.clone(),
                token: presented.to_string(),
            },
            Some(_) => Refreshed::Reused,
            None => Refreshed::Unknown,
        }
    }

    /// TODO(3): a logout ends the token's whole family; `false` for an
    /// unknown token. Today it changes nothing.
    pub fn revoke(&self, presented: &str) -> bool {
        self.lock().tokens.contains_key(&digest(presented))
    }
}
