//! Accounts with argon2id password hashes, kept in memory (given).

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub struct Accounts {
    argon2: Argon2<'static>,
    users: Mutex<HashMap<String, String>>,
    /// Verified when the user is unknown, so both cases cost one hash.
    dummy: String,
}

impl Accounts {
    pub fn new() -> Accounts {
        // A low cost keeps the exercise quick in a debug build; a real
        // server uses at least argon2's defaults (part 05, "Password hashing").
        let params = Params::new(4096, 1, 1, None).expect("valid argon2 parameters");
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let dummy = argon2
            .hash_password(b"nobody has this password")
            .expect("argon2 hashes")
            .to_string();
        Accounts {
            argon2,
            users: Mutex::new(HashMap::new()),
            dummy,
        }
    }

    /// `false` when the name is taken.
    pub fn register(&self, name: &str, password: &str) -> Result<bool, String> {
        let stored = self
            .argon2
            .hash_password(password.as_bytes())
            .map_err(|e| e.to_string())?
            .to_string();
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if users.contains_key(name) {
            return Ok(false);
        }
        users.insert(name.to_string(), stored);
        Ok(true)
    }

    pub fn check(&self, name: &str, password: &str) -> bool {
        let stored = {
            let users = self.users.lock().unwrap_or_else(|e| e.into_inner());
            users.get(name).cloned()
        };
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy.clone());
        let ok = self
            .argon2
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok();
        ok && known
    }
}
